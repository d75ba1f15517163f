// sort compiled from Go's source: Sort, Stable, Slice and SliceStable (through
// g2n's internal/reflectlite), Find and Search, and reflect's panic for a
// non-slice.
package main

import (
	"fmt"
	"sort"
)

type byLen []string

func (a byLen) Len() int           { return len(a) }
func (a byLen) Less(i, j int) bool { return len(a[i]) < len(a[j]) }
func (a byLen) Swap(i, j int)      { a[i], a[j] = a[j], a[i] }

type person struct {
	name string
	age  int
}

func main() {
	xs := []int{5, 2, 8, 1, 9, 3}
	sort.Ints(xs)
	fmt.Println(xs, sort.IntsAreSorted(xs), sort.SearchInts(xs, 8))
	ss := []string{"pear", "fig", "banana", "kiwi"}
	sort.Strings(ss)
	fmt.Println(ss)
	sort.Sort(sort.Reverse(sort.StringSlice(ss)))
	fmt.Println(ss)
	fs := []float64{2.5, -1, 3.25}
	sort.Float64s(fs)
	fmt.Println(fs)
	words := byLen{"ccc", "a", "bb", "dddd", "ee"}
	sort.Stable(words)
	fmt.Println(words)
	people := []person{{"ann", 30}, {"bob", 25}, {"cy", 30}, {"di", 22}}
	sort.SliceStable(people, func(i, j int) bool { return people[i].age < people[j].age })
	fmt.Println(people)
	sort.Slice(people, func(i, j int) bool { return people[i].name > people[j].name })
	fmt.Println(people, sort.SliceIsSorted(people, func(i, j int) bool { return people[i].name > people[j].name }))
	i, found := sort.Find(len(xs), func(i int) int { return 8 - xs[i] })
	fmt.Println(i, found, sort.Search(100, func(i int) bool { return i*i >= 50 }))
	big := make([]int, 1000)
	for i := range big {
		big[i] = (i * 7919) % 1000
	}
	sort.Ints(big)
	fmt.Println(big[0], big[500], big[999], sort.IntsAreSorted(big))
	defer func() { fmt.Println("recovered:", recover()) }()
	sort.Slice(42, func(i, j int) bool { return false })
}
