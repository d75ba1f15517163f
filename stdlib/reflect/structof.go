package reflect

// Struct and array types made at run time (StructOf, ArrayOf). A made type
// is a descriptor like the ones codegen emits (g2n_abi::TypeDesc, with a
// TypeExt for a struct's field tags), so the runtime's ==, hashing, fmt
// and maps read it as they read a compiled one. As in Go, asking twice for
// the same type gives the same Type, and the program's own descriptor when
// it has one (found in the program table by spelling and structure).

// structsBySpelling: the program's unnamed struct types (from its table,
// at the first StructOf) and those StructOf made, by spelling; a spelling
// may name several (the same fields of different packages), so each is
// checked against the fields asked for. (Initialized: in a hand-written
// package a typed variable without one is the runtime's.)
var structsBySpelling = map[string][]*rtype(nil)

func knownStructs() map[string][]*rtype {
	if structsBySpelling == nil {
		structsBySpelling = map[string][]*rtype{}
		n := programTypeCount()
		for i := 0; i < n; i++ {
			d := toRType((*rtype)(programTypeAt(i)))
			if d != nil && d.kind == abiStruct && (d.ext == nil || d.ext.typeName == "") {
				structsBySpelling[d.name] = append(structsBySpelling[d.name], d)
			}
		}
	}
	return structsBySpelling
}

// StructOf returns the struct type containing fields, laid out as g2n lays
// out a declared struct (Offset and Index are ignored, as in Go). A struct
// made so has no methods: an embedded field whose type has methods panics,
// since g2n does not make promoted-method wrappers at run time.
func StructOf(fields []StructField) Type {
	descs := make([]fieldDesc, len(fields)+1)
	tags := make([]string, len(fields)+1)
	hasTags := false
	seen := map[string]bool{}
	pkgPath := ""
	name := "struct {"
	var size uintptr
	for i, field := range fields {
		if field.Name == "" {
			panic("reflect.StructOf: field " + itoa(i) + " has no name")
		}
		if !isValidFieldName(field.Name) {
			panic("reflect.StructOf: field " + itoa(i) + " has invalid name")
		}
		if field.Type == nil {
			panic("reflect.StructOf: field " + itoa(i) + " has no type")
		}
		if field.Anonymous && field.PkgPath != "" {
			panic("reflect.StructOf: field \"" + field.Name + "\" is anonymous but has PkgPath set")
		}
		if c := field.Name[0]; field.PkgPath == "" && ('a' <= c && c <= 'z' || c == '_') {
			panic("reflect.StructOf: field \"" + field.Name + "\" is unexported but missing PkgPath")
		}
		if field.PkgPath != "" {
			if pkgPath == "" {
				pkgPath = field.PkgPath
			} else if pkgPath != field.PkgPath {
				panic("reflect.Struct: fields with different PkgPath " + pkgPath + " and " + field.PkgPath)
			}
		}
		ft := field.Type.common()
		if field.Anonymous {
			if ft.Kind() == Pointer {
				if k := toRType(ft.elem).Kind(); k == Pointer || k == Interface {
					panic("reflect.StructOf: illegal embedded field type " + ft.String())
				}
			}
			if ft.NumMethod() > 0 || ft.Kind() == Pointer && toRType(ft.elem).NumMethod() > 0 {
				panic("reflect.StructOf: embedded field " + field.Name + " of type " + ft.String() + " has methods: g2n does not promote methods in a struct type made at run time")
			}
		}
		if seen[field.Name] && field.Name != "_" {
			panic("reflect.StructOf: duplicate field " + field.Name)
		}
		seen[field.Name] = true
		name += " " + field.Name + " " + ft.String()
		if field.Tag != "" {
			name += " " + quote(string(field.Tag))
			tags[i] = string(field.Tag)
			hasTags = true
		}
		if i < len(fields)-1 {
			name += ";"
		}
		offset := alignUp(size, uintptr(ft.Align()))
		if offset < size || offset+ft.size < offset {
			panic("reflect.StructOf: struct size would exceed virtual address space")
		}
		embedded := uintptr(0)
		if field.Anonymous {
			embedded = 1
		}
		descs[i] = fieldDesc{name: field.Name, typ: ft, offset: offset, embedded: embedded}
		size = offset + ft.size
	}
	if len(fields) > 0 {
		name += " "
	}
	name += "}"
	t := &rtype{kind: abiStruct, name: name, fields: &descs[0], nfields: len(fields)}
	t.size = alignUp(size, uintptr(t.Align()))
	if len(fields) > 0 {
		t.ext = &typeExt{pkgPath: pkgPath}
		if hasTags {
			t.ext.fieldTags = &tags[0]
		}
	}
	known := knownStructs()
	for _, found := range known[name] {
		if sameStruct(found, t) {
			return found
		}
	}
	known[name] = append(known[name], t)
	return t
}

