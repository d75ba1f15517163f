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
            })))
        })
        .0
}

fn error_desc_to(cell: &'static OnceLock<Desc>, name: &'static str, elem: &'static TypeDesc) -> &'static TypeDesc {
    cell.get_or_init(|| {
        // Keyed by name and signature, as codegen keys method tables.
        let key = g2n_abi::ERROR_METHOD_KEY;
        let method = Box::leak(Box::new(MethodDesc { name: GoString { ptr: key.as_ptr(), len: key.len() as i64 }, func: error_message as *const c_void }));
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
            nmethods: 1,
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
            })))
        })
        .0
}

/// The types whose values the runtime itself makes (errors of its stdlib
/// functions and of run-time panics), by the name they travel under, so a
/// receiving nanoservice can rebuild them from a scope graph even when its
/// program never names them.
pub fn runtime_made_types() -> [(&'static str, &'static TypeDesc); 5] {
    [
        ("string", string_desc()),
        ("*errors.errorString", error_string_desc()),
        ("errors.errorString", error_string_struct_desc()),
        ("*strconv.NumError", error_desc(&NUM_ERROR, "*strconv.NumError")),
        ("runtime.Error", error_desc(&RUNTIME_ERROR, "runtime.Error")),
    ]
}

static ERROR_STRING: OnceLock<Desc> = OnceLock::new();
static RUNTIME_ERROR: OnceLock<Desc> = OnceLock::new();

/// The `error` that `recover` returns for a run-time panic.
pub fn runtime_error_value(message: Vec<u8>) -> GoAny {
    new_error(error_desc(&RUNTIME_ERROR, "runtime.Error"), message)
}
static NUM_ERROR: OnceLock<Desc> = OnceLock::new();

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

rt_export! { stdlib::fmt_Sprintf =>
/// `fmt.Sprintf(format, a...)`.
///
/// # Safety
/// `format_ptr` points to `format_len` readable bytes (any pointer if `format_len` is 0);
/// `args_ptr` points to `nargs` valid `GoAny` values (the `...any` tail) whose strings are valid.
pub unsafe extern "C" fn g2n_std_fmt_Sprintf(format_ptr: *const u8, format_len: i64, args_ptr: *const GoAny, nargs: i64) -> GoString {
    // SAFETY: guaranteed by the caller.
    let a = unsafe { args(args_ptr, nargs) };
    go_string(gofmt::sprintf(string_arg(format_ptr, format_len), &a))
}
}

rt_export! { stdlib::fmt_Sprint =>
/// `fmt.Sprint(a...)`.
///
/// # Safety
/// `args_ptr` points to `nargs` valid `GoAny` values (the `...any` tail) whose strings are valid.
pub unsafe extern "C" fn g2n_std_fmt_Sprint(args_ptr: *const GoAny, nargs: i64) -> GoString {
    // SAFETY: guaranteed by the caller.
    let a = unsafe { args(args_ptr, nargs) };
    go_string(gofmt::sprint(&a))
}
}

rt_export! { stdlib::fmt_Sprintln =>
/// `fmt.Sprintln(a...)`.
///
/// # Safety
/// `args_ptr` points to `nargs` valid `GoAny` values (the `...any` tail) whose strings are valid.
pub unsafe extern "C" fn g2n_std_fmt_Sprintln(args_ptr: *const GoAny, nargs: i64) -> GoString {
    // SAFETY: guaranteed by the caller.
    let a = unsafe { args(args_ptr, nargs) };
    go_string(gofmt::sprintln(&a))
}
}

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

rt_export! { stdlib::fmt_Println =>
/// `fmt.Println(s...)` and friends, reached only with a spread slice (plain
/// calls are intrinsics). The (n, err) results go to `out`.
///
/// # Safety
/// `args_ptr` points to `nargs` valid `GoAny` values (the `...any` tail) whose strings are valid;
/// `out` points to room for four writable 8-byte result slots (n and the error).
pub unsafe extern "C" fn g2n_std_fmt_Println(args_ptr: *const GoAny, nargs: i64, out: *mut u64) {
    // SAFETY: guaranteed by the caller.
    let a = unsafe { args(args_ptr, nargs) };
    let text = gofmt::sprintln(&a);
    guard(|| crate::flow::write_output(crate::wire::Stream::Stdout, &text));
    // SAFETY: four result words.
    unsafe { write_value_error(out, text.len() as u64, NIL) }
}
}

rt_export! { stdlib::fmt_Print =>
/// `fmt.Print(a...)`, reached only with a spread slice. The (n, err) results go to `out`.
///
/// # Safety
/// `args_ptr` points to `nargs` valid `GoAny` values (the `...any` tail) whose strings are valid;
/// `out` points to room for four writable 8-byte result slots (n and the error).
pub unsafe extern "C" fn g2n_std_fmt_Print(args_ptr: *const GoAny, nargs: i64, out: *mut u64) {
    // SAFETY: guaranteed by the caller.
    let a = unsafe { args(args_ptr, nargs) };
    let text = gofmt::sprint(&a);
    guard(|| crate::flow::write_output(crate::wire::Stream::Stdout, &text));
    // SAFETY: four result words.
    unsafe { write_value_error(out, text.len() as u64, NIL) }
}
}

rt_export! { stdlib::fmt_Printf =>
/// `fmt.Printf(format, a...)`, reached only with a spread slice. The (n, err) results go to `out`.
///
/// # Safety
/// `format_ptr` points to `format_len` readable bytes (any pointer if `format_len` is 0);
/// `args_ptr` points to `nargs` valid `GoAny` values (the `...any` tail) whose strings are valid;
/// `out` points to room for four writable 8-byte result slots (n and the error).
pub unsafe extern "C" fn g2n_std_fmt_Printf(format_ptr: *const u8, format_len: i64, args_ptr: *const GoAny, nargs: i64, out: *mut u64) {
    // SAFETY: guaranteed by the caller.
    let a = unsafe { args(args_ptr, nargs) };
    let text = gofmt::sprintf(string_arg(format_ptr, format_len), &a);
    guard(|| crate::flow::write_output(crate::wire::Stream::Stdout, &text));
    // SAFETY: four result words.
    unsafe { write_value_error(out, text.len() as u64, NIL) }
}
}

// ---- os ----

