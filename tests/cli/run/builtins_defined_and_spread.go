// len, index and copy of a defined string type; copy and delete given one
// call's two results; main called from another function and as a value
// (issue 18: each was refused).
package main

import "fmt"

type Name string

type Bytes []byte

func two() ([]int, []int) { return []int{0, 0, 0}, []int{1, 2} }

var m = map[string]int{"a": 1, "b": 2}

func entry() (map[string]int, string) { return m, "a" }

var depth int

func again() {
	if depth < 3 {
		main()
	}
}

func main() {
	depth++
	fmt.Println("main", depth)
	if depth > 1 {
		if depth == 2 {
			f := main
			f()
		}
		return
	}
	n := Name("hello")
	fmt.Println(len(n), n[1], len(Name("ab")), len(n[1:3]))
	for i, r := range n {
		fmt.Print(i, r, " ")
	}
	fmt.Println()
	const c Name = "xyz"
	const k = len(c)
	fmt.Println(len(c), k)
	b := make(Bytes, 3)
	fmt.Println(copy(b, n), string(b))
	fmt.Println(copy(two()))
	delete(entry())
	fmt.Println(len(m), m)
	again()
	fmt.Println("done", depth)
}
