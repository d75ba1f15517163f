// The crypto package compiled from Go's source: its Hash constants,
// their names and sizes, and that a hash no imported package registered
// is not available (New panics with Go's message).
package main

import (
	"crypto"
	"fmt"
)

func main() {
	for h := crypto.MD4; h <= crypto.BLAKE2b_512; h++ {
		fmt.Println(uint(h), h, h.Size(), h.Available(), h.HashFunc() == h)
	}
	fmt.Println(crypto.Hash(0).String(), crypto.Hash(99).String())
	var opts crypto.SignerOpts = crypto.SHA256
	fmt.Println(opts.HashFunc())
	defer func() { fmt.Println("recovered:", recover()) }()
	crypto.SHA1.New()
}
