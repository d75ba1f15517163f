//! Go's `fmt` formatting (`Sprintf`, `Sprint`, `Sprintln`) for every value the
//! ABI can box in an interface: nil, the basic types, and values of descriptor
//! types (`g2n_abi::TypeDesc`).
//!
//! This is a line-by-line port of Go 1.19's `fmt/print.go`, `fmt/format.go` and the
//! parts of `strconv` they use, because the product's correctness law is "prints
//! exactly what `go run` prints": the error forms (`%!d(string=hi)`), flag
//! interactions and float digit choices are all observable. Function names follow
//! Go's so the two can be compared side by side. The expectations in the tests
//! were produced by the real Go 1.19.8 toolchain (see `fmt_go_cases.txt`).
//!
//! Everything works on bytes, not `str`: Go strings and format strings may hold
//! invalid UTF-8, and Go's handling of it (one rune per bad byte) is reproduced.
//!
//! Values of descriptor types (structs, slices, maps, pointers, named types)
//! are printed by `values.rs`, a port of `printValue` and `handleMethods`;
//! their expectations come from `gen_value_cases.go` (`go_value_cases.txt`).
//! Known differences from Go: `Formatter` and `%w` are not supported; a
//! method named `Error`/`String`/`GoString` is assumed to have the signature
//! `() string`; map keys of mixed dynamic types in an interface-keyed map
//! sort by type tag rather than by Go's type addresses; a nil pointer whose
//! method set has `Error`/`String` prints `<nil>` without calling the method
//! (Go calls it and prints `<nil>` when it panics, which a value method does).

mod values;

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
}

/// Go's `tooLarge`: widths and precisions beyond a million are refused.
fn too_large(x: i64) -> bool {
    const MAX: i64 = 1_000_000;
    !(-MAX..=MAX).contains(&x)
}

/// Go's `parsenum`.
fn parsenum(s: &[u8], start: usize, end: usize) -> (i64, bool, usize) {
    if start >= end {
        return (0, false, end);
    }
    let mut num = 0i64;
    let mut isnum = false;
    let mut newi = start;
    while newi < end && s[newi].is_ascii_digit() {
        if too_large(num) {
            return (0, false, end);
        }
        num = num * 10 + (s[newi] - b'0') as i64;
        isnum = true;
        newi += 1;
    }
    (num, isnum, newi)
}

/// Go's `parseArgNumber`: `[n]` at the start of `format`.
fn parse_arg_number(format: &[u8]) -> (i64, usize, bool) {
    if format.len() < 3 {
        return (0, 1, false);
    }
    for i in 1..format.len() {
        if format[i] == b']' {
            let (width, ok, newi) = parsenum(format, 1, i);
            if !ok || newi != i {
                return (0, i + 1, false);
            }
            return (width - 1, i + 1, true);
        }
    }
    (0, 1, false)
}

/// Go's `intFromArg`: only `int` operands can supply `*` widths here.
fn int_from_arg(args: &[Arg], arg_num: usize) -> (i64, bool, usize) {
    if arg_num < args.len() {
        let (mut num, mut is_int) = match args[arg_num] {
            Arg::Int(n) => (n, true),
            Arg::Sized { raw, signed: true, .. } => (raw as i64, true),
            Arg::Sized { raw, signed: false, .. } => (raw as i64, (raw as i64) >= 0),
            Arg::Val { desc, ptr } => match types::int_kind(types::kind(desc_ref(desc))) {
                // SAFETY: a descriptor value points to a value of its type.
                Some((_, signed)) => {
                    let raw = unsafe { types::read_int(ptr, types::kind(desc_ref(desc))) };
                    (raw as i64, signed || (raw as i64) >= 0)
                }
                None => (0, false),
            },
            _ => (0, false),
        };
        if too_large(num) {
            num = 0;
            is_int = false;
        }
        (num, is_int, arg_num + 1)
    } else {
        (0, false, arg_num)
    }
}

fn rune_count(b: &[u8]) -> i64 {
    let mut n = 0;
    let mut i = 0;
    while i < b.len() {
        i += decode_rune(&b[i..]).1;
        n += 1;
    }
    n
}

/// Go's `utf8.EncodeRune` (invalid runes become U+FFFD).
fn push_rune(buf: &mut Vec<u8>, r: u32) {
    let c = char::from_u32(r).unwrap_or('\u{FFFD}');
    let mut tmp = [0u8; 4];
    buf.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
}

fn valid_rune(r: u32) -> bool {
    char::from_u32(r).is_some()
}

/// Go's `strconv.IsPrint`. ASCII is exact. Beyond ASCII this runtime has no
/// Unicode tables yet (they would bloat every executable), so it approximates:
/// every assigned-looking code point is printable except the control, format,
/// separator, private-use and noncharacter ranges below, which covers what
/// programs print in practice.
pub(crate) fn is_print(r: u32) -> bool {
    if r < 0x80 {
        return (0x20..0x7F).contains(&r);
    }
    !matches!(r,
        0x80..=0xA0 | 0xAD | 0x34F | 0x61C | 0x115F..=0x1160 | 0x1680 | 0x180E
        | 0x2000..=0x200F | 0x2028..=0x202F | 0x205F..=0x206F | 0x3000 | 0x3164
        | 0xD800..=0xDFFF | 0xE000..=0xF8FF | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFFB
        | 0xFFFE..=0xFFFF | 0xE0000..=0xE0FFF | 0xF0000..=0x10FFFF)
        && (r & 0xFFFE) != 0xFFFE
        && valid_rune(r)
}

