// fmt looks inside an errors.New error as Go does where a verb does not
// suit it: *errors.errorString points to a struct{ s string }.
package main

import (
	"errors"
	"fmt"
)

func main() {
	err := errors.New("boom")
	fmt.Printf("%d\n", err)
	fmt.Printf("%x %X\n", err, err)
	fmt.Printf("%v %s %q\n", err, err, err)
	fmt.Printf("%#v\n", err)
	fmt.Printf("%T\n", err)
	fmt.Printf("%t\n", err)
	fmt.Println(fmt.Sprintf("%5.2d|", err))
}
