package main

const c int8 = 100

const d = c * 2 // ERROR "c \\* 2 \\(constant 200 of type int8\\) overflows int8"

func main() {
	_ = d
}
