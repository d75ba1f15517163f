package main

import "fmt"

func sum(prefix string, nums ...int) int {
	t := 0
	for _, n := range nums {
		t += n
	}
	fmt.Println(prefix, len(nums), t)
	return t
}

func main() {
	sum("none")
	sum("three", 1, 2, 3)
	xs := []int{4, 5}
	sum("spread", xs...)
	f := func(parts ...string) int { return len(parts) }
	fmt.Println(f("a", "b"), f())
outer:
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			if j == 2 {
				continue outer
			}
			if i == 2 {
				break outer
			}
			fmt.Println(i, j)
		}
	}
}
