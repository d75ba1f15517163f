//! What a Go programmer meets in the first hour with g2n, as a Unix tool and
//! as `go` would have it: g2n and the programs it builds on a closed pipe.

use super::{g2n, repo_root, text};
use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, Stdio};

/// Starts g2n with `args`, its stdout (`stdout: true`) or its stderr a pipe
/// whose reader is closed before g2n starts, as `g2n ... | head -1` leaves it
/// once head has its line; the other stream is captured. (Closing the reader
/// after the start raced: under load g2n could write its few bytes into the
/// pipe and exit 0 before the reader was dropped.)
fn with_closed_pipe(args: &[&str], stdout: bool) -> Child {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let mut command = g2n();
    command.args(args).stdin(Stdio::null());
    if stdout {
        command.stdout(writer).stderr(Stdio::piped());
    } else {
        command.stdout(Stdio::piped()).stderr(writer);
    }
    command.spawn().expect("run g2n")
}

/// g2n stops by SIGPIPE (the shell shows 141), as `cat` or `go` do, where
/// it used to panic (exit 101) on a print to a closed pipe.
#[test]
fn g2n_stops_by_sigpipe_when_its_reader_is_gone() {
    let dir = super::temp_dir("closed-pipe");
    let broken = dir.join("broken.go");
    std::fs::write(&broken, "package main\n\nfunc main() {\n\ta := 1\n\tb := 2\n}\n").expect("write");
    let cases: [(&[&str], bool); 3] = [
        (&["check", "--emit", "hir", "tests/cli/program/greeter"], true),
        (&["version"], true),
        (&["check", broken.to_str().unwrap()], false),
    ];
    for (args, stdout) in cases {
        let output = with_closed_pipe(args, stdout).wait_with_output().expect("wait for g2n");
        let other = if stdout { text(&output.stderr) } else { text(&output.stdout) };
        assert_eq!(output.status.signal(), Some(libc::SIGPIPE), "{args:?}: {:?} {other}", output.status);
        assert!(!other.contains("panicked"), "{args:?}: {other}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A program writing to a pipe whose reader is gone gets EPIPE from the
/// write (`write |1: broken pipe`), and dies of SIGPIPE when the pipe is its
/// standard output, as the same program built by Go 1.19 does (measured:
/// exit status 141, that one line on stderr, not `survived`); `g2n run`
/// reports the signal as a shell does, 128 + 13.
#[test]
fn programs_die_of_sigpipe_on_a_closed_stdout_as_go_programs_do() {
    let output = with_closed_pipe(&["run", "tests/cli/program/closed_pipe"], true).wait_with_output().expect("wait for g2n");
    assert_eq!(text(&output.stderr), "write to closed pipe: write |1: broken pipe\n");
    assert_eq!(output.status.code(), Some(128 + libc::SIGPIPE));
    // With its output read, it runs to the end, as under `go run`.
    let output = g2n().current_dir(repo_root()).args(["run", "tests/cli/program/closed_pipe"]).output().expect("run g2n");
    let stdout = std::fs::read_to_string(repo_root().join("tests/cli/program/closed_pipe.stdout")).expect("expected stdout");
    assert_eq!((text(&output.stdout), output.status.code()), (stdout, Some(0)));
    assert_eq!(text(&output.stderr), "write to closed pipe: write |1: broken pipe\nsurvived\n");
}

/// fmt.Scanln, fmt.Scanf and fmt.Scan read standard input as Go's do (one
/// byte at a time, so each takes only what it scans), with Go's results and
/// errors (`tests/cli/program/scan_stdin`, expected output from Go 1.19).
#[test]
fn scanning_standard_input_reads_what_go_reads() {
    let root = repo_root().join("tests/cli/program");
    let input = std::fs::read(root.join("scan_stdin.stdin")).expect("input");
    let want = std::fs::read_to_string(root.join("scan_stdin.stdout")).expect("expected stdout");
    let mut child = g2n()
        .args(["run", "tests/cli/program/scan_stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run g2n");
    child.stdin.take().expect("stdin").write_all(&input).expect("write input");
    let output = child.wait_with_output().expect("wait for g2n");
    assert_eq!((text(&output.stdout), output.status.code()), (want, Some(0)), "{}", text(&output.stderr));
}

/// `g2n build .`, `g2n build ./cmd/plain` without `-o`: one executable in
/// the current directory named after the package, as `go build` writes it
/// (`plain`, and for a module's root package the module path's last
/// element); it prints what Go's build prints (tests/modules/plain.stdout,
/// from Go 1.19). A program that hops stays a folder per nanoservice in
/// `out/`, and a directory in the executable's way is an error, as in go.
#[test]
fn building_a_directory_writes_one_executable_named_after_the_package() {
    let dir = super::temp_dir("build-package");
    super::files::copy_dir(&repo_root().join("tests/modules/app"), &dir);
    let plain = std::fs::read_to_string(repo_root().join("tests/modules/plain.stdout")).expect("plain.stdout from Go");
    let output = g2n().current_dir(&dir).args(["build", "./cmd/plain"]).output().expect("run g2n");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let run = std::process::Command::new(dir.join("plain")).output().expect("run the executable");
    assert_eq!(text(&run.stdout), plain);
    assert!(!dir.join("out").exists(), "no out/ for a package");
    // The module's root package hops: its nanoservices go to out/.
    let output = g2n().current_dir(&dir).args(["build", "."]).output().expect("run g2n");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(dir.join("out/mesh.yaml").is_file() && !dir.join("app").exists());
    // Without hops, it is the executable `app`, as the module path ends.
    let main = std::fs::read_to_string(dir.join("main.go")).expect("main.go");
    let no_hops: String = main.lines().filter(|l| !l.trim_start().starts_with("goToNetwork ")).map(|l| format!("{l}\n")).collect();
    std::fs::write(dir.join("main.go"), no_hops).expect("write main.go");
    let output = g2n().current_dir(&dir).args(["build", "."]).output().expect("run g2n");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let run = std::process::Command::new(dir.join("app")).output().expect("run the executable");
    let expected = std::fs::read_to_string(repo_root().join("tests/modules/app.stdout")).expect("app.stdout from Go");
    assert_eq!(text(&run.stdout), expected);
    // A directory where the executable would go.
    std::fs::remove_file(dir.join("plain")).expect("remove plain");
    std::fs::create_dir(dir.join("plain")).expect("mkdir plain");
    let output = g2n().current_dir(&dir).args(["build", "./cmd/plain"]).env("NO_COLOR", "1").output().expect("run g2n");
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("build output \"plain\" already exists and is a directory"), "{}", text(&output.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}
