package main

func main() {
	p, q := new(int), new(int)
	_ = p < q // ERROR "invalid operation: p < q \\(operator < not defined on pointer\\)"
}
