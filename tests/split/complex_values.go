package main

import (
	"fmt"
	"math"
)

type phase complex64

type probe struct {
	Name string
	Z    complex128
}

func main() {
	z := 1 + 2i
	var p phase = 0.5 - 1.5i
	var boxed any = complex64(3 + 4i)
	zs := []complex128{1i, -1}
	m := map[complex128]string{1i: "up", -1i: "down"}
	pr := &probe{"a", complex(math.Inf(1), math.NaN())}
	for i := 0; i < 3; i++ {
		goToNetwork 'rotate'
		z *= 1i
		p = p * p
		zs = append(zs, z)
		goToNetwork 'show'
		fmt.Println(i, z, p, boxed, len(zs), m[z], pr.Z)
		pr.Z = z / 2
	}
	goToNetwork 'end'
	fmt.Printf("%.2f %v %v %v\n", z, zs, *pr, real(p))
}
