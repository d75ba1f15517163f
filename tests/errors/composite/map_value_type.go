package main

func main() {
	_ = map[string]int{"a": "b"} // ERROR "cannot use \"b\" \\(untyped string constant\\) as int value in map literal"
}