rt_export! { stdlib::os_writeFd =>
/// `os.writeFd(fd, b)`: the body of `(*os.File).Write` for the standard
/// streams. It goes through the flow's output like fmt's, so a nanoservice
/// forwards it to the origin and it keeps its place among fmt's output.
///
/// # Safety
/// `ptr` points to `len` readable bytes (any pointer if `len` is 0).
pub unsafe extern "C" fn g2n_std_os_writeFd(fd: i64, ptr: *const u8, len: i64, _cap: i64) -> i64 {
    let stream = if fd == 2 { crate::wire::Stream::Stderr } else { crate::wire::Stream::Stdout };
    // SAFETY: a byte slice from generated code.
    let data = unsafe { bytes(ptr, len) };
    guard(|| crate::flow::write_output(stream, data));
    data.len() as i64
}
}

rt_export! { stdlib::os_readFd =>
/// `os.readFd(fd, b)`: reads up to `len(b)` bytes of standard input; 0 at
/// its end (or on an error, which Go's callers see as EOF too).
///
/// # Safety
/// `ptr` is null or points to `len` writable bytes that nothing else reads or writes during the
/// call.
pub unsafe extern "C" fn g2n_std_os_readFd(_fd: i64, ptr: *mut u8, len: i64, _cap: i64) -> i64 {
    use std::io::Read;
    // SAFETY: a byte slice from generated code.
    let buf = unsafe { slice_mut(ptr, len) };
    loop {
        match std::io::stdin().lock().read(buf) {
            Ok(n) => return n as i64,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return 0,
        }
    }
}
}

// ---- errors ----

rt_export! { stdlib::errors_New =>
/// `errors.New(text)`: the error goes to `out`.
///
/// # Safety
/// `ptr` points to `len` readable bytes (any pointer if `len` is 0); `out` points to room for three
/// writable 8-byte result slots (the error interface).
pub unsafe extern "C" fn g2n_std_errors_New(ptr: *const u8, len: i64, out: *mut u64) {
    let err = new_error(error_string_desc(), string_arg(ptr, len).to_vec());
    // SAFETY: three result words.
    unsafe { write_words(out, &[err.tag, err.word0, err.word1]) }
}
}

/// An interface value from its three words.
fn any_of(tag: u64, word0: u64, word1: u64) -> GoAny {
    GoAny { tag, word0, word1 }
}

rt_export! { stdlib::errors_comparableValue =>
/// Whether `v`'s dynamic type is comparable (reflectlite's
/// `TypeOf(v).Comparable()` in Go's `errors.Is`).
pub extern "C" fn g2n_std_errors_comparableValue(tag: u64, _word0: u64, _word1: u64) -> u8 {
    crate::types::desc_of_tag(tag).is_none_or(crate::types::comparable) as u8
}
}

rt_export! { stdlib::errors_asTarget =>
/// Checks the target of `errors.As` as Go does: 0 for a non-nil pointer to
/// an interface type or to a type implementing `error`, 1 when it is not a
/// non-nil pointer, 2 when its element type is neither.
pub extern "C" fn g2n_std_errors_asTarget(tag: u64, word0: u64, _word1: u64) -> i64 {
    use crate::types::{desc_of_tag, elem, find_method, kind};
    let Some(d) = desc_of_tag(tag).filter(|d| kind(d) == Kind::Pointer && word0 != 0) else { return 1 };
    let target = elem(d);
    // By name and signature, as an assertion to `error` looks: an
    // `Error() int` method does not implement error.
    if kind(target) == Kind::Interface || find_method(target, g2n_abi::ERROR_METHOD_KEY).is_some() { 0 } else { 2 }
}
}

rt_export! { stdlib::errors_assign =>
/// `errors.As`'s step: when `err`'s dynamic type is assignable to the
/// element type of `target` (a pointer [`g2n_std_errors_asTarget`]
/// accepted), stores `err` there and returns 1. Assignable: the same type,
/// or an interface type whose methods the dynamic type has.
pub extern "C" fn g2n_std_errors_assign(tag: u64, word0: u64, word1: u64, target_tag: u64, target: u64, _target1: u64) -> u8 {
    use crate::types::{any_value_ptr, desc_of_tag, elem, find_method, go_str, kind, methods};
    let (Some(err_type), Some(pointer)) = (desc_of_tag(tag), desc_of_tag(target_tag)) else { return 0 };
    let target_type = elem(pointer);
    let err = any_of(tag, word0, word1);
    let destination = target as *mut u8;
    if kind(target_type) == Kind::Interface {
        if !methods(target_type).iter().all(|m| find_method(err_type, go_str(m.name)).is_some()) {
            return 0;
        }
        // SAFETY: `target` points to an interface variable (three words).
        unsafe { destination.cast::<GoAny>().write_unaligned(err) };
        return 1;
    }
    if !std::ptr::eq(err_type, target_type) {
        return 0;
    }
    // SAFETY: `target` points to a variable of the error's dynamic type,
    // whose value `any_value_ptr` locates in Go's layout.
    unsafe { std::ptr::copy(any_value_ptr(&err, err_type), destination, err_type.size as usize) };
    1
}
}

// ---- strconv ----

fn num_error(func: &str, input: &[u8], reason: &str) -> GoAny {
    let mut message = format!("strconv.{func}: parsing ").into_bytes();
    message.extend_from_slice(&gofmt::sprintf(b"%q", &[gofmt::Arg::Str(input)]));
    message.extend_from_slice(format!(": {reason}").as_bytes());
    new_error(error_desc(&NUM_ERROR, "*strconv.NumError"), message)
}

fn format_radix(mut magnitude: u128, negative: bool, base: u32) -> Vec<u8> {
    let base = base.clamp(2, 36) as u128;
    let mut digits = Vec::new();
    loop {
        let d = (magnitude % base) as u8;
        digits.push(if d < 10 { b'0' + d } else { b'a' + d - 10 });
        magnitude /= base;
        if magnitude == 0 {
            break;
        }
    }
    if negative {
        digits.push(b'-');
    }
    digits.reverse();
    digits
}

rt_export! { stdlib::strconv_Itoa =>
pub extern "C" fn g2n_std_strconv_Itoa(i: i64) -> GoString {
    go_string(i.to_string().into_bytes())
}
}

rt_export! { stdlib::strconv_FormatInt =>
pub extern "C" fn g2n_std_strconv_FormatInt(i: i64, base: i64) -> GoString {
    go_string(format_radix(i.unsigned_abs() as u128, i < 0, base as u32))
}
}

rt_export! { stdlib::strconv_FormatUint =>
pub extern "C" fn g2n_std_strconv_FormatUint(i: u64, base: i64) -> GoString {
    go_string(format_radix(i as u128, false, base as u32))
}
}

