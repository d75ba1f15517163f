package main

type T struct{}

func (*T) M() {}

func main() {
	m := map[string]T{}
	m["a"].M() // ERROR "cannot call pointer method M on T"
}
