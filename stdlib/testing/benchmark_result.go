// testing.Benchmark, BenchmarkResult and RunParallel: what Go's tests call
// to measure outside `-test.bench` (unicode's -calibrate) and to benchmark
// from several goroutines (B.RunParallel).
package testing

import (
	"fmt"
	"runtime"
	"time"
)

// BenchmarkResult is the outcome of a benchmark run.
type BenchmarkResult struct {
	N         int           // the number of iterations
	T         time.Duration // the total time taken
	Bytes     int64         // bytes processed in one iteration
	MemAllocs uint64        // allocations in all (g2n's collector does not count them: 0)
	MemBytes  uint64        // bytes allocated in all (0, as MemAllocs)
	// Extra records the metrics ReportMetric would add (none in g2n).
	Extra map[string]float64
}

// NsPerOp returns the nanoseconds one iteration took.
func (r BenchmarkResult) NsPerOp() int64 {
	if v, ok := r.Extra["ns/op"]; ok {
		return int64(v)
	}
	if r.N <= 0 {
		return 0
	}
	return r.T.Nanoseconds() / int64(r.N)
}

// AllocsPerOp returns the allocations of one iteration.
func (r BenchmarkResult) AllocsPerOp() int64 {
	if r.N <= 0 {
		return 0
	}
	return int64(r.MemAllocs) / int64(r.N)
}

// AllocedBytesPerOp returns the bytes one iteration allocated.
func (r BenchmarkResult) AllocedBytesPerOp() int64 {
	if r.N <= 0 {
		return 0
	}
	return int64(r.MemBytes) / int64(r.N)
}

// String is the result line's measures: iterations, ns/op and MB/s.
func (r BenchmarkResult) String() string {
	text := fmt.Sprintf("%8d\t%s", r.N, prettyPrint(float64(r.T.Nanoseconds())/float64(r.N), "ns/op"))
	if r.Bytes > 0 && r.T > 0 {
		text += fmt.Sprintf("\t%7.2f MB/s", float64(r.Bytes)*float64(r.N)/1e6/r.T.Seconds())
	}
	return text
}

// MemString is the result line's memory measures.
func (r BenchmarkResult) MemString() string {
	return fmt.Sprintf("%8d B/op\t%8d allocs/op", r.AllocedBytesPerOp(), r.AllocsPerOp())
}

// discard drops what a benchmark run by Benchmark logs.
type discard struct{}

func (discard) write(s string) {}

// Benchmark benchmarks f as `-test.bench` would, without printing, and
// returns the result (the zero result when f fails or skips).
func Benchmark(f func(b *B)) BenchmarkResult {
	b := &B{benchFunc: f}
	b.w = discard{}
	b.runN(1)
	if b.failed || b.skipped {
		return BenchmarkResult{}
	}
	if !b.hasSub {
		b.grow()
	}
	if b.failed {
		return BenchmarkResult{}
	}
	return BenchmarkResult{N: b.N, T: time.Duration(b.elapsed), Bytes: b.bytes, Extra: map[string]float64{}}
}

// SetParallelism sets the number of goroutines RunParallel starts to p
// times GOMAXPROCS (for p >= 1).
func (b *B) SetParallelism(p int) {
	if p >= 1 {
		b.parallelism = p
	}
}

// PB hands out the iterations of a RunParallel benchmark to its goroutines,
// grain iterations at a time from a count they share.
type PB struct {
	taken *int // iterations taken, over all goroutines (a grain a take)
	grain int  // how many one goroutine takes at a time
	cache int  // iterations this goroutine has left of what it took
	total int  // b.N
}

// Next reports whether there is another iteration to run. Each take
// counts a whole grain, so the shared count passes b.N once some goroutine
// has been told there is no more (RunParallel checks it).
func (pb *PB) Next() bool {
	if pb.cache == 0 {
		*pb.taken += pb.grain
		n := *pb.taken
		switch {
		case n <= pb.total:
			pb.cache = pb.grain
		case n < pb.total+pb.grain:
			pb.cache = pb.total + pb.grain - n
		default:
			return false
		}
	}
	pb.cache--
	return true
}

// RunParallel runs body on parallelism×GOMAXPROCS goroutines (GOMAXPROCS is
// 1 under g2n: one unless SetParallelism), which share b.N iterations
// through their PB. g2n runs a flow's goroutines on one thread, so the
// shared count needs no atomic operations. As in Go, a body that returns
// before Next reported false fails the benchmark.
func (b *B) RunParallel(body func(*PB)) {
	if b.N == 0 {
		return
	}
	// Go's grain: about 100µs of work per take, from the last run's speed.
	grain := 1
	if b.elapsed > 0 && b.N > 1 {
		perOp := b.elapsed / int64(b.N)
		if perOp < 1 {
			perOp = 1
		}
		grain = int(1e5 / perOp)
	}
	if grain < 1 {
		grain = 1
	}
	if grain > 1e4 {
		grain = 1e4
	}
	parallelism := b.parallelism
	if parallelism < 1 {
		parallelism = 1
	}
	goroutines := parallelism * runtime.GOMAXPROCS(0)
	taken := 0
	done := make(chan bool, goroutines)
	for i := 0; i < goroutines; i++ {
		go func() {
			defer func() {
				done <- true
			}()
			body(&PB{taken: &taken, grain: grain, total: b.N})
		}()
	}
	for i := 0; i < goroutines; i++ {
		<-done
	}
	if taken <= b.N && !b.Failed() {
		b.Fatal("RunParallel: body exited without pb.Next() == false")
	}
}
