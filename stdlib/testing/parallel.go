package testing

// Parallel benchmarks (B.RunParallel). g2n runs a flow's goroutines on one
// thread, so the goroutines RunParallel starts take turns rather than run
// at once; the iterations they share come from one counter, which needs
// no lock since nothing preempts Next.

// A PB hands out a parallel benchmark's iterations to one goroutine.
type PB struct {
	b *B
}

// Next reports whether there are more iterations to execute.
func (pb *PB) Next() bool {
	if pb.b.parallelLeft <= 0 {
		return false
	}
	pb.b.parallelLeft--
	return true
}

// SetParallelism sets the number of goroutines RunParallel uses to p
// times GOMAXPROCS (which is 1 for the goroutines of a g2n flow).
func (b *B) SetParallelism(p int) {
	if p >= 1 {
		b.parallelism = p
	}
}

// RunParallel runs body on several goroutines, which share b.N
// iterations through their PB's Next.
func (b *B) RunParallel(body func(*PB)) {
	if b.N == 0 {
		return
	}
	b.parallelLeft = b.N
	n := b.parallelism
	if n < 1 {
		n = 1
	}
	done := make(chan bool, n)
	for i := 0; i < n; i++ {
		go func() {
			defer func() { done <- true }()
			body(&PB{b: b})
		}()
	}
	for i := 0; i < n; i++ {
		<-done
	}
	if b.parallelLeft > 0 {
		b.Fatal("RunParallel: body exited without pb.Next() == false")
	}
}
