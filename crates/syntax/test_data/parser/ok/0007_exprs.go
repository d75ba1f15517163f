package main

func main() {
	a := 1 + 2*3 - 4/5%6
	b := x<<1 | y&z ^ w&^v >> 2
	c := a == b || a != b && a < b
	d := a <= b && a > b || a >= b
	e := -x + +y - ^z
	f := !ok && *p == &q
	g := <-ch
	h := s.f.g(1, 2)(3)
	i := arr[1][j+1]
	j := s[1:2]
	k := s[:] 
	l := s[lo:]
	m := s[:hi]
	n := s[1:2:3]
	o := v.(string)
	p := v.(*pkg.T)
	q := (a + b) * c
	r := func(x int) int { return x * 2 }(3)
	s := fmt.Sprintf("%d", xs...)
	t := 1.5e3 + 2i + 'x' + 0x1F
	u := []byte(str)
	w := make([]int, 10)
	y := make(map[string]int)
	z := make(chan int, 3)
	aa := new(int)
	ab := interface{}(x)
	ac := (*T)(p)
	ad := map[string][]int(nil)
}
