// Untyped integer constants are exact beyond 128 bits: literals, + - * /
// % & | ^ &^, shifts, and conversions to floating point (issue 18).
package main

import "fmt"

const a = 1 << 100
const b = a * a >> 195
const huge = 1 << 200
const back = huge >> 190
const lit = 0x1_0000_0000_0000_0000_0000_0000_0000_0000_0000
const dec = 340282366920938463463374607431768211457

func main() {
	fmt.Println(b, back, 1.0/(1<<149), float64(huge), huge/a/a)
	fmt.Println(-huge>>195, ^huge>>198, huge%7, (huge-1)&0xff, 1e40 > huge, huge&^(huge-1) == huge)
	const f = 1 << 130.0
	var x uint64 = a >> 40
	fmt.Println(x, f/(1<<128), lit>>150, dec%1000, float64(dec))
	var small int64 = (a*a - a*a + 7) * 6
	fmt.Println(small, a*3/a, -a/(a/2))
}
