package main

func main() {
	_ = 1.5 &^ 1 // ERROR "invalid operation: operator &\\^ not defined on 1\\.5 \\(untyped float constant\\)"
}
