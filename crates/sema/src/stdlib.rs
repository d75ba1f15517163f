//! The standard library, read from the Go-dialect packages under `stdlib/`.
//!
//! A package may declare types, methods, functions with bodies, constants and
//! variables in the dialect: the checker checks each imported package in its
//! own package scope, dependencies first, and compiles it with the program
//! (see `Checker::load_package`). A function declared without a body is a
//! runtime intrinsic (`runtime_symbol`); a typed variable without an
//! initializer is read through the runtime function of the same symbol.
//!
//! The files are embedded at compile time: the compiler never reads them from
//! disk, so a `g2n` binary works from any directory.

use g2n_base::FileId;
use g2n_syntax::ast;
use std::collections::BTreeMap;

/// `(import path, file name, source)` of every stdlib file.
const SOURCES: &[(&str, &str, &str)] = &[
    ("fmt", "stdlib/fmt/fmt.go", include_str!("../../../stdlib/fmt/fmt.go")),
    ("fmt", "stdlib/fmt/formatter.go", include_str!("../../../stdlib/fmt/formatter.go")),
    ("fmt", "stdlib/fmt/scan.go", include_str!("../../../stdlib/fmt/scan.go")),
    ("fmt", "stdlib/fmt/scan_format.go", include_str!("../../../stdlib/fmt/scan_format.go")),
    ("fmt", "stdlib/fmt/scan_number.go", include_str!("../../../stdlib/fmt/scan_number.go")),
    ("runtime", "stdlib/runtime/runtime.go", include_str!("../../../stdlib/runtime/runtime.go")),
    ("runtime", "stdlib/runtime/extern.go", include_str!("../../../stdlib/runtime/extern.go")),
    ("runtime", "stdlib/runtime/mstats.go", include_str!("../../../stdlib/runtime/mstats.go")),
    ("runtime", "stdlib/runtime/error.go", include_str!("../../../stdlib/runtime/error.go")),
    ("crypto/rand", "stdlib/crypto/rand/rand.go", include_str!("../../../stdlib/crypto/rand/rand.go")),
    ("runtime/debug", "stdlib/runtime/debug/debug.go", include_str!("../../../stdlib/runtime/debug/debug.go")),
    (
        "crypto/internal/boring/sig",
        "stdlib/crypto/internal/boring/sig/sig.go",
        include_str!("../../../stdlib/crypto/internal/boring/sig/sig.go"),
    ),
    ("sync", "stdlib/sync/sync.go", include_str!("../../../stdlib/sync/sync.go")),
    ("sync", "stdlib/sync/export_test.go", include_str!("../../../stdlib/sync/export_test.go")),
    ("sync/atomic", "stdlib/sync/atomic/atomic.go", include_str!("../../../stdlib/sync/atomic/atomic.go")),
    ("testing", "stdlib/testing/testing.go", include_str!("../../../stdlib/testing/testing.go")),
    ("testing", "stdlib/testing/benchmark_result.go", include_str!("../../../stdlib/testing/benchmark_result.go")),
    ("testing", "stdlib/testing/fuzz.go", include_str!("../../../stdlib/testing/fuzz.go")),
    (
        "testing/internal/matchre",
        "stdlib/testing/internal/matchre/matchre.go",
        include_str!("../../../stdlib/testing/internal/matchre/matchre.go"),
    ),
    ("reflect", "stdlib/reflect/type.go", include_str!("../../../stdlib/reflect/type.go")),
    ("reflect", "stdlib/reflect/fields.go", include_str!("../../../stdlib/reflect/fields.go")),
    ("reflect", "stdlib/reflect/structof.go", include_str!("../../../stdlib/reflect/structof.go")),
    ("reflect", "stdlib/reflect/value.go", include_str!("../../../stdlib/reflect/value.go")),
    ("reflect", "stdlib/reflect/deepequal.go", include_str!("../../../stdlib/reflect/deepequal.go")),
    ("reflect", "stdlib/reflect/text.go", include_str!("../../../stdlib/reflect/text.go")),
    ("reflect", "stdlib/reflect/convert.go", include_str!("../../../stdlib/reflect/convert.go")),
    ("reflect", "stdlib/reflect/call.go", include_str!("../../../stdlib/reflect/call.go")),
    ("internal/cpu", "stdlib/internal/cpu/cpu.go", include_str!("../../../stdlib/internal/cpu/cpu.go")),
    ("internal/testenv", "stdlib/internal/testenv/testenv.go", include_str!("../../../stdlib/internal/testenv/testenv.go")),
    ("internal/typedesc", "stdlib/internal/typedesc/typedesc.go", include_str!("../../../stdlib/internal/typedesc/typedesc.go")),
    ("internal/typedesc", "stdlib/internal/typedesc/text.go", include_str!("../../../stdlib/internal/typedesc/text.go")),
    (
        "internal/reflectlite",
        "stdlib/internal/reflectlite/type.go",
        include_str!("../../../stdlib/internal/reflectlite/type.go"),
    ),
    (
        "internal/reflectlite",
        "stdlib/internal/reflectlite/value.go",
        include_str!("../../../stdlib/internal/reflectlite/value.go"),
    ),
];

