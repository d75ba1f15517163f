//! Go's `fmt` formatting (`Sprintf`, `Sprint`, `Sprintln`) for every value the
//! ABI can box in an interface: nil, the basic types, and values of descriptor
//! types (`g2n_abi::TypeDesc`).
//!
//! This is a line-by-line port of Go 1.19's `fmt/print.go`, `fmt/format.go` and the
//! parts of `strconv` they use, because the product's correctness law is "prints
//! exactly what `go run` prints": the error forms (`%!d(string=hi)`), flag
//! interactions and float digit choices are all observable. Function names follow
//! Go's so the two can be compared side by side. The expectations in the tests
//! were produced by the real Go 1.19.8 toolchain (see `go_cases.txt`).
//!
//! Everything works on bytes, not `str`: Go strings and format strings may hold
//! invalid UTF-8, and Go's handling of it (one rune per bad byte) is reproduced.
//!
//! Values of descriptor types (structs, slices, maps, pointers, named types)
//! are printed by `values.rs`, a port of `printValue` and `handleMethods`;
//! their expectations come from `gen_value_cases.go` (`go_value_cases.txt`).
//! Known differences from Go: `Formatter` is not called here (fmt's Go code,
//! stdlib/fmt/formatter.go, runs top-level operands' `Format` methods before it
//! calls the runtime; one nested in a struct, slice or map prints through
//! `String`), `%w` is not supported; a
//! method named `Error`/`String`/`GoString` is assumed to have the signature
//! `() string`; map keys of mixed dynamic types in an interface-keyed map
//! sort by type tag rather than by Go's type addresses; a nil pointer whose
//! method set has `Error`/`String` prints `<nil>` without calling the method
//! (Go calls it and prints `<nil>` when it panics, which a value method does).
//!
//! Layout follows Go's files: `print` is `print.go` (the printer's driver),
//! `format` is `format.go` (padding and per-kind formatting), `quoting` and
//! `float` are the parts of `strconv` they use; this file holds the operands,
//! the entry points and the printer's state.

mod float;
mod format;
mod print;
mod quoting;
mod values;

pub use float::{format_float, format_float_size, runtime_print_float};
use quoting::{can_backquote, is_print, push_rune, quote, quote_rune, rune_count};

use crate::memory::decode_rune;
use crate::types::{self, Desc};
use g2n_abi::{Kind, TypeDesc};

/// One operand of a print call, borrowed from the caller.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Arg<'a> {
    Nil,
    Bool(bool),
    Int(i64),
    Float64(f64),
    Str(&'a [u8]),
    /// An integer of another type than `int`: its value (sign- or
    /// zero-extended), signedness and Go type name.
    Sized { raw: u64, signed: bool, name: &'static str },
    Float32(f32),
    /// A complex64 (`bits32`) or complex128: its parts as `f64`s.
    Complex { re: f64, im: f64, bits32: bool },
    /// A value of a type with a run-time descriptor (`g2n_abi::TypeDesc`):
    /// the static descriptor and the address of the value laid out in memory
    /// as Go lays it out (see [`crate::types::any_value_ptr`]).
    Val { desc: *const TypeDesc, ptr: *const u8 },
}

impl Arg<'_> {
    /// The dynamic type's name, as `%T` and the error forms print it.
    fn type_name(&self) -> &'static [u8] {
        match self {
            Arg::Nil => b"<nil>",
            Arg::Bool(_) => b"bool",
            Arg::Int(_) => b"int",
            Arg::Float64(_) => b"float64",
            Arg::Float32(_) => b"float32",
            Arg::Complex { bits32: true, .. } => b"complex64",
            Arg::Complex { bits32: false, .. } => b"complex128",
            Arg::Str(_) => b"string",
            Arg::Sized { name, .. } => name.as_bytes(),
            Arg::Val { desc, .. } => types::name(desc_ref(*desc)),
        }
    }

    /// Whether the dynamic type's kind is string (`Sprint` spaces).
    fn is_string(&self) -> bool {
        match self {
            Arg::Str(_) => true,
            Arg::Val { desc, .. } => types::kind(desc_ref(*desc)) == Kind::String,
            _ => false,
        }
    }
}

fn desc_ref(d: *const TypeDesc) -> Desc {
    // SAFETY: descriptors are static by the ABI.
    unsafe { &*d }
}

/// `fmt.Sprintf`.
pub fn sprintf(format: &[u8], args: &[Arg]) -> Vec<u8> {
    let mut p = Printer::default();
    p.do_printf(format, args);
    p.buf
}

/// `fmt.Errorf`'s formatting: the message, and the index of the operand a
/// `%w` verb wraps (one error operand; a second `%w`, or `%w` of anything
/// else, is a bad verb and wraps nothing, as in Go).
pub fn errorf(format: &[u8], args: &[Arg]) -> (Vec<u8>, Option<usize>) {
    let mut p = Printer { wrap_errs: true, ..Printer::default() };
    p.do_printf(format, args);
    (p.buf, p.wrapped)
}

/// `fmt.Sprint`: spaces only between operands when neither is a string.
pub fn sprint(args: &[Arg]) -> Vec<u8> {
    let mut p = Printer::default();
    let mut prev_string = false;
    for (i, arg) in args.iter().enumerate() {
        let is_string = arg.is_string();
        if i > 0 && !is_string && !prev_string {
            p.buf.push(b' ');
        }
        p.print_arg(*arg, 'v');
        prev_string = is_string;
    }
    p.buf
}

/// `fmt.Sprintln`: spaces between all operands and a final newline.
pub fn sprintln(args: &[Arg]) -> Vec<u8> {
    let mut p = Printer::default();
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            p.buf.push(b' ');
        }
        p.print_arg(*arg, 'v');
    }
    p.buf.push(b'\n');
    p.buf
}

const LDIGITS: &[u8; 17] = b"0123456789abcdefx";
const UDIGITS: &[u8; 17] = b"0123456789ABCDEFX";
const RUNE_ERROR: u32 = 0xFFFD;
const MAX_RUNE: u64 = 0x10FFFF;

#[derive(Clone, Copy, Default)]
struct Flags {
    wid_present: bool,
    prec_present: bool,
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    plus_v: bool,
    sharp_v: bool,
    wid: i64,
    prec: i64,
}

#[derive(Default)]
struct Printer {
    buf: Vec<u8>,
    /// Go's `pp.erroring`: inside a `%!verb(...)` form, methods are not called.
    erroring: bool,
    f: Flags,
    reordered: bool,
    good_arg_num: bool,
    /// Go's `pp.wrapErrs`: `Errorf` formats, where `%w` takes an error.
    wrap_errs: bool,
    /// The operand a `%w` took (Go's `pp.wrappedErr`), by index.
    wrapped: Option<usize>,
    /// The index of the operand being printed.
    arg_index: usize,
}


#[cfg(test)]
mod tests;
#[cfg(test)]
pub(crate) mod value_tests;
