// runtime.SetFinalizer: a finalizer runs on a goroutine once the object is
// unreachable and a collection found it; KeepAlive keeps it; a nil
// finalizer clears it.
package main

import (
	"fmt"
	"runtime"
	"time"
)

type resource struct {
	name string
	data [64]byte
}

type named interface{ Name() string }

func (r *resource) Name() string { return r.name }

// collectUntil runs collections until ch receives, for at most two seconds.
func collectUntil(ch chan string) (string, bool) {
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		runtime.GC()
		select {
		case name := <-ch:
			return name, true
		case <-time.After(10 * time.Millisecond):
		}
	}
	return "", false
}

// The makers call themselves once, so that neither compiler inlines them
// into main, whose frame would then hold the object.
func makeResource(depth int, name string, done chan string) {
	if depth > 0 {
		makeResource(depth-1, name, done)
		return
	}
	r := &resource{name: name}
	runtime.SetFinalizer(r, func(r *resource) { done <- "finalized " + r.name })
}

func makeNamed(depth int, name string, done chan string) {
	if depth > 0 {
		makeNamed(depth-1, name, done)
		return
	}
	r := &resource{name: name}
	runtime.SetFinalizer(r, func(n named) { done <- "finalized through an interface: " + n.Name() })
}

func makeCleared(depth int, name string, done chan string) {
	if depth > 0 {
		makeCleared(depth-1, name, done)
		return
	}
	r := &resource{name: name}
	runtime.SetFinalizer(r, func(r *resource) { done <- "should not run: " + r.name })
	runtime.SetFinalizer(r, nil)
}

type file struct {
	fd   int
	done chan string
}

// close returns an error: three words of results.
func (f *file) close() error {
	f.done <- fmt.Sprint("closed ", f.fd)
	return nil
}

func makeFile(depth int, fd int, done chan string) {
	if depth > 0 {
		makeFile(depth-1, fd, done)
		return
	}
	runtime.SetFinalizer(&file{fd: fd, done: done}, (*file).close)
}

type inner struct{ name string }
type outer struct{ in *inner }

// makePair: both have finalizers; the outer one runs first, the inner one
// only once the outer object is gone.
func makePair(depth int, done chan string) {
	if depth > 0 {
		makePair(depth-1, done)
		return
	}
	o := &outer{in: &inner{name: "inner"}}
	runtime.SetFinalizer(o.in, func(in *inner) { done <- "finalized " + in.name })
	runtime.SetFinalizer(o, func(o *outer) (int, string, float64) {
		done <- "finalized outer of " + o.in.name
		return 1, "two", 3
	})
}

func main() {
	done := make(chan string, 4)
	makeResource(1, "a", done)
	fmt.Println(collectUntil(done))

	makeNamed(1, "b", done)
	fmt.Println(collectUntil(done))

	// Kept alive: no finalizer while it is still used after the collections.
	kept := &resource{name: "kept"}
	runtime.SetFinalizer(kept, func(r *resource) { done <- "finalized " + r.name })
	for i := 0; i < 3; i++ {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	select {
	case name := <-done:
		fmt.Println("too early:", name)
	default:
		fmt.Println("not finalized while alive")
	}

	makeFile(1, 7, done)
	fmt.Println(collectUntil(done))

	makePair(1, done)
	fmt.Println(collectUntil(done))
	fmt.Println(collectUntil(done))

	makeCleared(1, "c", done)
	for i := 0; i < 5; i++ {
		runtime.GC()
		time.Sleep(2 * time.Millisecond)
	}
	select {
	case name := <-done:
		fmt.Println(name)
	default:
		fmt.Println("cleared finalizer did not run")
	}
	runtime.KeepAlive(kept)
}
