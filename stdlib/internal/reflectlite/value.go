package reflectlite

import (
	"internal/typedesc"
	"unsafe"
)

// Value is the reflection interface to a Go value: its type, the address
// of memory holding it (always; a Value of a value that an interface held
// in its words points to a copy), and what may be done with it.
type Value struct {
	typ  *rtype
	ptr  unsafe.Pointer
	flag flag
}

type flag uintptr

const (
	// flagAddr: the Value is a variable (reached through a pointer).
	flagAddr flag = 1 << iota
)

// A ValueError occurs when a Value method is invoked on a Value that does
// not support it.
type ValueError struct {
	Method string
	Kind   Kind
}

func (e *ValueError) Error() string {
	if e.Kind == 0 {
		return "reflect: call of " + e.Method + " on zero Value"
	}
	return "reflect: call of " + e.Method + " on " + e.Kind.String() + " Value"
}

// unsafeNew allocates zeroed memory for a value of size bytes (at least
// two words, so that every Value has an address). The collector scans it.
func unsafeNew(size uintptr) unsafe.Pointer {
	n := (size + 7) / 8
	if n < 2 {
		n = 2
	}
	words := make([]unsafe.Pointer, n)
	return unsafe.Pointer(&words[0])
}

func memmove(dst, src unsafe.Pointer, size uintptr) {
	if size == 0 || dst == src {
		return
	}
	copy(unsafe.Slice((*byte)(dst), size), unsafe.Slice((*byte)(src), size))
}

// sliceHeader is a slice's three words.
type sliceHeader struct {
	data unsafe.Pointer
	len  int
	cap  int
}

// unpackEface is the Value of what interface i holds (g2n_abi: a tag and
// two payload words).
func unpackEface(i *any) Value {
	words := (*[3]uintptr)(unsafe.Pointer(i))
	t := typeOfTag(words[0])
	if t == nil {
		return Value{}
	}
	var p unsafe.Pointer
	switch t.d.Kind {
	case typedesc.Slice, typedesc.Struct, typedesc.Array:
		// The interface holds the address of its own copy of the value.
		p = unsafe.Pointer(words[1])
		if p == nil {
			p = unsafeNew(t.d.Size)
		}
	default:
		// The value (or the pointer) is in the payload words, as it lies
		// in memory.
		p = unsafeNew(16)
		*(*uintptr)(p) = words[1]
		*(*uintptr)(unsafe.Add(p, 8)) = words[2]
	}
	return Value{typ: t, ptr: p}
}

// packEface is an interface holding the value of type t at p.
func packEface(t *rtype, p unsafe.Pointer) any {
	if t.d.Kind == typedesc.Interface {
		return *(*any)(p)
	}
	var words [3]uintptr
	words[0] = typedesc.TagOf(&t.d)
	switch t.d.Kind {
	case typedesc.Slice, typedesc.Struct, typedesc.Array:
		c := unsafeNew(t.d.Size)
		memmove(c, p, t.d.Size)
		words[1] = uintptr(c)
	case typedesc.String, typedesc.Complex128:
		words[1] = *(*uintptr)(p)
		words[2] = *(*uintptr)(unsafe.Add(p, 8))
	case typedesc.Int8:
		words[1] = uintptr(int64(*(*int8)(p)))
	case typedesc.Int16:
		words[1] = uintptr(int64(*(*int16)(p)))
	case typedesc.Int32:
		words[1] = uintptr(int64(*(*int32)(p)))
	case typedesc.Bool, typedesc.Uint8:
		words[1] = uintptr(*(*uint8)(p))
	case typedesc.Uint16:
		words[1] = uintptr(*(*uint16)(p))
	case typedesc.Uint32, typedesc.Float32:
		words[1] = uintptr(*(*uint32)(p))
	default:
		words[1] = *(*uintptr)(p)
	}
	return *(*any)(unsafe.Pointer(&words))
}

// ValueOf returns a new Value holding the concrete value stored in i;
// the zero Value for nil.
func ValueOf(i any) Value {
	return unpackEface(&i)
}

func (v Value) IsValid() bool { return v.typ != nil }

func (v Value) Kind() Kind {
	if v.typ == nil {
		return Invalid
	}
	return v.typ.Kind()
}

func (v Value) Type() Type {
	if v.typ == nil {
		panic(&ValueError{Method: "reflectlite.Value.Type", Kind: Invalid})
	}
	return v.typ
}

