package main

func main() {
	p := Point{1, 2}
	q := &Point{X: 1, Y: 2}
	xs := []int{1, 2, 3}
	m := map[string]int{"a": 1, "b": 2}
	grid := [][]int{{1, 2}, {3, 4}}
	pts := []Point{{1, 2}, {X: 3}}
	arr := [...]string{"x", "y"}
	fixed := [3]int{}
	anon := struct{ A int }{A: 1}
	pk := pkg.Type{Field: true}
	nested := map[string]Point{
		"origin": {0, 0},
		"one":    {1, 1},
	}
	if p == (Point{}) {
	}
	if x := (T{}); x.ok {
	}
	for _, v := range []int{1, 2} {
		_ = v
	}
	switch s := (S{}); s {
	}
	if v := f(T{1}); v {
	}
}
