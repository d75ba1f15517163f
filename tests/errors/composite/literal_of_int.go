package main

func main() {
	_ = int{1} // ERROR "invalid composite literal type int"
}