/// Go's `strconv.appendEscapedRune` (graphicOnly is never used by fmt).
fn append_escaped_rune(buf: &mut Vec<u8>, r: u32, quote: u8, ascii_only: bool) {
    if r == quote as u32 || r == '\\' as u32 {
        buf.push(b'\\');
        buf.push(r as u8);
        return;
    }
    if ascii_only {
        if r < 0x80 && is_print(r) {
            buf.push(r as u8);
            return;
        }
    } else if is_print(r) {
        push_rune(buf, r);
        return;
    }
    match r {
        0x07 => buf.extend_from_slice(b"\\a"),
        0x08 => buf.extend_from_slice(b"\\b"),
        0x0C => buf.extend_from_slice(b"\\f"),
        0x0A => buf.extend_from_slice(b"\\n"),
        0x0D => buf.extend_from_slice(b"\\r"),
        0x09 => buf.extend_from_slice(b"\\t"),
        0x0B => buf.extend_from_slice(b"\\v"),
        _ => {
            let hex = |buf: &mut Vec<u8>, r: u32, n: u32| {
                for s in (0..n).rev() {
                    buf.push(LDIGITS[((r >> (4 * s)) & 0xF) as usize]);
                }
            };
            if r < 0x20 || r == 0x7F {
                buf.extend_from_slice(b"\\x");
                hex(buf, r, 2);
            } else {
                let r = if valid_rune(r) { r } else { RUNE_ERROR };
                if r < 0x10000 {
                    buf.extend_from_slice(b"\\u");
                    hex(buf, r, 4);
                } else {
                    buf.extend_from_slice(b"\\U");
                    hex(buf, r, 8);
                }
            }
        }
    }
}

/// Go's `strconv.Quote` / `QuoteToASCII`.
fn quote(s: &[u8], ascii_only: bool) -> Vec<u8> {
    let mut buf = vec![b'"'];
    let mut i = 0;
    while i < s.len() {
        let (r, width) = decode_rune(&s[i..]);
        if width == 1 && r == RUNE_ERROR {
            buf.extend_from_slice(b"\\x");
            buf.push(LDIGITS[(s[i] >> 4) as usize]);
            buf.push(LDIGITS[(s[i] & 0xF) as usize]);
        } else {
            append_escaped_rune(&mut buf, r, b'"', ascii_only);
        }
        i += width;
    }
    buf.push(b'"');
    buf
}

/// Go's `strconv.QuoteRune` / `QuoteRuneToASCII`.
fn quote_rune(r: u32, ascii_only: bool) -> Vec<u8> {
    let r = if valid_rune(r) { r } else { RUNE_ERROR };
    let mut buf = vec![b'\''];
    append_escaped_rune(&mut buf, r, b'\'', ascii_only);
    buf.push(b'\'');
    buf
}

/// Go's `strconv.CanBackquote`.
fn can_backquote(s: &[u8]) -> bool {
    let mut i = 0;
    while i < s.len() {
        let (r, wid) = decode_rune(&s[i..]);
        i += wid;
        if wid > 1 {
            if r == 0xFEFF {
                return false;
            }
            continue;
        }
        if r == RUNE_ERROR {
            return false;
        }
        if (r < 0x20 && r != 0x09) || r == '`' as u32 || r == 0x7F {
            return false;
        }
    }
    true
}

