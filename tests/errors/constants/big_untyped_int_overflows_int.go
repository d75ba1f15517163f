package main

const huge = 1 << 200

func main() {
	var i int = huge // ERROR "cannot use huge \\(untyped int constant 1606938044258990275541962092341162602522202993782792835301376\\) as int value in variable declaration \\(overflows\\)"
	_ = i
}
