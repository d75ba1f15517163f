package main

type T struct{ a int }

func main() {
	p := &T{}
	p.Missing = 1 // ERROR "p\\.Missing undefined \\(type \\*T has no field or method Missing\\)"
}
