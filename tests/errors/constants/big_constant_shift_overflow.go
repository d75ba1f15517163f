package main

const a = 1 << 500

const b = a << 20 // ERROR "constant shift overflow"

func main() {
	_ = b
}
