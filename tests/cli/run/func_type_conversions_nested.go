// Conversions to func types whose result is itself a func type with
// results: `func() func() int(nil)` (without results, `func() func()(nil)`
// is a type whose result list is `(nil)`, which Go refuses too).
package main

import "fmt"

func main() {
	f := func() func() int(nil)
	fmt.Println(f == nil)
	g := func(int) func(string) bool(nil)
	fmt.Println(g == nil)
	h := func() []int(nil)
	fmt.Println(h == nil)
	k := func() (int, error)(nil)
	fmt.Println(k == nil)
	var e func() error = func() error(nil)
	fmt.Println(e == nil)
}
