package main

func init() {}

func main() {
	_ = init // ERROR "undefined: init"
}