rt_export! { stdlib::strconv_FormatBool =>
pub extern "C" fn g2n_std_strconv_FormatBool(b: u8) -> GoString {
    go_string(if b != 0 { b"true".to_vec() } else { b"false".to_vec() })
}
}

rt_export! { stdlib::strconv_FormatFloat =>
pub extern "C" fn g2n_std_strconv_FormatFloat(f: f64, fmt: u8, prec: i64, bit_size: i64) -> GoString {
    // bitSize 32 rounds to float32 and gives float32's shortest digits.
    if bit_size == 32 {
        return go_string(gofmt::format_float_size(f as f32 as f64, fmt, prec, 32));
    }
    go_string(gofmt::format_float(f, fmt, prec))
}
}

rt_export! { stdlib::strconv_Quote =>
pub extern "C" fn g2n_std_strconv_Quote(ptr: *const u8, len: i64) -> GoString {
    go_string(gofmt::sprintf(b"%q", &[gofmt::Arg::Str(string_arg(ptr, len))]))
}
}

/// Go's `ParseInt` digits: optional sign, base prefix when `base == 0`,
/// underscores only with a prefix. `Err(true)` is a range error.
fn parse_integer(s: &[u8], base: i64, signed: bool, bits: i64) -> Result<i128, &'static str> {
    let bits = if bits == 0 { 64 } else { bits.clamp(1, 64) } as u32;
    let (negative, mut digits) = match s.first() {
        Some(b'-') if signed => (true, &s[1..]),
        Some(b'+') if signed => (false, &s[1..]),
        _ => (false, s),
    };
    let mut base = base as u32;
    let mut prefixed = false;
    if base == 0 {
        base = 10;
        if digits.len() > 1 && digits[0] == b'0' {
            match digits[1].to_ascii_lowercase() {
                b'x' => (base, digits, prefixed) = (16, &digits[2..], true),
                b'b' => (base, digits, prefixed) = (2, &digits[2..], true),
                b'o' => (base, digits, prefixed) = (8, &digits[2..], true),
                _ => (base, digits, prefixed) = (8, &digits[1..], true),
            }
        }
    }
    if !(2..=36).contains(&base) || digits.is_empty() {
        return Err("invalid syntax");
    }
    let mut value: u128 = 0;
    let mut overflow = false;
    for &c in digits {
        if c == b'_' && prefixed {
            continue;
        }
        let d = match c {
            b'0'..=b'9' => (c - b'0') as u32,
            b'a'..=b'z' => (c - b'a') as u32 + 10,
            b'A'..=b'Z' => (c - b'A') as u32 + 10,
            _ => return Err("invalid syntax"),
        };
        if d >= base {
            return Err("invalid syntax");
        }
        value = value * base as u128 + d as u128;
        if value > u64::MAX as u128 * 2 {
            overflow = true;
            value = u64::MAX as u128 * 2;
        }
    }
    let limit: u128 = if signed { 1u128 << (bits - 1) } else { (1u128 << bits) - 1 };
    if overflow || (signed && ((!negative && value >= limit) || (negative && value > limit))) || (!signed && value > limit) {
        return Err("value out of range");
    }
    Ok(if negative { -(value as i128) } else { value as i128 })
}

fn range_clamped(signed: bool, negative: bool, bits: i64) -> i128 {
    let bits = if bits == 0 { 64 } else { bits.clamp(1, 64) } as u32;
    if signed {
        if negative { -(1i128 << (bits - 1)) } else { (1i128 << (bits - 1)) - 1 }
    } else {
        (1i128 << bits) - 1
    }
}

rt_export! { stdlib::strconv_Atoi =>
/// `strconv.Atoi(s)`: the (value, err) results go to `out`.
///
/// # Safety
/// `ptr` points to `len` readable bytes (any pointer if `len` is 0); `out` points to room for four
/// writable 8-byte result slots (the value and the error).
pub unsafe extern "C" fn g2n_std_strconv_Atoi(ptr: *const u8, len: i64, out: *mut u64) {
    let s = string_arg(ptr, len);
    let (value, err) = match parse_integer(s, 10, true, 64) {
        Ok(v) => (v as i64 as u64, NIL),
        Err("value out of range") => (range_clamped(true, s.first() == Some(&b'-'), 64) as i64 as u64, num_error("Atoi", s, "value out of range")),
        Err(reason) => (0, num_error("Atoi", s, reason)),
    };
    // SAFETY: four result words.
    unsafe { write_value_error(out, value, err) }
}
}

rt_export! { stdlib::strconv_ParseInt =>
/// `strconv.ParseInt(s, base, bitSize)`: the (value, err) results go to `out`.
///
/// # Safety
/// `ptr` points to `len` readable bytes (any pointer if `len` is 0); `out` points to room for four
/// writable 8-byte result slots (the value and the error).
pub unsafe extern "C" fn g2n_std_strconv_ParseInt(ptr: *const u8, len: i64, base: i64, bits: i64, out: *mut u64) {
    let s = string_arg(ptr, len);
    let (value, err) = match parse_integer(s, base, true, bits) {
        Ok(v) => (v as i64 as u64, NIL),
        Err("value out of range") => {
            (range_clamped(true, s.first() == Some(&b'-'), bits) as i64 as u64, num_error("ParseInt", s, "value out of range"))
        }
        Err(reason) => (0, num_error("ParseInt", s, reason)),
    };
    // SAFETY: four result words.
    unsafe { write_value_error(out, value, err) }
}
}

rt_export! { stdlib::strconv_ParseUint =>
/// `strconv.ParseUint(s, base, bitSize)`: the (value, err) results go to `out`.
///
/// # Safety
/// `ptr` points to `len` readable bytes (any pointer if `len` is 0); `out` points to room for four
/// writable 8-byte result slots (the value and the error).
pub unsafe extern "C" fn g2n_std_strconv_ParseUint(ptr: *const u8, len: i64, base: i64, bits: i64, out: *mut u64) {
    let s = string_arg(ptr, len);
    let (value, err) = match parse_integer(s, base, false, bits) {
        Ok(v) => (v as u64, NIL),
        Err("value out of range") => (range_clamped(false, false, bits) as u64, num_error("ParseUint", s, "value out of range")),
        Err(reason) => (0, num_error("ParseUint", s, reason)),
    };
    // SAFETY: four result words.
    unsafe { write_value_error(out, value, err) }
}
}

