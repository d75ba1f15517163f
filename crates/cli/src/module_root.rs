//! The module a program belongs to, found as `go` finds it: the nearest
//! `go.mod` in the program's directory or above it. Its packages (import
//! paths under its `module` path) are compiled from the module's
//! directories (`goroot::load_library` reads them through the loader, as it
//! reads GOROOT); `g2n_packages::module` parses the file and refuses what
//! g2n cannot build (a `require` of another module).

use crate::diagnostics;
use g2n_base::SourceDb;
use std::path::{Path, PathBuf};

/// A program's module: its path and root directory, and the program's
/// own import path in it.
#[derive(Clone, Debug)]
pub struct ModuleRoot {
    /// go.mod's `module` path.
    pub path: String,
    /// The directory holding go.mod.
    pub dir: PathBuf,
    /// The import path of the program's directory (the module's path joined
    /// with the directory below the root): its `internal/` visibility.
    pub program_path: String,
}

impl ModuleRoot {
    /// The directory of the module's package `import`, `None` when it is
    /// not one of the module's.
    pub fn package_dir(&self, import: &str) -> Option<PathBuf> {
        let rel = g2n_packages::module::package_dir(&self.path, import)?;
        Some(if rel.is_empty() { self.dir.clone() } else { self.dir.join(rel) })
    }
}

/// The module of the program in `dir`: `Ok(None)` when no go.mod is in
/// `dir` or above it; `Err(count)` after printing the go.mod's problems
/// (their spans in `db`, where the file is registered).
pub fn find(dir: &Path, db: &mut SourceDb) -> Result<Option<ModuleRoot>, usize> {
    let Ok(dir) = dir.canonicalize() else { return Ok(None) };
    let Some(root) = dir.ancestors().find(|a| a.join("go.mod").is_file()) else { return Ok(None) };
    // GOROOT/src/go.mod is the standard library's (`module std`), which the
    // loader reads as Go's source tree.
    if let Ok(goroot) = crate::goroot::find()
        && goroot.join("src").canonicalize().is_ok_and(|src| dir.starts_with(src))
    {
        return Ok(None);
    }
    let go_mod = root.join("go.mod");
    let text = match std::fs::read_to_string(&go_mod) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", go_mod.display());
            return Err(1);
        }
    };
    let file = db.add(go_mod.display().to_string(), text);
    match g2n_packages::module::parse_go_mod(file, db.code(file)) {
        Ok(module) => {
            let rel = dir.strip_prefix(root).unwrap_or(Path::new("")).to_string_lossy().into_owned();
            let program_path = if rel.is_empty() { module.path.clone() } else { format!("{}/{rel}", module.path) };
            Ok(Some(ModuleRoot { path: module.path, dir: root.to_path_buf(), program_path }))
        }
        Err(errors) => {
            for error in &errors {
                eprint!("{}", diagnostics::render(db, error));
            }
            Err(errors.len())
        }
    }
}
