package main

func main() {
	nil.M() // ERROR "nil\\.M undefined \\(type untyped nil has no field or method M\\)"
}
