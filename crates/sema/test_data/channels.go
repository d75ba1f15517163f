// Goroutines and channels: make, send, receive with comma-ok, close, len
// and cap, select with send, receive and default, a go statement.
package main

func produce(out chan<- int, n int) {
	for i := 0; i < n; i++ {
		out <- i
	}
	close(out)
}

func main() {
	ch := make(chan int, 4)
	done := make(chan bool)
	go produce(ch, 3)
	go func() {
		done <- true
	}()
	total := 0
	for {
		v, ok := <-ch
		if !ok {
			break
		}
		total += v
	}
	<-done
	spare := make(chan string, 1)
	select {
	case spare <- "x":
		println("sent")
	case msg := <-spare:
		println(msg)
	default:
		println("none")
	}
	println(total, len(spare), cap(spare))
}
