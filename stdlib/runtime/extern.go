package runtime

// The frames of the running goroutine, from the line table generated code
// registers (crates/runtime/src/traceback.rs). A pc is a return address
// (the instruction after a call), as in Go; a function inlined into its
// caller has no frame, but every function that reaches Caller or Callers
// keeps its own (crates/codegen/src/inline.rs), so the skip counts of log
// and of a program's helpers come out as in Go.

// callers writes the return addresses of the frames of generated code on
// the stack into pcs, innermost first, after skipping `skip` frames: skip 0
// is the function that called callers. It returns how many it wrote.
func callers(skip int, pcs []uintptr) int

// The function a pc is in: Go's name for it (`main.f`, `main.(*T).m`,
// `main.main.func1`), its file, its entry, and the line of the instruction
// at pc; "" and 0 when pc is in no function of the line table.
func funcName(pc uintptr) string
func funcFile(pc uintptr) string
func funcLine(pc uintptr) int
func funcEntry(pc uintptr) uintptr

// Caller reports the file and line of the call `skip` frames up: 0 is the
// caller of Caller.
func Caller(skip int) (pc uintptr, file string, line int, ok bool) {
	var buf [1]uintptr
	if callers(skip+1, buf[:]) < 1 {
		return 0, "", 0, false
	}
	pc = buf[0]
	if funcEntry(pc-1) == 0 {
		return pc, "", 0, false
	}
	return pc, funcFile(pc - 1), funcLine(pc - 1), true
}

// Callers fills pc with the return addresses of the calls on the stack:
// skip 0 is Callers' own frame, 1 its caller.
func Callers(skip int, pc []uintptr) int {
	if len(pc) == 0 {
		return 0
	}
	return callers(skip, pc)
}

// Frame is one frame of CallersFrames.
type Frame struct {
	PC       uintptr
	Func     *Func
	Function string
	File     string
	Line     int
	Entry    uintptr
}

// Frames iterates over the frames of a Callers result.
type Frames struct {
	pcs []uintptr
}

// CallersFrames takes the slice Callers filled.
func CallersFrames(callers []uintptr) *Frames {
	return &Frames{pcs: callers}
}

// Next returns the next frame and whether there are more after it.
func (ci *Frames) Next() (frame Frame, more bool) {
	if len(ci.pcs) == 0 {
		return Frame{}, false
	}
	pc := ci.pcs[0]
	ci.pcs = ci.pcs[1:]
	// A return address: the call is the instruction before it.
	entry := funcEntry(pc - 1)
	if entry != 0 {
		frame = Frame{PC: pc - 1, Func: &Func{entry: entry}, Function: funcName(pc - 1), File: funcFile(pc - 1), Line: funcLine(pc - 1), Entry: entry}
	} else {
		frame = Frame{PC: pc}
	}
	return frame, len(ci.pcs) > 0
}

// Func is a function of the program.
type Func struct {
	entry uintptr
}

// FuncForPC is the function that holds pc, nil when none does.
func FuncForPC(pc uintptr) *Func {
	entry := funcEntry(pc)
	if entry == 0 {
		return nil
	}
	return &Func{entry: entry}
}

// Name is the function's name as Go spells it (`main.f`).
func (f *Func) Name() string {
	if f == nil {
		return ""
	}
	return funcName(f.entry)
}

// Entry is the address of the function's first instruction.
func (f *Func) Entry() uintptr {
	if f == nil {
		return 0
	}
	return f.entry
}

// FileLine is the file and line of the instruction at pc.
func (f *Func) FileLine(pc uintptr) (file string, line int) {
	return funcFile(pc), funcLine(pc)
}

// Stack writes the running goroutine's trace into buf, as a panic prints it
// (`goroutine N [running]:` and two lines a frame), and returns how many
// bytes it wrote. With all, g2n still writes only the running goroutine's.
func Stack(buf []byte, all bool) int {
	return copy(buf, stack())
}

func stack() string
