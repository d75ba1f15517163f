// range over a string decodes invalid UTF-8 as U+FFFD one byte at a time
// (the index advances by 1, not by U+FFFD's size); short and overlong
// sequences and surrogates too.
package main

import "fmt"

func main() {
	for _, s := range []string{
		string([]byte{'a', 0xff, 'b'}),
		string([]byte{0xe2, 0x82, 'x'}),
		string([]byte{0xc0, 0xaf, 0xed, 0xa0, 0x80}),
		string([]byte{0xf0, 0x9f, 0x98, 0x80, 0xf0, 0x9f}),
	} {
		for i, r := range s {
			fmt.Print(i, ":", r, " ")
		}
		n := 0
		for range s {
			n++
		}
		fmt.Println(len(s), n, []rune(s))
	}
}
