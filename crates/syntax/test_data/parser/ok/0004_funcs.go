package fmt

func Printf(format string, a ...any) (n int, err error)

func Println(a ...any)

func add(a, b int, s string) int { return a + b }

func pair() (int, string) { return 1, "x" }

func named() (x, y int) {
	x = 1
	return
}

func unnamed(int, string, ...float64) {}

func (p *Point) Move(dx, dy float64) { p.x += dx }

func (Point) Zero() Point { return Point{} }

func qualified(w io.Writer, r *bufio.Reader) error { return nil }

func callbacks(f func(int) int, g func() (int, error)) func() {
	return func() {}
}
