// fmt.Print, Println and Printf return the number of bytes they wrote (and
// a nil error); so do Fprint* through an io.Writer.
package main

import (
	"fmt"
	"os"
)

func main() {
	n, err := fmt.Printf("%d\n", 12345)
	fmt.Println(n, err)
	n, _ = fmt.Println("héllo", 3, true)
	fmt.Println(n)
	n, _ = fmt.Print("a", "b", 1, 2, "\n")
	fmt.Println(n)
	n, err = fmt.Fprintf(os.Stdout, "%s=%v\n", "k", []int{1, 2})
	fmt.Println(n, err)
	n, _ = fmt.Fprintln(os.Stdout, "x")
	m, _ := fmt.Fprint(os.Stdout, "yz\n")
	fmt.Println(n, m)
	total := 0
	for i := 0; i < 3; i++ {
		c, _ := fmt.Printf("%*d|", i+1, i)
		total += c
	}
	fmt.Println()
	fmt.Println(total)
	xs := []interface{}{"spread", 1}
	k, _ := fmt.Println(xs...)
	fmt.Println(k)
}
