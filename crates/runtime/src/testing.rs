//! The runtime side of g2n's `testing` package (stdlib/testing): what Go's
//! testing gets from its runtime (Goexit, the monotonic clock, the caller's
//! line, an example's output). Temporary directories come from Go's `os`.

use crate::ffi::{go_string_from, guard};
use g2n_abi::GoString;

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