/// A function declared without a body: the runtime implements it. Its types
/// are kept as written and resolved in each program's type table.
#[derive(Clone, Debug)]
pub struct StdFunc {
    pub name: String,
    pub params: Vec<ast::TypeExpr>,
    pub results: Vec<ast::TypeExpr>,
    /// The last parameter is `...T`.
    pub variadic: bool,
    /// The runtime function it is bound to: `g2n_std_<path>_<Name>`, or for
    /// a `//go:linkname local importpath.name`, the target's symbol.
    pub symbol: String,
}

/// A package compiled from Go's source, as `g2n_packages::Loader` found and
/// parsed it (its files are in the driver's `SourceDb`).
#[derive(Clone, Debug)]
pub struct SourcePackage {
    pub path: String,
    pub files: Vec<ast::File>,
    /// Its directory has assembly files (see [`StdLib::assembly_body`]).
    pub has_assembly: bool,
    /// Its files' `//go:linkname` directives.
    pub linknames: Vec<ast::Linkname>,
}

#[derive(Clone, Debug)]
pub struct StdPackage {
    pub path: String,
    /// The parsed source, checked as a package when a program imports it.
    pub file: ast::File,
    pub funcs: BTreeMap<String, StdFunc>,
    /// Package-level constants: their declared type (if any) and value.
    pub consts: BTreeMap<String, (Option<ast::TypeExpr>, ast::Expr)>,
    /// Package-level variables: read through the runtime function of the
    /// same symbol as a bodiless function of that name would have.
    pub vars: BTreeMap<String, ast::TypeExpr>,
    /// Bodyless functions bound by `//go:linkname` to a runtime function
    /// g2n does not provide: the qualified target (`runtime.procPin`).
    pub unbound: BTreeMap<String, String>,
    /// Bodyless functions bound by `//go:linkname` to a function of another
    /// Go package (internal/syscall/unix's socket calls, which syscall
    /// implements for package net): the qualified target. g2n links only to
    /// its runtime, so such a function gets a body that panics, as an
    /// assembly function does ([`StdLib::assembly_body`]).
    pub unlinked: BTreeMap<String, String>,
    /// `//go:linkname` directives in files that do not import `unsafe`
    /// (Go refuses them).
    pub misplaced_linknames: Vec<g2n_base::Span>,
}

