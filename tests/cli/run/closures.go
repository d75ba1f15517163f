package main

import "fmt"

func apply(f func(int) int, x int) int { return f(x) }

func double(x int) int { return x * 2 }

func counter() func() int {
	n := 0
	return func() int {
		n++
		return n
	}
}

type Op struct {
	name string
	fn   func(a, b int) int
}

func main() {
	c := counter()
	c()
	c()
	fmt.Println(c(), apply(double, 21))
	total := 0
	add := func(v int) { total += v }
	for i := 1; i <= 4; i++ {
		add(i)
	}
	fmt.Println(total)
	var fs []func() int
	for i := 0; i < 3; i++ {
		j := i
		fs = append(fs, func() int { return j * 10 })
	}
	for _, f := range fs {
		fmt.Print(f(), " ")
	}
	fmt.Println()
	ops := []Op{{"add", func(a, b int) int { return a + b }}, {"mul", func(a, b int) int { return a * b }}}
	for _, op := range ops {
		fmt.Println(op.name, op.fn(6, 7))
	}
	fib := func() func() int {
		a, b := 0, 1
		return func() int {
			r := a
			a, b = b, a+b
			return r
		}
	}()
	for i := 0; i < 10; i++ {
		fmt.Print(fib(), ",")
	}
	fmt.Println()
	var nilf func()
	fmt.Println(nilf == nil)
	nilf()
}
