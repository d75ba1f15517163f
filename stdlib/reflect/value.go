package reflect

import "unsafe"

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
	// flagAddr: the Value is a variable (reached through a pointer, a
	// slice element, or a field or element of such a variable).
	flagAddr flag = 1 << iota
	// flagStickyRO: obtained through an unexported field that is not
	// embedded: readable, but neither settable nor interfaceable, and so is
	// everything reached from it.
	flagStickyRO
	// flagEmbedRO: obtained through an unexported embedded field: like
	// flagStickyRO, except that the exported fields of the embedded struct
	// drop it (encoding/json sets the promoted fields of an unexported
	// embedded struct so, as Go's reflect allows).
	flagEmbedRO
	// flagMethod: a method bound to its receiver (Value.Method); ptr
	// points to a methodValue (call.go).
	flagMethod
	// flagMethodFunc: a method with its receiver as first argument
	// (Method.Func); ptr points to a methodFuncValue (call.go).
	flagMethodFunc
	// flagDirect: ptr is the value itself, not its address: a pointer,
	// map, chan or func taken out of an interface (never addressable).
	// Go's reflect keeps such a value in the Value's word as well, so that
	// two Values of the same pointer compare equal with == (encoding/json
	// stops at an interface that holds a pointer to itself so).
	flagDirect
)

// flagRO: obtained through an unexported field, embedded or not.
const flagRO = flagStickyRO | flagEmbedRO

// ro is the read-only flag a Value derived from one with f inherits when it
// is not a field (an element, a key, an interface's content): sticky.
func (f flag) ro() flag {
	if f&flagRO != 0 {
		return flagStickyRO
	}
	return 0
}

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

func (v Value) mustBe(k Kind, method string) {
	if v.Kind() != k {
		panic(&ValueError{Method: "reflect.Value." + method, Kind: v.Kind()})
	}
}

func (v Value) mustBeAssignable(method string) {
	if v.typ == nil {
		panic(&ValueError{Method: "reflect.Value." + method, Kind: Invalid})
	}
	if v.flag&flagRO != 0 {
		panic("reflect: reflect.Value." + method + " using value obtained using unexported field")
	}
	if v.flag&flagAddr == 0 {
		panic("reflect: reflect.Value." + method + " using unaddressable value")
	}
}

// ---- memory ----

// unsafeNew allocates zeroed memory for a value of size bytes (at least a
// word, so that every Value has an address). The collector scans it.
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

func memclr(dst unsafe.Pointer, size uintptr) {
	b := unsafe.Slice((*byte)(dst), size)
	for i := range b {
		b[i] = 0
	}
}

// sliceHeader is a slice's three words.
type sliceHeader struct {
	data unsafe.Pointer
	len  int
	cap  int
}

// ---- interface values ----