impl Printer {
    fn do_printf(&mut self, format: &[u8], a: &[Arg]) {
        let end = format.len();
        let mut arg_num = 0usize;
        let mut after_index;
        self.reordered = false;
        let mut i = 0usize;
        'format_loop: while i < end {
            self.good_arg_num = true;
            let lasti = i;
            while i < end && format[i] != b'%' {
                i += 1;
            }
            if i > lasti {
                self.buf.extend_from_slice(&format[lasti..i]);
            }
            if i >= end {
                break;
            }
            i += 1;
            self.f = Flags::default();
            while i < end {
                let c = format[i];
                match c {
                    b'#' => self.f.sharp = true,
                    b'0' => self.f.zero = !self.f.minus,
                    b'+' => self.f.plus = true,
                    b'-' => {
                        self.f.minus = true;
                        self.f.zero = false;
                    }
                    b' ' => self.f.space = true,
                    _ => {
                        // Go's fast path: a lower-case verb right after the flags.
                        if c.is_ascii_lowercase() && arg_num < a.len() {
                            if c == b'v' {
                                self.f.sharp_v = self.f.sharp;
                                self.f.sharp = false;
                                self.f.plus_v = self.f.plus;
                                self.f.plus = false;
                            }
                            self.print_arg(a[arg_num], c as char);
                            arg_num += 1;
                            i += 1;
                            continue 'format_loop;
                        }
                        break;
                    }
                }
                i += 1;
            }

            (arg_num, i, after_index) = self.arg_number(arg_num, format, i, a.len());

            if i < end && format[i] == b'*' {
                i += 1;
                let (wid, present, n) = int_from_arg(a, arg_num);
                self.f.wid = wid;
                self.f.wid_present = present;
                arg_num = n;
                if !present {
                    self.buf.extend_from_slice(b"%!(BADWIDTH)");
                }
                if self.f.wid < 0 {
                    self.f.wid = -self.f.wid;
                    self.f.minus = true;
                    self.f.zero = false;
                }
                after_index = false;
            } else {
                let (wid, present, newi) = parsenum(format, i, end);
                self.f.wid = wid;
                self.f.wid_present = present;
                i = newi;
                if after_index && present {
                    self.good_arg_num = false;
                }
            }

            if i + 1 < end && format[i] == b'.' {
                i += 1;
                if after_index {
                    self.good_arg_num = false;
                }
                (arg_num, i, after_index) = self.arg_number(arg_num, format, i, a.len());
                if i < end && format[i] == b'*' {
                    i += 1;
                    let (prec, present, n) = int_from_arg(a, arg_num);
                    self.f.prec = prec;
                    self.f.prec_present = present;
                    arg_num = n;
                    if self.f.prec < 0 {
                        self.f.prec = 0;
                        self.f.prec_present = false;
                    }
                    if !self.f.prec_present {
                        self.buf.extend_from_slice(b"%!(BADPREC)");
                    }
                    after_index = false;
                } else {
                    let (prec, present, newi) = parsenum(format, i, end);
                    self.f.prec = prec;
                    self.f.prec_present = present;
                    i = newi;
                    if !present {
                        self.f.prec = 0;
                        self.f.prec_present = true;
                    }
                }
            }

            if !after_index {
                (arg_num, i, _) = self.arg_number(arg_num, format, i, a.len());
            }

            if i >= end {
                self.buf.extend_from_slice(b"%!(NOVERB)");
                break;
            }

            let (verb, size) = if format[i] < 0x80 { (format[i] as u32, 1) } else { decode_rune(&format[i..]) };
            let verb = char::from_u32(verb).unwrap_or('\u{FFFD}');
            i += size;

            if verb == '%' {
                self.buf.push(b'%');
            } else if !self.good_arg_num {
                self.buf.extend_from_slice(b"%!");
                push_rune(&mut self.buf, verb as u32);
                self.buf.extend_from_slice(b"(BADINDEX)");
            } else if arg_num >= a.len() {
                self.buf.extend_from_slice(b"%!");
                push_rune(&mut self.buf, verb as u32);
                self.buf.extend_from_slice(b"(MISSING)");
            } else {
                if verb == 'v' {
                    self.f.sharp_v = self.f.sharp;
                    self.f.sharp = false;
                    self.f.plus_v = self.f.plus;
                    self.f.plus = false;
                }
                self.print_arg(a[arg_num], verb);
                arg_num += 1;
            }
        }

