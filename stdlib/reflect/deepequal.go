package reflect

import "unsafe"

// visit: a comparison of two values (by address and type) already under
// way, so that cyclic structures compare in finite time.
type visit struct {
	a1  unsafe.Pointer
	a2  unsafe.Pointer
	typ *rtype
}

// deepValueEqual tests for deep equality using reflected types, as Go's
// does (reflect/deepequal.go), the visited map recording comparisons in
// progress of the kinds that can form cycles.
func deepValueEqual(v1, v2 Value, visited map[visit]bool) bool {
	if !v1.IsValid() || !v2.IsValid() {
		return v1.IsValid() == v2.IsValid()
	}
	if v1.typ != v2.typ {
		return false
	}
	if hard(v1, v2) {
		addr1, addr2 := v1.ptr, v2.ptr
		if v1.Kind() == Pointer || v1.Kind() == Map {
			addr1, addr2 = v1.pointer(), v2.pointer()
		}
		if uintptr(addr1) > uintptr(addr2) {
			addr1, addr2 = addr2, addr1
		}
		key := visit{a1: addr1, a2: addr2, typ: v1.typ}
		if visited[key] {
			return true
		}
		visited[key] = true
	}
	switch v1.Kind() {
	case Array:
		for i := 0; i < v1.Len(); i++ {
			if !deepValueEqual(v1.Index(i), v2.Index(i), visited) {
				return false
			}
		}
		return true
	case Slice:
		if v1.IsNil() != v2.IsNil() {
			return false
		}
		if v1.Len() != v2.Len() {
			return false
		}
		if v1.Pointer() == v2.Pointer() {
			return true
		}
		if toRType(v1.typ.elem).Kind() == Uint8 {
			return string(v1.Bytes()) == string(v2.Bytes())
		}
		for i := 0; i < v1.Len(); i++ {
			if !deepValueEqual(v1.Index(i), v2.Index(i), visited) {
				return false
			}
		}
		return true
	case Interface:
		if v1.IsNil() || v2.IsNil() {
			return v1.IsNil() == v2.IsNil()
		}
		return deepValueEqual(v1.Elem(), v2.Elem(), visited)
	case Pointer:
		if v1.pointer() == v2.pointer() {
			return true
		}
		return deepValueEqual(v1.Elem(), v2.Elem(), visited)
	case Struct:
		for i, n := 0, v1.NumField(); i < n; i++ {
			if !deepValueEqual(v1.Field(i), v2.Field(i), visited) {
				return false
			}
		}
		return true
	case Map:
		if v1.IsNil() != v2.IsNil() {
			return false
		}
		if v1.Len() != v2.Len() {
			return false
		}
		if v1.pointer() == v2.pointer() {
			return true
		}
		for _, k := range v1.MapKeys() {
			val1 := v1.MapIndex(k)
			val2 := v2.MapIndex(k)
			if !val1.IsValid() || !val2.IsValid() || !deepValueEqual(val1, val2, visited) {
				return false
			}
		}
		return true
	case Func:
		// Funcs are equal only if both are nil.
		return v1.IsNil() && v2.IsNil()
	case Int, Int8, Int16, Int32, Int64:
		return v1.Int() == v2.Int()
	case Uint, Uint8, Uint16, Uint32, Uint64, Uintptr:
		return v1.Uint() == v2.Uint()
	case String:
		return v1.String() == v2.String()
	case Bool:
		return v1.Bool() == v2.Bool()
	case Float32, Float64:
		return v1.Float() == v2.Float()
	case Complex64, Complex128:
		return v1.Complex() == v2.Complex()
	}
	// Chan and UnsafePointer: the same channel, the same address.
	return v1.pointer() == v2.pointer()
}

// hard: the kinds whose comparison can recur into itself.
func hard(v1, v2 Value) bool {
	switch v1.Kind() {
	case Pointer, Map, Slice, Interface:
		return !v1.IsNil() && !v2.IsNil()
	}
	return false
}

// DeepEqual reports whether x and y are "deeply equal", with Go's rules:
// the same type, and arrays, structs, maps, slices, pointers and
// interfaces equal element by element (following pointers, stopping at
// cycles); funcs only when both are nil; floats by ==, so NaN is not equal
// to itself; a nil slice or map is not equal to an empty one.
func DeepEqual(x, y any) bool {
	if x == nil || y == nil {
		return x == y
	}
	v1 := ValueOf(x)
	v2 := ValueOf(y)
	if v1.typ != v2.typ {
		return false
	}
	return deepValueEqual(v1, v2, make(map[visit]bool))
}
