package main

type T struct{ s []int }

func main() {
	_ = T{} == T{} // ERROR "invalid operation: T\\{\\} == T\\{\\} \\(struct containing \\[\\]int cannot be compared\\)"
}
