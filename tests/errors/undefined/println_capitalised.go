package main

func main() {
	Println("x") // ERROR "undefined: Println"
}
