//! What the command line's inputs are, before anything is parsed: files by
//! their extension, directories by what they hold, and the several Go files
//! that together make one program (as `go run` and `go build` take them).
//!
//! - A `.go`/`.g2n` file is Go code, a `.yaml`/`.yml` file a nanoservice
//!   config; any other extension is refused, naming the file.
//! - A directory holding configs is the mesh of its configs (the output of
//!   `g2n split`); otherwise its `.go` files, but those ending in `_test.go`,
//!   are one program, named after the directory, as `go build` names it.
//! - Several Go files and no config are one program too (one package, all
//!   `package main`), named after the first file, as `go build a.go b.go`
//!   names its executable. Go files given with configs stay a mesh.

use crate::driver::Failed;
use std::path::{Path, PathBuf};

/// The inputs with every directory replaced by the files it holds.
pub struct Inputs {
    pub paths: Vec<PathBuf>,
    /// The name of a program given as a directory of Go files.
    pub program_name: Option<String>,
}

pub fn is_yaml(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
}

pub fn is_go(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("go" | "g2n"))
}

/// `go run` and `go build` leave a package's tests out.
fn is_go_test(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with("_test.go"))
}

/// Set by `g2n test`, whose test programs are made of `_test.go` files.
static TEST_FILES_ALLOWED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Lets files named on the command line be `_test.go` files (`g2n test`).
pub fn allow_test_files() {
    TEST_FILES_ALLOWED.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Expands directories and refuses inputs g2n does not read.
pub fn expand(paths: &[PathBuf]) -> Result<Inputs, Failed> {
    let fail = |message: String| {
        eprintln!("error: {message}");
        Failed
    };
    let mut out = Vec::new();
    let mut program_name = None;
    for path in paths {
        if !path.is_dir() {
            if is_go_test(path) && !TEST_FILES_ALLOWED.load(std::sync::atomic::Ordering::Relaxed) {
                return Err(fail(format!("{}: test files (_test.go) are not part of a program; `go test` runs them, g2n does not", path.display())));
            }
            if !is_go(path) && !is_yaml(path) && !path.exists() {
                return Err(fail(format!("cannot read {}: no such file or directory", path.display())));
            }
            if !is_go(path) && !is_yaml(path) {
                return Err(fail(format!(
                    "{}: not an input g2n reads: Go files end in .go or .g2n, nanoservice configs in .yaml or .yml",
                    path.display()
                )));
            }
            out.push(path.clone());
            continue;
        }
        let entries = std::fs::read_dir(path).map_err(|e| fail(format!("cannot read directory {}: {e}", path.display())))?;
        let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_file()).collect();
        files.sort();
        let configs: Vec<PathBuf> = files.iter().filter(|p| is_yaml(p)).cloned().collect();
        if !configs.is_empty() {
            out.extend(configs);
            continue;
        }
        let go: Vec<PathBuf> = files.into_iter().filter(|p| is_go(p) && !is_go_test(p)).collect();
        if go.is_empty() {
            return Err(fail(format!("directory {} holds no Go files (.go) and no nanoservice configs (.yaml)", path.display())));
        }
        if paths.len() > 1 {
            return Err(fail(format!("{} is a program (a directory of Go files): give it alone, as with go build", path.display())));
        }
        program_name = Some(directory_name(path));
        out.extend(go);
    }
    Ok(Inputs { paths: out, program_name })
}

/// The last component of the directory's absolute path (`.` is the current
/// directory's name).
fn directory_name(path: &Path) -> String {
    let absolute = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    absolute.file_name().and_then(|n| n.to_str()).unwrap_or("main").to_string()
}

/// Merging the files of one program is the editor's analysis too (a
/// directory of Go files is one program there as well): one implementation.
pub use g2n_ide::merge_package;
