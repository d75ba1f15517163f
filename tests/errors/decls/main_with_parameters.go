package main

func main(x int) { // ERROR "func main must have no arguments and no return values"
}
