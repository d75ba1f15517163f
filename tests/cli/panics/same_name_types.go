// A failed type assertion between two types that print alike says why they
// differ, as Go's runtime does: a local type of one function against a
// local type of another, or against the package's type of that name.
// cases: local-local local-package package-local recovered
package main

import (
	"fmt"
	"os"
)

type T struct{}

var x interface{}

func setLocal() {
	type T struct{}
	x = T{}
}

func assertLocal() {
	type T struct{}
	_ = x.(T)
}

func main() {
	switch os.Args[len(os.Args)-1] {
	case "local-local":
		setLocal()
		assertLocal()
	case "local-package":
		setLocal()
		_ = x.(T)
	case "package-local":
		x = T{}
		assertLocal()
	case "recovered":
		defer func() {
			err := recover().(error)
			fmt.Println(err.Error())
		}()
		setLocal()
		_ = x.(T)
	}
}
