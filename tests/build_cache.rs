//! The build cache (crates/cli/src/build_cache.rs): a second build takes
//! every function from the cache, most library functions without lowering
//! them, and builds after it produce the same executable; entries and packs
//! that are truncated or corrupt are ignored and rebuilt; `g2n clean
//! -cache` removes it; `G2N_CACHE=off` turns it off; `G2N_CACHE_VERIFY=1`
//! finds every pre-lowering entry equal to the function lowered again; an
//! edited library package is compiled again. Library files kept parsed in
//! it (crates/cli/src/parse_cache.rs) give the executable a fresh parse
//! gives, damaged packs are parsed again, and an edited file is never read
//! as it was; so do the library bodies a build reached and g2n's
//! hand-written packages, kept parsed there too. Every build here uses a cache directory of its own, under the
//! system's temporary directory. Expected outputs are Go's (tests/cli/run).

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
    command.current_dir(repo_root()).env("G2N_CACHE", cache).env_remove("G2N_CACHE_PREKEY").env_remove("G2N_RUNTIME");
    command
}

/// Builds [`PROGRAM`] with `-v` into `exe`; returns (functions from the
/// cache, functions) as the build reports them, after checking that the
/// executable prints what Go printed.
fn build(cache: &Path, exe: &Path) -> (usize, usize) {
    let (used, _) = build_program(cache, PROGRAM, exe, false);
    used
}

/// Builds `program` (a tests/cli/run program) with `-v` into `exe`, with
/// `G2N_CACHE_VERIFY=1` when `verify`, and checks that the executable
/// prints what Go printed; returns ((functions from the cache, functions),
/// functions not lowered) as the build reports them.
fn build_program(cache: &Path, program: &str, exe: &Path, verify: bool) -> ((usize, usize), usize) {
    let mut command = g2n(cache);
    if verify {
        command.env("G2N_CACHE_VERIFY", "1");
    }
    let output = command.args(["build", "-v", program, "-o"]).arg(exe).output().expect("run g2n build");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "build of {program} failed: {stderr}");
    let run = Command::new(exe).output().expect("run the executable");
    let expected = std::fs::read_to_string(repo_root().join(program).with_extension("stdout")).expect("expected stdout");
    assert_eq!(String::from_utf8_lossy(&run.stdout), expected, "{program}");
    (cache_use(&stderr), not_lowered(&stderr))
}

/// The functions taken from the cache without lowering, as `g2n build -v`
/// reports them.
fn not_lowered(stderr: &str) -> usize {
    // `g2n: NAME: N library functions taken from the build cache without lowering`
    stderr
        .lines()
        .find_map(|l| l.strip_suffix(" library functions taken from the build cache without lowering").and_then(|before| before.rsplit_once(": ")))
        .map(|(_, n)| n.parse().expect("count"))
        .unwrap_or_else(|| panic!("no count of functions not lowered: {stderr}"))
}

/// Whether `path` is a pack of pre-lowering entries (`pack/NAME`).
fn is_pack(path: &Path) -> bool {
    path.parent().and_then(Path::file_name).is_some_and(|dir| dir == "pack")
}

/// (functions from the cache, functions) as `g2n build -v` reports them.
fn cache_use(stderr: &str) -> (usize, usize) {
    // `g2n: NAME: H of N library functions from the build cache`
    let note = stderr
        .lines()
        .find_map(|l| l.strip_suffix(" library functions from the build cache").and_then(|before| before.rsplit_once(": ")).map(|(_, n)| n.to_string()))
        .unwrap_or_else(|| panic!("no cache use reported: {stderr}"));
    let (hits, total) = note.split_once(" of ").unwrap_or_else(|| panic!("cache use {note:?}"));
    (hits.parse().expect("hits"), total.parse().expect("total"))
}

