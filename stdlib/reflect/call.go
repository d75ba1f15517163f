package reflect

import "unsafe"

// Calls through reflect. A func value is called with the machine
// convention codegen gives its signature, so reflect calls it through the
// call adapter codegen emits for each func type (typeExt.call,
// g2n_abi::ReflectCallAdapter): the adapter takes a pointer to each
// argument in memory and a pointer to where each result goes. MakeFunc's
// functions are the other way round: a stub per func type
// (typeExt.makeFunc) stores its arguments in memory and calls
// makeFuncCall. Codegen emits both only when the program uses Call,
// CallSlice, Method, MethodByName or MakeFunc (crates/codegen/src/lower/
// reflect_call.rs).

// callAdapter is a call adapter seen as a Go func value: its closure
// object is the address of the typeExt.call field holding its code.
type callAdapter func(code, word0 unsafe.Pointer, word1, method uintptr, args, results unsafe.Pointer)

// A plain function rather than a method of *rtype, whose every method is
// compiled into any program that describes *rtype.
func adapterOf(t *rtype) callAdapter {
	if t.ext == nil || t.ext.call == nil {
		panic("reflect: g2n has no call adapter for " + t.name + " (a type reflect made, not the program's)")
	}
	object := unsafe.Pointer(&t.ext.call)
	return *(*callAdapter)(unsafe.Pointer(&object))
}

// methodValue is what a Value made by Value.Method points to: the
// receiver and the method's index in its type's method table.
type methodValue struct {
	recv  Value
	index int
}

// methodFuncValue is what Method.Func points to: a method of type recv
// (its method table's index) taking its receiver as first argument.
type methodFuncValue struct {
	recv  *rtype
	index int
}

func methodFunc(t, recv *rtype, index int) Value {
	return Value{typ: t, ptr: unsafe.Pointer(&methodFuncValue{recv: recv, index: index}), flag: flagMethodFunc}
}

// Method returns a function value corresponding to v's i'th method, in
// the order of Type.Method: its receiver is v.
func (v Value) Method(i int) Value {
	if v.typ == nil {
		panic(&ValueError{Method: "reflect.Value.Method", Kind: Invalid})
	}
	if v.flag&(flagMethod|flagMethodFunc) != 0 || i < 0 || i >= v.typ.NumMethod() {
		panic("reflect: Method index out of range")
	}
	if v.typ.kind == abiInterface && v.IsNil() {
		panic("reflect: Method on nil interface value")
	}
	j := v.typ.exportedMethods()[i]
	mt := v.typ.methodType(j)
	if mt == nil {
		panic("reflect: g2n does not describe the type of method " + methodName(v.typ.methodAt(j).key) + " of " + v.typ.name + " (the program never spells it)")
	}
	return Value{typ: mt, ptr: unsafe.Pointer(&methodValue{recv: v, index: j}), flag: v.flag&flagRO | flagMethod}
}

// MethodByName returns a function value corresponding to the method of v
// with the given name; the zero Value if there is none.
func (v Value) MethodByName(name string) Value {
	if v.typ == nil {
		panic(&ValueError{Method: "reflect.Value.MethodByName", Kind: Invalid})
	}
	if v.flag&(flagMethod|flagMethodFunc) != 0 {
		panic(&ValueError{Method: "reflect.Value.MethodByName", Kind: Func})
	}
	indexes := v.typ.exportedMethods()
	for i, j := range indexes {
		if methodName(v.typ.methodAt(j).key) == name {
			return v.Method(i)
		}
	}
	return Value{}
}

// Call calls the function v with the input arguments in; it panics if v's
// Kind is not Func. The results come back as Values. A variadic function's
// extra arguments are put in a slice for it, as Go does.
func (v Value) Call(in []Value) []Value {
	v.mustBe(Func, "Call")
	v.mustBeExported("Call")
	return v.call("Call", in)
}

