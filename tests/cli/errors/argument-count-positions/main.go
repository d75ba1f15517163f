// Go reports a wrong argument count at the first argument too many, else
// at the last argument given, else at the call (go build: 14:19, 15:14,
// 16:2, 17:8, 18:14, 20:3 before these three lines were added).
package main

import "fmt"

func f(a int) int { return a }

func g(a int, b ...int) {}

type T struct{}

func (T) M(a, b int) {}

func main() {
	fmt.Println(f(1, 2))
	fmt.Println(f())
	g()
	T{}.M(1)
	T{}.M(1, 2, 3)
	fmt.Println(f(1,
		2))
}
