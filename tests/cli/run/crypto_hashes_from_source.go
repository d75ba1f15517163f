// crypto/sha1, sha256 and sha512 (with crypto/internal/boring's pure-Go
// files), crypto/subtle, hash/crc64 and hash/adler32 compiled from Go's
// source: every digest of the same data at once and streamed in odd-sized
// pieces, the digests' sizes and block sizes, a saved and restored state,
// the hashes registered with crypto; g2n's crypto/rand (getrandom): byte
// counts, Int below its bound, Prime's bit length.
package main

import (
	"crypto"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding"
	"fmt"
	"hash"
	"hash/adler32"
	"hash/crc64"
	"math/big"
	"strings"
)

func main() {
	data := []byte(strings.Repeat("The quick brown fox jumps over the lazy dog. ", 50))
	fmt.Printf("%x\n", sha1.Sum(data))
	fmt.Printf("%x\n", sha256.Sum224(data))
	fmt.Printf("%x\n", sha256.Sum256(data))
	fmt.Printf("%x\n", sha512.Sum384(data))
	fmt.Printf("%x\n", sha512.Sum512(data))
	fmt.Printf("%x\n", sha512.Sum512_224(data))
	fmt.Printf("%x\n", sha512.Sum512_256(data))
	hashes := []struct {
		name string
		new  func() hash.Hash
	}{
		{"sha1", sha1.New}, {"sha224", sha256.New224}, {"sha256", sha256.New},
		{"sha384", sha512.New384}, {"sha512", sha512.New},
		{"crc64", func() hash.Hash { return crc64.New(crc64.MakeTable(crc64.ISO)) }},
		{"adler32", func() hash.Hash { return adler32.New() }},
	}
	for _, h := range hashes {
		d := h.new()
		for i := 0; i < len(data); i += 7 {
			end := i + 7
			if end > len(data) {
				end = len(data)
			}
			d.Write(data[i:end])
		}
		fmt.Printf("%s %d %d %x\n", h.name, d.Size(), d.BlockSize(), d.Sum(nil))
	}
	half := sha256.New()
	half.Write(data[:100])
	state, err := half.(encoding.BinaryMarshaler).MarshalBinary()
	fmt.Println(len(state), err)
	resumed := sha256.New()
	err = resumed.(encoding.BinaryUnmarshaler).UnmarshalBinary(state)
	resumed.Write(data[100:])
	fmt.Printf("%x %v\n", resumed.Sum(nil), err)
	fmt.Println(crypto.SHA1.Available(), crypto.SHA256.Available(), crypto.SHA512.Available(), crypto.SHA3_256.Available())
	fmt.Println(subtle.ConstantTimeCompare([]byte("abc"), []byte("abc")), subtle.ConstantTimeCompare([]byte("abc"), []byte("abd")), subtle.ConstantTimeByteEq(3, 3))
	fmt.Printf("%016x %08x\n", crc64.Checksum(data, crc64.MakeTable(crc64.ECMA)), adler32.Checksum(data))

	b := make([]byte, 100)
	n, err := rand.Read(b)
	fmt.Println(n, err)
	max := big.NewInt(1000)
	ok := true
	for i := 0; i < 50; i++ {
		v, err := rand.Int(rand.Reader, max)
		if err != nil || v.Sign() < 0 || v.Cmp(max) >= 0 {
			ok = false
		}
	}
	fmt.Println("Int in range:", ok)
	p, err := rand.Prime(rand.Reader, 64)
	fmt.Println(p.BitLen(), p.ProbablyPrime(20), err)
	_, err = rand.Prime(rand.Reader, 1)
	fmt.Println(err)
}
