package main

func main() {
	for i := range 10 { // ERROR "cannot range over 10 \\(untyped int constant\\)"
		_ = i
	}
}
