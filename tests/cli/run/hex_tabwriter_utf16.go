// encoding/hex, text/tabwriter and unicode/utf16 compiled from Go's
// source: encoding and decoding with their errors, Dump and a Dumper
// written in pieces, aligned columns with padding, flags and escapes,
// and UTF-16 with surrogate pairs.
package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"unicode/utf16"
)

func main() {
	src := []byte("Hello Gopher!\x00\xff")
	enc := hex.EncodeToString(src)
	fmt.Println(enc, hex.EncodedLen(len(src)), hex.DecodedLen(len(enc)))
	dec, err := hex.DecodeString("48656C6c6f")
	fmt.Printf("%q %v\n", dec, err)
	for _, bad := range []string{"4865z", "486", "zz"} {
		_, err := hex.DecodeString(bad)
		fmt.Println(bad, err, errors.Is(err, hex.ErrLength))
	}
	dst := make([]byte, 4)
	n, err := hex.Decode(dst, []byte("c0ffee"))
	fmt.Println(n, dst[:n], err)
	fmt.Print(hex.Dump([]byte(strings.Repeat("g2n dumps ~", 4))))
	d := hex.Dumper(os.Stdout)
	d.Write([]byte("abc"))
	d.Write([]byte("defghijklmnopqrstu"))
	d.Close()

	w := tabwriter.NewWriter(os.Stdout, 0, 8, 1, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintln(w, "a\tbbb\tcc\t")
	fmt.Fprintln(w, "aaaa\tb\tc\t")
	fmt.Fprintln(w, "aa\t\tcccccc\t")
	w.Flush()
	w = tabwriter.NewWriter(os.Stdout, 5, 0, 2, '.', tabwriter.FilterHTML|tabwriter.StripEscape)
	fmt.Fprintln(w, "name\t<b>size</b>\t&amp;\xffescaped\ttab\xff")
	fmt.Fprintln(w, "x\t1\t2")
	fmt.Fprintln(w, "longer name\t12345\t3")
	fmt.Fprintln(w, "")
	fmt.Fprintln(w, "new\tblock")
	w.Flush()
	w = tabwriter.NewWriter(os.Stdout, 0, 4, 0, '\t', tabwriter.TabIndent|tabwriter.DiscardEmptyColumns)
	fmt.Fprintf(w, "\t\tindented\tx\n\t\tmore\ty\n")
	w.Flush()

	units := utf16.Encode([]rune("a€𝄞\U0010FFFF\uFFFD"))
	fmt.Printf("%x\n", units)
	fmt.Println(string(utf16.Decode(units)), string(utf16.Decode([]uint16{0xd800, 'x', 0xdc00})))
	r1, r2 := utf16.EncodeRune('𝄞')
	fmt.Printf("%x %x %c %v %v\n", r1, r2, utf16.DecodeRune(r1, r2), utf16.IsSurrogate(r1), utf16.IsSurrogate('a'))
	fmt.Printf("%x\n", utf16.DecodeRune('a', 'b'))
}
