//! End-to-end tests of splitting one Go program (docs/split.md): every
//! `tests/split/NAME.go` holds `goToNetwork` statements inside loops,
//! branches and switches, and `NAME.stdout` is what real Go prints for the
//! program without them (`tests/split/regenerate.sh`). `g2n run` splits at the
//! hops and must print exactly that; so must `--split per-line` and the
//! configs that `g2n split` writes.

// Frame sizes and timings are reported on the test's output.
#![allow(clippy::print_stderr)]

#[path = "support/bounded.rs"]
mod bounded;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

fn programs() -> Vec<PathBuf> {
    let mut programs: Vec<PathBuf> = std::fs::read_dir(repo_root().join("tests/split"))
        .expect("tests/split")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "go"))
        .collect();
    programs.sort();
    assert!(programs.len() >= 3, "tests/split holds the split programs");
    programs
}

/// One `g2n` run, bounded: a hop that never ends (an encoder looping over
/// maxInt elements once did) fails the test instead of hanging it.
fn g2n(args: &[&str]) -> (String, String, i32) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_g2n"));
    command.args(args).env("G2N_SPLIT_PASSWORD", "split-test-secret");
    let output = bounded::output_within(command, Duration::from_secs(180));
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.status.code().unwrap_or(-1),
    )
}

fn expected(program: &Path) -> String {
    std::fs::read_to_string(program.with_extension("stdout")).expect("expected stdout from Go")
}

#[test]
fn block_split_prints_what_go_prints() {
    for program in programs() {
        let (stdout, stderr, code) = g2n(&["run", program.to_str().unwrap()]);
        assert_eq!(code, 0, "{}: {stderr}", program.display());
        assert_eq!(stdout, expected(&program), "{}", program.display());
    }
}

#[test]
fn per_line_split_prints_what_go_prints() {
    for program in programs() {
        let (stdout, stderr, code) = g2n(&["run", "--split", "per-line", program.to_str().unwrap()]);
        assert_eq!(code, 0, "{}: {stderr}", program.display());
        assert_eq!(stdout, expected(&program), "{}", program.display());
    }
}

