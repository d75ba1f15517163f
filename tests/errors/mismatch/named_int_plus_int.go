package main

type Meters int

func main() {
	var m Meters
	var i int
	_ = m + i // ERROR "invalid operation: m \\+ i \\(mismatched types Meters and int\\)"
}
