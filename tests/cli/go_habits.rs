//! Issue 20: what a Go programmer types on the first day works as `go run`
//! and `go build` would have it. Expected outputs of programs come from Go
//! 1.19 (`tests/cli/program/regenerate.sh`).

use super::{g2n, repo_root, temp_dir, text};
use std::path::Path;

const GREETER: &str = "tests/cli/program/greeter";

fn expected(name: &str) -> (String, i32) {
    let root = repo_root().join("tests/cli/program");
    let stdout = std::fs::read_to_string(root.join(format!("{name}.stdout"))).expect("expected stdout");
    let code = std::fs::read_to_string(root.join(format!("{name}.exitcode"))).expect("expected exit code");
    (stdout, code.trim().parse().expect("exit code number"))
}

/// `g2n run DIR`, `g2n run .` and `g2n run a.go b.go`: the Go files of a
/// directory (its `_test.go` left out) or on the command line are one
/// program, whose package-level names and initialisation span the files.
#[test]
fn several_go_files_are_one_program() {
    let (stdout, code) = expected("greeter");
    let runs: [(&[&str], &Path); 3] = [
        (&["run", GREETER], Path::new("")),
        (&["run", "."], Path::new(GREETER)),
        (&["run", "main.go", "util.go"], Path::new(GREETER)),
    ];
    for (args, dir) in runs {
        let output = g2n().current_dir(repo_root().join(dir)).args(args).output().expect("run g2n");
        assert_eq!(text(&output.stdout), stdout, "{args:?}: stderr {}", text(&output.stderr));
        assert_eq!(output.status.code(), Some(code), "{args:?}");
    }
}

/// The program of a directory is named after it, as `go build` names its
/// executable; of several files, after the first.
#[test]
fn a_program_of_several_files_is_named_after_its_directory_or_first_file() {
    let output = g2n().args(["check", "--emit", "plan", GREETER]).output().expect("run g2n");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(text(&output.stdout).starts_with("mesh: 1 nanoservice(s), flows start at greeter\n"), "{}", text(&output.stdout));
    let output = g2n().current_dir(repo_root().join(GREETER)).args(["check", "--emit", "plan", "util.go", "main.go"]).output().expect("run g2n");
    assert!(text(&output.stdout).starts_with("mesh: 1 nanoservice(s), flows start at util\n"), "{}", text(&output.stdout));
}

/// An input that is neither Go nor a config is refused by name, by `check`
/// and `run` alike; so is a test file given explicitly.
#[test]
fn inputs_with_other_extensions_are_refused_by_name() {
    let dir = temp_dir("extension");
    std::fs::write(dir.join("loop.txt"), "package main\nfunc main() {}\n").expect("write");
    std::fs::write(dir.join("x_test.go"), "package main\nfunc main() {}\n").expect("write");
    for args in [["check", "loop.txt"], ["run", "loop.txt"], ["build", "loop.txt"]] {
        let output = g2n().current_dir(&dir).args(args).output().expect("run g2n");
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert_eq!(
            text(&output.stderr),
            "error: loop.txt: not an input g2n reads: Go files end in .go or .g2n, nanoservice configs in .yaml or .yml\n",
            "{args:?}"
        );
    }
    for args in [["check", "x_test.go"], ["run", "x_test.go"]] {
        let output = g2n().current_dir(&dir).args(args).output().expect("run g2n");
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert!(text(&output.stderr).contains("x_test.go: test files (_test.go) are not part of a program"), "{}", text(&output.stderr));
    }
    let _ = std::fs::remove_dir_all(&dir);
}
