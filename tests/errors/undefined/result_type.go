package main

func f() Baz { return nil } // ERROR "undefined: Baz"

func main() {
	_ = f()
}
