// Package reflectlite: the part of Go's internal/reflectlite that the
// packages compiled from Go's source use: sort.Slice (Swapper,
// ValueOf(x).Len()) and errors.Is/As (TypeOf, Kind, Elem, Comparable,
// Implements, AssignableTo, Value.IsNil/Elem/Set). Reflection is bound to
// g2n's type descriptors, so it is g2n's own: a type is the tag word of an
// interface value (a basic type's tag, or a descriptor's address), read by
// the runtime (crates/runtime/src/stdlib_reflect.rs).
package reflectlite

// A Kind represents the specific kind of type that a Type represents, with
// Go's numbering.
type Kind uint

const (
	Invalid Kind = iota
	Bool
	Int
	Int8
	Int16
	Int32
	Int64
	Uint
	Uint8
	Uint16
	Uint32
	Uint64
	Uintptr
	Float32
	Float64
	Complex64
	Complex128
	Array
	Chan
	Func
	Interface
	Map
	Pointer
	Slice
	String
	Struct
	UnsafePointer
)

const Ptr = Pointer

// Type is the representation of a Go type.
type Type interface {
	// Kind returns the specific kind of this type.
	Kind() Kind
	// Elem returns a pointer, array, slice, map or channel type's element type.
	Elem() Type
	// Implements reports whether the type implements the interface type u.
	Implements(u Type) bool
	// AssignableTo reports whether a value of the type is assignable to type u.
	AssignableTo(u Type) bool
	// Comparable reports whether values of this type are comparable.
	Comparable() bool
	// String returns a string representation of the type.
	String() string
}

// rtype is a Type: the tag of the interface values of that type.
type rtype struct {
	tag uint64
}

// TypeOf returns the dynamic type of i; nil for a nil interface.
func TypeOf(i any) Type {
	tag := typeTag(i)
	if tag == 0 {
		return nil
	}
	return &rtype{tag: tag}
}

func (t *rtype) Kind() Kind { return Kind(kindOf(t.tag)) }

func (t *rtype) Elem() Type {
	elem := elemTag(t.tag)
	if elem == 0 {
		panic("reflect: Elem of invalid type " + t.String())
	}
	return &rtype{tag: elem}
}

func (t *rtype) Implements(u Type) bool {
	if u == nil {
		panic("reflect: nil type passed to Type.Implements")
	}
	if u.Kind() != Interface {
		panic("reflect: non-interface type passed to Type.Implements")
	}
	return implements(t.tag, u.(*rtype).tag)
}

func (t *rtype) AssignableTo(u Type) bool {
	if u == nil {
		panic("reflect: nil type passed to Type.AssignableTo")
	}
	uTag := u.(*rtype).tag
	return t.tag == uTag || (kindOf(uTag) == int(Interface) && implements(t.tag, uTag))
}

func (t *rtype) Comparable() bool { return comparableTag(t.tag) }

func (t *rtype) String() string { return typeName(t.tag) }

// Value holds a value of any type, or (from Elem of a pointer) the
// variable a pointer points to, which Set assigns.
type Value struct {
	v any
	// addr and tag: the variable and its type, for a Value from Elem.
	addr uintptr
	tag  uint64
}

// ValueOf returns a Value holding i.
func ValueOf(i any) Value {
	return Value{v: i}
}

// Type returns v's type: the dynamic type of the value it holds, or the
// type of the variable it denotes.
func (v Value) Type() Type {
	if v.addr != 0 {
		return &rtype{tag: v.tag}
	}
	return TypeOf(v.v)
}

// Len returns the length of the slice v holds; it panics for any other kind
// (Go's Len also takes arrays, strings, maps and channels; sort needs slices).
func (v Value) Len() int {
	return sliceLen(v.v)
}

// IsNil reports whether v, a pointer, map, channel or function, is nil.
func (v Value) IsNil() bool {
	return isNil(v.v)
}

// Elem returns the variable the pointer v holds points to.
func (v Value) Elem() Value {
	tag := typeTag(v.v)
	if Kind(kindOf(tag)) != Pointer {
		panic("reflect: call of reflectlite.Value.Elem on " + typeName(tag) + " value")
	}
	return Value{addr: pointerWord(v.v), tag: elemTag(tag)}
}

// Set assigns x to the variable v denotes (a Value from Elem); x must be
// assignable to its type.
func (v Value) Set(x Value) {
	if v.addr == 0 {
		panic("reflect: reflectlite.Value.Set using unaddressable value")
	}
	xTag := typeTag(x.v)
	if xTag != v.tag && !(kindOf(v.tag) == int(Interface) && implements(xTag, v.tag)) {
		panic("reflect: reflectlite.Value.Set: value of type " + typeName(xTag) + " is not assignable to type " + typeName(v.tag))
	}
	store(v.addr, v.tag, x.v)
}

// Swapper returns a function that swaps the elements i and j of the slice;
// it panics if slice is not a slice.
func Swapper(slice any) func(i, j int) {
	n := swapperLen(slice)
	return func(i, j int) {
		if uint(i) >= uint(n) || uint(j) >= uint(n) {
			panic("reflect: slice index out of range")
		}
		swap(slice, i, j)
	}
}

func sliceLen(slice any) int
func swapperLen(slice any) int
func swap(slice any, i, j int)

// typeTag is the tag word of i (0 for nil).
func typeTag(i any) uint64

// kindOf is the Kind (Go's numbering) of the type a tag names.
func kindOf(tag uint64) int

// elemTag is the element type of a pointer, slice, array, map or channel
// type; 0 for other kinds.
func elemTag(tag uint64) uint64

// implements reports whether the type tag has every method of the
// interface type iface.
func implements(tag, iface uint64) bool

// comparableTag reports whether Go's == is defined on the type.
func comparableTag(tag uint64) bool

// typeName is the type's spelling, as %T prints it.
func typeName(tag uint64) string

// isNil reports whether the pointer, map, channel or function i holds is
// nil; it panics for other kinds, as Go's does.
func isNil(i any) bool

// pointerWord is the address the pointer i holds.
func pointerWord(i any) uintptr

// store writes x's value into the variable of type tag at addr.
func store(addr uintptr, tag uint64, x any)
