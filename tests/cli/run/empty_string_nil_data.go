// The empty string constant has a nil data pointer, as in Go (strings.Clone's
// test compares a clone of "" with a zero string by address).
package main

import (
	"fmt"
	"reflect"
	"strings"
	"unsafe"
)

var zero string
var lit = ""
var table = []string{"", "x", ""}

func data(s *string) uintptr { return (*reflect.StringHeader)(unsafe.Pointer(s)).Data }

func main() {
	local := ""
	clone := strings.Clone("")
	x := "x"
	fmt.Println(data(&zero) == 0, data(&lit) == 0, data(&local) == 0, data(&clone) == 0, data(&table[0]) == 0, data(&table[2]) == 0, data(&x) != 0)
	fmt.Println(local == zero, lit+local == "", len(table[0]), local+"a"+lit, strings.Repeat(local, 3) == "", []byte(local) != nil, string([]byte(nil)) == local)
	m := map[string]int{"": 1}
	m[local]++
	fmt.Println(m[""], m[zero], strings.Compare(local, zero), strings.Index("abc", ""), strings.Split("", ""), len(strings.Split("a,b", "")))
}
