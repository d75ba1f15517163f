// Package reflect: g2n's own, since reflection is bound to the compiler's
// type information. A Type is a type descriptor that codegen emits
// (g2n_abi::TypeDesc and its TypeExt), read here through unsafe pointers;
// an interface value is three words (its tag, then two payload words,
// docs/language.md), a tag below 4096 naming an unnamed basic type and any
// other the address of a descriptor. What is not here yet is listed in
// docs/stdlib.md ("reflect").
package reflect

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

// Ptr is the old name for the Pointer kind.
const Ptr = Pointer

// String returns the name of k.
func (k Kind) String() string { return typedesc.KindName(uint(k)) }

// ChanDir represents a channel type's direction.
type ChanDir int

const (
	RecvDir ChanDir = 1 << iota
	SendDir
	BothDir = RecvDir | SendDir
)

func (d ChanDir) String() string {
	switch d {
	case SendDir:
		return "chan<-"
	case RecvDir:
		return "<-chan"
	case BothDir:
		return "chan"
	}
	return "ChanDir" + itoa(int(d))
}

// Type is the representation of a Go type. Two Types are equal (==) when
// they are the same type.
type Type interface {
	Align() int
	FieldAlign() int
	Method(int) Method
	MethodByName(string) (Method, bool)
	NumMethod() int
	Name() string
	PkgPath() string
	Size() uintptr
	String() string
	Kind() Kind
	Implements(u Type) bool
	AssignableTo(u Type) bool
	ConvertibleTo(u Type) bool
	Comparable() bool
	Bits() int
	ChanDir() ChanDir
	IsVariadic() bool
	Elem() Type
	Field(i int) StructField
	FieldByIndex(index []int) StructField
	FieldByName(name string) (StructField, bool)
	FieldByNameFunc(match func(string) bool) (StructField, bool)
	In(i int) Type
	Key() Type
	Len() int
	NumField() int
	NumIn() int
	NumOut() int
	Out(i int) Type
	common() *rtype
}

// rtype is g2n_abi::TypeDesc, field for field: typedesc.Type's layout
// (internal/typedesc) under this package's names, which
// crates/codegen/tests/std_abi.rs holds to g2n_abi's, as it does the
// three structs below.
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
	// call and makeFunc: a func type's call adapter and MakeFunc stub
	// (call.go), nil unless the program calls through reflect.
	call     unsafe.Pointer
	makeFunc unsafe.Pointer
}

// g2n_abi::TYPE_FLAG_* (typedesc).
const (
	flagVariadic = typedesc.FlagVariadic
	flagChanRecv = typedesc.FlagChanRecv
	flagChanSend = typedesc.FlagChanSend
)

// g2n_abi::Kind numbers, as descriptors hold them (typedesc).
const (
	abiBool       = typedesc.Bool
	abiInt        = typedesc.Int
	abiInt8       = typedesc.Int8
	abiInt16      = typedesc.Int16
	abiInt32      = typedesc.Int32
	abiInt64      = typedesc.Int64
	abiUint       = typedesc.Uint
	abiUint8      = typedesc.Uint8
	abiUint16     = typedesc.Uint16
	abiUint32     = typedesc.Uint32
	abiUint64     = typedesc.Uint64
	abiUintptr    = typedesc.Uintptr
	abiFloat32    = typedesc.Float32
	abiFloat64    = typedesc.Float64
	abiString     = typedesc.String
	abiPointer    = typedesc.Pointer
	abiSlice      = typedesc.Slice
	abiArray      = typedesc.Array
	abiStruct     = typedesc.Struct
	abiMap        = typedesc.Map
	abiFunc       = typedesc.Func
	abiInterface  = typedesc.Interface
	abiChan       = typedesc.Chan
	abiComplex64  = typedesc.Complex64
	abiComplex128 = typedesc.Complex128
)

// firstDescAddress: tags below it are g2n_abi::TypeTag numbers.
const firstDescAddress = typedesc.FirstDescAddress

// basicTypes: one descriptor per basic kind (by reflect Kind), so that an
// unnamed basic type is one Type however it was reached (an interface's
// tag, or a composite type's element descriptor).
var basicTypes = makeBasicTypes()

