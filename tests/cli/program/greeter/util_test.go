package main

// go run and go build leave tests out; this file would not compile as part
// of the program (g2n has no "testing" package, and banner is redeclared).

import "testing"

func banner(t *testing.T) {}
