//! `g2n fmt`: lays out Go files, and the Go code of nanoservice configs, as
//! gofmt does (crates/fmt). Like gofmt: `-l` lists the files whose layout
//! differs, `-d` prints the diffs, and without either the files are
//! rewritten in place. A file that cannot be read or parsed gets its
//! diagnostic and exit code 1, as every g2n command gives for bad input
//! (gofmt says 2; g2n keeps one convention across its commands).

use std::path::{Path, PathBuf};

use g2n_base::SourceDb;
use g2n_fmt::yaml::ConfigFormatError;

use crate::diagnostics;
use crate::inputs::{is_go, is_yaml};

pub struct FmtArgs {
    pub list: bool,
    pub diff: bool,
}

/// The files a directory holds, as gofmt walks it: Go files (and here
/// nanoservice configs) in name order, without hidden files and folders.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>()?;
    entries.sort();
    for path in entries {
        if path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.')) {
            continue;
        }
        if path.is_dir() {
            walk(&path, out)?;
        } else if is_go(&path) || (is_yaml(&path) && holds_code(&path)) {
            out.push(path);
        }
    }
    Ok(())
}

/// A YAML file met in a directory is formatted only when it is a
/// nanoservice config (a build's mesh.yaml and manifests are not).
fn holds_code(path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else { return false };
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let mut db = SourceDb::new();
    let file = db.add(path.display().to_string(), text.clone());
    g2n_manifest::config::load(file, &text, stem).0.is_some()
}

pub fn fmt(paths: &[PathBuf], args: &FmtArgs) -> i32 {
    let mut files = Vec::new();
    let mut status = 0;
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            if let Err(e) = walk(path, &mut found) {
                eprintln!("error: {}: {e}", path.display());
                status = 1;
            }
            // `.` lists `a.go`, not `./a.go`, as gofmt's walk does.
            files.extend(found.into_iter().map(|p| p.strip_prefix(".").map(Path::to_path_buf).unwrap_or(p)));
        } else {
            files.push(path.clone());
        }
    }
    for path in &files {
        if let Err(report) = fmt_file(path, args) {
            eprint!("{report}");
            status = 1;
        }
    }
    status
}

fn fmt_file(path: &Path, args: &FmtArgs) -> Result<(), String> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| format!("error: {name}: {e}\n"))?;
    let mut db = SourceDb::new();
    let formatted = if is_yaml(path) {
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let file = db.add(name.clone(), text.clone());
        match g2n_fmt::yaml::format_config(file, &text, stem) {
            Ok(f) => f,
            Err(ConfigFormatError::Config(errors)) => {
                return Err(errors.iter().map(|e| diagnostics::render(&db, e)).collect());
            }
            Err(ConfigFormatError::Syntax(errors)) => {
                return Err(errors.iter().map(|e| diagnostics::render(&db, e)).collect());
            }
            Err(ConfigFormatError::Interleaved(span)) => {
                let (line, col) = db.line_col(span.file, span.start);
                return Err(format!(
                    "error: {name}:{line}:{col}: the `code:` section has lines that are not code between its code lines (a comment or a blank line); g2n fmt would drop them\n"
                ));
            }
        }
    } else {
        let file = db.add(name.clone(), text.clone());
        match g2n_fmt::format_go(file, &text) {
            Ok(f) => f,
            Err(errors) => return Err(errors.iter().map(|e| diagnostics::render(&db, e)).collect()),
        }
    };
    if formatted == text {
        return Ok(());
    }
    if args.list {
        println!("{name}");
    }
    if args.diff {
        print!("{}", unified_diff(&name, &text, &formatted));
    }
    if !args.list && !args.diff {
        std::fs::write(path, formatted).map_err(|e| format!("error: {name}: {e}\n"))?;
    }
    Ok(())
}

/// A unified diff with gofmt -d's header.
fn unified_diff(name: &str, old: &str, new: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let body = diff.unified_diff().context_radius(3).header(&format!("{name}.orig"), name).to_string();
    format!("diff {name}.orig {name}\n{body}")
}
