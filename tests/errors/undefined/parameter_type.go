package main

func f(a Bar) {} // ERROR "undefined: Bar"

func main() {
	f(1)
}
