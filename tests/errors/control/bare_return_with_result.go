package main

func f() int {
	return // ERROR "not enough return values"
}

func main() {
	_ = f()
}
