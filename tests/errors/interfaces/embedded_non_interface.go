package main

type I interface{ string }

func main() {
	var i I // ERROR "cannot use type I outside a type constraint: interface contains type constraints"
	_ = i
}
