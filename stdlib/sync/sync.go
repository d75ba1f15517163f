// Package sync: g2n's own, bound to its scheduler (docs/goroutines.md).
//
// All goroutines of a flow run on one thread, cooperatively: a goroutine is
// switched out only where it blocks. So the state of a Mutex, a WaitGroup or
// a Cond changes only between two switches, and plain fields are enough; a
// goroutine that must wait parks on a semaphore of the runtime
// (semacquire), which another goroutine's semrelease makes runnable again.
// The runtime queues waiters per address and first in, first out; a release
// with nobody waiting is lost, so every type below counts its waiters and
// releases only as many as wait. A goroutine parked here counts as asleep
// for the deadlock error, whose traceback says `[semacquire]` as Go's does.
package sync

// semacquire parks the running goroutine until semrelease(addr).
func semacquire(addr *uint32)

// semrelease makes the goroutine waiting longest on addr runnable (there
// must be one).
func semrelease(addr *uint32)

// fatal ends the program with Go's "fatal error: " and message: what Go's
// sync reports for misuse that no recover may hide.
func fatal(s string)

// A Locker represents an object that can be locked and unlocked.
type Locker interface {
	Lock()
	Unlock()
}

// A Mutex is a mutual exclusion lock. The zero value is an unlocked mutex.
// A Mutex is not tied to a goroutine: one may lock it and another unlock it.
type Mutex struct {
	locked  bool
	waiters int32
	sema    uint32
}

// Lock locks m, parking the goroutine until m is available.
func (m *Mutex) Lock() {
	// A woken waiter competes again, as in Go's normal mode: the goroutine
	// that unlocked may have locked again before the waiter ran.
	for m.locked {
		m.waiters++
		semacquire(&m.sema)
	}
	m.locked = true
}

// TryLock tries to lock m and reports whether it succeeded.
func (m *Mutex) TryLock() bool {
	if m.locked {
		return false
	}
	m.locked = true
	return true
}

// Unlock unlocks m; unlocking an unlocked mutex is a fatal error.
func (m *Mutex) Unlock() {
	if !m.locked {
		fatal("sync: unlock of unlocked mutex")
	}
	m.locked = false
	if m.waiters > 0 {
		m.waiters--
		semrelease(&m.sema)
	}
}

// An RWMutex is a reader/writer mutual exclusion lock: any number of
// readers or one writer. As in Go, a writer waiting in Lock keeps new
// readers out, and the readers waiting when a writer unlocks get the lock
// before the next writer.
type RWMutex struct {
	writing        bool
	readers        int32
	readersWaiting int32
	writersWaiting int32
	readerSema     uint32
	writerSema     uint32
}

// RLock locks rw for reading.
func (rw *RWMutex) RLock() {
	if !rw.writing && rw.writersWaiting == 0 {
		rw.readers++
		return
	}
	// Admitted by Unlock, which counts the reader before waking it.
	rw.readersWaiting++
	semacquire(&rw.readerSema)
}

// TryRLock tries to lock rw for reading and reports whether it succeeded.
func (rw *RWMutex) TryRLock() bool {
	if rw.writing || rw.writersWaiting > 0 {
		return false
	}
	rw.readers++
	return true
}

// RUnlock undoes a single RLock call.
func (rw *RWMutex) RUnlock() {
	if rw.readers <= 0 {
		fatal("sync: RUnlock of unlocked RWMutex")
	}
	rw.readers--
	if rw.readers == 0 && rw.writersWaiting > 0 {
		rw.handToWriter()
	}
}

// Lock locks rw for writing.
func (rw *RWMutex) Lock() {
	if !rw.writing && rw.readers == 0 {
		rw.writing = true
		return
	}
	// Handed the lock by RUnlock or Unlock, which set writing for it.
	rw.writersWaiting++
	semacquire(&rw.writerSema)
}

// TryLock tries to lock rw for writing and reports whether it succeeded.
func (rw *RWMutex) TryLock() bool {
	if rw.writing || rw.readers > 0 {
		return false
	}
	rw.writing = true
	return true
}

// Unlock unlocks rw for writing.
func (rw *RWMutex) Unlock() {
	if !rw.writing {
		fatal("sync: Unlock of unlocked RWMutex")
	}
	rw.writing = false
	if rw.readersWaiting > 0 {
		n := rw.readersWaiting
		rw.readersWaiting = 0
		rw.readers += n
		for i := int32(0); i < n; i++ {
			semrelease(&rw.readerSema)
		}
		return
	}
	if rw.writersWaiting > 0 {
		rw.handToWriter()
	}
}

func (rw *RWMutex) handToWriter() {
	rw.writersWaiting--
	rw.writing = true
	semrelease(&rw.writerSema)
}

// RLocker returns a Locker whose Lock and Unlock call rw.RLock and
// rw.RUnlock.
func (rw *RWMutex) RLocker() Locker {
	return &rlocker{rw}
}

