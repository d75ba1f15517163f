// hash, hash/adler32 and hash/crc32 compiled from Go's source, with the
// encoding interfaces: checksums of known inputs, a hash.Hash32 written
// in pieces, Sum appending to a slice, the IEEE, Castagnoli and Koopman
// tables, and a digest's state saved with MarshalBinary and restored.
package main

import (
	"encoding"
	"fmt"
	"hash"
	"hash/adler32"
	"hash/crc32"
	"io"
	"strconv"
	"strings"
)

// celsius implements encoding.TextMarshaler and TextUnmarshaler.
type celsius float64

func (c celsius) MarshalText() ([]byte, error) { return []byte(fmt.Sprintf("%.1fC", float64(c))), nil }

func (c *celsius) UnmarshalText(b []byte) error {
	v, err := strconv.ParseFloat(strings.TrimSuffix(string(b), "C"), 64)
	if err != nil {
		return err
	}
	*c = celsius(v)
	return nil
}

func describe(name string, h hash.Hash32) {
	io.WriteString(h, "The quick brown fox ")
	h.Write([]byte("jumps over the lazy dog"))
	fmt.Printf("%s: %08x size=%d block=%d sum=%x\n", name, h.Sum32(), h.Size(), h.BlockSize(), h.Sum([]byte{0xAA}))
}

func main() {
	var m encoding.TextMarshaler = celsius(21.5)
	text, _ := m.MarshalText()
	var back celsius
	var u encoding.TextUnmarshaler = &back
	err := u.UnmarshalText(text)
	fmt.Println(string(text), back, err)

	data := []byte("Wikipedia")
	fmt.Printf("adler32 %08x\n", adler32.Checksum(data))
	fmt.Printf("crc32 IEEE %08x\n", crc32.ChecksumIEEE(data))
	fmt.Printf("crc32 Castagnoli %08x\n", crc32.Checksum(data, crc32.MakeTable(crc32.Castagnoli)))
	fmt.Printf("crc32 Koopman %08x\n", crc32.Checksum(data, crc32.MakeTable(crc32.Koopman)))
	fmt.Printf("crc32 Update %08x\n", crc32.Update(crc32.ChecksumIEEE([]byte("Wiki")), crc32.IEEETable, []byte("pedia")))
	long := []byte(strings.Repeat("0123456789abcdef", 300))
	fmt.Printf("long: adler32 %08x crc32 %08x castagnoli %08x\n", adler32.Checksum(long), crc32.ChecksumIEEE(long), crc32.Checksum(long, crc32.MakeTable(crc32.Castagnoli)))

	describe("adler32", adler32.New())
	describe("crc32", crc32.NewIEEE())
	describe("castagnoli", crc32.New(crc32.MakeTable(crc32.Castagnoli)))

	var h hash.Hash = crc32.NewIEEE()
	io.WriteString(h, "first half, ")
	state, err := h.(encoding.BinaryMarshaler).MarshalBinary()
	fmt.Printf("state %x %v\n", state, err)
	h2 := crc32.NewIEEE()
	err = h2.(encoding.BinaryUnmarshaler).UnmarshalBinary(state)
	io.WriteString(h, "second half")
	io.WriteString(h2, "second half")
	fmt.Printf("restored %v %x %x\n", err, h.Sum(nil), h2.Sum(nil))
	err = adler32.New().(encoding.BinaryUnmarshaler).UnmarshalBinary([]byte("bad"))
	fmt.Println(err)
	h.Reset()
	fmt.Printf("reset %08x\n", h.(hash.Hash32).Sum32())
}
