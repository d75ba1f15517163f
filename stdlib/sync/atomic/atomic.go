// Package atomic: g2n's own sync/atomic. A flow's goroutines run on one
// thread and are switched only where they block (docs/goroutines.md), so a
// plain read-modify-write is never interleaved with another goroutine's:
// every operation here is atomic as written. The generic Pointer[T] is not
// provided yet (g2n's hand-written packages have no generic declarations).
package atomic

import "unsafe"

// LoadPointer atomically loads *addr.
func LoadPointer(addr *unsafe.Pointer) (val unsafe.Pointer) {
	return *addr
}

// StorePointer atomically stores val into *addr.
func StorePointer(addr *unsafe.Pointer, val unsafe.Pointer) {
	*addr = val
}

// SwapPointer atomically stores new into *addr and returns the previous *addr value.
func SwapPointer(addr *unsafe.Pointer, new unsafe.Pointer) (old unsafe.Pointer) {
	old = *addr
	*addr = new
	return old
}

// CompareAndSwapPointer executes the compare-and-swap operation for an unsafe.Pointer value.
func CompareAndSwapPointer(addr *unsafe.Pointer, old, new unsafe.Pointer) (swapped bool) {
	if *addr != old {
		return false
	}
	*addr = new
	return true
}

// sameType reports whether a and b (both non-nil) hold the same dynamic type.
func sameType(a, b any) bool

// SwapInt32 stores new into *addr and returns the previous *addr value.
func SwapInt32(addr *int32, new int32) (old int32) {
	old = *addr
	*addr = new
	return old
}

// CompareAndSwapInt32 executes the compare-and-swap operation for a int32 value.
func CompareAndSwapInt32(addr *int32, old, new int32) (swapped bool) {
	if *addr != old {
		return false
	}
	*addr = new
	return true
}

// AddInt32 adds delta to *addr and returns the new value.
func AddInt32(addr *int32, delta int32) (new int32) {
	*addr += delta
	return *addr
}

// LoadInt32 atomically loads *addr.
func LoadInt32(addr *int32) (val int32) {
	return *addr
}

// StoreInt32 atomically stores val into *addr.
func StoreInt32(addr *int32, val int32) {
	*addr = val
}

// A Int32 is an atomic int32. The zero value is zero.
type Int32 struct {
	v int32
}

// Load atomically loads and returns the value stored in x.
func (x *Int32) Load() int32 { return x.v }

// Store atomically stores val into x.
func (x *Int32) Store(val int32) { x.v = val }

// Swap atomically stores new into x and returns the previous value.
func (x *Int32) Swap(new int32) (old int32) { return SwapInt32(&x.v, new) }

// CompareAndSwap executes the compare-and-swap operation for x.
func (x *Int32) CompareAndSwap(old, new int32) (swapped bool) {
	return CompareAndSwapInt32(&x.v, old, new)
}

// Add atomically adds delta to x and returns the new value.
func (x *Int32) Add(delta int32) (new int32) { return AddInt32(&x.v, delta) }

// SwapInt64 stores new into *addr and returns the previous *addr value.
func SwapInt64(addr *int64, new int64) (old int64) {
	old = *addr
	*addr = new
	return old
}

// CompareAndSwapInt64 executes the compare-and-swap operation for a int64 value.
func CompareAndSwapInt64(addr *int64, old, new int64) (swapped bool) {
	if *addr != old {
		return false
	}
	*addr = new
	return true
}

// AddInt64 adds delta to *addr and returns the new value.
func AddInt64(addr *int64, delta int64) (new int64) {
	*addr += delta
	return *addr
}

// LoadInt64 atomically loads *addr.
func LoadInt64(addr *int64) (val int64) {
	return *addr
}

// StoreInt64 atomically stores val into *addr.
func StoreInt64(addr *int64, val int64) {
	*addr = val
}

// A Int64 is an atomic int64. The zero value is zero.
type Int64 struct {
	v int64
}

// Load atomically loads and returns the value stored in x.
func (x *Int64) Load() int64 { return x.v }