impl StdPackage {
    /// A hand-written package binds each bodyless function and each typed
    /// variable without initializer to the runtime. In a package compiled
    /// from Go's source a variable is an ordinary (zeroed) variable, and a
    /// bodyless function (Go implements it in assembly or in its runtime)
    /// is bound only when g2n's runtime provides it
    /// (`g2n_abi::symbols::stdlib`): under its own name (the runtime pushes
    /// `time.now` to time, as Go's does) or under the target of its
    /// `//go:linkname` (time pulls `runtime.nanotime`). A linkname to a
    /// function g2n does not provide is [`StdPackage::unbound`]; any other
    /// bodyless function is "missing function body".
    fn new(path: &str, file: ast::File, hand_written: bool, linknames: &[ast::Linkname]) -> StdPackage {
        let mut package = StdPackage {
            path: path.to_string(),
            file,
            funcs: BTreeMap::new(),
            consts: BTreeMap::new(),
            vars: BTreeMap::new(),
            unbound: BTreeMap::new(),
            unlinked: BTreeMap::new(),
            misplaced_linknames: Vec::new(),
        };
        let targets: BTreeMap<&str, &(String, String)> =
            linknames.iter().filter_map(|l| Some((l.local.as_str(), l.target.as_ref()?))).collect();
        for decl in &package.file.decls {
            match decl {
                // Functions with bodies and methods are checked with
                // the program like user code.
                ast::Decl::Func(func) if func.body.is_some() || func.recv.is_some() => {}
                ast::Decl::Func(func) => {
                    let name = &func.name.name;
                    let symbol = match targets.get(name.as_str()) {
                        Some((target_path, target_name)) if !hand_written => runtime_symbol(target_path, target_name),
                        _ => runtime_symbol(path, name),
                    };
                    if !hand_written && !runtime_provides(&symbol) {
                        if let Some((target_path, target_name)) = targets.get(name.as_str()) {
                            let target = format!("{target_path}.{target_name}");
                            if target_path == "runtime" {
                                package.unbound.insert(name.clone(), target);
                            } else {
                                package.unlinked.insert(name.clone(), target);
                            }
                        }
                        continue;
                    }
                    package.funcs.insert(
                        name.clone(),
                        StdFunc {
                            name: name.clone(),
                            params: func.sig.params.iter().map(|p| p.ty.clone()).collect(),
                            results: func.sig.results.iter().map(|p| p.ty.clone()).collect(),
                            variadic: func.sig.params.last().is_some_and(|p| p.variadic),
                            symbol,
                        },
                    );
                }
                ast::Decl::Gen(gen_decl) if gen_decl.kind == ast::GenKind::Const => {
                    for spec in &gen_decl.specs {
                        let ast::Spec::Value { names, ty, values, .. } = spec else { continue };
                        for (name, value) in names.iter().zip(values) {
                            package.consts.insert(name.name.clone(), (ty.clone(), value.clone()));
                        }
                    }
                }
                // A typed variable without initializer is the runtime's;
                // others are package variables initialized by the program.
                ast::Decl::Gen(gen_decl) if hand_written && gen_decl.kind == ast::GenKind::Var => {
                    for spec in &gen_decl.specs {
                        let ast::Spec::Value { names, ty: Some(ty), values, .. } = spec else { continue };
                        if values.is_empty() {
                            for name in names {
                                package.vars.insert(name.name.clone(), ty.clone());
                            }
                        }
                    }
                }
                ast::Decl::Gen(_) => {}
            }
        }
        package
    }
}

/// A package of the library: parsed when first asked for (a hand-written
/// one: most programs import few of them, and parsing all of `stdlib/`
/// was a tenth of a small program's build), or given parsed (a source
/// package). Shared between the copies of a library, so a hand-written
/// package is parsed at most once per process.
type LazyPackage = std::sync::Arc<std::sync::OnceLock<(StdPackage, Vec<String>)>>;

#[derive(Clone, Debug, Default)]
pub struct StdLib {
    packages: BTreeMap<String, LazyPackage>,
    /// The files of packages compiled from Go's source, by package.
    source_files: BTreeMap<FileId, String>,
    /// Source packages whose directory has assembly.
    assembly_packages: std::collections::BTreeSet<String>,
    /// Source packages whose every function body is checked, reached or
    /// not: the package `g2n test` tests ([`StdLib::check_in_full`]).
    checked_in_full: std::collections::BTreeSet<String>,
    /// Source packages of the program's module (its go.mod): the
    /// program's own code, not the library's ([`StdLib::is_module_package`]).
    module_packages: std::collections::BTreeSet<String>,
    /// The length of the source packages' files, in bytes.
    source_bytes: usize,
}

