//! Every symbol that generated code defines or calls, and for each runtime
//! function its signature: the one place a runtime function is named.
//!
//! Codegen declares a runtime function only from its [`RtFn`] here (the
//! signature comes from the table, not from the call site); the runtime
//! defines each through its `rt_export!` macro, which records the Rust
//! signature mapped to [`AbiType`]s, and a runtime test checks that every
//! entry of [`RUNTIME`] and [`stdlib::ALL`] has exactly one definition with
//! the same signature and that every definition is in the table.

use AbiType::{F32, F64, I8, I32, I64, Ptr, U8, U32};

/// One machine word of a runtime function's parameters or results, as the
/// platform's C calling convention passes it. A Rust parameter of a
/// `#[repr(C)]` two-word type (a returned [`crate::GoString`], a select
/// result) is two words.
///
/// A narrow integer carries its extension: the C convention (as clang and
/// rustc implement it on x86-64 and AArch64) has the caller widen an 8- or
/// 32-bit argument, and the callee its result, to the register by the
/// Rust type's signedness, and compiled Rust relies on it. Codegen declares
/// each narrow word with [`AbiType::extension`], so a `bool` computed by
/// `setne` (upper bits left as they were) arrives as 0 or 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AbiType {
    /// `u8`, or `bool` as 0 or 1: zero-extended.
    U8,
    /// `i8`: sign-extended.
    I8,
    /// `u32` (a slot or exit index, a float32's bits): zero-extended.
    U32,
    /// `i32` (a rune, a C `int`): sign-extended.
    I32,
    /// `i64`, `u64`, `usize`.
    I64,
    F32,
    F64,
    /// Any pointer, a function pointer included.
    Ptr,
}

/// How a narrow integer word is widened to its register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Extension {
    /// A full-width word (64-bit integer, float, pointer).
    None,
    Zero,
    Sign,
}

impl AbiType {
    pub fn name(self) -> &'static str {
        match self {
            U8 => "U8",
            I8 => "I8",
            U32 => "U32",
            I32 => "I32",
            I64 => "I64",
            F32 => "F32",
            F64 => "F64",
            Ptr => "Ptr",
        }
    }

    /// The word's width in bits.
    pub fn bits(self) -> u32 {
        match self {
            U8 | I8 => 8,
            U32 | I32 | F32 => 32,
            I64 | F64 | Ptr => 64,
        }
    }

    /// The widening the C convention requires of this word.
    pub fn extension(self) -> Extension {
        match self {
            U8 | U32 => Extension::Zero,
            I8 | I32 => Extension::Sign,
            I64 | F32 | F64 | Ptr => Extension::None,
        }
    }
}

/// A runtime function: its symbol and its signature, word by word. A
/// function that never returns (`-> !`) has no results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RtFn {
    pub name: &'static str,
    pub params: &'static [AbiType],
    pub returns: &'static [AbiType],
}

impl RtFn {
    /// `name(I64, Ptr) -> (I8)`, for messages.
    pub fn describe(&self) -> String {
        let words = |ws: &[AbiType]| ws.iter().map(|w| w.name()).collect::<Vec<_>>().join(", ");
        format!("{}({}) -> ({})", self.name, words(self.params), words(self.returns))
    }
}

/// Byte-wise string equality usable in constants (the runtime's export
/// macro checks at compile time that a definition carries its entry's name).
pub const fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Defined by generated code: C `main(argc, argv)`. It calls [`RT_MAIN`].
pub const MAIN: &str = "main";
/// Defined by generated code: `extern "C" fn(resume_point: u32, scope: *mut Scope)`.
/// Runs the unit from one of its entries to the end of the flow on this unit.
pub const UNIT_ENTRY: &str = "g2n_unit_entry";
/// Defined by generated code: the unit descriptor text ([`crate::UnitDescriptor`]).
pub const UNIT_DESCRIPTOR: &str = "g2n_unit_descriptor";

