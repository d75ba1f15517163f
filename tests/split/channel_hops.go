// Channels travel with their buffered values and closed state when no other
// goroutine could still use them; goroutines that ended before the hop left
// their values in the buffer.
package main

import "fmt"

type job struct {
	id   int
	name string
}

func main() {
	jobs := make(chan job, 4)
	done := make(chan bool, 1)
	jobs <- job{1, "one"}
	jobs <- job{2, "two"}
	goToNetwork 'worker'
	go func() {
		jobs <- job{3, "three"}
		close(jobs)
		done <- true
	}()
	goToNetwork 'collector'
	<-done
	for j := range jobs {
		goToNetwork 'worker'
		fmt.Println(j.id, j.name, len(jobs), cap(jobs))
	}
	v, ok := <-jobs
	fmt.Println(v, ok)

	var results = map[string]chan int{"a": make(chan int, 2)}
	results["a"] <- 7
	goToNetwork 'collector'
	select {
	case n := <-results["a"]:
		fmt.Println("got", n)
	default:
		fmt.Println("empty")
	}
	select {
	case n := <-results["a"]:
		fmt.Println("got", n)
	default:
		fmt.Println("empty")
	}
}