impl StdLib {
    /// g2n's hand-written packages (`stdlib/`), embedded in the compiler;
    /// each is parsed when first used.
    pub fn load() -> StdLib {
        let mut stdlib = StdLib::default();
        for (path, _, _) in SOURCES {
            stdlib.packages.entry(path.to_string()).or_default();
        }
        stdlib
    }

    /// Problems in the embedded declarations themselves (every hand-written
    /// package is parsed to find them): a bug in g2n, which tests assert
    /// there are none of.
    pub fn problems(&self) -> Vec<String> {
        self.packages.keys().flat_map(|path| parse_hand_written_files(path, true).1).collect()
    }

    /// Adds the packages compiled from Go's source (`g2n_packages::Loader`
    /// found and parsed them, their files are in the driver's `SourceDb`),
    /// each replacing a hand-written package of the same path. A package's
    /// files are checked as one package, imports scoped per file.
    pub fn with_source_packages(mut self, packages: impl IntoIterator<Item = SourcePackage>) -> StdLib {
        for SourcePackage { path, files, has_assembly, linknames } in packages {
            if has_assembly {
                self.assembly_packages.insert(path.clone());
            }
            // Go accepts `//go:linkname` only in a file that imports unsafe.
            let misplaced: Vec<g2n_base::Span> = linknames
                .iter()
                .filter(|l| !files.iter().any(|f| f.span.file == l.span.file && f.imports.iter().any(|i| i.path == "unsafe")))
                .map(|l| l.span)
                .collect();
            self.source_bytes += files.iter().map(|f| (f.span.end - f.span.start) as usize).sum::<usize>();
            let mut files = files.into_iter();
            let Some(mut merged) = files.next() else { continue };
            self.source_files.insert(merged.span.file, path.clone());
            // Grown once: syscall's thousands of declarations from dozens
            // of files are otherwise copied at each doubling.
            merged.decls.reserve(files.as_slice().iter().map(|f| f.decls.len()).sum());
            merged.imports.reserve(files.as_slice().iter().map(|f| f.imports.len()).sum());
            for file in files {
                self.source_files.insert(file.span.file, path.clone());
                merged.imports.extend(file.imports);
                merged.decls.extend(file.decls);
            }
            let mut package = StdPackage::new(&path, merged, false, &linknames);
            package.misplaced_linknames = misplaced;
            self.packages.insert(path.clone(), std::sync::Arc::new(std::sync::OnceLock::from((package, Vec::new()))));
        }
        self
    }

    /// How many bytes of Go source the packages compiled from source have
    /// (what a check may have to go through).
    pub fn source_bytes(&self) -> usize {
        self.source_bytes
    }

    /// The imports of a hand-written package, `None` when `path` is not one
    /// (for the loader, which follows them to source packages).
    pub fn hand_written_imports(&self, path: &str) -> Option<Vec<String>> {
        if self.is_source(path) {
            return None;
        }
        let package = self.package(path)?;
        Some(package.file.imports.iter().map(|i| i.path.clone()).collect())
    }

    /// Whether a bodyless function of source package `path` stands for
    /// assembly: Go accepts such a declaration in a package with `.s` files
    /// (internal/bytealg's `abigen_runtime_memequal`, never called by Go
    /// code). g2n compiles no assembly, so the function gets a body that
    /// panics, and costs nothing unless called (codegen compiles only the
    /// functions a program reaches).
    pub fn assembly_body(&self, path: &str) -> bool {
        self.assembly_packages.contains(path)
    }

