package main

func main() {
	var a int32
	var b int64
	_ = a + b // ERROR "invalid operation: a \\+ b \\(mismatched types int32 and int64\\)"
}
