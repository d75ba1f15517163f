package main

func main() {
	len("abc") // ERROR "len\\(\"abc\"\\) \\(constant 3 of type int\\) is not used"
}
