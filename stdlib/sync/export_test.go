package sync

import "runtime"

// What Go's sync exports to its own tests (its export_test.go, which names
// Go's internals), for g2n's sync: compiled into sync only when `g2n test
// sync` tests it, as Go's file is.

// Runtime_Semacquire is Go's runtime semaphore on *addr: waits until it is
// above zero, then decrements it. g2n's semacquire only parks until a
// semrelease; goroutines are not preempted, so nothing runs between the
// test and the decrement.
func Runtime_Semacquire(addr *uint32) {
	for *addr == 0 {
		semacquire(addr)
	}
	*addr--
}

// Runtime_Semrelease increments *addr and wakes a goroutine waiting on it
// (handoff and skipframes change nothing here: the woken goroutine runs when
// the releasing one blocks).
func Runtime_Semrelease(addr *uint32, handoff bool, skipframes int) {
	*addr++
	semrelease(addr)
}

// Runtime_procPin pins the goroutine to its P and returns the P's id: a
// flow's goroutines all run on one thread, P 0, and never migrate.
func Runtime_procPin() int {
	return 0
}

// Runtime_procUnpin undoes Runtime_procPin.
func Runtime_procUnpin() {}

// PoolDequeue is the interface Go's tests drive its pool's lock-free
// dequeues through.
type PoolDequeue interface {
	PushHead(val any) bool
	PopHead() (any, bool)
	PopTail() (any, bool)
}

// g2n's Pool is a plain stack, without Go's per-P dequeues: what
// NewPoolDequeue and NewPoolChain return is a stand-in of this file
// (docs/stdlib.md says TestPoolDequeue and TestPoolChain test it, not
// Pool). A bounded ring for NewPoolDequeue, an unbounded one for
// NewPoolChain; goroutines are not preempted, so no operation is torn, and
// a PopTail that finds it empty yields (Go's test spins a hundred times
// before it does, which on one thread is most of its time).
type ringDequeue struct {
	vals       []any
	head, tail int // head: next free slot; tail: oldest value
	n          int
	bounded    bool
}

// NewPoolDequeue returns a dequeue of n slots: PushHead fails when full.
func NewPoolDequeue(n int) PoolDequeue {
	return &ringDequeue{vals: make([]any, n), bounded: true}
}

// NewPoolChain returns a dequeue that grows: PushHead always succeeds.
func NewPoolChain() PoolDequeue {
	return &ringDequeue{vals: make([]any, 8)}
}

func (d *ringDequeue) PushHead(val any) bool {
	if d.n == len(d.vals) {
		if d.bounded {
			return false
		}
		grown := make([]any, 2*len(d.vals))
		for i := 0; i < d.n; i++ {
			grown[i] = d.vals[(d.tail+i)%len(d.vals)]
		}
		d.vals, d.tail, d.head = grown, 0, d.n
	}
	d.vals[d.head] = val
	d.head = (d.head + 1) % len(d.vals)
	d.n++
	return true
}

func (d *ringDequeue) PopHead() (any, bool) {
	if d.n == 0 {
		return nil, false
	}
	d.head = (d.head - 1 + len(d.vals)) % len(d.vals)
	val := d.vals[d.head]
	d.vals[d.head] = nil
	d.n--
	return val, true
}

func (d *ringDequeue) PopTail() (any, bool) {
	if d.n == 0 {
		runtime.Gosched()
		return nil, false
	}
	val := d.vals[d.tail]
	d.vals[d.tail] = nil
	d.tail = (d.tail + 1) % len(d.vals)
	d.n--
	return val, true
}