// Store atomically stores val into x.
func (x *Int64) Store(val int64) { x.v = val }

// Swap atomically stores new into x and returns the previous value.
func (x *Int64) Swap(new int64) (old int64) { return SwapInt64(&x.v, new) }

// CompareAndSwap executes the compare-and-swap operation for x.
func (x *Int64) CompareAndSwap(old, new int64) (swapped bool) {
	return CompareAndSwapInt64(&x.v, old, new)
}

// Add atomically adds delta to x and returns the new value.
func (x *Int64) Add(delta int64) (new int64) { return AddInt64(&x.v, delta) }

// SwapUint32 stores new into *addr and returns the previous *addr value.
func SwapUint32(addr *uint32, new uint32) (old uint32) {
	old = *addr
	*addr = new
	return old
}

// CompareAndSwapUint32 executes the compare-and-swap operation for a uint32 value.
func CompareAndSwapUint32(addr *uint32, old, new uint32) (swapped bool) {
	if *addr != old {
		return false
	}
	*addr = new
	return true
}

// AddUint32 adds delta to *addr and returns the new value.
func AddUint32(addr *uint32, delta uint32) (new uint32) {
	*addr += delta
	return *addr
}

// LoadUint32 atomically loads *addr.
func LoadUint32(addr *uint32) (val uint32) {
	return *addr
}

// StoreUint32 atomically stores val into *addr.
func StoreUint32(addr *uint32, val uint32) {
	*addr = val
}

// A Uint32 is an atomic uint32. The zero value is zero.
type Uint32 struct {
	v uint32
}

// Load atomically loads and returns the value stored in x.
func (x *Uint32) Load() uint32 { return x.v }

// Store atomically stores val into x.
func (x *Uint32) Store(val uint32) { x.v = val }

// Swap atomically stores new into x and returns the previous value.
func (x *Uint32) Swap(new uint32) (old uint32) { return SwapUint32(&x.v, new) }

// CompareAndSwap executes the compare-and-swap operation for x.
func (x *Uint32) CompareAndSwap(old, new uint32) (swapped bool) {
	return CompareAndSwapUint32(&x.v, old, new)
}

// Add atomically adds delta to x and returns the new value.
func (x *Uint32) Add(delta uint32) (new uint32) { return AddUint32(&x.v, delta) }

// SwapUint64 stores new into *addr and returns the previous *addr value.
func SwapUint64(addr *uint64, new uint64) (old uint64) {
	old = *addr
	*addr = new
	return old
}

// CompareAndSwapUint64 executes the compare-and-swap operation for a uint64 value.
func CompareAndSwapUint64(addr *uint64, old, new uint64) (swapped bool) {
	if *addr != old {
		return false
	}
	*addr = new
	return true
}

// AddUint64 adds delta to *addr and returns the new value.
func AddUint64(addr *uint64, delta uint64) (new uint64) {
	*addr += delta
	return *addr
}

// LoadUint64 atomically loads *addr.
func LoadUint64(addr *uint64) (val uint64) {
	return *addr
}

// StoreUint64 atomically stores val into *addr.
func StoreUint64(addr *uint64, val uint64) {
	*addr = val
}

// A Uint64 is an atomic uint64. The zero value is zero.
type Uint64 struct {
	v uint64
}

// Load atomically loads and returns the value stored in x.
func (x *Uint64) Load() uint64 { return x.v }

// Store atomically stores val into x.
func (x *Uint64) Store(val uint64) { x.v = val }

// Swap atomically stores new into x and returns the previous value.
func (x *Uint64) Swap(new uint64) (old uint64) { return SwapUint64(&x.v, new) }

// CompareAndSwap executes the compare-and-swap operation for x.
func (x *Uint64) CompareAndSwap(old, new uint64) (swapped bool) {
	return CompareAndSwapUint64(&x.v, old, new)
}

// Add atomically adds delta to x and returns the new value.
func (x *Uint64) Add(delta uint64) (new uint64) { return AddUint64(&x.v, delta) }

