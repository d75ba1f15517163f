// A panic in a method with a pointer receiver, three calls deep (the
// value-receiver method below is not reached).
package main

import "fmt"

type tree struct {
	n int
}

func (t *tree) sum(d int) int {
	if d == 0 {
		panic(fmt.Sprintf("bottom of %d", t.n))
	}
	return t.sum(d-1) + t.n
}

type leaf struct {
	n int
}

func (l leaf) count(d int) int {
	if d == 0 {
		var m map[string]int
		m["x"] = l.n
	}
	return l.count(d-1) + 1
}

func main() {
	t := &tree{n: 7}
	if len(fmt.Sprint(t.n)) > 0 {
		fmt.Println(t.sum(2))
	}
	fmt.Println(leaf{n: 1}.count(2))
}
