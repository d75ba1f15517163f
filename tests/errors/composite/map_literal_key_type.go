package main

func main() {
	_ = map[int]string{"k": "v"} // ERROR "cannot use \"k\" \\(untyped string constant\\) as int value in map literal"
}
