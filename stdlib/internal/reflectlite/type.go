// Package reflectlite: g2n's own internal/reflectlite, the part of reflect
// that the packages compiled from Go's source import it for: errors (Is,
// As: TypeOf, Type.Kind/Elem/Comparable/Implements/AssignableTo,
// ValueOf(...).Type/IsNil/Elem/Set), sort (Swapper, ValueOf(x).Len()) and
// context (Type.String, Comparable). Like Go's, it does not import reflect:
// every program that prints imports errors, and reflect is many times this
// package's size to parse and check. It reads the compiler's type
// descriptors through internal/typedesc; a Type of this package and one of
// reflect are different types, as in Go.
package reflectlite

import (
	"internal/typedesc"
	"unsafe"
)

// A Kind represents the specific kind of type that a Type represents.
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

// String returns the name of k.
func (k Kind) String() string { return typedesc.KindName(uint(k)) }

// Type is the representation of a Go type: the methods of Go's
// internal/reflectlite.Type.
type Type interface {
	Name() string
	PkgPath() string
	Size() uintptr
	Kind() Kind
	Implements(u Type) bool
	AssignableTo(u Type) bool
	Comparable() bool
	String() string
	Elem() Type
	common() *rtype
}

// rtype is a type's descriptor (typedesc.Type), with the methods of Type.
type rtype struct {
	d typedesc.Type
}

// toRType is the one *rtype of descriptor d's type.
func toRType(d *typedesc.Type) *rtype {
	return (*rtype)(unsafe.Pointer(typedesc.Canonical(d)))
}

func toType(t *rtype) Type {
	if t == nil {
		return nil
	}
	return t
}

// typeOfTag is the type an interface tag names; nil for the nil interface.
func typeOfTag(tag uintptr) *rtype {
	return (*rtype)(unsafe.Pointer(typedesc.OfTag(tag)))
}

// TypeOf returns the dynamic type of i; nil for a nil interface.
func TypeOf(i any) Type {
	words := (*[3]uintptr)(unsafe.Pointer(&i))
	return toType(typeOfTag(words[0]))
}

func (t *rtype) common() *rtype { return t }

func (t *rtype) Kind() Kind { return Kind(typedesc.ReflectKind(&t.d)) }

func (t *rtype) String() string { return t.d.Name }

func (t *rtype) Size() uintptr { return t.d.Size }

func (t *rtype) Name() string { return typedesc.TypeName(&t.d) }

func (t *rtype) PkgPath() string { return typedesc.PkgPath(&t.d) }

func (t *rtype) Elem() Type {
	switch t.Kind() {
	case Array, Chan, Map, Pointer, Slice:
		return toType(toRType(t.d.Elem))
	}
	panic("reflect: Elem of invalid type " + t.String())
}

// Comparable reports whether Go's == is defined on values of the type.
func (t *rtype) Comparable() bool { return typedesc.Comparable(&t.d) }

func (t *rtype) Implements(u Type) bool {
	if u == nil {
		panic("reflect: nil type passed to Type.Implements")
	}
	if u.Kind() != Interface {
		panic("reflect: non-interface type passed to Type.Implements")
	}
	return typedesc.Implements(&u.common().d, &t.d)
}

func (t *rtype) AssignableTo(u Type) bool {
	if u == nil {
		panic("reflect: nil type passed to Type.AssignableTo")
	}
	uu := u.common()
	return typedesc.DirectlyAssignable(&uu.d, &t.d) || (uu.Kind() == Interface && typedesc.Implements(&uu.d, &t.d))
}
