// Package typedesc: g2n's own, the type descriptors that codegen emits
// (crates/codegen/src/lower/rtti.rs) as g2n's Go code reads them. Its
// structs are g2n_abi's TypeDesc, FieldDesc, MethodDesc and TypeExt, field
// for field (crates/abi/src/lib.rs; crates/codegen/tests/std_abi.rs holds
// them, and reflect's copies under its own names, to those layouts), with
// the descriptor kind numbers and flags that reflect takes from here, and
// the reading that internal/reflectlite and fmt do: the one descriptor of
// each basic type, interface tags, kinds, method keys, struct tags,
// assignability. Plain functions, not methods: it is loaded by every
// program that prints (fmt, and errors through internal/reflectlite), and
// only what is called is compiled. It also holds the literal text these
// packages need without strconv (text.go).
package typedesc

import "unsafe"

// Type is g2n_abi::TypeDesc.
type Type struct {
	Kind     uint32
	Reserved uint32
	Size     uintptr
	// Name is Go's spelling of the type, as %T prints it.
	Name     string
	Elem     *Type
	Key      *Type
	Len      uintptr
	Fields   *Field
	NFields  int
	Methods  *Method
	NMethods int
	Ext      *Ext
}

// Field is g2n_abi::FieldDesc.
type Field struct {
	Name     string
	Type     *Type
	Offset   uintptr
	Embedded uintptr
}

// Method is g2n_abi::MethodDesc: the key is the name, a NUL, and the
// signature without receiver.
type Method struct {
	Key string
	Fn  unsafe.Pointer
}

// Ext is g2n_abi::TypeExt.
type Ext struct {
	PkgPath     string
	TypeName    string
	FieldTags   *string
	FuncTypes   **Type
	NIn         int
	NOut        int
	Flags       uintptr
	MethodTypes **Type
	// Call and MakeFunc: a func type's call adapter and MakeFunc stub
	// (reflect's call.go), nil unless the program calls through reflect.
	Call     unsafe.Pointer
	MakeFunc unsafe.Pointer
}

// g2n_abi::TYPE_FLAG_*.
const (
	FlagVariadic = 1
	FlagChanRecv = 2
	FlagChanSend = 4
)

// g2n_abi::Kind numbers, as descriptors hold them.
const (
	Bool       = 1
	Int        = 2
	Int8       = 3
	Int16      = 4
	Int32      = 5
	Int64      = 6
	Uint       = 7
	Uint8      = 8
	Uint16     = 9
	Uint32     = 10
	Uint64     = 11
	Uintptr    = 12
	Float32    = 13
	Float64    = 14
	String     = 15
	Pointer    = 16
	Slice      = 17
	Array      = 18
	Struct     = 19
	Map        = 20
	Func       = 21
	Interface  = 22
	Chan       = 23
	Complex64  = 24
	Complex128 = 25
)

// FirstDescAddress: interface tags below it are g2n_abi::TypeTag numbers.
const FirstDescAddress = 4096

// IsBasic reports whether a descriptor kind is a basic one.
func IsBasic(kind uint32) bool {
	return kind <= String || kind == Complex64 || kind == Complex128
}

// reflectKinds: the reflect.Kind number of each descriptor kind (reflect:
// Bool 1 to Float64 14 as here, Complex64 15, Complex128 16, Array 17,
// Chan 18, Func 19, Interface 20, Map 21, Pointer 22, Slice 23, String 24,
// Struct 25, UnsafePointer 26).
var reflectKinds = [...]uint8{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 24, 22, 23, 17, 25, 21, 19, 20, 18, 15, 16}

// kindNames: what reflect.Kind's String says of each kind, by its number.
var kindNames = []string{
	"invalid", "bool", "int", "int8", "int16", "int32", "int64",
	"uint", "uint8", "uint16", "uint32", "uint64", "uintptr",
	"float32", "float64", "complex64", "complex128",
	"array", "chan", "func", "interface", "map", "ptr", "slice", "string", "struct",
	"unsafe.Pointer",
}

// KindName is reflect.Kind(k).String() (reflect's and reflectlite's).
func KindName(k uint) string {
	if k < uint(len(kindNames)) {
		return kindNames[k]
	}
	return "kind" + Itoa(int(k))
}

// ReflectKindOf is the reflect.Kind number of descriptor kind `kind` (of
// any type but unsafe.Pointer, which has a Pointer descriptor).
func ReflectKindOf(kind uint32) uint {
	return uint(reflectKinds[kind])
}

// ReflectKind is the reflect.Kind number of t.
func ReflectKind(t *Type) uint {
	if t.Kind == Pointer && t.Name == "unsafe.Pointer" {
		return 26 // reflect.UnsafePointer
	}
	return uint(reflectKinds[t.Kind])
}

