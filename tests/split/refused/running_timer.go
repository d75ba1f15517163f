// A running timer is a goroutine parked on this process's scheduler until
// its deadline: it cannot follow the flow to another process, so that hop
// fails with the reason (inside one process the flow goes on beside it).
package main

import (
	"fmt"
	"time"
)

func main() {
	t := time.NewTimer(time.Hour)
	goToNetwork 'other'
	fmt.Println(t.Stop())
}
