//! Values of descriptor types: a port of Go 1.19's `pp.printValue`,
//! `pp.handleMethods`, `pp.fmtPointer`, `pp.fmtBytes` and `internal/fmtsort`.
//!
//! A value is its descriptor and the address of its bytes in Go's memory
//! layout. `can_iface` follows reflect's `CanInterface`: it turns false below
//! an unexported struct field, and then methods are no longer called (as Go).

use super::*;
use crate::maps;
use g2n_abi::GoAny;
use std::cmp::Ordering;

fn is_exported(name: &[u8]) -> bool {
    let (r, _) = decode_rune(name);
    char::from_u32(r).is_some_and(char::is_uppercase)
}

fn val(d: Desc, ptr: *const u8) -> Arg<'static> {
    Arg::Val { desc: d, ptr }
}

/// A basic value of a basic-kind descriptor type, as an [`Arg`].
///
/// # Safety
/// `p` must point to a value of type `d`, of a basic kind.
unsafe fn basic_arg(d: Desc, p: *const u8) -> Option<Arg<'static>> {
    let k = types::kind(d);
    // SAFETY: guaranteed by the caller.
    unsafe {
        Some(match k {
            Kind::Bool => Arg::Bool(p.read() != 0),
            Kind::Int => Arg::Int(types::read_int(p, k) as i64),
            Kind::Float32 => Arg::Float32(f32::from_bits(types::read_uint(p, 4) as u32)),
            Kind::Float64 => Arg::Float64(f64::from_bits(types::read_uint(p, 8))),
            Kind::Complex64 | Kind::Complex128 => {
                let (re, im) = types::read_complex(p, k);
                Arg::Complex { re, im, bits32: k == Kind::Complex64 }
            }
            Kind::String => Arg::Str(types::read_string(p)),
            _ => {
                let (_, signed) = types::int_kind(k)?;
                let name = k.basic_tag().map_or("int", |t| t.go_name());
                Arg::Sized { raw: types::read_int(p, k), signed, name }
            }
        })
    }
}

/// The dynamic value of an interface of a basic type, as an [`Arg`].
fn any_arg(a: &GoAny) -> Arg<'static> {
    // SAFETY: interface values in memory follow the ABI. Only descriptor
    // values point into `a`, and callers pass basic tags only.
    unsafe { crate::ffi::any_to_arg(&*(a as *const GoAny)) }
}

impl Printer {
    /// `printArg` of a descriptor value, after `%T`.
    pub(super) fn print_val_arg(&mut self, d: Desc, p: *const u8, mut verb: char) {
        if types::kind(d) == Kind::Struct && types::name(d) == b"reflect.Value" {
            self.print_reflect_value(p, verb);
            return;
        }
        if verb == 'w' {
            // Go's handleMethods: `%w` is valid once, in Errorf, of an
            // error; it then prints as %v. Otherwise it is a bad verb and
            // wraps nothing.
            let is_error = types::find_method(d, b"Error").is_some();
            if !is_error || !self.wrap_errs || self.wrapped.is_some() {
                self.wrapped = None;
                self.wrap_errs = false;
                self.bad_verb(Arg::Val { desc: d, ptr: p }, verb);
                return;
            }
            self.wrapped = Some(self.arg_index);
            verb = 'v';
        }
        if verb == 'p' {
            self.fmt_pointer(d, p, 'p');
            return;
        }
        if self.handle_methods(d, p, verb) {
            return;
        }
        if verb == 'v' && self.f.sharp_v && types::kind(d) == Kind::Slice && types::name(d) == b"[]uint8" {
            // printArg's `case []byte` spells the type `[]byte` for %#v.
            // SAFETY: `p` points to a slice header.
            let h = unsafe { types::read_slice(p) };
            self.buf.extend_from_slice(b"[]byte");
            if h.ptr.is_null() {
                self.buf.extend_from_slice(b"(nil)");
                return;
            }
            self.buf.push(b'{');
            for i in 0..h.len.max(0) as usize {
                if i > 0 {
                    self.buf.extend_from_slice(b", ");
                }
                // SAFETY: `len` bytes at `ptr`.
                self.fmt_0x64(unsafe { h.ptr.add(i).read() } as u64, true);
            }
            self.buf.push(b'}');
            return;
        }
        self.print_value(d, p, verb, 0, true);
    }

