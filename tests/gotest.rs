//! `g2n test` against `go test`: the fixtures under tests/gotest (a package
//! with passing, failing and skipped tests, subtests, Fatal with deferred
//! calls, helpers, cleanups, examples; one whose test file does not compile;
//! one whose subtest panics; one whose files depend on a build tag, tested
//! with and without `-tags`; one with fuzz tests, run on their seed
//! corpora) are tested with the arguments below, and the exit code and
//! standard output must be what Go 1.19's `go test -count=1` gave
//! (tests/gotest/expected, written by scripts/gotest-expected), once
//! durations and a panic's goroutine trace are normalised the same way.

use std::path::Path;
use std::process::Command;

/// (expected file, fixture, arguments): scripts/gotest-expected's cases.
const CASES: &[(&str, &str, &[&str])] = &[
    ("calc_verbose", "calc", &["-v"]),
    ("calc_quiet", "calc", &[]),
    ("calc_run_subtests", "calc", &["-v", "-run", "Subtests/one$|Helpers/sub|Example.*unordered"]),
    ("calc_run_nothing", "calc", &["-run", "NoSuch"]),
    ("calc_run_passing", "calc", &["-run", "Add"]),
    ("calc_short", "calc", &["-v", "-short", "-run", "Skip"]),
    ("calc_run_regexp", "calc", &["-v", "-run", r"^Test(Add|Half\w*)$|Subtests/t[a-z]{2}_?wo+r[^x]s|Example(Half)?$|Cleanup[[:alpha:]]?"]),
    ("broken", "broken", &[]),
    ("panics", "panics", &["-v"]),
    ("tags_default", "tags", &["-v"]),
    ("tags_extra", "tags", &["-v", "-tags", "extra"]),
    ("fuzz_verbose", "fuzz", &["-v"]),
    ("fuzz_quiet", "fuzz", &[]),
    ("fuzz_run", "fuzz", &["-v", "-run", "FuzzTypes/b|FuzzHalf/seed#[02]|Reverse$"]),
    ("fuzz_list", "fuzz", &["-list", "."]),
];

/// What scripts/gotest-expected does to go test's output.
fn normalise(text: &str) -> String {
    let duration = regex::Regex::new(r"\(\d+\.\d+s\)").expect("regex");
    let result_time = regex::Regex::new(r"\t\d+\.\d+s( \[no tests to run\])?$").expect("regex");
    let trace_start = regex::Regex::new(r"^goroutine \d+ \[").expect("regex");
    let mut out = String::new();
    let mut in_trace = false;
    for line in text.lines() {
        if trace_start.is_match(line) {
            in_trace = true;
        }
        if line.starts_with("FAIL") {
            in_trace = false;
        }
        if in_trace {
            continue;
        }
        let line = duration.replace_all(line, "(X.XXs)");
        let line = result_time.replace(&line, "\tX.XXXs$1");
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn run_case(name: &str, fixture: &str, args: &[&str]) -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/gotest");
    let expected = std::fs::read_to_string(root.join("expected").join(format!("{name}.txt"))).map_err(|e| format!("{name}: {e}"))?;
    let output = Command::new(env!("CARGO_BIN_EXE_g2n"))
        .arg("test")
        .args(args)
        .arg(".")
        .current_dir(root.join(fixture))
        .env_remove("G2N_RUNTIME")
        .env("NO_COLOR", "1")
        .output()
        .map_err(|e| format!("{name}: cannot run g2n: {e}"))?;
    let got = format!("exit {}\n{}", output.status.code().unwrap_or(-1), normalise(&String::from_utf8_lossy(&output.stdout)));
    if got == expected {
        Ok(())
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(format!("{name} (g2n test {}): got\n{got}\nwant\n{expected}\nstderr:\n{stderr}", args.join(" ")))
    }
}

#[test]
fn g2n_test_prints_what_go_test_prints() {
    let failures: Vec<String> = CASES.iter().filter_map(|(name, fixture, args)| run_case(name, fixture, args).err()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A test binary that runs past -timeout is stopped, reported as Go's
/// timeout panic, and fails.
#[test]
fn a_test_past_its_timeout_is_stopped() {
    let dir = std::env::temp_dir().join(format!("g2n-gotest-timeout-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("go.mod"), "module example.com/slow\n\ngo 1.19\n").expect("write");
    std::fs::write(dir.join("slow_test.go"), "package slow\n\nimport \"testing\"\n\nfunc TestForever(t *testing.T) {\n\tfor {\n\t}\n}\n")
        .expect("write");
    let output = Command::new(env!("CARGO_BIN_EXE_g2n"))
        .args(["test", "-timeout", "2s"])
        .arg(&dir)
        .env_remove("G2N_RUNTIME")
        .env("NO_COLOR", "1")
        .output()
        .expect("run g2n");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("panic: test timed out after 2s\nFAIL\texample.com/slow\t"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// -bench runs the selected benchmarks after the tests, with go test's
/// header and result lines (b.N grown until a run takes a second; g2n runs
/// on one thread, so the name has no -GOMAXPROCS suffix), and streams the
/// output as go test does with -bench.
#[test]
fn benchmarks_run_with_bench_only() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/gotest/calc");
    let output = Command::new(env!("CARGO_BIN_EXE_g2n"))
        .args(["test", "-run", "XXX", "-bench", "Add", "."])
        .current_dir(&root)
        .env_remove("G2N_RUNTIME")
        .env("NO_COLOR", "1")
        .output()
        .expect("run g2n");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[..3], ["goos: linux", "goarch: amd64", "pkg: example.com/calc"], "{stdout}");
    let result = regex::Regex::new(r"^BenchmarkAdd\t *(\d+)\t *[0-9.]+ ns/op$").expect("regex");
    let n: u64 = result.captures(lines[3]).and_then(|c| c[1].parse().ok()).unwrap_or_else(|| panic!("{stdout}"));
    assert!(n > 1000, "b.N grows past the first runs: {stdout}");
    assert_eq!(lines[4], "PASS", "{stdout}");
    assert!(lines[5].starts_with("ok  \texample.com/calc\t"), "{stdout}");
    let output = Command::new(env!("CARGO_BIN_EXE_g2n"))
        .args(["test", "-run", "Add", "."])
        .current_dir(&root)
        .env_remove("G2N_RUNTIME")
        .output()
        .expect("run g2n");
    assert!(!String::from_utf8_lossy(&output.stdout).contains("Benchmark"), "benchmarks run only with -bench");
}