// unpackEface is the Value of what interface i holds.
func unpackEface(i *any) Value {
	words := (*[3]uintptr)(unsafe.Pointer(i))
	t := typeOfTag(words[0])
	if t == nil {
		return Value{}
	}
	var p unsafe.Pointer
	switch t.kind {
	case abiPointer, abiMap, abiChan, abiFunc:
		return Value{typ: t, ptr: unsafe.Pointer(words[1]), flag: flagDirect}
	case abiSlice, abiStruct, abiArray:
		// The interface holds the address of its own copy of the value.
		p = unsafe.Pointer(words[1])
		if p == nil {
			p = unsafeNew(t.size)
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
	if t.kind == abiInterface {
		return *(*any)(p)
	}
	var words [3]uintptr
	words[0] = tagOf(t)
	switch t.kind {
	case abiSlice, abiStruct, abiArray:
		c := unsafeNew(t.size)
		memmove(c, p, t.size)
		words[1] = uintptr(c)
	case abiString, abiComplex128:
		words[1] = *(*uintptr)(p)
		words[2] = *(*uintptr)(unsafe.Add(p, 8))
	case abiInt8:
		words[1] = uintptr(int64(*(*int8)(p)))
	case abiInt16:
		words[1] = uintptr(int64(*(*int16)(p)))
	case abiInt32:
		words[1] = uintptr(int64(*(*int32)(p)))
	case abiBool, abiUint8:
		words[1] = uintptr(*(*uint8)(p))
	case abiUint16:
		words[1] = uintptr(*(*uint16)(p))
	case abiUint32, abiFloat32:
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

// Zero returns a Value holding the zero value of type typ.
func Zero(typ Type) Value {
	if typ == nil {
		panic("reflect: Zero(nil)")
	}
	t := typ.common()
	return Value{typ: t, ptr: unsafeNew(t.size)}
}

// New returns a Value holding a pointer to a new zero value of type typ.
func New(typ Type) Value {
	if typ == nil {
		panic("reflect: New(nil)")
	}
	t := typ.common()
	p := unsafeNew(8)
	*(*unsafe.Pointer)(p) = unsafeNew(t.size)
	return Value{typ: PointerTo(t).common(), ptr: p}
}

// NewAt returns a Value holding a pointer to a value of type typ at p.
func NewAt(typ Type, p unsafe.Pointer) Value {
	w := unsafeNew(8)
	*(*unsafe.Pointer)(w) = p
	return Value{typ: PointerTo(typ).common(), ptr: w}
}

// Indirect returns the value v points to (v itself if it is not a pointer).
func Indirect(v Value) Value {
	if v.Kind() != Pointer {
		return v
	}
	return v.Elem()
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
		panic(&ValueError{Method: "reflect.Value.Type", Kind: Invalid})
	}
	return v.typ
}

func (v Value) CanAddr() bool { return v.flag&flagAddr != 0 }

func (v Value) CanSet() bool { return v.flag&(flagAddr|flagRO) == flagAddr }

func (v Value) CanInterface() bool {
	if v.typ == nil {
		panic(&ValueError{Method: "reflect.Value.CanInterface", Kind: Invalid})
	}
	return v.flag&flagRO == 0
}

// Interface returns v's current value as an interface{}.
func (v Value) Interface() any {
	if v.typ == nil {
		panic(&ValueError{Method: "reflect.Value.Interface", Kind: Invalid})
	}
	if v.flag&flagRO != 0 {
		panic("reflect.Value.Interface: cannot return value obtained from unexported field or method")
	}
	if v.flag&(flagMethod|flagMethodFunc) != 0 {
		return packEface(v.typ, boundFunc(v).addr())
	}
	return packEface(v.typ, v.addr())
}

// Addr returns a pointer value representing the address of v.
func (v Value) Addr() Value {
	if v.flag&flagAddr == 0 {
		panic("reflect.Value.Addr of unaddressable value")
	}
	p := unsafeNew(8)
	*(*unsafe.Pointer)(p) = v.ptr
	return Value{typ: PointerTo(v.typ).common(), ptr: p, flag: v.flag & flagRO}
}

// UnsafeAddr returns the address of v's data.
func (v Value) UnsafeAddr() uintptr {
	if v.flag&flagAddr == 0 {
		panic("reflect.Value.UnsafeAddr of unaddressable value")
	}
	return uintptr(v.ptr)
}

// pointer is the word of a pointer, map, chan, func or unsafe pointer.
func (v Value) pointer() unsafe.Pointer {
	if v.flag&flagDirect != 0 {
		return v.ptr
	}
	return *(*unsafe.Pointer)(v.ptr)
}

// addr is the address of memory holding v's value: v.ptr, or for a value
// kept in the Value itself (flagDirect) a copy of it (which nothing can
// assign through: such a value is never addressable).
func (v Value) addr() unsafe.Pointer {
	if v.flag&flagDirect == 0 {
		return v.ptr
	}
	p := unsafeNew(8)
	*(*unsafe.Pointer)(p) = v.ptr
	return p
}

// Elem returns the value that the interface v contains or that the
// pointer v points to.
func (v Value) Elem() Value {
	switch v.Kind() {
	case Interface:
		e := unpackEface((*any)(v.ptr))
		e.flag |= v.flag.ro()
		return e
	case Pointer:
		p := v.pointer()
		if p == nil {
			return Value{}
		}
		return Value{typ: toRType(v.typ.elem), ptr: p, flag: flagAddr | v.flag&flagRO}
	}
	panic(&ValueError{Method: "reflect.Value.Elem", Kind: v.Kind()})
}

// IsNil reports whether v, a chan, func, interface, map, pointer or
// slice, is nil.
func (v Value) IsNil() bool {
	switch v.Kind() {
	case Chan, Func, Map, Pointer, UnsafePointer:
		if v.flag&(flagMethod|flagMethodFunc) != 0 {
			return false
		}
		return v.pointer() == nil
	case Interface:
		return *(*uintptr)(v.ptr) == 0
	case Slice:
		return (*sliceHeader)(v.ptr).data == nil
	}
	panic(&ValueError{Method: "reflect.Value.IsNil", Kind: v.Kind()})
}

// IsZero reports whether v is the zero value for its type.
func (v Value) IsZero() bool {
	switch v.Kind() {
	case Bool:
		return !v.Bool()
	case Int, Int8, Int16, Int32, Int64:
		return v.Int() == 0
	case Uint, Uint8, Uint16, Uint32, Uint64, Uintptr:
		return v.Uint() == 0
	case Float32, Float64:
		return v.floatBits() == 0
	case Complex64, Complex128:
		return v.complexBitsZero()
	case String:
		return v.Len() == 0
	case Array:
		for i := 0; i < v.Len(); i++ {
			if !v.Index(i).IsZero() {
				return false
			}
		}
		return true
	case Chan, Func, Interface, Map, Pointer, Slice, UnsafePointer:
		return v.IsNil()
	case Struct:
		for i := 0; i < v.NumField(); i++ {
			if !v.Field(i).IsZero() {
				return false
			}
		}
		return true
	}
	panic(&ValueError{Method: "reflect.Value.IsZero", Kind: v.Kind()})
}

// floatBits: +0.0 is zero, -0.0 is not (Go's IsZero compares bits).
func (v Value) floatBits() uint64 {
	if v.Kind() == Float32 {
		return uint64(*(*uint32)(v.ptr))
	}
	return *(*uint64)(v.ptr)
}

func (v Value) complexBitsZero() bool {
	if v.Kind() == Complex64 {
		return *(*uint64)(v.ptr) == 0
	}
	return *(*uint64)(v.ptr) == 0 && *(*uint64)(unsafe.Add(v.ptr, 8)) == 0
}

// ---- scalars ----

func (v Value) Bool() bool {
	v.mustBe(Bool, "Bool")
	return *(*bool)(v.ptr)
}

func (v Value) Int() int64 {
	switch v.Kind() {
	case Int, Int64:
		return *(*int64)(v.ptr)
	case Int8:
		return int64(*(*int8)(v.ptr))
	case Int16:
		return int64(*(*int16)(v.ptr))
	case Int32:
		return int64(*(*int32)(v.ptr))
	}
	panic(&ValueError{Method: "reflect.Value.Int", Kind: v.Kind()})
}

func (v Value) Uint() uint64 {
	switch v.Kind() {
	case Uint, Uint64, Uintptr:
		return *(*uint64)(v.ptr)
	case Uint8:
		return uint64(*(*uint8)(v.ptr))
	case Uint16:
		return uint64(*(*uint16)(v.ptr))
	case Uint32:
		return uint64(*(*uint32)(v.ptr))
	}
	panic(&ValueError{Method: "reflect.Value.Uint", Kind: v.Kind()})
}

func (v Value) Float() float64 {
	switch v.Kind() {
	case Float32:
		return float64(*(*float32)(v.ptr))
	case Float64:
		return *(*float64)(v.ptr)
	}
	panic(&ValueError{Method: "reflect.Value.Float", Kind: v.Kind()})
}

func (v Value) Complex() complex128 {
	switch v.Kind() {
	case Complex64:
		return complex128(*(*complex64)(v.ptr))
	case Complex128:
		return *(*complex128)(v.ptr)
	}
	panic(&ValueError{Method: "reflect.Value.Complex", Kind: v.Kind()})
}

// String returns the string v holds; for another kind, "<T Value>" (as Go
// does, for fmt's sake).
func (v Value) String() string {
	if v.Kind() == String {
		return *(*string)(v.ptr)
	}
	if v.typ == nil {
		return "<invalid Value>"
	}
	return "<" + v.typ.String() + " Value>"
}

// Bytes returns v's underlying value, a slice of bytes (or an addressable
// array of bytes).
func (v Value) Bytes() []byte {
	if v.Kind() == Slice && toRType(v.typ.elem).Kind() == Uint8 {
		return *(*[]byte)(v.ptr)
	}
	if v.Kind() == Array && toRType(v.typ.elem).Kind() == Uint8 {
		if v.flag&flagAddr == 0 {
			panic("reflect.Value.Bytes of unaddressable byte array")
		}
		return unsafe.Slice((*byte)(v.ptr), int(v.typ.len))
	}
	panic("reflect.Value.Bytes of non-byte slice")
}

// Pointer returns v's value as a uintptr (a pointer, map, chan, func,
// slice or unsafe pointer).
func (v Value) Pointer() uintptr {
	switch v.Kind() {
	case Pointer, Map, Chan, Func, UnsafePointer:
		return uintptr(v.pointer())
	case Slice:
		return uintptr((*sliceHeader)(v.ptr).data)
	}
	panic(&ValueError{Method: "reflect.Value.Pointer", Kind: v.Kind()})
}

// UnsafePointer returns v's value as an unsafe.Pointer.
func (v Value) UnsafePointer() unsafe.Pointer {
	return unsafe.Pointer(v.Pointer())
}

func (v Value) CanInt() bool {
	k := v.Kind()
	return k >= Int && k <= Int64
}

func (v Value) CanUint() bool {
	k := v.Kind()
	return k >= Uint && k <= Uintptr
}

func (v Value) CanFloat() bool {
	k := v.Kind()
	return k == Float32 || k == Float64
}

func (v Value) CanComplex() bool {
	k := v.Kind()
	return k == Complex64 || k == Complex128
}

// OverflowInt reports whether x cannot be represented by v's type.
func (v Value) OverflowInt(x int64) bool {
	switch v.Kind() {
	case Int, Int8, Int16, Int32, Int64:
		bits := v.typ.size * 8
		trunc := (x << (64 - bits)) >> (64 - bits)
		return x != trunc
	}
	panic(&ValueError{Method: "reflect.Value.OverflowInt", Kind: v.Kind()})
}

// OverflowUint reports whether x cannot be represented by v's type.
func (v Value) OverflowUint(x uint64) bool {
	switch v.Kind() {
	case Uint, Uintptr, Uint8, Uint16, Uint32, Uint64:
		bits := v.typ.size * 8
		trunc := (x << (64 - bits)) >> (64 - bits)
		return x != trunc
	}
	panic(&ValueError{Method: "reflect.Value.OverflowUint", Kind: v.Kind()})
}

// OverflowFloat reports whether x cannot be represented by v's type.
func (v Value) OverflowFloat(x float64) bool {
	switch v.Kind() {
	case Float32:
		if x < 0 {
			x = -x
		}
		return x > 3.40282346638528859811704183484516925440e+38 && x <= 1.79769313486231570814527423731704356798070e+308
	case Float64:
		return false
	}
	panic(&ValueError{Method: "reflect.Value.OverflowFloat", Kind: v.Kind()})
}

// ---- setting ----

func (v Value) SetBool(x bool) {
	v.mustBeAssignable("SetBool")
	v.mustBe(Bool, "SetBool")
	*(*bool)(v.ptr) = x
}

func (v Value) SetInt(x int64) {
	v.mustBeAssignable("SetInt")
	switch v.Kind() {
	case Int, Int64:
		*(*int64)(v.ptr) = x
	case Int8:
		*(*int8)(v.ptr) = int8(x)
	case Int16:
		*(*int16)(v.ptr) = int16(x)
	case Int32:
		*(*int32)(v.ptr) = int32(x)
	default:
		panic(&ValueError{Method: "reflect.Value.SetInt", Kind: v.Kind()})
	}
}

func (v Value) SetUint(x uint64) {
	v.mustBeAssignable("SetUint")
	switch v.Kind() {
	case Uint, Uint64, Uintptr:
		*(*uint64)(v.ptr) = x
	case Uint8:
		*(*uint8)(v.ptr) = uint8(x)
	case Uint16:
		*(*uint16)(v.ptr) = uint16(x)
	case Uint32:
		*(*uint32)(v.ptr) = uint32(x)
	default:
		panic(&ValueError{Method: "reflect.Value.SetUint", Kind: v.Kind()})
	}
}

func (v Value) SetFloat(x float64) {
	v.mustBeAssignable("SetFloat")
	switch v.Kind() {
	case Float32:
		*(*float32)(v.ptr) = float32(x)
	case Float64:
		*(*float64)(v.ptr) = x
	default:
		panic(&ValueError{Method: "reflect.Value.SetFloat", Kind: v.Kind()})
	}
}

func (v Value) SetComplex(x complex128) {
	v.mustBeAssignable("SetComplex")
	switch v.Kind() {
	case Complex64:
		*(*complex64)(v.ptr) = complex64(x)
	case Complex128:
		*(*complex128)(v.ptr) = x
	default:
		panic(&ValueError{Method: "reflect.Value.SetComplex", Kind: v.Kind()})
	}
}

func (v Value) SetString(x string) {
	v.mustBeAssignable("SetString")
	v.mustBe(String, "SetString")
	*(*string)(v.ptr) = x
}

func (v Value) SetBytes(x []byte) {
	v.mustBeAssignable("SetBytes")
	v.mustBe(Slice, "SetBytes")
	if toRType(v.typ.elem).Kind() != Uint8 {
		panic("reflect.Value.SetBytes of non-byte slice")
	}
	*(*[]byte)(v.ptr) = x
}

func (v Value) SetLen(n int) {
	v.mustBeAssignable("SetLen")
	v.mustBe(Slice, "SetLen")
	h := (*sliceHeader)(v.ptr)
	if n < 0 || n > h.cap {
		panic("reflect: slice length out of range in SetLen")
	}
	h.len = n
}

func (v Value) SetCap(n int) {
	v.mustBeAssignable("SetCap")
	v.mustBe(Slice, "SetCap")
	h := (*sliceHeader)(v.ptr)
	if n < h.len || n > h.cap {
		panic("reflect: slice capacity out of range in SetCap")
	}
	h.cap = n
}

func (v Value) SetPointer(x unsafe.Pointer) {
	v.mustBeAssignable("SetPointer")
	v.mustBe(UnsafePointer, "SetPointer")
	*(*unsafe.Pointer)(v.ptr) = x
}

// Set assigns x to the value v; x must be assignable to v's type and must
// not come from an unexported field.
func (v Value) Set(x Value) {
	v.mustBeAssignable("Set")
	if x.flag&flagRO != 0 {
		panic("reflect: reflect.Value.Set using value obtained using unexported field")
	}
	p := x.assignTo("reflect.Set", v.typ)
	memmove(v.ptr, p, v.typ.size)
}

// assignTo is the address of x's value as a value of type t (x itself,
// or x in an interface of type t).
func (x Value) assignTo(context string, t *rtype) unsafe.Pointer {
	if x.typ == nil {
		panic(context + ": zero Value")
	}
	if directlyAssignable(t, x.typ) {
		return x.addr()
	}
	if t.Kind() == Interface && implements(t, x.typ) {
		p := unsafeNew(24)
		*(*any)(p) = packEface(x.typ, x.addr())
		return p
	}
	panic(context + ": value of type " + x.typ.String() + " is not assignable to type " + t.String())
}

// ---- composites ----

func (v Value) Len() int {
	switch v.Kind() {
	case Slice:
		return (*sliceHeader)(v.ptr).len
	case Array:
		return int(v.typ.len)
	case String:
		return len(*(*string)(v.ptr))
	case Map:
		return mapLen(v.pointer())
	case Chan:
		return chanLen(v.pointer())
	case Pointer:
		if e := toRType(v.typ.elem); e.Kind() == Array {
			return int(e.len)
		}
	}
	panic(&ValueError{Method: "reflect.Value.Len", Kind: v.Kind()})
}

func (v Value) Cap() int {
	switch v.Kind() {
	case Slice:
		return (*sliceHeader)(v.ptr).cap
	case Array:
		return int(v.typ.len)
	case Chan:
		return chanCap(v.pointer())
	case Pointer:
		if e := toRType(v.typ.elem); e.Kind() == Array {
			return int(e.len)
		}
	}
	panic(&ValueError{Method: "reflect.Value.Cap", Kind: v.Kind()})
}

// Index returns v's i'th element (an array, slice or string).
func (v Value) Index(i int) Value {
	switch v.Kind() {
	case Array:
		if uint(i) >= uint(v.typ.len) {
			panic("reflect: array index out of range")
		}
		e := toRType(v.typ.elem)
		return Value{typ: e, ptr: unsafe.Add(v.ptr, uintptr(i)*e.size), flag: v.flag&^flagRO | v.flag.ro()}
	case Slice:
		h := (*sliceHeader)(v.ptr)
		if uint(i) >= uint(h.len) {
			panic("reflect: slice index out of range")
		}
		e := toRType(v.typ.elem)
		return Value{typ: e, ptr: unsafe.Add(h.data, uintptr(i)*e.size), flag: flagAddr | v.flag.ro()}
	case String:
		s := *(*string)(v.ptr)
		if uint(i) >= uint(len(s)) {
			panic("reflect: string index out of range")
		}
		p := unsafeNew(1)
		*(*byte)(p) = s[i]
		return Value{typ: basicTypes[Uint8], ptr: p, flag: v.flag.ro()}
	}
	panic(&ValueError{Method: "reflect.Value.Index", Kind: v.Kind()})
}

// Slice returns v[i:j] (an addressable array, a slice or a string).
func (v Value) Slice(i, j int) Value {
	switch v.Kind() {
	case Array:
		if v.flag&flagAddr == 0 {
			panic("reflect.Value.Slice: slice of unaddressable array")
		}
		if i < 0 || j < i || j > int(v.typ.len) {
			panic("reflect.Value.Slice: slice index out of bounds")
		}
		e := toRType(v.typ.elem)
		p := unsafeNew(24)
		*(*sliceHeader)(p) = sliceHeader{data: unsafe.Add(v.ptr, uintptr(i)*e.size), len: j - i, cap: int(v.typ.len) - i}
		return Value{typ: SliceOf(e).common(), ptr: p, flag: v.flag.ro()}
	case Slice:
		h := (*sliceHeader)(v.ptr)
		if i < 0 || j < i || j > h.cap {
			panic("reflect.Value.Slice: slice index out of bounds")
		}
		e := toRType(v.typ.elem)
		p := unsafeNew(24)
		data := h.data
		if j-i > 0 || i < h.cap {
			data = unsafe.Add(data, uintptr(i)*e.size)
		}
		*(*sliceHeader)(p) = sliceHeader{data: data, len: j - i, cap: h.cap - i}
		return Value{typ: v.typ, ptr: p, flag: v.flag.ro()}
	case String:
		s := *(*string)(v.ptr)
		if i < 0 || j < i || j > len(s) {
			panic("reflect.Value.Slice: string slice index out of bounds")
		}
		p := unsafeNew(16)
		*(*string)(p) = s[i:j]
		return Value{typ: v.typ, ptr: p, flag: v.flag.ro()}
	}
	panic(&ValueError{Method: "reflect.Value.Slice", Kind: v.Kind()})
}

func (v Value) NumField() int {
	v.mustBe(Struct, "NumField")
	return v.typ.nfields
}

// Field returns the i'th field of the struct v.
func (v Value) Field(i int) Value {
	v.mustBe(Struct, "Field")
	if i < 0 || i >= v.typ.nfields {
		panic("reflect: Field index out of range")
	}
	d := v.typ.field(i)
	// An exported field of an embedded unexported struct is settable again;
	// an unexported field makes everything under it read-only.
	fl := v.flag &^ flagEmbedRO
	if !isExported(d.name) {
		if d.embedded != 0 {
			fl |= flagEmbedRO
		} else {
			fl |= flagStickyRO
		}
	}
	return Value{typ: toRType(d.typ), ptr: unsafe.Add(v.ptr, d.offset), flag: fl}
}

// FieldByIndex returns the nested field corresponding to index.
func (v Value) FieldByIndex(index []int) Value {
	for depth, i := range index {
		if depth > 0 && v.Kind() == Pointer && toRType(v.typ.elem).Kind() == Struct {
			if v.IsNil() {
				panic("reflect: indirection through nil pointer to embedded struct")
			}
			v = v.Elem()
		}
		v = v.Field(i)
	}
	return v
}

// FieldByName returns the struct field with the given name; the zero
// Value if there is none.
func (v Value) FieldByName(name string) Value {
	v.mustBe(Struct, "FieldByName")
	if f, ok := v.typ.FieldByName(name); ok {
		return v.FieldByIndex(f.Index)
	}
	return Value{}
}

// FieldByNameFunc returns the struct field whose name satisfies match.
func (v Value) FieldByNameFunc(match func(string) bool) Value {
	if f, ok := v.typ.FieldByNameFunc(match); ok {
		return v.FieldByIndex(f.Index)
	}
	return Value{}
}

// NumMethod is the number of exported methods in v's method set.
func (v Value) NumMethod() int {
	if v.typ == nil {
		panic(&ValueError{Method: "reflect.Value.NumMethod", Kind: Invalid})
	}
	return v.typ.NumMethod()
}

// ---- making values ----

// MakeSlice creates a new zero-initialized slice value of the type.
func MakeSlice(typ Type, len, cap int) Value {
	if typ.Kind() != Slice {
		panic("reflect.MakeSlice of non-slice type")
	}
	if len < 0 {
		panic("reflect.MakeSlice: negative len")
	}
	if cap < len {
		panic("reflect.MakeSlice: len > cap")
	}
	t := typ.common()
	p := unsafeNew(24)
	*(*sliceHeader)(p) = sliceHeader{data: unsafeNew(uintptr(cap) * toRType(t.elem).size), len: len, cap: cap}
	return Value{typ: t, ptr: p}
}

// Append appends the values x to the slice s.
func Append(s Value, x ...Value) Value {
	s.mustBe(Slice, "Append")
	n := s.Len()
	s = grow(s, len(x))
	for i, e := range x {
		s.Index(n + i).Set(e)
	}
	return s
}

// AppendSlice appends the slice t to the slice s.
func AppendSlice(s, t Value) Value {
	s.mustBe(Slice, "AppendSlice")
	t.mustBe(Slice, "AppendSlice")
	n, m := s.Len(), t.Len()
	s = grow(s, m)
	Copy(s.Slice(n, n+m), t)
	return s
}

// grow is s with n more elements (zero), reallocated when needed.
func grow(s Value, n int) Value {
	h := *(*sliceHeader)(s.ptr)
	e := toRType(s.typ.elem)
	if h.len+n > h.cap {
		c := h.cap * 2
		if c < h.len+n {
			c = h.len + n
		}
		if c < 4 {
			c = 4
		}
		data := unsafeNew(uintptr(c) * e.size)
		memmove(data, h.data, uintptr(h.len)*e.size)
		h.data = data
		h.cap = c
	}
	h.len += n
	p := unsafeNew(24)
	*(*sliceHeader)(p) = h
	return Value{typ: s.typ, ptr: p}
}

// Copy copies src into dst (slices, or dst an addressable array) and
// returns the number of elements copied.
func Copy(dst, src Value) int {
	var de, se *rtype
	var dp, sp unsafe.Pointer
	var dn, sn int
	switch dst.Kind() {
	case Array:
		if dst.flag&flagAddr == 0 {
			panic("reflect.Copy: unaddressable array value")
		}
		de, dp, dn = toRType(dst.typ.elem), dst.ptr, int(dst.typ.len)
	case Slice:
		h := (*sliceHeader)(dst.ptr)
		de, dp, dn = toRType(dst.typ.elem), h.data, h.len
	default:
		panic(&ValueError{Method: "reflect.Copy", Kind: dst.Kind()})
	}
	switch src.Kind() {
	case Array:
		se, sp, sn = toRType(src.typ.elem), src.ptr, int(src.typ.len)
	case Slice:
		h := (*sliceHeader)(src.ptr)
		se, sp, sn = toRType(src.typ.elem), h.data, h.len
	case String:
		s := *(*string)(src.ptr)
		se, sn = basicTypes[Uint8], len(s)
		sp = (*[2]unsafe.Pointer)(unsafe.Pointer(&s))[0]
	default:
		panic(&ValueError{Method: "reflect.Copy", Kind: src.Kind()})
	}
	if de != se {
		panic("reflect.Copy: " + de.String() + " != " + se.String())
	}
	n := dn
	if sn < n {
		n = sn
	}
	if n > 0 {
		copy(unsafe.Slice((*byte)(dp), uintptr(n)*de.size), unsafe.Slice((*byte)(sp), uintptr(n)*de.size))
	}
	return n
}

// Swapper returns a function that swaps the elements in the provided
// slice; it panics if the provided interface is not a slice.
func Swapper(slice any) func(i, j int) {
	v := ValueOf(slice)
	if v.Kind() != Slice {
		panic(&ValueError{Method: "Swapper", Kind: v.Kind()})
	}
	h := *(*sliceHeader)(v.ptr)
	size := toRType(v.typ.elem).size
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


// ---- maps ----

// mapIter is g2n_abi::MapIter: the runtime's iteration state.
type mapIter struct {
	m   unsafe.Pointer
	pos uintptr
	key unsafe.Pointer
	val unsafe.Pointer
}

// MakeMap creates a new map with the specified type.
func MakeMap(typ Type) Value {
	return MakeMapWithSize(typ, 0)
}

// MakeMapWithSize creates a new map with room for about n elements.
func MakeMapWithSize(typ Type, n int) Value {
	if typ.Kind() != Map {
		panic("reflect.MakeMapWithSize of non-map type")
	}
	t := typ.common()
	p := unsafeNew(8)
	*(*unsafe.Pointer)(p) = mapNew(unsafe.Pointer(toRType(t.key)), unsafe.Pointer(toRType(t.elem)), n)
	return Value{typ: t, ptr: p}
}

// MapIndex returns the value associated with key in the map v; the zero
// Value if key is not in the map.
func (v Value) MapIndex(key Value) Value {
	v.mustBe(Map, "MapIndex")
	k := key.assignTo("reflect.Value.MapIndex", toRType(v.typ.key))
	e := mapLookup(v.pointer(), k)
	if e == nil {
		return Value{}
	}
	et := toRType(v.typ.elem)
	c := unsafeNew(et.size)
	memmove(c, e, et.size)
	return Value{typ: et, ptr: c, flag: (v.flag | key.flag).ro()}
}

// MapKeys returns the keys of the map v, in the map's iteration order.
func (v Value) MapKeys() []Value {
	v.mustBe(Map, "MapKeys")
	var keys []Value
	it := mapIter{m: v.pointer()}
	kt := toRType(v.typ.key)
	for mapIterNext(unsafe.Pointer(&it)) != nil {
		c := unsafeNew(kt.size)
		memmove(c, it.key, kt.size)
		keys = append(keys, Value{typ: kt, ptr: c, flag: v.flag.ro()})
	}
	return keys
}

// SetMapIndex sets the element associated with key in the map v to elem;
// a zero elem deletes the key.
func (v Value) SetMapIndex(key, elem Value) {
	v.mustBe(Map, "SetMapIndex")
	if v.flag&flagRO != 0 || key.flag&flagRO != 0 {
		panic("reflect: reflect.Value.SetMapIndex using value obtained using unexported field")
	}
	k := key.assignTo("reflect.Value.SetMapIndex", toRType(v.typ.key))
	if !elem.IsValid() {
		mapDelete(v.pointer(), k)
		return
	}
	et := toRType(v.typ.elem)
	e := elem.assignTo("reflect.Value.SetMapIndex", et)
	memmove(mapAssign(v.pointer(), k), e, et.size)
}

// A MapIter is an iterator for ranging over a map (see Value.MapRange).
type MapIter struct {
	m    Value
	it   mapIter
	done bool
}

// MapRange returns a range iterator for the map v.
func (v Value) MapRange() *MapIter {
	if v.Kind() != Map {
		panic(&ValueError{Method: "reflect.Value.MapRange", Kind: v.Kind()})
	}
	return &MapIter{m: v, it: mapIter{m: v.pointer()}}
}

// Next advances the iterator and reports whether there is another entry.
func (it *MapIter) Next() bool {
	if it.done {
		panic("MapIter.Next called on exhausted iterator")
	}
	if mapIterNext(unsafe.Pointer(&it.it)) == nil {
		it.done = true
		return false
	}
	return true
}

// Key returns the key of the iterator's current map entry.
func (it *MapIter) Key() Value {
	if it.it.key == nil {
		panic("MapIter.Key called before Next")
	}
	kt := toRType(it.m.typ.key)
	c := unsafeNew(kt.size)
	memmove(c, it.it.key, kt.size)
	return Value{typ: kt, ptr: c, flag: it.m.flag.ro()}
}

// Value returns the value of the iterator's current map entry.
func (it *MapIter) Value() Value {
	if it.it.key == nil {
		panic("MapIter.Value called before Next")
	}
	et := toRType(it.m.typ.elem)
	c := unsafeNew(et.size)
	memmove(c, it.it.val, et.size)
	return Value{typ: et, ptr: c, flag: it.m.flag.ro()}
}

// Reset modifies it to iterate over v.
func (it *MapIter) Reset(v Value) {
	*it = MapIter{m: v, it: mapIter{m: v.pointer()}}
}

func mapNew(key, elem unsafe.Pointer, hint int) unsafe.Pointer
func mapLookup(m, key unsafe.Pointer) unsafe.Pointer
func mapAssign(m, key unsafe.Pointer) unsafe.Pointer
func mapDelete(m, key unsafe.Pointer)
func mapLen(m unsafe.Pointer) int
func mapIterNext(it unsafe.Pointer) unsafe.Pointer
func chanLen(c unsafe.Pointer) int
func chanCap(c unsafe.Pointer) int

// StringHeader is the runtime representation of a string (g2n lays a
// string out as Go does: data pointer, then length).
type StringHeader struct {
	Data uintptr
	Len  int
}

// SliceHeader is the runtime representation of a slice.
type SliceHeader struct {
	Data uintptr
	Len  int
	Cap  int
}
