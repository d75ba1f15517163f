// A local whose address is taken or that a closure captures travels even
// when its next use after a hop is a write: the pointers and closures that
// travel share its storage, so they see the write.
package main

import "fmt"

type pair struct{ a, b int }

func main() {
	n := 5
	p := &n
	goToNetwork 'x'
	n = 6
	fmt.Println(*p)

	s := "start"
	defer func() { fmt.Println("deferred sees", s) }()
	goToNetwork 'y'
	s = "changed"

	count := 0
	inc := func() int { count++; return count }
	goToNetwork 'x'
	count = 10
	fmt.Println(inc(), inc())

	q := pair{1, 2}
	pq := &q
	goToNetwork 'y'
	q = pair{3, 4}
	fmt.Println(pq.a+pq.b, *pq)

	var flag bool
	set := func() bool { return flag }
	for i := 0; i < 2; i++ {
		goToNetwork 'x'
		flag = i == 1
		fmt.Println(i, set())
	}
}
