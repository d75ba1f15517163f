package main

func f() (int, int) {
	return 1, 2, 3 // ERROR "too many return values"
}

func main() {
	_, _ = f()
}