        if !self.reordered && arg_num < a.len() {
            self.f = Flags::default();
            self.buf.extend_from_slice(b"%!(EXTRA ");
            for (k, arg) in a[arg_num..].iter().enumerate() {
                if k > 0 {
                    self.buf.extend_from_slice(b", ");
                }
                if let Arg::Nil = arg {
                    self.buf.extend_from_slice(b"<nil>");
                } else {
                    self.buf.extend_from_slice(arg.type_name());
                    self.buf.push(b'=');
                    self.print_arg(*arg, 'v');
                }
            }
            self.buf.push(b')');
        }
    }

    fn arg_number(&mut self, arg_num: usize, format: &[u8], i: usize, num_args: usize) -> (usize, usize, bool) {
        if format.len() <= i || format[i] != b'[' {
            return (arg_num, i, false);
        }
        self.reordered = true;
        let (index, wid, ok) = parse_arg_number(&format[i..]);
        if ok && 0 <= index && (index as usize) < num_args {
            return (index as usize, i + wid, true);
        }
        self.good_arg_num = false;
        (arg_num, i + wid, ok)
    }

    fn print_arg(&mut self, arg: Arg, verb: char) {
        if let Arg::Nil = arg {
            match verb {
                'T' | 'v' => self.pad(b"<nil>"),
                _ => self.bad_verb(arg, verb),
            }
            return;
        }
        match verb {
            'T' => {
                self.fmt_s(arg.type_name());
                return;
            }
            // %p of a non-pointer basic value is always a bad verb.
            'p' if !matches!(arg, Arg::Val { .. }) => {
                self.bad_verb(arg, verb);
                return;
            }
            _ => {}
        }
        if let Arg::Val { desc, ptr } = arg {
            self.print_val_arg(desc_ref(desc), ptr, verb);
            return;
        }
        self.print_basic(arg, verb, arg);
    }

    /// Go's `fmtBool`, `fmtInteger`, `fmtFloat`, `fmtString` on a basic value;
    /// `orig` is the operand named in an error form (a named type's value).
    fn print_basic(&mut self, arg: Arg, verb: char, orig: Arg) {
        match arg {
            Arg::Bool(b) => match verb {
                't' | 'v' => self.pad(if b { b"true" } else { b"false" }),
                _ => self.bad_verb(orig, verb),
            },
            Arg::Int(n) => self.pp_fmt_integer(orig, n as u64, true, verb),
            Arg::Sized { raw, signed, .. } => self.pp_fmt_integer(orig, raw, signed, verb),
            Arg::Float64(v) => self.pp_fmt_float(orig, v, false, verb),
            Arg::Float32(v) => self.pp_fmt_float(orig, v as f64, true, verb),
            Arg::Complex { re, im, bits32 } => self.pp_fmt_complex(orig, re, im, bits32, verb),
            Arg::Str(s) => self.fmt_string(orig, s, verb),
            Arg::Nil | Arg::Val { .. } => {}
        }
    }

    fn pp_fmt_float(&mut self, orig: Arg, v: f64, bits32: bool, verb: char) {
        match verb {
            'v' => self.fmt_float(v, bits32, 'g', -1),
            'b' | 'g' | 'G' | 'x' | 'X' => self.fmt_float(v, bits32, verb, -1),
            'f' | 'e' | 'E' => self.fmt_float(v, bits32, verb, 6),
            'F' => self.fmt_float(v, bits32, 'f', 6),
            _ => self.bad_verb(orig, verb),
        }
    }

    /// Go's `pp.fmtComplex`: each part formatted as a float with the verb
    /// (and padded on its own), the imaginary part always signed.
    fn pp_fmt_complex(&mut self, orig: Arg, re: f64, im: f64, bits32: bool, verb: char) {
        match verb {
            'v' | 'b' | 'g' | 'G' | 'x' | 'X' | 'f' | 'F' | 'e' | 'E' => {
                let old_plus = self.f.plus;
                self.buf.push(b'(');
                self.pp_fmt_float(orig, re, bits32, verb);
                self.f.plus = true;
                self.pp_fmt_float(orig, im, bits32, verb);
                self.buf.extend_from_slice(b"i)");
                self.f.plus = old_plus;
            }
            _ => self.bad_verb(orig, verb),
        }
    }

    /// Go's `pp.fmtString`.
    fn fmt_string(&mut self, orig: Arg, s: &[u8], verb: char) {
        match verb {
            'v' => {
                if self.f.sharp_v {
                    self.fmt_q(s)
                } else {
                    self.fmt_s(s)
                }
            }
            's' => self.fmt_s(s),
            'x' => self.fmt_sx(s, LDIGITS),
            'X' => self.fmt_sx(s, UDIGITS),
            'q' => self.fmt_q(s),
            _ => self.bad_verb(orig, verb),
        }
    }

    fn bad_verb(&mut self, arg: Arg, verb: char) {
        self.erroring = true;
        self.buf.extend_from_slice(b"%!");
        push_rune(&mut self.buf, verb as u32);
        self.buf.push(b'(');
        match arg {
            Arg::Nil => self.buf.extend_from_slice(b"<nil>"),
            Arg::Val { desc, ptr } => {
                self.buf.extend_from_slice(arg.type_name());
                self.buf.push(b'=');
                self.print_value(desc_ref(desc), ptr, 'v', 0, true);
            }
            _ => {
                self.buf.extend_from_slice(arg.type_name());
                self.buf.push(b'=');
                // Go prints the value with the *current* flags here (width included).
                self.print_arg(arg, 'v');
            }
        }
        self.buf.push(b')');
        self.erroring = false;
    }

    fn pp_fmt_integer(&mut self, arg: Arg, u: u64, signed: bool, verb: char) {
        match verb {
            'v' if self.f.sharp_v && !signed => self.fmt_0x64(u, true),
            'v' | 'd' => self.fmt_integer(u, 10, signed, verb, LDIGITS),
            'b' => self.fmt_integer(u, 2, signed, verb, LDIGITS),
            'o' | 'O' => self.fmt_integer(u, 8, signed, verb, LDIGITS),
            'x' => self.fmt_integer(u, 16, signed, verb, LDIGITS),
            'X' => self.fmt_integer(u, 16, signed, verb, UDIGITS),
            'c' => self.fmt_c(u),
            'q' => self.fmt_qc(u),
            'U' => self.fmt_unicode(u),
            _ => self.bad_verb(arg, verb),
        }
    }

    fn write_padding(&mut self, n: i64) {
        if n <= 0 {
            return;
        }
        let pad = if self.f.zero { b'0' } else { b' ' };
        self.buf.extend(std::iter::repeat_n(pad, n as usize));
    }

    /// Go's `pad` / `padString` (identical on bytes).
    fn pad(&mut self, b: &[u8]) {
        if !self.f.wid_present || self.f.wid == 0 {
            self.buf.extend_from_slice(b);
            return;
        }
        let width = self.f.wid - rune_count(b);
        if !self.f.minus {
            self.write_padding(width);
            self.buf.extend_from_slice(b);
        } else {
            self.buf.extend_from_slice(b);
            self.write_padding(width);
        }
    }

    fn pad_unzeroed(&mut self, b: &[u8]) {
        let old = self.f.zero;
        self.f.zero = false;
        self.pad(b);
        self.f.zero = old;
    }

    fn fmt_integer(&mut self, mut u: u64, base: u64, is_signed: bool, verb: char, digits: &[u8; 17]) {
        let negative = is_signed && (u as i64) < 0;
        if negative {
            u = u.wrapping_neg();
        }
        let mut prec: i64 = 0;
        if self.f.prec_present {
            prec = self.f.prec;
            if prec == 0 && u == 0 {
                let old = self.f.zero;
                self.f.zero = false;
                self.write_padding(self.f.wid);
                self.f.zero = old;
                return;
            }
        } else if self.f.zero && self.f.wid_present {
            prec = self.f.wid;
            if negative || self.f.plus || self.f.space {
                prec -= 1;
            }
        }
        // Built right to left, then reversed.
        let mut rev: Vec<u8> = Vec::with_capacity(24);
        loop {
            rev.push(digits[(u % base) as usize]);
            u /= base;
            if u == 0 {
                break;
            }
        }
        while (rev.len() as i64) < prec {
            rev.push(b'0');
        }
        if self.f.sharp {
            match base {
                2 => rev.extend_from_slice(b"b0"),
                8 if rev.last() != Some(&b'0') => rev.push(b'0'),
                16 => {
                    rev.push(digits[16]);
                    rev.push(b'0');
                }
                _ => {}
            }
        }
        if verb == 'O' {
            rev.extend_from_slice(b"o0");
        }
        if negative {
            rev.push(b'-');
        } else if self.f.plus {
            rev.push(b'+');
        } else if self.f.space {
            rev.push(b' ');
        }
        rev.reverse();
        self.pad_unzeroed(&rev);
    }

    fn fmt_c(&mut self, c: u64) {
        let r = if c > MAX_RUNE { RUNE_ERROR } else { c as u32 };
        let mut b = Vec::new();
        push_rune(&mut b, r);
        self.pad(&b);
    }

    fn fmt_qc(&mut self, c: u64) {
        let r = if c > MAX_RUNE { RUNE_ERROR } else { c as u32 };
        let q = quote_rune(r, self.f.plus);
        self.pad(&q);
    }

    fn fmt_unicode(&mut self, mut u: u64) {
        let mut prec: i64 = 4;
        if self.f.prec_present && self.f.prec > 4 {
            prec = self.f.prec;
        }
        let mut rev: Vec<u8> = Vec::new();
        if self.f.sharp && u <= MAX_RUNE && is_print(u as u32) {
            let mut ch = vec![b' ', b'\''];
            push_rune(&mut ch, u as u32);
            ch.push(b'\'');
            rev.extend(ch.iter().rev());
        }
        loop {
            rev.push(UDIGITS[(u & 0xF) as usize]);
            prec -= 1;
            u >>= 4;
            if u == 0 {
                break;
            }
        }
        while prec > 0 {
            rev.push(b'0');
            prec -= 1;
        }
        rev.extend_from_slice(b"+U");
        rev.reverse();
        self.pad_unzeroed(&rev);
    }

    fn truncate<'s>(&self, s: &'s [u8]) -> &'s [u8] {
        if self.f.prec_present {
            let mut n = self.f.prec;
            let mut i = 0;
            while i < s.len() {
                n -= 1;
                if n < 0 {
                    return &s[..i];
                }
                i += decode_rune(&s[i..]).1;
            }
        }
        s
    }

    fn fmt_s(&mut self, s: &[u8]) {
        let s = self.truncate(s);
        self.pad(s);
    }

    fn fmt_q(&mut self, s: &[u8]) {
        let s = self.truncate(s);
        if self.f.sharp && can_backquote(s) {
            let mut b = vec![b'`'];
            b.extend_from_slice(s);
            b.push(b'`');
            self.pad(&b);
            return;
        }
        let q = quote(s, self.f.plus);
        self.pad(&q);
    }

    fn fmt_sx(&mut self, s: &[u8], digits: &[u8; 17]) {
        let mut length = s.len() as i64;
        if self.f.prec_present && self.f.prec < length {
            length = self.f.prec;
        }
        let mut width = 2 * length;
        if width > 0 {
            if self.f.space {
                if self.f.sharp {
                    width *= 2;
                }
                width += length - 1;
            } else if self.f.sharp {
                width += 2;
            }
        } else {
            if self.f.wid_present {
                self.write_padding(self.f.wid);
            }
            return;
        }
        if self.f.wid_present && self.f.wid > width && !self.f.minus {
            self.write_padding(self.f.wid - width);
        }
        if self.f.sharp {
            self.buf.push(b'0');
            self.buf.push(digits[16]);
        }
        for (i, &c) in s[..length as usize].iter().enumerate() {
            if self.f.space && i > 0 {
                self.buf.push(b' ');
                if self.f.sharp {
                    self.buf.push(b'0');
                    self.buf.push(digits[16]);
                }
            }
            self.buf.push(digits[(c >> 4) as usize]);
            self.buf.push(digits[(c & 0xF) as usize]);
        }
        if self.f.wid_present && self.f.wid > width && self.f.minus {
            self.write_padding(self.f.wid - width);
        }
    }

    /// Go's `pp.fmt0x64`: hexadecimal, with `0x` if `leading_0x`.
    fn fmt_0x64(&mut self, v: u64, leading_0x: bool) {
        let sharp = self.f.sharp;
        self.f.sharp = leading_0x;
        self.fmt_integer(v, 16, false, 'v', LDIGITS);
        self.f.sharp = sharp;
    }

    fn fmt_float(&mut self, v: f64, bits32: bool, verb: char, mut prec: i64) {
        if self.f.prec_present {
            prec = self.f.prec;
        }
        let mut num = vec![b'+'];
        num.extend_from_slice(&format_float_size(v, verb as u8, prec, if bits32 { 32 } else { 64 }));
        if num[1] == b'-' || num[1] == b'+' {
            num.remove(0);
        }
        if self.f.space && num[0] == b'+' && !self.f.plus {
            num[0] = b' ';
        }
        if num[1] == b'I' || num[1] == b'N' {
            let old = self.f.zero;
            self.f.zero = false;
            if num[1] == b'N' && !self.f.space && !self.f.plus {
                num.remove(0);
            }
            self.pad(&num);
            self.f.zero = old;
            return;
        }
        if self.f.sharp && verb != 'b' {
            let mut digits: i64 = 0;
            if matches!(verb, 'v' | 'g' | 'G' | 'x') {
                digits = prec;
                if digits == -1 {
                    digits = 6;
                }
            }
            let mut tail: Vec<u8> = Vec::new();
            let mut has_decimal_point = false;
            let mut saw_nonzero_digit = false;
            let mut i = 1;
            while i < num.len() {
                match num[i] {
                    b'.' => has_decimal_point = true,
                    b'p' | b'P' => {
                        tail.extend_from_slice(&num[i..]);
                        num.truncate(i);
                    }
                    b'e' | b'E' if verb != 'x' && verb != 'X' => {
                        tail.extend_from_slice(&num[i..]);
                        num.truncate(i);
                    }
                    c => {
                        if c != b'0' {
                            saw_nonzero_digit = true;
                        }
                        if saw_nonzero_digit {
                            digits -= 1;
                        }
                    }
                }
                i += 1;
            }
            if !has_decimal_point {
                if num.len() == 2 && num[1] == b'0' {
                    digits -= 1;
                }
                num.push(b'.');
            }
            while digits > 0 {
                num.push(b'0');
                digits -= 1;
            }
            num.extend_from_slice(&tail);
        }
        if self.f.plus || num[0] != b'+' {
            if self.f.zero && self.f.wid_present && self.f.wid > num.len() as i64 {
                self.buf.push(num[0]);
                self.write_padding(self.f.wid - num.len() as i64);
                self.buf.extend_from_slice(&num[1..]);
                return;
            }
            self.pad(&num);
            return;
        }
        self.pad(&num[1..]);
    }
}

