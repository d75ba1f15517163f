// Package reflectlite: g2n's own internal/reflectlite, the part of reflect
// that the packages compiled from Go's source import it for: errors (Is,
// As: TypeOf, Type.Kind/Elem/Comparable/Implements/AssignableTo,
// ValueOf(...).Type/IsNil/Elem/Set), sort (Swapper, ValueOf(x).Len()) and
// context (Type.String, Comparable). Like Go's, it does not import reflect:
// every program that prints imports errors, and reflect is many times this
// package's size to parse and check. It reads the compiler's type
// descriptors (g2n_abi::TypeDesc and its TypeExt) the way stdlib/reflect
// does, with its own copies of those structs; a Type of this package and
// one of reflect are different types, as in Go.
package reflectlite

import "unsafe"

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

var kindNames = []string{
	Invalid:       "invalid",
	Bool:          "bool",
	Int:           "int",
	Int8:          "int8",
	Int16:         "int16",
	Int32:         "int32",
	Int64:         "int64",
	Uint:          "uint",
	Uint8:         "uint8",
	Uint16:        "uint16",
	Uint32:        "uint32",
	Uint64:        "uint64",
	Uintptr:       "uintptr",
	Float32:       "float32",
	Float64:       "float64",
	Complex64:     "complex64",
	Complex128:    "complex128",
	Array:         "array",
	Chan:          "chan",
	Func:          "func",
	Interface:     "interface",
	Map:           "map",
	Pointer:       "ptr",
	Slice:         "slice",
	String:        "string",
	Struct:        "struct",
	UnsafePointer: "unsafe.Pointer",
}

// String returns the name of k.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind" + itoa(int(k))
}

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

// rtype is g2n_abi::TypeDesc, field for field (crates/abi/src/lib.rs).
type rtype struct {
	kind     uint32
	reserved uint32
	size     uintptr
	name     string
	elem     *rtype
	key      *rtype
	len      uintptr
	fields   *fieldDesc
	nfields  int
	methods  *methodDesc
	nmethods int
	ext      *typeExt
}

// fieldDesc is g2n_abi::FieldDesc.
type fieldDesc struct {
	name     string
	typ      *rtype
	offset   uintptr
	embedded uintptr
}

// methodDesc is g2n_abi::MethodDesc: the key is the name, a NUL, and the
// signature without receiver.
type methodDesc struct {
	key string
	fn  unsafe.Pointer
}

// typeExt is g2n_abi::TypeExt.
type typeExt struct {
	pkgPath     string
	typeName    string
	fieldTags   *string
	funcTypes   **rtype
	nin         int
	nout        int
	flags       uintptr
	methodTypes **rtype
}

// g2n_abi::TYPE_FLAG_*.
const (
	flagVariadic = 1
	flagChanRecv = 2
	flagChanSend = 4
)

// g2n_abi::Kind numbers, as descriptors hold them.
const (
	abiBool       = 1
	abiInt        = 2
	abiInt8       = 3
	abiInt16      = 4
	abiInt32      = 5
	abiInt64      = 6
	abiUint       = 7
	abiUint8      = 8
	abiUint16     = 9
	abiUint32     = 10
	abiUint64     = 11
	abiUintptr    = 12
	abiFloat32    = 13
	abiFloat64    = 14
	abiString     = 15
	abiPointer    = 16
	abiSlice      = 17
	abiArray      = 18
	abiStruct     = 19
	abiMap        = 20
	abiFunc       = 21
	abiInterface  = 22
	abiChan       = 23
	abiComplex64  = 24
	abiComplex128 = 25
)

// firstDescAddress: tags below it are g2n_abi::TypeTag numbers.
const firstDescAddress = 4096

// basicTypes: one descriptor per basic kind (by Kind), so that an unnamed
// basic type is one Type however it was reached (an interface's tag, or a
// composite type's element descriptor). A constant literal: static data,
// no start-up code.
var basicTypes = [UnsafePointer + 1]rtype{
	Bool:       {kind: abiBool, size: 1, name: "bool"},
	Int:        {kind: abiInt, size: 8, name: "int"},
	Int8:       {kind: abiInt8, size: 1, name: "int8"},
	Int16:      {kind: abiInt16, size: 2, name: "int16"},
	Int32:      {kind: abiInt32, size: 4, name: "int32"},
	Int64:      {kind: abiInt64, size: 8, name: "int64"},
	Uint:       {kind: abiUint, size: 8, name: "uint"},
	Uint8:      {kind: abiUint8, size: 1, name: "uint8"},
	Uint16:     {kind: abiUint16, size: 2, name: "uint16"},
	Uint32:     {kind: abiUint32, size: 4, name: "uint32"},
	Uint64:     {kind: abiUint64, size: 8, name: "uint64"},
	Uintptr:    {kind: abiUintptr, size: 8, name: "uintptr"},
	Float32:    {kind: abiFloat32, size: 4, name: "float32"},
	Float64:    {kind: abiFloat64, size: 8, name: "float64"},
	Complex64:  {kind: abiComplex64, size: 8, name: "complex64"},
	Complex128: {kind: abiComplex128, size: 16, name: "complex128"},
	String:     {kind: abiString, size: 16, name: "string"},
}

