//! The standard library as the checks see it: the packages a program
//! imports that are compiled from Go's source (`g2n_packages`, read from a
//! [`SourceTree`] the caller provides: GOROOT/src on disk for the command
//! line and `g2n lsp`), installed with g2n's hand-written ones. One copy of
//! this step for `g2n check`/`build`/`run` and the editor.

use g2n_base::SourceDb;
use g2n_packages::{Loaded, Loader, SourceTree, constraint::BuildContext};
use g2n_syntax::ast;

/// Loads the source packages `program` needs into `db` and installs the
/// standard library for the checks that follow. `tree` is Go's source tree
/// or why there is none (reported only if a package needs it); `root` names
/// it in diagnostics. Problems are in the returned [`Loaded`].
pub fn install_library(tree: Result<&dyn SourceTree, String>, root: String, program: &[&ast::File], db: &mut SourceDb) -> Loaded {
    let hand_written_lib = g2n_sema::hand_written();
    let hand_written = |path: &str| hand_written_lib.hand_written_imports(path);
    let loader = Loader { tree, root, hand_written: &hand_written, context: BuildContext::g2n() };
    let mut loaded = loader.load(program, db);
    let packages = std::mem::take(&mut loaded.packages);
    // A program that needs no source package (hello world) does not copy
    // the hand-written library.
    let library = (!packages.is_empty())
        .then(|| hand_written_lib.clone().with_source_packages(packages.into_iter().map(|p| (p.path, p.files, p.has_assembly))));
    g2n_sema::install_stdlib(library);
    loaded
}
