//! The build cache (crates/cli/src/build_cache.rs): a second build takes
//! every function from the cache and produces the same executable; entries
//! that are truncated or corrupt are ignored and rebuilt; `g2n clean
//! -cache` removes it; `G2N_CACHE=off` turns it off. Every build here uses a
//! cache directory of its own, under the system's temporary directory.
//! The program's expected output is Go's (tests/cli/run).

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("g2n-test-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A program of packages compiled from Go's source (strconv, unicode, the
/// containers), with the output Go gives.
const PROGRAM: &str = "tests/cli/run/stdlib_from_source.go";

fn g2n(cache: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_g2n"));
    command.current_dir(repo_root()).env("G2N_CACHE", cache).env_remove("G2N_RUNTIME");
    command
}

/// Builds [`PROGRAM`] with `-v` into `exe`; returns (functions from the
/// cache, functions) as the build reports them, after checking that the
/// executable prints what Go printed.
fn build(cache: &Path, exe: &Path) -> (usize, usize) {
    let output = g2n(cache).args(["build", "-v", PROGRAM, "-o"]).arg(exe).output().expect("run g2n build");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "build failed: {stderr}");
    // `g2n: NAME: H of N library functions from the build cache`
    let note = stderr
        .lines()
        .find_map(|l| l.strip_suffix(" library functions from the build cache").and_then(|before| before.rsplit_once(": ")).map(|(_, n)| n.to_string()))
        .unwrap_or_else(|| panic!("no cache use reported: {stderr}"));
    let (hits, total) = note.split_once(" of ").unwrap_or_else(|| panic!("cache use {note:?}"));
    let run = Command::new(exe).output().expect("run the executable");
    let expected = std::fs::read_to_string(repo_root().join(PROGRAM).with_extension("stdout")).expect("expected stdout");
    assert_eq!(String::from_utf8_lossy(&run.stdout), expected);
    (hits.parse().expect("hits"), total.parse().expect("total"))
}

/// Every entry file under `dir`.
fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found
}

#[test]
fn second_build_takes_every_function_from_the_cache_and_damaged_entries_are_rebuilt() {
    let dir = temp_dir("build-cache");
    let cache = dir.join("cache");
    let (first_exe, second_exe) = (dir.join("first"), dir.join("second"));

    // Into an empty cache: each distinct function compiled and stored once
    // (two functions of identical code share an entry: the second hits).
    let (first_hits, total) = build(&cache, &first_exe);
    assert!(total > 10, "only {total} library functions compiled");
    let stored = entries(&cache);
    assert_eq!(first_hits + stored.len(), total, "{first_hits} hits and {} entries for {total} functions", stored.len());

    assert_eq!(build(&cache, &second_exe), (total, total));
    let (first, second) = (std::fs::read(&first_exe).expect("first"), std::fs::read(&second_exe).expect("second"));
    assert!(first == second, "the cached build's executable differs");

    // Half the entries truncated, the other half with a flipped byte.
    for (index, entry) in stored.iter().enumerate() {
        let mut bytes = std::fs::read(entry).expect("entry");
        if index % 2 == 0 {
            bytes.truncate(bytes.len() / 2);
        } else {
            let last = bytes.len() - 1;
            bytes[last] ^= 0x40;
        }
        std::fs::write(entry, bytes).expect("damage entry");
    }
    assert_eq!(build(&cache, &second_exe), (first_hits, total), "damaged entries were used");
    assert_eq!(build(&cache, &second_exe), (total, total), "damaged entries were not rebuilt");

    let status = g2n(&cache).args(["clean", "-cache"]).status().expect("run g2n clean");
    assert!(status.success());
    assert!(!cache.exists(), "g2n clean -cache left {}", cache.display());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_cache_can_be_turned_off() {
    let dir = temp_dir("build-cache-off");
    let exe = dir.join("program");
    let output = g2n(Path::new("off")).args(["build", "-v", PROGRAM, "-o"]).arg(&exe).output().expect("run g2n build");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("build cache"), "{stderr}");
    assert!(!repo_root().join("off").exists());
    let _ = std::fs::remove_dir_all(&dir);
}
