package main

func main() {
	var f func(int)
	f = func(s string) {} // ERROR "cannot use func\\(s string\\) \\{\\} \\(value of type func\\(s string\\)\\) as type func\\(int\\) in assignment"
	_ = f
}
