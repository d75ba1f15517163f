package main

type embedded string

func (s embedded) val() string { return string(s) }

type A struct{ embedded }
type B struct {
	A
	embedded
}

func main() {
	b := &B{A: A{embedded: "a"}, embedded: "b"}
	println(b.val(), b.A.val())
}
