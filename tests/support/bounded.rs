//! Runs of a command bounded in time, shared by the tests through `#[path]`:
//! every process a test starts ends, by itself or killed at its limit.

use std::borrow::BorrowMut;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs `command` to its end (stdin empty, stdout and stderr captured);
/// past `limit` it is killed and the test fails, showing what it printed.
pub fn output_within(mut command: impl BorrowMut<Command>, limit: Duration) -> Output {
    let command = command.borrow_mut();
    let program = command.get_program().to_string_lossy().into_owned();
    let mut child = command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap_or_else(|e| panic!("start {program}: {e}"));
    let started = Instant::now();
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            return child.wait_with_output().expect("output");
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().expect("output");
            panic!(
                "{program} did not finish within {limit:?}; stdout:\n{}\nstderr:\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
