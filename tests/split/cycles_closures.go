package main

import "fmt"

type Node struct {
	Val  int
	Next *Node
	Prev *Node
}

type Stringer interface {
	String() string
}

type Temp float64

func (t Temp) String() string { return fmt.Sprintf("%.1f°", float64(t)) }

func double(x int) int { return 2 * x }

// A cyclic doubly linked ring, closures that share a captured counter with
// main, func values of declared functions, and interfaces holding values
// of named types, moved through a loop of hops.
func main() {
	var head *Node
	for i := 1; i <= 4; i++ {
		n := &Node{Val: i}
		if head == nil {
			head = n
			n.Next, n.Prev = n, n
		} else {
			last := head.Prev
			last.Next, n.Prev = n, last
			n.Next, head.Prev = head, n
		}
	}
	count := 0
	inc := func(by int) int {
		count += by
		return count
	}
	get := func() int { return count }
	apply := double
	var things []any = []any{Temp(21.5), head, 3, "str", []int{1, 2}}
	var s Stringer = Temp(-4)
	cur := head
	for step := 0; step < 6; step++ {
		goToNetwork 'walk'
		cur = cur.Next
		inc(cur.Val)
		if step%2 == 1 {
			goToNetwork 'odd'
			cur.Prev.Val *= 10
		}
	}
	goToNetwork 'done'
	before := get()
	after := inc(1)
	fmt.Println(before, after, count, apply(get()))
	n := head
	for i := 0; i < 5; i++ {
		fmt.Print(n.Val, " ")
		n = n.Next
	}
	fmt.Println(head.Prev.Next == head, head.Next.Prev == head)
	fmt.Println(things[0], things[1] == any(head), things[2], things[3], things[4], s.String())
}
