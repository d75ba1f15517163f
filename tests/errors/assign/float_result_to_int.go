package main

func f() float64 { return 1 }

func main() {
	var i int
	i = f() // ERROR "cannot use f\\(\\) \\(value of type float64\\) as type int in assignment"
	_ = i
}