/// `fn(argc: i32, argv: *const *const c_char, entry: UnitEntryFn, desc: *const u8, desc_len: usize) -> i32`.
/// In practice it never returns: it exits the process with the flow's exit
/// code (origin role) or serves forever (serve role). `G2N_RUNTIME` names
/// its JSON configuration (see `g2n-runtime`'s `config.rs`).
pub const RT_MAIN: RtFn = RtFn { name: "g2n_rt_main", params: &[I32, Ptr, Ptr, Ptr, I64], returns: &[I32] };
/// `fn(argc: i32, argv: *const *const c_char, entry: UnitEntryFn, blob: *const u8, blob_len: usize, table: *const UnitRecord, count: usize, default: usize) -> i32`:
/// [`RT_MAIN`] for an executable holding several nanoservices (a split
/// program): `table` lists every nanoservice ([`crate::UnitRecord`]), its
/// name and descriptor being ranges of `blob`; the
/// runtime runs as the one named like the executable's file (`argv[0]`
/// after its last `/`), else `default`, and serves the configuration's
/// `units` besides (a host, docs/protocol.md).
pub const RT_MAIN_TABLE: RtFn = RtFn { name: "g2n_rt_main_table", params: &[I32, Ptr, Ptr, Ptr, I64, Ptr, I64, I64], returns: &[I32] };
/// `fn(argc: i32, argv: *const *const c_char, blob: *const u8, blob_len: usize, table: *const MeshUnitRecord, count: usize, default: usize) -> i32`:
/// [`RT_MAIN_TABLE`] for an executable holding several separately compiled
/// nanoservice configs: each record ([`crate::MeshUnitRecord`]) brings the
/// config's own unit entry and program table besides its name and
/// descriptor. Started without a runtime configuration (`G2N_RUNTIME`
/// unset), the process hosts every nanoservice of its table.
pub const RT_MAIN_MESH: RtFn = RtFn { name: "g2n_rt_main_mesh", params: &[I32, Ptr, Ptr, I64, Ptr, I64, I64], returns: &[I32] };
/// `fn() -> i64`: the index in the unit table of the nanoservice the
/// calling flow runs on now (-1 outside a flow). A split program's hop
/// to the nanoservice it runs on is a no-op; which one that is changes
/// at every in-host hop, so generated code asks at each hop.
pub const FLOW_UNIT: RtFn = RtFn { name: "g2n_flow_unit", params: &[], returns: &[I64] };

/// `fn() -> *mut Scope`: a fresh, empty scope for a handoff.
pub const SCOPE_NEW: RtFn = RtFn { name: "g2n_scope_new", params: &[], returns: &[Ptr] };
/// `fn(scope, slot: u32, value: i64)`.
pub const SCOPE_PUT_INT: RtFn = RtFn { name: "g2n_scope_put_int", params: &[Ptr, U32, I64], returns: &[] };
/// `fn(scope, slot: u32, value: u8)`.
pub const SCOPE_PUT_BOOL: RtFn = RtFn { name: "g2n_scope_put_bool", params: &[Ptr, U32, U8], returns: &[] };
/// `fn(scope, slot: u32, value: f64)`.
pub const SCOPE_PUT_FLOAT64: RtFn = RtFn { name: "g2n_scope_put_float64", params: &[Ptr, U32, F64], returns: &[] };
/// `fn(scope, slot: u32, ptr: *const u8, len: i64)`.
pub const SCOPE_PUT_STRING: RtFn = RtFn { name: "g2n_scope_put_string", params: &[Ptr, U32, Ptr, I64], returns: &[] };
/// `fn(scope, slot: u32) -> i64`.
pub const SCOPE_GET_INT: RtFn = RtFn { name: "g2n_scope_get_int", params: &[Ptr, U32], returns: &[I64] };
/// `fn(scope, slot: u32) -> u8`.
pub const SCOPE_GET_BOOL: RtFn = RtFn { name: "g2n_scope_get_bool", params: &[Ptr, U32], returns: &[U8] };
/// `fn(scope, slot: u32) -> f64`.
pub const SCOPE_GET_FLOAT64: RtFn = RtFn { name: "g2n_scope_get_float64", params: &[Ptr, U32], returns: &[F64] };
/// `fn(scope, slot: u32, out: *mut GoString)`. The bytes stay valid for the
/// rest of the process (the runtime leaks them until a GC exists).
pub const SCOPE_GET_STRING: RtFn = RtFn { name: "g2n_scope_get_string", params: &[Ptr, U32, Ptr], returns: &[] };

/// `fn(scope, slot: u32, desc: *const TypeDesc, value: *const u8)`: a graph
/// value (docs/protocol.md, "Scope graph") of type `desc`, read from memory
/// at `value` in Go's layout. The runtime copies it (and keeps what it
/// reaches alive) until the handoff encodes the whole scope at once.
pub const SCOPE_PUT_VALUE: RtFn = RtFn { name: "g2n_scope_put_value", params: &[Ptr, U32, Ptr, Ptr], returns: &[] };
/// `fn(scope, slot: u32, desc: *const TypeDesc, storage: *mut u8)`: a local
/// kept in memory travels as its storage (a graph object of type `desc`).
pub const SCOPE_PUT_CELL: RtFn = RtFn { name: "g2n_scope_put_cell", params: &[Ptr, U32, Ptr, Ptr], returns: &[] };
/// `fn(scope, slot: u32, desc: *const TypeDesc, out: *mut u8)`: writes the
/// received graph value, in Go's layout, to `out`.
pub const SCOPE_GET_VALUE: RtFn = RtFn { name: "g2n_scope_get_value", params: &[Ptr, U32, Ptr, Ptr], returns: &[] };
/// `fn(scope, slot: u32, desc: *const TypeDesc) -> *mut u8`: the received
/// storage of a local kept in memory.
pub const SCOPE_GET_CELL: RtFn = RtFn { name: "g2n_scope_get_cell", params: &[Ptr, U32, Ptr], returns: &[Ptr] };
/// `fn(table: *const ProgramTable)`: called by C `main` before
/// [`RT_MAIN`], so the runtime can encode and decode scope graphs.
pub const REGISTER_PROGRAM: RtFn = RtFn { name: "g2n_register_program", params: &[Ptr], returns: &[] };
/// `fn(funcs: *const LineFunc, count: i64, blob: *const u8, blob_len: i64)`:
/// called by C `main` before [`RT_MAIN`]: every compiled function's code
/// range, Go name, file and line table ([`crate::LineFunc`]), from which
/// the runtime prints a panic's goroutine trace as Go does.
pub const REGISTER_LINES: RtFn = RtFn { name: "g2n_register_lines", params: &[Ptr, I64, Ptr, I64], returns: &[] };

