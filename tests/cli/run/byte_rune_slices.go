package main

import "fmt"

func main() {
	s := "héllo"
	b := []byte(s)
	b[0] = 'H'
	fmt.Println(string(b), len(b), s)
	r := []rune(s)
	r[1] = 'e'
	fmt.Println(string(r), len(r))
	fmt.Println(b[:2], string(b[1:3]))
}
