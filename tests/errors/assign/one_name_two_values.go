package main

func main() {
	a := 1, 2 // ERROR "assignment mismatch: 1 variable but 2 values"
	_ = a
}