// basicTypes: one descriptor per basic kind (by descriptor kind), so that
// an unnamed basic type is one Type however it was reached (an interface's
// tag, or a composite type's element descriptor). A constant literal:
// static data, no start-up code.
var basicTypes = [Complex128 + 1]Type{
	Bool:       {Kind: Bool, Size: 1, Name: "bool"},
	Int:        {Kind: Int, Size: 8, Name: "int"},
	Int8:       {Kind: Int8, Size: 1, Name: "int8"},
	Int16:      {Kind: Int16, Size: 2, Name: "int16"},
	Int32:      {Kind: Int32, Size: 4, Name: "int32"},
	Int64:      {Kind: Int64, Size: 8, Name: "int64"},
	Uint:       {Kind: Uint, Size: 8, Name: "uint"},
	Uint8:      {Kind: Uint8, Size: 1, Name: "uint8"},
	Uint16:     {Kind: Uint16, Size: 2, Name: "uint16"},
	Uint32:     {Kind: Uint32, Size: 4, Name: "uint32"},
	Uint64:     {Kind: Uint64, Size: 8, Name: "uint64"},
	Uintptr:    {Kind: Uintptr, Size: 8, Name: "uintptr"},
	Float32:    {Kind: Float32, Size: 4, Name: "float32"},
	Float64:    {Kind: Float64, Size: 8, Name: "float64"},
	String:     {Kind: String, Size: 16, Name: "string"},
	Complex64:  {Kind: Complex64, Size: 8, Name: "complex64"},
	Complex128: {Kind: Complex128, Size: 16, Name: "complex128"},
}

// tagKinds: the descriptor kind of each g2n_abi::TypeTag number.
var tagKinds = [...]uint32{0, Bool, Int, Float64, String, Int8, Int16, Int32, Int64, Uint, Uint8, Uint16, Uint32, Uint64, Uintptr, Float32, Complex64, Complex128}

// Canonical is the one descriptor of d's type: codegen emits a descriptor
// of an unnamed basic type in each unit that uses it.
func Canonical(d *Type) *Type {
	if d == nil {
		return nil
	}
	if d.Ext == nil && IsBasic(d.Kind) && d.Kind != 0 {
		return &basicTypes[d.Kind]
	}
	return d
}

// OfTag is the type an interface tag names; nil for the nil interface.
func OfTag(tag uintptr) *Type {
	if tag == 0 {
		return nil
	}
	if tag < FirstDescAddress {
		if int(tag) < len(tagKinds) {
			return &basicTypes[tagKinds[tag]]
		}
		panic("reflect: unknown type tag " + Itoa(int(tag)))
	}
	return Canonical((*Type)(unsafe.Pointer(tag)))
}

// TagOf is the interface tag of values of type t.
func TagOf(t *Type) uintptr {
	if t.Ext == nil && IsBasic(t.Kind) {
		for tag, k := range tagKinds {
			if k == t.Kind && tag > 0 {
				return uintptr(tag)
			}
		}
	}
	return uintptr(unsafe.Pointer(t))
}

// TypeName is what reflect's Type.Name says: a defined type's name, a basic
// type's, error's; empty for other unnamed types.
func TypeName(t *Type) string {
	if t.Kind == Interface && t.Name == "error" {
		// The predeclared error is a defined type of no package.
		return "error"
	}
	if t.Ext != nil {
		return t.Ext.TypeName
	}
	if IsBasic(t.Kind) || t.Kind == Pointer && t.Name == "unsafe.Pointer" {
		return t.Name
	}
	return ""
}

// PkgPath is the package path of a defined type; empty for others.
func PkgPath(t *Type) string {
	if t.Ext != nil && t.Ext.TypeName != "" {
		return t.Ext.PkgPath
	}
	return ""
}

// ChanDir is the direction bits of a channel type (FlagChanRecv,
// FlagChanSend).
func ChanDir(t *Type) uintptr {
	if t.Ext == nil {
		return 0
	}
	return t.Ext.Flags & (FlagChanRecv | FlagChanSend)
}

// NumIn is the number of a func type's parameters.
func NumIn(t *Type) int {
	if t.Ext == nil {
		return 0
	}
	return t.Ext.NIn
}

// NumOut is the number of a func type's results.
func NumOut(t *Type) int {
	if t.Ext == nil {
		return 0
	}
	return t.Ext.NOut
}

// Variadic reports whether a func type's last parameter is ...T.
func Variadic(t *Type) bool {
	return t.Ext != nil && t.Ext.Flags&FlagVariadic != 0
}

// FuncType is a func type's parameter types then its result types: the
// i-th of them.
func FuncType(t *Type, i int) *Type {
	p := unsafe.Add(unsafe.Pointer(t.Ext.FuncTypes), uintptr(i)*8)
	return Canonical(*(**Type)(p))
}

// FieldAt is a struct type's i-th field.
func FieldAt(t *Type, i int) *Field {
	return (*Field)(unsafe.Add(unsafe.Pointer(t.Fields), uintptr(i)*unsafe.Sizeof(Field{})))
}