type rlocker struct {
	rw *RWMutex
}

func (r *rlocker) Lock()   { r.rw.RLock() }
func (r *rlocker) Unlock() { r.rw.RUnlock() }

// A WaitGroup waits for a collection of goroutines to finish.
type WaitGroup struct {
	count   int64
	waiters int32
	sema    uint32
}

// Add adds delta, which may be negative, to the counter. When the counter
// becomes zero, every goroutine blocked in Wait is released; below zero,
// Add panics.
func (wg *WaitGroup) Add(delta int) {
	wg.count += int64(delta)
	if wg.count < 0 {
		panic("sync: negative WaitGroup counter")
	}
	if wg.count > 0 {
		return
	}
	for wg.waiters > 0 {
		wg.waiters--
		semrelease(&wg.sema)
	}
}

// Done decrements the counter by one.
func (wg *WaitGroup) Done() {
	wg.Add(-1)
}

// Wait blocks until the counter is zero.
func (wg *WaitGroup) Wait() {
	if wg.count == 0 {
		return
	}
	wg.waiters++
	semacquire(&wg.sema)
}

// Once performs exactly one action.
type Once struct {
	done bool
	m    Mutex
}

// Do calls f if and only if Do is being called for the first time for this
// Once. Until f returns, other callers wait; a panicking f counts as
// returned, as in Go.
func (o *Once) Do(f func()) {
	if o.done {
		return
	}
	o.doSlow(f)
}

func (o *Once) doSlow(f func()) {
	o.m.Lock()
	defer o.m.Unlock()
	if !o.done {
		defer o.setDone()
		f()
	}
}

func (o *Once) setDone() {
	o.done = true
}

// Cond is a condition variable: a rendezvous point for goroutines waiting
// for or announcing an event. L is held while the condition is changed and
// when Wait is called.
type Cond struct {
	L       Locker
	waiters int32
	sema    uint32
}

// NewCond returns a new Cond with Locker l.
func NewCond(l Locker) *Cond {
	return &Cond{L: l}
}

// Wait unlocks c.L, parks the goroutine until Signal or Broadcast wakes it,
// and locks c.L again before returning.
func (c *Cond) Wait() {
	c.waiters++
	c.L.Unlock()
	semacquire(&c.sema)
	c.L.Lock()
}

// Signal wakes the goroutine waiting longest on c, if there is one.
func (c *Cond) Signal() {
	if c.waiters > 0 {
		c.waiters--
		semrelease(&c.sema)
	}
}

// Broadcast wakes all goroutines waiting on c.
func (c *Cond) Broadcast() {
	for c.waiters > 0 {
		c.waiters--
		semrelease(&c.sema)
	}
}

// Map is a map safe for use by several goroutines. The zero Map is empty
// and ready for use. Range visits entries in insertion order (Go's order is
// unspecified).
type Map struct {
	m map[any]any
}

// Load returns the value stored for key, or nil, and whether it was there.
func (m *Map) Load(key any) (value any, ok bool) {
	value, ok = m.m[key]
	return value, ok
}

// Store sets the value for key.
func (m *Map) Store(key, value any) {
	if m.m == nil {
		m.m = make(map[any]any)
	}
	m.m[key] = value
}

// LoadOrStore returns the existing value for key if present; otherwise it
// stores and returns value. loaded is true if the value was loaded.
func (m *Map) LoadOrStore(key, value any) (actual any, loaded bool) {
	if v, ok := m.m[key]; ok {
		return v, true
	}
	m.Store(key, value)
	return value, false
}

// LoadAndDelete deletes the value for key, returning the previous value.
func (m *Map) LoadAndDelete(key any) (value any, loaded bool) {
	value, loaded = m.m[key]
	if loaded {
		delete(m.m, key)
	}
	return value, loaded
}

// Delete deletes the value for key.
func (m *Map) Delete(key any) {
	delete(m.m, key)
}

// Range calls f for each key and value in the map, until f returns false.
func (m *Map) Range(f func(key, value any) bool) {
	for k, v := range m.m {
		if !f(k, v) {
			break
		}
	}
}

// A Pool is a set of temporary objects that may be individually saved and
// retrieved. g2n's pool is a stack that the collector never empties: Get
// returns the object Put last, else the result of New, else nil.
type Pool struct {
	items []any
	// New optionally specifies a function to generate a value when Get
	// would otherwise return nil.
	New func() any
}

// Put adds x to the pool.
func (p *Pool) Put(x any) {
	if x == nil {
		return
	}
	p.items = append(p.items, x)
}

// Get takes an object from the pool and returns it.
func (p *Pool) Get() any {
	if n := len(p.items); n > 0 {
		x := p.items[n-1]
		p.items[n-1] = nil
		p.items = p.items[:n-1]
		return x
	}
	if p.New != nil {
		return p.New()
	}
	return nil
}