    /// printArg's `case reflect.Value`: the value it holds, its methods
    /// called unless it came through an unexported field. g2n's
    /// reflect.Value (stdlib/reflect/value.go) is its type's descriptor,
    /// the address of the value (or, with `flagDirect`, the pointer-shaped
    /// value itself) and flags (value.go's `flag` constants).
    fn print_reflect_value(&mut self, p: *const u8, verb: char) {
        // flagStickyRO | flagEmbedRO: obtained through an unexported field.
        const FLAG_RO: u64 = 2 | 4;
        const FLAG_DIRECT: u64 = 32;
        // SAFETY: `p` points to a reflect.Value: three words.
        let (typ, ptr, flag) = unsafe { (types::read_uint(p, 8), types::read_uint(p.add(8), 8), types::read_uint(p.add(16), 8)) };
        // A direct value lives in the Value's own word, which `p` points into.
        let ptr = if flag & FLAG_DIRECT != 0 { p.wrapping_add(8) as u64 } else { ptr };
        if typ == 0 {
            self.buf.extend_from_slice(b"<invalid reflect.Value>");
            return;
        }
        // SAFETY: a valid Value's type is a descriptor (the program's, or
        // one reflect made and keeps alive) and its pointer its value's address.
        let d: Desc = unsafe { &*(typ as *const g2n_abi::TypeDesc) };
        let can_iface = flag & FLAG_RO == 0;
        if can_iface && verb != 'p' && types::kind(d) != Kind::Interface && self.handle_methods(d, ptr as *const u8, verb) {
            return;
        }
        self.print_value(d, ptr as *const u8, verb, 0, can_iface);
    }

    /// Go's `handleMethods` for the methods g2n types can have: `Error` (first)
    /// or `String` for the verbs that accept a string, `GoString` for `%#v`.
    fn handle_methods(&mut self, d: Desc, p: *const u8, verb: char) -> bool {
        if self.erroring {
            return false;
        }
        let method = if self.f.sharp_v {
            types::find_method(d, g2n_abi::GO_STRING_METHOD_KEY)
        } else if matches!(verb, 'v' | 's' | 'x' | 'X' | 'q') {
            types::find_method(d, g2n_abi::ERROR_METHOD_KEY).or_else(|| types::find_method(d, g2n_abi::STRING_METHOD_KEY))
        } else {
            None
        };
        let Some(f) = method else { return false };
        if types::kind(d) == Kind::Pointer {
            // SAFETY: `p` points to a pointer.
            if unsafe { types::read_uint(p, 8) } == 0 {
                // A value method called through a nil pointer panics, and Go's
                // catchPanic prints a nil receiver as <nil> (unpadded).
                self.buf.extend_from_slice(b"<nil>");
                return true;
            }
        }
        // SAFETY: `p` points to a value of type `d`; the method has the
        // `() string` wrapper signature by the ABI.
        let s = unsafe {
            let (w0, w1) = types::box_words(d, p);
            types::call_string_method(f, w0, w1)
        };
        if self.f.sharp_v {
            self.fmt_s(s);
        } else {
            self.fmt_string(val(d, p), s, verb);
        }
        true
    }

