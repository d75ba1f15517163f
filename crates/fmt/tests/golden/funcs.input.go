package main

import (
	"os"
	"fmt"

	"strings"
)

type Number interface {
	~int | ~float64
}

func Sum[T Number](xs ...T) (total T) {
	for _, x := range xs { total += x }
	return
}

func (t T) String() string { return "T" }

type T struct{}


func apply(f func(string) string, s string) string {
	return f(s)
}

func main() {
	fmt.Println(Sum(1, 2, 3), Sum(1.5, 2.5))
	fmt.Println(apply(func(s string) string {
		return strings.ToUpper(s)
	}, "x"))
	defer func() { fmt.Println("done") }()
	go func() {}()
	if len(os.Args) > 5 { os.Exit(2) }
	fmt.Println(T{})
}
