package main

func main() {
	fallthrough // ERROR "fallthrough statement out of place"
}
