package main

func main() {
	s := []int{}
	s = append(s, "a") // ERROR "cannot use \"a\" \\(untyped string constant\\) as int value in argument to append"
	_ = s
}