rt_export! { stdlib::strconv_ParseFloat =>
/// `strconv.ParseFloat(s, bitSize)`: the (value, err) results go to `out`.
///
/// # Safety
/// `ptr` points to `len` readable bytes (any pointer if `len` is 0); `out` points to room for four
/// writable 8-byte result slots (the value and the error).
pub unsafe extern "C" fn g2n_std_strconv_ParseFloat(ptr: *const u8, len: i64, bits: i64, out: *mut u64) {
    let s = string_arg(ptr, len);
    let text = std::str::from_utf8(s).unwrap_or("").replace('_', "");
    let lower = text.to_ascii_lowercase();
    let parsed = match lower.trim_start_matches(['+', '-']) {
        "inf" | "infinity" => Some(if lower.starts_with('-') { f64::NEG_INFINITY } else { f64::INFINITY }),
        "nan" => Some(f64::NAN),
        _ if lower.contains("inf") || lower.contains("nan") || text.is_empty() => None,
        _ => text.parse::<f64>().ok(),
    };
    let (value, err) = match parsed {
        Some(v) => {
            let v = if bits == 32 { v as f32 as f64 } else { v };
            if v.is_infinite() && !lower.contains("inf") {
                (v, num_error("ParseFloat", s, "value out of range"))
            } else {
                (v, NIL)
            }
        }
        None => (0.0, num_error("ParseFloat", s, "invalid syntax")),
    };
    // SAFETY: four result words.
    unsafe { write_value_error(out, value.to_bits(), err) }
}
}

rt_export! { stdlib::strconv_ParseBool =>
/// `strconv.ParseBool(str)`: the (value, err) results go to `out`.
///
/// # Safety
/// `ptr` points to `len` readable bytes (any pointer if `len` is 0); `out` points to room for four
/// writable 8-byte result slots (the value and the error).
pub unsafe extern "C" fn g2n_std_strconv_ParseBool(ptr: *const u8, len: i64, out: *mut u64) {
    let s = string_arg(ptr, len);
    let (value, err) = match s {
        b"1" | b"t" | b"T" | b"TRUE" | b"true" | b"True" => (1, NIL),
        b"0" | b"f" | b"F" | b"FALSE" | b"false" | b"False" => (0, NIL),
        _ => (0, num_error("ParseBool", s, "invalid syntax")),
    };
    // SAFETY: four result words.
    unsafe { write_value_error(out, value, err) }
}
}

// ---- math ----

rt_export! { stdlib::math_NaN =>
pub extern "C" fn g2n_std_math_NaN() -> f64 {
    f64::from_bits(0x7FF8000000000001)
}
}
rt_export! { stdlib::math_Inf =>
pub extern "C" fn g2n_std_math_Inf(sign: i64) -> f64 {
    if sign >= 0 { f64::INFINITY } else { f64::NEG_INFINITY }
}
}
rt_export! { stdlib::math_IsNaN =>
pub extern "C" fn g2n_std_math_IsNaN(f: f64) -> u8 {
    f.is_nan() as u8
}
}
rt_export! { stdlib::math_IsInf =>
pub extern "C" fn g2n_std_math_IsInf(f: f64, sign: i64) -> u8 {
    (f.is_infinite() && (sign == 0 || (sign > 0) == (f > 0.0))) as u8
}
}
rt_export! { stdlib::math_Signbit =>
pub extern "C" fn g2n_std_math_Signbit(f: f64) -> u8 {
    f.is_sign_negative() as u8
}
}
rt_export! { stdlib::math_Copysign =>
pub extern "C" fn g2n_std_math_Copysign(f: f64, sign: f64) -> f64 {
    f.copysign(sign)
}
}
rt_export! { stdlib::math_Float64bits =>
pub extern "C" fn g2n_std_math_Float64bits(f: f64) -> u64 {
    f.to_bits()
}
}
rt_export! { stdlib::math_Float64frombits =>
pub extern "C" fn g2n_std_math_Float64frombits(b: u64) -> f64 {
    f64::from_bits(b)
}
}
rt_export! { stdlib::math_Float32bits =>
pub extern "C" fn g2n_std_math_Float32bits(f: f32) -> u32 {
    f.to_bits()
}
}
rt_export! { stdlib::math_Float32frombits =>
pub extern "C" fn g2n_std_math_Float32frombits(b: u32) -> f32 {
    f32::from_bits(b)
}
}

macro_rules! math_unary {
    ($($entry:ident $name:ident => $f:expr),* $(,)?) => {
        $(
            rt_export! { stdlib::$entry =>
                pub extern "C" fn $name(x: f64) -> f64 {
                    let f: fn(f64) -> f64 = $f;
                    f(x)
                }
            }
        )*
    };
}

math_unary! {
    math_Abs g2n_std_math_Abs => f64::abs,
    math_Sqrt g2n_std_math_Sqrt => f64::sqrt,
    math_Exp g2n_std_math_Exp => f64::exp,
    math_Log g2n_std_math_Log => f64::ln,
    math_Log2 g2n_std_math_Log2 => f64::log2,
    math_Log10 g2n_std_math_Log10 => f64::log10,
    math_Sin g2n_std_math_Sin => f64::sin,
    math_Cos g2n_std_math_Cos => f64::cos,
    math_Tan g2n_std_math_Tan => f64::tan,
    math_Atan g2n_std_math_Atan => f64::atan,
    math_Floor g2n_std_math_Floor => f64::floor,
    math_Ceil g2n_std_math_Ceil => f64::ceil,
    math_Trunc g2n_std_math_Trunc => f64::trunc,
    math_Round g2n_std_math_Round => f64::round,
}

rt_export! { stdlib::math_Pow =>
pub extern "C" fn g2n_std_math_Pow(x: f64, y: f64) -> f64 {
    x.powf(y)
}
}
rt_export! { stdlib::math_Atan2 =>
pub extern "C" fn g2n_std_math_Atan2(y: f64, x: f64) -> f64 {
    y.atan2(x)
}
}
rt_export! { stdlib::math_Mod =>
pub extern "C" fn g2n_std_math_Mod(x: f64, y: f64) -> f64 {
    x % y
}
}
rt_export! { stdlib::math_Hypot =>
pub extern "C" fn g2n_std_math_Hypot(p: f64, q: f64) -> f64 {
    p.hypot(q)
}
}
rt_export! { stdlib::math_Max =>
/// Go's `Max`: NaN wins, and +0 is larger than -0.
pub extern "C" fn g2n_std_math_Max(x: f64, y: f64) -> f64 {
    if x.is_infinite() && x > 0.0 || y.is_infinite() && y > 0.0 {
        return f64::INFINITY;
    }
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == 0.0 && y == 0.0 {
        return if x.is_sign_negative() { y } else { x };
    }
    if x > y { x } else { y }
}
}
rt_export! { stdlib::math_Min =>
pub extern "C" fn g2n_std_math_Min(x: f64, y: f64) -> f64 {
    if x.is_infinite() && x < 0.0 || y.is_infinite() && y < 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == 0.0 && y == 0.0 {
        return if x.is_sign_negative() { x } else { y };
    }
    if x < y { x } else { y }
}
}

