//! Runs of a command, or waits for a started process, bounded in time,
//! shared by the tests through `#[path]`: every process a test starts
//! ends, by itself or killed at its limit.

// Each test uses some of these.
#![allow(dead_code)]

use std::borrow::BorrowMut;
use std::process::{Child, Command, Output, Stdio};
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

/// Waits for a started `child` to end; past `limit` it is killed and the
/// test fails, showing what it printed (its stdout and stderr, if piped).
pub fn wait_within(mut child: Child, limit: Duration) -> Output {
    let started = Instant::now();
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            return child.wait_with_output().expect("output");
        }
        if started.elapsed() > limit {
            let pid = child.id();
            let _ = child.kill();
            let out = child.wait_with_output().expect("output");
            panic!(
                "process {pid} did not finish within {limit:?}; stdout:\n{}\nstderr:\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Waits for a started `child` to end; past `limit` it is killed and
/// None returned, for a test that says itself what was late. Its output is
/// not read then: a process it started (`ip netns exec`'s child, a host)
/// may still hold the pipes open.
pub fn finish_within(mut child: Child, limit: Duration) -> Option<Output> {
    let started = Instant::now();
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            return child.wait_with_output().ok();
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}
