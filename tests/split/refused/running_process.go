package main

// A started child process that has not been waited for is found when the
// scope is encoded: it belongs to the process that started it, and its pid
// names nothing, or another process, elsewhere. So the flow stops at the
// hop with an error (tests/split.rs then kills the child by its pid).

import (
	"fmt"
	"os/exec"
)

func main() {
	cmd := exec.Command("sleep", "30")
	if err := cmd.Start(); err != nil {
		panic(err)
	}
	goToNetwork 'waiter'
	fmt.Println(cmd.Wait())
}
