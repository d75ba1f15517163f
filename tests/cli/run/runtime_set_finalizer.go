// runtime.SetFinalizer of a value that is not a pointer is Go's fatal
// error: no recover stops it, exit code 2 (the first stderr line is checked
// in tests/cli.rs). Expected output from go run (Go 1.19).
package main

import (
	"fmt"
	"runtime"
)

func main() {
	defer func() { fmt.Println("recovered", recover()) }()
	x := 1
	runtime.SetFinalizer(&x, func(*int) {})
	fmt.Println("before")
	runtime.SetFinalizer(x, nil)
	fmt.Println("after")
}
