package main

func f() {
	continue // ERROR "continue is not in a loop"
}

func main() {
	f()
}