// CallSlice calls the variadic function v with the input arguments in,
// the last of which is the variadic slice.
func (v Value) CallSlice(in []Value) []Value {
	v.mustBe(Func, "CallSlice")
	v.mustBeExported("CallSlice")
	return v.call("CallSlice", in)
}

func (v Value) mustBeExported(method string) {
	if v.flag&flagRO != 0 {
		panic("reflect: reflect.Value." + method + " using value obtained using unexported field")
	}
}

func (v Value) call(op string, in []Value) []Value {
	if v.flag&flagMethodFunc != 0 {
		// The receiver is the first argument.
		mf := (*methodFuncValue)(v.ptr)
		if len(in) == 0 {
			panic("reflect: " + op + " with too few input arguments")
		}
		if in[0].Kind() == Invalid {
			panic("reflect: " + op + " using zero Value argument")
		}
		recv := Value{typ: mf.recv, ptr: in[0].assignTo("reflect.Value."+op, mf.recv)}
		bound := Value{typ: mf.recv.methodType(mf.index), ptr: unsafe.Pointer(&methodValue{recv: recv, index: mf.index}), flag: flagMethod}
		return bound.call(op, in[1:])
	}
	t := v.typ
	isSlice := op == "CallSlice"
	n := t.NumIn()
	isVariadic := t.IsVariadic()
	if isSlice {
		if !isVariadic {
			panic("reflect: CallSlice of non-variadic function")
		}
		if len(in) < n {
			panic("reflect: CallSlice with too few input arguments")
		}
		if len(in) > n {
			panic("reflect: CallSlice with too many input arguments")
		}
	} else {
		if isVariadic {
			n--
		}
		if len(in) < n {
			panic("reflect: Call with too few input arguments")
		}
		if !isVariadic && len(in) > n {
			panic("reflect: Call with too many input arguments")
		}
	}
	for _, x := range in {
		if x.Kind() == Invalid {
			panic("reflect: " + op + " using zero Value argument")
		}
	}
	for i := 0; i < n; i++ {
		if xt, targ := in[i].Type(), t.In(i); !xt.AssignableTo(targ) {
			panic("reflect: " + op + " using " + xt.String() + " as type " + targ.String())
		}
	}
	if !isSlice && isVariadic {
		// The extra arguments go into a slice of the variadic type.
		m := len(in) - n
		slice := MakeSlice(t.In(n), m, m)
		elem := t.In(n).Elem()
		for i := 0; i < m; i++ {
			x := in[n+i]
			if xt := x.Type(); !xt.AssignableTo(elem) {
				panic("reflect: cannot use " + xt.String() + " as type " + elem.String() + " in " + op)
			}
			slice.Index(i).Set(x)
		}
		fixed := in
		in = make([]Value, n+1)
		copy(in[:n], fixed)
		in[n] = slice
	}
	if len(in) != t.NumIn() {
		panic("reflect.Value.Call: wrong argument count")
	}

	args := make([]unsafe.Pointer, len(in)+1)
	for i, x := range in {
		args[i] = x.assignTo("reflect.Value.Call", t.funcType(i))
	}
	nout := t.NumOut()
	results := make([]unsafe.Pointer, nout+1)
	out := make([]Value, nout)
	for i := range out {
		rt := t.funcType(t.ext.nin + i)
		out[i] = Value{typ: rt, ptr: unsafeNew(rt.size)}
		results[i] = out[i].ptr
	}

	var code, word0 unsafe.Pointer
	var word1, method uintptr
	if v.flag&flagMethod != 0 {
		code, word0, word1 = methodCallee((*methodValue)(v.ptr))
		method = 1
	} else {
		fn := v.pointer()
		if fn == nil {
			panic("reflect.Value.Call: call of nil function")
		}
		code = *(*unsafe.Pointer)(fn)
		word0 = fn
	}
	adapterOf(t)(code, word0, word1, method, unsafe.Pointer(&args[0]), unsafe.Pointer(&results[0]))
	return out
}

