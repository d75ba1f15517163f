package main

// A reflect.Value is an address into the sender's memory: it cannot travel.

import (
	"fmt"
	"reflect"
)

type P struct{ X int }

func main() {
	p := &P{1}
	v := reflect.ValueOf(p).Elem()
	goToNetwork 'receiver'
	v.Field(0).SetInt(5)
	fmt.Println(p.X)
}
