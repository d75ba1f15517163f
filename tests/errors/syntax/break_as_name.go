package main

func main() {
	break := 1 // ERROR "syntax error: unexpected := at end of statement"
	_ = break
}
