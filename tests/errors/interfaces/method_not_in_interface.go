package main

type I interface{ M() }

func main() {
	var i I
	i.N() // ERROR "i\\.N undefined \\(type I has no field or method N\\)"
}
