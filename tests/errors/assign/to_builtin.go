package main

func main() {
	len = nil // ERROR "len \\(built-in\\) must be called"
}
