package reflect

import "unsafe"

// A StructField describes a single field in a struct.
type StructField struct {
	// Name is the field name.
	Name string
	// PkgPath is the package path that qualifies a lower case (unexported)
	// field name. It is empty for upper case (exported) field names.
	PkgPath   string
	Type      Type      // field type
	Tag       StructTag // field tag string
	Offset    uintptr   // offset within struct, in bytes
	Index     []int     // index sequence for Type.FieldByIndex
	Anonymous bool      // is an embedded field
}

// IsExported reports whether the field is exported.
func (f StructField) IsExported() bool { return f.PkgPath == "" }

// A StructTag is the tag string in a struct field.
type StructTag string

// Get returns the value associated with key in the tag string.
func (tag StructTag) Get(key string) string {
	v, _ := tag.Lookup(key)
	return v
}

// Lookup returns the value associated with key in the tag string, and
// whether the key is there, by the conventional key:"value" syntax.
func (tag StructTag) Lookup(key string) (value string, ok bool) {
	for tag != "" {
		i := 0
		for i < len(tag) && tag[i] == ' ' {
			i++
		}
		tag = tag[i:]
		if tag == "" {
			break
		}
		i = 0
		for i < len(tag) && tag[i] > ' ' && tag[i] != ':' && tag[i] != '"' && tag[i] != 0x7f {
			i++
		}
		if i == 0 || i+1 >= len(tag) || tag[i] != ':' || tag[i+1] != '"' {
			break
		}
		name := string(tag[:i])
		tag = tag[i+1:]
		i = 1
		for i < len(tag) && tag[i] != '"' {
			if tag[i] == '\\' {
				i++
			}
			i++
		}
		if i >= len(tag) {
			break
		}
		qvalue := string(tag[:i+1])
		tag = tag[i+1:]
		if key == name {
			value, ok := unquote(qvalue)
			if !ok {
				break
			}
			return value, true
		}
	}
	return "", false
}

func (t *rtype) field(i int) *fieldDesc {
	return (*fieldDesc)(unsafe.Add(unsafe.Pointer(t.fields), uintptr(i)*unsafe.Sizeof(fieldDesc{})))
}

func (t *rtype) structCheck(what string) {
	if t.Kind() != Struct {
		panic("reflect: " + what + " of non-struct type " + t.String())
	}
}

func (t *rtype) NumField() int {
	t.structCheck("NumField")
	return t.nfields
}

func (t *rtype) fieldTag(i int) StructTag {
	if t.ext == nil || t.ext.fieldTags == nil {
		return ""
	}
	return StructTag(*(*string)(unsafe.Add(unsafe.Pointer(t.ext.fieldTags), uintptr(i)*16)))
}

func (t *rtype) Field(i int) StructField {
	t.structCheck("Field")
	if i < 0 || i >= t.nfields {
		panic("reflect: Field index out of bounds")
	}
	d := t.field(i)
	f := StructField{
		Name:      d.name,
		Type:      toType(toRType(d.typ)),
		Tag:       t.fieldTag(i),
		Offset:    d.offset,
		Index:     []int{i},
		Anonymous: d.embedded != 0,
	}
	if !isExported(d.name) {
		f.PkgPath = t.pkgPathOrMain()
	}
	return f
}

func (t *rtype) FieldByIndex(index []int) StructField {
	var f StructField
	var ft Type = t
	for depth, i := range index {
		if depth > 0 {
			if ft.Kind() == Pointer && ft.Elem().Kind() == Struct {
				ft = ft.Elem()
			}
		}
		f = ft.Field(i)
		ft = f.Type
	}
	if len(index) > 1 {
		f.Index = append([]int(nil), index...)
	}
	return f
}

func (t *rtype) FieldByName(name string) (StructField, bool) {
	return t.FieldByNameFunc(func(s string) bool { return s == name })
}

// FieldByNameFunc searches the fields breadth first, embedded structs
// included, as Go does: the shallowest match wins, and two at the same
// depth are no match.
func (t *rtype) FieldByNameFunc(match func(string) bool) (StructField, bool) {
	t.structCheck("FieldByNameFunc")
	type scan struct {
		typ   *rtype
		index []int
	}
	current := []scan{{typ: t}}
	visited := map[*rtype]bool{}
	for len(current) > 0 {
		var next []scan
		var found StructField
		count := 0
		for _, s := range current {
			if visited[s.typ] {
				continue
			}
			visited[s.typ] = true
			for i := 0; i < s.typ.nfields; i++ {
				f := s.typ.Field(i)
				index := append(append([]int(nil), s.index...), i)
				if match(f.Name) {
					count++
					if count == 1 {
						found = f
						found.Index = index
					}
					continue
				}
				if f.Anonymous {
					ft := f.Type.common()
					if ft.Kind() == Pointer {
						ft = toRType(ft.elem)
					}
					if ft.Kind() == Struct {
						next = append(next, scan{typ: ft, index: index})
					}
				}
			}
		}
		if count == 1 {
			return found, true
		}
		if count > 1 {
			return StructField{}, false
		}
		current = next
	}
	return StructField{}, false
}