// methodCallee is the method table wrapper that a bound method calls, and
// its receiver's interface payload words, which the wrapper takes first.
func methodCallee(mv *methodValue) (code, word0 unsafe.Pointer, word1 uintptr) {
	recv := mv.recv
	key := recv.typ.methodAt(mv.index).key
	var words *[3]unsafe.Pointer
	if recv.typ.kind == abiInterface {
		// The dynamic type's method of the interface method's key.
		words = (*[3]unsafe.Pointer)(recv.ptr)
		if words[0] == nil {
			panic("reflect: Method on nil interface value")
		}
		dyn := typeOfTag(uintptr(words[0]))
		for i := 0; i < dyn.nmethods; i++ {
			if dyn.methodAt(i).key == key {
				code = dyn.methodAt(i).fn
			}
		}
		if code == nil {
			panic("reflect: " + dyn.name + " has no method " + methodName(key))
		}
	} else {
		boxed := packEface(recv.typ, recv.addr())
		words = (*[3]unsafe.Pointer)(unsafe.Pointer(&boxed))
		code = recv.typ.methodAt(mv.index).fn
	}
	return code, words[1], uintptr(words[2])
}

// boundFunc is a method Value (Value.Method, Method.Func) as an ordinary
// func value: a MakeFunc function that calls it (what Interface returns
// for it). It is no function literal, which codegen would compile into
// every program (Interface is reached from fmt): makeFuncCall, reached
// only from the stubs of programs that call through reflect, calls the
// bound method itself.
func boundFunc(v Value) Value {
	bound := v
	bound.flag &^= flagRO
	return makeFunc(v.typ, nil, bound)
}

// makeFuncObject is the closure object of a function MakeFunc made: the
// stub of its type first, as every closure object has its code first;
// then fn, or (fn nil) the method value it calls.
type makeFuncObject struct {
	code  unsafe.Pointer
	typ   *rtype
	fn    func([]Value) []Value
	bound Value
}

// MakeFunc returns a new function of the given Type that wraps the
// function fn: its arguments reach fn as Values, and fn's results are its.
func MakeFunc(typ Type, fn func(args []Value) (results []Value)) Value {
	if typ.Kind() != Func {
		panic("reflect: call of MakeFunc with non-Func type")
	}
	return makeFunc(typ.common(), fn, Value{})
}

func makeFunc(t *rtype, fn func([]Value) []Value, bound Value) Value {
	if t.ext == nil || t.ext.makeFunc == nil {
		panic("reflect: g2n has no MakeFunc stub for " + t.name + " (a type reflect made, or a program that does not call through reflect)")
	}
	object := &makeFuncObject{code: t.ext.makeFunc, typ: t, fn: fn, bound: bound}
	p := unsafeNew(8)
	*(*unsafe.Pointer)(p) = unsafe.Pointer(object)
	return Value{typ: t, ptr: p}
}

// makeFuncCall is what a MakeFunc stub calls: object is its closure
// object, args one pointer per argument (stored in fresh memory), results
// one pointer per result, where the stub loads them from.
func makeFuncCall(object, args, results unsafe.Pointer) {
	f := (*makeFuncObject)(object)
	t := f.typ
	in := make([]Value, t.ext.nin)
	for i := range in {
		in[i] = Value{typ: t.funcType(i), ptr: *(*unsafe.Pointer)(unsafe.Add(args, uintptr(i)*8))}
	}
	var out []Value
	if f.fn != nil {
		out = f.fn(in)
	} else {
		out = f.bound.call("Call", in)
	}
	if len(out) != t.ext.nout {
		panic("reflect: wrong return count from function created by MakeFunc")
	}
	for i, v := range out {
		rt := t.funcType(t.ext.nin + i)
		if v.typ == nil {
			panic("reflect: function created by MakeFunc using closure returned zero Value")
		}
		if v.flag&flagRO != 0 {
			panic("reflect: function created by MakeFunc using closure returned value obtained from unexported field")
		}
		memmove(*(*unsafe.Pointer)(unsafe.Add(results, uintptr(i)*8)), v.assignTo("reflect.MakeFunc", rt), rt.size)
	}
}
