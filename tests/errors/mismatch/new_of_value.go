package main

func main() {
	_ = new(1) // ERROR "1 is not a type"
}
