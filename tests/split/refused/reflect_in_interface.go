package main

// A reflect.Type in an interface is found when the scope is encoded: the
// flow stops at the hop with an error.

import (
	"fmt"
	"reflect"
)

type P struct{ X int }

func main() {
	var t any = reflect.TypeOf(P{})
	goToNetwork 'receiver'
	fmt.Println(t)
}
