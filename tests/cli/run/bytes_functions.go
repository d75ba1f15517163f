package main

import (
	"bytes"
	"fmt"
)

func main() {
	a, b := []byte("abc"), []byte("abd")
	fmt.Println(bytes.Compare(a, b), bytes.Compare(b, a), bytes.Compare(nil, nil), bytes.Equal(a, a[:]), bytes.Equal(nil, []byte{}))
	fmt.Println(bytes.IndexByte(a, 'c'), bytes.IndexByte(a, 'z'), bytes.Index(a, []byte("bc")), bytes.Contains(b, []byte("bd")))
	fmt.Println(bytes.HasPrefix(a, []byte("ab")), bytes.HasSuffix(a, []byte("x")))
}