    /// Go's `printValue`.
    pub(super) fn print_value(&mut self, d: Desc, p: *const u8, verb: char, depth: usize, can_iface: bool) {
        let k = types::kind(d);
        if k == Kind::Interface {
            // SAFETY: `p` points to an interface value.
            let a = unsafe { types::read_any(p) };
            if a.tag == 0 {
                if self.f.sharp_v {
                    self.buf.extend_from_slice(types::name(d));
                    self.buf.extend_from_slice(b"(nil)");
                } else {
                    self.buf.extend_from_slice(b"<nil>");
                }
                return;
            }
            self.print_dynamic(&a, verb, depth + 1, can_iface);
            return;
        }
        if depth > 0 && can_iface && self.handle_methods(d, p, verb) {
            return;
        }
        // SAFETY: `p` points to a value of type `d`.
        if let Some(arg) = unsafe { basic_arg(d, p) } {
            self.print_basic(arg, verb, val(d, p));
            return;
        }
        match k {
            Kind::Map => self.print_map(d, p, verb, depth, can_iface),
            Kind::Struct => {
                if self.f.sharp_v {
                    self.buf.extend_from_slice(types::name(d));
                }
                self.buf.push(b'{');
                for (i, f) in types::fields(d).iter().enumerate() {
                    if i > 0 {
                        if self.f.sharp_v {
                            self.buf.extend_from_slice(b", ");
                        } else {
                            self.buf.push(b' ');
                        }
                    }
                    let fname = types::go_str(f.name);
                    if (self.f.plus_v || self.f.sharp_v) && !fname.is_empty() {
                        self.buf.extend_from_slice(fname);
                        self.buf.push(b':');
                    }
                    let ft = types::field_type(d, f);
                    // SAFETY: the field lies within the struct.
                    let fp = unsafe { p.add(f.offset as usize) };
                    self.print_value(ft, fp, verb, depth + 1, can_iface && is_exported(fname));
                }
                self.buf.push(b'}');
            }
            Kind::Array | Kind::Slice => {
                let e = types::elem(d);
                let (base, len, nil) = if k == Kind::Slice {
                    // SAFETY: `p` points to a slice header.
                    let h = unsafe { types::read_slice(p) };
                    (h.ptr, h.len.max(0) as u64, h.ptr.is_null())
                } else {
                    (p, d.len, false)
                };
                if matches!(verb, 's' | 'q' | 'x' | 'X') && types::kind(e) == Kind::Uint8 {
                    // SAFETY: `len` bytes at `base`.
                    let b = unsafe { crate::ffi::bytes(base, len as i64) };
                    match verb {
                        's' => self.fmt_s(b),
                        'x' => self.fmt_sx(b, LDIGITS),
                        'X' => self.fmt_sx(b, UDIGITS),
                        _ => self.fmt_q(b),
                    }
                    return;
                }
                if self.f.sharp_v {
                    self.buf.extend_from_slice(types::name(d));
                    if nil {
                        self.buf.extend_from_slice(b"(nil)");
                        return;
                    }
                    self.buf.push(b'{');
                } else {
                    self.buf.push(b'[');
                }
                for i in 0..len {
                    if i > 0 {
                        if self.f.sharp_v {
                            self.buf.extend_from_slice(b", ");
                        } else {
                            self.buf.push(b' ');
                        }
                    }
                    // SAFETY: element `i` lies within the array.
                    let ep = unsafe { base.add((i * e.size) as usize) };
                    self.print_value(e, ep, verb, depth + 1, can_iface);
                }
                self.buf.push(if self.f.sharp_v { b'}' } else { b']' });
            }
            Kind::Pointer => {
                // SAFETY: `p` points to a pointer.
                let target = unsafe { types::read_uint(p, 8) } as *const u8;
                if depth == 0 && !target.is_null() {
                    let e = types::elem(d);
                    if matches!(types::kind(e), Kind::Array | Kind::Slice | Kind::Struct | Kind::Map) {
                        self.buf.push(b'&');
                        self.print_value(e, target, verb, depth + 1, can_iface);
                        return;
                    }
                }
                self.fmt_pointer(d, p, verb);
            }
            _ => self.fmt_pointer(d, p, verb),
        }
    }

    /// The dynamic value of a non-nil interface, at `depth`.
    fn print_dynamic(&mut self, a: &GoAny, verb: char, depth: usize, can_iface: bool) {
        match types::desc_of_tag(a.tag) {
            Some(d) => self.print_value(d, types::any_value_ptr(a, d), verb, depth, can_iface),
            None => self.print_arg(any_arg(a), verb),
        }
    }

    /// Go's `fmtPointer`.
    fn fmt_pointer(&mut self, d: Desc, p: *const u8, verb: char) {
        // SAFETY: `p` points to a value of type `d` (read per its kind).
        let u = match types::kind(d) {
            Kind::Pointer | Kind::Map | Kind::Func | Kind::Chan => unsafe { types::read_uint(p, 8) },
            Kind::Slice => unsafe { types::read_slice(p) }.ptr as u64,
            _ => {
                self.bad_verb(val(d, p), verb);
                return;
            }
        };
        match verb {
            'v' => {
                if self.f.sharp_v {
                    self.buf.push(b'(');
                    self.buf.extend_from_slice(types::name(d));
                    self.buf.extend_from_slice(b")(");
                    if u == 0 {
                        self.buf.extend_from_slice(b"nil");
                    } else {
                        self.fmt_0x64(u, true);
                    }
                    self.buf.push(b')');
                } else if u == 0 {
                    self.pad(b"<nil>");
                } else {
                    self.fmt_0x64(u, !self.f.sharp);
                }
            }
            'p' => self.fmt_0x64(u, !self.f.sharp),
            'b' | 'o' | 'd' | 'x' | 'X' => self.pp_fmt_integer(val(d, p), u, false, verb),
            _ => self.bad_verb(val(d, p), verb),
        }
    }

    fn print_map(&mut self, d: Desc, p: *const u8, verb: char, depth: usize, can_iface: bool) {
        // SAFETY: `p` points to a map value.
        let m = unsafe { maps::map_ref(types::read_uint(p, 8) as *const std::ffi::c_void) };
        if self.f.sharp_v {
            self.buf.extend_from_slice(types::name(d));
            if m.is_none() {
                self.buf.extend_from_slice(b"(nil)");
                return;
            }
            self.buf.push(b'{');
        } else {
            self.buf.extend_from_slice(b"map[");
        }
        let (kd, vd) = (types::key(d), types::elem(d));
        let mut entries = m.map(|m| m.entries()).unwrap_or_default();
        // SAFETY: every key points to a value of the key type.
        entries.sort_by(|a, b| unsafe { compare(kd, a.0, b.0) });
        for (i, (kp, vp)) in entries.into_iter().enumerate() {
            if i > 0 {
                if self.f.sharp_v {
                    self.buf.extend_from_slice(b", ");
                } else {
                    self.buf.push(b' ');
                }
            }
            self.print_value(kd, kp, verb, depth + 1, can_iface);
            self.buf.push(b':');
            self.print_value(vd, vp, verb, depth + 1, can_iface);
        }
        self.buf.push(if self.f.sharp_v { b'}' } else { b']' });
    }
}

