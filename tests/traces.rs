//! Go-style panic traces: an unrecovered panic prints `goroutine 1
//! [running]:` and a `main.f(...)` / `\tFILE:LINE +0xOFF` pair per frame.
//! The programs of tests/cli/traces/ are compared with Go 1.19's traces
//! (regenerate.sh): frames' function names (function literals named as Go
//! names them) and absolute file paths with lines, not arguments, addresses
//! and code offsets; a panic in a nanoservice config names the YAML's
//! absolute path and line, and the nanoservice.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

fn g2n() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_g2n"));
    command.current_dir(repo_root());
    command
}

/// The goroutine trace of `stderr` as regenerate.sh normalises Go's: from
/// `goroutine ` to the first empty line, arguments dropped from function
/// lines, code offsets dropped from file lines and the absolute directory
/// `dir` written `DIR` (a path that is not absolute, or in another
/// directory, stays as it is, and differs); g2n's own `in nanoservice`
/// line, which Go has no word for, left out.
fn normalised_trace(stderr: &str, dir: &Path) -> String {
    let mut out = String::new();
    let prefix = format!("{}/", dir.display());
    let lines = stderr.lines().skip_while(|l| !l.starts_with("goroutine ")).take_while(|l| !l.is_empty());
    for line in lines {
        if line.starts_with("in nanoservice ") {
            continue;
        }
        if let Some(file) = line.strip_prefix('\t') {
            let place = file.split(" +0x").next().unwrap_or(file);
            let place = place.strip_prefix(&prefix).map_or(place.to_string(), |rest| format!("DIR/{rest}"));
            out.push_str(&format!("\t{place}\n"));
        } else if line.ends_with(')') && !line.starts_with("goroutine ") {
            // The last parenthesised group is the arguments (`main.(*t).m(...)`).
            let open = line.rfind('(').unwrap_or(line.len());
            out.push_str(&format!("{}\n", &line[..open]));
        } else {
            out.push_str(&format!("{line}\n"));
        }
    }
    out
}

#[test]
fn panic_traces_name_the_frames_go_names() {
    let root = repo_root().join("tests/cli/traces");
    let mut programs: Vec<PathBuf> =
        std::fs::read_dir(&root).expect("traces dir").flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "go")).collect();
    programs.sort();
    assert!(programs.len() >= 3, "{programs:?}");
    for program in &programs {
        // Given relative to the current directory, as `go run x.go` is: the
        // trace names the file by its absolute path all the same.
        let relative = program.strip_prefix(repo_root()).expect("under the repository");
        let output = g2n().arg("run").arg(relative).output().expect("run g2n");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{}: {stderr}", program.display());
        let expected = std::fs::read_to_string(program.with_extension("expected")).expect("expected trace from Go");
        assert_eq!(normalised_trace(&stderr, &root), expected, "{}:\n{stderr}", program.display());
        // Frames carry code offsets as Go's do; a program without
        // goToNetwork names no nanoservice (Go's trace has no such line).
        assert!(stderr.lines().any(|l| l.starts_with('\t') && l.contains(".go:") && l.contains(" +0x")), "{stderr}");
        assert!(!stderr.contains("in nanoservice"), "{stderr}");
    }
}

#[test]
fn a_panic_in_a_config_names_its_yaml_line_and_nanoservice() {
    let dir = std::env::temp_dir().join(format!("g2n-traces-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let first = "code:\n- package main\n- func main() {\n-   n := 3\n-   goToNetwork 'second'\n- }\n";
    let second = "code:\n- package main\n- import \"fmt\"\n- func pick(a []int, i int) int {\n-   if i == 0 {\n-     return a[7]\n-   }\n-   return pick(a, i-1)\n- }\n- func main() {\n-   fmt.Println(pick([]int{1}, n))\n- }\n";
    std::fs::write(dir.join("first.yaml"), first).expect("write");
    std::fs::write(dir.join("second.yaml"), second).expect("write");
    let output = g2n().current_dir(&dir).arg("run").arg("first.yaml").arg("./second.yaml").output().expect("run g2n");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with("panic: runtime error: index out of range [7] with length 1\n\ngoroutine 1 [running]:\n"), "{stderr}");
    // pick at `return a[7]` (YAML line 6), three times at its recursive
    // call (line 8), then main at line 11; then the nanoservice.
    // The YAML by its absolute path, as a Go file is.
    let expected = "goroutine 1 [running]:\nmain.pick\n\tDIR/second.yaml:6\nmain.pick\n\tDIR/second.yaml:8\nmain.pick\n\tDIR/second.yaml:8\nmain.pick\n\tDIR/second.yaml:8\nmain.main\n\tDIR/second.yaml:11\n";
    assert_eq!(normalised_trace(&stderr, &dir), expected, "{stderr}");
    assert!(stderr.contains("\nin nanoservice second\n"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A panic inside a small function that g2n inlines into `main` (as Go's
/// compiler does: Go shows the inlined frame as `main.boom(...)`). g2n
/// does not show inlined frames yet, so only the caller's frame is compared
/// with Go's trace (`tests/cli/traces_inlined/inlined.expected`, from Go
/// 1.19): it must name the call's line. Before, the inlined code took the
/// previous statement's line (18 for 19). `runtime.Caller(0)` in a small
/// helper prints the helper's own line, as in Go (functions that reach
/// Caller keep their frames).
#[test]
fn a_panic_in_inlined_code_names_the_calls_line() {
    let dir = repo_root().join("tests/cli/traces_inlined");
    let program = dir.join("inlined.go");
    let output = g2n().arg("run").arg(&program).output().expect("run g2n");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&output.stdout), "9\n");
    let expected = std::fs::read_to_string(dir.join("inlined.expected")).expect("expected trace from Go");
    let caller_frame = |trace: &str| -> Option<String> {
        let lines: Vec<&str> = trace.lines().collect();
        let at = lines.iter().position(|l| *l == "main.main")?;
        lines.get(at + 1).map(|l| l.to_string())
    };
    let trace = normalised_trace(&stderr, &dir);
    assert_eq!(caller_frame(&trace), caller_frame(&expected), "{stderr}");
    assert!(caller_frame(&expected).is_some_and(|l| l.ends_with("inlined.go:19")), "{expected}");
}
