// A running timer is a goroutine parked on this process's scheduler until
// its deadline: it cannot follow the flow, so the hop fails with the reason.
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
