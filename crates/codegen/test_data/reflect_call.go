// reflect's call adapter and MakeFunc stub of the program's one func type
// with a struct, a string and a narrow argument and two results: each
// argument loaded from the address the args array holds, the call of a
// closure or a method wrapper, each result stored where the results array
// points; the stub stores its arguments in fresh memory and calls
// reflect's makeFuncCall.
// clif: g2n_reflectcall_func_main_P__string__int8___int__bool_ g2n_makefunc_func_main_P__string__int8___int__bool_
package main

import "reflect"

type P struct{ X, Y int }

func f(p P, s string, b int8) (int, bool) { return p.X + len(s) + int(b), true }

func main() {
	reflect.ValueOf(f).Call([]reflect.Value{reflect.ValueOf(P{1, 2}), reflect.ValueOf("s"), reflect.ValueOf(int8(3))})
}
