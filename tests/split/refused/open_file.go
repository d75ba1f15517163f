package main

// An open file other than the standard streams is found when the scope is
// encoded: its descriptor is this process's, so the flow stops at the hop
// with an error.

import (
	"fmt"
	"os"
)

func main() {
	f, err := os.CreateTemp("", "g2n-open-file-*")
	if err != nil {
		panic(err)
	}
	defer os.Remove(f.Name())
	goToNetwork 'writer'
	fmt.Fprintln(f, "after the hop")
}
