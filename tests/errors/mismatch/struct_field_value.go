package main

type T struct{ a int }

func main() {
	_ = T{a: "x"} // ERROR "cannot use \"x\" \\(untyped string constant\\) as int value in struct literal"
}
