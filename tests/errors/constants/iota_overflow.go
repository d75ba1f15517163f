package main

const (
	a int8 = iota * 100
	b
	c // ERROR "cannot use iota \\* 100 \\(untyped int constant 200\\) as int8 value in constant declaration \\(overflows\\)"
)

func main() {
	_ = c
}
