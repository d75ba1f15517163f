// sync/atomic: counters updated by many goroutines through the functions
// and the typed values, compare-and-swap, and atomic.Value.
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

func main() {
	var ops int64
	var ops32 int32
	var u32 uint32
	var u64 uint64
	var up uintptr
	var typed atomic.Int64
	var typed32 atomic.Int32
	var tu32 atomic.Uint32
	var tu64 atomic.Uint64
	var tup atomic.Uintptr
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := 0; c < 100; c++ {
				atomic.AddInt64(&ops, 1)
				atomic.AddInt32(&ops32, 2)
				atomic.AddUint32(&u32, 3)
				atomic.AddUint64(&u64, 4)
				atomic.AddUintptr(&up, 1)
				typed.Add(1)
				typed32.Add(-1)
				tu32.Add(1)
				tu64.Add(2)
				tup.Add(3)
			}
		}()
	}
	wg.Wait()
	fmt.Println("ops:", atomic.LoadInt64(&ops), atomic.LoadInt32(&ops32), atomic.LoadUint32(&u32), atomic.LoadUint64(&u64), atomic.LoadUintptr(&up))
	fmt.Println("typed:", typed.Load(), typed32.Load(), tu32.Load(), tu64.Load(), tup.Load())

	// Subtracting from an unsigned value, as Go's documentation says.
	atomic.AddUint32(&u32, ^uint32(0))
	fmt.Println("decrement:", u32)

	var x int64 = 5
	fmt.Println("CAS:", atomic.CompareAndSwapInt64(&x, 5, 6), atomic.CompareAndSwapInt64(&x, 5, 7), x)
	fmt.Println("Swap:", atomic.SwapInt64(&x, 9), x)
	atomic.StoreInt64(&x, 11)
	fmt.Println("Store:", atomic.LoadInt64(&x))
	fmt.Println("typed CAS:", typed.CompareAndSwap(5000, 1), typed.CompareAndSwap(5000, 2), typed.Swap(3), typed.Load())
	typed.Store(-4)
	fmt.Println("typed Store:", typed.Load())

	var flag atomic.Bool
	fmt.Println("Bool:", flag.Load(), flag.CompareAndSwap(false, true), flag.Load(), flag.Swap(false), flag.Load())
	flag.Store(true)
	fmt.Println("Bool Store:", flag.Load())

	// A flag that many goroutines race to set: exactly one wins.
	var winner atomic.Int32
	var winners int32
	for i := 1; i <= 20; i++ {
		wg.Add(1)
		go func(i int32) {
			defer wg.Done()
			if winner.CompareAndSwap(0, i) {
				atomic.AddInt32(&winners, 1)
			}
		}(int32(i))
	}
	wg.Wait()
	fmt.Println("winners:", winners, winner.Load() != 0)

	var v atomic.Value
	fmt.Println("empty Value:", v.Load())
	v.Store("config-1")
	fmt.Println("Value:", v.Load())
	fmt.Println("Value Swap:", v.Swap("config-2"), v.Load())
	fmt.Println("Value CAS:", v.CompareAndSwap("config-2", "config-3"), v.CompareAndSwap("nope", "config-4"), v.Load())
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		v.Store(42)
	}()
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		v.Store(nil)
	}()
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		v.CompareAndSwap(1, "x")
	}()
}