// tagKinds: the reflect Kind of each g2n_abi::TypeTag number.
var tagKinds = []Kind{0, Bool, Int, Float64, String, Int8, Int16, Int32, Int64, Uint, Uint8, Uint16, Uint32, Uint64, Uintptr, Float32, Complex64, Complex128}

func makeBasicTypes() []*rtype {
	types := make([]*rtype, UnsafePointer+1)
	sizes := []uintptr{Bool: 1, Int: 8, Int8: 1, Int16: 2, Int32: 4, Int64: 8, Uint: 8, Uint8: 1, Uint16: 2, Uint32: 4, Uint64: 8, Uintptr: 8, Float32: 4, Float64: 8, Complex64: 8, Complex128: 16, String: 16}
	for k := Bool; k <= String; k++ {
		if k > Complex128 && k < String {
			continue
		}
		types[k] = &rtype{kind: abiKindOf(k), size: sizes[k], name: typedesc.KindName(uint(k))}
	}
	return types
}

// abiKindOf is the descriptor kind of a basic reflect Kind.
func abiKindOf(k Kind) uint32 {
	switch {
	case k >= Bool && k <= Float64:
		return uint32(k)
	case k == Complex64:
		return abiComplex64
	case k == Complex128:
		return abiComplex128
	case k == String:
		return abiString
	}
	return 0
}

// kindOfABI is the reflect Kind of a descriptor kind.
var kindOfABI = []Kind{0, Bool, Int, Int8, Int16, Int32, Int64, Uint, Uint8, Uint16, Uint32, Uint64, Uintptr, Float32, Float64, String, Pointer, Slice, Array, Struct, Map, Func, Interface, Chan, Complex64, Complex128}

// basicABI reports whether a descriptor kind is a basic one.
func basicABI(kind uint32) bool { return typedesc.IsBasic(kind) }

// toType turns a descriptor address into the one *rtype of its type.
func toRType(d *rtype) *rtype {
	if d == nil {
		return nil
	}
	if d.ext == nil && basicABI(d.kind) && d.kind != 0 {
		return basicTypes[kindOfABI[d.kind]]
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
			return basicTypes[tagKinds[tag]]
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

func (t *rtype) Align() int {
	switch t.Kind() {
	case Bool, Int8, Uint8:
		return 1
	case Int16, Uint16:
		return 2
	case Int32, Uint32, Float32, Complex64:
		return 4
	case Array:
		return t.elem.Align()
	case Struct:
		a := 1
		for i := 0; i < t.nfields; i++ {
			if fa := t.field(i).typ.Align(); fa > a {
				a = fa
			}
		}
		return a
	}
	return 8
}

func (t *rtype) FieldAlign() int { return t.Align() }

func (t *rtype) Bits() int {
	k := t.Kind()
	if k < Int || k > Complex128 {
		panic("reflect: Bits of non-arithmetic Type " + t.String())
	}
	return int(t.size) * 8
}

func (t *rtype) Elem() Type {
	switch t.Kind() {
	case Array, Chan, Map, Pointer, Slice:
		return toType(toRType(t.elem))
	}
	panic("reflect: Elem of invalid type " + t.String())
}

func (t *rtype) Key() Type {
	if t.Kind() != Map {
		panic("reflect: Key of non-map type " + t.String())
	}
	return toType(toRType(t.key))
}

func (t *rtype) Len() int {
	if t.Kind() != Array {
		panic("reflect: Len of non-array type " + t.String())
	}
	return int(t.len)
}

func (t *rtype) ChanDir() ChanDir {
	if t.Kind() != Chan {
		panic("reflect: ChanDir of non-chan type " + t.String())
	}
	var d ChanDir
	if t.ext != nil {
		if t.ext.flags&flagChanRecv != 0 {
			d |= RecvDir
		}
		if t.ext.flags&flagChanSend != 0 {
			d |= SendDir
		}
	}
	return d
}

func (t *rtype) funcCheck(what string) {
	if t.Kind() != Func {
		panic("reflect: " + what + " of non-func type " + t.String())
	}
}

func (t *rtype) IsVariadic() bool {
	t.funcCheck("IsVariadic")
	return t.ext != nil && t.ext.flags&flagVariadic != 0
}

func (t *rtype) NumIn() int {
	t.funcCheck("NumIn")
	if t.ext == nil {
		return 0
	}
	return t.ext.nin
}

func (t *rtype) NumOut() int {
	t.funcCheck("NumOut")
	if t.ext == nil {
		return 0
	}
	return t.ext.nout
}

func (t *rtype) funcType(i int) *rtype {
	p := unsafe.Add(unsafe.Pointer(t.ext.funcTypes), uintptr(i)*8)
	return toRType(*(**rtype)(p))
}

func (t *rtype) In(i int) Type {
	if i < 0 || i >= t.NumIn() {
		panic("reflect: In index out of range")
	}
	return toType(t.funcType(i))
}

func (t *rtype) Out(i int) Type {
	if i < 0 || i >= t.NumOut() {
		panic("reflect: Out index out of range")
	}
	return toType(t.funcType(t.ext.nin + i))
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
			if !t.field(i).typ.Comparable() {
				return false
			}
		}
	}
	return true
}

