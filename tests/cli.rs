//! End-to-end tests of the `g2n` command: the seed mesh, authentication,
//! manifests, diagnostics and plain Go programs, each checked against golden
//! files under `tests/cli/`. `G2N_BLESS=1` rewrites the goldens.
//!
//! Expected program outputs (`tests/cli/run/*.stdout`) were produced by the
//! real Go toolchain (`go run`), never written by hand.

// Skipped checks and the measured peak memory are reported on the test's
// output for whoever reads the log.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn g2n() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_g2n"));
    command.current_dir(repo_root());
    command.env_remove("G2N_RUNTIME");
    command
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

pub(crate) fn seed(name: &str) -> String {
    format!("examples/hello-world/{name}")
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("g2n-test-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Compares `actual` with the golden file, or rewrites it under `G2N_BLESS=1`.
fn assert_golden(golden: &Path, actual: &str) {
    if std::env::var_os("G2N_BLESS").is_some() {
        std::fs::create_dir_all(golden.parent().expect("parent")).expect("golden dir");
        std::fs::write(golden, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(golden)
        .unwrap_or_else(|_| panic!("missing golden {}; run with G2N_BLESS=1 to create it", golden.display()));
    if expected != actual {
        let diff = similar::TextDiff::from_lines(expected.as_str(), actual);
        panic!(
            "{} differs (G2N_BLESS=1 rewrites it):\n{}",
            golden.display(),
            diff.unified_diff().header("expected", "actual")
        );
    }
}

#[test]
fn seed_mesh_runs_and_prints_hello_world() {
    let output = g2n().args(["run", &seed("hello.yaml"), &seed("print-hello-world.yaml")]).output().expect("run g2n");
    assert_eq!(text(&output.stdout), "Hello World!", "stderr: {}", text(&output.stderr));
    assert_eq!(output.status.code(), Some(0), "stderr: {}", text(&output.stderr));
}

/// The brief requires the seed mesh to work where the only interface is
/// loopback. Needs permission to create a network namespace (root in CI).
#[test]
fn seed_mesh_runs_in_a_loopback_only_network_namespace() {
    let permitted = Command::new("unshare").args(["-n", "true"]).status().is_ok_and(|s| s.success());
    let has_ip = Command::new("ip").arg("-V").output().is_ok_and(|o| o.status.success());
    if !permitted || !has_ip {
        eprintln!("skipped: `unshare -n` or `ip` is not available here");
        return;
    }
    let script = format!(
        "ip link set lo up && exec {} run {} {}",
        env!("CARGO_BIN_EXE_g2n"),
        seed("hello.yaml"),
        seed("print-hello-world.yaml")
    );
    let output = Command::new("unshare")
        .args(["-n", "sh", "-c", &script])
        .current_dir(repo_root())
        .env_remove("G2N_RUNTIME")
        .output()
        .expect("run unshare");
    assert_eq!(text(&output.stdout), "Hello World!", "stderr: {}", text(&output.stderr));
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn seed_mesh_checks_clean_except_for_the_password_warning() {
    let output = g2n().args(["check", &seed("hello.yaml"), &seed("print-hello-world.yaml")]).output().expect("run g2n");
    assert_eq!(output.status.code(), Some(0), "stderr: {}", text(&output.stderr));
    assert!(text(&output.stdout).is_empty());
    // Issue 20: once, on one line, saying what to do (the README shows it).
    assert_eq!(text(&output.stderr), SEED_PASSWORD_WARNING);
    let run = g2n().args(["run", &seed("hello.yaml"), &seed("print-hello-world.yaml")]).output().expect("run g2n");
    assert_eq!(text(&run.stderr), SEED_PASSWORD_WARNING);
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README");
    assert!(readme.contains(SEED_PASSWORD_WARNING), "the README shows the warning as printed");
}

const SEED_PASSWORD_WARNING: &str = "warning: examples/hello-world/hello.yaml:11:19: the password for `print-hello-world` is in plain text: write `password_env: NAME` instead and export NAME=<password> where the caller runs\n";

/// Replaces values that depend on the machine or on the runtime's build.
fn redact_manifest(manifest: &str) -> String {
    manifest
        .lines()
        .map(|line| match line.find("sha256:") {
            Some(at) if line.contains("sha256") && !line.trim_start().starts_with("content_hash") => {
                format!("{}sha256:<redacted>", &line[..at])
            }
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn build_writes_manifests_for_the_seed() {
    let out = temp_dir("build");
    let output = g2n()
        .args(["build", &seed("hello.yaml"), &seed("print-hello-world.yaml"), "-o"])
        .arg(&out)
        .output()
        .expect("run g2n");
    assert_eq!(output.status.code(), Some(0), "stderr: {}", text(&output.stderr));
    for (file, golden) in [
        ("mesh.yaml", "mesh.yaml"),
        ("hello/manifest.yaml", "hello.manifest.yaml"),
        ("print-hello-world/manifest.yaml", "print-hello-world.manifest.yaml"),
    ] {
        let manifest = std::fs::read_to_string(out.join(file)).unwrap_or_else(|_| panic!("{file} written"));
        let value = g2n_manifest::manifest::yaml_to_json(&manifest).expect("manifest parses");
        let valid = if file == "mesh.yaml" {
            g2n_manifest::manifest::validate_mesh(&value)
        } else {
            g2n_manifest::manifest::validate_unit(&value)
        };
        assert_eq!(valid, Ok(()), "{file} must validate against its JSON Schema");
        assert_golden(&repo_root().join("tests/cli/snapshots").join(golden), &redact_manifest(&manifest));
    }
    for unit in ["hello", "print-hello-world"] {
        assert!(out.join(unit).join(format!("{unit}.o")).is_file(), "object of {unit}");
        assert!(out.join(unit).join(unit).is_file(), "executable of {unit}");
    }
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn builds_are_reproducible() {
    let (a, b) = (temp_dir("repro-a"), temp_dir("repro-b"));
    for out in [&a, &b] {
        let status = g2n()
            .args(["build", &seed("hello.yaml"), &seed("print-hello-world.yaml"), "-o"])
            .arg(out)
            .stderr(Stdio::null())
            .status()
            .expect("run g2n");
        assert!(status.success());
    }
    for file in ["mesh.yaml", "hello/manifest.yaml", "hello/hello.o", "print-hello-world/print-hello-world.o"] {
        let (x, y) = (std::fs::read(a.join(file)).expect("a"), std::fs::read(b.join(file)).expect("b"));
        assert!(x == y, "{file} differs between two builds");
    }
    let _ = std::fs::remove_dir_all(&a);
    let _ = std::fs::remove_dir_all(&b);
}

/// Starts a built `print-hello-world` that accepts `monkey`, then hands it the
/// flow with a wrong password (refused, logged, service still up) and with the
/// right one (completes).
#[test]
fn wrong_password_is_refused_and_the_service_keeps_serving() {
    let out = temp_dir("auth");
    let status = g2n()
        .args(["build", &seed("hello.yaml"), &seed("print-hello-world.yaml"), "-o"])
        .arg(&out)
        .stderr(Stdio::null())
        .status()
        .expect("run g2n");
    assert!(status.success());

    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let addr = format!("127.0.0.1:{port}");
    let ready = out.join("service.ready");
    let service_config = out.join("service.json");
    std::fs::write(
        &service_config,
        format!(
            r#"{{"role":"serve","listen":"{addr}","ready_file":{ready:?},"accept":[{{"username":"hello-world-practice","password":"monkey"}}]}}"#
        ),
    )
    .expect("config");
    let service_log = std::fs::File::create(out.join("service.log")).expect("log");
    let mut service = Command::new(out.join("print-hello-world/print-hello-world"))
        .env("G2N_RUNTIME", &service_config)
        .stdout(Stdio::null())
        .stderr(service_log)
        .spawn()
        .expect("start service");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !ready.is_file() {
        assert!(Instant::now() < deadline, "service never became ready");
        std::thread::sleep(Duration::from_millis(10));
    }

    let origin = |password: &str| -> Output {
        let config = out.join(format!("origin-{password}.json"));
        std::fs::write(
            &config,
            format!(
                r#"{{"role":"origin","handoff_deadline_ms":5000,"routes":{{"print-hello-world":{{"addr":"{addr}","username":"hello-world-practice","password":"{password}"}}}}}}"#
            ),
        )
        .expect("config");
        Command::new(out.join("hello/hello")).env("G2N_RUNTIME", &config).output().expect("run origin")
    };

    let refused = origin("not-the-password");
    assert_ne!(refused.status.code(), Some(0), "a wrong password must not complete the flow");
    assert_eq!(text(&refused.stdout), "");
    assert!(text(&refused.stderr).contains("refused"), "origin stderr: {}", text(&refused.stderr));

    let accepted = origin("monkey");
    assert_eq!(text(&accepted.stdout), "Hello World!", "origin stderr: {}", text(&accepted.stderr));
    assert_eq!(accepted.status.code(), Some(0));

    let _ = service.kill();
    let _ = service.wait();
    let log = std::fs::read_to_string(out.join("service.log")).expect("service log");
    assert!(log.contains("authentication failed"), "service log: {log}");
    let _ = std::fs::remove_dir_all(&out);
}

/// Every `tests/cli/errors/NAME/` holds inputs; the rendered diagnostics and
/// the exit code must match `tests/cli/errors/NAME.stderr`.
/// `g2n check --emit hir|plan` prints what the libraries' text forms
/// return, so its output is the crates' goldens (crates/sema/test_data,
/// crates/split/test_data) behind a header; on a rejected program it prints
/// diagnostics only.
#[test]
fn check_emits_the_text_forms_of_the_goldens() {
    let read = |path: &str| std::fs::read_to_string(repo_root().join(path)).expect("golden");
    let output = g2n().args(["check", "--emit", "hir", "crates/sema/test_data/control.go"]).output().expect("run g2n");
    assert_eq!(output.status.code(), Some(0), "stderr: {}", text(&output.stderr));
    assert_eq!(text(&output.stdout), format!("; hir of control\n{}", read("crates/sema/test_data/control.hir")));

    let output = g2n().args(["check", "--emit", "plan", "crates/split/test_data/straight.go"]).output().expect("run g2n");
    assert_eq!(output.status.code(), Some(0), "stderr: {}", text(&output.stderr));
    assert_eq!(text(&output.stdout), read("crates/split/test_data/straight.plan"));

    // A split program's nanoservices share one program: its HIR once, then the plan.
    let output =
        g2n().args(["check", "--emit", "hir", "--emit", "plan", "crates/split/test_data/straight.go"]).output().expect("run g2n");
    let stdout = text(&output.stdout);
    assert_eq!(stdout.matches("; hir of ").count(), 1, "{stdout}");
    assert!(stdout.starts_with("; hir of straight (the whole program, shared by every nanoservice)\n"), "{stdout}");
    assert!(stdout.ends_with(&format!("\n{}", read("crates/split/test_data/straight.plan"))), "{stdout}");

    let output = g2n().args(["check", "--emit", "hir", "tests/cli/errors/type-mismatch/main.go"]).output().expect("run g2n");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout), "");
    assert!(text(&output.stderr).contains("cannot use"), "{}", text(&output.stderr));
}

#[test]
fn diagnostics_match_goldens() {
    let root = repo_root().join("tests/cli/errors");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root).expect("errors dir").flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    cases.sort();
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    for case in cases {
        let mut inputs: Vec<PathBuf> = std::fs::read_dir(&case).expect("case").flatten().map(|e| e.path()).collect();
        inputs.sort();
        let relative: Vec<String> =
            inputs.iter().map(|p| p.strip_prefix(repo_root()).expect("inside repo").display().to_string()).collect();
        let output = g2n().arg("check").args(&relative).env("NO_COLOR", "1").output().expect("run g2n");
        let rendered = format!("exit code: {:?}\n{}", output.status.code(), text(&output.stderr));
        assert_eq!(output.status.code(), Some(1), "{} should fail: {rendered}", case.display());
        let golden = case.with_extension("stderr");
        if let Err(panic) = std::panic::catch_unwind(|| assert_golden(&golden, &rendered)) {
            failures.push(panic.downcast_ref::<String>().cloned().unwrap_or_default());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every `tests/cli/run/NAME.go` runs under `g2n run` with the stdout and exit
/// code that `go run` produced (`NAME.stdout`, `NAME.exitcode`).
#[test]
fn programs_print_what_go_prints() {
    let root = repo_root().join("tests/cli/run");
    let mut programs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("run dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "go"))
        .collect();
    programs.sort();
    assert!(!programs.is_empty());
    let mut failures = Vec::new();
    for program in &programs {
        let expected_stdout = std::fs::read_to_string(program.with_extension("stdout")).expect("expected stdout");
        let expected_code: i32 = std::fs::read_to_string(program.with_extension("exitcode"))
            .expect("expected exit code")
            .trim()
            .parse()
            .expect("exit code number");
        let output = g2n().arg("run").arg(program).output().expect("run g2n");
        let stdout = text(&output.stdout);
        if stdout != expected_stdout || output.status.code() != Some(expected_code) {
            failures.push(format!(
                "{}: exit {:?} (want {expected_code})\n--- stdout\n{stdout}\n--- want\n{expected_stdout}\n--- stderr\n{}",
                program.display(),
                output.status.code(),
                text(&output.stderr)
            ));
        }
    }
    println!("{} passed, {} failed", programs.len() - failures.len(), failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every `tests/cli/panics/NAME.go` runs once per case of its `// cases:`
/// line (the case is its last argument) with the stdout, the panic lines
/// of stderr (up to the first empty line, before the traceback) and the
/// exit code that Go printed (`NAME.expected`, `regenerate.sh`).
#[test]
fn panics_print_what_go_prints() {
    let root = repo_root().join("tests/cli/panics");
    let mut programs: Vec<PathBuf> =
        std::fs::read_dir(&root).expect("panics dir").flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "go")).collect();
    programs.sort();
    assert!(!programs.is_empty());
    for program in &programs {
        let source = std::fs::read_to_string(program).expect("program");
        let cases: Vec<&str> = source.lines().find_map(|l| l.strip_prefix("// cases: ")).expect("a `// cases:` line").split_whitespace().collect();
        assert!(!cases.is_empty(), "{}", program.display());
        let mut actual = String::new();
        for case in cases {
            let output = g2n().arg("run").arg(program).arg("--").arg(case).output().expect("run g2n");
            let stderr = text(&output.stderr);
            let head: Vec<&str> = stderr.lines().take_while(|l| !l.is_empty()).collect();
            actual.push_str(&format!("== {case}\n{}", text(&output.stdout)));
            for line in head {
                actual.push_str(line);
                actual.push('\n');
            }
            actual.push_str(&format!("exit {}\n", output.status.code().unwrap_or(-1)));
        }
        let expected = std::fs::read_to_string(program.with_extension("expected")).expect("expected output from Go");
        assert_eq!(actual, expected, "{}", program.display());
    }
}

/// Peak resident memory (KB) and exit status of the child `pid`, reaped with
/// wait4(2): std::process does not report a child's `ru_maxrss`.
fn wait_with_peak_rss(pid: u32) -> (i32, i64) {
    unsafe extern "C" {
        fn wait4(pid: i32, status: *mut i32, options: i32, rusage: *mut [i64; 18]) -> i32;
    }
    let (mut status, mut usage) = (0i32, [0i64; 18]);
    // SAFETY: valid out-pointers; `struct rusage` on 64-bit Linux is two
    // timevals (4 words) and 14 longs, 18 words, `ru_maxrss` the fifth.
    let got = unsafe { wait4(pid as i32, &mut status, 0, &mut usage) };
    assert_eq!(got, pid as i32, "wait4 failed");
    (status, usage[4])
}

/// Builds `tests/cli/gc/NAME.go`, runs it, checks that it exits 0 printing
/// `NAME.stdout` (from Go), and returns its peak RSS in KB.
fn gc_program_peak_rss_kb(name: &str) -> i64 {
    let dir = temp_dir(&format!("gc-{name}"));
    let out = g2n().args(["build", "-o"]).arg(&dir).arg(format!("tests/cli/gc/{name}.go")).output().expect("run g2n build");
    assert!(out.status.success(), "g2n build failed:\n{}", text(&out.stderr));
    #[expect(clippy::zombie_processes, reason = "reaped by wait_with_peak_rss (wait4), which also reads its peak RSS")]
    let child = Command::new(dir.join(format!("{name}/{name}"))).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("start the program");
    let pid = child.id();
    let (mut stdout, mut stderr) = (child.stdout.expect("stdout"), child.stderr.expect("stderr"));
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut s).expect("read stderr");
        s
    });
    let mut got = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut got).expect("read stdout");
    let (status, peak_kb) = wait_with_peak_rss(pid);
    let err = reader.join().expect("stderr reader");
    assert_eq!(status, 0, "{name} exited with wait status {status}; stderr:\n{err}");
    let want = std::fs::read_to_string(repo_root().join(format!("tests/cli/gc/{name}.stdout"))).expect("expected stdout");
    assert_eq!(got, want);
    let _ = std::fs::remove_dir_all(&dir);
    peak_kb
}

/// `tests/cli/gc/churn.go` allocates 20 GB in 1 MB slices (a few stay
/// reachable): it completes, prints what Go prints, and its peak RSS stays
/// far below what the allocations would need without a garbage collector.
#[test]
fn garbage_is_collected_so_peak_memory_stays_modest() {
    let peak_kb = gc_program_peak_rss_kb("churn");
    println!("churn: peak RSS {} MB for 20480 MB allocated", peak_kb / 1024);
    assert!(peak_kb < 500 * 1024, "peak RSS {peak_kb} KB: garbage is not being collected");
}

/// `tests/cli/gc/idle_goroutines.go` parks 100,000 goroutines, each with a
/// 256 MiB stack reserved: only the pages they touch count. Go 1.19 peaks at
/// 262 MB on it (2.7 KB a goroutine); g2n at about 435 MB (one 4 KiB page
/// of stack each, and the records). A stack committed whole, or backed by
/// huge pages, would need terabytes; a guard that splits the mapping would
/// hit the kernel's limit of 65,530 mappings.
#[test]
fn idle_goroutines_cost_only_the_stack_pages_they_touch() {
    let peak_kb = gc_program_peak_rss_kb("idle_goroutines");
    println!("idle_goroutines: peak RSS {} MB for 100000 goroutines", peak_kb / 1024);
    assert!(peak_kb < 640 * 1024, "peak RSS {peak_kb} KB for 100,000 idle goroutines");
}

/// An unbounded recursion on goroutine 1 and on another goroutine
/// (`tests/cli/run/stack_overflow.go`, whose stdout and exit code 2 come from
/// Go) prints Go's stack overflow lines. The second line shows the stack
/// pointer and the stack's bounds, which are addresses of each run.
#[test]
fn stack_overflow_prints_what_go_prints() {
    for args in [&[][..], &["goroutine"][..]] {
        let output = g2n().arg("run").arg("tests/cli/run/stack_overflow.go").arg("--").args(args).output().expect("run g2n");
        let stderr = text(&output.stderr);
        let lines: Vec<&str> = stderr.lines().collect();
        assert!(lines.len() >= 3, "{args:?}: stderr\n{stderr}");
        assert_eq!(lines[0], "runtime: goroutine stack exceeds 1000000000-byte limit", "{args:?}: stderr\n{stderr}");
        assert!(lines[1].starts_with("runtime: sp=0x") && lines[1].contains(" stack=[0x"), "{args:?}: stderr\n{stderr}");
        assert_eq!(lines[2], "fatal error: stack overflow", "{args:?}: stderr\n{stderr}");
        assert_eq!(text(&output.stdout), "before\n", "{args:?}");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
}

/// Go's first stderr line for a deadlock and for a panic in a goroutine other
/// than main's (the exit codes and stdout are checked with the other
/// programs of `tests/cli/run`).
#[test]
fn goroutine_failures_print_what_go_prints() {
    for (program, first_line) in [
        ("tests/cli/run/deadlock.go", "fatal error: all goroutines are asleep - deadlock!"),
        ("tests/cli/run/goroutine_panic.go", "panic: assignment to entry in nil map"),
        ("tests/cli/run/runtime_set_finalizer.go", "fatal error: runtime.SetFinalizer: first argument is int, not pointer"),
    ] {
        let output = g2n().arg("run").arg(program).output().expect("run g2n");
        let stderr = text(&output.stderr);
        assert_eq!(stderr.lines().next(), Some(first_line), "{program}: stderr\n{stderr}");
        assert_eq!(output.status.code(), Some(2), "{program}");
    }
    let output = g2n().arg("run").arg("tests/cli/run/deadlock.go").output().expect("run g2n");
    assert!(text(&output.stderr).contains("\n\ngoroutine 1 [chan receive]:\n"), "{}", text(&output.stderr));
}

/// Issue 15: a hop name is a path in `g2n build` and `g2n split`; one that
/// leaves the output directory (`../../escaped`) is refused at its span, and
/// nothing is written outside (or inside) the output directory.
#[test]
fn hop_names_cannot_make_paths_outside_the_output() {
    let dir = temp_dir("traversal");
    let program = dir.join("trav.go");
    std::fs::write(&program, "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"a\")\n\tgoToNetwork '../../escaped'\n\tfmt.Println(\"b\")\n}\n")
        .expect("write program");
    let out = dir.join("a/b/out");
    for args in [&["build", "-o"][..], &["split", "-o"]] {
        let output = g2n().args(args).arg(&out).arg(&program).env("NO_COLOR", "1").output().expect("run g2n");
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("invalid nanoservice name '../../escaped' in goToNetwork"), "{args:?}: {stderr}");
        assert!(stderr.contains("trav.go:7:14"), "{args:?}: the diagnostic points at the name: {stderr}");
    }
    let mut written = Vec::new();
    let mut stack = vec![dir.clone()];
    while let Some(next) = stack.pop() {
        for entry in std::fs::read_dir(&next).expect("read dir").flatten() {
            if entry.path().is_dir() {
                stack.push(entry.path());
            } else if entry.path() != program {
                written.push(entry.path());
            }
        }
    }
    assert!(written.is_empty(), "files written: {written:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 20: the habits a Go programmer brings (several files as one
/// program, `-o FILE`, `version`, ...).
#[path = "cli/go_habits.rs"]
mod go_habits;

#[path = "cli/library_load.rs"]
mod library_load;

#[path = "cli/fmt.rs"]
mod fmt;

#[path = "cli/split_program.rs"]
mod split_program;

#[path = "cli/first_hour.rs"]
mod first_hour;

#[path = "support/files.rs"]
mod files;