/// `fn(exit_index: u32, scope: *mut Scope)`: hands the flow off through exit
/// `exit_index` of the unit descriptor, taking ownership of `scope`. When it
/// returns, generated code returns from the unit entry: the flow goes on
/// elsewhere. It also returns when the handoff failed (the failure has been
/// reported and the flow ended with exit code 1). `scope` must come from
/// [`SCOPE_NEW`] (null is accepted for an exit with no variables); the scope
/// the entry received belongs to the runtime and is not to be passed here.
pub const GO_TO_NETWORK: RtFn = RtFn { name: "g2n_go_to_network", params: &[U32, Ptr], returns: &[] };

/// `fn(ptr: *const u8, len: i64)`: bytes to the flow's stdout.
pub const WRITE_STDOUT: RtFn = RtFn { name: "g2n_write_stdout", params: &[Ptr, I64], returns: &[] };
/// `fn(format_ptr: *const u8, format_len: i64, args: *const GoAny, nargs: i64) -> i64`:
/// `fmt.Printf`, returning the number of bytes written.
pub const FMT_PRINTF: RtFn = RtFn { name: "g2n_fmt_printf", params: &[Ptr, I64, Ptr, I64], returns: &[I64] };
/// `fn(args: *const GoAny, nargs: i64) -> i64`: `fmt.Println`, returning the bytes written.
pub const FMT_PRINTLN: RtFn = RtFn { name: "g2n_fmt_println", params: &[Ptr, I64], returns: &[I64] };
/// `fn(args: *const GoAny, nargs: i64) -> i64`: `fmt.Print`, returning the bytes written.
pub const FMT_PRINT: RtFn = RtFn { name: "g2n_fmt_print", params: &[Ptr, I64], returns: &[I64] };
/// `fn(a_ptr, a_len: i64, b_ptr, b_len: i64, out: *mut GoString)`: string
/// concatenation. The result stays valid for the rest of the process.
pub const STRING_CONCAT: RtFn = RtFn { name: "g2n_string_concat", params: &[Ptr, I64, Ptr, I64, Ptr], returns: &[] };
/// `fn(a_re: f64, a_im: f64, b_re: f64, b_im: f64, out: *mut [f64; 2])`:
/// Go's `complex128div` (complex64 division divides as complex128).
pub const COMPLEX128_DIV: RtFn = RtFn { name: "g2n_complex128_div", params: &[F64, F64, F64, F64, Ptr], returns: &[] };
/// `fn(a_ptr, a_len: i64, b_ptr, b_len: i64) -> i64`: -1, 0, 1 like `strings.Compare`.
pub const STRING_COMPARE: RtFn = RtFn { name: "g2n_string_compare", params: &[Ptr, I64, Ptr, I64], returns: &[I64] };
/// `fn(code: i64) -> !`: `os.Exit`. On a serving host the flow's thread
/// reports the end to the origin and parks (it cannot unwind through
/// generated frames); on the origin the process exits with `code as i32`.
pub const EXIT: RtFn = RtFn { name: "g2n_exit", params: &[I64], returns: &[] };
/// `fn(msg_ptr: *const u8, msg_len: i64) -> !`: a run-time panic with Go's message
/// (`integer divide by zero`, ...), printed as `panic: runtime error: ...`.
pub const PANIC_RUNTIME_ERROR: RtFn = RtFn { name: "g2n_panic_runtime_error", params: &[Ptr, I64], returns: &[] };
/// `fn(msg_ptr: *const u8, msg_len: i64) -> !`: a run-time panic whose
/// message has no `runtime error: ` prefix (Go's plainError), e.g. a
/// value method called through a nil pointer.
pub const PANIC_MESSAGE: RtFn = RtFn { name: "g2n_panic_message", params: &[Ptr, I64], returns: &[] };
/// `fn(value: *const GoAny) -> !`: `panic(v)`.
pub const PANIC: RtFn = RtFn { name: "g2n_panic", params: &[Ptr], returns: &[] };
/// `fn(args: *const GoAny, nargs: i64, newline: u8)`: the builtins `print`
/// (newline 0) and `println` (newline 1), to the flow's stderr.
pub const BUILTIN_PRINT: RtFn = RtFn { name: "g2n_builtin_print", params: &[Ptr, I64, U8], returns: &[] };
/// `fn(index: i64, len: i64) -> !`: `index out of range [index] with length len`.
pub const PANIC_INDEX: RtFn = RtFn { name: "g2n_panic_index", params: &[I64, I64], returns: &[] };
/// `fn(rune: i64, out: *mut GoString)`: `string(r)` of an integer.
pub const STRING_FROM_RUNE: RtFn = RtFn { name: "g2n_string_from_rune", params: &[I64, Ptr], returns: &[] };
/// `fn(size: i64) -> *mut u8`: zeroed memory for a Go value, 8-aligned.
pub const ALLOC: RtFn = RtFn { name: "g2n_alloc", params: &[I64], returns: &[Ptr] };
/// `fn(elem_size: i64, len: i64, cap: i64) -> *mut u8`: `make([]T, len, cap)`'s
/// zeroed backing array; panics as Go does on a bad length or capacity.
pub const MAKE_SLICE: RtFn = RtFn { name: "g2n_make_slice", params: &[I64, I64, I64], returns: &[Ptr] };
/// `fn(ptr, len, cap, extra, elem_size: i64, out: *mut [i64; 2])`: room for
/// `extra` more elements after `len`, growing the backing array as Go's
/// `append` does; writes the (possibly new) pointer and capacity to `out`.
pub const SLICE_RESERVE: RtFn = RtFn { name: "g2n_slice_reserve", params: &[Ptr, I64, I64, I64, I64, Ptr], returns: &[] };
/// `fn(lo, hi, max, cap: i64, kind: i64) -> !`: `slice bounds out of range`
/// (kind 0: a string, 1: a 2-index slice, 2: a 3-index slice), or kind 3: a
/// slice of length `cap` converted to a pointer to an array of length `hi`.
pub const PANIC_SLICE: RtFn = RtFn { name: "g2n_panic_slice", params: &[I64, I64, I64, I64, I64], returns: &[] };
/// `fn() -> !`: `invalid memory address or nil pointer dereference`.
pub const PANIC_NIL: RtFn = RtFn { name: "g2n_panic_nil", params: &[], returns: &[] };
/// `fn(ptr: *const u8, len: i64, index: i64, out: *mut [i64; 2])`: the rune
/// at a byte index of a string and its width in bytes (U+FFFD, 1 if invalid).
pub const DECODE_RUNE: RtFn = RtFn { name: "g2n_decode_rune", params: &[Ptr, I64, I64, Ptr], returns: &[] };
/// `fn(tag: u64, name_ptr: *const u8, name_len: i64) -> *const c_void`: the
/// method wrapper named `name` of a dynamic type, or null.
pub const FIND_METHOD: RtFn = RtFn { name: "g2n_find_method", params: &[I64, Ptr, I64], returns: &[Ptr] };
/// `fn(slot: *mut *const MethodCacheEntry, tag: u64, name_ptr: *const u8,
/// name_len: i64) -> *const c_void`: an interface call whose site's slot
/// did not hold `tag`'s entry: the method wrapper (null for a nil interface),
/// after pointing the slot at the entry ([`crate::MethodCacheEntry`]).
pub const METHOD_SLOT_MISS: RtFn = RtFn { name: "g2n_method_slot_miss", params: &[Ptr, I64, Ptr, I64], returns: &[Ptr] };
/// `fn() -> *mut u8`: a new defer frame for a function that defers; its
/// first [`JMP_BUF_SIZE`] bytes are the `jmp_buf` the function passes to
/// [`SETJMP`] right after, which a panic jumps back to.
pub const DEFER_ENTER: RtFn = RtFn { name: "g2n_defer_enter", params: &[], returns: &[Ptr] };
/// `fn(frame: *mut u8, closure: *const u8)`: `defer`; the closure object
/// takes no arguments.
pub const DEFER_PUSH: RtFn = RtFn { name: "g2n_defer_push", params: &[Ptr, Ptr], returns: &[] };
/// `fn(frame: *mut u8)`: a normal return runs the deferred calls, last
/// first, and drops the frame.
pub const DEFER_EXIT: RtFn = RtFn { name: "g2n_defer_exit", params: &[Ptr], returns: &[] };
/// `fn(frame: *mut u8)`: where [`SETJMP`] returns non-zero: runs the
/// remaining deferred calls; returns only if one of them recovered (the
/// function then returns its named results or zero values), else goes on
/// unwinding to the next frame or ends the flow with the panic message.
pub const DEFER_LANDING: RtFn = RtFn { name: "g2n_defer_landing", params: &[Ptr], returns: &[] };
/// `fn(frame: *mut u8, out: *mut [u64; 3])`: at a hop of a `main` that
/// defers, the frame's deferred closures as a new `[]func()` (in `defer`
/// order), which travels in the scope; the frame is dropped without
/// running them (the flow ends elsewhere).
pub const DEFER_TAKE: RtFn = RtFn { name: "g2n_defer_take", params: &[Ptr, Ptr], returns: &[] };
/// `fn(frame: *mut u8, ptr: *const u64, len: i64)`: on resuming such a
/// `main`, pushes the received closures onto its new frame, in order.
pub const DEFER_RESTORE: RtFn = RtFn { name: "g2n_defer_restore", params: &[Ptr, Ptr, I64], returns: &[] };
/// `fn(ptr: *const u8, len: i64, rune_elems: u8, out: *mut [i64; 3])`:
/// `[]byte(s)` (or `[]rune(s)` when `rune_elems` is 1) as a new slice.
pub const STRING_TO_SLICE: RtFn = RtFn { name: "g2n_string_to_slice", params: &[Ptr, I64, U8, Ptr], returns: &[] };
/// `fn(ptr: *const u8, len: i64, rune_elems: u8) -> GoString`:
/// `string(b)` of a `[]byte` (or a `[]rune`).
pub const SLICE_TO_STRING: RtFn = RtFn { name: "g2n_slice_to_string", params: &[Ptr, I64, U8], returns: &[Ptr, I64] };
/// `fn(out: *mut GoAny)`: `recover()`.
pub const RECOVER: RtFn = RtFn { name: "g2n_recover", params: &[Ptr], returns: &[] };
/// The C library's `_setjmp(env) -> i32` (no signal mask saved).
pub const SETJMP: RtFn = RtFn { name: "_setjmp", params: &[Ptr], returns: &[I32] };
/// `fn(a: *const GoAny, b: *const GoAny) -> u8`: interface equality (panics
/// on uncomparable dynamic types, as Go does).
pub const IFACE_EQ: RtFn = RtFn { name: "g2n_iface_eq", params: &[Ptr, Ptr], returns: &[U8] };
/// `fn(value: *const GoAny, target_tag: u64, iface_name_ptr: *const u8, iface_name_len: i64) -> !`:
/// `interface conversion: interface {} is string, not int`.
pub const PANIC_TYPE_ASSERT: RtFn = RtFn { name: "g2n_panic_type_assert", params: &[Ptr, I64, Ptr, I64], returns: &[] };

