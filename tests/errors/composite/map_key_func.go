package main

func main() {
	var m map[func()]int // ERROR "invalid map key type func\\(\\)"
	_ = m
}