// tagKinds: the Kind of each g2n_abi::TypeTag number.
var tagKinds = []Kind{0, Bool, Int, Float64, String, Int8, Int16, Int32, Int64, Uint, Uint8, Uint16, Uint32, Uint64, Uintptr, Float32, Complex64, Complex128}

// kindOfABI is the Kind of each descriptor kind.
var kindOfABI = []Kind{0, Bool, Int, Int8, Int16, Int32, Int64, Uint, Uint8, Uint16, Uint32, Uint64, Uintptr, Float32, Float64, String, Pointer, Slice, Array, Struct, Map, Func, Interface, Chan, Complex64, Complex128}

// basicABI reports whether a descriptor kind is a basic one.
func basicABI(kind uint32) bool {
	return kind <= abiString || kind == abiComplex64 || kind == abiComplex128
}

// toRType turns a descriptor address into the one *rtype of its type.
func toRType(d *rtype) *rtype {
	if d == nil {
		return nil
	}
	if d.ext == nil && basicABI(d.kind) && d.kind != 0 {
		return &basicTypes[kindOfABI[d.kind]]
	}
	return d
}

func toType(t *rtype) Type {
	if t == nil {
		return nil
	}
	return t
}

// typeOfTag is the type an interface tag names; nil for the nil interface.
func typeOfTag(tag uintptr) *rtype {
	if tag == 0 {
		return nil
	}
	if tag < firstDescAddress {
		if int(tag) < len(tagKinds) {
			return &basicTypes[tagKinds[tag]]
		}
		panic("reflect: unknown type tag " + itoa(int(tag)))
	}
	return toRType((*rtype)(unsafe.Pointer(tag)))
}

// tagOf is the interface tag of values of type t.
func tagOf(t *rtype) uintptr {
	if t.ext == nil && basicABI(t.kind) {
		k := kindOfABI[t.kind]
		for tag, tk := range tagKinds {
			if tk == k && tag > 0 {
				return uintptr(tag)
			}
		}
	}
	return uintptr(unsafe.Pointer(t))
}

// TypeOf returns the dynamic type of i; nil for a nil interface.
func TypeOf(i any) Type {
	words := (*[3]uintptr)(unsafe.Pointer(&i))
	return toType(typeOfTag(words[0]))
}

func (t *rtype) common() *rtype { return t }

func (t *rtype) Kind() Kind {
	if t.kind == abiPointer && t.name == "unsafe.Pointer" {
		return UnsafePointer
	}
	return kindOfABI[t.kind]
}

func (t *rtype) String() string { return t.name }

func (t *rtype) Size() uintptr { return t.size }

func (t *rtype) Name() string {
	if t.kind == abiInterface && t.name == "error" {
		// The predeclared error is a defined type of no package.
		return "error"
	}
	if t.ext != nil {
		return t.ext.typeName
	}
	if basicABI(t.kind) || t.Kind() == UnsafePointer {
		return t.name
	}
	return ""
}

func (t *rtype) PkgPath() string {
	if t.ext != nil && t.ext.typeName != "" {
		return t.ext.pkgPath
	}
	return ""
}

func (t *rtype) Elem() Type {
	switch t.Kind() {
	case Array, Chan, Map, Pointer, Slice:
		return toType(toRType(t.elem))
	}
	panic("reflect: Elem of invalid type " + t.String())
}

// The helpers below are functions, not methods of *rtype: a method is in
// the method table of *rtype, which every program has (errors makes a Type
// at start-up), so each would be compiled whether called or not.

// chanDir is the direction bits of a channel type (g2n_abi's flags).
func chanDir(t *rtype) uintptr {
	if t.ext == nil {
		return 0
	}
	return t.ext.flags & (flagChanRecv | flagChanSend)
}

func numIn(t *rtype) int {
	if t.ext == nil {
		return 0
	}
	return t.ext.nin
}

func numOut(t *rtype) int {
	if t.ext == nil {
		return 0
	}
	return t.ext.nout
}

func variadic(t *rtype) bool {
	return t.ext != nil && t.ext.flags&flagVariadic != 0
}

// funcType is a func type's parameter types then its result types.
func funcType(t *rtype, i int) *rtype {
	p := unsafe.Add(unsafe.Pointer(t.ext.funcTypes), uintptr(i)*8)
	return toRType(*(**rtype)(p))
}

func field(t *rtype, i int) *fieldDesc {
	return (*fieldDesc)(unsafe.Add(unsafe.Pointer(t.fields), uintptr(i)*unsafe.Sizeof(fieldDesc{})))
}

func fieldTag(t *rtype, i int) string {
	if t.ext == nil || t.ext.fieldTags == nil {
		return ""
	}
	return *(*string)(unsafe.Add(unsafe.Pointer(t.ext.fieldTags), uintptr(i)*16))
}

