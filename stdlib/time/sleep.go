// Sleep and timers on the runtime's scheduler. A running timer is a
// goroutine parked in timerWait until its deadline (then it sends the time
// on C, or starts f's goroutine) or until Stop or Reset wakes it to read its
// state again. While it waits, the program is not deadlocked: the scheduler
// sleeps the thread until the deadline (crates/runtime/src/sema.rs).
package time

import "errors"

// Sleep pauses the current goroutine for at least d; the other goroutines
// run meanwhile. A negative or zero d returns at once.
func Sleep(d Duration) {
	sleep(int64(d))
}

// timer is the state a Timer or Ticker shares with its goroutine.
type timer struct {
	// word is the address its goroutine waits on.
	word uint32
	// when is the deadline, a nanotime reading; period > 0 for a ticker.
	when   int64
	period int64
	// active: neither fired (a one-shot timer) nor stopped.
	active bool
	// running: its goroutine is alive (it ends once the timer is inactive).
	running bool
	c       chan Time
	f       func()
}

// deadline returns the nanotime reading d from now (far away on overflow).
func deadline(d Duration) int64 {
	if d <= 0 {
		return nanotime()
	}
	t := nanotime() + int64(d)
	if t < 0 {
		t = 1<<63 - 1
	}
	return t
}

func (t *timer) start(when int64) {
	t.when = when
	t.active = true
	if !t.running {
		t.running = true
		go t.run()
		return
	}
	// Its goroutine waits with the old deadline (or will read the new one
	// when it next runs).
	timerWake(&t.word)
}

// stop deactivates t and reports whether it was active.
func (t *timer) stop() bool {
	was := t.active
	t.active = false
	if t.running {
		timerWake(&t.word)
	}
	return was
}

func (t *timer) run() {
	for t.active {
		if timerWait(&t.word, t.when) {
			continue // stopped or reset: read the state again
		}
		if t.period > 0 {
			// The next tick; ticks a slow receiver missed are dropped.
			now := nanotime()
			t.when += t.period
			if t.when <= now {
				t.when += t.period * (1 + (now-t.when)/t.period)
			}
		} else {
			t.active = false
		}
		if t.f != nil {
			go t.f()
			continue
		}
		select {
		case t.c <- Now():
		default:
		}
	}
	t.running = false
}

// The Timer type represents a single event. When the Timer expires, the
// current time is sent on C, unless the Timer was made by AfterFunc.
type Timer struct {
	C <-chan Time
	r *timer
}

// NewTimer creates a Timer that sends the current time on its channel
// after at least d.
func NewTimer(d Duration) *Timer {
	c := make(chan Time, 1)
	t := &Timer{C: c, r: &timer{c: c}}
	t.r.start(deadline(d))
	return t
}

// Stop prevents the Timer from firing. It returns true if the call stops
// the timer, false if the timer has already expired or been stopped. Stop
// does not drain C.
func (t *Timer) Stop() bool {
	if t.r == nil {
		panic("time: Stop called on uninitialized Timer")
	}
	return t.r.stop()
}

// Reset changes the timer to expire after d and reports whether the timer
// had been active.
func (t *Timer) Reset(d Duration) bool {
	if t.r == nil {
		panic("time: Reset called on uninitialized Timer")
	}
	was := t.r.active
	t.r.start(deadline(d))
	return was
}

// After waits for the duration to elapse and then sends the current time
// on the returned channel (NewTimer(d).C).
func After(d Duration) <-chan Time {
	return NewTimer(d).C
}

// AfterFunc waits for the duration to elapse and then calls f in its own
// goroutine. The Timer's Stop cancels the call.
func AfterFunc(d Duration, f func()) *Timer {
	t := &Timer{r: &timer{f: f}}
	t.r.start(deadline(d))
	return t
}

// A Ticker holds a channel that delivers ticks of a clock at intervals.
type Ticker struct {
	C <-chan Time
	r *timer
}

// NewTicker returns a Ticker whose channel receives the current time after
// each period d; d must be greater than zero. Ticks a slow receiver misses
// are dropped.
func NewTicker(d Duration) *Ticker {
	if d <= 0 {
		panic(errors.New("non-positive interval for NewTicker"))
	}
	c := make(chan Time, 1)
	t := &Ticker{C: c, r: &timer{c: c, period: int64(d)}}
	t.r.start(deadline(d))
	return t
}

// Stop turns off a ticker. It does not close the channel.
func (t *Ticker) Stop() {
	if t.r != nil {
		t.r.stop()
	}
}

// Reset stops a ticker and resets its period to d.
func (t *Ticker) Reset(d Duration) {
	if d <= 0 {
		panic("non-positive interval for Ticker.Reset")
	}
	if t.r == nil {
		panic("time: Reset called on uninitialized Ticker")
	}
	t.r.period = int64(d)
	t.r.start(deadline(d))
}

// Tick returns NewTicker(d).C, or nil if d <= 0.
func Tick(d Duration) <-chan Time {
	if d <= 0 {
		return nil
	}
	return NewTicker(d).C
}