// ---- strings ----

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(haystack.len());
    }
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

rt_export! { stdlib::strings_Contains =>
pub extern "C" fn g2n_std_strings_Contains(s: *const u8, sl: i64, t: *const u8, tl: i64) -> u8 {
    find(string_arg(s, sl), string_arg(t, tl)).is_some() as u8
}
}
rt_export! { stdlib::strings_ContainsRune =>
pub extern "C" fn g2n_std_strings_ContainsRune(s: *const u8, sl: i64, r: i32) -> u8 {
    // Go's IndexRune: U+FFFD also matches an invalid byte (as `range`
    // decodes it), and a rune that is not valid (negative, a surrogate,
    // past U+10FFFF) is never found.
    let s = string_arg(s, sl);
    if r == 0xFFFD {
        return String::from_utf8_lossy(s).contains('\u{FFFD}') as u8;
    }
    match char::from_u32(r as u32) {
        Some(c) => find(s, c.encode_utf8(&mut [0u8; 4]).as_bytes()).is_some() as u8,
        None => 0,
    }
}
}
rt_export! { stdlib::strings_Index =>
pub extern "C" fn g2n_std_strings_Index(s: *const u8, sl: i64, t: *const u8, tl: i64) -> i64 {
    find(string_arg(s, sl), string_arg(t, tl)).map_or(-1, |i| i as i64)
}
}
rt_export! { stdlib::strings_LastIndex =>
pub extern "C" fn g2n_std_strings_LastIndex(s: *const u8, sl: i64, t: *const u8, tl: i64) -> i64 {
    rfind(string_arg(s, sl), string_arg(t, tl)).map_or(-1, |i| i as i64)
}
}
rt_export! { stdlib::strings_IndexByte =>
pub extern "C" fn g2n_std_strings_IndexByte(s: *const u8, sl: i64, c: u8) -> i64 {
    string_arg(s, sl).iter().position(|b| *b == c).map_or(-1, |i| i as i64)
}
}
rt_export! { stdlib::strings_HasPrefix =>
pub extern "C" fn g2n_std_strings_HasPrefix(s: *const u8, sl: i64, t: *const u8, tl: i64) -> u8 {
    string_arg(s, sl).starts_with(string_arg(t, tl)) as u8
}
}
rt_export! { stdlib::strings_HasSuffix =>
pub extern "C" fn g2n_std_strings_HasSuffix(s: *const u8, sl: i64, t: *const u8, tl: i64) -> u8 {
    string_arg(s, sl).ends_with(string_arg(t, tl)) as u8
}
}
rt_export! { stdlib::strings_Repeat =>
pub extern "C" fn g2n_std_strings_Repeat(s: *const u8, sl: i64, count: i64) -> GoString {
    if count < 0 {
        crate::memory::panic_message("strings: negative Repeat count");
    }
    go_string(string_arg(s, sl).repeat(count as usize))
}
}
rt_export! { stdlib::strings_ToUpper =>
pub extern "C" fn g2n_std_strings_ToUpper(s: *const u8, sl: i64) -> GoString {
    go_string(map_runes(string_arg(s, sl), |c| c.to_uppercase().next().unwrap_or(c)))
}
}
rt_export! { stdlib::strings_ToLower =>
pub extern "C" fn g2n_std_strings_ToLower(s: *const u8, sl: i64) -> GoString {
    go_string(map_runes(string_arg(s, sl), |c| c.to_lowercase().next().unwrap_or(c)))
}
}
rt_export! { stdlib::strings_Title =>
pub extern "C" fn g2n_std_strings_Title(s: *const u8, sl: i64) -> GoString {
    let mut previous_letter = false;
    go_string(map_runes(string_arg(s, sl), |c| {
        let out = if previous_letter { c } else { c.to_uppercase().next().unwrap_or(c) };
        previous_letter = c.is_alphanumeric() || c == '_' || c == '\'';
        out
    }))
}
}

fn map_runes(s: &[u8], mut f: impl FnMut(char) -> char) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        let (r, width) = crate::memory::decode_rune(rest);
        let valid = !(r == 0xFFFD && width == 1 && rest[0] >= 0x80);
        if valid {
            let c = f(char::from_u32(r).unwrap_or('\u{FFFD}'));
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        } else {
            out.extend_from_slice("\u{FFFD}".as_bytes());
        }
        rest = &rest[width.max(1)..];
    }
    out
}

fn is_go_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | ' ' | '\u{85}' | '\u{A0}') || (c as u32 > 0xFF && c.is_whitespace())
}

rt_export! { stdlib::strings_TrimSpace =>
pub extern "C" fn g2n_std_strings_TrimSpace(s: *const u8, sl: i64) -> GoString {
    let text = string_arg(s, sl);
    match std::str::from_utf8(text) {
        Ok(t) => go_string(t.trim_matches(is_go_space).as_bytes().to_vec()),
        Err(_) => go_string(text.to_vec()),
    }
}
}

fn trim_set(s: &[u8], cutset: &[u8], left: bool, right: bool) -> Vec<u8> {
    let set = String::from_utf8_lossy(cutset).chars().collect::<Vec<char>>();
    let text = String::from_utf8_lossy(s).into_owned();
    let mut t = text.as_str();
    if left {
        t = t.trim_start_matches(|c| set.contains(&c));
    }
    if right {
        t = t.trim_end_matches(|c| set.contains(&c));
    }
    t.as_bytes().to_vec()
}

