//! The runtime side of g2n's `testing` package (stdlib/testing): what Go's
//! testing gets from its runtime and from `os` (Goexit, the monotonic clock,
//! the caller's line, temporary directories, an example's output).

use crate::ffi::{bytes, go_string_from, guard};
use g2n_abi::GoString;

fn text<'a>(ptr: *const u8, len: i64) -> &'a str {
    // SAFETY: generated code passes valid strings.
    std::str::from_utf8(unsafe { bytes(ptr, len) }).unwrap_or("")
}

rt_export! { stdlib::testing_goexit =>
/// `runtime.Goexit` for `FailNow` and `SkipNow` (see `defer::goexit`).
pub extern "C" fn g2n_std_testing_goexit() {
    crate::defer::goexit()
}
}

rt_export! { stdlib::testing_nanotime =>
/// Nanoseconds on the runtime's one monotonic clock (time's, `sema`), for
/// the durations `--- PASS: TestX (0.01s)` reports.
pub extern "C" fn g2n_std_testing_nanotime() -> i64 {
    crate::sema::nanotime()
}
}

rt_export! { stdlib::testing_callers =>
/// The frames of generated code on the stack, innermost first, one a line:
/// `function\tfile\tline\n`.
pub extern "C" fn g2n_std_testing_callers() -> GoString {
    guard(|| {
        let mut out = String::new();
        for (name, file, line) in crate::traceback::current_frames() {
            out.push_str(&format!("{name}\t{file}\t{line}\n"));
        }
        go_string_from(out.as_bytes())
    })
}
}

rt_export! { stdlib::testing_mkdirTemp =>
/// A new directory under the system's temporary directory, named after
/// `prefix` and a counter (Go's `os.MkdirTemp`); "" when none can be made.
pub extern "C" fn g2n_std_testing_mkdirTemp(prefix: *const u8, prefix_len: i64) -> GoString {
    let prefix = text(prefix, prefix_len);
    guard(|| {
        let base = std::env::temp_dir();
        for attempt in 0..10_000u32 {
            let dir = base.join(format!("{prefix}{}{attempt:03}", std::process::id()));
            match std::fs::create_dir(&dir) {
                Ok(()) => return go_string_from(dir.as_os_str().as_encoded_bytes()),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(_) => break,
            }
        }
        go_string_from(b"")
    })
}
}

rt_export! { stdlib::testing_removeAll =>
/// Removes a directory `TempDir` made, with everything in it.
pub extern "C" fn g2n_std_testing_removeAll(path: *const u8, path_len: i64) {
    let path = text(path, path_len);
    if !path.is_empty() {
        guard(|| {
            let _ = std::fs::remove_dir_all(path);
        })
    }
}
}

rt_export! { stdlib::testing_mkdir =>
pub extern "C" fn g2n_std_testing_mkdir(path: *const u8, path_len: i64) -> u8 {
    let path = text(path, path_len);
    guard(|| !path.is_empty() && std::fs::create_dir(path).is_ok()) as u8
}
}

thread_local! {
    /// An example's standard output while it runs (see [`captured`]).
    static CAPTURE: std::cell::RefCell<Option<Vec<u8>>> = const { std::cell::RefCell::new(None) };
}

/// Takes `bytes` written to standard output when an example's output is
/// being captured on this thread, and reports whether it did.
pub(crate) fn captured(bytes: &[u8]) -> bool {
    CAPTURE.with(|capture| match capture.borrow_mut().as_mut() {
        Some(buffer) => {
            buffer.extend_from_slice(bytes);
            true
        }
        None => false,
    })
}

rt_export! { stdlib::testing_captureStart =>
/// Standard output goes to a buffer until [`g2n_std_testing_captureEnd`]
/// (Go's testing points os.Stdout at a pipe instead).
pub extern "C" fn g2n_std_testing_captureStart() {
    CAPTURE.with(|capture| *capture.borrow_mut() = Some(Vec::new()));
}
}

rt_export! { stdlib::testing_captureEnd =>
/// What was written to standard output since `captureStart`; output goes
/// to standard output again.
pub extern "C" fn g2n_std_testing_captureEnd() -> GoString {
    let bytes = CAPTURE.with(|capture| capture.borrow_mut().take()).unwrap_or_default();
    guard(|| go_string_from(&bytes))
}
}
