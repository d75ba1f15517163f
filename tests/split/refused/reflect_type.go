package main

// A reflect.Type names the sender's type descriptor: it cannot travel.

import (
	"fmt"
	"reflect"
)

type P struct{ X int }

func main() {
	t := reflect.TypeOf(P{})
	goToNetwork 'receiver'
	fmt.Println(t)
}
