package main

import "fmt"

// Deployed split per line (tests/deploy.rs): v2 changes only the constant
// of line 11's Printf (a compatible replacement of line-11); v3 makes line 11
// also read `n` (line-11 then captures another variable: incompatible).
func main() {
	n := 6
	s := n * 7
	fmt.Printf("v2 %d\n", s)
	t := s + 1
	fmt.Printf("done %d\n", t)
}
