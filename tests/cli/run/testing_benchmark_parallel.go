// testing.Benchmark and B.RunParallel outside a test binary: the results'
// measures vary, so only what holds on any machine is printed.
package main

import (
	"fmt"
	"sync/atomic"
	"testing"
)

func main() {
	calls, iterations := 0, 0
	r := testing.Benchmark(func(b *testing.B) {
		calls++
		iterations += b.N
		s := 0
		for i := 0; i < b.N; i++ {
			s += i
		}
		_ = s
	})
	fmt.Println(r.N > 1, r.T > 0, r.NsPerOp() >= 0, calls > 1, iterations >= r.N, r.AllocsPerOp(), r.MemString() != "", len(r.String()) > 0)

	var ran int64
	lastN := 0
	parallel := testing.Benchmark(func(b *testing.B) {
		b.SetParallelism(3)
		lastN = b.N
		atomic.StoreInt64(&ran, 0)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				atomic.AddInt64(&ran, 1)
			}
		})
	})
	fmt.Println(parallel.N == lastN, atomic.LoadInt64(&ran) == int64(lastN), parallel.N > 1)

	failed := testing.Benchmark(func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {})
	})
	fmt.Println(failed.N, failed.T, failed.NsPerOp(), failed)

	skipped := testing.Benchmark(func(b *testing.B) { b.Skip("no") })
	fmt.Println(skipped.N, skipped.Extra == nil)
}
