// strconv.FormatFloat honours bitSize 32: the value is rounded to float32
// and printed with float32's shortest digits.
package main

import (
	"fmt"
	"strconv"
)

func main() {
	x := float32(0.1)
	fmt.Println(strconv.FormatFloat(float64(x), 'g', -1, 32))
	fmt.Println(strconv.FormatFloat(float64(x), 'g', -1, 64))
	fmt.Println(strconv.FormatFloat(1.0/3, 'f', -1, 32), strconv.FormatFloat(1.0/3, 'e', -1, 32))
	fmt.Println(strconv.FormatFloat(16777217, 'f', -1, 32), strconv.FormatFloat(3.4e38, 'g', -1, 32))
	fmt.Println(strconv.FormatFloat(1e40, 'g', -1, 32), strconv.FormatFloat(-0.000012345678, 'G', 4, 32))
	fmt.Println(strconv.FormatFloat(float64(float32(2.5)), 'b', -1, 32), strconv.FormatFloat(0.3, 'f', 10, 32))
}
