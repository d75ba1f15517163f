package main

type T struct{ a int }

func main() {
	_ = &T{c: 1} // ERROR "unknown field 'c' in struct literal of type T"
}
