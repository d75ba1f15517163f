//! The standard library functions that `stdlib/` declares without a body.
//! Each is `g2n_std_<package>_<Name>`, defined through `rt_export!` under its
//! entry in `g2n_abi::symbols::stdlib`,
//! and takes its Go arguments as machine words: a string is (pointer,
//! length), a slice (pointer, length, capacity), a `...any` tail an array of
//! `GoAny` and a count. Up to two result words are returned in registers;
//! more are written to a buffer of 8-byte slots passed as the last argument.

#![allow(non_snake_case)]

use crate::ffi::{args, bytes, guard, leak_string};
use crate::fmt as gofmt;
use g2n_abi::{FieldDesc, GoAny, GoString, Kind, MethodDesc, TypeDesc};
use std::ffi::c_void;
use std::sync::OnceLock;

// ---- error values ----

/// The `Error` method of the runtime's error types: `word0` points to the
/// message (a `GoString` in collected memory).
unsafe extern "C" fn error_message(word0: u64, _word1: u64) -> GoString {
    if word0 == 0 {
        return GoString { ptr: std::ptr::null(), len: 0 };
    }
    // SAFETY: word0 was made by `new_error`.
    unsafe { *(word0 as *const GoString) }
}

/// `runtime.Error`'s marker method, `RuntimeError()`.
const RUNTIME_ERROR_METHOD_KEY: &[u8] = b"RuntimeError\0func()";

unsafe extern "C" fn runtime_error_marker(_word0: u64, _word1: u64) {}

struct Desc(&'static TypeDesc);
// SAFETY: descriptors are immutable after construction.
unsafe impl Send for Desc {}
unsafe impl Sync for Desc {}

fn static_str(s: &'static str) -> GoString {
    GoString { ptr: s.as_ptr(), len: s.len() as i64 }
}

/// A pointer-kind descriptor named `name` whose method set is `Error`,
/// pointing to the message (a string, or `errors.errorString`).
fn error_desc(cell: &'static OnceLock<Desc>, name: &'static str) -> &'static TypeDesc {
    error_desc_to(cell, name, string_desc())
}

/// `*errors.errorString`, whose element is Go's `struct{ s string }` (the
/// same memory as the message string): fmt shows it as Go does where it
/// looks inside, `&{%!d(string=boom)}` for `%d`, `&errors.errorString{s:"boom"}`
/// for `%#v`.
fn error_string_desc() -> &'static TypeDesc {
    error_desc_to(&ERROR_STRING, "*errors.errorString", error_string_struct_desc())
}

/// `errors.errorString`, the element of [`error_string_desc`].
fn error_string_struct_desc() -> &'static TypeDesc {
    static STRUCT: OnceLock<Desc> = OnceLock::new();
    STRUCT
        .get_or_init(|| {
            let field = Box::leak(Box::new(FieldDesc { name: static_str("s"), ty: string_desc(), offset: 0, embedded: 0 }));
            Desc(Box::leak(Box::new(TypeDesc {
                kind: Kind::Struct as u32,
                reserved: 0,
                size: 16,
                name: static_str("errors.errorString"),
                elem: std::ptr::null(),
                key: std::ptr::null(),
                len: 0,
                fields: field,
                nfields: 1,
                methods: std::ptr::null(),
                nmethods: 0,
                ext: std::ptr::null(),
            })))
        })
        .0
}

