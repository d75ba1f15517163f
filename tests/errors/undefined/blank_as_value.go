package main

func main() {
	x := _ // ERROR "cannot use _ as value or type"
	_ = x
}