    /// Makes every function body of package `path` checked, whether the
    /// program reaches it or not (a package compiled from source otherwise
    /// has the bodies of its plain functions checked only when reached).
    pub fn check_in_full(mut self, path: &str) -> StdLib {
        self.checked_in_full.insert(path.to_string());
        self
    }

    /// Marks source package `path` as one of the program's module: compiled
    /// like a library package, but its state is the program's (its
    /// package-level variables travel at a hop as `main`'s do).
    pub fn module_package(mut self, path: &str) -> StdLib {
        self.module_packages.insert(path.to_string());
        self
    }

    /// See [`StdLib::module_package`].
    pub fn is_module_package(&self, path: &str) -> bool {
        self.module_packages.contains(path)
    }

    /// See [`StdLib::check_in_full`].
    pub fn is_checked_in_full(&self, path: &str) -> bool {
        self.checked_in_full.contains(path)
    }

    /// Adds the internal test files (`_test.go`, left out otherwise) of the
    /// hand-written package `path`, for `g2n test` of that package: g2n's
    /// own stand-ins for Go's files, which name Go's internals.
    pub fn with_test_files(mut self, path: &str) -> StdLib {
        if self.packages.contains_key(path) && !self.is_source(path) {
            let package = parse_hand_written_files(path, true);
            self.packages.insert(path.to_string(), std::sync::Arc::new(std::sync::OnceLock::from(package)));
        }
        self
    }

    /// Whether the hand-written package `path` has internal test files.
    pub fn has_test_files(&self, path: &str) -> bool {
        !self.is_source(path) && SOURCES.iter().any(|(p, name, _)| *p == path && name.ends_with("_test.go"))
    }

    /// Whether `path` is compiled from Go's source (not hand-written).
    pub fn is_source(&self, path: &str) -> bool {
        self.source_files.values().any(|p| p == path)
    }

    /// The import path of the package a file belongs to: a hand-written
    /// package's (numbered down from `u32::MAX`) or a source package's.
    pub fn package_of(&self, file: FileId) -> Option<&str> {
        if let Some(path) = self.source_files.get(&file) {
            return Some(path);
        }
        let index = u32::MAX.checked_sub(file.0)? as usize;
        SOURCES.get(index).map(|(path, _, _)| *path)
    }

    /// Every package's import path, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.packages.keys().map(String::as_str)
    }

    /// The import paths of the packages parsed so far, sorted: every source
    /// package, and the hand-written ones a load reached (parsed once per
    /// process, so in a process that loaded several programs, theirs all).
    /// `g2n build --timings` lists them: hello world must not parse reflect.
    pub fn parsed_paths(&self) -> impl Iterator<Item = &str> {
        self.packages.iter().filter(|(_, package)| package.get().is_some()).map(|(path, _)| path.as_str())
    }

    pub fn package(&self, path: &str) -> Option<&StdPackage> {
        Some(&self.packages.get(path)?.get_or_init(|| parse_hand_written(path)).0)
    }

    pub fn func(&self, package: &str, name: &str) -> Option<&StdFunc> {
        self.package(package)?.funcs.get(name)
    }

    pub fn var(&self, package: &str, name: &str) -> Option<&ast::TypeExpr> {
        self.package(package)?.vars.get(name)
    }

    pub fn constant(&self, package: &str, name: &str) -> Option<&(Option<ast::TypeExpr>, ast::Expr)> {
        self.package(package)?.consts.get(name)
    }
}

/// Parses the hand-written package `path` (its files in `SOURCES`, merged
/// into one, each file's declarations keeping their own spans as with
/// source packages), with the syntax errors found.
fn parse_hand_written(path: &str) -> (StdPackage, Vec<String>) {
    parse_hand_written_files(path, false)
}