// Maps. A map value is a pointer to a runtime-owned map (null is the nil
// map). Keys and values cross as pointers to values in Go's memory layout;
// the key and value types are always given as descriptor addresses, basic
// types included (a `TypeDesc` of kind `Int` named `int`, ...).

/// `fn(key: *const TypeDesc, val: *const TypeDesc, hint: i64) -> *mut c_void`:
/// `make(map[K]V, hint)`; a negative hint panics (`makemap: size out of range`).
pub const MAP_NEW: RtFn = RtFn { name: "g2n_map_new", params: &[Ptr, Ptr, I64], returns: &[Ptr] };
/// `fn(m: *mut c_void, key: *const u8) -> *mut u8`: the value slot of `m[*key]`,
/// or null when absent (generated code then uses the zero value). A nil map
/// is allowed. Slots never move: they stay valid for the rest of the process.
/// Panics with `hash of unhashable type T` for an interface key whose
/// dynamic type is not comparable.
pub const MAP_LOOKUP: RtFn = RtFn { name: "g2n_map_lookup", params: &[Ptr, Ptr], returns: &[Ptr] };
/// `fn(m: *mut c_void, key: *const u8) -> *mut u8`: the value slot for
/// `m[*key] = v`, inserting a zeroed value (and a copy of the key) if absent.
/// A nil map panics with `assignment to entry in nil map`.
pub const MAP_ASSIGN: RtFn = RtFn { name: "g2n_map_assign", params: &[Ptr, Ptr], returns: &[Ptr] };
/// `fn(m: *mut c_void, key: *const u8)`: `delete(m, *key)`; a nil map is a no-op.
pub const MAP_DELETE: RtFn = RtFn { name: "g2n_map_delete", params: &[Ptr, Ptr], returns: &[] };
/// `fn(m: *mut c_void) -> i64`: `len(m)` (0 for nil).
pub const MAP_LEN: RtFn = RtFn { name: "g2n_map_len", params: &[Ptr], returns: &[I64] };
/// `fn(m: *mut c_void, out: *mut [u64; 3])`: the keys of `m` in iteration
/// order, copied into a new slice (empty for nil).
pub const MAP_KEYS: RtFn = RtFn { name: "g2n_map_keys", params: &[Ptr, Ptr], returns: &[] };
/// `fn(m: *mut c_void, out: *mut [u64; 3])`: the values of `m` in the order
/// [`MAP_KEYS`] gives the keys, copied into a new slice (empty for nil): a
/// hopping `range` reads an entry whose key is not equal to itself (NaN)
/// from it, since no lookup finds that entry.
pub const MAP_VALUES: RtFn = RtFn { name: "g2n_map_values", params: &[Ptr, Ptr], returns: &[] };
/// `fn(m: *mut c_void, it: *mut MapIter)`: starts `for k, v := range m`.
pub const MAP_ITER_INIT: RtFn = RtFn { name: "g2n_map_iter_init", params: &[Ptr, Ptr], returns: &[] };
/// `fn(it: *mut MapIter) -> *mut u8`: the next entry's key slot (also left in
/// `it.key`, the value slot in `it.val`), or null when done. Order: insertion
/// order (Go randomizes; programs cannot rely on either). Entries added
/// during the loop are visited, deleted ones are not.
pub const MAP_ITER_NEXT: RtFn = RtFn { name: "g2n_map_iter_next", params: &[Ptr], returns: &[Ptr] };

