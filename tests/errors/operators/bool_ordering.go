package main

func main() {
	_ = true < false // ERROR "invalid operation: true < false \\(operator < not defined on untyped bool\\)"
}
