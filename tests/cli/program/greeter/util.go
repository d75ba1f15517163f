package main

import (
	"fmt"
	"strings"
)

// Initialised before main runs, from another file of the package.
var names = strings.Fields("gopher nanoservice mesh")

type greeter struct {
	greeting string
}

func (g greeter) greet(name string) string {
	return fmt.Sprintf("%s, %s!", g.greeting, strings.ToUpper(name))
}

func banner(n int) string {
	return strings.Repeat("=", n*4)
}
