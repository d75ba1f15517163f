// Hops in both arms of an if and in switch clauses; two hops feed one
// nanoservice ('join'), each with what is live after it.
package main

func main() {
	n := 7
	label := "odd"
	if n%2 == 0 {
		label = "even"
		goToNetwork 'even'
	} else {
		goToNetwork 'odd'
	}
	switch {
	case n > 5:
		big := n * 10
		goToNetwork 'join'
		println(big)
	default:
		goToNetwork 'join'
	}
	println(label, n)
}
