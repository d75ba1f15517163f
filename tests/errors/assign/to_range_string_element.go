package main

func main() {
	s := "ab"
	for i := range s {
		s[i] = 0 // ERROR "cannot assign to s\\[i\\] \\(value of type byte\\)"
	}
}
