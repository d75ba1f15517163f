package main

type T struct{ a int }

func main() {
	_ = T{"a": 1} // ERROR "invalid field name \"a\" in struct literal"
}
