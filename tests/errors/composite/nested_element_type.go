package main

func main() {
	_ = [][]int{{"a"}} // ERROR "cannot use \"a\" \\(untyped string constant\\) as int value in array or slice literal"
}
