package main

func f() int {
} // ERROR "missing return"

func main() {
	_ = f()
}
