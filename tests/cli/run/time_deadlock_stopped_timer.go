// A stopped timer never fires: waiting on its channel is a deadlock, which
// the runtime reports once no timer is left to wait for.
package main

import (
	"fmt"
	"time"
)

func main() {
	t := time.NewTimer(20 * time.Millisecond)
	time.Sleep(5 * time.Millisecond)
	fmt.Println("stopped:", t.Stop())
	<-t.C
}
