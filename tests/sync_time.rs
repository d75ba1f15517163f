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
