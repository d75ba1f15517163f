package main

// A host process that a flow first enters at a hop runs the library
// packages' initialisers before it (docs/split.md, "What each nanoservice
// runs"): regexp/syntax's `perlGroup` (a map literal, built by code at
// start-up) gives `\d` its meaning on the receiver too.

import (
	"fmt"
	"regexp"
)

func main() {
	text := "a1 b22 c333"
	goToNetwork 'match'
	fmt.Println(regexp.MustCompile(`\d+`).FindAllString(text, -1))
	goToNetwork 'again'
	fmt.Println(regexp.MustCompile(`\w\d`).ReplaceAllString(text, "#"))
}
