package main

import (
	"bufio"
	"fmt"
	"os"
)

// Fixture of tests/hygiene.rs: the origin waits for a line on stdin while the
// hosts of 'middle' and 'last' are up, so the test can end g2n meanwhile.
func main() {
	in := bufio.NewScanner(os.Stdin)
	line := ""
	if in.Scan() {
		line = in.Text()
	}
	goToNetwork 'middle'
	fmt.Println("middle got", line)
	goToNetwork 'last'
	fmt.Println("last got", line)
}
