// hash/fnv and crypto/md5 compiled from Go's source: every FNV variant
// (32, 64 and 128 bits, 1 and 1a), md5.Sum and a streamed digest of the
// same data in odd-sized pieces, a saved and restored digest state, and
// md5 registered with crypto (crypto.MD5.Available).
package main

import (
	"crypto"
	"crypto/md5"
	"encoding"
	"fmt"
	"hash"
	"hash/fnv"
	"io"
	"strings"
)

func main() {
	hashes := []struct {
		name string
		h    hash.Hash
	}{
		{"fnv32", fnv.New32()}, {"fnv32a", fnv.New32a()},
		{"fnv64", fnv.New64()}, {"fnv64a", fnv.New64a()},
		{"fnv128", fnv.New128()}, {"fnv128a", fnv.New128a()},
	}
	for _, e := range hashes {
		io.WriteString(e.h, "hello, ")
		io.WriteString(e.h, "world")
		fmt.Printf("%s %x %d %d\n", e.name, e.h.Sum(nil), e.h.Size(), e.h.BlockSize())
	}
	h32 := fnv.New32a()
	h32.Write([]byte("g2n"))
	fmt.Println(h32.Sum32())
	state, err := h32.(encoding.BinaryMarshaler).MarshalBinary()
	fmt.Printf("%x %v\n", state, err)

	data := []byte(strings.Repeat("The quick brown fox jumps over the lazy dog. ", 7))
	fmt.Printf("%x\n", md5.Sum(nil))
	fmt.Printf("%x\n", md5.Sum(data))
	d := md5.New()
	for i := 0; i < len(data); i += 13 {
		end := i + 13
		if end > len(data) {
			end = len(data)
		}
		d.Write(data[i:end])
		if i == 130 {
			saved, _ := d.(encoding.BinaryMarshaler).MarshalBinary()
			r := md5.New()
			err := r.(encoding.BinaryUnmarshaler).UnmarshalBinary(saved)
			r.Write(data[end:])
			fmt.Printf("restored %x %v\n", r.Sum(nil), err)
		}
	}
	fmt.Printf("%x %d %d\n", d.Sum([]byte("prefix:")), d.Size(), d.BlockSize())
	fmt.Println(crypto.MD5.Available(), crypto.SHA256.Available())
	fmt.Printf("%x\n", crypto.MD5.New().Sum(nil))
	err = md5.New().(encoding.BinaryUnmarshaler).UnmarshalBinary([]byte("md5\x01short"))
	fmt.Println(err)
}
