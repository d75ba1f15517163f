// math/cmplx compiled from Go's source, and complex128 arithmetic and
// formatting. Exp is printed to three places: math.Exp (which cmplx.Exp
// calls) is Go's pure-Go code under g2n, while Go on amd64 runs an assembly
// version whose last bit can differ (docs/stdlib.md, math).
package main

import (
	"fmt"
	"math"
	"math/cmplx"
)

func main() {
	zs := []complex128{complex(3, 4), complex(-1, 0), complex(0, 1), complex(1.5, -2.25), 0, cmplx.Inf(), cmplx.NaN(), complex(math.Inf(-1), 1), complex(1e300, 1e300)}
	for _, z := range zs {
		r, th := cmplx.Polar(z)
		fmt.Println(z, cmplx.Abs(z), cmplx.Sqrt(z), cmplx.Log(z), cmplx.Phase(z), r, th)
		fmt.Printf("%.3f %.3f %.3f %.3f %v %v\n", cmplx.Exp(z), cmplx.Pow(z, complex(0.5, 1)), cmplx.Sin(z), cmplx.Conj(z), cmplx.IsInf(z), cmplx.IsNaN(z))
		fmt.Printf("%.3f %.3f %.3f %.3f %.3f\n", cmplx.Tan(z), cmplx.Asin(z), cmplx.Atanh(z), cmplx.Log10(z), cmplx.Cosh(z))
	}
	fmt.Println(cmplx.Rect(2, math.Pi/3), cmplx.Pow(0, 0), cmplx.Pow(0, complex(-1, 0)), cmplx.Pow(2, 10))
	a, b := complex(1, 2), complex(3, -4)
	fmt.Println(a*b, a/b, a+b, a-b, real(a/b), imag(a*b), a == b, -a)
	fmt.Printf("%v %.2f %g %e\n", a/b, a/b, complex64(a/b), a*b)
	zero := complex(0, 0)
	fmt.Println(complex(1, 1)/zero, zero/zero)
}
