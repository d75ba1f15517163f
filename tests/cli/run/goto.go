package main

import "fmt"

func count(n int) int {
	i, sum := 0, 0
loop:
	if i < n {
		sum += i
		i++
		goto loop
	}
	return sum
}

func main() {
	fmt.Println(count(10))
	x := 0
	goto skip
skip:
	x++
	for i := 0; i < 3; i++ {
		if i == 1 {
			goto done
		}
		fmt.Println("i", i)
	}
done:
	fmt.Println("done", x)
	f := func() int {
		k := 0
	again:
		k++
		if k < 5 {
			goto again
		}
		return k
	}
	fmt.Println(f())
}
