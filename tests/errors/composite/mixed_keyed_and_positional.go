package main

type T struct{ a, b int }

func main() {
	_ = T{a: 1, 2} // ERROR "mixture of field:value and value elements in struct literal"
}
