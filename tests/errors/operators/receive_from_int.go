package main

func main() {
	x := 1
	_ = <-x // ERROR "invalid operation: cannot receive from non-channel x \\(variable of type int\\)"
}