// sameStruct reports whether unnamed struct types t and u have the same
// fields: names, types, tags, embedding and offsets, and the package of
// their unexported fields.
func sameStruct(t, u *rtype) bool {
	if !haveIdenticalUnderlyingType(t, u, true) {
		return false
	}
	for i := 0; i < t.nfields; i++ {
		if !isExported(t.field(i).name) {
			return t.pkgPathOrMain() == u.pkgPathOrMain()
		}
	}
	return true
}

// ArrayOf returns the array type with the given length and element type.
func ArrayOf(length int, elem Type) Type {
	if length < 0 {
		panic("reflect: negative length passed to ArrayOf")
	}
	e := elem.common()
	if e.size > 0 && uintptr(length) > ^uintptr(0)/e.size {
		panic("reflect.ArrayOf: array size would exceed virtual address space")
	}
	return madeType(&rtype{kind: abiArray, size: e.size * uintptr(length), name: "[" + itoa(length) + "]" + e.name, elem: e, len: uintptr(length)})
}

func alignUp(n, align uintptr) uintptr {
	return (n + align - 1) / align * align
}

// isValidFieldName reports whether name is an identifier. (Any non-ASCII
// character counts as a letter: reflect has no Unicode tables.)
func isValidFieldName(name string) bool {
	for i := 0; i < len(name); i++ {
		c := name[i]
		letter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || c >= 0x80
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return name != ""
}

// quote is strconv.Quote for a struct tag in a type's spelling: Go's
// escapes for quotes, backslashes and control characters, bytes of invalid
// UTF-8 as \x escapes. (Other characters are kept: reflect has no Unicode
// tables to tell the unprintable ones apart.)
func quote(s string) string {
	const hex = "0123456789abcdef"
	out := []byte{'"'}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			out = append(out, '\\', c)
		case c == '\a':
			out = append(out, '\\', 'a')
		case c == '\b':
			out = append(out, '\\', 'b')
		case c == '\f':
			out = append(out, '\\', 'f')
		case c == '\n':
			out = append(out, '\\', 'n')
		case c == '\r':
			out = append(out, '\\', 'r')
		case c == '\t':
			out = append(out, '\\', 't')
		case c == '\v':
			out = append(out, '\\', 'v')
		case c < 0x20 || c == 0x7f || c >= 0x80 && !validRuneAt(s, i):
			out = append(out, '\\', 'x', hex[c>>4], hex[c&15])
		case c >= 0x80:
			n := runeLen(c)
			out = append(out, s[i:i+n]...)
			i += n - 1
		default:
			out = append(out, c)
		}
	}
	return string(append(out, '"'))
}

// runeLen is the length of the UTF-8 sequence that lead byte c starts.
func runeLen(c byte) int {
	switch {
	case c >= 0xf0:
		return 4
	case c >= 0xe0:
		return 3
	}
	return 2
}

// validRuneAt reports whether a valid UTF-8 sequence of more than one
// byte starts at s[i].
func validRuneAt(s string, i int) bool {
	c := s[i]
	if c < 0xc2 || c > 0xf4 {
		return false
	}
	n := runeLen(c)
	if i+n > len(s) {
		return false
	}
	for k := 1; k < n; k++ {
		if s[i+k]&0xc0 != 0x80 {
			return false
		}
	}
	second := s[i+1]
	switch {
	case c == 0xe0:
		return second >= 0xa0
	case c == 0xed:
		return second < 0xa0
	case c == 0xf0:
		return second >= 0x90
	case c == 0xf4:
		return second < 0x90
	}
	return true
}