rt_export! { stdlib::strings_Trim =>
pub extern "C" fn g2n_std_strings_Trim(s: *const u8, sl: i64, c: *const u8, cl: i64) -> GoString {
    go_string(trim_set(string_arg(s, sl), string_arg(c, cl), true, true))
}
}
rt_export! { stdlib::strings_TrimLeft =>
pub extern "C" fn g2n_std_strings_TrimLeft(s: *const u8, sl: i64, c: *const u8, cl: i64) -> GoString {
    go_string(trim_set(string_arg(s, sl), string_arg(c, cl), true, false))
}
}
rt_export! { stdlib::strings_TrimRight =>
pub extern "C" fn g2n_std_strings_TrimRight(s: *const u8, sl: i64, c: *const u8, cl: i64) -> GoString {
    go_string(trim_set(string_arg(s, sl), string_arg(c, cl), false, true))
}
}
rt_export! { stdlib::strings_TrimPrefix =>
pub extern "C" fn g2n_std_strings_TrimPrefix(s: *const u8, sl: i64, p: *const u8, pl: i64) -> GoString {
    let (s, p) = (string_arg(s, sl), string_arg(p, pl));
    go_string(s.strip_prefix(p).unwrap_or(s).to_vec())
}
}
rt_export! { stdlib::strings_TrimSuffix =>
pub extern "C" fn g2n_std_strings_TrimSuffix(s: *const u8, sl: i64, p: *const u8, pl: i64) -> GoString {
    let (s, p) = (string_arg(s, sl), string_arg(p, pl));
    go_string(s.strip_suffix(p).unwrap_or(s).to_vec())
}
}
rt_export! { stdlib::strings_EqualFold =>
pub extern "C" fn g2n_std_strings_EqualFold(s: *const u8, sl: i64, t: *const u8, tl: i64) -> u8 {
    let lower = |b: &[u8]| map_runes(b, |c| c.to_lowercase().next().unwrap_or(c));
    (lower(string_arg(s, sl)) == lower(string_arg(t, tl))) as u8
}
}

rt_export! { stdlib::strings_Count =>
pub extern "C" fn g2n_std_strings_Count(s: *const u8, sl: i64, t: *const u8, tl: i64) -> i64 {
    let (s, t) = (string_arg(s, sl), string_arg(t, tl));
    if t.is_empty() {
        return String::from_utf8_lossy(s).chars().count() as i64 + 1;
    }
    let mut count = 0;
    let mut rest = s;
    while let Some(i) = find(rest, t) {
        count += 1;
        rest = &rest[i + t.len()..];
    }
    count
}
}

fn replace(s: &[u8], old: &[u8], new: &[u8], n: i64) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = s;
    let mut done = 0;
    if old.is_empty() {
        // Go inserts `new` before every rune and at the end.
        let text = String::from_utf8_lossy(s).into_owned();
        for c in text.chars() {
            if n < 0 || done < n {
                out.extend_from_slice(new);
                done += 1;
            }
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
        if n < 0 || done < n {
            out.extend_from_slice(new);
        }
        return out;
    }
    while n < 0 || done < n {
        let Some(i) = find(rest, old) else { break };
        out.extend_from_slice(&rest[..i]);
        out.extend_from_slice(new);
        rest = &rest[i + old.len()..];
        done += 1;
    }
    out.extend_from_slice(rest);
    out
}

rt_export! { stdlib::strings_Replace =>
pub extern "C" fn g2n_std_strings_Replace(s: *const u8, sl: i64, o: *const u8, ol: i64, n: *const u8, nl: i64, count: i64) -> GoString {
    go_string(replace(string_arg(s, sl), string_arg(o, ol), string_arg(n, nl), count))
}
}
rt_export! { stdlib::strings_ReplaceAll =>
pub extern "C" fn g2n_std_strings_ReplaceAll(s: *const u8, sl: i64, o: *const u8, ol: i64, n: *const u8, nl: i64) -> GoString {
    go_string(replace(string_arg(s, sl), string_arg(o, ol), string_arg(n, nl), -1))
}
}

/// A `[]string` result: an array of `GoString`s in collected memory, as three
/// words. Each string is stored into the array as soon as it is made, so it
/// is never reachable only from Rust memory.
unsafe fn write_string_slice(out: *mut u64, parts: Vec<Vec<u8>>) {
    let len = parts.len() as u64;
    let array = crate::gc::malloc(parts.len().max(1) * std::mem::size_of::<GoString>()).cast::<GoString>();
    for (i, part) in parts.into_iter().enumerate() {
        // SAFETY: `array` has room for `len` strings.
        unsafe { array.add(i).write(go_string(part)) };
    }
    let ptr = array as u64;
    // SAFETY: three result words.
    unsafe { write_words(out, &[ptr, len, len]) }
}

rt_export! { stdlib::strings_Split =>
/// `strings.Split(s, sep)`: the []string goes to `out`.
///
/// # Safety
/// `s` points to `sl` readable bytes (any pointer if `sl` is 0); `sep` points to `sepl` readable
/// bytes (any pointer if `sepl` is 0); `out` points to room for three writable 8-byte result slots
/// (the slice header).
pub unsafe extern "C" fn g2n_std_strings_Split(s: *const u8, sl: i64, sep: *const u8, sepl: i64, out: *mut u64) {
    let (s, sep) = (string_arg(s, sl), string_arg(sep, sepl));
    let parts: Vec<Vec<u8>> = if sep.is_empty() {
        String::from_utf8_lossy(s).chars().map(|c| c.to_string().into_bytes()).collect()
    } else {
        let mut parts = Vec::new();
        let mut rest = s;
        while let Some(i) = find(rest, sep) {
            parts.push(rest[..i].to_vec());
            rest = &rest[i + sep.len()..];
        }
        parts.push(rest.to_vec());
        parts
    };
    // SAFETY: guaranteed by the caller.
    unsafe { write_string_slice(out, parts) }
}
}

rt_export! { stdlib::strings_Fields =>
/// `strings.Fields(s)`: the []string goes to `out`.
///
/// # Safety
/// `s` points to `sl` readable bytes (any pointer if `sl` is 0); `out` points to room for three
/// writable 8-byte result slots (the slice header).
pub unsafe extern "C" fn g2n_std_strings_Fields(s: *const u8, sl: i64, out: *mut u64) {
    let text = String::from_utf8_lossy(string_arg(s, sl)).into_owned();
    let parts = text.split(is_go_space).filter(|p| !p.is_empty()).map(|p| p.as_bytes().to_vec()).collect();
    // SAFETY: guaranteed by the caller.
    unsafe { write_string_slice(out, parts) }
}
}

