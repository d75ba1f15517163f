package main

func main() {
	_ = int(1, 2) // ERROR "too many arguments in conversion to int"
}
