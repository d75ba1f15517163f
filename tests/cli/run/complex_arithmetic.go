package main

import (
	"fmt"
	"math"
)

type Z complex128

func div(a, b complex128) complex128 { return a / b }

func div64(a, b complex64) complex64 { return a / b }

func main() {
	inf := math.Inf(1)
	nan := math.NaN()
	zero := 0.0
	negz := math.Copysign(0, -1)
	// Division: ordinary, by zero, with infinities and NaNs (Go's complex128div).
	nums := []complex128{1 + 2i, -3 + 4i, complex(inf, 1), complex(1, inf), complex(nan, 1), 0, complex(negz, zero), complex(inf, inf)}
	dens := []complex128{3 - 4i, 0, complex(negz, 0), complex(inf, 2), complex(2, -inf), complex(nan, nan), 1e300 + 1e300i, 1e-300 - 1e-310i}
	for _, n := range nums {
		for _, d := range dens {
			fmt.Println(n, "/", d, "=", div(n, d))
		}
	}
	fmt.Println(div64(1+2i, 3-4i), div64(1, 0), div64(complex64(complex(float32(inf), 0)), 2))
	// Products, sums, negation and unary plus.
	a, b := 1.5+2.5i, -0.5+4i
	fmt.Println(a+b, a-b, a*b, -a, +b, a*a*a)
	var c64 complex64 = 1.1 + 2.2i
	fmt.Println(c64*c64, c64+c64, c64/3, complex128(c64), complex64(a))
	// Op-assignment and increment.
	z := 1 + 1i
	z += 2
	z *= 1i
	z -= 0.5i
	z /= 2
	z++
	fmt.Println(z, real(z), imag(z))
	// Comparisons: NaN is never equal, -0 equals +0.
	n := complex(nan, 0)
	fmt.Println(n == n, n != n, complex(negz, 0) == 0, a == 1.5+2.5i, a != b)
	// Named complex types and conversions.
	var t Z = 3 + 4i
	t = t * t
	fmt.Println(t, complex128(t), Z(a), real(t))
	fmt.Printf("%T %T %T %T\n", t, c64, real(c64), imag(a))
	// Constants: exact arithmetic, typed and untyped.
	const k = (1 + 2i) * (3 - 1i) / 5i
	const r = real(k) + imag(k)
	var f float64 = 2 + 0i
	var i int = 3i * 1i / -1
	fmt.Println(k, r, f, i, 1e300i*1e300i/1e300, real(1i*1i))
	fmt.Println(complex(1, 2) == 1+2i, complex(float32(1), 2), imag(0x10i), 0o17i, 0b11i, 1_0.5i, 0x1p-2i, 012i)
	var x float32 = 1.5
	fmt.Println(complex(x, x*2), complex(x, 3))
}
