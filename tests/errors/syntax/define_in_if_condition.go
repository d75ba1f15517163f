package main

func main() {
	if x := 1 { // ERROR "syntax error: cannot use x := 1 as value"
	}
}