// Channels and goroutines (docs/goroutines.md). A channel value is a
// pointer to a runtime-owned channel (null is the nil channel); elements
// cross as pointers to values in Go's memory layout.

/// `fn(elem_size: i64, cap: i64) -> *mut c_void`: `make(chan T, cap)`; a
/// negative capacity panics (`makechan: size out of range`).
pub const CHAN_NEW: RtFn = RtFn { name: "g2n_chan_new", params: &[I64, I64], returns: &[Ptr] };
/// `fn(c: *mut c_void, elem: *const u8)`: `c <- *elem`; blocks the
/// goroutine until a receiver or buffer space takes it.
pub const CHAN_SEND: RtFn = RtFn { name: "g2n_chan_send", params: &[Ptr, Ptr], returns: &[] };
/// `fn(c: *mut c_void, out: *mut u8) -> u8`: `<-c` into `*out`; 0 (and the
/// zero value) when the channel is closed and drained.
pub const CHAN_RECV: RtFn = RtFn { name: "g2n_chan_recv", params: &[Ptr, Ptr], returns: &[U8] };
/// `fn(c: *mut c_void)`: `close(c)`.
pub const CHAN_CLOSE: RtFn = RtFn { name: "g2n_chan_close", params: &[Ptr], returns: &[] };
/// `fn(c: *mut c_void) -> i64`: `len(c)` (0 for nil).
pub const CHAN_LEN: RtFn = RtFn { name: "g2n_chan_len", params: &[Ptr], returns: &[I64] };
/// `fn(c: *mut c_void) -> i64`: `cap(c)` (0 for nil).
pub const CHAN_CAP: RtFn = RtFn { name: "g2n_chan_cap", params: &[Ptr], returns: &[I64] };
/// `fn(cases: *mut SelectCase, ncases: i64, has_default: u8) -> (i64, i64)`:
/// `select`; returns the index of the case that ran (-1 for `default`)
/// and, for a receive, 1 if a value was received (0 when closed).
pub const SELECT: RtFn = RtFn { name: "g2n_select", params: &[Ptr, I64, U8], returns: &[I64, I64] };
/// `fn(closure: *const u8)`: `go`: runs the closure object (which takes no
/// arguments) in a new goroutine.
pub const GO: RtFn = RtFn { name: "g2n_go", params: &[Ptr], returns: &[] };
/// `fn(closure: *const u8)`: `go` of a closure whose calls codegen proved
/// bounded (no recursion, no call it cannot follow): the goroutine gets a
/// small stack (docs/goroutines.md, "Stacks").
pub const GO_BOUNDED: RtFn = RtFn { name: "g2n_go_bounded", params: &[Ptr], returns: &[] };

