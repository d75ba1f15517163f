//! `sync`, `sync/atomic` and `time` (g2n's own, bound to the scheduler):
//! what `tests/cli/run` cannot check, since it compares stdout and the exit
//! code only: Go's stderr for misuse and deadlocks, and timing bounds that
//! show a sleeping goroutine parks rather than blocks the thread. The
//! expected outputs of the programs themselves are `go run`'s, under
//! `tests/cli/run`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_g2n"))
        .current_dir(repo_root())
        .env_remove("G2N_RUNTIME")
        .args(args)
        .output()
        .expect("run g2n")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Go's first stderr lines (and the state of goroutine 1) for sync's misuse
/// and for a deadlock on a Mutex or a WaitGroup.
#[test]
fn sync_misuse_and_deadlocks_print_what_go_prints() {
    for (program, first_line, goroutine) in [
        ("sync_unlock_of_unlocked.go", "fatal error: sync: unlock of unlocked mutex", "goroutine 1 [running]:"),
        ("sync_negative_waitgroup.go", "panic: sync: negative WaitGroup counter", "goroutine 1 [running]:"),
        ("sync_deadlock_mutex.go", "fatal error: all goroutines are asleep - deadlock!", "goroutine 1 [semacquire]:"),
        ("sync_deadlock_waitgroup.go", "fatal error: all goroutines are asleep - deadlock!", "goroutine 1 [semacquire]:"),
    ] {
        let path = format!("tests/cli/run/{program}");
        let output = run(&["run", &path]);
        let stderr = text(&output.stderr);
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.first(), Some(&first_line), "{program}: stderr\n{stderr}");
        assert_eq!(lines.get(2), Some(&goroutine), "{program}: stderr\n{stderr}");
        assert_eq!(output.status.code(), Some(2), "{program}");
    }
}

/// A stopped timer leaves nothing to wait for: waiting on its channel is
/// the deadlock error, with Go's state for goroutine 1.
#[test]
fn waiting_on_a_stopped_timer_is_a_deadlock() {
    let output = run(&["run", "tests/cli/run/time_deadlock_stopped_timer.go"]);
    let stderr = text(&output.stderr);
    assert!(stderr.starts_with("fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [chan receive]:\n"), "{stderr}");
    assert_eq!(output.status.code(), Some(2));
}

/// What cannot follow a flow to another process is refused at the hop with
/// the reason, exit code 1 (docs/split.md, "sync and time at a hop"); a
/// stopped timer, a locked Mutex and a WaitGroup's count travel
/// (tests/split/sync_time_hops.go). Inside one process the flow goes on
/// beside the timer and the goroutine (tests/split/shared).
#[test]
fn a_running_timer_or_a_goroutine_blocked_in_sync_refuses_the_hop() {
    for (program, reason) in [
        ("running_timer.go", "goToNetwork 'other': 1 timer is still running"),
        ("blocked_on_mutex.go", "goToNetwork 'other': 1 goroutine is blocked in sync"),
    ] {
        let path = format!("tests/split/refused/{program}");
        let output = run(&["run", "--process-per-service", &path]);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{program}: {stderr}");
        assert!(stderr.contains(reason), "{program}: {stderr}");
        assert_eq!(text(&output.stdout), "", "{program}");
    }
}
