package main

func main() {
	goto L // ERROR "goto L jumps into block starting at \\./goto_into_block\\.go:5:2"
	{
	L:
		println()
	}
}