/// Decimal digits of a float: `d` (no leading or trailing zeros; empty for 0)
/// with the decimal point `dp` digits from the left (Go's `decimalSlice`).
struct Digits {
    d: Vec<u8>,
    dp: i64,
}

impl Digits {
    /// From Rust's `{:e}` output, which is exact and correctly rounded (for a
    /// given precision) or the shortest round-tripping form (without one),
    /// exactly the digit strings Go's Ryu and big-decimal paths produce.
    fn from_sci(s: &str) -> Digits {
        let (mant, exp) = s.split_once('e').unwrap_or((s, "0"));
        let exp: i64 = exp.parse().unwrap_or(0);
        let mut d: Vec<u8> = mant.bytes().filter(|b| b.is_ascii_digit()).collect();
        while d.last() == Some(&b'0') {
            d.pop();
        }
        if d.is_empty() {
            return Digits { d, dp: 0 };
        }
        Digits { d, dp: exp + 1 }
    }

    /// From Rust's fixed `{:.N}` output.
    fn from_fixed(s: &str) -> Digits {
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        let mut d: Vec<u8> = int.bytes().chain(frac.bytes()).collect();
        let mut dp = int.len() as i64;
        while d.first() == Some(&b'0') {
            d.remove(0);
            dp -= 1;
        }
        while d.last() == Some(&b'0') {
            d.pop();
        }
        if d.is_empty() {
            dp = 0;
        }
        Digits { d, dp }
    }

