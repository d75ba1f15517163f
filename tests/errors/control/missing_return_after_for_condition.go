package main

func f() int {
	for i := 0; i < 3; i++ {
		return i
	}
} // ERROR "missing return"

func main() {
	_ = f()
}
