//! The harness's smoke run, the only benchmark code that runs in CI: one small
//! program of ours (bench/programs/fib-calls) and a 500-line generated program,
//! one build and one run each, with the g2n of this build.
//!
//! It must pass whether or not Go is installed, and it fails when the harness
//! is broken: the smoke program is inside what g2n compiles today, so g2n must
//! build it, run it and print the expected output, and the table must show it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The g2n executable of this profile (target/<profile>/g2n), built by cargo
/// now: a package cannot depend on another package's binary, and `cargo
/// build` is a quick no-op when it is up to date.
fn g2n() -> PathBuf {
    let bench = Path::new(env!("CARGO_BIN_EXE_g2n-bench"));
    let dir = bench.parent().expect("the harness binary has a directory");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(["build", "-p", "g2n"]);
    if dir.file_name().is_some_and(|p| p == "release") {
        cmd.arg("--release");
    }
    let status = cmd
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("cargo runs");
    assert!(status.success(), "cargo build -p g2n failed: {status}");
    let g2n = dir.join("g2n");
    assert!(g2n.is_file(), "{} was not built", g2n.display());
    g2n
}

fn smoke(g2n: &Path, go: Option<&str>) -> (Output, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_g2n-bench"));
    cmd.arg("--smoke").arg("--g2n").arg(g2n);
    if let Some(go) = go {
        cmd.env("G2N_BENCH_GO", go);
    }
    let out = cmd.output().expect("the harness runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    (out, stdout)
}

fn go_installed() -> bool {
    Command::new("go")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The row of `program` in the first table (the ratios).
fn row<'a>(stdout: &'a str, program: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l.starts_with(&format!("| {program} ")))
        .unwrap_or_else(|| panic!("no row for {program} in:\n{stdout}"))
}

#[test]
fn smoke_run_prints_the_table() {
    let g2n = g2n();

    // Without Go (forced, so this holds on every machine): only g2n is
    // checked, and the table says why the Go side is empty.
    let (out, stdout) = smoke(&g2n, Some("/nonexistent/go"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "smoke run failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    assert!(stdout.contains("| program "), "no table:\n{stdout}");
    assert!(
        stdout.contains("compile time")
            && stdout.contains("run time")
            && stdout.contains("peak RSS")
    );
    let fib = row(&stdout, "fib-calls");
    assert!(
        fib.contains("| g2n ok ") && fib.contains("go not found"),
        "{fib}"
    );
    assert!(stdout.contains("- go: go not found"), "{stdout}");
    assert!(stderr.contains("apt-get install golang-go"), "{stderr}");
    let generated = row(&stdout, "gen-500");
    assert!(
        generated.contains("go not found") && !generated.contains("fails"),
        "{generated}"
    );
    assert!(
        !stdout.contains("fib-calls (bench), g2n:"),
        "g2n failed on the smoke program:\n{stdout}"
    );

    // With Go, when it is installed: both sides checked and compared.
    if go_installed() {
        let (out, stdout) = smoke(&g2n, None);
        assert!(
            out.status.success(),
            "smoke run with go failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let fib = row(&stdout, "fib-calls");
        assert!(fib.contains("| ok "), "{fib}");
        assert!(
            stdout.contains(
                "Geometric mean of the median run-time ratios g2n/go over 1 program(s) (fib-calls)"
            ),
            "{stdout}"
        );
        let generated = row(&stdout, "gen-500");
        assert!(
            !generated.contains("fails") && !generated.contains("go not found"),
            "{generated}"
        );
    }
}
