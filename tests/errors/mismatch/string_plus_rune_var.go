package main

func main() {
	r := 'a'
	s := "b"
	_ = s + r // ERROR "invalid operation: s \\+ r \\(mismatched types string and rune\\)"
}