fn error_desc_to(cell: &'static OnceLock<Desc>, name: &'static str, elem: &'static TypeDesc) -> &'static TypeDesc {
    cell.get_or_init(|| {
        // Keyed by name and signature, as codegen keys method tables, and
        // sorted by name. The runtime's panics implement `runtime.Error`
        // (stdlib/runtime/error.go): its `RuntimeError()` does nothing.
        let key = g2n_abi::ERROR_METHOD_KEY;
        let mut table = vec![MethodDesc { name: GoString { ptr: key.as_ptr(), len: key.len() as i64 }, func: error_message as *const c_void }];
        if std::ptr::eq(cell, &RUNTIME_ERROR) {
            let key = RUNTIME_ERROR_METHOD_KEY;
            table.push(MethodDesc { name: GoString { ptr: key.as_ptr(), len: key.len() as i64 }, func: runtime_error_marker as *const c_void });
        }
        let nmethods = table.len() as u64;
        let method = Box::leak(table.into_boxed_slice()).as_ptr();
        Desc(Box::leak(Box::new(TypeDesc {
            kind: Kind::Pointer as u32,
            reserved: 0,
            size: 8,
            name: static_str(name),
            // The error's message: an element type lets such errors travel
            // in scope graphs like any pointer.
            elem,
            key: std::ptr::null(),
            len: 0,
            fields: std::ptr::null::<FieldDesc>(),
            nfields: 0,
            methods: method,
            nmethods,
            ext: std::ptr::null(),
        })))
    })
    .0
}

/// The descriptor of `string`, for the runtime's own types.
fn string_desc() -> &'static TypeDesc {
    static STRING: OnceLock<Desc> = OnceLock::new();
    STRING
        .get_or_init(|| {
            Desc(Box::leak(Box::new(TypeDesc {
                kind: Kind::String as u32,
                reserved: 0,
                size: 16,
                name: static_str("string"),
                elem: std::ptr::null(),
                key: std::ptr::null(),
                len: 0,
                fields: std::ptr::null::<FieldDesc>(),
                nfields: 0,
                methods: std::ptr::null(),
                nmethods: 0,
                ext: std::ptr::null(),
            })))
        })
        .0
}

/// The types whose values the runtime itself makes (errors of its stdlib
/// functions and of run-time panics), by the name they travel under, so a
/// receiving nanoservice can rebuild them from a scope graph even when its
/// program never names them.
pub fn runtime_made_types() -> [(&'static str, &'static TypeDesc); 4] {
    [
        ("string", string_desc()),
        ("*errors.errorString", error_string_desc()),
        ("errors.errorString", error_string_struct_desc()),
        ("runtime.Error", error_desc(&RUNTIME_ERROR, "runtime.Error")),
    ]
}

static ERROR_STRING: OnceLock<Desc> = OnceLock::new();
static RUNTIME_ERROR: OnceLock<Desc> = OnceLock::new();

/// The `error` that `recover` returns for a run-time panic.
pub fn runtime_error_value(message: Vec<u8>) -> GoAny {
    new_error(error_desc(&RUNTIME_ERROR, "runtime.Error"), message)
}

fn new_error(desc: &'static TypeDesc, message: Vec<u8>) -> GoAny {
    let text = crate::gc::malloc(std::mem::size_of::<GoString>()).cast::<GoString>();
    // SAFETY: fresh memory for one GoString; the string is reachable from
    // `text`, which is reachable from this stack frame.
    unsafe { text.write(leak_string(message)) };
    GoAny { tag: desc as *const TypeDesc as u64, word0: text as u64, word1: 0 }
}

const NIL: GoAny = GoAny { tag: 0, word0: 0, word1: 0 };

/// Writes result words to the caller's buffer.
unsafe fn write_words(out: *mut u64, words: &[u64]) {
    if out.is_null() {
        return;
    }
    for (i, w) in words.iter().enumerate() {
        // SAFETY: the caller passes room for every result word.
        unsafe { out.add(i).write(*w) };
    }
}

unsafe fn write_value_error(out: *mut u64, value: u64, err: GoAny) {
    // SAFETY: guaranteed by the caller.
    unsafe { write_words(out, &[value, err.tag, err.word0, err.word1]) }
}

fn string_arg<'a>(ptr: *const u8, len: i64) -> &'a [u8] {
    // SAFETY: generated code passes valid strings.
    unsafe { bytes(ptr, len) }
}

fn go_string(b: Vec<u8>) -> GoString {
    guard(|| leak_string(b))
}

// ---- fmt ----

