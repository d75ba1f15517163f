// A goroutine blocked on a channel stays in its process, so the channel
// cannot follow the flow: the hop fails with the reason, nothing is lost
// silently.
package main

import "fmt"

func main() {
	messages := make(chan string)
	go func() { messages <- "ping" }()
	goToNetwork 'receiver'
	fmt.Println(<-messages)
}