/// [`parse_hand_written`], with the package's `_test.go` files or without
/// (then read back if an earlier build kept it parsed, `kept_parses.rs`).
fn parse_hand_written_files(path: &str, with_tests: bool) -> (StdPackage, Vec<String>) {
    let files: Vec<(FileId, &str)> = SOURCES
        .iter()
        .enumerate()
        .filter(|(_, (p, name, _))| *p == path && (with_tests || !name.ends_with("_test.go")))
        // `package_of_file` inverts this numbering.
        .map(|(index, (_, _, source))| (FileId(u32::MAX - index as u32), *source))
        .collect();
    let kept = if with_tests { None } else { crate::kept_parses::read(&files) };
    let (parsed, problems) = kept.map_or_else(
        || {
            let mut problems = Vec::new();
            let mut parsed = Vec::new();
            for &(id, source) in &files {
                let (file, errors) = g2n_syntax::parse_file(id, source);
                let file_name = source_of_file(id).map_or("", |(name, _)| name);
                problems.extend(errors.iter().map(|error| format!("{file_name}: {error}")));
                parsed.push(file);
            }
            if !with_tests {
                crate::kept_parses::keep(&files, &parsed, !problems.is_empty());
            }
            (parsed, problems)
        },
        |parsed| (parsed, Vec::new()),
    );
    let mut merged: Option<ast::File> = None;
    for file in parsed {
        match merged.as_mut() {
            Some(merged) => {
                merged.imports.extend(file.imports);
                merged.decls.extend(file.decls);
            }
            None => merged = Some(file),
        }
    }
    let file = merged.unwrap_or_else(|| g2n_syntax::parse_file(FileId(u32::MAX), "package none\n").0);
    (StdPackage::new(path, file, true, &[]), problems)
}

/// The import path of the stdlib package whose source has file id `file`
/// (stdlib files are numbered down from `u32::MAX`), or `None` for a
/// program's own file.
pub fn package_of_file(file: FileId) -> Option<&'static str> {
    crate::stdlib().package_of(file)
}

/// Whether the file with id `file` belongs to a package of the program's
/// module ([`StdLib::module_package`]).
pub fn is_module_file(file: FileId) -> bool {
    let stdlib = crate::stdlib();
    stdlib.package_of(file).is_some_and(|path| stdlib.is_module_package(path))
}

/// Whether g2n's runtime implements the function of this symbol.
fn runtime_provides(symbol: &str) -> bool {
    g2n_abi::symbols::stdlib::ALL.iter().any(|f| f.name == symbol)
}

/// The file name (`stdlib/strconv/strconv.go`) and source of the stdlib
/// file with id `file` (see [`package_of_file`]): for positions in stdlib
/// code, as codegen's line table gives them.
pub fn source_of_file(file: FileId) -> Option<(&'static str, &'static str)> {
    let index = u32::MAX.checked_sub(file.0)? as usize;
    SOURCES.get(index).map(|(_, name, source)| (*name, *source))
}

/// Whether `name` is exported ([Go spec: Exported identifiers](https://go.dev/ref/spec#Exported_identifiers)).
pub fn is_exported(name: &str) -> bool {
    name.chars().next().is_some_and(char::is_uppercase)
}

/// The runtime symbol implementing a bodiless stdlib function:
/// `g2n_std_<package path with / as _>_<Name>`, as `g2n_abi::symbols::stdlib`
/// names it (codegen finds the function's signature there).
pub fn runtime_symbol(package: &str, name: &str) -> String {
    g2n_abi::symbols::stdlib::symbol(package, name)
}

/// A bodiless function or runtime-read variable of the standard library,
/// its types resolved ([`crate::runtime_declarations`]): what the runtime
/// implements, to check against `g2n_abi::symbols::stdlib`.
#[derive(Clone, Debug)]
pub struct RuntimeDecl {
    /// `math.Sqrt`.
    pub qualified: String,
    pub symbol: String,
    /// A variable reads as a call with no arguments and one result.
    pub signature: crate::types::Signature,
    /// A call is lowered as a `hir::Intrinsic` instead (the runtime function
    /// is still called for `f(xs...)`, which the intrinsic does not cover).
    pub intrinsic: bool,
}