// SwapUintptr stores new into *addr and returns the previous *addr value.
func SwapUintptr(addr *uintptr, new uintptr) (old uintptr) {
	old = *addr
	*addr = new
	return old
}

// CompareAndSwapUintptr executes the compare-and-swap operation for a uintptr value.
func CompareAndSwapUintptr(addr *uintptr, old, new uintptr) (swapped bool) {
	if *addr != old {
		return false
	}
	*addr = new
	return true
}

// AddUintptr adds delta to *addr and returns the new value.
func AddUintptr(addr *uintptr, delta uintptr) (new uintptr) {
	*addr += delta
	return *addr
}

// LoadUintptr atomically loads *addr.
func LoadUintptr(addr *uintptr) (val uintptr) {
	return *addr
}

// StoreUintptr atomically stores val into *addr.
func StoreUintptr(addr *uintptr, val uintptr) {
	*addr = val
}

// A Uintptr is an atomic uintptr. The zero value is zero.
type Uintptr struct {
	v uintptr
}

// Load atomically loads and returns the value stored in x.
func (x *Uintptr) Load() uintptr { return x.v }

// Store atomically stores val into x.
func (x *Uintptr) Store(val uintptr) { x.v = val }

// Swap atomically stores new into x and returns the previous value.
func (x *Uintptr) Swap(new uintptr) (old uintptr) { return SwapUintptr(&x.v, new) }

// CompareAndSwap executes the compare-and-swap operation for x.
func (x *Uintptr) CompareAndSwap(old, new uintptr) (swapped bool) {
	return CompareAndSwapUintptr(&x.v, old, new)
}

// Add atomically adds delta to x and returns the new value.
func (x *Uintptr) Add(delta uintptr) (new uintptr) { return AddUintptr(&x.v, delta) }

// A Bool is an atomic boolean value. The zero value is false.
type Bool struct {
	v bool
}

// Load atomically loads and returns the value stored in x.
func (x *Bool) Load() bool { return x.v }

// Store atomically stores val into x.
func (x *Bool) Store(val bool) { x.v = val }

// Swap atomically stores new into x and returns the previous value.
func (x *Bool) Swap(new bool) (old bool) {
	old = x.v
	x.v = new
	return old
}

// CompareAndSwap executes the compare-and-swap operation for the boolean
// value x.
func (x *Bool) CompareAndSwap(old, new bool) (swapped bool) {
	if x.v != old {
		return false
	}
	x.v = new
	return true
}

// A Value provides an atomic load and store of a consistently typed value.
// The zero value returns nil from Load. Once Store has been called, a Value
// must not be copied.
type Value struct {
	v any
}

// Load returns the value set by the most recent Store, or nil.
func (v *Value) Load() (val any) {
	return v.v
}

func (v *Value) check(val any, what string) {
	if val == nil {
		panic("sync/atomic: " + what + " of nil value into Value")
	}
	if v.v != nil && !sameType(v.v, val) {
		panic("sync/atomic: " + what + " of inconsistently typed value into Value")
	}
}

// Store sets the value of the Value to val. All calls to Store for a given
// Value must use values of the same concrete type; a store of an
// inconsistent type panics, as does Store(nil).
func (v *Value) Store(val any) {
	v.check(val, "store")
	v.v = val
}

// Swap stores new into Value and returns the previous value (nil if the
// Value is empty).
func (v *Value) Swap(new any) (old any) {
	v.check(new, "swap")
	old = v.v
	v.v = new
	return old
}

// CompareAndSwap executes the compare-and-swap operation for the Value.
func (v *Value) CompareAndSwap(old, new any) (swapped bool) {
	if new == nil {
		panic("sync/atomic: compare and swap of nil value into Value")
	}
	if old != nil && !sameType(old, new) {
		panic("sync/atomic: compare and swap of inconsistently typed values")
	}
	if v.v != nil && !sameType(v.v, new) {
		panic("sync/atomic: compare and swap of inconsistently typed value into Value")
	}
	if v.v != old {
		return false
	}
	v.v = new
	return true
}
