// runtime, g2n's own package: the caller's file and line from the line
// table, Callers/CallersFrames/FuncForPC, runtime.Error from recover,
// MemStats from the collector, Goexit, Gosched, NumGoroutine, Stack,
// SetFinalizer. Expected output from go run (Go 1.19).
package main

import (
	"fmt"
	"runtime"
	"strings"
)

type T struct{}

func (t *T) where() (string, int) {
	_, file, line, ok := runtime.Caller(0)
	if !ok {
		return "?", 0
	}
	return file[strings.LastIndex(file, "/")+1:], line
}

func helper() (string, int) {
	_, file, line, _ := runtime.Caller(1)
	return file[strings.LastIndex(file, "/")+1:], line
}

func frames() []string {
	pcs := make([]uintptr, 10)
	n := runtime.Callers(1, pcs)
	iter := runtime.CallersFrames(pcs[:n])
	var names []string
	for {
		f, more := iter.Next()
		names = append(names, fmt.Sprintf("%s:%d", f.Function, f.Line))
		if !more || f.Function == "main.main" {
			break
		}
	}
	return names
}

func outer() []string { return frames() }

func finalizerCheck(obj, fin any) {
	defer func() { fmt.Println("SetFinalizer:", recover()) }()
	runtime.SetFinalizer(obj, fin)
}

func main() {
	x := 1
	finalizerCheck(&x, func(*int) {})
	finalizerCheck(&x, nil)
	runtime.KeepAlive(&x)
	fmt.Println(runtime.GOOS, runtime.GOARCH, runtime.Version()[:4])
	fmt.Println(runtime.NumCPU() > 0, runtime.GOMAXPROCS(0) > 0)
	fmt.Println(new(T).where())
	fmt.Println(helper())
	fmt.Println(outer())
	pc, _, _, _ := runtime.Caller(0)
	fmt.Println(runtime.FuncForPC(pc).Name())
	func() {
		pc, _, line, _ := runtime.Caller(0)
		fmt.Println(runtime.FuncForPC(pc).Name(), line)
	}()
	defer func() {
		r := recover()
		err, ok := r.(runtime.Error)
		fmt.Println(ok, err)
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		fmt.Println(m.NumGC > 0, m.HeapSys > 0, m.TotalAlloc > 0)
		done := make(chan bool)
		go func() {
			defer func() { done <- true }()
			runtime.Goexit()
			fmt.Println("not reached")
		}()
		<-done
		n := runtime.NumGoroutine()
		fmt.Println(n >= 1)
		var order []int
		for i := 0; i < 3; i++ {
			i := i
			go func() { order = append(order, i) }()
		}
		runtime.Gosched()
		fmt.Println(len(order))
		buf := make([]byte, 1024)
		s := string(buf[:runtime.Stack(buf, false)])
		lines := strings.Split(s, "\n")
		fmt.Println(lines[0], lines[1], strings.HasSuffix(lines[2][:strings.LastIndex(lines[2], " +")], "runtime_package.go:91"))
	}()
	var a []int
	_ = a[5]
}
