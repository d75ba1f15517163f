// math and math/rand, compiled from Go's source: seeded sources give Go's
// numbers, the global source is seeded with 1 until Seed is called (Go
// 1.19), and math's functions agree with Go bit for bit (printed shortest,
// which round-trips). Expected output from go run (Go 1.19).
package main

import (
	"fmt"
	"math"
	"math/rand"
)

func randomNumbers() {
	r := rand.New(rand.NewSource(1))
	fmt.Println(r.Intn(100), r.Intn(100), r.Int63(), r.Float64(), r.Perm(5), r.NormFloat64(), r.ExpFloat64(), r.Uint32(), r.Int31n(10))
	fmt.Println(rand.Intn(100), rand.Intn(1000), rand.Float64())
	rand.Seed(42)
	fmt.Println(rand.Intn(100), rand.Int())
	s := []int{1, 2, 3, 4, 5, 6}
	rand.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
	fmt.Println(s)
	z := rand.NewZipf(r, 1.5, 2, 100)
	fmt.Println(z.Uint64(), z.Uint64())
	b := make([]byte, 5)
	r.Read(b)
	fmt.Println(b)
}

func mathFunctions() {
	fmt.Println(math.Sqrt(2), math.Floor(-1.5), math.Abs(-3), math.Exp(1), math.Log(10), math.Sin(1), math.Pow(2, 0.5), math.Atan2(1, 2))
	fmt.Println(math.Float64bits(1.5), math.Float32frombits(0x3fc00000), math.NaN(), math.Inf(-1), math.MaxInt64, math.Pi)
	fmt.Println(math.Gamma(5.5), math.Erf(0.3), math.Cbrt(27), math.Hypot(3, 4), math.Mod(7, 3), math.Log1p(1e-10), math.Expm1(1e-5))
	for _, x := range []float64{0.1, 0.7, 1.3, 2.9, 10.5, 100.25, 1e-300, 1e300} {
		fmt.Println(math.Exp(x), math.Log(x), math.Sin(x), math.Cos(x), math.Tan(x), math.Sqrt(x), math.Log2(x), math.Log10(x), math.Atan(x), math.Asin(x/200), math.Sinh(x/100))
	}
}

func main() {
	randomNumbers()
	mathFunctions()
}
