package main

func f() {
	v := 1
	_ = v
}

func main() {
	println(v) // ERROR "undefined: v"
}