#[test]
fn split_configs_build_and_run_the_same_program() {
    let program = repo_root().join("tests/split/switch_hops.go");
    let out = std::env::temp_dir().join(format!("g2n-split-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let (_, stderr, code) = g2n(&["split", program.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // One config per nanoservice: the entry and every distinct hop target.
    assert_eq!(
        names,
        ["done", "even", "last", "neg", "odd", "small", "switch_hops", "zero"].map(|n| format!("{n}.yaml")).to_vec()
    );
    let odd = std::fs::read_to_string(out.join("odd.yaml")).unwrap();
    assert!(odd.contains("host: \"127.0.0.1\"") && odd.contains("password_env: G2N_SPLIT_PASSWORD"), "{odd}");
    let (stdout, stderr, code) = g2n(&["run", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, expected(&program));
    let build = out.join("build");
    let (_, stderr, code) = g2n(&["build", out.to_str().unwrap(), "-o", build.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let (stdout, stderr, code) = g2n(&["manifest", "check", build.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let _ = std::fs::remove_dir_all(&out);
}

/// Only live variables travel: `unused` is dead after its last read, `i`
/// is dead after the loop, and the package-level `calls` is read by `square`.
#[test]
fn only_live_variables_travel() {
    let program = repo_root().join("tests/split/loop_hops.go");
    let out = std::env::temp_dir().join(format!("g2n-split-live-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let (_, stderr, code) = g2n(&["build", program.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let mesh = std::fs::read_to_string(out.join("mesh.yaml")).unwrap();
    assert!(!mesh.contains("name: unused"), "{mesh}");
    let edges: Vec<&str> = mesh.split("- from: ").skip(1).collect();
    let to_printer: Vec<&&str> = edges.iter().filter(|e| e.contains("to: printer")).collect();
    assert!(!to_printer.is_empty());
    for edge in to_printer {
        assert!(!edge.contains("name: i\n"), "i is dead after the loop: {edge}");
        assert!(edge.contains("name: total") && edge.contains("name: name") && edge.contains("name: calls"), "{edge}");
    }
    let to_worker = edges.iter().find(|e| e.contains("to: worker")).expect("edge to worker");
    assert!(to_worker.contains("name: i\n"), "i is live at the loop's hop: {to_worker}");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn a_live_slice_travels_as_a_graph() {
    // It was `g2n::split::untransferable_type` before scope graphs.
    let dir = std::env::temp_dir().join(format!("g2n-split-slice-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let program = dir.join("slice.go");
    std::fs::write(
        &program,
        "package main\n\nimport \"fmt\"\n\nfunc main() {\n\txs := []int{1, 2}\n\tgoToNetwork 'b'\n\tfmt.Println(xs)\n}\n",
    )
    .unwrap();
    let (stdout, stderr, code) = g2n(&["run", program.to_str().unwrap()]);
    assert_eq!((code, stdout.as_str()), (0, "[1 2]\n"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The number after `"key":` in one JSON line of a trace.
fn field(line: &str, key: &str) -> Option<u64> {
    let at = line.find(&format!("\"{key}\":"))? + key.len() + 3;
    let digits: String = line[at..].chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

#[test]
fn scope_graph_sizes_are_traced() {
    // tests/split/graph_sizes.go: a 1000-int backing array seen through three
    // slices and 50 structs reachable from a slice and a map. Each object
    // travels once, so the graph is smaller than the memory it describes.
    let program = repo_root().join("tests/split/graph_sizes.go");
    let trace = std::env::temp_dir().join(format!("g2n-split-trace-{}.jsonl", std::process::id()));
    let _ = std::fs::remove_file(&trace);
    // One process per nanoservice: this is about the frames on the wire (an
    // in-host hop has no frame; its hop.send says bytes 0).
    let (stdout, stderr, code) = g2n(&["run", "--process-per-service", "--trace", trace.to_str().unwrap(), program.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, expected(&program));
    let text = std::fs::read_to_string(&trace).expect("trace file");
    let sends: Vec<(u64, u64, u64, u64)> = text
        .lines()
        .filter(|l| l.contains("\"hop.send\""))
        .map(|l| {
            let get = |k| field(l, k).unwrap_or_else(|| panic!("{k} in {l}"));
            (get("bytes"), get("graph_bytes"), get("value_bytes"), get("graph_objects"))
        })
        .collect();
    assert_eq!(sends.len(), 2, "{text}");
    let (bytes, graph_bytes, value_bytes, objects) = *sends.iter().max().unwrap();
    eprintln!("largest hop: frame {bytes} bytes, scope graph {graph_bytes} bytes ({objects} objects), variables in scope {value_bytes} bytes of Go memory");
    // data's 8000 bytes once (not three times), 50 items, the map's entries.
    assert!(value_bytes >= 8000 + 50 * 48, "{value_bytes}");
    assert!(value_bytes < 3 * 8000, "shared objects are counted once: {value_bytes}");
    assert!(graph_bytes < value_bytes / 2, "{graph_bytes} vs {value_bytes}");
    assert!(bytes > graph_bytes && bytes < graph_bytes + 1000, "{bytes} vs {graph_bytes}");
    // The backing array, 50 items, the map and the shared tags array.
    assert!((53..=60).contains(&objects), "{objects}");
    let _ = std::fs::remove_file(&trace);
}

/// Between processes a channel that a goroutine is blocked on cannot
/// follow the flow (the goroutine stays): refused with the reason. Inside
/// one process the flow goes on beside the goroutine and prints what Go
/// prints.
#[test]
fn a_channel_that_a_blocked_goroutine_uses_does_not_travel() {
    let program = repo_root().join("tests/split/refused/blocked_channel.go");
    let (stdout, stderr, code) = g2n(&["run", "--process-per-service", program.to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("goToNetwork 'receiver': a chan string that goroutines are blocked on cannot travel"),
        "{stderr}"
    );
    let (stdout, stderr, code) = g2n(&["run", program.to_str().unwrap()]);
    assert_eq!((stdout.as_str(), code), ("ping\n", 0), "{stderr}");
}

/// `tests/split/shared/NAME.go`: goroutines alive at hops that stay in one
/// process (the default placement, block or per-line): the scope is shared
/// with them, so the program prints what Go prints (`NAME.stdout`, from
/// `tests/split/regenerate.sh tests/split/shared`). With a process per
/// nanoservice the first such hop is refused, exit code 1, nothing lost
/// silently.
#[test]
fn goroutines_alive_at_hops_inside_one_process_share_the_flows_memory() {
    let dir = repo_root().join("tests/split/shared");
    let mut programs: Vec<PathBuf> = std::fs::read_dir(&dir).expect("tests/split/shared").map(|e| e.expect("entry").path()).filter(|p| p.extension().is_some_and(|e| e == "go")).collect();
    programs.sort();
    assert!(!programs.is_empty(), "tests/split/shared holds programs");
    for program in programs {
        let path = program.to_str().unwrap();
        for placement in [&["run"][..], &["run", "--split", "per-line"][..]] {
            let mut args = placement.to_vec();
            args.push(path);
            let (stdout, stderr, code) = g2n(&args);
            assert_eq!(code, 0, "{path} {placement:?}: {stderr}");
            assert_eq!(stdout, expected(&program), "{path} {placement:?}");
        }
        let (_, stderr, code) = g2n(&["run", "--process-per-service", path]);
        assert_eq!(code, 1, "{path} --process-per-service: {stderr}");
        assert!(stderr.contains("goroutines"), "{path} --process-per-service: {stderr}");
    }
}

/// A reflect.Type or reflect.Value names the sender's descriptors and
/// memory: the split refuses one in a variable that a hop would send, and
/// the scope encoder one held in an interface (docs/split.md, "reflect").
#[test]
fn reflect_types_and_values_do_not_travel() {
    for (file, variable, type_name) in [("reflect_type.go", "t", "reflect.Type"), ("reflect_value.go", "v", "reflect.Value")] {
        let program = repo_root().join("tests/split/refused").join(file);
        let (stdout, stderr, code) = g2n(&["run", program.to_str().unwrap()]);
        assert_eq!(code, 1, "{stderr}");
        assert_eq!(stdout, "");
        assert!(stderr.contains(&format!("{variable} of type {type_name} cannot travel between nanoservices")), "{stderr}");
    }
    let program = repo_root().join("tests/split/refused/reflect_in_interface.go");
    let (stdout, stderr, code) = g2n(&["run", program.to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout, "");
    assert!(stderr.contains("goToNetwork 'receiver': a reflect.Type cannot travel between nanoservices"), "{stderr}");
}

/// An open file other than the standard streams does not travel: its
/// descriptor is the sending process's (docs/split.md, "os at a hop").
#[test]
fn open_files_do_not_travel() {
    let program = repo_root().join("tests/split/refused/open_file.go");
    let (stdout, stderr, code) = g2n(&["run", program.to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout, "");
    assert!(stderr.contains("goToNetwork 'writer': an open *os.File (/tmp/g2n-open-file-"), "{stderr}");
    assert!(stderr.contains("cannot travel between nanoservices"), "{stderr}");
}

/// An open socket does not travel either: a `net.Listener` (or `Conn`)
/// holds a descriptor of the sending process (docs/split.md, "net at a
/// hop").
#[test]
fn open_sockets_do_not_travel() {
    let program = repo_root().join("tests/split/refused/open_socket.go");
    let (stdout, stderr, code) = g2n(&["run", program.to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout, "");
    assert!(stderr.contains("goToNetwork 'server': an open tcp socket (descriptor "), "{stderr}");
    assert!(stderr.contains("cannot travel between nanoservices"), "{stderr}");
}

/// A child process not waited for does not travel: it belongs to the
/// process that started it (docs/split.md, "Subprocesses at a hop"). The
/// refused program leaves its child running; the test kills it.
#[test]
fn running_child_processes_do_not_travel() {
    let program = repo_root().join("tests/split/refused/running_process.go");
    let (stdout, stderr, code) = g2n(&["run", program.to_str().unwrap()]);
    let pid: Option<i32> = stderr.split("(pid ").nth(1).and_then(|rest| rest.split(')').next()).and_then(|pid| pid.parse().ok());
    if let Some(pid) = pid {
        // SAFETY: kill(2) of the child the program started and left.
        unsafe { libc::kill(pid, libc::SIGKILL) };
    }
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout, "");
    assert!(pid.is_some(), "{stderr}");
    assert!(stderr.contains("goToNetwork 'waiter': a started *os.Process (pid "), "{stderr}");
    assert!(stderr.contains("cannot travel between nanoservices: the child belongs to this process; Wait for it before the hop"), "{stderr}");
}

/// Every placement prints the same: one host (the default, every hop in
/// memory), several hosts (hops in memory inside a host, over loopback TCP
/// between hosts) and one process per nanoservice (every hop over TCP).
#[test]
fn every_placement_prints_what_go_prints() {
    for program in programs() {
        // Every program on two hosts; the costlier placements (a process
        // per nanoservice, per-line on three hosts) on a few, to keep the
        // test short on two cores.
        let few = ["loop_hops.go", "alias_slices.go", "switch_hops.go", "library_sentinel_hops.go"].iter().any(|n| program.ends_with(n));
        let placements: &[&[&str]] = if few {
            &[&["--hosts", "2"], &["--process-per-service"], &["--split", "per-line", "--hosts", "3"]]
        } else {
            &[&["--hosts", "2"]]
        };
        for &placement in placements {
            let mut args = vec!["run"];
            args.extend_from_slice(placement);
            args.push(program.to_str().unwrap());
            let (stdout, stderr, code) = g2n(&args);
            assert_eq!(code, 0, "{} {placement:?}: {stderr}", program.display());
            assert_eq!(stdout, expected(&program), "{} {placement:?}", program.display());
        }
    }
}

/// A `main` of `lines` statements that accumulates and prints: the program
/// of the scale tests, with the sum it must print.
fn long_main(lines: usize) -> (String, i64) {
    let mut text = String::from("package main\n\nimport \"fmt\"\n\nfunc main() {\n\ts := 0\n");
    let mut sum = 0i64;
    for i in 1..lines.saturating_sub(1) as i64 {
        text.push_str(&format!("\ts += {i} * {}\n", i % 7 + 1));
        sum += i * (i % 7 + 1);
    }
    text.push_str("\tfmt.Println(s)\n}\n");
    (text, sum)
}

/// Splits a generated `main` of `lines` statements per line (one nanoservice
/// per line) and runs it on `hosts` hosts; it must print what the unsplit
/// program prints. Reports the build and run times, and the peak RSS of
/// the processes (g2n and the hosts).
fn run_long_main(lines: usize, hosts: usize) {
    let dir = std::env::temp_dir().join(format!("g2n-scale-{lines}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let program = dir.join("long.go");
    let (text, sum) = long_main(lines);
    std::fs::write(&program, text).unwrap();
    let (stdout, stderr, code) = g2n(&["run", program.to_str().unwrap()]);
    assert_eq!((code, stdout.clone()), (0, format!("{sum}\n")), "unsplit: {stderr}");
    let started = std::time::Instant::now();
    let hosts = hosts.to_string();
    let (stdout, stderr, code) = g2n(&["run", "-v", "--split", "per-line", "--hosts", &hosts, program.to_str().unwrap()]);
    let elapsed = started.elapsed();
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, format!("{sum}\n"));
    eprintln!("{lines} lines per line on {hosts} host(s): {elapsed:.2?} in all\n{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A long `main` split per line, on one and two hosts. CI runs 2,000 lines;
/// the scale figure (65,535 statements, one nanoservice each) is the
/// same test with `G2N_SPLIT_SCALE_LINES=65535 cargo test --release -p g2n
/// --test split a_long_main` (docs/split.md, "Scale").
#[test]
fn a_long_main_split_per_line_runs() {
    let lines = std::env::var("G2N_SPLIT_SCALE_LINES").ok().and_then(|v| v.parse().ok()).unwrap_or(2000);
    run_long_main(lines, 1);
    run_long_main(lines, 2);
}