// ---- methods ----

// A Method represents a single method.
type Method struct {
	// Name is the method name.
	Name string
	// PkgPath is the package path that qualifies a lower case (unexported)
	// method name. It is empty for upper case (exported) method names.
	PkgPath string
	// Type is the method's type: for a method of a concrete type, with the
	// receiver as its first parameter; nil when the program never spells
	// that func type (g2n describes only the types a program uses).
	Type Type
	// Func is the method with the receiver as first argument (the zero
	// Value for an interface type's method, and where Type is nil).
	Func  Value
	Index int
}

// IsExported reports whether the method is exported.
func (m Method) IsExported() bool { return m.PkgPath == "" }

func (t *rtype) methodAt(i int) *methodDesc {
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

func isExported(name string) bool {
	return len(name) > 0 && name[0] >= 'A' && name[0] <= 'Z' || len(name) > 0 && name[0] >= 0x80
}

// exportedMethods: the indexes into the method table that reflect shows
// (an interface's all, a concrete type's exported ones), in name order.
func (t *rtype) exportedMethods() []int {
	var out []int
	for i := 0; i < t.nmethods; i++ {
		if t.kind == abiInterface || isExported(methodName(t.methodAt(i).key)) {
			out = append(out, i)
		}
	}
	return out
}

func (t *rtype) NumMethod() int { return len(t.exportedMethods()) }

func (t *rtype) methodType(i int) *rtype {
	if t.ext == nil || t.ext.methodTypes == nil {
		return nil
	}
	p := unsafe.Add(unsafe.Pointer(t.ext.methodTypes), uintptr(i)*8)
	return toRType(*(**rtype)(p))
}

func (t *rtype) Method(i int) Method {
	indexes := t.exportedMethods()
	if i < 0 || i >= len(indexes) {
		panic("reflect: Method index out of range")
	}
	j := indexes[i]
	m := Method{Name: methodName(t.methodAt(j).key), Index: i}
	if !isExported(m.Name) {
		m.PkgPath = t.pkgPathOrMain()
	}
	mt := t.methodType(j)
	if mt != nil {
		if t.kind == abiInterface {
			m.Type = mt
		} else {
			in := []*rtype{t}
			for k := 0; k < mt.NumIn(); k++ {
				in = append(in, mt.funcType(k))
			}
			var out []*rtype
			for k := 0; k < mt.NumOut(); k++ {
				out = append(out, mt.funcType(mt.ext.nin+k))
			}
			m.Type = funcOf(in, out, mt.IsVariadic())
			m.Func = methodFunc(m.Type.common(), t, j)
		}
	}
	return m
}

func (t *rtype) MethodByName(name string) (Method, bool) {
	n := t.NumMethod()
	for i := 0; i < n; i++ {
		j := t.exportedMethods()[i]
		if methodName(t.methodAt(j).key) == name {
			return t.Method(i), true
		}
	}
	return Method{}, false
}

func (t *rtype) pkgPathOrMain() string {
	if t.ext != nil && t.ext.pkgPath != "" {
		return t.ext.pkgPath
	}
	return "main"
}

// hasMethodKey reports whether t's method table has the key (name and
// signature, as an interface assertion compares them).
func (t *rtype) hasMethodKey(key string) bool {
	for i := 0; i < t.nmethods; i++ {
		if t.methodAt(i).key == key {
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
		if !t.hasMethodKey(u.methodAt(i).key) {
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
	if v.Kind() == Chan && t.ChanDir() == BothDir && toRType(v.elem) == toRType(t.elem) {
		return true
	}
	return haveIdenticalUnderlyingType(v, t, true)
}

// haveIdenticalType: the same type, or with cmpTags false, types that
// differ only in struct tags.
func haveIdenticalType(t, v *rtype, cmpTags bool) bool {
	if cmpTags || t == v {
		return t == v
	}
	if t.Name() != v.Name() || t.Kind() != v.Kind() || t.PkgPath() != v.PkgPath() {
		return false
	}
	return haveIdenticalUnderlyingType(t, v, false)
}

// haveIdenticalUnderlyingType compares the structure of two types
// (struct tags too when cmpTags).
func haveIdenticalUnderlyingType(t, u *rtype, cmpTags bool) bool {
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
	same := func(a, b *rtype) bool { return haveIdenticalType(toRType(a), toRType(b), cmpTags) }
	switch k {
	case Array:
		return t.len == u.len && same(t.elem, u.elem)
	case Chan:
		return t.ChanDir() == u.ChanDir() && same(t.elem, u.elem)
	case Pointer, Slice:
		return same(t.elem, u.elem)
	case Map:
		return same(t.key, u.key) && same(t.elem, u.elem)
	case Func:
		if t.NumIn() != u.NumIn() || t.NumOut() != u.NumOut() || t.IsVariadic() != u.IsVariadic() {
			return false
		}
		for i := 0; i < t.ext.nin+t.ext.nout; i++ {
			if !same(t.funcType(i), u.funcType(i)) {
				return false
			}
		}
		return true
	case Interface:
		if t.nmethods != u.nmethods {
			return false
		}
		for i := 0; i < t.nmethods; i++ {
			if t.methodAt(i).key != u.methodAt(i).key {
				return false
			}
		}
		return true
	case Struct:
		if t.nfields != u.nfields {
			return false
		}
		for i := 0; i < t.nfields; i++ {
			tf, uf := t.field(i), u.field(i)
			if tf.name != uf.name || tf.embedded != uf.embedded || tf.offset != uf.offset || !same(tf.typ, uf.typ) {
				return false
			}
			if cmpTags && t.fieldTag(i) != u.fieldTag(i) {
				return false
			}
		}
		return true
	}
	return false
}

func (t *rtype) ConvertibleTo(u Type) bool {
	if u == nil {
		panic("reflect: nil type passed to Type.ConvertibleTo")
	}
	return convertible(t, u.common())
}

func convertible(t, u *rtype) bool {
	if directlyAssignable(u, t) || u.Kind() == Interface && implements(u, t) {
		return true
	}
	tk, uk := t.Kind(), u.Kind()
	switch {
	case isNumeric(tk) && isNumeric(uk):
		return isComplex(tk) == isComplex(uk)
	case uk == String && (tk >= Int && tk <= Uintptr):
		return true
	case uk == String && tk == Slice && t.Name() == "":
		ek := toRType(t.elem)
		return ek.Name() == "uint8" || ek.Name() == "int32"
	case tk == String && uk == Slice:
		ek := toRType(u.elem)
		return ek.Name() == "uint8" || ek.Name() == "int32"
	case tk == Slice && uk == Pointer && toRType(u.elem).Kind() == Array:
		return toRType(u.elem).elem == t.elem || toRType(toRType(u.elem).elem) == toRType(t.elem)
	case tk == UnsafePointer && (uk == Pointer || uk == Uintptr), uk == UnsafePointer && (tk == Pointer || tk == Uintptr):
		return true
	}
	if haveIdenticalUnderlyingType(t, u, false) {
		return true
	}
	if tk == Pointer && uk == Pointer && t.Name() == "" && u.Name() == "" {
		return haveIdenticalUnderlyingType(toRType(t.elem), toRType(u.elem), false)
	}
	return false
}

func isNumeric(k Kind) bool { return k >= Int && k <= Complex128 }
func isComplex(k Kind) bool { return k == Complex64 || k == Complex128 }