fn cmp_float(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        _ => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
    }
}

/// Go's `internal/fmtsort.compare` on two values of type `d`: numbers by
/// value (NaN first), strings bytewise, false before true, pointers by
/// address, structs and arrays element by element, interfaces nil first and
/// then by dynamic type (basic types first, then by descriptor address: Go
/// orders by its own type addresses, so mixed-type keys may differ) and value.
///
/// # Safety
/// `a` and `b` must point to values of type `d`.
pub(crate) unsafe fn compare(d: Desc, a: *const u8, b: *const u8) -> Ordering {
    let k = types::kind(d);
    // SAFETY: guaranteed by the caller.
    unsafe {
        match k {
            Kind::Bool => (a.read() != 0).cmp(&(b.read() != 0)),
            Kind::Float32 => cmp_float(
                f32::from_bits(types::read_uint(a, 4) as u32) as f64,
                f32::from_bits(types::read_uint(b, 4) as u32) as f64,
            ),
            Kind::Float64 => cmp_float(f64::from_bits(types::read_uint(a, 8)), f64::from_bits(types::read_uint(b, 8))),
            // fmtsort: by real part, then imaginary part.
            Kind::Complex64 | Kind::Complex128 => {
                let ((ar, ai), (br, bi)) = (types::read_complex(a, k), types::read_complex(b, k));
                cmp_float(ar, br).then_with(|| cmp_float(ai, bi))
            }
            Kind::String => types::read_string(a).cmp(types::read_string(b)),
            Kind::Pointer | Kind::Map | Kind::Func | Kind::Chan => types::read_uint(a, 8).cmp(&types::read_uint(b, 8)),
            Kind::Slice => (types::read_slice(a).ptr as u64).cmp(&(types::read_slice(b).ptr as u64)),
            Kind::Array => {
                let e = types::elem(d);
                for i in 0..d.len {
                    let off = (i * e.size) as usize;
                    let c = compare(e, a.add(off), b.add(off));
                    if c != Ordering::Equal {
                        return c;
                    }
                }
                Ordering::Equal
            }
            Kind::Struct => {
                for f in types::fields(d) {
                    let off = f.offset as usize;
                    let c = compare(types::field_type(d, f), a.add(off), b.add(off));
                    if c != Ordering::Equal {
                        return c;
                    }
                }
                Ordering::Equal
            }
            Kind::Interface => {
                let (x, y) = (types::read_any(a), types::read_any(b));
                match (x.tag == 0, y.tag == 0) {
                    (true, true) => return Ordering::Equal,
                    (true, false) => return Ordering::Less,
                    (false, true) => return Ordering::Greater,
                    _ => {}
                }
                if x.tag != y.tag {
                    return x.tag.cmp(&y.tag);
                }
                match types::desc_of_tag(x.tag) {
                    Some(xd) => compare(xd, types::any_value_ptr(&x, xd), types::any_value_ptr(&y, xd)),
                    None => match (any_arg(&x), any_arg(&y)) {
                        (Arg::Str(s), Arg::Str(t)) => s.cmp(t),
                        (Arg::Float64(s), Arg::Float64(t)) => cmp_float(s, t),
                        (Arg::Float32(s), Arg::Float32(t)) => cmp_float(s as f64, t as f64),
                        (Arg::Complex { re: sr, im: si, .. }, Arg::Complex { re: tr, im: ti, .. }) => {
                            cmp_float(sr, tr).then_with(|| cmp_float(si, ti))
                        }
                        (Arg::Int(s), Arg::Int(t)) => s.cmp(&t),
                        (Arg::Sized { raw: s, signed: true, .. }, Arg::Sized { raw: t, .. }) => (s as i64).cmp(&(t as i64)),
                        _ => x.word0.cmp(&y.word0),
                    },
                }
            }
            _ => {
                let (_, signed) = types::int_kind(k).unwrap_or((8, false));
                let (x, y) = (types::read_int(a, k), types::read_int(b, k));
                if signed { (x as i64).cmp(&(y as i64)) } else { x.cmp(&y) }
            }
        }
    }
}