/// Every function the runtime defines (the standard library's are in
/// [`stdlib::ALL`]).
pub const RUNTIME: &[RtFn] = &[
    RT_MAIN,
    RT_MAIN_TABLE,
    RT_MAIN_MESH,
    FLOW_UNIT,
    SCOPE_NEW,
    SCOPE_PUT_INT,
    SCOPE_PUT_BOOL,
    SCOPE_PUT_FLOAT64,
    SCOPE_PUT_STRING,
    SCOPE_GET_INT,
    SCOPE_GET_BOOL,
    SCOPE_GET_FLOAT64,
    SCOPE_GET_STRING,
    SCOPE_PUT_VALUE,
    SCOPE_PUT_CELL,
    SCOPE_GET_VALUE,
    SCOPE_GET_CELL,
    REGISTER_PROGRAM,
    REGISTER_LINES,
    GO_TO_NETWORK,
    WRITE_STDOUT,
    FMT_PRINTF,
    FMT_PRINTLN,
    FMT_PRINT,
    STRING_CONCAT,
    COMPLEX128_DIV,
    STRING_COMPARE,
    EXIT,
    PANIC_RUNTIME_ERROR,
    PANIC_MESSAGE,
    PANIC,
    BUILTIN_PRINT,
    PANIC_INDEX,
    STRING_FROM_RUNE,
    ALLOC,
    MAKE_SLICE,
    SLICE_RESERVE,
    PANIC_SLICE,
    PANIC_NIL,
    DECODE_RUNE,
    FIND_METHOD,
    METHOD_SLOT_MISS,
    DEFER_ENTER,
    DEFER_PUSH,
    DEFER_EXIT,
    DEFER_LANDING,
    DEFER_TAKE,
    DEFER_RESTORE,
    STRING_TO_SLICE,
    SLICE_TO_STRING,
    RECOVER,
    IFACE_EQ,
    PANIC_TYPE_ASSERT,
    MAP_NEW,
    MAP_LOOKUP,
    MAP_ASSIGN,
    MAP_DELETE,
    MAP_LEN,
    MAP_KEYS,
    MAP_VALUES,
    MAP_ITER_INIT,
    MAP_ITER_NEXT,
    CHAN_NEW,
    CHAN_SEND,
    CHAN_RECV,
    CHAN_CLOSE,
    CHAN_LEN,
    CHAN_CAP,
    SELECT,
    GO,
    GO_BOUNDED,
];