rt_export! { stdlib::strings_Join =>
/// `strings.Join(elems, sep)`.
///
/// # Safety
/// `ptr` is null or points to `len` valid `GoString`s, each pointing to its readable bytes; `sep`
/// points to `sepl` readable bytes (any pointer if `sepl` is 0).
pub unsafe extern "C" fn g2n_std_strings_Join(ptr: *const GoString, len: i64, _cap: i64, sep: *const u8, sepl: i64) -> GoString {
    let elems: &[GoString] = if ptr.is_null() || len <= 0 {
        &[]
    } else {
        // SAFETY: a []string from generated code.
        unsafe { std::slice::from_raw_parts(ptr, len as usize) }
    };
    let sep = string_arg(sep, sepl);
    let mut out = Vec::new();
    for (i, e) in elems.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(sep);
        }
        out.extend_from_slice(string_arg(e.ptr, e.len));
    }
    go_string(out)
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

rt_export! { stdlib::unicode_utf8_DecodeRuneInString =>
pub extern "C" fn g2n_std_unicode_utf8_DecodeRuneInString(s: *const u8, sl: i64) -> RuneWidth {
    let (r, w) = crate::memory::decode_rune(string_arg(s, sl));
    RuneWidth { rune: r as i32, width: w as i64 }
}
}
rt_export! { stdlib::unicode_utf8_DecodeLastRuneInString =>
pub extern "C" fn g2n_std_unicode_utf8_DecodeLastRuneInString(s: *const u8, sl: i64) -> RuneWidth {
    let b = string_arg(s, sl);
    if b.is_empty() {
        return RuneWidth { rune: 0xFFFD, width: 0 };
    }
    for start in (b.len().saturating_sub(4)..b.len()).rev() {
        let (r, w) = crate::memory::decode_rune(&b[start..]);
        if start + w == b.len() && !(r == 0xFFFD && w == 1 && b[start] >= 0x80) {
            return RuneWidth { rune: r as i32, width: w as i64 };
        }
    }
    RuneWidth { rune: 0xFFFD, width: 1 }
}
}
rt_export! { stdlib::unicode_utf8_RuneCountInString =>
pub extern "C" fn g2n_std_unicode_utf8_RuneCountInString(s: *const u8, sl: i64) -> i64 {
    let mut rest = string_arg(s, sl);
    let mut count = 0;
    while !rest.is_empty() {
        let (_, w) = crate::memory::decode_rune(rest);
        rest = &rest[w.max(1)..];
        count += 1;
    }
    count
}
}
rt_export! { stdlib::unicode_utf8_RuneLen =>
pub extern "C" fn g2n_std_unicode_utf8_RuneLen(r: i32) -> i64 {
    match r {
        0..=0x7F => 1,
        0x80..=0x7FF => 2,
        0xD800..=0xDFFF => -1,
        0x800..=0xFFFF => 3,
        0x10000..=0x10FFFF => 4,
        _ => -1,
    }
}
}
rt_export! { stdlib::unicode_utf8_ValidString =>
pub extern "C" fn g2n_std_unicode_utf8_ValidString(s: *const u8, sl: i64) -> u8 {
    std::str::from_utf8(string_arg(s, sl)).is_ok() as u8
}
}
rt_export! { stdlib::unicode_utf8_ValidRune =>
pub extern "C" fn g2n_std_unicode_utf8_ValidRune(r: i32) -> u8 {
    char::from_u32(r as u32).is_some() as u8
}
}

fn rune_char(r: i32) -> Option<char> {
    char::from_u32(r as u32)
}
rt_export! { stdlib::unicode_IsUpper =>
pub extern "C" fn g2n_std_unicode_IsUpper(r: i32) -> u8 {
    rune_char(r).is_some_and(char::is_uppercase) as u8
}
}
rt_export! { stdlib::unicode_IsLower =>
pub extern "C" fn g2n_std_unicode_IsLower(r: i32) -> u8 {
    rune_char(r).is_some_and(char::is_lowercase) as u8
}
}
rt_export! { stdlib::unicode_IsLetter =>
pub extern "C" fn g2n_std_unicode_IsLetter(r: i32) -> u8 {
    rune_char(r).is_some_and(char::is_alphabetic) as u8
}
}
rt_export! { stdlib::unicode_IsDigit =>
pub extern "C" fn g2n_std_unicode_IsDigit(r: i32) -> u8 {
    rune_char(r).is_some_and(|c| c.is_ascii_digit() || (c as u32 > 0x7F && c.is_numeric())) as u8
}
}
rt_export! { stdlib::unicode_IsNumber =>
pub extern "C" fn g2n_std_unicode_IsNumber(r: i32) -> u8 {
    rune_char(r).is_some_and(char::is_numeric) as u8
}
}
rt_export! { stdlib::unicode_IsSpace =>
pub extern "C" fn g2n_std_unicode_IsSpace(r: i32) -> u8 {
    rune_char(r).is_some_and(is_go_space) as u8
}
}
rt_export! { stdlib::unicode_IsPunct =>
pub extern "C" fn g2n_std_unicode_IsPunct(r: i32) -> u8 {
    rune_char(r).is_some_and(|c| c.is_ascii_punctuation() && !"$+<=>^`|~".contains(c)) as u8
}
}
rt_export! { stdlib::unicode_ToUpper =>
pub extern "C" fn g2n_std_unicode_ToUpper(r: i32) -> i32 {
    rune_char(r).map_or(r, |c| c.to_uppercase().next().unwrap_or(c) as i32)
}
}
rt_export! { stdlib::unicode_ToLower =>
pub extern "C" fn g2n_std_unicode_ToLower(r: i32) -> i32 {
    rune_char(r).map_or(r, |c| c.to_lowercase().next().unwrap_or(c) as i32)
}
}

// ---- sort ----

unsafe fn slice_mut<'a, T>(ptr: *mut T, len: i64) -> &'a mut [T] {
    if ptr.is_null() || len <= 0 {
        return &mut [];
    }
    // SAFETY: a slice from generated code.
    unsafe { std::slice::from_raw_parts_mut(ptr, len as usize) }
}

