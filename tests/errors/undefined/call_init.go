package main

func init() {}

func main() {
	init() // ERROR "undefined: init"
}
