// Interfaces: method sets, interface calls, boxing, type assertions (with
// and without comma-ok), a type switch, the error interface.
package main

type Shape interface {
	Area() float64
	Name() string
}

type Square struct{ Side float64 }

func (s Square) Area() float64 { return s.Side * s.Side }
func (s Square) Name() string  { return "square" }

type failure struct{ code int }

func (f *failure) Error() string { return "failed" }

func check(ok bool) error {
	if ok {
		return nil
	}
	return &failure{code: 2}
}

func describe(v any) string {
	switch x := v.(type) {
	case int:
		return "int"
	case Shape:
		return x.Name()
	default:
		return "other"
	}
}

func main() {
	var s Shape = Square{Side: 2}
	area := s.Area()
	sq := s.(Square)
	_, isSquare := s.(interface{ Side() int })
	err := check(false)
	if err != nil {
		println(err.Error())
	}
	println(area, sq.Side, isSquare, describe(3), describe(s), describe("x"))
}