/// Functions generated code calls that the C library provides.
pub const LIBC: &[RtFn] = &[SETJMP];

/// The runtime's implementations of the standard library's bodyless
/// functions (`func semacquire(addr *uint32)` in `stdlib/sync/sync.go`, or
/// `func runtime_args() []string` in Go's os, compiled from source) and
/// runtime-read variables of the hand-written packages: the
/// symbol is `g2n_std_<import path, / as _>_<Name>` ([`stdlib::symbol`]),
/// and the const here is named `<path>_<Name>` to match it.
///
/// The signature is the Go one lowered as codegen lowers a call of such a
/// function: each argument as its machine words (a string is pointer and
/// length, a slice pointer, length and capacity, a `...any` tail an array of
/// `GoAny` and a count); up to two result words come back in registers,
/// more through a buffer whose address is passed last. A test in
/// `g2n-codegen` checks each entry against its declaration in `stdlib/`.
pub mod stdlib {
    use super::AbiType::{I64, Ptr, U8, U32};
    use super::RtFn;

    /// Declares the entries and [`ALL`] from one list, so that a name is
    /// written once: `os_getenv(Ptr, I64) -> (Ptr, I64)` is `g2n_std_os_getenv`.
    macro_rules! std_table {
        ($($name:ident($($param:ident),*) -> ($($ret:ident),*);)*) => {
            $(
                #[allow(non_upper_case_globals)]
                pub const $name: RtFn = RtFn {
                    name: concat!("g2n_std_", stringify!($name)),
                    params: &[$($param),*],
                    returns: &[$($ret),*],
                };
            )*
            /// Every entry, sorted by symbol.
            pub const ALL: &[RtFn] = &[$($name),*];
        };
    }