// ---- types made at run time ----

// madeTypes: the pointer, slice, map and array types reflect was asked for
// (PointerTo, SliceOf, MapOf, ArrayOf), by their structure: the program's own
// descriptor when codegen emitted one, else one made here, so that each is
// one Type. (Spellings do not identify a type: two defined types of a
// program may share one, main.T declared in two functions.)
var madeTypes = map[madeKey]*rtype{}

type madeKey struct {
	kind uint32
	elem *rtype
	key  *rtype
	len  uintptr
}

// madeFuncs: the func types reflect made (a method's type), by spelling,
// each checked against its parameters and results.
var madeFuncs = map[string][]*rtype{}

func madeType(t *rtype) *rtype {
	k := madeKey{kind: t.kind, elem: t.elem, key: t.key, len: t.len}
	if found, ok := madeTypes[k]; ok {
		return found
	}
	n := programTypeCount()
	for i := 0; i < n; i++ {
		d := toRType((*rtype)(programTypeAt(i)))
		if d != nil && d.kind == t.kind && d.name == t.name && toRType(d.elem) == t.elem && toRType(d.key) == t.key && d.len == t.len && (d.ext == nil || d.ext.typeName == "") {
			madeTypes[k] = d
			return d
		}
	}
	madeTypes[k] = t
	return t
}

// PointerTo returns the pointer type with element t.
func PointerTo(t Type) Type {
	e := t.common()
	return madeType(&rtype{kind: abiPointer, size: 8, name: "*" + e.name, elem: e})
}

// PtrTo is the old name for PointerTo.
func PtrTo(t Type) Type { return PointerTo(t) }

// SliceOf returns the slice type with element type t.
func SliceOf(t Type) Type {
	e := t.common()
	return madeType(&rtype{kind: abiSlice, size: 24, name: "[]" + e.name, elem: e})
}

// MapOf returns the map type with the given key and element types.
func MapOf(key, elem Type) Type {
	k, e := key.common(), elem.common()
	if !k.Comparable() {
		panic("reflect.MapOf: invalid key type " + k.String())
	}
	return madeType(&rtype{kind: abiMap, size: 8, name: "map[" + k.name + "]" + e.name, key: k, elem: e})
}

// funcOf is the func type with those parameters and results.
func funcOf(in, out []*rtype, variadic bool) *rtype {
	name := "func("
	for i, t := range in {
		if i > 0 {
			name += ", "
		}
		if variadic && i == len(in)-1 {
			name += "..." + toRType(t.elem).name
		} else {
			name += t.name
		}
	}
	name += ")"
	if len(out) == 1 {
		name += " " + out[0].name
	} else if len(out) > 1 {
		name += " ("
		for i, t := range out {
			if i > 0 {
				name += ", "
			}
			name += t.name
		}
		name += ")"
	}
	for _, found := range madeFuncs[name] {
		if sameSignature(found, in, out, variadic) {
			return found
		}
	}
	n := programTypeCount()
	for i := 0; i < n; i++ {
		d := (*rtype)(programTypeAt(i))
		if d != nil && d.kind == abiFunc && d.name == name && (d.ext != nil && d.ext.typeName == "") && sameSignature(d, in, out, variadic) {
			madeFuncs[name] = append(madeFuncs[name], d)
			return d
		}
	}
	all := make([]*rtype, 0, len(in)+len(out))
	all = append(all, in...)
	all = append(all, out...)
	ext := &typeExt{nin: len(in), nout: len(out)}
	if len(all) > 0 {
		ext.funcTypes = &all[0]
	}
	if variadic {
		ext.flags = flagVariadic
	}
	t := &rtype{kind: abiFunc, size: 8, name: name, ext: ext}
	madeFuncs[name] = append(madeFuncs[name], t)
	return t
}

// sameSignature reports whether func type d has those parameters and
// results.
func sameSignature(d *rtype, in, out []*rtype, variadic bool) bool {
	if d.NumIn() != len(in) || d.NumOut() != len(out) || d.IsVariadic() != variadic {
		return false
	}
	for i, t := range in {
		if d.funcType(i) != t {
			return false
		}
	}
	for i, t := range out {
		if d.funcType(len(in)+i) != t {
			return false
		}
	}
	return true
}

// programTypeCount is the number of descriptors in the program table.
func programTypeCount() int

// programTypeAt is the i-th descriptor of the program table.
func programTypeAt(i int) unsafe.Pointer
