// bytes.Compare (internal/bytealg.Compare, which g2n calls as the
// runtime's byte comparison, as amd64 Go runs assembly for it): -1, 0 or
// +1 on empty, nil, prefixes and bytes above 127, and fast enough for
// bytes' TestCompareBytes (a 99,999-byte slice compared at every offset).
package main

import (
	"bytes"
	"fmt"
	"strings"
)

func main() {
	pairs := [][2][]byte{
		{nil, nil}, {nil, []byte{}}, {[]byte("a"), nil}, {[]byte("abc"), []byte("abd")},
		{[]byte("abc"), []byte("ab")}, {[]byte{0x80}, []byte{0x7f}}, {[]byte{0xff, 0}, []byte{0xff}},
		{[]byte("same"), []byte("same")},
	}
	for _, p := range pairs {
		fmt.Print(bytes.Compare(p[0], p[1]), " ")
	}
	fmt.Println(strings.Compare("b", "a"), strings.Compare("", "a"))
	n := 99999
	a := make([]byte, n)
	b := make([]byte, n)
	for i := range a {
		a[i] = byte(1 + 31*i%254)
		b[i] = a[i]
	}
	bigger, smaller := 0, 0
	for k := 0; k < n; k++ {
		b[k] = a[k] - 1
		if bytes.Compare(a, b) == 1 {
			bigger++
		}
		b[k] = a[k] + 1
		if bytes.Compare(a, b) == -1 {
			smaller++
		}
		b[k] = a[k]
	}
	fmt.Println(bigger, smaller, bytes.Compare(a, b), bytes.Compare(a[:n-1], b))
}