// Comparable reports whether Go's == is defined on values of the type.
func (t *rtype) Comparable() bool {
	switch t.Kind() {
	case Func, Map, Slice:
		return false
	case Array:
		return toRType(t.elem).Comparable()
	case Struct:
		for i := 0; i < t.nfields; i++ {
			if !toRType(field(t, i).typ).Comparable() {
				return false
			}
		}
	}
	return true
}

func methodAt(t *rtype, i int) *methodDesc {
	return (*methodDesc)(unsafe.Add(unsafe.Pointer(t.methods), uintptr(i)*unsafe.Sizeof(methodDesc{})))
}

// methodName is the name part of a method key.
func methodName(key string) string {
	for i := 0; i < len(key); i++ {
		if key[i] == 0 {
			return key[:i]
		}
	}
	return key
}

// numMethod is the number of methods reflect shows: an interface's all, a
// concrete type's exported ones.
func numMethod(t *rtype) int {
	if t.kind == abiInterface {
		return t.nmethods
	}
	n := 0
	for i := 0; i < t.nmethods; i++ {
		name := methodName(methodAt(t, i).key)
		if len(name) > 0 && (name[0] >= 'A' && name[0] <= 'Z' || name[0] >= 0x80) {
			n++
		}
	}
	return n
}

// hasMethodKey reports whether t's method table has the key (name and
// signature, as an interface assertion compares them).
func hasMethodKey(t *rtype, key string) bool {
	for i := 0; i < t.nmethods; i++ {
		if methodAt(t, i).key == key {
			return true
		}
	}
	return false
}

func (t *rtype) Implements(u Type) bool {
	if u == nil {
		panic("reflect: nil type passed to Type.Implements")
	}
	if u.Kind() != Interface {
		panic("reflect: non-interface type passed to Type.Implements")
	}
	return implements(u.common(), t)
}

// implements reports whether type t has every method of interface type u.
func implements(u, t *rtype) bool {
	for i := 0; i < u.nmethods; i++ {
		if !hasMethodKey(t, methodAt(u, i).key) {
			return false
		}
	}
	return true
}

func (t *rtype) AssignableTo(u Type) bool {
	if u == nil {
		panic("reflect: nil type passed to Type.AssignableTo")
	}
	uu := u.common()
	return directlyAssignable(uu, t) || (uu.Kind() == Interface && implements(uu, t))
}

// directlyAssignable: T to V without an interface: the same type, or
// identical underlying types and one of them unnamed.
func directlyAssignable(v, t *rtype) bool {
	if v == t {
		return true
	}
	if v.Name() != "" && t.Name() != "" || v.Kind() != t.Kind() {
		return false
	}
	if v.Kind() == Chan && chanDir(t) == flagChanRecv|flagChanSend && toRType(v.elem) == toRType(t.elem) {
		return true
	}
	return haveIdenticalUnderlyingType(v, t)
}

// haveIdenticalUnderlyingType compares the structure of two types, struct
// tags included; their elements must be the same types (one descriptor).
func haveIdenticalUnderlyingType(t, u *rtype) bool {
	if t == u {
		return true
	}
	k := t.Kind()
	if k != u.Kind() {
		return false
	}
	if k <= Complex128 || k == String || k == UnsafePointer {
		return true
	}
	same := func(a, b *rtype) bool { return toRType(a) == toRType(b) }
	switch k {
	case Array:
		return t.len == u.len && same(t.elem, u.elem)
	case Chan:
		return chanDir(t) == chanDir(u) && same(t.elem, u.elem)
	case Pointer, Slice:
		return same(t.elem, u.elem)
	case Map:
		return same(t.key, u.key) && same(t.elem, u.elem)
	case Func:
		if numIn(t) != numIn(u) || numOut(t) != numOut(u) || variadic(t) != variadic(u) {
			return false
		}
		for i := 0; i < numIn(t)+numOut(t); i++ {
			if !same(funcType(t, i), funcType(u, i)) {
				return false
			}
		}
		return true
	case Interface:
		if t.nmethods != u.nmethods {
			return false
		}
		for i := 0; i < t.nmethods; i++ {
			if methodAt(t, i).key != methodAt(u, i).key {
				return false
			}
		}
		return true
	case Struct:
		if t.nfields != u.nfields {
			return false
		}
		for i := 0; i < t.nfields; i++ {
			tf, uf := field(t, i), field(u, i)
			if tf.name != uf.name || tf.embedded != uf.embedded || tf.offset != uf.offset || !same(tf.typ, uf.typ) {
				return false
			}
			if fieldTag(t, i) != fieldTag(u, i) {
				return false
			}
		}
		return true
	}
	return false
}

// itoa is strconv.Itoa (this package imports nothing but unsafe).
func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	u := uint64(n)
	if neg {
		u = uint64(-n)
	}
	var b [20]byte
	i := len(b)
	for u > 0 {
		i--
		b[i] = byte('0' + u%10)
		u /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
