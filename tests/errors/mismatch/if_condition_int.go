package main

func main() {
	if 1 { // ERROR "non-boolean condition in if statement"
	}
}
