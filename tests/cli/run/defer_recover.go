package main

import (
	"errors"
	"fmt"
)

func safeDiv(a, b int) (q int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	q = a / b
	return
}

func count() (n int) {
	defer func() { n *= 2 }()
	n = 3
	return n + 1
}

func layers() {
	defer fmt.Println("layers: deferred 1")
	defer fmt.Println("layers: deferred 2")
	for i := 0; i < 3; i++ {
		defer fmt.Println("loop", i)
	}
	fmt.Println("layers body")
}

func mustPositive(x int) int {
	if x < 0 {
		panic(errors.New("negative"))
	}
	return x
}

func tryIt(x int) (res string) {
	defer func() {
		if r := recover(); r != nil {
			res = fmt.Sprint("caught: ", r)
		}
	}()
	return fmt.Sprint(mustPositive(x))
}

func main() {
	fmt.Println(safeDiv(10, 2))
	fmt.Println(safeDiv(1, 0))
	fmt.Println(count())
	layers()
	fmt.Println(tryIt(5), tryIt(-1))
	var arr []int
	func() {
		defer func() {
			r := recover()
			fmt.Println("recovered:", r)
		}()
		_ = arr[3]
	}()
	defer fmt.Println("main deferred runs before the crash")
	panic("final")
}
