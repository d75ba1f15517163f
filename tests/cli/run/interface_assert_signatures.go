// A type assertion or type switch to an interface compares each method's
// signature, not only its name (issue 18).
package main

import "fmt"

type I1 interface{ Name() int8 }
type I2 interface{ Name() int64 }
type I3 interface{ Name() int8 }
type V interface {
	Join(sep string, parts ...string) (string, error)
}
type T struct{}

func (T) Name() int8 { return 1 }

type W struct{}

func (W) Join(sep string, parts ...string) (string, error) { return "", nil }

type Wrong struct{}

func (Wrong) Join(sep string, parts []string) (string, error) { return "", nil }

type Str struct{}

func (Str) String() int { return 3 }

func main() {
	var i I1 = T{}
	_, ok := i.(I2)
	_, ok3 := i.(I3)
	fmt.Println(ok, ok3)
	switch i.(type) {
	case I2:
		fmt.Println("I2")
	case I1:
		fmt.Println("I1")
	}
	for _, x := range []interface{}{W{}, Wrong{}, Str{}, T{}} {
		_, isV := x.(V)
		_, isS := x.(fmt.Stringer)
		_, isE := x.(error)
		fmt.Println(isV, isS, isE)
	}
	defer func() { fmt.Println("recovered:", recover()) }()
	_ = i.(I2)
}