/// The compiled functions' entries under the cache `dir`: one file per
/// function (`fn/`) and the packs of pre-lowering entries (`pack/`), not
/// the packs of parsed files (`parse/`).
fn entries(dir: &Path) -> Vec<PathBuf> {
    files_of(dir).into_iter().filter(|path| path.components().any(|c| c.as_os_str() == "fn" || c.as_os_str() == "pack")).collect()
}

/// The packs of parsed library files under the cache `dir`.
fn packs(dir: &Path) -> Vec<PathBuf> {
    files_of(dir).into_iter().filter(|path| path.components().any(|c| c.as_os_str() == "parse")).collect()
}

/// Every file under `dir`.
fn files_of(dir: &Path) -> Vec<PathBuf> {
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
    let (packs, stored): (Vec<PathBuf>, Vec<PathBuf>) = entries(&cache).into_iter().partition(|p| is_pack(p));
    assert_eq!(first_hits + stored.len(), total, "{first_hits} hits and {} entries for {total} functions", stored.len());
    assert_eq!(packs.len(), 1, "one pack of pre-lowering entries: {packs:?}");

    // The second build takes most library functions without lowering them,
    // declaring their symbols as lowering would: its executable is the
    // first's, byte for byte, and so is the third's.
    assert_eq!(build(&cache, &second_exe), (total, total));
    let third_exe = dir.join("third");
    assert_eq!(build(&cache, &third_exe), (total, total));
    let first = std::fs::read(&first_exe).expect("first");
    let (second, third) = (std::fs::read(&second_exe).expect("second"), std::fs::read(&third_exe).expect("third"));
    assert!(first == second, "a cached build's executable differs from the uncached build's");
    assert!(second == third, "two cached builds' executables differ");

    // Half the entries (and the pack) truncated, the other half with a
    // flipped byte.
    for (index, entry) in packs.iter().chain(&stored).enumerate() {
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

/// The number before `suffix` in the `--timings` line of `phase`.
fn timing_count(stderr: &str, phase: &str, suffix: &str) -> usize {
    let line = stderr.lines().find(|l| l.trim_start().starts_with(phase)).unwrap_or_else(|| panic!("no {phase:?} timing: {stderr}"));
    let before = line.split(suffix).next().filter(|b| b.len() < line.len()).unwrap_or_else(|| panic!("{suffix:?} in {line:?}"));
    before.rsplit([' ', ',', '(', ';']).find(|w| !w.is_empty()).and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("count before {suffix:?} in {line:?}"))
}

/// (files kept parsed from an earlier build, library files) as `g2n build
/// --timings` reports them.
fn kept_parsed(stderr: &str) -> (usize, usize) {
    // `  parse library files  1.0 ms  0%  N files, K KiB, M kept parsed from an earlier build`
    (timing_count(stderr, "parse library files", " kept parsed"), timing_count(stderr, "parse library files", " files,"))
}

/// What a build's parser did beyond the library files, as `g2n build
/// --timings` reports it.
#[derive(Debug, PartialEq)]
struct Parses {
    /// Library function bodies the check reached: decoded from a pack,
    /// parsed from their text.
    bodies_decoded: usize,
    bodies_parsed: usize,
    /// Hand-written packages (`stdlib/`): read back parsed, parsed.
    hand_written_read: usize,
    hand_written_parsed: usize,
}

fn parses(stderr: &str) -> Parses {
    Parses {
        bodies_decoded: timing_count(stderr, "library bodies reached", " decoded from the build cache"),
        bodies_parsed: timing_count(stderr, "library bodies reached", " parsed;"),
        hand_written_read: timing_count(stderr, "find and install library packages", " hand-written read back parsed"),
        hand_written_parsed: timing_count(stderr, "find and install library packages", " parsed;"),
    }
}

/// A warm build reads every library file's parse from the cache and makes
/// the executable a cold build makes; packs that are truncated or corrupt
/// are parsed again (the same executable) and replaced. The library bodies
/// the cold build reached, and the hand-written packages it parsed, come
/// back parsed: a warm build runs the parser on no library code.
#[test]
fn library_files_kept_parsed_give_the_same_executable_and_damaged_packs_are_parsed_again() {
    let dir = temp_dir("parse-cache");
    let cache = dir.join("cache");
    let build_timed = |exe: &Path| -> ((usize, usize), Parses, Vec<u8>) {
        let output = g2n(&cache).args(["build", "--timings", PROGRAM, "-o"]).arg(exe).output().expect("run g2n build");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(output.status.success(), "build failed: {stderr}");
        (kept_parsed(&stderr), parses(&stderr), std::fs::read(exe).expect("executable"))
    };
    let ((kept, files), cold_parses, cold) = build_timed(&dir.join("cold"));
    assert!(files > 10 && kept == 0, "{kept} of {files} kept parsed in an empty cache");
    let (bodies, hand_written) = (cold_parses.bodies_parsed, cold_parses.hand_written_parsed);
    assert!(bodies > 10 && hand_written > 1 && cold_parses.bodies_decoded + cold_parses.hand_written_read == 0, "{cold_parses:?}");
    let stored = packs(&cache);
    assert!(!stored.is_empty(), "no packs stored");
    let ((kept, warm_files), warm_parses, warm) = build_timed(&dir.join("warm"));
    assert_eq!((kept, warm_files), (files, files), "a warm build parsed library files");
    let nothing_parsed = Parses { bodies_decoded: bodies, bodies_parsed: 0, hand_written_read: hand_written, hand_written_parsed: 0 };
    assert_eq!(warm_parses, nothing_parsed, "a warm build parsed library code");
    assert!(cold == warm, "the warm build's executable differs from the cold build's");

    let hand_written_packs: Vec<PathBuf> = files_of(&cache).into_iter().filter(|path| path.components().any(|c| c.as_os_str() == "parse-stdlib")).collect();
    assert_eq!(hand_written_packs.len(), hand_written, "{hand_written_packs:?}");
    for (index, pack) in stored.iter().chain(&hand_written_packs).enumerate() {
        let mut bytes = std::fs::read(pack).expect("pack");
        if index % 2 == 0 {
            bytes.truncate(bytes.len() / 2);
        } else {
            let at = bytes.len() / 2;
            bytes[at] ^= 0x40;
        }
        std::fs::write(pack, bytes).expect("damage pack");
    }
    let ((kept, _), damaged_parses, damaged) = build_timed(&dir.join("damaged"));
    assert_eq!(kept, 0, "damaged packs were read");
    assert_eq!(damaged_parses, cold_parses, "damaged packs were read");
    assert!(damaged == cold, "the build with damaged packs made another executable");
    let ((kept, _), again_parses, _) = build_timed(&dir.join("again"));
    assert_eq!(kept, files, "damaged packs were not replaced");
    assert_eq!(again_parses, nothing_parsed, "damaged packs were not replaced");
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

/// A program of container/ring, whose `Len` counts the ring.
const RING_PROGRAM: &str = "package main\n\nimport (\n\t\"container/ring\"\n\t\"fmt\"\n)\n\nfunc main() {\n\tfmt.Println(ring.New(3).Len())\n}\n";

/// A GOROOT at `root` whose src is Go's (symlinks), but for a copy of
/// container/ring; the rest of Go's installation (its tools) linked in, so
/// that `go run` compiles against it too.
fn goroot_with_own_ring(root: &Path) -> PathBuf {
    let go_root = Path::new("/usr/lib/go-1.19");
    let go_src = go_root.join("src").canonicalize().expect("Go's source tree");
    std::fs::create_dir_all(root.join("src/container/ring")).expect("goroot dirs");
    for entry in std::fs::read_dir(go_root).expect("Go's root").flatten() {
        if entry.file_name() != "src" {
            std::os::unix::fs::symlink(entry.path(), root.join(entry.file_name())).expect("link into goroot");
        }
    }
    for entry in std::fs::read_dir(&go_src).expect("Go's src").flatten() {
        if entry.file_name() != "container" {
            std::os::unix::fs::symlink(entry.path(), root.join("src").join(entry.file_name())).expect("link into src");
        }
    }
    for package in ["heap", "list"] {
        std::os::unix::fs::symlink(go_src.join("container").join(package), root.join("src/container").join(package)).expect("link container");
    }
    let ring = root.join("src/container/ring/ring.go");
    std::fs::copy(go_src.join("container/ring/ring.go"), &ring).expect("copy ring.go");
    ring
}

/// What `go run` prints for `program` with `root` as GOROOT.
fn go_output(root: &Path, program: &Path, cache: &Path) -> String {
    let output = Command::new("go")
        .arg("run")
        .arg(program)
        .env("GOROOT", root)
        .env("GOCACHE", cache)
        .output()
        .expect("run go");
    assert!(output.status.success(), "go run: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// An edited library file is compiled anew: the cache never gives code of
/// the file as it was. container/ring's `Len` is edited in a GOROOT copy
/// between two builds that share a cache; the second executable prints what
/// `go run` prints with the edited tree, and its other library functions
/// still come from the cache.
#[test]
fn an_edited_library_file_is_compiled_anew() {
    let dir = temp_dir("build-cache-edit");
    let root = dir.join("goroot");
    let ring = goroot_with_own_ring(&root);
    let program = dir.join("ring.go");
    std::fs::write(&program, RING_PROGRAM).expect("write program");
    let cache = dir.join("cache");
    let build_and_run = |exe: &Path| -> (String, String) {
        let output = g2n(&cache).arg("--goroot").arg(&root).args(["build", "-v", "--timings"]).arg(&program).arg("-o").arg(exe).output().expect("run g2n build");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(output.status.success(), "build failed: {stderr}");
        let run = Command::new(exe).output().expect("run the executable");
        (String::from_utf8_lossy(&run.stdout).into_owned(), stderr)
    };

    let (before, _) = build_and_run(&dir.join("before"));
    assert_eq!(before, go_output(&root, &program, &dir.join("gocache")));
    let (again, stderr) = build_and_run(&dir.join("again"));
    assert_eq!(again, before);
    let (hits, total) = cache_use(&stderr);
    assert_eq!(hits, total, "{stderr}");

    let text = std::fs::read_to_string(&ring).expect("read ring.go");
    assert!(text.contains("\t\tn = 1\n"), "ring.go's Len changed upstream");
    std::fs::write(&ring, text.replacen("\t\tn = 1\n", "\t\tn = 101\n", 1)).expect("edit ring.go");
    let (after, stderr) = build_and_run(&dir.join("after"));
    let expected = go_output(&root, &program, &dir.join("gocache"));
    assert_ne!(expected, before, "the edit changes what Go prints");
    assert_eq!(after, expected, "the build used ring.go as it was: {stderr}");
    let (hits, after_total) = cache_use(&stderr);
    assert!(hits > 0 && hits < after_total, "{hits} of {after_total} from the cache after the edit: {stderr}");
    // Its parse too: only ring.go is parsed again, the other library files
    // are read from the cache.
    let (kept, files) = kept_parsed(&stderr);
    assert_eq!(kept + 1, files, "{kept} of {files} library files kept parsed after the edit: {stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Programs of tests/cli/run whose library is compiled from Go's source:
/// os, fmt, strconv, sort, encoding/json and reflect, math/big, bufio,
/// flag, log (which reads its callers' frames).
const VERIFIED: [&str; 7] = [
    "tests/cli/run/stdlib_from_source.go",
    "tests/cli/run/big_from_source.go",
    "tests/cli/run/bufio_from_source.go",
    "tests/cli/run/flag_from_source.go",
    "tests/cli/run/sort_from_source.go",
    "tests/cli/run/reflect_json_from_source.go",
    "tests/cli/run/log_from_source.go",
];

#[test]
fn every_pre_lowering_entry_is_the_function_lowered_again() {
    let dir = temp_dir("build-cache-verify");
    let cache = dir.join("cache");
    for program in VERIFIED {
        let exe = dir.join("program");
        // Cold: entries written. Warm with G2N_CACHE_VERIFY: every function
        // that has an entry is lowered and compiled again and compared
        // (the build fails on a difference). Warm: taken without lowering.
        // And the executable of that warm build is the cold one's.
        let ((_, total), _) = build_program(&cache, program, &exe, true);
        let cold = std::fs::read(&exe).expect("executable");
        let (used, not_lowered) = build_program(&cache, program, &exe, true);
        assert_eq!((used, not_lowered), ((total, total), 0), "{program} under G2N_CACHE_VERIFY");
        let (used, not_lowered) = build_program(&cache, program, &exe, false);
        assert_eq!(used, (total, total), "{program}");
        assert!(not_lowered > 0, "{program}: every library function was lowered");
        assert!(std::fs::read(&exe).expect("executable") == cold, "{program}: the warm build's executable differs from the cold one's");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A GOROOT under `dir` whose `src/strconv` is a copy of the real one (the
/// other packages are links to it): strconv's source can be edited.
fn goroot_with_strconv_copy(dir: &Path) -> PathBuf {
    let real = Path::new("/usr/share/go-1.19");
    let goroot = dir.join("goroot");
    std::fs::create_dir_all(goroot.join("src/strconv")).expect("goroot");
    for entry in std::fs::read_dir(real.join("src")).expect("GOROOT src").flatten() {
        let name = entry.file_name();
        if name == "strconv" {
            continue;
        }
        std::os::unix::fs::symlink(entry.path(), goroot.join("src").join(&name)).expect("link");
    }
    for entry in std::fs::read_dir(real.join("src/strconv")).expect("strconv").flatten().filter(|e| e.path().is_file()) {
        std::fs::copy(entry.path(), goroot.join("src/strconv").join(entry.file_name())).expect("copy");
    }
    goroot
}

#[test]
fn an_edited_library_function_is_compiled_again() {
    let dir = temp_dir("build-cache-edit-uncached-lowering");
    let cache = dir.join("cache");
    let goroot = goroot_with_strconv_copy(&dir);
    let program = dir.join("main.go");
    std::fs::write(&program, "package main\n\nimport (\n\t\"fmt\"\n\t\"strconv\"\n)\n\nfunc main() {\n\tfmt.Println(strconv.Itoa(12345))\n}\n")
        .expect("program");
    let exe = dir.join("program");
    let build = |expected: &str| {
        let output = g2n(&cache).env("GOROOT", &goroot).args(["build", "-v"]).arg(&program).arg("-o").arg(&exe).output().expect("run g2n build");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(output.status.success(), "{stderr}");
        let run = Command::new(&exe).output().expect("run the executable");
        assert_eq!(String::from_utf8_lossy(&run.stdout), expected);
        not_lowered(&stderr)
    };
    build("12345\n");
    assert!(build("12345\n") > 0, "nothing taken from the cache without lowering");
    // formatBits (too big to be inlined: taken from the cache without
    // lowering when unchanged) now appends a '!'.
    let itoa = goroot.join("src/strconv/itoa.go");
    let text = std::fs::read_to_string(&itoa).expect("itoa.go");
    assert!(text.contains("\ts = string(a[i:])\n"), "formatBits's last assignment moved");
    std::fs::write(&itoa, text.replace("\ts = string(a[i:])\n", "\ts = string(a[i:]) + \"!\"\n")).expect("edit itoa.go");
    build("12345!\n");
    let _ = std::fs::remove_dir_all(&dir);
}
