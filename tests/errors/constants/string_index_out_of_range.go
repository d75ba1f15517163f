package main

func main() {
	_ = "abc"[5] // ERROR "invalid argument: index 5 out of bounds \\[0:3\\]"
}
