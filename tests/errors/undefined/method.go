package main

type T struct{ a int }

func main() {
	var t T
	t.M() // ERROR "t\\.M undefined \\(type T has no field or method M\\)"
}
