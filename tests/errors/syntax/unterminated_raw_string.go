package main

func main() {
	s := `abc // ERROR "string not terminated"
	_ = s
}
