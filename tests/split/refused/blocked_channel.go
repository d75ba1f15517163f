// A goroutine blocked on a channel stays in its process, so the channel
// cannot follow the flow to another process: that hop fails with the
// reason, nothing is lost silently. (Inside one process the flow goes on
// beside the goroutine: tests/split/shared.)
package main

import "fmt"

func main() {
	messages := make(chan string)
	go func() { messages <- "ping" }()
	goToNetwork 'receiver'
	fmt.Println(<-messages)
}
