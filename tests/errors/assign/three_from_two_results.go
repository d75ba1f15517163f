package main

func f() (int, int) { return 1, 2 }

func main() {
	x, y, z := f() // ERROR "assignment mismatch: 3 variables but f returns 2 values"
	_, _, _ = x, y, z
}
