package main

func main() {
	for 1 { // ERROR "non-boolean condition in for statement"
	}
}
