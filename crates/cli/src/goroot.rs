//! Finding Go's source tree (GOROOT) and loading the library packages a
//! program imports from it (`g2n_packages`), then installing them, with
//! g2n's hand-written packages, as the standard library the checker uses.

use crate::disk_tree::{file_names, DiskTree};
use crate::parse_cache::CachedTree;
use crate::module_root::ModuleRoot;
use g2n_ide::ProgramScope;
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

/// The directory of the package `g2n test` is building, if it is.
pub fn under_test_dir() -> Option<PathBuf> {
    UNDER_TEST.lock().unwrap_or_else(|e| e.into_inner()).as_ref().map(|u| u.dir.clone())
}

/// Makes the next builds compile `package` with its internal test files
/// (`None`: ordinary builds again).
pub fn set_under_test(package: Option<UnderTest>) {
    *UNDER_TEST.lock().unwrap_or_else(|e| e.into_inner()) = package;
}

/// GOROOT/src, with the package under test read from its own directory
/// (which may be outside GOROOT) and the packages of the program's module
/// from the module's directories.
struct ProgramTree<'a> {
    base: Option<CachedTree>,
    under_test: Option<UnderTest>,
    module: Option<&'a ModuleRoot>,
}

impl ProgramTree<'_> {
    /// Where package `path` is, when it is not under GOROOT/src.
    fn own_dir(&self, path: &str) -> Option<PathBuf> {
        if let Some(under_test) = self.under_test.as_ref().filter(|u| u.path == path) {
            return Some(under_test.dir.clone());
        }
        self.module?.package_dir(path)
    }
}

impl SourceTree for ProgramTree<'_> {
    fn list(&self, path: &str) -> Option<Vec<String>> {
        match self.own_dir(path) {
            Some(dir) => file_names(&dir),
            None => self.base.as_ref()?.list(path),
        }
    }

    fn read(&self, path: &str, name: &str) -> Option<String> {
        match self.own_dir(path) {
            Some(dir) => std::fs::read_to_string(dir.join(name)).ok(),
            None => self.base.as_ref()?.read(path, name),
        }
    }

    fn display(&self, path: &str, name: &str) -> String {
        match self.own_dir(path) {
            Some(dir) => dir.join(name).display().to_string(),
            None => self.base.as_ref().map_or_else(|| format!("{path}/{name}"), |b| b.display(path, name)),
        }
    }

    /// Only GOROOT's packages are kept parsed: not the package under test
    /// nor the module's, which are the user's.
    fn kept_parsed(&self, path: &str) -> Option<Vec<u8>> {
        match self.own_dir(path) {
            Some(_) => None,
            None => self.base.as_ref()?.kept_parsed(path),
        }
    }

    fn keep_parsed(&self, path: &str, pack: &[u8]) {
        if let (None, Some(base)) = (self.own_dir(path), &self.base) {
            base.keep_parsed(path, pack);
        }
    }
}

/// Loads the source packages the program's files need into `db` and
/// installs the standard library for the checks that follow. Problems
/// (a missing tree among them) are in the returned [`Loaded`] for the driver
/// to render. `module` is the program's module, if it has one.
pub fn load_library(program: &[&ast::File], db: &mut SourceDb, module: Option<&ModuleRoot>) -> Loaded {
    // g2n's own packages (`stdlib/`) are parsed as the load reaches them:
    // their time is the install's.
    let started = std::time::Instant::now();
    let loaded = load_library_untimed(program, db, module);
    if crate::timings::enabled() {
        let work = loaded.work;
        let what = format!("{} files, {} KiB", work.files, work.bytes / 1024);
        crate::timings::record("read library files from GOROOT", work.read, what.clone());
        crate::timings::record("parse library files", work.parse, format!("{what}, {} kept parsed from an earlier build", work.kept));
        let library = g2n_sema::installed_stdlib().unwrap_or_else(g2n_sema::hand_written);
        let parsed: Vec<&str> = library.parsed_paths().collect();
        let (kept, hand_parsed) = g2n_sema::hand_written_parses();
        let detail = format!("{kept} hand-written read back parsed, {hand_parsed} parsed; {} packages: {}", parsed.len(), parsed.join(", "));
        crate::timings::record("find and install library packages", started.elapsed().saturating_sub(work.read + work.parse), detail);
    }
    loaded
}

fn load_library_untimed(program: &[&ast::File], db: &mut SourceDb, module: Option<&ModuleRoot>) -> Loaded {
    let root = find();
    let tree = root.as_ref().map(|r| CachedTree::new(DiskTree { src: r.join("src") })).map_err(Clone::clone);
    let name = root.as_ref().map(|r| r.display().to_string()).unwrap_or_default();
    let under_test = UNDER_TEST.lock().unwrap_or_else(|e| e.into_inner()).clone();
    if under_test.is_none() && module.is_none() {
        let tree = tree.as_ref().map(|t| t as &dyn SourceTree).map_err(Clone::clone);
        return g2n_ide::install_library_under_test(tree, name, program, db, None, false, build_context());
    }
    let scope = ProgramScope {
        package: under_test.as_ref().map(|u| u.path.as_str()).or(module.map(|m| m.program_path.as_str())),
        with_tests: under_test.as_ref().is_some_and(|u| u.from_source),
        module: module.map(|m| m.path.as_str()),
    };
    let program_tree = ProgramTree { base: tree.ok(), under_test: under_test.clone(), module };
    g2n_ide::install_library_for(Ok(&program_tree), name, program, db, scope, build_context())
}
