package reflect

import "unsafe"

// Convert returns the value v converted to type t, by Go's conversion
// rules; it panics when Go would not compile the conversion.
func (v Value) Convert(t Type) Value {
	if v.typ == nil {
		panic(&ValueError{Method: "reflect.Value.Convert", Kind: Invalid})
	}
	to := t.common()
	if !convertible(v.typ, to) {
		panic("reflect.Value.Convert: value of type " + v.typ.String() + " cannot be converted to type " + to.String())
	}
	ro := v.flag & flagRO
	fk, tk := v.Kind(), to.Kind()
	out := Value{typ: to, ptr: unsafeNew(to.size), flag: ro}
	switch {
	case tk == Interface:
		if fk == Interface {
			*(*any)(out.ptr) = *(*any)(v.addr())
		} else {
			*(*any)(out.ptr) = packEface(v.typ, v.addr())
		}
	case isNumeric(fk) && isNumeric(tk):
		switch {
		case isComplex(fk):
			out.setComplexBits(v.Complex())
		case fk >= Int && fk <= Int64:
			out.setNumber(v.Int(), uint64(v.Int()), float64(v.Int()), true)
		case fk >= Uint && fk <= Uintptr:
			out.setNumber(int64(v.Uint()), v.Uint(), float64(v.Uint()), false)
		default:
			f := v.Float()
			if tk == Float32 || tk == Float64 {
				out.setFloatBits(f)
			} else if tk >= Int && tk <= Int64 {
				out.setNumber(int64(f), uint64(int64(f)), f, true)
			} else {
				out.setNumber(int64(uint64(f)), uint64(f), f, false)
			}
		}
	case tk == String && fk >= Int && fk <= Uintptr:
		var r int64
		if fk >= Int && fk <= Int64 {
			r = v.Int()
		} else if v.Uint() > 0x7fffffff {
			r = -1
		} else {
			r = int64(v.Uint())
		}
		s := "\uFFFD"
		if r >= 0 && r <= 0x10FFFF && !(r >= 0xD800 && r < 0xE000) {
			s = string(rune(r))
		}
		*(*string)(out.ptr) = s
	case tk == String && fk == Slice:
		if toRType(v.typ.elem).Kind() == Uint8 {
			*(*string)(out.ptr) = string(*(*[]byte)(v.ptr))
		} else {
			*(*string)(out.ptr) = string(*(*[]rune)(v.ptr))
		}
	case fk == String && tk == Slice:
		if toRType(to.elem).Kind() == Uint8 {
			*(*[]byte)(out.ptr) = []byte(*(*string)(v.ptr))
		} else {
			*(*[]rune)(out.ptr) = []rune(*(*string)(v.ptr))
		}
	case fk == Slice && tk == Pointer:
		h := (*sliceHeader)(v.ptr)
		n := int(toRType(to.elem).len)
		if n > h.len {
			panic("reflect: cannot convert slice with length " + itoa(h.len) + " to pointer to array with length " + itoa(n))
		}
		*(*unsafe.Pointer)(out.ptr) = h.data
	default:
		// The same memory under another type: identical underlying types
		// (tags aside), unnamed pointers to them, unsafe.Pointer.
		memmove(out.ptr, v.addr(), to.size)
	}
	return out
}

// CanConvert reports whether v can be converted to type t (a slice to an
// array pointer only when long enough).
func (v Value) CanConvert(t Type) bool {
	to := t.common()
	if !convertible(v.typ, to) {
		return false
	}
	if v.Kind() == Slice && to.Kind() == Pointer {
		return int(toRType(to.elem).len) <= v.Len()
	}
	return true
}

// setNumber stores a number in out's integer or float kind.
func (out Value) setNumber(i int64, u uint64, f float64, signed bool) {
	switch out.Kind() {
	case Int, Int64:
		*(*int64)(out.ptr) = i
	case Int8:
		*(*int8)(out.ptr) = int8(i)
	case Int16:
		*(*int16)(out.ptr) = int16(i)
	case Int32:
		*(*int32)(out.ptr) = int32(i)
	case Uint, Uint64, Uintptr:
		*(*uint64)(out.ptr) = u
	case Uint8:
		*(*uint8)(out.ptr) = uint8(u)
	case Uint16:
		*(*uint16)(out.ptr) = uint16(u)
	case Uint32:
		*(*uint32)(out.ptr) = uint32(u)
	case Float32:
		if signed {
			*(*float32)(out.ptr) = float32(i)
		} else {
			*(*float32)(out.ptr) = float32(u)
		}
	case Float64:
		if signed {
			*(*float64)(out.ptr) = float64(i)
		} else {
			*(*float64)(out.ptr) = float64(u)
		}
	}
}

func (out Value) setFloatBits(f float64) {
	if out.Kind() == Float32 {
		*(*float32)(out.ptr) = float32(f)
	} else {
		*(*float64)(out.ptr) = f
	}
}

func (out Value) setComplexBits(c complex128) {
	if out.Kind() == Complex64 {
		*(*complex64)(out.ptr) = complex64(c)
	} else {
		*(*complex128)(out.ptr) = c
	}
}
