//! Loading the packages compiled from Go's source (Debian's golang-1.19-src)
//! and installing the standard library, for tests that check programs in
//! process and so need those packages, as the `g2n` command loads them.

// The command's own disk tree (crates/cli/src/disk_tree.rs), one copy.
#[path = "../../crates/cli/src/disk_tree.rs"]
mod disk_tree;

use disk_tree::DiskTree;
use std::path::Path;

/// Loads every source package the `programs` import (into a database of
/// their own, whose ids start after `reserved` placeholder files so that they
/// do not collide with the programs' ids) and installs the standard library.
#[allow(dead_code)]
pub fn install_library(programs: &[&g2n_syntax::ast::File], reserved: usize) {
    let hand_written = g2n_sema::hand_written();
    let imports = |path: &str| hand_written.hand_written_imports(path);
    let loader = g2n_packages::Loader {
        tree: Ok(&DiskTree { src: Path::new(g2n_packages::DEBIAN_GOROOT).join("src") }),
        root: g2n_packages::DEBIAN_GOROOT.to_string(),
        hand_written: &imports,
        context: g2n_packages::constraint::BuildContext::g2n(),
        under_test: None,
        program_path: None,
        module: None,
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
