package main

import (
	"fmt"
	"sort"
)

type Account struct {
	Owner   string
	Balance int
	History []int
}

// A map reachable twice (two variables and from inside a struct), maps of
// pointers and of slices, deletions and insertion between hops.
func main() {
	byName := map[string]*Account{}
	alias := byName
	holder := struct{ M map[string]*Account }{byName}
	lists := map[int][]string{1: {"one"}, 2: {"two", "deux"}}
	for _, n := range []string{"ann", "bob", "cy"} {
		goToNetwork 'open'
		byName[n] = &Account{Owner: n}
	}
	ann := byName["ann"]
	owners := []string{"ann", "bob", "cy"}
	for round := 1; round <= 3; round++ {
		goToNetwork 'deposit'
		for _, n := range owners {
			acc, ok := alias[n]
			if !ok {
				continue
			}
			acc.Balance += round * len(acc.Owner)
			acc.History = append(acc.History, round)
		}
		if round == 2 {
			goToNetwork 'close'
			delete(holder.M, "bob")
			lists[3] = append(lists[2], "zwei")
		}
	}
	goToNetwork 'report'
	// (A hop inside a range over a map is not supported yet: docs/split.md.)
	names := make([]string, 0, len(byName))
	for _, n := range []string{"cy", "bob", "ann"} {
		if _, ok := byName[n]; ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Println(n, byName[n].Balance, byName[n].History)
	}
	fmt.Println(len(alias), len(holder.M), ann == byName["ann"], ann.Balance, lists)
}
