//! Go's source tree on disk (Debian's golang-1.19-src) as a
//! `g2n_packages::SourceTree`, for tests that check programs in process and
//! so need the packages compiled from source, as the `g2n` command loads them.

use std::path::Path;

pub struct DebianGoroot;

impl g2n_packages::SourceTree for DebianGoroot {
    fn list(&self, path: &str) -> Option<Vec<String>> {
        let dir = Path::new(g2n_packages::DEBIAN_GOROOT).join("src").join(path);
        Some(std::fs::read_dir(dir).ok()?.flatten().filter_map(|e| e.file_name().into_string().ok()).collect())
    }

    fn read(&self, path: &str, name: &str) -> Option<String> {
        std::fs::read_to_string(Path::new(g2n_packages::DEBIAN_GOROOT).join("src").join(path).join(name)).ok()
    }

    fn display(&self, path: &str, name: &str) -> String {
        format!("{}/src/{path}/{name}", g2n_packages::DEBIAN_GOROOT)
    }
}

/// Loads every source package the `programs` import (into a database of
/// their own, whose ids start after `reserved` placeholder files so that they
/// do not collide with the programs' ids) and installs the standard library.
#[allow(dead_code)]
pub fn install_library(programs: &[&g2n_syntax::ast::File], reserved: usize) {
    let hand_written = g2n_sema::hand_written();
    let imports = |path: &str| hand_written.hand_written_imports(path);
    let loader = g2n_packages::Loader {
        tree: Ok(&DebianGoroot),
        root: g2n_packages::DEBIAN_GOROOT.to_string(),
        hand_written: &imports,
        context: g2n_packages::constraint::BuildContext::g2n(),
        under_test: None,
        program_path: None,
    };
    let mut db = g2n_base::SourceDb::new();
    for index in 0..reserved {
        db.add(format!("<program {index}>"), String::new());
    }
    let loaded = loader.load(programs, &mut db);
    assert!(loaded.syntax_errors.is_empty(), "{:?}", loaded.syntax_errors);
    let packages = loaded.packages.into_iter().map(|p| g2n_sema::stdlib::SourcePackage { path: p.path, files: p.files, has_assembly: p.has_assembly, linknames: p.linknames });
    g2n_sema::install_stdlib(Some(hand_written.clone().with_source_packages(packages)));
}
