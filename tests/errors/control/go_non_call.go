package main

func main() {
	go 1 // ERROR "expression in go must be function call"
}
