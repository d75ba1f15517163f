package main

import "fmt"

const c = 1.5 + 2i

func main() {
	var n int = c // ERROR "cannot use c \\(untyped complex constant \\(1\\.5 \\+ 2i\\)\\) as int value in variable declaration \\(truncated\\)"
	fmt.Println(n)
}
