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

// nanotime is the runtime's monotonic clock in nanoseconds.
func nanotime() int64

// registerPoolCleanup hands the runtime the function that empties the
// pools' caches at a collection (Go's runtime_registerPoolCleanup):
// runtime.GC() calls it before it collects.
func registerPoolCleanup(cleanup func())

// A Locker represents an object that can be locked and unlocked.
type Locker interface {
	Lock()
	Unlock()
}

// A Mutex is a mutual exclusion lock. The zero value is an unlocked mutex.
// A Mutex is not tied to a goroutine: one may lock it and another unlock it.
//
// As Go's, it has two modes. Normally a woken waiter competes for the
// mutex again, and the goroutine that unlocked it (still running: nothing
// preempts it) usually locks it again first. A waiter that has waited
// more than a millisecond puts the mutex in starvation mode, in which
// Unlock hands it, still locked, to the waiter that has waited longest;
// the mode ends when a waiter that gets it was the last one or waited less
// than a millisecond.
type Mutex struct {
	locked   bool
	starving bool
	waiters  int32
	// Unlocks in starvation mode that handed the mutex to a waiter they
	// woke, which has not run yet.
	handoffs int32
	sema     uint32
}

// starvationThresholdNs is how long a waiter waits before the mutex
// turns to starvation mode (Go's 1 ms).
const starvationThresholdNs = 1000000

// Lock locks m, parking the goroutine until m is available.
func (m *Mutex) Lock() {
	if !m.locked {
		m.locked = true
		return
	}
	m.lockSlow()
}

func (m *Mutex) lockSlow() {
	start := nanotime()
	for {
		m.waiters++
		semacquire(&m.sema)
		waited := nanotime() - start
		if m.handoffs > 0 {
			// Unlock handed the mutex over: it is this goroutine's.
			m.handoffs--
			if m.waiters == 0 || waited < starvationThresholdNs {
				m.starving = false
			}
			return
		}
		if waited > starvationThresholdNs {
			m.starving = true
		}
		if !m.locked {
			m.locked = true
			return
		}
	}
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
	if m.waiters == 0 {
		m.locked = false
		return
	}
	m.waiters--
	if m.starving {
		m.handoffs++
	} else {
		m.locked = false
	}
	semrelease(&m.sema)
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
// when Wait is called. A Cond must not be copied after first use: Wait,
// Signal and Broadcast panic on a copy, as Go's do.
type Cond struct {
	L       Locker
	checker copyChecker
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
	c.checker.check()
	c.waiters++
	c.L.Unlock()
	semacquire(&c.sema)
	c.L.Lock()
}

// Signal wakes the goroutine waiting longest on c, if there is one.
func (c *Cond) Signal() {
	c.checker.check()
	if c.waiters > 0 {
		c.waiters--
		semrelease(&c.sema)
	}
}

// Broadcast wakes all goroutines waiting on c.
func (c *Cond) Broadcast() {
	c.checker.check()
	for c.waiters > 0 {
		c.waiters--
		semrelease(&c.sema)
	}
}

// copyChecker holds its own address from the first use on (Go's): a copy
// holds another's. Go keeps it as a uintptr; g2n keeps a pointer, because a
// Cond that travels to another process at a hop arrives at another address:
// the hop carries a pointer to the new place of what it pointed to, where a
// uintptr would arrive as the old number and read as a copy.
type copyChecker struct {
	self *copyChecker
}

func (c *copyChecker) check() {
	if c.self == nil {
		c.self = c
	} else if c.self != c {
		panic("sync.Cond is copied")
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
// retrieved. As Go's with one P (a flow's goroutines share one thread):
// Put fills a private slot, then a shared list; Get takes the private
// object, else the newest shared one, else the oldest of the victim cache,
// else calls New. A collection that runtime.GC() starts moves each pool's
// objects to its victim cache and drops the victim cache it had, so an
// object put before two such collections is not kept by the pool (the
// collections bdwgc starts by itself leave pools alone).
type Pool struct {
	local  *poolLocal
	victim *poolLocal
	// New optionally specifies a function to generate a value when Get
	// would otherwise return nil.
	New func() any
}

type poolLocal struct {
	private any
	// Oldest first.
	shared []any
}

// Put adds x to the pool.
func (p *Pool) Put(x any) {
	if x == nil {
		return
	}
	l := p.pin()
	if l.private == nil {
		l.private = x
		return
	}
	l.shared = append(l.shared, x)
}

// Get takes an object from the pool and returns it.
func (p *Pool) Get() any {
	l := p.pin()
	x := l.private
	l.private = nil
	if x == nil {
		if n := len(l.shared); n > 0 {
			x = l.shared[n-1]
			l.shared[n-1] = nil
			l.shared = l.shared[:n-1]
		} else {
			x = p.getVictim()
		}
	}
	if x == nil && p.New != nil {
		x = p.New()
	}
	return x
}

// getVictim takes the victim cache's private object, else its oldest
// shared one, as Go's getSlow does.
func (p *Pool) getVictim() any {
	v := p.victim
	if v == nil {
		return nil
	}
	if x := v.private; x != nil {
		v.private = nil
		return x
	}
	if len(v.shared) > 0 {
		x := v.shared[0]
		v.shared[0] = nil
		v.shared = v.shared[1:]
		return x
	}
	// Empty: later Gets need not look.
	p.victim = nil
	return nil
}

// pin returns the pool's objects, registering the pool for cleanup when it
// has none since the last one.
func (p *Pool) pin() *poolLocal {
	if p.local == nil {
		if !cleanupRegistered {
			registerPoolCleanup(poolCleanup)
			cleanupRegistered = true
		}
		p.local = &poolLocal{}
		allPools = append(allPools, p)
	}
	return p.local
}

// The variables have initializers: without one, a variable of a
// hand-written package is read from the runtime.
var cleanupRegistered = false

// allPools are the pools used since the last cleanup; oldPools those with
// a victim cache.
var allPools []*Pool = nil
var oldPools []*Pool = nil

// poolCleanup is Go's: the victim caches go, the pools' objects become
// their victim caches.
func poolCleanup() {
	for _, p := range oldPools {
		p.victim = nil
	}
	for _, p := range allPools {
		p.victim = p.local
		p.local = nil
	}
	oldPools, allPools = allPools, nil
}
