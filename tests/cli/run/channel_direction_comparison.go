// A comparison needs either operand assignable to the other's type: a
// bidirectional channel compares with a receive-only or send-only one of
// the same element type (context's cancelCtx does so).
package main

import "fmt"

var closed = make(chan struct{})

func main() {
	close(closed)
	var done <-chan struct{} = closed
	fmt.Println(done == closed, closed == done)
	other := make(chan struct{})
	var send chan<- struct{} = other
	fmt.Println(send == other, other != send, done == nil)
	var none <-chan int
	fmt.Println(none == nil)
}
