// Allocates 20 GB in total, 1 MB at a time, keeping only the last slice and
// a checksum: a process without a garbage collector runs out of memory long
// before the end; with one, its peak memory stays near a few megabytes of
// live data. tests/cli.rs runs it and checks its peak RSS.
package main

import "fmt"

type block struct {
	data []byte
	next *block
}

func main() {
	const mb = 1 << 20
	var keep *block
	sum := 0
	for i := 0; i < 20480; i++ {
		b := &block{data: make([]byte, mb)}
		b.data[i%mb] = byte(i)
		b.data[mb-1] = 1
		if i%64 == 0 {
			// A short chain of recent blocks stays reachable.
			b.next = keep
			keep = b
			if i%1024 == 0 {
				keep.next = nil
			}
		}
		sum += int(b.data[i%mb]) + int(b.data[mb-1])
	}
	n := 0
	for p := keep; p != nil; p = p.next {
		n++
	}
	fmt.Println("allocated MB:", 20480, "checksum:", sum, "kept:", n)
}
