package main

import (
	"fmt"
	"math"
)

func main() {
	values := []any{
		complex(1, 2), complex(-1.5, -0.25), complex(0, math.Copysign(0, -1)),
		complex(math.Inf(1), math.NaN()), complex(1e21, 1e-7), complex(123456789, 0.000123),
		complex64(complex(1.0/3, 2.0/3)), complex64(complex(float32(math.Inf(-1)), 7)),
	}
	verbs := []string{"%v", "%+v", "%#v", "%g", "%G", "%e", "%E", "%f", "%F", "%.2f", "%.3g", "%8.2f", "%-8.1e|", "%+.1f", "% .2f", "%08.3f", "%x", "%X", "%b", "%d", "%s", "%q", "%T", "%10v|"}
	for _, v := range values {
		for _, verb := range verbs {
			fmt.Printf(verb+" ", v)
		}
		fmt.Println()
	}
	fmt.Println(fmt.Sprint(1+1i, 2+2i, "x", complex64(3)), fmt.Sprintln(1i, -1i))
	fmt.Printf("%v %v\n", []complex64{1, 1i}, map[string]complex128{"a": 1 - 1i})
	fmt.Printf("%6.2v|%-12v|%+g\n", 1+2i, 3-4i, 5i)
}
