//! Go's builtin `print`/`println`, index panics and `string(rune)`: runtime
//! entry points named in `g2n_abi::symbols`.

use crate::ffi::{args, guard, leak_string};
use crate::flow::write_output;
use crate::fmt::{self as gofmt, Arg};
use crate::wire::Stream;
use crate::types;
use g2n_abi::{GoAny, GoString, Kind};

/// Go's `print` formatting of one value (runtime/print.go), not fmt's.
fn print_value(out: &mut Vec<u8>, arg: &Arg) {
    match arg {
        Arg::Nil => out.extend_from_slice(b"(0x0,0x0)"),
        Arg::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Arg::Int(n) => out.extend_from_slice(n.to_string().as_bytes()),
        Arg::Sized { raw, signed: true, .. } => out.extend_from_slice((*raw as i64).to_string().as_bytes()),
        Arg::Sized { raw, signed: false, .. } => out.extend_from_slice(raw.to_string().as_bytes()),
        Arg::Float64(f) => out.extend_from_slice(&gofmt::runtime_print_float(*f)),
        Arg::Float32(f) => out.extend_from_slice(&gofmt::runtime_print_float(*f as f64)),
        // runtime.printcomplex: print("(", real(c), imag(c), "i)").
        Arg::Complex { re, im, .. } => {
            out.push(b'(');
            out.extend_from_slice(&gofmt::runtime_print_float(*re));
            out.extend_from_slice(&gofmt::runtime_print_float(*im));
            out.extend_from_slice(b"i)");
        }
        Arg::Str(s) => out.extend_from_slice(s),
        Arg::Val { desc, ptr } => {
            // SAFETY: descriptors are static by the ABI.
            let d: types::Desc = unsafe { &**desc };
            let kind = types::kind(d);
            // SAFETY: `ptr` points to a value of type `d`.
            let (w0, w1) = unsafe { types::box_words(d, *ptr) };
            match kind {
                // Go prints pointers, maps and funcs as hexadecimal addresses.
                Kind::Pointer | Kind::Map | Kind::Func | Kind::Chan => out.extend_from_slice(format!("{w0:#x}").as_bytes()),
                Kind::Slice => {
                    // SAFETY: a slice value points to its header.
                    let h = unsafe { types::read_slice(*ptr) };
                    out.extend_from_slice(format!("[{}/{}]{:#x}", h.len, h.cap, h.ptr as u64).as_bytes());
                }
                // Structs and arrays cannot be printed (a compile error in
                // Go); an interface holding one prints as (type, data).
                Kind::Struct | Kind::Array | Kind::Interface => {
                    out.extend_from_slice(format!("({:#x},{:#x})", *desc as u64, *ptr as u64).as_bytes())
                }
                _ => {
                    let any = GoAny { tag: kind.basic_tag().map_or(0, |t| t as u64), word0: w0, word1: w1 };
                    // SAFETY: a basic value boxed as its kind's tag.
                    print_value(out, &unsafe { crate::ffi::any_to_arg(&any) });
                }
            }
        }
    }
}

/// Bytes `print` (`newline == 0`) or `println` writes for `values`.
pub fn format_print(values: &[Arg], newline: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for (index, value) in values.iter().enumerate() {
        if newline && index > 0 {
            out.push(b' ');
        }
        print_value(&mut out, value);
    }
    if newline {
        out.push(b'\n');
    }
    out
}

rt_export! { BUILTIN_PRINT =>
/// # Safety
/// `values` must point to `nargs` valid [`GoAny`] values.
pub unsafe extern "C" fn g2n_builtin_print(values: *const GoAny, nargs: i64, newline: u8) {
    // SAFETY: guaranteed by the caller (the ABI).
    let values = unsafe { args(values, nargs) };
    guard(|| write_output(Stream::Stderr, &format_print(&values, newline != 0)));
}
}

rt_export! { PANIC_INDEX =>
/// `index out of range [index] with length len`; Go leaves the length out
/// of the message for a negative index.
pub extern "C" fn g2n_panic_index(index: i64, len: i64) -> ! {
    let message = if index < 0 {
        format!("index out of range [{index}]")
    } else {
        format!("index out of range [{index}] with length {len}")
    };
    // SAFETY: the message outlives the call, which never returns.
    unsafe { crate::ffi::g2n_panic_runtime_error(message.as_ptr(), message.len() as i64) }
}
}

rt_export! { STRING_FROM_RUNE =>
/// `string(r)` for an integer `r`: its UTF-8 encoding, or U+FFFD when it is
/// not a valid code point.
///
/// # Safety
/// `out` must be valid for a write of one [`GoString`].
pub unsafe extern "C" fn g2n_string_from_rune(rune: i64, out: *mut GoString) {
    let c = u32::try_from(rune).ok().and_then(char::from_u32).unwrap_or('\u{FFFD}');
    let string = guard(|| leak_string(c.to_string().into_bytes()));
    if !out.is_null() {
        // SAFETY: guaranteed by the caller.
        unsafe { out.write(string) };
    }
}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn println_separates_and_ends_with_newline() {
        let values = [Arg::Int(1), Arg::Str(b"a"), Arg::Bool(true), Arg::Float64(1.5)];
        assert_eq!(format_print(&values, true), b"1 a true +1.500000e+000\n");
        assert_eq!(format_print(&values, false), b"1atrue+1.500000e+000");
    }
}
