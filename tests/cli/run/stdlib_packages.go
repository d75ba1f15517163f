package main

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

func main() {
	s := fmt.Sprintf("%d-%s-%.2f", 42, "x", math.Pi)
	fmt.Println(s, len(s))
	fmt.Println(fmt.Sprint("a", 1, 2, "b"), fmt.Sprintln("x", 3) == "x 3\n")
	n, err := strconv.Atoi("123")
	fmt.Println(n+1, err == nil)
	_, err = strconv.Atoi("12x")
	fmt.Println(err != nil)
	fmt.Println(strconv.Itoa(-77) + "!")
	fmt.Println(strings.Repeat("ab", 3), strings.Contains("hello", "ell"), strings.Index("chicken", "ken"))
	fmt.Println(strings.ToUpper("héllo"), strings.Join(strings.Split("a,b,c", ","), "+"))
	fmt.Println(math.Sqrt(2), math.Inf(1), math.MaxInt64, math.Float64bits(1.0))
	r, size := utf8.DecodeRuneInString("héllo"[1:])
	fmt.Println(r, size, utf8.RuneCountInString("héllo"))
	xs := []int{5, 2, 8, 1}
	sort.Ints(xs)
	fmt.Println(xs[0], xs[1], xs[2], xs[3])
	e := errors.New("boom")
	fmt.Println(e != nil, strings.TrimSpace("  hi  ")+"|")
	f, _ := strconv.ParseFloat("2.5", 64)
	fmt.Println(f*2, strconv.FormatFloat(1.5, 'f', 3, 64))
}
