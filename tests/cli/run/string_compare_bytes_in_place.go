// string(b) == string(c) compares byte slices in place, as Go's compiler
// does: no string is allocated (bytes.Equal is written so and called in
// hot loops), and the result is the comparison's. (The bound on the bytes
// allocated leaves room for what ReadMemStats itself costs under g2n; the
// 300,000 conversions copied would take megabytes.)
package main

import (
	"bytes"
	"fmt"
	"runtime"
)

func main() {
	a := []byte("hello, world")
	b := []byte("hello, world")
	c := []byte("hello, there")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	equal, less := 0, 0
	for i := 0; i < 100000; i++ {
		if string(a) == string(b) {
			equal++
		}
		if string(c) < string(a[:len(a)-i%3]) {
			less++
		}
		if bytes.Equal(a[i%5:], c[i%5:]) || string(a) != "hello, world" {
			equal--
		}
	}
	runtime.ReadMemStats(&after)
	fmt.Println(equal, less, after.TotalAlloc-before.TotalAlloc < 100000)
	fmt.Println(string(a[:0]) == "", string([]byte(nil)) == string(a[:0]), string(a) > string(c), string(c) <= "hello", "hello, world" == string(b))
	// A conversion that is kept still copies.
	s := string(a)
	a[0] = 'j'
	fmt.Println(s, string(a), s == string(a))
}
