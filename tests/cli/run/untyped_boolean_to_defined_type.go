// A comparison is an untyped boolean value (Go spec, "Comparison
// operators"), so it, and `!`, `&&`, `||` of comparisons, may be assigned to
// a defined boolean type: flag's `*b = boolValue(v)` style code writes
// `*b = s == "true"`.
package main

import "fmt"

type Flag bool

type Options struct {
	Verbose Flag
	Quiet   Flag
}

func parse(s string) Flag {
	return s == "true" || s == "1"
}

func show(f Flag) string {
	if f {
		return "on"
	}
	return "off"
}

func main() {
	s, n := "true", 3
	var f Flag = s == "true"
	var g Flag
	g = !(n > 2) && s != ""
	opts := Options{Verbose: n >= 3, Quiet: !(n < 10)}
	p := &opts.Quiet
	*p = n == 4
	fmt.Println(f, g, opts, parse("1"), parse("no"), show(n != 3), show(len(s) == 4))
	fmt.Printf("%T %T %v\n", f, n == 3, Flag(n == 3) == f)
	m := map[string]Flag{"a": n > 0}
	fmt.Println(m, []Flag{n < 0, s > "a"})
}
