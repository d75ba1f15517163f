package main

func main() {
	goto L // ERROR "goto L jumps over declaration of x at \\./goto_over_declaration\\.go:5:4"
	x := 1
	_ = x
	L:
	println()
}