// CanSet reports whether v is a variable (g2n's reflectlite reaches no
// unexported fields, so every addressable Value is settable).
func (v Value) CanSet() bool { return v.flag&flagAddr != 0 }

// pointer is the word of a pointer, map, chan, func or unsafe pointer.
func (v Value) pointer() unsafe.Pointer {
	return *(*unsafe.Pointer)(v.ptr)
}

// Elem returns the value that the interface v contains or that the
// pointer v points to.
func (v Value) Elem() Value {
	switch v.Kind() {
	case Interface:
		return unpackEface((*any)(v.ptr))
	case Pointer:
		p := v.pointer()
		if p == nil {
			return Value{}
		}
		return Value{typ: toRType(v.typ.d.Elem), ptr: p, flag: flagAddr}
	}
	panic(&ValueError{Method: "reflectlite.Value.Elem", Kind: v.Kind()})
}

// IsNil reports whether v, a chan, func, interface, map, pointer or
// slice, is nil.
func (v Value) IsNil() bool {
	switch v.Kind() {
	case Chan, Func, Map, Pointer, UnsafePointer:
		return v.pointer() == nil
	case Interface:
		return *(*uintptr)(v.ptr) == 0
	case Slice:
		return (*sliceHeader)(v.ptr).data == nil
	}
	panic(&ValueError{Method: "reflectlite.Value.IsNil", Kind: v.Kind()})
}

// Len returns v's length: of an array, chan, map, slice or string.
func (v Value) Len() int {
	switch v.Kind() {
	case Slice:
		return (*sliceHeader)(v.ptr).len
	case Array:
		return int(v.typ.d.Len)
	case String:
		return len(*(*string)(v.ptr))
	case Map:
		// A map value is the address of the runtime's table, whatever its
		// key and element types; len reads the count from there.
		return len(*(*map[uintptr]uintptr)(v.ptr))
	case Chan:
		// Likewise the runtime's channel object.
		return len(*(*chan uintptr)(v.ptr))
	}
	panic(&ValueError{Method: "reflect.Value.Len", Kind: v.Kind()})
}

// NumMethod is the number of exported methods in v's method set.
func (v Value) NumMethod() int {
	if v.typ == nil {
		panic(&ValueError{Method: "reflectlite.Value.NumMethod", Kind: Invalid})
	}
	return typedesc.NumMethod(&v.typ.d)
}

// Set assigns x to the value v; x must be assignable to v's type.
func (v Value) Set(x Value) {
	if v.typ == nil {
		panic(&ValueError{Method: "reflectlite.Value.Set", Kind: Invalid})
	}
	if v.flag&flagAddr == 0 {
		panic("reflect: reflectlite.Value.Set using unaddressable value")
	}
	if x.typ == nil {
		panic("reflectlite.Set: zero Value")
	}
	p := x.ptr
	if !typedesc.DirectlyAssignable(&v.typ.d, &x.typ.d) {
		if v.typ.Kind() != Interface || !typedesc.Implements(&v.typ.d, &x.typ.d) {
			panic("reflectlite.Set: value of type " + x.typ.String() + " is not assignable to type " + v.typ.String())
		}
		p = unsafeNew(24)
		*(*any)(p) = packEface(x.typ, x.ptr)
	}
	memmove(v.ptr, p, v.typ.d.Size)
}

// Swapper returns a function that swaps the elements in the provided
// slice; it panics if the provided interface is not a slice.
func Swapper(slice any) func(i, j int) {
	v := ValueOf(slice)
	if v.Kind() != Slice {
		panic(&ValueError{Method: "Swapper", Kind: v.Kind()})
	}
	h := *(*sliceHeader)(v.ptr)
	size := toRType(v.typ.d.Elem).d.Size
	n := h.len
	if size == 8 {
		words := unsafe.Slice((*uint64)(h.data), n)
		return func(i, j int) { words[i], words[j] = words[j], words[i] }
	}
	if size == 16 {
		pairs := unsafe.Slice((*[2]uint64)(h.data), n)
		return func(i, j int) { pairs[i], pairs[j] = pairs[j], pairs[i] }
	}
	tmp := unsafeNew(size)
	return func(i, j int) {
		if uint(i) >= uint(n) || uint(j) >= uint(n) {
			panic("reflect: slice index out of range")
		}
		pi := unsafe.Add(h.data, uintptr(i)*size)
		pj := unsafe.Add(h.data, uintptr(j)*size)
		memmove(tmp, pi, size)
		memmove(pi, pj, size)
		memmove(pj, tmp, size)
	}
}
