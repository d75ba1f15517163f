//! Finding Go's source tree (GOROOT) and loading the library packages a
//! program imports from it (`g2n_packages`), then installing them, with
//! g2n's hand-written packages, as the standard library the checker uses.

use g2n_base::SourceDb;
use g2n_packages::{DEBIAN_GOROOT, Loaded, SourceTree};
use g2n_syntax::ast;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// `--goroot DIR`, set once by `main` before any command runs.
static FLAG: OnceLock<PathBuf> = OnceLock::new();

pub fn set_flag(dir: PathBuf) {
    let _ = FLAG.set(dir);
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

/// GOROOT/src on disk.
struct DiskTree {
    src: PathBuf,
}

impl SourceTree for DiskTree {
    fn list(&self, path: &str) -> Option<Vec<String>> {
        let entries = std::fs::read_dir(self.src.join(path)).ok()?;
        Some(entries.filter_map(|e| e.ok()).filter(|e| e.path().is_file()).filter_map(|e| e.file_name().into_string().ok()).collect())
    }

    fn read(&self, path: &str, name: &str) -> Option<String> {
        std::fs::read_to_string(self.src.join(path).join(name)).ok()
    }

    fn display(&self, path: &str, name: &str) -> String {
        self.src.join(path).join(name).display().to_string()
    }
}

/// Loads the source packages the program's files need into `db` and
/// installs the standard library for the checks that follow. Problems
/// (a missing tree among them) are in the returned [`Loaded`] for the driver
/// to render.
pub fn load_library(program: &[&ast::File], db: &mut SourceDb) -> Loaded {
    let root = find();
    let tree = root.as_ref().map(|r| DiskTree { src: r.join("src") }).map_err(Clone::clone);
    let name = root.as_ref().map(|r| r.display().to_string()).unwrap_or_default();
    g2n_ide::install_library(tree.as_ref().map(|t| t as &dyn SourceTree).map_err(Clone::clone), name, program, db)
}
