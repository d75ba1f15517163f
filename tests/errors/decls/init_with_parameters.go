package main

func init(x int) {} // ERROR "func init must have no arguments and no return values"

func main() {

}