rt_export! { stdlib::sort_Ints =>
/// `sort.Ints(x)`.
///
/// # Safety
/// `ptr` is null or points to `len` initialized elements that nothing else reads or writes during
/// the call.
pub unsafe extern "C" fn g2n_std_sort_Ints(ptr: *mut i64, len: i64, _cap: i64) {
    // SAFETY: guaranteed by the caller.
    unsafe { slice_mut(ptr, len) }.sort_unstable();
}
}
rt_export! { stdlib::sort_Float64s =>
/// `sort.Float64s(x)`.
///
/// # Safety
/// `ptr` is null or points to `len` initialized elements that nothing else reads or writes during
/// the call.
pub unsafe extern "C" fn g2n_std_sort_Float64s(ptr: *mut f64, len: i64, _cap: i64) {
    // Go orders NaNs first.
    // SAFETY: guaranteed by the caller.
    unsafe { slice_mut(ptr, len) }.sort_by(|a, b| match (a.is_nan(), b.is_nan()) {
        (true, true) => std::cmp::Ordering::Equal,
        (true, false) => std::cmp::Ordering::Less,
        (false, true) => std::cmp::Ordering::Greater,
        _ => a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal),
    });
}
}
rt_export! { stdlib::sort_Strings =>
/// `sort.Strings(x)`.
///
/// # Safety
/// `ptr` is null or points to `len` initialized elements that nothing else reads or writes during
/// the call, each a valid `GoString`.
pub unsafe extern "C" fn g2n_std_sort_Strings(ptr: *mut GoString, len: i64, _cap: i64) {
    // SAFETY: guaranteed by the caller.
    unsafe { slice_mut(ptr, len) }.sort_by(|a, b| string_arg(a.ptr, a.len).cmp(string_arg(b.ptr, b.len)));
}
}
rt_export! { stdlib::sort_IntsAreSorted =>
/// `sort.IntsAreSorted(x)`: 1 or 0.
///
/// # Safety
/// `ptr` is null or points to `len` initialized elements that nothing else reads or writes during
/// the call.
pub unsafe extern "C" fn g2n_std_sort_IntsAreSorted(ptr: *mut i64, len: i64, _cap: i64) -> u8 {
    // SAFETY: guaranteed by the caller.
    unsafe { slice_mut(ptr, len) }.is_sorted() as u8
}
}
rt_export! { stdlib::sort_StringsAreSorted =>
/// `sort.StringsAreSorted(x)`: 1 or 0.
///
/// # Safety
/// `ptr` is null or points to `len` initialized elements that nothing else reads or writes during
/// the call, each a valid `GoString`.
pub unsafe extern "C" fn g2n_std_sort_StringsAreSorted(ptr: *mut GoString, len: i64, _cap: i64) -> u8 {
    // SAFETY: guaranteed by the caller.
    let s = unsafe { slice_mut(ptr, len) };
    s.windows(2).all(|w| string_arg(w[0].ptr, w[0].len) <= string_arg(w[1].ptr, w[1].len)) as u8
}
}
rt_export! { stdlib::sort_SearchInts =>
/// `sort.SearchInts(a, x)`.
///
/// # Safety
/// `ptr` is null or points to `len` initialized elements that nothing else reads or writes during
/// the call.
pub unsafe extern "C" fn g2n_std_sort_SearchInts(ptr: *mut i64, len: i64, _cap: i64, x: i64) -> i64 {
    // SAFETY: guaranteed by the caller.
    unsafe { slice_mut(ptr, len) }.partition_point(|v| *v < x) as i64
}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_integers_as_go_does() {
        assert_eq!(parse_integer(b"-42", 10, true, 64), Ok(-42));
        assert_eq!(parse_integer(b"0x1f", 0, true, 64), Ok(31));
        assert_eq!(parse_integer(b"12a", 10, true, 64), Err("invalid syntax"));
        assert_eq!(parse_integer(b"128", 10, true, 8), Err("value out of range"));
        assert_eq!(parse_integer(b"-128", 10, true, 8), Ok(-128));
        assert_eq!(parse_integer(b"", 10, true, 64), Err("invalid syntax"));
    }

    #[test]
    fn replaces_like_strings_replace() {
        assert_eq!(replace(b"oink oink oink", b"k", b"ky", 2), b"oinky oinky oink");
        assert_eq!(replace(b"oink oink oink", b"oink", b"moo", -1), b"moo moo moo");
        assert_eq!(replace(b"ab", b"", b"-", -1), b"-a-b-");
    }

    #[test]
    fn formats_in_any_base() {
        assert_eq!(format_radix(255, false, 16), b"ff");
        assert_eq!(format_radix(5, true, 2), b"-101");
    }
}

// ---- bytes: a []byte arrives as its array, length and capacity ----

rt_export! { stdlib::bytes_Compare =>
pub extern "C" fn g2n_std_bytes_Compare(a: *const u8, al: i64, _ac: i64, b: *const u8, bl: i64, _bc: i64) -> i64 {
    match string_arg(a, al).cmp(string_arg(b, bl)) {
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => 1,
    }
}
}
rt_export! { stdlib::bytes_Equal =>
pub extern "C" fn g2n_std_bytes_Equal(a: *const u8, al: i64, _ac: i64, b: *const u8, bl: i64, _bc: i64) -> u8 {
    (string_arg(a, al) == string_arg(b, bl)) as u8
}
}
rt_export! { stdlib::bytes_IndexByte =>
pub extern "C" fn g2n_std_bytes_IndexByte(s: *const u8, sl: i64, _sc: i64, c: u8) -> i64 {
    string_arg(s, sl).iter().position(|b| *b == c).map_or(-1, |i| i as i64)
}
}
rt_export! { stdlib::bytes_Index =>
pub extern "C" fn g2n_std_bytes_Index(s: *const u8, sl: i64, _sc: i64, t: *const u8, tl: i64, _tc: i64) -> i64 {
    find(string_arg(s, sl), string_arg(t, tl)).map_or(-1, |i| i as i64)
}
}
rt_export! { stdlib::bytes_Contains =>
pub extern "C" fn g2n_std_bytes_Contains(s: *const u8, sl: i64, _sc: i64, t: *const u8, tl: i64, _tc: i64) -> u8 {
    find(string_arg(s, sl), string_arg(t, tl)).is_some() as u8
}
}
rt_export! { stdlib::bytes_HasPrefix =>
pub extern "C" fn g2n_std_bytes_HasPrefix(s: *const u8, sl: i64, _sc: i64, t: *const u8, tl: i64, _tc: i64) -> u8 {
    string_arg(s, sl).starts_with(string_arg(t, tl)) as u8
}
}
rt_export! { stdlib::bytes_HasSuffix =>
pub extern "C" fn g2n_std_bytes_HasSuffix(s: *const u8, sl: i64, _sc: i64, t: *const u8, tl: i64, _tc: i64) -> u8 {
    string_arg(s, sl).ends_with(string_arg(t, tl)) as u8
}
}
