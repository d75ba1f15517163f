package main

import (
	"fmt"
	"os"
)

func main() {
	g := greeter{greeting: "hello"}
	for _, name := range names {
		fmt.Println(g.greet(name))
	}
	fmt.Println(banner(len(names)))
	os.Exit(len(names))
}
