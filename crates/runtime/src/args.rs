//! The command line: `os.Args` (Go's `flag`, compiled from source, reads it).

use g2n_abi::GoString;
use std::ffi::{CStr, c_char};
use std::sync::OnceLock;

/// `os.Args` as a Go slice: its backing array lives for the whole run (not
/// in collected memory), so programs may read and write its elements.
struct ArgsSlice {
    ptr: *mut GoString,
    len: usize,
}

// SAFETY: set once at start-up; the runtime runs Go code on one thread.
unsafe impl Send for ArgsSlice {}
unsafe impl Sync for ArgsSlice {}

static ARGS: OnceLock<ArgsSlice> = OnceLock::new();

/// Records the process arguments; called once by the program entry.
///
/// # Safety
/// `argv` must hold `argc` valid C strings (or be null).
pub unsafe fn init(argc: i32, argv: *const *const c_char) {
    let mut strings = Vec::new();
    for index in 0..argc.max(0) as usize {
        // SAFETY: guaranteed by the caller.
        let arg = unsafe { *argv.add(index) };
        if arg.is_null() {
            break;
        }
        // SAFETY: a valid C string, by the caller's guarantee.
        let bytes: &'static [u8] = Box::leak(unsafe { CStr::from_ptr(arg) }.to_bytes().to_vec().into_boxed_slice());
        strings.push(GoString { ptr: bytes.as_ptr(), len: bytes.len() as i64 });
    }
    let len = strings.len();
    let ptr = Box::leak(strings.into_boxed_slice()).as_mut_ptr();
    let _ = ARGS.set(ArgsSlice { ptr, len });
}

/// The executable's file name: `argv[0]` after its last `/`.
pub fn program_name() -> Option<String> {
    let first = args().first()?;
    // SAFETY: recorded by `init` from a C string; lives for the whole run.
    let bytes = unsafe { std::slice::from_raw_parts(first.ptr, first.len.max(0) as usize) };
    let base = bytes.rsplit(|&b| b == b'/').next().unwrap_or(bytes);
    Some(String::from_utf8_lossy(base).into_owned())
}

fn args() -> &'static [GoString] {
    match ARGS.get() {
        // SAFETY: `ptr` holds `len` strings for the whole run.
        Some(a) if a.len > 0 => unsafe { std::slice::from_raw_parts(a.ptr, a.len) },
        _ => &[],
    }
}

/// Writes `os.Args` as a slice to `out` (`os.runtime_args`).
///
/// # Safety
/// `out` must be valid for three `u64` writes (a slice).
pub unsafe fn write_args(out: *mut [u64; 3]) {
    let (ptr, len) = ARGS.get().map_or((std::ptr::null_mut(), 0), |a| (a.ptr, a.len));
    // SAFETY: guaranteed by the caller.
    unsafe { out.write([ptr as u64, len as u64, len as u64]) };
}

