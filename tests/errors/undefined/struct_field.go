package main

type T struct{ a int }

func main() {
	var t T
	_ = t.b // ERROR "t\\.b undefined \\(type T has no field or method b\\)"
}
