package main

func main() {
	L:
	println()
	L: // ERROR "label L already defined at \\./duplicate_label\\.go:4:2"
	println()
	goto L
}
