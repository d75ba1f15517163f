package main

import "fmt"

func main() {
	const z = 300 + 0i
	var b byte = z // ERROR "cannot use z \\(untyped complex constant \\(300 \\+ 0i\\)\\) as byte value in variable declaration \\(truncated\\)"
	fmt.Println(b)
}
