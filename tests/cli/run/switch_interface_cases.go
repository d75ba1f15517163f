package main

import "fmt"

func main() {
	switch i := interface{}(true); {
	case i:
		fmt.Println("true")
	default:
		fmt.Println("default")
	}
	var e interface{} = 3
	switch x := 3; x {
	case e:
		fmt.Println("e")
	}
	var p *int = (*int)(nil)
	fmt.Println(p == nil, []byte("hi"), []rune("hé"), interface{}("x"))
}
