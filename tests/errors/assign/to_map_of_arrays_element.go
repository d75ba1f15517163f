package main

func main() {
	m := map[string][2]int{}
	m["a"][0] = 1 // ERROR "cannot assign to m\\[\"a\"\\]\\[0\\] \\(value of type int\\)"
}
