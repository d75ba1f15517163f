// compress/flate, gzip, zlib, lzw and bzip2 compiled from Go's source: a
// string gzipped (with a header's name and comment) and gunzipped, its
// sizes and bytes in hex; zlib and raw flate at several levels, round
// trips; lzw both bit orders; a bzip2 stream made by bzip2(1) decoded; a
// corrupt gzip stream's error.
package main

import (
	"bytes"
	"compress/bzip2"
	"compress/flate"
	"compress/gzip"
	"compress/lzw"
	"compress/zlib"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

func main() {
	text := strings.Repeat("hello, gzip world! ", 20) + "the end"
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Name = "hello.txt"
	w.Comment = "made by a test"
	if _, err := w.Write([]byte(text)); err != nil {
		panic(err)
	}
	if err := w.Close(); err != nil {
		panic(err)
	}
	fmt.Println("gzip:", len(text), "->", buf.Len())
	fmt.Println(hex.EncodeToString(buf.Bytes()))
	r, err := gzip.NewReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		panic(err)
	}
	out, err := io.ReadAll(r)
	fmt.Println(len(out), string(out) == text, err, r.Name, r.Comment)

	for _, level := range []int{flate.NoCompression, flate.BestSpeed, flate.DefaultCompression, flate.BestCompression, flate.HuffmanOnly} {
		var fb bytes.Buffer
		fw, err := flate.NewWriter(&fb, level)
		if err != nil {
			panic(err)
		}
		fw.Write([]byte(text))
		fw.Close()
		size := fb.Len()
		back, err := io.ReadAll(flate.NewReader(&fb))
		fmt.Println("flate level", level, size, string(back) == text, err)
	}

	var zb bytes.Buffer
	zw := zlib.NewWriter(&zb)
	zw.Write([]byte(text))
	zw.Close()
	fmt.Println("zlib:", hex.EncodeToString(zb.Bytes()))
	zr, err := zlib.NewReader(&zb)
	if err != nil {
		panic(err)
	}
	back, err := io.ReadAll(zr)
	fmt.Println(string(back) == text, err)

	for _, order := range []lzw.Order{lzw.LSB, lzw.MSB} {
		var lb bytes.Buffer
		lw := lzw.NewWriter(&lb, order, 8)
		lw.Write([]byte(text))
		lw.Close()
		fmt.Println("lzw:", order, lb.Len(), hex.EncodeToString(lb.Bytes()[:16]))
		back, err := io.ReadAll(lzw.NewReader(&lb, order, 8))
		fmt.Println(string(back) == text, err)
	}

	stream, _ := hex.DecodeString("425a6839314159265359994b579400000ed9800010600410001664d0902000223f554d18464da14c00134a76ea3c599697699523d96dfad094be612e0bb9229c28484ca5abca00")
	plain, err := io.ReadAll(bzip2.NewReader(bytes.NewReader(stream)))
	fmt.Printf("bzip2: %q %v\n", plain, err)

	corrupt := append([]byte(nil), buf.Bytes()...)
	corrupt[len(corrupt)-5] ^= 0xff
	cr, err := gzip.NewReader(bytes.NewReader(corrupt))
	if err != nil {
		panic(err)
	}
	_, err = io.ReadAll(cr)
	fmt.Println("corrupt:", err)
	_, err = gzip.NewReader(strings.NewReader("not gzip"))
	fmt.Println("not gzip:", err)
}
