// Package reflectlite: the part of Go's internal/reflectlite that the
// packages compiled from Go's source use (errors.Is/As: TypeOf, Kind,
// Elem, Comparable, Implements, AssignableTo, Value.IsNil/Elem/Set;
// sort.Slice: Swapper, ValueOf(x).Len()), as g2n's reflect provides it:
// both read the compiler's type descriptors the same way.
package reflectlite

import "reflect"

// A Kind represents the specific kind of type that a Type represents.
type Kind = reflect.Kind

const (
	Invalid       = reflect.Invalid
	Bool          = reflect.Bool
	Int           = reflect.Int
	Int8          = reflect.Int8
	Int16         = reflect.Int16
	Int32         = reflect.Int32
	Int64         = reflect.Int64
	Uint          = reflect.Uint
	Uint8         = reflect.Uint8
	Uint16        = reflect.Uint16
	Uint32        = reflect.Uint32
	Uint64        = reflect.Uint64
	Uintptr       = reflect.Uintptr
	Float32       = reflect.Float32
	Float64       = reflect.Float64
	Complex64     = reflect.Complex64
	Complex128    = reflect.Complex128
	Array         = reflect.Array
	Chan          = reflect.Chan
	Func          = reflect.Func
	Interface     = reflect.Interface
	Map           = reflect.Map
	Pointer       = reflect.Pointer
	Slice         = reflect.Slice
	String        = reflect.String
	Struct        = reflect.Struct
	UnsafePointer = reflect.UnsafePointer
)

const Ptr = Pointer

// Type is the representation of a Go type.
type Type = reflect.Type

// Value is the reflection interface to a Go value.
type Value = reflect.Value

// A ValueError occurs when a Value method is invoked on a Value that does
// not support it.
type ValueError = reflect.ValueError

// TypeOf returns the dynamic type of i; nil for a nil interface.
func TypeOf(i any) Type { return reflect.TypeOf(i) }

// ValueOf returns a Value holding i.
func ValueOf(i any) Value { return reflect.ValueOf(i) }

// Swapper returns a function that swaps the elements i and j of the slice.
func Swapper(slice any) func(i, j int) { return reflect.Swapper(slice) }