rt_export! { stdlib::fmt_runtimeSprintf =>
/// `fmt.runtimeSprintf(format, a...)`: `fmt.Sprintf` once fmt's Go code
/// (stdlib/fmt) has run the operands' `Format` methods.
///
/// # Safety
/// `format_ptr` points to `format_len` readable bytes (any pointer if `format_len` is 0);
/// `args_ptr` points to `nargs` valid `GoAny` values (the `...any` tail) whose strings are valid.
pub unsafe extern "C" fn g2n_std_fmt_runtimeSprintf(format_ptr: *const u8, format_len: i64, args_ptr: *const GoAny, nargs: i64) -> GoString {
    // SAFETY: guaranteed by the caller.
    let a = unsafe { args(args_ptr, nargs) };
    go_string(gofmt::sprintf(string_arg(format_ptr, format_len), &a))
}
}

rt_export! { stdlib::fmt_runtimeSprint =>
/// `fmt.runtimeSprint(a...)`: `fmt.Sprint`, as `runtimeSprintf`.
///
/// # Safety
/// `args_ptr` points to `nargs` valid `GoAny` values (the `...any` tail) whose strings are valid.
pub unsafe extern "C" fn g2n_std_fmt_runtimeSprint(args_ptr: *const GoAny, nargs: i64) -> GoString {
    // SAFETY: guaranteed by the caller.
    let a = unsafe { args(args_ptr, nargs) };
    go_string(gofmt::sprint(&a))
}
}

rt_export! { stdlib::fmt_runtimeSprintln =>
/// `fmt.runtimeSprintln(a...)`: `fmt.Sprintln`, as `runtimeSprintf`.
///
/// # Safety
/// `args_ptr` points to `nargs` valid `GoAny` values (the `...any` tail) whose strings are valid.
pub unsafe extern "C" fn g2n_std_fmt_runtimeSprintln(args_ptr: *const GoAny, nargs: i64) -> GoString {
    // SAFETY: guaranteed by the caller.
    let a = unsafe { args(args_ptr, nargs) };
    go_string(gofmt::sprintln(&a))
}
}

rt_export! { stdlib::fmt_runtimeParseFloat =>
/// `fmt.runtimeParseFloat(s, bitSize)` for fmt's scanning: the bits of the
/// float64 nearest the decimal number `s` (nearest float32 when `bitSize`
/// is 32, as strconv.ParseFloat rounds), infinite when out of range, or
/// [`PARSE_FLOAT_FAILED`] when `s` is not a number (stdlib/fmt/scan_number.go).
///
/// # Safety
/// `ptr` must point to `len` readable bytes.
pub unsafe extern "C" fn g2n_std_fmt_runtimeParseFloat(ptr: *const u8, len: i64, bit_size: i64) -> i64 {
    // SAFETY: guaranteed by the caller.
    let text = std::str::from_utf8(unsafe { bytes(ptr, len) }).unwrap_or("");
    let value = if bit_size == 32 { text.parse::<f32>().map(f64::from) } else { text.parse::<f64>() };
    match value {
        Ok(value) => value.to_bits() as i64,
        Err(_) => PARSE_FLOAT_FAILED as i64,
    }
}
}

/// What `fmt.runtimeParseFloat` returns for a string that is not a number:
/// a NaN whose payload no parsed NaN has.
pub const PARSE_FLOAT_FAILED: u64 = 0x7FF8_0000_0000_0001;

rt_export! { stdlib::fmt_errorf =>
/// `errorf(format, a) (string, int)`, the formatting of `fmt.Errorf`
/// (stdlib/fmt/fmt.go): the message and the index of the operand `%w`
/// wraps, or -1. The three result words go to `out`.
///
/// # Safety
/// `format_ptr` points to `format_len` readable bytes (any pointer if `format_len` is 0);
/// `args_ptr` points to `nargs` valid `GoAny` values (the `...any` slice) whose strings are valid;
/// `out` points to room for three writable 8-byte result slots (the string and the index).
pub unsafe extern "C" fn g2n_std_fmt_errorf(format_ptr: *const u8, format_len: i64, args_ptr: *const GoAny, nargs: i64, _cap: i64, out: *mut u64) {
    // SAFETY: guaranteed by the caller.
    let a = unsafe { args(args_ptr, nargs) };
    let (message, wrapped) = gofmt::errorf(string_arg(format_ptr, format_len), &a);
    let message = go_string(message);
    let wrapped = wrapped.map_or(-1, |i| i as i64);
    // SAFETY: three result words.
    unsafe { write_words(out, &[message.ptr as u64, message.len as u64, wrapped as u64]) }
}
}

