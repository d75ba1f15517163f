// Functions: package variables and init, named and multiple results, a call
// of a multi-result call, variadic calls, closures and function values,
// defer, panic and recover.
package main

var counter = start()

func start() int { return 10 }

func init() {
	counter++
}

func divmod(a, b int) (q, r int) {
	q, r = a/b, a%b
	return
}

func add(a, b int) int { return a + b }

func sum(base int, xs ...int) int {
	for _, x := range xs {
		base += x
	}
	return base
}

func safe(f func() int) (result int) {
	defer func() {
		if r := recover(); r != nil {
			result = -1
		}
	}()
	return f()
}

func main() {
	q, r := divmod(17, 5)
	total := add(divmod(9, 4))
	xs := []int{1, 2, 3}
	all := sum(0, xs...) + sum(1, 2, 3)
	step := 2
	inc := func(n int) int { return n + step }
	step = 3
	apply := add
	zero := 0
	println(q, r, total, all, inc(1), apply(1, 2), safe(func() int { return 1 / zero }), counter)
	defer println("deferred")
	panic("boom")
}
