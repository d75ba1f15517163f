//! Go's builtin `print`/`println`, index panics and `string(rune)`: runtime
//! entry points named in `g2n_abi::symbols`.

use crate::ffi::{args, guard, leak_string};
use crate::flow::write_output;
use crate::fmt::{self as gofmt, Arg};
use crate::wire::Stream;
use g2n_abi::{GoAny, GoString};

/// Go's `print` formatting of one value (runtime/print.go), not fmt's.
fn print_value(out: &mut Vec<u8>, arg: &Arg) {
    match arg {
        Arg::Nil => out.extend_from_slice(b"(0x0,0x0)"),
        Arg::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Arg::Int(n) => out.extend_from_slice(n.to_string().as_bytes()),
        Arg::Sized { raw, signed: true, .. } => out.extend_from_slice((*raw as i64).to_string().as_bytes()),
        Arg::Sized { raw, signed: false, .. } => out.extend_from_slice(raw.to_string().as_bytes()),
        Arg::Float64(f) => out.extend_from_slice(&gofmt::runtime_print_float(*f)),
        Arg::Str(s) => out.extend_from_slice(s),
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

/// # Safety
/// `values` must point to `nargs` valid [`GoAny`] values.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn g2n_builtin_print(values: *const GoAny, nargs: i64, newline: u8) {
    // SAFETY: guaranteed by the caller (the ABI).
    let values = unsafe { args(values, nargs) };
    guard(|| write_output(Stream::Stderr, &format_print(&values, newline != 0)));
}

/// `index out of range [index] with length len`.
#[unsafe(no_mangle)]
pub extern "C" fn g2n_panic_index(index: i64, len: i64) -> ! {
    let message = format!("index out of range [{index}] with length {len}");
    // SAFETY: the message outlives the call, which never returns.
    unsafe { crate::ffi::g2n_panic_runtime_error(message.as_ptr(), message.len() as i64) }
}

/// `string(r)` for an integer `r`: its UTF-8 encoding, or U+FFFD when it is
/// not a valid code point.
///
/// # Safety
/// `out` must be valid for a write of one [`GoString`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn g2n_string_from_rune(rune: i64, out: *mut GoString) {
    let c = u32::try_from(rune).ok().and_then(char::from_u32).unwrap_or('\u{FFFD}');
    let string = guard(|| leak_string(c.to_string().into_bytes()));
    if !out.is_null() {
        // SAFETY: guaranteed by the caller.
        unsafe { out.write(string) };
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