rt_export! { stdlib::fmt_runtimePrintln =>
/// `fmt.runtimePrintln(a...)`: `fmt.Println`, as `runtimeSprintf`, called
/// with a spread slice by fmt's Go code. The (n, err) results go to `out`.
///
/// # Safety
/// `args_ptr` points to `nargs` valid `GoAny` values (the `...any` tail) whose strings are valid;
/// `out` points to room for four writable 8-byte result slots (n and the error).
pub unsafe extern "C" fn g2n_std_fmt_runtimePrintln(args_ptr: *const GoAny, nargs: i64, out: *mut u64) {
    // SAFETY: guaranteed by the caller.
    let a = unsafe { args(args_ptr, nargs) };
    let text = gofmt::sprintln(&a);
    guard(|| crate::flow::write_output(crate::wire::Stream::Stdout, &text));
    // SAFETY: four result words.
    unsafe { write_value_error(out, text.len() as u64, NIL) }
}
}

rt_export! { stdlib::fmt_runtimePrint =>
/// `fmt.runtimePrint(a...)`: `fmt.Print`, as `runtimePrintln`. The (n, err) results go to `out`.
///
/// # Safety
/// `args_ptr` points to `nargs` valid `GoAny` values (the `...any` tail) whose strings are valid;
/// `out` points to room for four writable 8-byte result slots (n and the error).
pub unsafe extern "C" fn g2n_std_fmt_runtimePrint(args_ptr: *const GoAny, nargs: i64, out: *mut u64) {
    // SAFETY: guaranteed by the caller.
    let a = unsafe { args(args_ptr, nargs) };
    let text = gofmt::sprint(&a);
    guard(|| crate::flow::write_output(crate::wire::Stream::Stdout, &text));
    // SAFETY: four result words.
    unsafe { write_value_error(out, text.len() as u64, NIL) }
}
}

rt_export! { stdlib::fmt_runtimePrintf =>
/// `fmt.runtimePrintf(format, a...)`: `fmt.Printf`, as `runtimePrintln`. The (n, err) results go to `out`.
///
/// # Safety
/// `format_ptr` points to `format_len` readable bytes (any pointer if `format_len` is 0);
/// `args_ptr` points to `nargs` valid `GoAny` values (the `...any` tail) whose strings are valid;
/// `out` points to room for four writable 8-byte result slots (n and the error).
pub unsafe extern "C" fn g2n_std_fmt_runtimePrintf(format_ptr: *const u8, format_len: i64, args_ptr: *const GoAny, nargs: i64, out: *mut u64) {
    // SAFETY: guaranteed by the caller.
    let a = unsafe { args(args_ptr, nargs) };
    let text = gofmt::sprintf(string_arg(format_ptr, format_len), &a);
    guard(|| crate::flow::write_output(crate::wire::Stream::Stdout, &text));
    // SAFETY: four result words.
    unsafe { write_value_error(out, text.len() as u64, NIL) }
}
}

// ---- unicode/utf8 and unicode ----

#[repr(C)]
pub struct RuneWidth {
    pub rune: i32,
    pub width: i64,
}

// Returned in two registers: the rune in the low half of the first.
impl crate::export::AbiWords for RuneWidth {
    const WORDS: &'static [g2n_abi::symbols::AbiType] = &[g2n_abi::symbols::AbiType::I32, g2n_abi::symbols::AbiType::I64];
}
