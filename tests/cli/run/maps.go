package main

import (
	"fmt"
	"sort"
)

type Point struct{ X, Y int }

func main() {
	m := make(map[string]int)
	m["a"] = 1
	m["b"] += 2
	m["a"]++
	fmt.Println(len(m), m["a"], m["b"], m["zz"])
	v, ok := m["b"]
	_, ok2 := m["q"]
	fmt.Println(v, ok, ok2)
	delete(m, "a")
	fmt.Println(len(m), m)
	ages := map[string]int{"bob": 31, "alice": 29, "carol": 40}
	var names []string
	for name := range ages {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Println(n, ages[n])
	}
	fmt.Println(ages)
	pts := map[Point]string{{1, 2}: "a", {3, 4}: "b"}
	fmt.Println(pts[Point{3, 4}], len(pts))
	counts := map[int][]int{}
	for i := 0; i < 10; i++ {
		counts[i%3] = append(counts[i%3], i)
	}
	fmt.Println(counts)
	total := 0
	for k, v := range counts {
		total += k * len(v)
	}
	fmt.Println(total)
	var nilmap map[string]bool
	fmt.Println(nilmap["x"], len(nilmap))
	nilmap["x"] = true
}
