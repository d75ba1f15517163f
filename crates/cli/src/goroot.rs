//! Finding Go's source tree (GOROOT) and loading the library packages a
//! program imports from it (`g2n_packages`), then installing them, with
//! g2n's hand-written packages, as the standard library the checker uses.

use crate::disk_tree::{file_names, DiskTree};
use g2n_base::SourceDb;
use g2n_packages::constraint::BuildContext;
use g2n_packages::{DEBIAN_GOROOT, Loaded, SourceTree};
use g2n_syntax::ast;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// `--goroot DIR`, set once by `main` before any command runs.
static FLAG: OnceLock<PathBuf> = OnceLock::new();

pub fn set_flag(dir: PathBuf) {
    let _ = FLAG.set(dir);
}

/// `g2n test -tags`: build tags that hold besides g2n's own, set once by
/// `main` before any command runs.
static TAGS: OnceLock<Vec<String>> = OnceLock::new();

pub fn set_tags(tags: Vec<String>) {
    let _ = TAGS.set(tags);
}

/// What files of Go's source are selected for: g2n's context
/// ([`BuildContext::g2n`]) with the tags of `-tags`.
pub fn build_context() -> BuildContext {
    BuildContext::g2n().with_tags(TAGS.get().into_iter().flatten().map(String::as_str))
}

/// GOROOT: the `--goroot` flag, else the `GOROOT` environment variable,
/// else Debian's golang-1.19-src location; the error says why there is none
/// (reported only if a program needs a package compiled from source).
pub fn find() -> Result<PathBuf, String> {
    let named = FLAG.get().cloned().map(|p| (p, "--goroot")).or_else(|| {
        std::env::var_os("GOROOT").filter(|v| !v.is_empty()).map(|v| (PathBuf::from(v), "GOROOT"))
    });
    if let Some((dir, how)) = named {
        if dir.join("src").is_dir() {
            return Ok(dir);
        }
        return Err(format!("{how} names {}, which has no src directory", dir.display()));
    }
    let debian = Path::new(DEBIAN_GOROOT);
    if debian.join("src").is_dir() {
        Ok(debian.to_path_buf())
    } else {
        Err(format!("no Go source tree was found (no --goroot, no GOROOT, no {DEBIAN_GOROOT})"))
    }
}

/// The package `g2n test` is building a test binary for: its import path
/// and directory (set for the length of one package's build), and whether
/// it is compiled from there with its internal test files (not when it is
/// one of g2n's own packages).
#[derive(Clone, Debug)]
pub struct UnderTest {
    pub path: String,
    pub dir: PathBuf,
    pub from_source: bool,
}

static UNDER_TEST: Mutex<Option<UnderTest>> = Mutex::new(None);

/// Makes the next builds compile `package` with its internal test files
/// (`None`: ordinary builds again).
pub fn set_under_test(package: Option<UnderTest>) {
    *UNDER_TEST.lock().unwrap_or_else(|e| e.into_inner()) = package;
}

/// GOROOT/src, with the package under test read from its own directory
/// (which may be outside GOROOT).
struct TestTree {
    base: Option<DiskTree>,
    under_test: UnderTest,
}

impl SourceTree for TestTree {
    fn list(&self, path: &str) -> Option<Vec<String>> {
        if path == self.under_test.path {
            return file_names(&self.under_test.dir);
        }
        self.base.as_ref()?.list(path)
    }

    fn read(&self, path: &str, name: &str) -> Option<String> {
        if path == self.under_test.path {
            return std::fs::read_to_string(self.under_test.dir.join(name)).ok();
        }
        self.base.as_ref()?.read(path, name)
    }

    fn display(&self, path: &str, name: &str) -> String {
        if path == self.under_test.path {
            return self.under_test.dir.join(name).display().to_string();
        }
        self.base.as_ref().map_or_else(|| format!("{path}/{name}"), |b| b.display(path, name))
    }
}

/// Loads the source packages the program's files need into `db` and
/// installs the standard library for the checks that follow. Problems
/// (a missing tree among them) are in the returned [`Loaded`] for the driver
/// to render.
pub fn load_library(program: &[&ast::File], db: &mut SourceDb) -> Loaded {
    // g2n's own packages (`stdlib/`) are parsed as the load reaches them:
    // their time is the install's.
    let started = std::time::Instant::now();
    let loaded = load_library_untimed(program, db);
    if crate::timings::enabled() {
        let work = loaded.work;
        let what = format!("{} files, {} KiB", work.files, work.bytes / 1024);
        crate::timings::record("read library files from GOROOT", work.read, what.clone());
        crate::timings::record("parse library files", work.parse, what);
        let library = g2n_sema::installed_stdlib().unwrap_or_else(g2n_sema::hand_written);
        let parsed: Vec<&str> = library.parsed_paths().collect();
        let detail = format!("{} packages: {}", parsed.len(), parsed.join(", "));
        crate::timings::record("find and install library packages", started.elapsed().saturating_sub(work.read + work.parse), detail);
    }
    loaded
}

fn load_library_untimed(program: &[&ast::File], db: &mut SourceDb) -> Loaded {
    let root = find();
    let tree = root.as_ref().map(|r| DiskTree { src: r.join("src") }).map_err(Clone::clone);
    let name = root.as_ref().map(|r| r.display().to_string()).unwrap_or_default();
    let under_test = UNDER_TEST.lock().unwrap_or_else(|e| e.into_inner()).clone();
    if let Some(under_test) = under_test {
        let (path, from_source) = (under_test.path.clone(), under_test.from_source);
        let test_tree = TestTree { base: tree.ok(), under_test };
        return g2n_ide::install_library_under_test(Ok(&test_tree), name, program, db, Some(&path), from_source, build_context());
    }
    let tree = tree.as_ref().map(|t| t as &dyn SourceTree).map_err(Clone::clone);
    g2n_ide::install_library_under_test(tree, name, program, db, None, false, build_context())
}
