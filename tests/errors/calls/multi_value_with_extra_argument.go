package main

func g() (int, int) { return 1, 2 }

func f(a, b, c int) {}

func main() {
	f(g(), 3) // ERROR "multiple-value g\\(\\) \\(value of type \\(int, int\\)\\) in single-value context"
}
