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

/// A program reading its standard input line by line (`bufio.Scanner` over
/// `os.Stdin`) gets what is piped into `g2n run`, the last line without its
/// newline included, as under `go run`.
#[test]
fn run_passes_standard_input_to_the_program() {
    let (stdout, code) = expected("line_counter");
    let input = std::fs::read(repo_root().join("tests/cli/program/line_counter.stdin")).expect("input");
    let mut child = g2n()
        .current_dir(repo_root())
        .args(["run", "tests/cli/program/line_counter"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run g2n");
    // Written from a thread so that a program that does not read cannot
    // block the test on a full pipe; dropping the handle closes the pipe.
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let _ = stdin.write_all(&input);
    });
    let output = child.wait_with_output().expect("g2n output");
    writer.join().expect("writer");
    assert_eq!(text(&output.stdout), stdout, "stderr {}", text(&output.stderr));
    assert_eq!(output.status.code(), Some(code));
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
    for args in [["check", "cmd/missing"], ["build", "cmd/missing"]] {
        let output = g2n().current_dir(&dir).args(args).output().expect("run g2n");
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert_eq!(text(&output.stderr), "error: cannot read cmd/missing: no such file or directory\n", "{args:?}");
    }
    for args in [["check", "x_test.go"], ["run", "x_test.go"]] {
        let output = g2n().current_dir(&dir).args(args).output().expect("run g2n");
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert!(text(&output.stderr).contains("x_test.go: test files (_test.go) are not part of a program"), "{}", text(&output.stderr));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn seed_inputs() -> [String; 2] {
    [super::seed("hello.yaml"), super::seed("print-hello-world.yaml")]
}

/// `-o FILE` for a program of one nanoservice writes the executable there,
/// as `go build -o` does, and nothing else; `-o DIR/`, an existing
/// directory, and any mesh keep the output directory form.
#[test]
fn build_o_file_writes_the_one_executable() {
    let dir = temp_dir("o-file");
    let (stdout, code) = expected("greeter");
    let output = g2n().arg("build").arg("-o").arg(dir.join("bin/greet")).arg(GREETER).output().expect("run g2n");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let written: Vec<String> =
        std::fs::read_dir(dir.join("bin")).expect("bin").flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(written, ["greet"], "only the executable is written");
    let run = std::process::Command::new(dir.join("bin/greet")).output().expect("run the executable");
    assert_eq!((text(&run.stdout), run.status.code()), (stdout, Some(code)));

    for (out, executable) in [("as-dir/", "as-dir/greeter/greeter"), ("bin", "bin/greeter/greeter")] {
        let output = g2n().arg("build").arg("-o").arg(format!("{}/{out}", dir.display())).arg(GREETER).output().expect("run g2n");
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        assert!(dir.join(executable).is_file(), "-o {out}: {executable}");
    }
    let output = g2n().arg("build").args(seed_inputs()).arg("-o").arg(dir.join("mesh")).output().expect("run g2n");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(dir.join("mesh/mesh.yaml").is_file() && dir.join("mesh/hello/hello").is_file(), "a mesh is always a directory");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `g2n build -v` names every stage and every nanoservice with its time on
/// stderr; without -v, off a terminal, a build prints no progress.
#[test]
fn build_verbose_reports_stages_and_nanoservices_with_timings() {
    let dir = temp_dir("verbose");
    let output = g2n().arg("build").arg("-v").args(seed_inputs()).arg("-o").arg(&dir).output().expect("run g2n");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    let timed = regex::Regex::new(r"^g2n: (.+) in \d+(\.\d+)? m?s$").expect("regex");
    let stages: Vec<String> = stderr.lines().filter_map(|l| timed.captures(l)).map(|c| c[1].to_string()).collect();
    assert_eq!(
        stages,
        [
            "loaded and parsed the inputs",
            "analysed the program",
            "hello: generated code",
            "hello: linked",
            "print-hello-world: generated code",
            "print-hello-world: linked",
            "wrote the manifests"
        ],
        "{stderr}"
    );
    let output = g2n().arg("build").args(seed_inputs()).arg("-o").arg(&dir).output().expect("run g2n");
    assert!(!text(&output.stderr).lines().any(|l| l.starts_with("g2n: ")), "{}", text(&output.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A build into a folder an earlier build wrote removes the nanoservice
/// folders that the old mesh.yaml listed and the new build does not have,
/// and nothing else; `manifest check` then agrees with the folder.
#[test]
fn rebuilding_into_an_output_folder_removes_stale_nanoservices() {
    let dir = temp_dir("stale");
    let out = dir.join("out");
    let output = g2n().arg("build").args(seed_inputs()).arg("-o").arg(&out).output().expect("run g2n");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    std::fs::create_dir_all(out.join("notes")).expect("a folder of the user's");
    let output = g2n().arg("build").arg(GREETER).arg("-o").arg(&out).output().expect("run g2n");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let mut left: Vec<String> = std::fs::read_dir(&out).expect("out").flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    left.sort();
    assert_eq!(left, ["greeter", "mesh.yaml", "notes"]);
    let check = g2n().args(["manifest", "check"]).arg(&out).output().expect("run g2n");
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `g2n version` says what `go version` says (version, platform) and the
/// ABI of the executables it builds; `--version` is clap's short form.
#[test]
fn version_names_the_release_the_abi_and_the_platform() {
    let output = g2n().arg("version").output().expect("run g2n");
    assert_eq!(output.status.code(), Some(0));
    let platform = format!("{}/{}", std::env::consts::OS, std::env::consts::ARCH);
    let line = regex::Regex::new(r"^g2n version (\d+\.\d+\.\d+) \(abi \d+\) (\S+)\n$").expect("regex");
    let stdout = text(&output.stdout);
    let captures = line.captures(&stdout).unwrap_or_else(|| panic!("{stdout:?}"));
    assert_eq!(&captures[2], platform);
    let short = g2n().arg("--version").output().expect("run g2n");
    assert_eq!(text(&short.stdout), format!("g2n {}\n", &captures[1]));
}

/// `g2n completion bash` is a script bash loads, completing g2n's commands.
#[test]
fn completion_scripts_load_in_their_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let output = g2n().args(["completion", shell]).output().expect("run g2n");
        assert_eq!(output.status.code(), Some(0), "{shell}: {}", text(&output.stderr));
        let script = text(&output.stdout);
        for word in ["manifest", "completion", "emit"] {
            assert!(script.contains(word), "{shell} script lacks {word}");
        }
    }
    let dir = temp_dir("completion");
    let script = dir.join("g2n.bash");
    std::fs::write(&script, g2n().args(["completion", "bash"]).output().expect("run g2n").stdout).expect("write");
    let bash = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(". '{}' && complete -p g2n && COMP_WORDS=(g2n comp) COMP_CWORD=1 && _g2n g2n comp g2n && echo \"${{COMPREPLY[@]}}\"", script.display()))
        .output();
    let _ = std::fs::remove_dir_all(&dir);
    let Ok(bash) = bash else {
        eprintln!("skipped: no bash");
        return;
    };
    assert_eq!(bash.status.code(), Some(0), "{}", text(&bash.stderr));
    let stdout = text(&bash.stdout);
    assert!(stdout.lines().next().is_some_and(|l| l.starts_with("complete ") && l.ends_with(" -F _g2n g2n")), "{stdout}");
    assert!(stdout.lines().any(|l| l.split_whitespace().any(|w| w == "completion")), "`g2n comp<TAB>` completes: {stdout}");
    let bad = g2n().args(["completion", "tcsh"]).output().expect("run g2n");
    assert_eq!(bad.status.code(), Some(2), "clap refuses an unknown shell");
}

/// Every `tests/cli/warnings/NAME/` is a mesh that checks with warnings
/// only (exit 0), rendered as in `tests/cli/warnings/NAME.stderr`: a
/// misspelt `goToNetworks` key (one warning for the key and the hop it was
/// meant for), an entry no hop uses, a hop with no entry.
#[test]
fn go_to_networks_entries_and_hops_that_disagree_are_warned_about() {
    let root = repo_root().join("tests/cli/warnings");
    let mut cases: Vec<std::path::PathBuf> =
        std::fs::read_dir(&root).expect("warnings dir").flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    cases.sort();
    assert!(!cases.is_empty());
    for case in cases {
        let mut inputs: Vec<std::path::PathBuf> = std::fs::read_dir(&case).expect("case").flatten().map(|e| e.path()).collect();
        inputs.sort();
        let relative: Vec<String> = inputs.iter().map(|p| p.strip_prefix(repo_root()).expect("inside repo").display().to_string()).collect();
        let output = g2n().arg("check").args(&relative).env("NO_COLOR", "1").output().expect("run g2n");
        assert_eq!(output.status.code(), Some(0), "{}: {}", case.display(), text(&output.stderr));
        super::assert_golden(&case.with_extension("stderr"), &text(&output.stderr));
    }
}

/// On a terminal (a pseudo-terminal from util-linux `script`), a build
/// without -v shows one status line, rewritten in place and erased at the
/// end; off a terminal it shows none (the other tests).
#[test]
fn build_progress_shows_on_a_terminal_only_and_is_erased() {
    let dir = temp_dir("progress");
    let command = format!("{} build -o {} {}", env!("CARGO_BIN_EXE_g2n"), dir.join("greet").display(), repo_root().join(GREETER).display());
    let Ok(output) = std::process::Command::new("script").args(["-qec", &command, "/dev/null"]).output() else {
        eprintln!("skipped: no `script` to give g2n a terminal");
        return;
    };
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    let screen = text(&output.stdout);
    assert!(screen.contains("\r\x1b[Kg2n: greeter: linked..."), "status line: {screen:?}");
    assert!(screen.ends_with("\r\x1b[K"), "the status line is erased at the end: {screen:?}");
}
