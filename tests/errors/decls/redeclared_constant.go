package main

const c = 1

const c = 2 // ERROR "c redeclared in this block"

func main() {

}