    fn nd(&self) -> i64 {
        self.d.len() as i64
    }
}

/// Go's `strconv.FormatFloat(v, fmt, prec, 64)`.
pub fn format_float(v: f64, fmt: u8, prec: i64) -> Vec<u8> {
    format_float_size(v, fmt, prec, 64)
}

/// Go's `strconv.FormatFloat(v, fmt, prec, bit_size)`; with `bit_size` 32,
/// `v` must be a float32 value and the shortest digits are float32's.
pub fn format_float_size(v: f64, fmt: u8, prec: i64, bit_size: u32) -> Vec<u8> {
    if bit_size == 32 && fmt == b'b' {
        let bits = (v as f32).to_bits();
        let neg = bits >> 31 != 0;
        let raw_exp = ((bits >> 23) & 0xFF) as i64;
        let mut mant = (bits & ((1 << 23) - 1)) as u64;
        if raw_exp != 0xFF {
            let mut exp = raw_exp;
            if raw_exp == 0 {
                exp += 1;
            } else {
                mant |= 1 << 23;
            }
            return fmt_b(neg, mant, exp - 127 + 52 - 23);
        }
    }
    let bits = v.to_bits();
    let neg = bits >> 63 != 0;
    let raw_exp = ((bits >> 52) & 0x7FF) as i64;
    let mut mant = bits & ((1u64 << 52) - 1);
    if raw_exp == 0x7FF {
        return if mant != 0 {
            b"NaN".to_vec()
        } else if neg {
            b"-Inf".to_vec()
        } else {
            b"+Inf".to_vec()
        };
    }
    let mut exp = raw_exp;
    if raw_exp == 0 {
        exp += 1;
    } else {
        mant |= 1u64 << 52;
    }
    exp += -1023;
    if fmt == b'b' {
        return fmt_b(neg, mant, exp);
    }
    if fmt == b'x' || fmt == b'X' {
        return fmt_x(prec, fmt, neg, mant, exp);
    }
    let a = v.abs();
    let shortest = prec < 0;
    let mut prec = prec;
    let digs = if shortest {
        let digs = if bit_size == 32 {
            Digits::from_sci(&format!("{:e}", a as f32))
        } else {
            Digits::from_sci(&format!("{a:e}"))
        };
        prec = match fmt {
            b'e' | b'E' => (digs.nd() - 1).max(0),
            b'f' => (digs.nd() - digs.dp).max(0),
            b'g' | b'G' => digs.nd(),
            _ => prec,
        };
        digs
    } else {
        match fmt {
            b'e' | b'E' => Digits::from_sci(&format!("{:.*e}", prec as usize, a)),
            b'g' | b'G' => {
                if prec == 0 {
                    prec = 1;
                }
                Digits::from_sci(&format!("{:.*e}", (prec - 1) as usize, a))
            }
            b'f' => Digits::from_fixed(&format!("{:.*}", prec as usize, a)),
            _ => Digits::from_sci(&format!("{:.0e}", a)),
        }
    };
    format_digits(shortest, neg, &digs, prec, fmt)
}

