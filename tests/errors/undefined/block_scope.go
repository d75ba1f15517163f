package main

func main() {
	{
		y := 2
		_ = y
	}
	println(y) // ERROR "undefined: y"
}
