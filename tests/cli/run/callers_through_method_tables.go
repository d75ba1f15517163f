// runtime.Callers from a method called through an interface: the method
// keeps its frame, however small (Go's io tests count the frames of
// multiWriter.Write and a writerFunc's Write), through a value-receiver
// method, a pointer-receiver method and a chain of both.
package main

import (
	"fmt"
	"runtime"
	"strings"
)

type Writer interface{ Write(p []byte) (int, error) }

type writerFunc func(p []byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

type forward struct{ w Writer }

func (t *forward) Write(p []byte) (int, error) { return t.w.Write(p) }

type byValue struct{ w Writer }

func (t byValue) Write(p []byte) (int, error) { return t.w.Write(p) }

// stack is the functions from the caller of Callers up to main.main.
func stack() string {
	pc := make([]uintptr, 64)
	n := runtime.Callers(2, pc)
	frames := runtime.CallersFrames(pc[:n])
	var names []string
	for {
		f, more := frames.Next()
		names = append(names, f.Function)
		if f.Function == "main.main" || !more {
			break
		}
	}
	return strings.Join(names, " <- ")
}

func main() {
	var w Writer = writerFunc(func(p []byte) (int, error) {
		fmt.Println(stack())
		return len(p), nil
	})
	w.Write(nil)
	var f Writer = &forward{w}
	f.Write(nil)
	var v Writer = byValue{f}
	v.Write(nil)
	var chain Writer = &forward{byValue{&forward{w}}}
	chain.Write(nil)
}
