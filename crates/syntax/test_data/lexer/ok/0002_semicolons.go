package main

func f() int {
	x := g(1)[2]
	x++
	y := T{}
	return x /* a
	multi-line comment acts as a newline */ z /* inline */ w
	break
	continue
	fallthrough
	a := 'x'
	b := 1.5
	c := 2i
	d := `raw`
	if x {
	}
	return
}
// no newline at the end of the file follows the brace
func h() {}
