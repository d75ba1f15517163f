package main

func main() {
	var x _ // ERROR "cannot use _ as value or type"
	_ = x
}
