package main

func main() {
	s := "a"
	s[0] = 'b' // ERROR "cannot assign to s\\[0\\] \\(value of type byte\\)"
}
