//! The standard library as the checks see it: the packages a program
//! imports that are compiled from Go's source (`g2n_packages`, read from a
//! [`SourceTree`] the caller provides: GOROOT/src on disk for the command
//! line and `g2n lsp`), installed with g2n's hand-written ones. One copy of
//! this step for `g2n check`/`build`/`run` and the editor, and a cache of
//! its results for the editor ([`LibraryCache`]).

use g2n_base::{SourceDb, SourceFile};
use g2n_packages::{Loaded, Loader, Origin, SourceTree, constraint::BuildContext};
use g2n_sema::stdlib::StdLib;
use g2n_syntax::ast;

/// Loads the source packages `program` needs into `db` and installs the
/// standard library for the checks that follow. `tree` is Go's source tree
/// or why there is none (reported only if a package needs it); `root` names
/// it in diagnostics. Problems are in the returned [`Loaded`].
pub fn install_library(tree: Result<&dyn SourceTree, String>, root: String, program: &[&ast::File], db: &mut SourceDb) -> Loaded {
    install_library_under_test(tree, root, program, db, None, false, BuildContext::g2n())
}

/// [`install_library`] for `g2n test`: the program is the test package of
/// `package` (its path counts for `internal/` imports), which is compiled
/// from its directory in `tree` with its internal test files when
/// `with_tests`; files are selected for `context` (g2n's, with the tags of
/// `g2n test -tags`).
pub fn install_library_under_test(
    tree: Result<&dyn SourceTree, String>,
    root: String,
    program: &[&ast::File],
    db: &mut SourceDb,
    package: Option<&str>,
    with_tests: bool,
    context: BuildContext,
) -> Loaded {
    install_library_for(tree, root, program, db, ProgramScope { package, with_tests, module: None }, context)
}

/// Where a program stands, for the loader: its import path, whether it is
/// the test program of that package, and its module.
#[derive(Clone, Copy, Default)]
pub struct ProgramScope<'a> {
    /// The program's import path (`internal/` visibility), `None` for a
    /// program outside any module.
    pub package: Option<&'a str>,
    /// `package` is compiled from its directory with its internal test
    /// files (`g2n test`).
    pub with_tests: bool,
    /// The path of the program's module (go.mod's `module` line): `tree`
    /// lists and reads its packages, which are checked in full, as `go
    /// build` compiles all of each.
    pub module: Option<&'a str>,
}

/// [`install_library`] for a program of `scope`.
/// `context` holds the build tags (`g2n test -tags`).
pub fn install_library_for(tree: Result<&dyn SourceTree, String>, root: String, program: &[&ast::File], db: &mut SourceDb, scope: ProgramScope<'_>, context: BuildContext) -> Loaded {
    let hand_written_lib = g2n_sema::hand_written();
    let hand_written = |path: &str| hand_written_lib.hand_written_imports(path);
    let under_test = scope.package.filter(|_| scope.with_tests);
    let loader = Loader {
        tree,
        root,
        hand_written: &hand_written,
        context,
        under_test,
        program_path: scope.package,
        module: scope.module,
    };
    let mut loaded = loader.load(program, db);
    let packages = std::mem::take(&mut loaded.packages);
    let module_packages: Vec<String> = packages.iter().filter(|p| loader.origin(&p.path) == Origin::Module).map(|p| p.path.clone()).collect();
    // A program that needs no source package (hello world) does not copy
    // the hand-written library.
    // The package under test, and a module's packages, are checked in
    // full, as `go test` and `go build` compile all of them; the others
    // only as far as the program reaches them. A hand-written package
    // under test takes its own internal test files.
    let own_tests = scope.package.filter(|path| !scope.with_tests && hand_written_lib.has_test_files(path));
    let library = (!packages.is_empty() || own_tests.is_some()).then(|| {
        let library = hand_written_lib.clone().with_source_packages(packages.into_iter().map(|p| g2n_sema::stdlib::SourcePackage { path: p.path, files: p.files, has_assembly: p.has_assembly, linknames: p.linknames }));
        let library = match own_tests {
            Some(path) => library.with_test_files(path),
            None => library,
        };
        let library = match under_test {
            Some(path) => library.check_in_full(path),
            None => library,
        };
        module_packages.iter().fold(library, |library, path| library.check_in_full(path).module_package(path))
    });
    g2n_sema::install_stdlib(library);
    loaded
}

/// Libraries loaded for an editor, kept so that an edit which changes no
/// import neither reads nor parses Go's source again (nor leaks another
/// installed library: each load's stays allocated, `g2n_sema::install_stdlib`).
/// A few entries, the most recent first, so that moving between two
/// projects does not reload at each switch.
#[derive(Default)]
pub struct LibraryCache {
    entries: Vec<CachedLibrary>,
}

/// What one load produced: the library's files as the load registered
/// them, and the library it installed.
struct CachedLibrary {
    key: LibraryKey,
    files: Vec<SourceFile>,
    stdlib: Option<&'static StdLib>,
}

/// What a load depends on. The loaded packages' syntax trees name their
/// files by `FileId`, so the files must come back at the same ids: a load
/// is reused only for a database holding as many files before it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) struct LibraryKey {
    root: String,
    imports: Vec<String>,
    first_file: usize,
}

const CACHED_LIBRARIES: usize = 4;

impl LibraryKey {
    /// `root` says which Go source tree loads read (its path, or why there
    /// is none).
    pub(crate) fn new(root: &str, program: &[&ast::File], db: &SourceDb) -> LibraryKey {
        let mut imports: Vec<String> = program.iter().flat_map(|f| f.imports.iter().map(|i| i.path.clone())).collect();
        imports.sort();
        imports.dedup();
        LibraryKey { root: root.to_string(), imports, first_file: db.files().count() }
    }
}

impl LibraryCache {
    /// Registers the cached library of `key` in `db` and installs it, if
    /// there is one; false otherwise.
    pub(crate) fn install(&mut self, key: &LibraryKey, db: &mut SourceDb) -> bool {
        let Some(at) = self.entries.iter().position(|e| &e.key == key) else { return false };
        let entry = self.entries.remove(at);
        for file in &entry.files {
            db.add_embedded(file.name.clone(), file.display_text.clone(), file.code.clone());
        }
        g2n_sema::reinstall_stdlib(entry.stdlib);
        self.entries.insert(0, entry);
        true
    }

    /// Keeps the library just loaded and installed for `key` (the files of
    /// `db` from `key`'s first file on).
    pub(crate) fn keep(&mut self, key: LibraryKey, db: &SourceDb) {
        let files = db.files().skip(key.first_file).map(|(_, f)| f.clone()).collect();
        self.entries.retain(|e| e.key != key);
        self.entries.insert(0, CachedLibrary { key, files, stdlib: g2n_sema::installed_stdlib() });
        self.entries.truncate(CACHED_LIBRARIES);
    }
}
