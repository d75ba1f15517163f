// encoding/binary and encoding/base64 compiled from Go's source: byte
// orders, varints, Read and Write of fixed-size values, slices and
// structs (binary's reflect-based path) with Size, and base64's four
// encodings, padding choices, streaming encoder and decoder, and
// CorruptInputError.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
)

type header struct {
	Magic   [4]byte
	Version uint16
	Flags   int16
	Length  uint32
	Scale   float64
	Ok      bool
	_       [3]byte
	Offsets [2]int64
}

func main() {
	b := make([]byte, 8)
	binary.BigEndian.PutUint32(b, 0xdeadbeef)
	binary.LittleEndian.PutUint16(b[4:], 0x1234)
	fmt.Printf("% x %x %x %v %v\n", b, binary.BigEndian.Uint32(b), binary.LittleEndian.Uint16(b[4:]), binary.BigEndian, binary.LittleEndian)
	binary.LittleEndian.PutUint64(b, math.Float64bits(-2.5))
	fmt.Printf("% x %v\n", b, math.Float64frombits(binary.LittleEndian.Uint64(b)))

	buf := make([]byte, binary.MaxVarintLen64)
	for _, v := range []int64{0, 1, -1, 63, -64, 64, 300, math.MaxInt64, math.MinInt64} {
		n := binary.PutVarint(buf, v)
		got, m := binary.Varint(buf[:n])
		fmt.Printf("%d: % x -> %d %d\n", v, buf[:n], got, m)
	}
	n := binary.PutUvarint(buf, 1<<63)
	u, m := binary.Uvarint(buf[:n])
	fmt.Println(n, u, m)
	_, m = binary.Uvarint([]byte{0x80, 0x80})
	fmt.Println("truncated", m)
	_, m = binary.Uvarint(bytes.Repeat([]byte{0xff}, 11))
	fmt.Println("overflow", m)
	v, err := binary.ReadUvarint(bytes.NewReader([]byte{0xac, 0x02}))
	fmt.Println(v, err)
	_, err = binary.ReadVarint(bytes.NewReader([]byte{0x80}))
	fmt.Println(err, errors.Is(err, io.ErrUnexpectedEOF))
	fmt.Println(binary.AppendUvarint([]byte{1}, 300), binary.AppendVarint(nil, -3))

	h := header{Magic: [4]byte{'G', '2', 'N', 0}, Version: 3, Flags: -2, Length: 1 << 20, Scale: 0.5, Ok: true, Offsets: [2]int64{-1, 1 << 40}}
	var out bytes.Buffer
	err = binary.Write(&out, binary.BigEndian, h)
	fmt.Println(err, binary.Size(h), out.Len())
	fmt.Printf("% x\n", out.Bytes())
	var back header
	err = binary.Read(bytes.NewReader(out.Bytes()), binary.BigEndian, &back)
	fmt.Println(err, back == h, back.Scale, back.Offsets)

	out.Reset()
	binary.Write(&out, binary.LittleEndian, []uint16{1, 2, 0xffff})
	binary.Write(&out, binary.LittleEndian, int32(-7))
	binary.Write(&out, binary.LittleEndian, []bool{true, false})
	fmt.Printf("% x\n", out.Bytes())
	nums := make([]uint16, 3)
	var i32 int32
	r := bytes.NewReader(out.Bytes())
	fmt.Println(binary.Read(r, binary.LittleEndian, nums), binary.Read(r, binary.LittleEndian, &i32), nums, i32)
	fmt.Println(binary.Read(r, binary.LittleEndian, &i32))
	fmt.Println(binary.Write(&out, binary.BigEndian, 42))
	fmt.Println(binary.Size(42), binary.Size([]int32{1, 2}), binary.Size(&h))

	data := []byte("any + old & data?\xfb\xff\xbf")
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		s := enc.EncodeToString(data)
		dec, err := enc.DecodeString(s)
		fmt.Println(s, enc.EncodedLen(len(data)), enc.DecodedLen(len(s)), bytes.Equal(dec, data), err)
	}
	custom := base64.NewEncoding("ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlkjihgfedcba9876543210+/").WithPadding('*')
	fmt.Println(custom.EncodeToString([]byte("hi")), base64.StdEncoding.Strict().EncodeToString([]byte{0xfb}))
	for _, bad := range []string{"aGVsbG8", "aGVsbG8=x", "aGV$bG8=", "aGVsbG8=\n", "aGVs\r\nbG8="} {
		dec, err := base64.StdEncoding.DecodeString(bad)
		var corrupt base64.CorruptInputError
		fmt.Printf("%q %q %v %v\n", bad, dec, err, errors.As(err, &corrupt))
	}
	_, err = base64.StdEncoding.Strict().DecodeString("YR==")
	fmt.Println("strict:", err)

	var sb strings.Builder
	w := base64.NewEncoder(base64.StdEncoding, &sb)
	w.Write([]byte("stream"))
	w.Write([]byte("ed in "))
	w.Write([]byte("pieces"))
	w.Close()
	fmt.Println(sb.String())
	all, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, strings.NewReader("c3RyZWFt\nZWQgaW4g\r\ncGllY2Vz")))
	fmt.Printf("%q %v\n", all, err)
}