fn format_digits(shortest: bool, neg: bool, digs: &Digits, prec: i64, fmt: u8) -> Vec<u8> {
    match fmt {
        b'e' | b'E' => fmt_e(neg, digs, prec, fmt),
        b'f' => fmt_f(neg, digs, prec),
        b'g' | b'G' => {
            let mut eprec = prec;
            if eprec > digs.nd() && digs.nd() >= digs.dp {
                eprec = digs.nd();
            }
            if shortest {
                eprec = 6;
            }
            let exp = digs.dp - 1;
            if exp < -4 || exp >= eprec {
                let mut prec = prec;
                if prec > digs.nd() {
                    prec = digs.nd();
                }
                return fmt_e(neg, digs, prec - 1, fmt + b'e' - b'g');
            }
            let mut prec = prec;
            if prec > digs.dp {
                prec = digs.nd();
            }
            fmt_f(neg, digs, (prec - digs.dp).max(0))
        }
        _ => {
            let mut out = vec![b'%'];
            out.push(fmt);
            out
        }
    }
}

fn fmt_e(neg: bool, d: &Digits, prec: i64, fmt: u8) -> Vec<u8> {
    let mut dst = Vec::new();
    if neg {
        dst.push(b'-');
    }
    dst.push(if d.nd() != 0 { d.d[0] } else { b'0' });
    if prec > 0 {
        dst.push(b'.');
        let mut i = 1;
        let m = d.nd().min(prec + 1);
        if i < m {
            dst.extend_from_slice(&d.d[i as usize..m as usize]);
            i = m;
        }
        while i <= prec {
            dst.push(b'0');
            i += 1;
        }
    }
    dst.push(fmt);
    let mut exp = d.dp - 1;
    if d.nd() == 0 {
        exp = 0;
    }
    if exp < 0 {
        dst.push(b'-');
        exp = -exp;
    } else {
        dst.push(b'+');
    }
    if exp < 10 {
        dst.extend_from_slice(&[b'0', b'0' + exp as u8]);
    } else if exp < 100 {
        dst.push(b'0' + (exp / 10) as u8);
        dst.push(b'0' + (exp % 10) as u8);
    } else {
        dst.push(b'0' + (exp / 100) as u8);
        dst.push(b'0' + ((exp / 10) % 10) as u8);
        dst.push(b'0' + (exp % 10) as u8);
    }
    dst
}

