package main

func f() {
L:
	goto L
}

func main() {
	goto L // ERROR "label L not defined"
}
