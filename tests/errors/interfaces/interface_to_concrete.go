package main

func main() {
	var e error
	var s string = e // ERROR "cannot use e \\(variable of type error\\) as type string in variable declaration"
	_ = s
}