fn fmt_f(neg: bool, d: &Digits, prec: i64) -> Vec<u8> {
    let mut dst = Vec::new();
    if neg {
        dst.push(b'-');
    }
    if d.dp > 0 {
        let m = d.nd().min(d.dp);
        dst.extend_from_slice(&d.d[..m as usize]);
        dst.extend(std::iter::repeat_n(b'0', (d.dp - m) as usize));
    } else {
        dst.push(b'0');
    }
    if prec > 0 {
        dst.push(b'.');
        for i in 1..=prec {
            let j = d.dp + i - 1;
            dst.push(if 0 <= j && j < d.nd() { d.d[j as usize] } else { b'0' });
        }
    }
    dst
}

fn fmt_b(neg: bool, mant: u64, exp: i64) -> Vec<u8> {
    let mut s = String::new();
    if neg {
        s.push('-');
    }
    s.push_str(&mant.to_string());
    s.push('p');
    let exp = exp - 52;
    if exp >= 0 {
        s.push('+');
    }
    s.push_str(&exp.to_string());
    s.into_bytes()
}

fn fmt_x(prec: i64, fmt: u8, neg: bool, mut mant: u64, mut exp: i64) -> Vec<u8> {
    if mant == 0 {
        exp = 0;
    }
    mant <<= 60 - 52;
    while mant != 0 && mant & (1 << 60) == 0 {
        mant <<= 1;
        exp -= 1;
    }
    if (0..15).contains(&prec) {
        let shift = (prec * 4) as u32;
        let extra = (mant << shift) & ((1u64 << 60) - 1);
        mant >>= 60 - shift;
        if extra | (mant & 1) > 1 << 59 {
            mant += 1;
        }
        mant <<= 60 - shift;
        if mant & (1 << 61) != 0 {
            mant >>= 1;
            exp += 1;
        }
    }
    let hex = if fmt == b'X' { UDIGITS } else { LDIGITS };
    let mut dst = Vec::new();
    if neg {
        dst.push(b'-');
    }
    dst.push(b'0');
    dst.push(fmt);
    dst.push(b'0' + ((mant >> 60) & 1) as u8);
    mant <<= 4;
    if prec < 0 && mant != 0 {
        dst.push(b'.');
        while mant != 0 {
            dst.push(hex[((mant >> 60) & 15) as usize]);
            mant <<= 4;
        }
    } else if prec > 0 {
        dst.push(b'.');
        for _ in 0..prec {
            dst.push(hex[((mant >> 60) & 15) as usize]);
            mant <<= 4;
        }
    }
    dst.push(if fmt == b'X' { b'P' } else { b'p' });
    if exp < 0 {
        dst.push(b'-');
        exp = -exp;
    } else {
        dst.push(b'+');
    }
    if exp < 100 {
        dst.push(b'0' + (exp / 10) as u8);
        dst.push(b'0' + (exp % 10) as u8);
    } else if exp < 1000 {
        dst.push(b'0' + (exp / 100) as u8);
        dst.push(b'0' + ((exp / 10) % 10) as u8);
        dst.push(b'0' + (exp % 10) as u8);
    } else {
        dst.push(b'0' + (exp / 1000) as u8);
        dst.push(b'0' + ((exp / 100) % 10) as u8);
        dst.push(b'0' + ((exp / 10) % 10) as u8);
        dst.push(b'0' + (exp % 10) as u8);
    }
    dst
}

/// How the Go runtime's `print` shows a float64 (used for `panic(1.5)`):
/// `+1.500000e+000`. A port of `runtime.printfloat`, including its
/// deliberately naive digit generation.
pub fn runtime_print_float(mut v: f64) -> Vec<u8> {
    if v.is_nan() {
        return b"NaN".to_vec();
    }
    if v + v == v && v > 0.0 {
        return b"+Inf".to_vec();
    }
    if v + v == v && v < 0.0 {
        return b"-Inf".to_vec();
    }
    const N: usize = 7;
    let mut buf = [0u8; N + 7];
    buf[0] = b'+';
    let mut e: i64 = 0;
    if v == 0.0 {
        if (1.0 / v) < 0.0 {
            buf[0] = b'-';
        }
    } else {
        if v < 0.0 {
            v = -v;
            buf[0] = b'-';
        }
        while v >= 10.0 {
            e += 1;
            v /= 10.0;
        }
        while v < 1.0 {
            e -= 1;
            v *= 10.0;
        }
        let mut h = 5.0;
        for _ in 0..N {
            h /= 10.0;
        }
        v += h;
        if v >= 10.0 {
            e += 1;
            v /= 10.0;
        }
    }
    for i in 0..N {
        let s = v as i64;
        buf[i + 2] = (s as u8).wrapping_add(b'0');
        v -= s as f64;
        v *= 10.0;
    }
    buf[1] = buf[2];
    buf[2] = b'.';
    buf[N + 2] = b'e';
    buf[N + 3] = b'+';
    if e < 0 {
        e = -e;
        buf[N + 3] = b'-';
    }
    buf[N + 4] = (e / 100) as u8 + b'0';
    buf[N + 5] = ((e / 10) % 10) as u8 + b'0';
    buf[N + 6] = (e % 10) as u8 + b'0';
    buf.to_vec()
}

#[cfg(test)]
mod tests;
#[cfg(test)]
pub(crate) mod value_tests;