    std_table! {
        crypto_rand_getRandom(Ptr, I64, I64) -> (I64);
        fmt_errorf(Ptr, I64, Ptr, I64, I64, Ptr) -> ();
        fmt_runtimeParseFloat(Ptr, I64, I64) -> (I64);
        fmt_runtimePrint(Ptr, I64, Ptr) -> ();
        fmt_runtimePrintf(Ptr, I64, Ptr, I64, Ptr) -> ();
        fmt_runtimePrintln(Ptr, I64, Ptr) -> ();
        fmt_runtimeReadStdinByte() -> (I64);
        fmt_runtimeSprint(Ptr, I64) -> (Ptr, I64);
        fmt_runtimeSprintf(Ptr, I64, Ptr, I64) -> (Ptr, I64);
        fmt_runtimeSprintln(Ptr, I64) -> (Ptr, I64);
        internal_poll_runtime_Semacquire(Ptr) -> ();
        internal_poll_runtime_Semrelease(Ptr) -> ();
        internal_poll_runtime_isPollServerDescriptor(I64) -> (U8);
        internal_poll_runtime_pollClose(I64) -> ();
        internal_poll_runtime_pollOpen(I64) -> (I64, I64);
        internal_poll_runtime_pollReset(I64, I64) -> (I64);
        internal_poll_runtime_pollServerInit() -> ();
        internal_poll_runtime_pollSetDeadline(I64, I64, I64) -> ();
        internal_poll_runtime_pollUnblock(I64) -> ();
        internal_poll_runtime_pollWait(I64, I64) -> (I64);
        internal_poll_runtime_pollWaitCanceled(I64, I64) -> ();
        net_fastrandu() -> (I64);
        os_fastrand() -> (U32);
        os_runtime_args(Ptr) -> ();
        os_runtime_beforeExit() -> ();
        os_signal_signalWaitUntilIdle() -> ();
        os_signal_signal_disable(U32) -> ();
        os_signal_signal_enable(U32) -> ();
        os_signal_signal_ignore(U32) -> ();
        os_signal_signal_ignored(U32) -> (U8);
        os_signal_signal_recv() -> (U32);
        os_sigpipe() -> ();
        reflect_chanCap(Ptr) -> (I64);
        reflect_chanLen(Ptr) -> (I64);
        reflect_mapAssign(Ptr, Ptr) -> (Ptr);
        reflect_mapDelete(Ptr, Ptr) -> ();
        reflect_mapIterNext(Ptr) -> (Ptr);
        reflect_mapLen(Ptr) -> (I64);
        reflect_mapLookup(Ptr, Ptr) -> (Ptr);
        reflect_mapNew(Ptr, Ptr, I64) -> (Ptr);
        reflect_programTypeAt(I64) -> (Ptr);
        reflect_programTypeCount() -> (I64);
        runtime_callers(I64, Ptr, I64, I64) -> (I64);
        runtime_collect() -> ();
        runtime_debug_setGCPercent(I64) -> (I64);
        runtime_entersyscall() -> ();
        runtime_exitsyscall() -> ();
        runtime_funcEntry(I64) -> (I64);
        runtime_funcFile(I64) -> (Ptr, I64);
        runtime_funcLine(I64) -> (I64);
        runtime_funcName(I64) -> (Ptr, I64);
        runtime_goexit() -> ();
        runtime_goroot() -> (Ptr, I64);
        runtime_gosched() -> ();
        runtime_heapStat(I64) -> (I64);
        runtime_isFunc(I64, I64, I64) -> (U8);
        runtime_isPointer(I64, I64, I64) -> (U8);
        runtime_nanotime() -> (I64);
        runtime_numCPU() -> (I64);
        runtime_numGoroutine() -> (I64);
        runtime_setFinalizer(I64, I64, I64, I64, I64, I64) -> (Ptr, I64);
        runtime_stack() -> (Ptr, I64);
        runtime_throw(Ptr, I64) -> ();
        runtime_typeName(I64, I64, I64) -> (Ptr, I64);
        sync_atomic_sameType(I64, I64, I64, I64, I64, I64) -> (U8);
        sync_fatal(Ptr, I64) -> ();
        sync_nanotime() -> (I64);
        sync_registerPoolCleanup(Ptr) -> ();
        sync_semacquire(Ptr) -> ();
        sync_semrelease(Ptr) -> ();
        syscall_Exit(I64) -> ();
        syscall_Getpagesize() -> (I64);
        syscall_RawSyscall6(I64, I64, I64, I64, I64, I64, I64, Ptr) -> ();
        syscall_rawSyscallNoError(I64, I64, I64, I64) -> (I64, I64);
        syscall_rawVforkSyscall(I64, I64) -> (I64, I64);
        syscall_runtime_AfterFork() -> ();
        syscall_runtime_AfterForkInChild() -> ();
        syscall_runtime_BeforeFork() -> ();
        syscall_runtime_envs(Ptr) -> ();
        syscall_setenv_c(Ptr, I64, Ptr, I64) -> ();
        syscall_unsetenv_c(Ptr, I64) -> ();
        testing_callers() -> (Ptr, I64);
        testing_captureEnd() -> (Ptr, I64);
        testing_captureStart() -> ();
        testing_goexit() -> ();
        testing_nanotime() -> (I64);
        time_Sleep(I64) -> ();
        time_modTimer(Ptr, I64, I64, Ptr, I64, I64, I64, I64) -> ();
        time_now(Ptr) -> ();
        time_resetTimer(Ptr, I64) -> (U8);
        time_startTimer(Ptr) -> ();
        time_stopTimer(Ptr) -> (U8);
    }

    /// The symbol of a bodyless stdlib function or runtime-read variable.
    pub fn symbol(package: &str, name: &str) -> String {
        format!("g2n_std_{}_{}", package.replace('/', "_"), name)
    }

    /// The entry for a symbol built by [`symbol`].
    pub fn find(symbol: &str) -> Option<&'static RtFn> {
        ALL.iter().find(|f| f.name == symbol)
    }
}
