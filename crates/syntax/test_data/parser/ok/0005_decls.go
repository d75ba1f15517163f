package main

var x int
var y = 2
var a, b string = "a", "b"
var (
	c int
	d, e = 1, 2
)

const Pi = 3.14
const (
	A = iota
	B
	C
	_
	D float64 = 1 << iota
)

type Celsius float64
type Alias = int
type (
	Point struct {
		X, Y float64
		name string `json:"name"`
		*Embedded
		io.Reader
	}
	Shape interface {
		Area() float64
		fmt.Stringer
	}
)

func main() {
	var local int = 3
	const k = 4
	type inner struct{}
}
