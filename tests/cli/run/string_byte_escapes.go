// Byte escapes in string literals are raw bytes, even where they do not form
// UTF-8 ("\377", "\xff\x80"): issue 18.
package main

import "fmt"

func main() {
	a := "\377"
	b := "\xff\x80"
	fmt.Println(len(a), a[0], len(b))
	c := 'x'
	_ = c
	d := "é\u00e9\xc3\xa9"
	fmt.Println(len(d), d == "éé\u00e9")
	for i, r := range b {
		fmt.Println(i, r)
	}
	e := []byte("\x80\x00\xfe")
	fmt.Println(e)
	const k = "\xff"
	fmt.Println(len(k), k[0])
	fmt.Printf("%q %x\n", a+b, "\x01\xfa")
	fmt.Println(`\xff` + "\101")
}
