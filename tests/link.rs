//! The link (crates/cli/src/link.rs, link/prelink.rs): the first link of a
//! runtime archive prelinks it into one object next to it, which later
//! links take (with mold installed, the object also holds the start files
//! and the C library, `….static-…`, and mold links; else the runtime alone,
//! `….prelinked-…`, and gold links); a prelink that fails (here: a C
//! compiler whose `ld.bfd` does not exist) leaves a `.failed` marker and the
//! archive is linked instead. Either way the executable prints what Go
//! prints (tests/cli/run/hello). The archive is a copy, in a directory of
//! the test's own.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

/// The runtime archive `g2n` itself would take (link.rs
/// `find_runtime_for`): the newest of the copies cargo made.
fn runtime_archive() -> PathBuf {
    let dir = Path::new(env!("CARGO_BIN_EXE_g2n")).parent().expect("target directory").to_path_buf();
    let mut candidates: Vec<PathBuf> = vec![dir.join("libg2n_runtime.a")];
    for entry in std::fs::read_dir(dir.join("deps")).expect("deps").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("libg2n_runtime-") && name.ends_with(".a") {
            candidates.push(entry.path());
        }
    }
    candidates.into_iter().filter(|p| p.is_file()).max_by_key(|p| p.metadata().and_then(|m| m.modified()).ok()).expect("a runtime archive")
}

/// Files in `dir` whose names contain `part`.
fn files_with(dir: &Path, part: &str) -> Vec<String> {
    let names = std::fs::read_dir(dir).expect("read dir").flatten().map(|e| e.file_name().to_string_lossy().into_owned());
    names.filter(|name| name.contains(part)).collect()
}

/// Whether `mold` is a program in `PATH` (then g2n links with it).
fn mold_installed() -> bool {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).any(|dir| dir.join("mold").is_file())
}

/// The linker that wrote `exe`, from what it leaves in the executable: mold
/// names itself in `.comment`, gold adds a `.note.gnu.gold-version`
/// section.
fn linked_by(exe: &Path) -> &'static str {
    let bytes = std::fs::read(exe).expect("read the executable");
    let has = |text: &[u8]| bytes.windows(text.len()).any(|w| w == text);
    match (has(b"mold "), has(b".note.gnu.gold-version")) {
        (true, false) => "mold",
        (false, true) => "gold",
        _ => "another linker",
    }
}

/// Builds tests/cli/run/hello.go with `archive` into `exe` (with `cc` as
/// the C compiler, and `path` as `PATH` if given) and checks what it
/// prints.
fn build_and_run(archive: &Path, exe: &Path, cc: &Path, cache: &Path, path: Option<&Path>) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_g2n"));
    if let Some(path) = path {
        command.env("PATH", path);
    }
    let output = command
        .current_dir(repo_root())
        .env("G2N_RUNTIME_LIB", archive)
        .env("G2N_CACHE", cache)
        .env("CC", cc)
        .env_remove("G2N_RUNTIME")
        .args(["build", "tests/cli/run/hello.go", "-o"])
        .arg(exe)
        .output()
        .expect("run g2n build");
    assert!(output.status.success(), "build failed: {}", String::from_utf8_lossy(&output.stderr));
    let run = Command::new(exe).output().expect("run the executable");
    let expected = std::fs::read_to_string(repo_root().join("tests/cli/run/hello.stdout")).expect("expected stdout");
    assert_eq!(String::from_utf8_lossy(&run.stdout), expected);
}

/// A fresh directory of the test's own with a copy of the runtime archive.
fn test_dir(name: &str) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("g2n-test-link-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let archive = dir.join("libg2n_runtime.a");
    std::fs::copy(runtime_archive(), &archive).expect("copy the runtime archive");
    (dir, archive)
}

#[test]
fn the_runtime_is_prelinked_once_and_a_failed_prelink_falls_back_to_the_archive() {
    let (dir, archive) = test_dir("once");
    let cache = dir.join("cache");
    let cc = PathBuf::from("cc");
    let (kind, linker) = if mold_installed() { (".static-", "mold") } else { (".prelinked-", "gold") };

    build_and_run(&archive, &dir.join("first"), &cc, &cache, None);
    let objects = files_with(&dir, kind);
    assert!(objects.len() == 1 && objects[0].ends_with(".o"), "one prelinked object next to the archive: {objects:?}");
    assert_eq!(linked_by(&dir.join("first")), linker);
    build_and_run(&archive, &dir.join("second"), &cc, &cache, None);
    assert_eq!(files_with(&dir, kind), objects, "the second link takes the same object");
    assert_eq!(files_with(&dir, ".prelinked-").len() + files_with(&dir, ".static-").len(), 1, "no other prelinked object");
    let lines = files_with(&dir, ".line");
    assert_eq!(lines.len(), 1, "the link line of `cc` is kept beside the archive: {lines:?}");

    // A rebuilt archive (another modification time) with a C compiler that
    // names an `ld.bfd` that does not exist.
    let no_bfd = dir.join("cc-without-ld-bfd");
    std::fs::write(&no_bfd, "#!/bin/sh\ncase \"$1\" in -print-prog-name=ld.bfd) echo /nonexistent/ld.bfd; exit 0;; esac\nexec cc \"$@\"\n")
        .expect("write the C compiler wrapper");
    assert!(Command::new("chmod").arg("+x").arg(&no_bfd).status().expect("chmod").success());
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(2);
    std::fs::File::options().write(true).open(&archive).and_then(|f| f.set_modified(later)).expect("touch the archive");
    build_and_run(&archive, &dir.join("third"), &no_bfd, &cache, None);
    // One marker per kind of prelinked object tried: the one with the C
    // library (when mold is installed), then the runtime alone.
    let failed = files_with(&dir, ".failed");
    assert_eq!(failed.len(), if mold_installed() { 2 } else { 1 }, "failure markers: {failed:?}");
    for marker in &failed {
        let reason = std::fs::read_to_string(dir.join(marker)).expect("read the marker");
        assert!(reason.contains("/nonexistent/ld.bfd"), "{reason}");
    }
    assert_eq!(files_with(&dir, ".line").len(), 2, "the wrapper is another compiler, with a line of its own");

    let _ = std::fs::remove_dir_all(&dir);
}

/// Without mold, gold links the program's object with the runtime
/// prelinked alone (and the C library's archives).
#[test]
fn without_mold_gold_links_the_runtime_prelinked_alone() {
    let (dir, archive) = test_dir("gold");
    // A `PATH` of the programs the link runs but mold.
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).expect("bin dir");
    for program in ["cc", "ld.gold", "ld.bfd"] {
        let path = Command::new("sh").arg("-c").arg(format!("command -v {program}")).output().expect("sh");
        let path = String::from_utf8_lossy(&path.stdout).trim().to_string();
        assert!(!path.is_empty(), "{program} is installed");
        std::os::unix::fs::symlink(&path, bin.join(program)).expect("symlink");
    }
    build_and_run(&archive, &dir.join("exe"), Path::new("cc"), &dir.join("cache"), Some(&bin));
    let objects = files_with(&dir, ".prelinked-");
    assert!(objects.len() == 1 && objects[0].ends_with(".o"), "one prelinked object next to the archive: {objects:?}");
    assert!(files_with(&dir, ".static-").is_empty(), "no object with the C library");
    assert_eq!(linked_by(&dir.join("exe")), "gold");
    let _ = std::fs::remove_dir_all(&dir);
}
