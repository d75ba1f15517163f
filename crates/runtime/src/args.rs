//! The command line: `os.Args` and the `flag` functions that programs
//! without flags of their own use (positional arguments after `Parse`).

use crate::flow::write_output;
use crate::wire::Stream;
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
static POSITIONAL: OnceLock<(usize, bool)> = OnceLock::new();

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

/// Index of the first positional argument once flags are parsed, and
/// whether `Parse` ran.
fn positional_start() -> usize {
    POSITIONAL.get().map_or(1, |p| p.0)
}

rt_export! { stdlib::flag_Parse =>
/// `flag.Parse()` with no flags defined: `--` ends the flags, a `-x` is an
/// error (exit 2, as Go's default `ExitOnError`), anything else starts the
/// positional arguments.
pub extern "C" fn g2n_std_flag_Parse() {
    let args = args();
    let mut start = 1;
    if let Some(first) = args.get(1) {
        // SAFETY: the strings were built by `init`.
        let text = unsafe { std::slice::from_raw_parts(first.ptr, first.len as usize) };
        if text == b"--" {
            start = 2;
        } else if text.len() > 1 && text[0] == b'-' {
            let name = text.trim_start_matches_dash();
            // SAFETY: the strings were built by `init`.
            let program = args.first().map(|s| unsafe { std::slice::from_raw_parts(s.ptr, s.len as usize) }).unwrap_or(b"");
            let mut message = b"flag provided but not defined: -".to_vec();
            message.extend_from_slice(name);
            message.extend_from_slice(b"\nUsage of ");
            message.extend_from_slice(program);
            message.extend_from_slice(b":\n");
            write_output(Stream::Stderr, &message);
            crate::ffi::g2n_exit(2);
        }
    }
    let _ = POSITIONAL.set((start.min(args.len().max(1)), true));
}
}

trait TrimDashes {
    fn trim_start_matches_dash(&self) -> &[u8];
}

impl TrimDashes for [u8] {
    fn trim_start_matches_dash(&self) -> &[u8] {
        let dashes = if self.starts_with(b"--") { 2 } else { 1 };
        let name = &self[dashes.min(self.len())..];
        name.split(|b| *b == b'=').next().unwrap_or(name)
    }
}

rt_export! { stdlib::flag_Parsed =>
pub extern "C" fn g2n_std_flag_Parsed() -> u8 {
    POSITIONAL.get().is_some_and(|p| p.1) as u8
}
}

fn positional() -> &'static [GoString] {
    let args = args();
    &args[positional_start().min(args.len())..]
}

rt_export! { stdlib::flag_Arg =>
/// `flag.Arg(i)`: the i-th positional argument, or "".
pub extern "C" fn g2n_std_flag_Arg(index: i64) -> GoString {
    match usize::try_from(index).ok().and_then(|i| positional().get(i)) {
        Some(s) => GoString { ptr: s.ptr, len: s.len },
        None => GoString { ptr: std::ptr::null(), len: 0 },
    }
}
}

rt_export! { stdlib::flag_NArg =>
pub extern "C" fn g2n_std_flag_NArg() -> i64 {
    positional().len() as i64
}
}

rt_export! { stdlib::flag_NFlag =>
pub extern "C" fn g2n_std_flag_NFlag() -> i64 {
    0
}
}

rt_export! { stdlib::flag_Args =>
/// `flag.Args()`: the positional arguments (sharing `os.Args`' array).
///
/// # Safety
/// `out` must be valid for three `u64` writes (a slice).
pub unsafe extern "C" fn g2n_std_flag_Args(out: *mut [u64; 3]) {
    let rest = positional();
    let len = rest.len() as u64;
    // SAFETY: guaranteed by the caller.
    unsafe { out.write([rest.as_ptr() as u64, len, len]) };
}
}
