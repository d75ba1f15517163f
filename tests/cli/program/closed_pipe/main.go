// Writes to a pipe whose reader is gone: an os.Pipe's write returns EPIPE,
// and a write to a closed standard output ends the program by SIGPIPE
// (tests/cli/first_hour.rs closes its stdout).
package main

import (
	"fmt"
	"os"
)

func main() {
	r, w, err := os.Pipe()
	if err != nil {
		panic(err)
	}
	r.Close()
	_, err = w.Write([]byte("x"))
	fmt.Fprintln(os.Stderr, "write to closed pipe:", err)
	for i := 0; i < 5; i++ {
		fmt.Println("line", i)
	}
	fmt.Fprintln(os.Stderr, "survived")
}
