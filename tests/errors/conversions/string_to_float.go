package main

func main() {
	_ = float64("1.5") // ERROR "cannot convert \"1\\.5\" \\(untyped string constant\\) to type float64"
}
