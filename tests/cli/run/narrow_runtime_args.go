// Narrow arguments and results between generated code and the runtime:
// bools from comparisons, bytes, runes (negative too) and uint32s passed
// to and returned by runtime functions.
package main

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

func main() {
	m := map[string]int{}
	_, ok := m["x"]
	a, b := 5, 9
	fmt.Println(strconv.FormatBool(ok), strconv.FormatBool(a > b), strconv.FormatBool(a < b))
	var c byte = 'a' + byte(a)
	fmt.Println(strings.IndexByte("abcdefg", c), bytes.IndexByte([]byte("xyzf"), c))
	var neg rune = -1
	fmt.Println(unicode.IsDigit(neg), unicode.IsSpace(rune(a)+27), unicode.ToUpper(neg), unicode.ToLower('Q'))
	fmt.Println(strings.ContainsRune("a\uFFFDb", neg), utf8.ValidRune(neg), utf8.RuneLen(neg))
	invalid := string([]byte{97, 0xff})
	fmt.Println(strings.ContainsRune(invalid, utf8.RuneError), strings.ContainsRune(invalid, 0xD800), strings.ContainsRune("ab", utf8.RuneError))
	var bits uint32 = 0xC0490FDB
	f := math.Float32frombits(bits)
	fmt.Println(f, math.Float32bits(f) == bits, math.Float32bits(-f))
	fmt.Println(strconv.FormatFloat(2.5, 'e'+byte(b-9), 3, 64))
	fmt.Println(math.IsNaN(math.NaN()), math.Signbit(1), math.IsInf(math.Inf(-1), -1))
	fmt.Println([]byte(string([]rune{'h', neg, 'i'})), string([]byte{104, 105}))
	println(ok, a > b)
}