// FieldTag is the tag of a struct type's i-th field.
func FieldTag(t *Type, i int) string {
	if t.Ext == nil || t.Ext.FieldTags == nil {
		return ""
	}
	return *(*string)(unsafe.Add(unsafe.Pointer(t.Ext.FieldTags), uintptr(i)*16))
}

// MethodAt is the i-th entry of t's method table (sorted by name).
func MethodAt(t *Type, i int) *Method {
	return (*Method)(unsafe.Add(unsafe.Pointer(t.Methods), uintptr(i)*unsafe.Sizeof(Method{})))
}

// MethodName is the name part of a method key.
func MethodName(key string) string {
	for i := 0; i < len(key); i++ {
		if key[i] == 0 {
			return key[:i]
		}
	}
	return key
}

// IsExported reports whether a name is exported (an upper-case letter
// first; any non-ASCII letter is taken as one).
func IsExported(name string) bool {
	return len(name) > 0 && (name[0] >= 'A' && name[0] <= 'Z' || name[0] >= 0x80)
}

// HasMethodKey reports whether t's method table has the key (name and
// signature, as an interface assertion compares them).
func HasMethodKey(t *Type, key string) bool {
	for i := 0; i < t.NMethods; i++ {
		if MethodAt(t, i).Key == key {
			return true
		}
	}
	return false
}

// Implements reports whether type t has every method of interface type u.
func Implements(u, t *Type) bool {
	for i := 0; i < u.NMethods; i++ {
		if !HasMethodKey(t, MethodAt(u, i).Key) {
			return false
		}
	}
	return true
}

// NumMethod is the number of methods reflect shows: an interface's all, a
// concrete type's exported ones.
func NumMethod(t *Type) int {
	if t.Kind == Interface {
		return t.NMethods
	}
	n := 0
	for i := 0; i < t.NMethods; i++ {
		if IsExported(MethodName(MethodAt(t, i).Key)) {
			n++
		}
	}
	return n
}

// Comparable reports whether Go's == is defined on values of the type.
func Comparable(t *Type) bool {
	switch t.Kind {
	case Func, Map, Slice:
		return false
	case Array:
		return Comparable(Canonical(t.Elem))
	case Struct:
		for i := 0; i < t.NFields; i++ {
			if !Comparable(Canonical(FieldAt(t, i).Type)) {
				return false
			}
		}
	}
	return true
}

// DirectlyAssignable: a value of type t to a variable of type v without an
// interface: the same type, or identical underlying types and one of them
// unnamed.
func DirectlyAssignable(v, t *Type) bool {
	if v == t {
		return true
	}
	if TypeName(v) != "" && TypeName(t) != "" || ReflectKind(v) != ReflectKind(t) {
		return false
	}
	if v.Kind == Chan && ChanDir(t) == FlagChanRecv|FlagChanSend && Canonical(v.Elem) == Canonical(t.Elem) {
		return true
	}
	return IdenticalUnderlying(v, t)
}

// IdenticalUnderlying compares the structure of two types, struct tags
// included; their elements must be the same types (one descriptor).
func IdenticalUnderlying(t, u *Type) bool {
	if t == u {
		return true
	}
	if ReflectKind(t) != ReflectKind(u) {
		return false
	}
	if IsBasic(t.Kind) || t.Name == "unsafe.Pointer" && t.Kind == Pointer {
		return true
	}
	same := func(a, b *Type) bool { return Canonical(a) == Canonical(b) }
	switch t.Kind {
	case Array:
		return t.Len == u.Len && same(t.Elem, u.Elem)
	case Chan:
		return ChanDir(t) == ChanDir(u) && same(t.Elem, u.Elem)
	case Pointer, Slice:
		return same(t.Elem, u.Elem)
	case Map:
		return same(t.Key, u.Key) && same(t.Elem, u.Elem)
	case Func:
		if NumIn(t) != NumIn(u) || NumOut(t) != NumOut(u) || Variadic(t) != Variadic(u) {
			return false
		}
		for i := 0; i < NumIn(t)+NumOut(t); i++ {
			if !same(FuncType(t, i), FuncType(u, i)) {
				return false
			}
		}
		return true
	case Interface:
		if t.NMethods != u.NMethods {
			return false
		}
		for i := 0; i < t.NMethods; i++ {
			if MethodAt(t, i).Key != MethodAt(u, i).Key {
				return false
			}
		}
		return true
	case Struct:
		if t.NFields != u.NFields {
			return false
		}
		for i := 0; i < t.NFields; i++ {
			tf, uf := FieldAt(t, i), FieldAt(u, i)
			if tf.Name != uf.Name || tf.Embedded != uf.Embedded || tf.Offset != uf.Offset || !same(tf.Type, uf.Type) {
				return false
			}
			if FieldTag(t, i) != FieldTag(u, i) {
				return false
			}
		}
		return true
	}
	return false
}
