// math/big compiled from Go's source: Int, Rat and Float arithmetic
// (Exp, ModInverse, GCD, Sqrt, ProbablyPrime, Binomial), their Format
// methods reached through fmt (verbs, flags, width, precision, explicit
// operand indexes, `*` widths, Print's spacing, a missing and an extra
// operand), and their Scan methods reached through fmt.Sscan.
package main

import (
	"fmt"
	"math/big"
)

func main() {
	a, _ := new(big.Int).SetString("123456789012345678901234567890", 10)
	b := big.NewInt(-987654321)
	fmt.Println(new(big.Int).Mul(a, b), new(big.Int).Add(a, b))
	q, r := new(big.Int).QuoRem(a, b, new(big.Int))
	fmt.Println(q, r)
	fmt.Println(new(big.Int).Exp(big.NewInt(3), big.NewInt(100), nil))
	fmt.Println(new(big.Int).Exp(big.NewInt(3), big.NewInt(100), big.NewInt(1000000007)))
	fmt.Println(new(big.Int).ModInverse(big.NewInt(3), big.NewInt(11)))
	fmt.Println(new(big.Int).GCD(nil, nil, big.NewInt(462), big.NewInt(1071)))
	fmt.Println(new(big.Int).Sqrt(a), new(big.Int).Binomial(50, 25))
	m127 := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 127), big.NewInt(1))
	fmt.Println(m127.ProbablyPrime(20), new(big.Int).Add(m127, big.NewInt(2)).ProbablyPrime(20))

	fmt.Printf("%d|%x|%X|%o|%b|%#x|%+d\n", a, a, a, big.NewInt(64), big.NewInt(5), a, a)
	fmt.Printf("[%40d] [%-40d] [%040d]\n", a, a, b)
	fmt.Printf("[%*d] [%[1]v] [%s]\n", 12, big.NewInt(42), "str")
	fmt.Printf("%[2]x %[1]d %d\n", big.NewInt(255), big.NewInt(4095), big.NewInt(7))
	fmt.Printf("%v %d\n", big.NewInt(1))
	fmt.Printf("%v\n", big.NewInt(1), 2)
	fmt.Print(big.NewInt(1), big.NewInt(2), "s", 3, "\n")
	s := fmt.Sprint(big.NewInt(10), 11, "x", big.NewInt(12))
	fmt.Println(s, len(s))
	fmt.Println(fmt.Sprintf("%T %p", big.NewInt(1), nil))
	var nilInt *big.Int
	fmt.Println(nilInt)

	x := new(big.Rat).SetFrac64(22, 7)
	y := big.NewRat(-3, 14)
	fmt.Println(new(big.Rat).Add(x, y), new(big.Rat).Mul(x, y), x.FloatString(10))

	f := new(big.Float).SetPrec(200)
	f.SetInt64(2)
	f.Sqrt(f)
	fmt.Println(f.Text('g', 50))
	fmt.Printf("%.30f %10.3e %v\n", f, f, big.NewFloat(1.5))
	fmt.Println(big.NewFloat(0.1), new(big.Float).Quo(big.NewFloat(1), big.NewFloat(3)))

	var i big.Int
	var rat big.Rat
	var fl big.Float
	var word string
	var n int
	count, err := fmt.Sscan("18446744073709551617 3/9 1.25e3 tail -42", &i, &rat, &fl, &word, &n)
	fmt.Println(count, err, &i, &rat, &fl, word, n)
	count, err = fmt.Sscan("0x1F", &n)
	fmt.Println(count, err, n)
	count, err = fmt.Sscan("", &i)
	fmt.Println(count, err)
	count, err = fmt.Sscan("zz", &i)
	fmt.Println(count, err)
}
