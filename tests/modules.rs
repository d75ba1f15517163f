//! A program of a Go module (a directory with go.mod) imports the module's
//! own packages, as `go run .` and `go build` accept: `g2n run`, `build`,
//! `split` and `test ./...` resolve them from go.mod's `module` line.
//! `tests/modules/app.stdout` is what real Go prints for `tests/modules/app`
//! without its goToNetwork statements, `plain.stdout` for its program
//! `cmd/plain` (`tests/modules/regenerate.sh`): every
//! way of running it, split at its hops or not, must print that (the split
//! law, with package-level state in the module's packages).

#[path = "support/files.rs"]
mod files;

use files::copy_dir;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

fn modules() -> PathBuf {
    repo_root().join("tests/modules")
}

/// Runs g2n in `dir`: stdout, stderr, exit code.
fn g2n(dir: &Path, args: &[&str]) -> (String, String, i32) {
    let output = Command::new(env!("CARGO_BIN_EXE_g2n"))
        .current_dir(dir)
        .args(args)
        .env_remove("G2N_RUNTIME")
        .env("G2N_SPLIT_PASSWORD", "module-test-secret")
        .output()
        .expect("run g2n");
    (String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned(), output.status.code().unwrap_or(-1))
}

fn expected() -> String {
    std::fs::read_to_string(modules().join("app.stdout")).expect("app.stdout from Go")
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("g2n-modules-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn a_module_program_runs_from_its_directory_and_by_path() {
    let app = modules().join("app");
    for (dir, args) in [(repo_root(), ["run", "tests/modules/app"]), (app.clone(), ["run", "."])] {
        let (stdout, stderr, code) = g2n(&dir, &args);
        assert_eq!((code, stdout.as_str()), (0, expected().as_str()), "{args:?} in {}: {stderr}", dir.display());
    }
    // A program in a subdirectory of the module, built as one executable.
    let out = temp_dir("build");
    let exe = out.join("plain");
    let (_, stderr, code) = g2n(&app, &["build", "-o", exe.to_str().unwrap(), "./cmd/plain"]);
    assert_eq!(code, 0, "{stderr}");
    let output = Command::new(&exe).output().expect("run the built program");
    let plain = std::fs::read_to_string(modules().join("plain.stdout")).expect("plain.stdout from Go");
    assert_eq!(String::from_utf8_lossy(&output.stdout), plain);
    let _ = std::fs::remove_dir_all(&out);
}

/// The hops move the flow between processes while the module's packages
/// keep package-level counters: the split program prints what the unsplit
/// one does, in every placement, and so do the configs `g2n split` writes.
#[test]
fn the_split_law_holds_across_the_modules_packages() {
    let app = modules().join("app");
    for args in [
        &["run", "--process-per-service", "."][..],
        &["run", "--split", "per-line", "--hosts", "2", "."],
        &["run", "--split", "per-line", "--process-per-service", "."],
    ] {
        let (stdout, stderr, code) = g2n(&app, args);
        assert_eq!((code, stdout.as_str()), (0, expected().as_str()), "{args:?}: {stderr}");
    }
    let copy = temp_dir("split").join("app");
    copy_dir(&app, &copy);
    let (_, stderr, code) = g2n(&copy, &["split", ".", "-o", "split"]);
    assert_eq!(code, 0, "{stderr}");
    let (stdout, stderr, code) = g2n(&copy, &["run", "--process-per-service", "split"]);
    assert_eq!((code, stdout.as_str()), (0, expected().as_str()), "{stderr}");
    // Outside the module, the configs could not find its packages: refused.
    let outside = copy.parent().unwrap().join("outside");
    let (_, stderr, code) = g2n(&copy, &["split", ".", "-o", outside.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(stderr.contains("the program imports packages of module example.com/app"), "{stderr}");
    let _ = std::fs::remove_dir_all(copy.parent().unwrap());
}

#[test]
fn test_dot_dot_dot_tests_every_package_of_the_module() {
    let (stdout, stderr, code) = g2n(&modules().join("app"), &["test", "./..."]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let lines: Vec<String> = stdout.lines().map(|l| l.split('\t').take(2).collect::<Vec<_>>().join("\t")).collect();
    assert_eq!(lines, ["?   \texample.com/app", "?   \texample.com/app/cmd/plain", "ok  \texample.com/app/greet", "ok  \texample.com/app/greet/words", "?   \texample.com/app/internal/tally"]);
}

/// Each mistake is a diagnostic at the line that makes it, exit code 1.
#[test]
fn module_mistakes_are_diagnostics_at_their_line() {
    let cases = [
        ("cycle", "import cycle not allowed: example.com/cycle/a imports example.com/cycle/b imports example.com/cycle/a", "cycle/b/b.go:3:8"),
        ("missing", "package example.com/missing/nowhere is not in module example.com/missing: there is no directory", "missing/main.go:6:2"),
        ("requires", "go.mod requires module github.com/google/uuid, and g2n does not fetch modules", "requires/go.mod:5:9"),
    ];
    for (dir, message, at) in cases {
        let (_, stderr, code) = g2n(&modules(), &["build", "-o", "/dev/null", dir]);
        assert_eq!(code, 1, "{dir}: {stderr}");
        assert!(squeeze(&stderr).contains(&squeeze(message)), "{dir}: {stderr}");
        assert!(stderr.contains(at), "{dir}: want the span {at}: {stderr}");
    }
    let (_, stderr, _) = g2n(&modules(), &["build", "-o", "/dev/null", "missing"]);
    assert!(squeeze(&stderr).contains(&squeeze(&modules().join("missing/nowhere").display().to_string())), "says where it looked: {stderr}");
}

/// The text without whitespace and the report's margin, which the
/// renderer's line wrapping inserts anywhere in a long message.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace() && *c != '│').collect()
}
