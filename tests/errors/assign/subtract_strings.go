package main

func main() {
	s := "a"
	s -= "b" // ERROR "invalid operation: operator - not defined on s \\(variable of type string\\)"
}
