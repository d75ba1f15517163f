//! The library package loader: which packages a program needs from Go's
//! source tree (GOROOT/src), and which files of each belong to the build.
//!
//! [`load`] starts from the imports of the program's files and follows
//! imports through every package it loads, dependencies first. A package is
//! one of three kinds ([`Origin`]): compiled from Go's source (the paths in
//! [`FROM_SOURCE`]), one of g2n's own hand-written packages (embedded in
//! `g2n-sema`, for packages bound to Go's runtime), or unknown, which the
//! checker reports where it is imported. Of a source package's directory it
//! takes the files the build constraints select ([`constraint`]), adds each to
//! the [`SourceDb`] (so diagnostics render inside library files) and parses
//! it; `internal/` packages are importable only from inside the tree rooted at
//! their parent, as in Go.
//!
//! The crate does no IO: the caller hands it the source tree as a
//! [`SourceTree`] (the command line reads directories; tests use a map).

pub mod constraint;
mod decode;
pub mod module;
mod parse_pack;

pub use parse_pack::KeptPack;

use constraint::BuildContext;
use g2n_base::{FileId, SourceDb, Span};
use g2n_syntax::{SyntaxError, ast};
use std::collections::BTreeMap;

/// The packages g2n compiles from Go's own source instead of keeping a
/// hand-written version, each once it passes the conformance corpus
/// (docs/stdlib.md has the table). The rest of the standard library is
/// either hand-written (`stdlib/`) or not available yet.
pub const FROM_SOURCE: &[&str] = &[
    "bufio",
    "bytes",
    "compress/bzip2",
    "compress/flate",
    "compress/gzip",
    "compress/lzw",
    "compress/zlib",
    "container/heap",
    "container/list",
    "container/ring",
    "context",
    "crypto",
    "crypto/cipher",
    "crypto/internal/boring",
    "crypto/internal/randutil",
    "crypto/internal/subtle",
    "crypto/md5",
    "crypto/sha1",
    "crypto/sha256",
    "crypto/sha512",
    "crypto/subtle",
    "encoding",
    "encoding/base64",
    "encoding/binary",
    "encoding/gob",
    "encoding/hex",
    "encoding/json",
    "encoding/xml",
    "errors",
    "flag",
    "hash",
    "hash/adler32",
    "hash/crc32",
    "hash/crc64",
    "hash/fnv",
    "image",
    "image/color",
    "image/color/palette",
    "image/draw",
    "image/gif",
    "image/internal/imageutil",
    "image/jpeg",
    "image/png",
    "internal/bytealg",
    "internal/godebug",
    "internal/intern",
    "internal/itoa",
    "internal/nettrace",
    "internal/oserror",
    "internal/poll",
    "internal/safefilepath",
    "internal/race",
    "internal/singleflight",
    "internal/syscall/execenv",
    "internal/syscall/unix",
    "internal/testlog",
    "internal/unsafeheader",
    "io/ioutil",
    "os",
    "os/exec",
    "os/signal",
    "path/filepath",
    "io",
    "io/fs",
    "log",
    "math",
    "math/big",
    "math/bits",
    "math/cmplx",
    "math/rand",
    "mime",
    "mime/multipart",
    "mime/quotedprintable",
    "net",
    "net/netip",
    "net/textproto",
    "net/url",
    "path",
    "regexp",
    "regexp/syntax",
    "sort",
    "strconv",
    "strings",
    "syscall",
    "testing/fstest",
    "testing/iotest",
    "testing/quick",
    "text/tabwriter",
    "time",
    "time/tzdata",
    "unicode",
    "unicode/utf16",
    "unicode/utf8",
    "vendor/golang.org/x/net/dns/dnsmessage",
    "crypto/aes",
    "crypto/des",
    "crypto/internal/nistec/fiat",
    "crypto/internal/nistec",
    "embed",
    "crypto/elliptic",
    "crypto/internal/boring/bbig",
    "encoding/asn1",
    "vendor/golang.org/x/crypto/cryptobyte/asn1",
    "vendor/golang.org/x/crypto/cryptobyte",
    "crypto/ecdsa",
    "crypto/internal/edwards25519/field",
    "crypto/internal/edwards25519",
    "crypto/ed25519",
    "crypto/hmac",
    "crypto/rc4",
    "crypto/rsa",
    "crypto/dsa",
    "crypto/x509/pkix",
    "encoding/pem",
    "crypto/x509",
    "vendor/golang.org/x/crypto/internal/subtle",
    "vendor/golang.org/x/crypto/chacha20",
    "vendor/golang.org/x/crypto/internal/poly1305",
    "vendor/golang.org/x/sys/cpu",
    "vendor/golang.org/x/crypto/chacha20poly1305",
    "vendor/golang.org/x/crypto/curve25519/internal/field",
    "vendor/golang.org/x/crypto/curve25519",
    "vendor/golang.org/x/crypto/hkdf",
    "crypto/tls",
    "vendor/golang.org/x/text/transform",
    "vendor/golang.org/x/text/unicode/bidi",
    "vendor/golang.org/x/text/secure/bidirule",
    "vendor/golang.org/x/text/unicode/norm",
    "vendor/golang.org/x/net/idna",
    "vendor/golang.org/x/net/http/httpguts",
    "vendor/golang.org/x/net/http/httpproxy",
    "vendor/golang.org/x/net/http2/hpack",
    "net/http/httptrace",
    "net/http/internal",
    "net/http/internal/ascii",
    "net/http",
    "net/http/internal/testcert",
    "net/http/httptest",
];

/// Source packages with assembly whose architecture's files are taken all
/// the same: syscall's `_linux_amd64` files are its system interface (the
/// numbers of the system calls, the layout of `Stat_t`, the error numbers)
/// and have no generic fallback; its assembly is the raw system call, which
/// g2n's runtime provides instead (`RawSyscall6`, `rawSyscallNoError`).
pub const KEEPS_ARCHITECTURE: &[&str] = &["syscall"];

/// Source packages without assembly that are compiled, like those with
/// assembly, for no architecture: their `amd64` files call the assembly-only
/// API of a package that has assembly (crypto/elliptic's `nistec_p256.go`
/// calls crypto/internal/nistec's `P256OrdInverse`, which only nistec's
/// `p256_asm.go` declares), so they take their generic files, which use
/// only what the other package's generic files declare.
pub const DROPS_ARCHITECTURE: &[&str] = &["crypto/elliptic"];

/// Where the Debian package `golang-1.19-src` puts GOROOT.
pub const DEBIAN_GOROOT: &str = "/usr/share/go-1.19";
/// The package to install when no Go source tree is found.
pub const GOROOT_PACKAGE: &str = "golang-1.19-src";

/// A Go source tree: package directories addressed by import path.
pub trait SourceTree {
    /// The names of the files in the directory of `path`, or `None` when
    /// there is no such directory.
    fn list(&self, path: &str) -> Option<Vec<String>>;
    /// A file's text, `None` when it cannot be read.
    fn read(&self, path: &str, name: &str) -> Option<String>;
    /// How diagnostics name the file (its path on disk).
    fn display(&self, path: &str, name: &str) -> String;
    /// The parsed files of library package `path` that an earlier build
    /// kept ([`SourceTree::keep_parsed`]), as they were kept, or `None`.
    /// The loader trusts only the entries whose text is this build's.
    fn kept_parsed(&self, _path: &str) -> Option<Vec<u8>> {
        None
    }
    /// Keeps `pack`, the parsed files of library package `path`, for later
    /// builds (a tree without a store does nothing).
    fn keep_parsed(&self, _path: &str, _pack: &[u8]) {}
}

/// What an import path denotes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Compiled from Go's source tree.
    Source,
    /// g2n's own package: its imports (which may be source packages).
    HandWritten,
    /// A package of the program's module, compiled from its directory
    /// in the module ([`Loader::module`]).
    Module,
    /// Neither: the checker reports it.
    Unknown,
}

/// One library package compiled from source: its files, each added to the
/// [`SourceDb`] and parsed.
#[derive(Clone, Debug)]
pub struct LibraryPackage {
    pub path: String,
    pub files: Vec<ast::File>,
    /// Its directory has assembly (`.s` files): Go accepts a function
    /// declared without body there, which g2n does not compile.
    pub has_assembly: bool,
    /// The `//go:linkname` directives of its files (sema binds a bodyless
    /// function named by one to the runtime function g2n provides for
    /// its target).
    pub linknames: Vec<ast::Linkname>,
}

/// Why a package could not be loaded. Each points at an import.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum LoadError {
    #[error("package {path} is compiled from Go's source, and {reason}")]
    #[diagnostic(code(g2n::packages::no_goroot), help(
        "install Debian's {GOROOT_PACKAGE} (it puts GOROOT in {DEBIAN_GOROOT}), or name a Go 1.19 tree with --goroot DIR or the GOROOT variable"
    ))]
    NoGoroot {
        path: String,
        /// Why there is no tree: none found, or the one named is unusable.
        reason: String,
        #[label("imported here")]
        span: Span,
    },
    #[error("package {path} is not in the Go source tree {root}")]
    #[diagnostic(code(g2n::packages::not_in_goroot), help("g2n needs Go 1.19's source: install {GOROOT_PACKAGE}, or point --goroot or GOROOT at a Go 1.19 tree"))]
    NotInGoroot {
        path: String,
        root: String,
        #[label("imported here")]
        span: Span,
    },
    #[error("use of internal package {path} not allowed")]
    #[diagnostic(code(g2n::packages::internal_import))]
    InternalImport {
        path: String,
        #[label("imported here")]
        span: Span,
    },
    #[error("package {path}: no Go files for linux in {dir}")]
    #[diagnostic(code(g2n::packages::no_files))]
    NoFiles {
        path: String,
        dir: String,
        #[label("imported here")]
        span: Span,
    },
    #[error("package {path} is not in module {module}: there is no directory {dir}")]
    #[diagnostic(code(g2n::packages::not_in_module))]
    NotInModule {
        path: String,
        module: String,
        dir: String,
        #[label("imported here")]
        span: Span,
    },
    #[error("import cycle not allowed: {cycle}")]
    #[diagnostic(code(g2n::packages::import_cycle), help("a package may not import, directly or through others, a package that imports it"))]
    ImportCycle {
        /// The packages of the cycle, `a imports b imports a`.
        cycle: String,
        #[label("this import closes the cycle")]
        span: Span,
    },
    #[error("import \"{path}\" is a program, not an importable package")]
    #[diagnostic(code(g2n::packages::imports_program))]
    ImportsProgram {
        path: String,
        #[label("imported here")]
        span: Span,
    },
    #[error("{file}: invalid //go:build line: {message}")]
    #[diagnostic(code(g2n::packages::bad_constraint))]
    BadConstraint {
        file: String,
        message: String,
        #[label("imported here")]
        span: Span,
    },
    #[error("found packages {first} and {other} in one directory")]
    #[diagnostic(code(g2n::packages::mixed_packages))]
    MixedPackages {
        first: String,
        other: String,
        #[label("this file says {other}")]
        span: Span,
    },
}

/// The loader's result: the source packages dependencies first, what went
/// wrong, and the syntax errors of library files (spans in the [`SourceDb`]).
#[derive(Debug, Default)]
pub struct Loaded {
    pub packages: Vec<LibraryPackage>,
    pub errors: Vec<LoadError>,
    pub syntax_errors: Vec<SyntaxError>,
    /// What the load read and parsed, and how long each took
    /// (`g2n build --timings`).
    pub work: LoadWork,
    /// The packs of the library packages kept parsed, for the caller to
    /// keep again after its check with the bodies it reached
    /// ([`KeptPack::keep_reached`]).
    pub kept_packs: Vec<KeptPack>,
}

/// The library files a load read (and the build constraints it evaluated
/// on them) and parsed: how many, how big, how long.
#[derive(Clone, Copy, Debug, Default)]
pub struct LoadWork {
    pub files: usize,
    pub bytes: usize,
    pub read: std::time::Duration,
    /// Parsing, or reading the parse an earlier build kept.
    pub parse: std::time::Duration,
    /// Of `files`, those whose parse an earlier build kept.
    pub kept: usize,
}

/// What the loader needs besides the program.
pub struct Loader<'a> {
    /// Go's source tree, or why there is none (`no Go source tree was
    /// found`), reported only when a program needs a source package.
    pub tree: Result<&'a dyn SourceTree, String>,
    /// How the tree is named in diagnostics.
    pub root: String,
    /// The imports of a hand-written package, `None` for any other path.
    pub hand_written: &'a dyn Fn(&str) -> Option<Vec<String>>,
    pub context: BuildContext,
    /// The package `g2n test` tests (`None` otherwise): compiled from the
    /// tree's directory of that path with its internal test files
    /// (`_test.go` files of the same package), as `go test` compiles it,
    /// whatever its origin would be.
    pub under_test: Option<&'a str>,
    /// The import path the program's own files have for `internal/`
    /// visibility (`None`: a program's). `g2n test` gives an external test
    /// package its package's path, as Go does: Go's own tests import
    /// `internal/testenv`.
    pub program_path: Option<&'a str>,
    /// The path of the program's module (its go.mod's `module` line), if
    /// it has one: the packages under it are the module's, which `tree`
    /// lists and reads as it does Go's (the command line maps them to the
    /// module's directories).
    pub module: Option<&'a str>,
}

impl Loader<'_> {
    pub fn origin(&self, path: &str) -> Origin {
        if self.module.is_some_and(|module| module::package_dir(module, path).is_some()) {
            Origin::Module
        } else if FROM_SOURCE.contains(&path) || self.under_test == Some(path) {
            Origin::Source
        } else if (self.hand_written)(path).is_some() {
            Origin::HandWritten
        } else {
            Origin::Unknown
        }
    }

    /// Loads every source package the program's files import, directly or
    /// through other packages, adding their files to `db`.
    pub fn load(&self, program: &[&ast::File], db: &mut SourceDb) -> Loaded {
        let ((mut loaded, decoding), decoded) = decode::in_background(|decoder| {
            let mut walk = Walk {
                loader: self,
                db: &mut *db,
                state: BTreeMap::new(),
                loaded: Loaded::default(),
                importing: Vec::new(),
                decoder,
                decoding: Vec::new(),
            };
            for file in program {
                for import in &file.imports {
                    walk.import(self.program_path, &import.path, import.span);
                }
            }
            (walk.loaded, walk.decoding)
        });
        loaded.work.parse += decoded.waited;
        self.take_decoded(&mut loaded, decoded.files, &decoding, db);
        loaded
    }

    /// Puts the files the background decoded in place of the walk's
    /// headers (keeping the headers' imports, which the walk rewrote to
    /// vendored paths), and their entries in their packs (`decoding`: the
    /// pack, digest and id of each). A file whose encoding does not
    /// decode, though its header did, is parsed: a pack's entries are
    /// checked whole (`SourceTree::kept_parsed`), so only a decoder that
    /// disagrees with its encoder's format gets there.
    fn take_decoded(
        &self,
        loaded: &mut Loaded,
        mut decoded: std::collections::HashMap<FileId, decode::DecodedFile>,
        decoding: &[(usize, parse_pack::TextDigest, FileId)],
        db: &SourceDb,
    ) {
        if decoded.is_empty() {
            return;
        }
        let parsing = std::time::Instant::now();
        let mut kept = std::collections::HashMap::new();
        for package in &mut loaded.packages {
            for file in &mut package.files {
                let id = file.span.file;
                let Some(whole) = decoded.remove(&id) else { continue };
                let whole = match whole {
                    Some((whole, entry)) => {
                        kept.insert(id, (entry, false));
                        whole
                    }
                    None => {
                        let (file, errors) = g2n_syntax::parse_library_file(id, &std::sync::Arc::from(db.code(id)));
                        if errors.is_empty() {
                            kept.insert(id, (g2n_syntax::cached::encode_library_file(&file), true));
                        }
                        loaded.syntax_errors.extend(errors);
                        file
                    }
                };
                let imports = std::mem::take(&mut file.imports);
                *file = ast::File { imports, ..whole };
            }
        }
        for &(pack, digest, id) in decoding {
            if let (Some((entry, fresh)), Some(pack)) = (kept.remove(&id), loaded.kept_packs.get_mut(pack)) {
                pack.files.push((digest, entry));
                pack.fresh |= fresh;
            }
        }
        loaded.work.parse += parsing.elapsed();
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    InProgress,
    Done,
}

struct Walk<'l, 'd> {
    loader: &'l Loader<'l>,
    db: &'d mut SourceDb,
    state: BTreeMap<String, State>,
    loaded: Loaded,
    /// The module packages being loaded, importer first: an import of one
    /// of them is a cycle.
    importing: Vec<String>,
    /// Where the files read from packs are decoded (decode.rs); until the
    /// walk is over, such a file is its header: its package clause and
    /// imports.
    decoder: &'d mut decode::Decoder,
    /// The files of `loaded.kept_packs` still being decoded: the pack's
    /// index, the file's digest and id.
    decoding: Vec<(usize, parse_pack::TextDigest, FileId)>,
}

impl Walk<'_, '_> {
    /// `importer` is the importing library package (`None`: the program);
    /// `span` is where to report a problem with `path`.
    fn import(&mut self, importer: Option<&str>, path: &str, span: Span) {
        // Go's own `internal/` packages are the standard library's alone.
        let module_importer = importer.is_some_and(|i| self.loader.origin(i) == Origin::Module);
        if !internal_allowed(importer, path) || (module_importer && path.split('/').next() == Some("internal")) {
            self.loaded.errors.push(LoadError::InternalImport { path: path.to_string(), span });
            return;
        }
        if self.state.get(path) == Some(&State::InProgress) && self.loader.origin(path) == Origin::Module {
            let at = self.importing.iter().position(|p| p == path).unwrap_or(0);
            let mut cycle: Vec<&str> = self.importing[at..].iter().map(String::as_str).collect();
            cycle.push(path);
            self.loaded.errors.push(LoadError::ImportCycle { cycle: cycle.join(" imports "), span });
            return;
        }
        if self.state.contains_key(path) {
            return;
        }
        match self.loader.origin(path) {
            Origin::Unknown => {}
            Origin::HandWritten => {
                self.state.insert(path.to_string(), State::InProgress);
                // Its file is not in the database: problems with its
                // imports are reported at the import that brought it in.
                for import in (self.loader.hand_written)(path).unwrap_or_default() {
                    self.import(Some(path), &import, span);
                }
                self.state.insert(path.to_string(), State::Done);
            }
            Origin::Source | Origin::Module => {
                self.state.insert(path.to_string(), State::InProgress);
                self.importing.push(path.to_string());
                if let Some(package) = self.source_package(path, span) {
                    let mut imports: Vec<(String, Span)> =
                        package.files.iter().flat_map(|f| f.imports.iter().map(|i| (i.path.clone(), i.span))).collect();
                    // A `//go:linkname` to a Go function of another source
                    // package (time/tzdata's into time) needs that package
                    // in the program, as Go's linker brings it in.
                    imports.extend(package.linknames.iter().filter_map(|l| {
                        let (target, _) = l.target.as_ref()?;
                        (target != path && self.loader.origin(target) == Origin::Source).then(|| (target.clone(), l.span))
                    }));
                    for (import, import_span) in imports {
                        self.import(Some(path), &import, import_span);
                    }
                    self.loaded.packages.push(package);
                }
                self.importing.pop();
                self.state.insert(path.to_string(), State::Done);
            }
        }
    }

    fn source_package(&mut self, path: &str, span: Span) -> Option<LibraryPackage> {
        let tree = match &self.loader.tree {
            Ok(tree) => *tree,
            Err(reason) => {
                self.loaded.errors.push(LoadError::NoGoroot { path: path.to_string(), reason: reason.clone(), span });
                return None;
            }
        };
        let Some(mut names) = tree.list(path) else {
            let error = match self.loader.module.filter(|_| self.loader.origin(path) == Origin::Module) {
                Some(module) => {
                    let dir = tree.display(path, "").trim_end_matches('/').to_string();
                    LoadError::NotInModule { path: path.to_string(), module: module.to_string(), dir, span }
                }
                None => LoadError::NotInGoroot { path: path.to_string(), root: self.loader.root.clone(), span },
            };
            self.loaded.errors.push(error);
            return None;
        };
        names.sort();
        // Assembly for another system or architecture (internal/syscall/unix's
        // `asm_darwin.s`) is not this build's, as `go build` would not take it.
        let has_assembly = names.iter().any(|n| n.strip_suffix(".s").is_some_and(|stem| self.loader.context.matches_file_name(&format!("{stem}.go"))));
        let context = if (has_assembly && !KEEPS_ARCHITECTURE.contains(&path)) || DROPS_ARCHITECTURE.contains(&path) {
            self.loader.context.without_arch()
        } else {
            self.loader.context.clone()
        };
        let with_tests = self.loader.under_test == Some(path);
        // Read and select first, then parse the package's files in parallel:
        // parsing is most of a load (os, syscall and internal/poll are 146
        // files), and the files of one package do not depend on each other.
        let mut selected: Vec<FileId> = Vec::new();
        for name in names.iter().filter(|n| context.matches_file_name(n) || (with_tests && context.matches_test_file_name(n))) {
            let reading = std::time::Instant::now();
            let text = tree.read(path, name);
            self.loaded.work.read += reading.elapsed();
            let Some(text) = text else { continue };
            let display = tree.display(path, name);
            match context.matches_source(&text) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(message) => {
                    self.loaded.errors.push(LoadError::BadConstraint { file: display, message, span });
                    continue;
                }
            }
            if name.ends_with("_test.go") && external_test_package(&text) {
                // `package NAME_test`: the test program's, not the package's.
                continue;
            }
            self.loaded.work.files += 1;
            self.loaded.work.bytes += text.len();
            selected.push(self.db.add(display, text));
        }
        // Go's library is known-good and most of its function bodies are
        // never reached: they are parsed when sema checks them. The
        // package under test and the module's own are the user's code,
        // every error of which is reported now.
        let defer_bodies = self.loader.origin(path) == Origin::Source && !with_tests;
        let parsing = std::time::Instant::now();
        // Library files without errors are kept parsed between builds
        // (parse_pack.rs), one pack per package.
        let pack = if defer_bodies { tree.kept_parsed(path).and_then(parse_pack::Pack::read) } else { None };
        let mut parsed = match &pack {
            Some(pack) => self.read_kept(&selected, pack),
            None => parse_all(&selected, self.db, defer_bodies),
        };
        let mut files: Vec<(parse_pack::TextDigest, g2n_syntax::cached::KeptFile)> = Vec::new();
        let mut decoding = Vec::new();
        for p in &mut parsed {
            match p.kept.take() {
                Some((digest, Kept::Fresh(kept))) => files.push((digest, kept)),
                Some((digest, Kept::Decoding)) => decoding.push((digest, p.file.span.file)),
                None => {}
            }
        }
        // A pack with new entries is kept now, unless some of its entries
        // are still being decoded: then after the check, with the bodies
        // it reached (`KeptPack::fresh`).
        let fresh = !files.is_empty();
        let kept_pack = KeptPack { path: path.to_string(), files, fresh: fresh && !decoding.is_empty() };
        if fresh && decoding.is_empty() {
            tree.keep_parsed(path, &kept_pack.encode());
        }
        self.loaded.work.kept += decoding.len();
        if fresh || !decoding.is_empty() {
            let at = self.loaded.kept_packs.len();
            self.decoding.extend(decoding.into_iter().map(|(digest, id)| (at, digest, id)));
            self.loaded.kept_packs.push(kept_pack);
        }
        self.loaded.work.parse += parsing.elapsed();
        let mut files: Vec<ast::File> = Vec::new();
        let mut linknames = Vec::new();
        for (id, Parsed { file, errors, .. }) in selected.into_iter().zip(parsed) {
            self.loaded.syntax_errors.extend(errors);
            if let Some(first) = files.first()
                && first.package.name != file.package.name
            {
                self.loaded.errors.push(LoadError::MixedPackages {
                    first: first.package.name.clone(),
                    other: file.package.name.clone(),
                    span: file.package.span,
                });
                continue;
            }
            // Most files have none: a search for the directive's text
            // passes them by faster than the line-by-line reading.
            let text = self.db.code(id);
            if text.contains("//go:linkname") {
                linknames.extend(g2n_syntax::linknames(id, text));
            }
            files.push(file);
        }
        if standard_library(path) {
            for file in &mut files {
                for import in &mut file.imports {
                    if let Some(vendored) = vendored(tree, &import.path) {
                        import.path = vendored;
                    }
                }
            }
        }
        if files.is_empty() {
            self.loaded.errors.push(LoadError::NoFiles { path: path.to_string(), dir: tree.display(path, ""), span });
            return None;
        }
        if files[0].package.name == "main" && self.loader.origin(path) == Origin::Module {
            self.loaded.errors.push(LoadError::ImportsProgram { path: path.to_string(), span });
            return None;
        }
        Some(LibraryPackage { path: path.to_string(), files, has_assembly, linknames })
    }
}

impl Walk<'_, '_> {
    /// The files `ids` of a package with the pack `pack`: a file with an
    /// entry whose header decodes is that header until the walk is over
    /// (decode.rs), any other is parsed now. In the order of `ids`.
    fn read_kept(&mut self, ids: &[FileId], pack: &parse_pack::Pack) -> Vec<Parsed> {
        let mut parsed: Vec<Option<Parsed>> = Vec::with_capacity(ids.len());
        let mut unkept = Vec::new();
        let mut jobs = Vec::new();
        for &id in ids {
            let text = self.db.code(id);
            let digest = parse_pack::digest(text);
            let entry = pack.get(&digest);
            let header = entry.and_then(|encoding| g2n_syntax::cached::decode_library_header(encoding.bytes(), id));
            let (Some(encoding), Some((package, imports))) = (entry, header) else {
                unkept.push(id);
                parsed.push(None);
                continue;
            };
            let text: std::sync::Arc<str> = std::sync::Arc::from(text);
            let span = Span::new(id, 0, u32::try_from(text.len()).unwrap_or(u32::MAX));
            jobs.push(decode::Job { id, text, entry: encoding.clone() });
            let file = ast::File { package, imports, decls: Vec::new(), span };
            parsed.push(Some(Parsed { file, errors: Vec::new(), kept: Some((digest, Kept::Decoding)) }));
        }
        self.decoder.send(jobs);
        let mut fresh = parse_all(&unkept, self.db, true).into_iter();
        parsed.into_iter().map(|p| p.or_else(|| fresh.next())).collect::<Option<Vec<Parsed>>>().unwrap_or_default()
    }
}

/// One file's parse.
struct Parsed {
    file: ast::File,
    errors: Vec<SyntaxError>,
    /// For a library file without errors: its text's digest and its entry
    /// in the package's pack.
    kept: Option<(parse_pack::TextDigest, Kept)>,
}

enum Kept {
    /// Read from the pack: the file is its header until the background
    /// has decoded it, and its entry comes back with it.
    Decoding,
    /// Parsed now: its new entry.
    Fresh(g2n_syntax::cached::KeptFile),
}

/// Parses the files `ids` of `db`, on as many threads as the machine has
/// cores (at most one per file); the results are in the order of `ids`, so
/// a load is the same whatever the threads' timing. `defer_bodies`: their
/// function bodies wait until asked for ([`g2n_syntax::parse_library_file`]),
/// and those without errors are encoded for the package's pack (files the
/// pack has are read from it: [`Walk::read_kept`]).
fn parse_all(ids: &[FileId], db: &SourceDb, defer_bodies: bool) -> Vec<Parsed> {
    let parse = |id: FileId| {
        if !defer_bodies {
            let (file, errors) = g2n_syntax::parse_file(id, db.code(id));
            return Parsed { file, errors, kept: None };
        }
        let text: std::sync::Arc<str> = std::sync::Arc::from(db.code(id));
        let digest = parse_pack::digest(&text);
        let (file, errors) = g2n_syntax::parse_library_file(id, &text);
        // A file with errors is parsed on every build, so that they are
        // reported on every build.
        let kept = errors.is_empty().then(|| (digest, Kept::Fresh(g2n_syntax::cached::encode_library_file(&file))));
        Parsed { file, errors, kept }
    };
    let threads = cores().min(ids.len());
    if threads <= 1 {
        return ids.iter().map(|&id| parse(id)).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut parsed: Vec<(usize, Parsed)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let at = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(&id) = ids.get(at) else { return done };
                        done.push((at, parse(id)));
                    }
                })
            })
            .collect();
        // A worker that panicked (a parser bug) panics the load, as parsing
        // on this thread would.
        workers.into_iter().flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    });
    parsed.sort_by_key(|(at, _)| *at);
    parsed.into_iter().map(|(_, result)| result).collect()
}

/// The machine's cores, asked once: each `available_parallelism` call
/// reads the cgroup's CPU quota from /sys, and a load parses and decodes
/// package by package.
fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Whether `path` is a package of Go's standard library: its first element
/// has no dot (`net`, `vendor/golang.org/x/net/idna`), as `go` tells the
/// standard library from modules.
fn standard_library(path: &str) -> bool {
    !path.split('/').next().unwrap_or(path).contains('.')
}

/// The standard library's own copy of an outside package it imports: Go
/// resolves `golang.org/x/net/dns/dnsmessage` in a standard library
/// package to `vendor/golang.org/x/net/dns/dnsmessage` in GOROOT/src, and so
/// does the loader, rewriting the import so that the checker finds the
/// package under the path it was loaded as (Go's `go list std` names it
/// so too). `None`: not vendored, the path stands.
fn vendored(tree: &dyn SourceTree, path: &str) -> Option<String> {
    if standard_library(path) {
        return None;
    }
    let vendored = format!("vendor/{path}");
    tree.list(&vendored).is_some().then_some(vendored)
}

/// Whether a test file's package clause names an external test package
/// (`package NAME_test`).
fn external_test_package(text: &str) -> bool {
    let (file, _) = g2n_syntax::parse_file(FileId(0), text);
    file.package.name.ends_with("_test")
}

/// Go's rule for `internal/`: a path with an `internal` element is
/// importable only by packages in the tree rooted at the element's parent
/// (`internal/bytealg` by any standard library package, never by a program).
pub fn internal_allowed(importer: Option<&str>, path: &str) -> bool {
    let elements: Vec<&str> = path.split('/').collect();
    let Some(last_internal) = elements.iter().rposition(|e| *e == "internal") else { return true };
    let Some(importer) = importer else { return false };
    let parent = elements[..last_internal].join("/");
    parent.is_empty() || importer == parent || importer.starts_with(&format!("{parent}/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source tree in memory: `(import path, file name, text)`.
    struct MapTree(Vec<(&'static str, &'static str, &'static str)>);

    impl SourceTree for MapTree {
        fn list(&self, path: &str) -> Option<Vec<String>> {
            let names: Vec<String> = self.0.iter().filter(|(p, _, _)| *p == path).map(|(_, n, _)| n.to_string()).collect();
            (!names.is_empty()).then_some(names)
        }
        fn read(&self, path: &str, name: &str) -> Option<String> {
            self.0.iter().find(|(p, n, _)| *p == path && *n == name).map(|(_, _, t)| t.to_string())
        }
        fn display(&self, path: &str, name: &str) -> String {
            format!("/goroot/src/{path}/{name}")
        }
    }

    fn hand_written(path: &str) -> Option<Vec<String>> {
        match path {
            "fmt" => Some(vec!["unicode/utf8".to_string()]),
            _ => None,
        }
    }

    fn program(db: &mut SourceDb, text: &str) -> ast::File {
        let id = db.add("main.go", text.to_string());
        let (file, errors) = g2n_syntax::parse_file(id, db.code(id));
        assert!(errors.is_empty(), "{errors:?}");
        file
    }

    fn loader(tree: Option<&dyn SourceTree>) -> Loader<'_> {
        let tree = tree.ok_or_else(|| "no Go source tree was found".to_string());
        Loader {
            tree,
            root: "/goroot".to_string(),
            hand_written: &hand_written,
            context: BuildContext::g2n(),
            under_test: None,
            program_path: None,
            module: None,
        }
    }

    #[test]
    fn follows_imports_dependencies_first_with_constraints() {
        let tree = MapTree(vec![
            ("unicode/utf8", "utf8.go", "package utf8\nconst RuneSelf = 0x80\n"),
            ("unicode/utf8", "utf8_test.go", "package utf8\nfunc TestX() {}\n"),
            ("unicode/utf8", "gen.go", "//go:build ignore\n\npackage main\n"),
            ("unicode/utf8", "x_windows.go", "package utf8\n"),
            ("unicode", "letter.go", "package unicode\nimport \"unicode/utf8\"\nconst x = utf8.RuneSelf\n"),
            ("unicode", "tables.go", "package unicode\n"),
        ]);
        let mut db = SourceDb::new();
        let main = program(&mut db, "package main\nimport (\"fmt\"; \"unicode\")\nfunc main() {}\n");
        let loaded = loader(Some(&tree)).load(&[&main], &mut db);
        assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
        let order: Vec<(&str, Vec<&str>)> = loaded
            .packages
            .iter()
            .map(|p| (p.path.as_str(), p.files.iter().map(|f| db.name(f.span.file)).collect()))
            .collect();
        assert_eq!(
            order,
            [
                ("unicode/utf8", vec!["/goroot/src/unicode/utf8/utf8.go"]),
                ("unicode", vec!["/goroot/src/unicode/letter.go", "/goroot/src/unicode/tables.go"]),
            ]
        );
    }

    #[test]
    fn a_package_under_test_takes_its_internal_test_files() {
        let tree = MapTree(vec![
            ("unicode/utf8", "utf8.go", "package utf8\n"),
            ("unicode/utf8", "utf8_test.go", "package utf8\nimport \"testing\"\n"),
            ("unicode/utf8", "x_windows_test.go", "package utf8\n"),
            ("unicode/utf8", "example_test.go", "package utf8_test\n"),
            ("internal/testenv", "testenv.go", "package testenv\n"),
        ]);
        let mut db = SourceDb::new();
        let main = program(&mut db, "package utf8_test\nimport (\"unicode/utf8\"; \"internal/testenv\")\n");
        let mut loader = loader(Some(&tree));
        loader.under_test = Some("unicode/utf8");
        loader.program_path = Some("unicode/utf8");
        let loaded = loader.load(&[&main], &mut db);
        assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
        let names: Vec<&str> = loaded.packages[0].files.iter().map(|f| db.name(f.span.file)).collect();
        assert_eq!(names, ["/goroot/src/unicode/utf8/utf8.go", "/goroot/src/unicode/utf8/utf8_test.go"]);
        // Without the package's path, the program may not import internal/.
        loader.program_path = None;
        let loaded = loader.load(&[&main], &mut db);
        assert_eq!(loaded.errors[0].to_string(), "use of internal package internal/testenv not allowed");
    }

    #[test]
    fn a_package_with_assembly_takes_the_generic_files() {
        let tree = MapTree(vec![
            ("unicode/utf8", "index_amd64.s", "TEXT ·Index(SB)"),
            ("unicode/utf8", "index_asm.go", "//go:build amd64 || arm64\n\npackage utf8\nfunc Index() int\n"),
            ("unicode/utf8", "index_generic.go", "//go:build !amd64 && !arm64\n\npackage utf8\nfunc Index() int { return 0 }\n"),
        ]);
        let mut db = SourceDb::new();
        let main = program(&mut db, "package main\nimport \"unicode/utf8\"\n");
        let loaded = loader(Some(&tree)).load(&[&main], &mut db);
        let names: Vec<&str> = loaded.packages[0].files.iter().map(|f| db.name(f.span.file)).collect();
        assert_eq!(names, ["/goroot/src/unicode/utf8/index_generic.go"]);
    }

    #[test]
    fn missing_tree_and_internal_imports_are_reported_at_the_import() {
        let mut db = SourceDb::new();
        let main = program(&mut db, "package main\nimport (\"unicode\"; \"internal/bytealg\"; \"sync\")\n");
        let loaded = loader(None).load(&[&main], &mut db);
        let messages: Vec<String> = loaded.errors.iter().map(|e| format!("{e} at {}", db.snippet(span_of(e)))).collect();
        assert_eq!(
            messages,
            [
                "package unicode is compiled from Go's source, and no Go source tree was found at \"unicode\"",
                "use of internal package internal/bytealg not allowed at \"internal/bytealg\"",
            ]
        );
        let tree = MapTree(vec![("unicode", "a.go", "package unicode\n"), ("unicode", "b.go", "package other\n")]);
        let loaded = loader(Some(&tree)).load(&[&main], &mut db);
        assert_eq!(loaded.errors[0].to_string(), "found packages unicode and other in one directory");
        assert_eq!(db.name(span_of(&loaded.errors[0]).file), "/goroot/src/unicode/b.go");
    }

    #[test]
    fn a_modules_packages_come_from_the_module_with_cycles_and_missing_ones_reported() {
        let tree = MapTree(vec![
            ("unicode/utf8", "utf8.go", "package utf8\n"),
            ("example.com/app", "main.go", "package main\n"),
            ("example.com/app/greet", "greet.go", "package greet\nimport (\"unicode/utf8\"; \"example.com/app/greet/words\")\n"),
            ("example.com/app/greet/words", "words.go", "package words\nimport \"example.com/app/internal/x\"\n"),
            ("example.com/app/internal/x", "x.go", "package x\n"),
            ("example.com/app/loop/a", "a.go", "package a\nimport \"example.com/app/loop/b\"\n"),
            ("example.com/app/loop/b", "b.go", "package b\nimport \"example.com/app/loop/a\"\n"),
        ]);
        let mut db = SourceDb::new();
        let main = program(&mut db, "package main\nimport \"example.com/app/greet\"\n");
        let mut loader = loader(Some(&tree));
        loader.module = Some("example.com/app");
        loader.program_path = Some("example.com/app");
        let loaded = loader.load(&[&main], &mut db);
        assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
        let order: Vec<&str> = loaded.packages.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(order, ["unicode/utf8", "example.com/app/internal/x", "example.com/app/greet/words", "example.com/app/greet"]);

        let main = program(&mut db, "package main\nimport (\"example.com/app/loop/a\"; \"example.com/app/nope\"; \"example.com/app\"; \"internal/bytealg\")\n");
        let loaded = loader.load(&[&main], &mut db);
        let messages: Vec<String> = loaded.errors.iter().map(|e| format!("{e} at {}", db.snippet(span_of(e)))).collect();
        assert_eq!(
            messages,
            [
                "import cycle not allowed: example.com/app/loop/a imports example.com/app/loop/b imports example.com/app/loop/a at \"example.com/app/loop/a\"",
                "package example.com/app/nope is not in module example.com/app: there is no directory /goroot/src/example.com/app/nope at \"example.com/app/nope\"",
                "import \"example.com/app\" is a program, not an importable package at \"example.com/app\"",
                "use of internal package internal/bytealg not allowed at \"internal/bytealg\"",
            ]
        );
        assert_eq!(db.name(span_of(&loaded.errors[0]).file), "/goroot/src/example.com/app/loop/b/b.go");
    }

    fn span_of(error: &LoadError) -> Span {
        match error {
            LoadError::NoGoroot { span, .. }
            | LoadError::NotInGoroot { span, .. }
            | LoadError::InternalImport { span, .. }
            | LoadError::NoFiles { span, .. }
            | LoadError::BadConstraint { span, .. }
            | LoadError::MixedPackages { span, .. }
            | LoadError::NotInModule { span, .. }
            | LoadError::ImportCycle { span, .. }
            | LoadError::ImportsProgram { span, .. } => *span,
        }
    }

    /// Files parsed on several threads come back in the directory's order,
    /// with their syntax errors, whichever thread finished first.
    #[test]
    fn a_package_parsed_in_parallel_keeps_its_file_order() {
        let names: Vec<&'static str> = (0..24).map(|i| &*Box::leak(format!("f{i:02}.go").into_boxed_str())).collect();
        let mut files: Vec<(&'static str, &'static str, &'static str)> =
            names.iter().map(|n| ("unicode", *n, "package unicode\nfunc F() int { return 1 }\n")).collect();
        files[7].2 = "package unicode\nfunc G( {\n";
        let tree = MapTree(files);
        let mut db = SourceDb::new();
        let main = program(&mut db, "package main\nimport \"unicode\"\n");
        let loaded = loader(Some(&tree)).load(&[&main], &mut db);
        let order: Vec<&str> = loaded.packages[0].files.iter().map(|f| db.name(f.span.file)).collect();
        // The file the parser gives up on has no package name: it is left
        // out (as a file of another package), the others keep their order.
        let expected: Vec<String> = names.iter().filter(|n| **n != "f07.go").map(|n| format!("/goroot/src/unicode/{n}")).collect();
        assert_eq!(order, expected);
        let with_errors: Vec<&str> = loaded.syntax_errors.iter().map(|e| db.name(e.span().file)).collect();
        assert_eq!(with_errors, ["/goroot/src/unicode/f07.go"]);
    }

    #[test]
    fn the_standard_library_imports_golang_org_x_from_its_vendor_directory() {
        let tree = MapTree(vec![
            ("vendor/golang.org/x/net/dns/dnsmessage", "message.go", "package dnsmessage\n"),
            ("net", "dnsclient.go", "package net\nimport \"golang.org/x/net/dns/dnsmessage\"\n"),
        ]);
        let mut db = SourceDb::new();
        let main = program(&mut db, "package main\nimport (\"net\"; \"golang.org/x/net/dns/dnsmessage\")\n");
        let loaded = loader(Some(&tree)).load(&[&main], &mut db);
        assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
        let order: Vec<&str> = loaded.packages.iter().map(|p| p.path.as_str()).collect();
        // The program's own import of golang.org/x/... is not the standard
        // library's: it stays unknown (not loaded).
        assert_eq!(order, ["vendor/golang.org/x/net/dns/dnsmessage", "net"]);
        assert_eq!(loaded.packages[1].files[0].imports[0].path, "vendor/golang.org/x/net/dns/dnsmessage");
    }

    /// A tree whose packs are kept in memory, as the build cache keeps them.
    struct KeepingTree {
        files: MapTree,
        packs: std::cell::RefCell<BTreeMap<String, Vec<u8>>>,
    }

    impl SourceTree for KeepingTree {
        fn list(&self, path: &str) -> Option<Vec<String>> {
            self.files.list(path)
        }
        fn read(&self, path: &str, name: &str) -> Option<String> {
            self.files.read(path, name)
        }
        fn display(&self, path: &str, name: &str) -> String {
            self.files.display(path, name)
        }
        fn kept_parsed(&self, path: &str) -> Option<Vec<u8>> {
            self.packs.borrow().get(path).cloned()
        }
        fn keep_parsed(&self, path: &str, pack: &[u8]) {
            self.packs.borrow_mut().insert(path.to_string(), pack.to_vec());
        }
    }

    /// A load that reads its packages' files from their packs (decoded in
    /// the background, decode.rs) gives the files a load that parses them
    /// gives, vendored imports rewritten, in the same order; an entry that
    /// does not decode past its header is parsed.
    #[test]
    fn a_load_from_kept_parses_is_the_load_that_parses() {
        let mut files: Vec<(&'static str, &'static str, &'static str)> = vec![
            ("vendor/golang.org/x/net/dns/dnsmessage", "message.go", "package dnsmessage\nfunc F() int { return 1 }\n"),
            ("unicode", "tables.go", "package unicode\nvar T = []struct{ a, b int }{{1, 2}, {3, 4}}\n"),
            ("unicode", "letter.go", "package unicode\nimport \"golang.org/x/net/dns/dnsmessage\"\nfunc G() int { return dnsmessage.F() }\n"),
        ];
        let names: Vec<&'static str> = (0..12).map(|i| &*Box::leak(format!("f{i:02}.go").into_boxed_str())).collect();
        files.extend(names.iter().map(|n| ("unicode", *n, "package unicode\nfunc H() { _ = T }\n")));
        let tree = KeepingTree { files: MapTree(files), packs: Default::default() };
        let mut db = SourceDb::new();
        let main = program(&mut db, "package main\nimport \"unicode\"\n");
        let dump = |loaded: &Loaded, db: &SourceDb| -> Vec<(String, Vec<(String, String)>)> {
            let files = |p: &LibraryPackage| p.files.iter().map(|f| (db.name(f.span.file).to_string(), g2n_syntax::dump_ast(f))).collect();
            loaded.packages.iter().map(|p| (p.path.clone(), files(p))).collect()
        };
        let parsed = loader(Some(&tree)).load(&[&main], &mut db);
        assert!(parsed.errors.is_empty() && parsed.syntax_errors.is_empty(), "{:?}", parsed.errors);
        assert_eq!(parsed.work.kept, 0);
        assert_eq!(tree.packs.borrow().len(), 2);
        let read = loader(Some(&tree)).load(&[&main], &mut db);
        assert_eq!(read.work.kept, 15);
        // The file ids are the second load's own: compare by name and tree.
        assert_eq!(dump(&read, &db), dump(&parsed, &db));
        let letter = read.packages[1].files.iter().find(|f| !f.imports.is_empty()).expect("letter.go");
        assert_eq!(letter.imports[0].path, "vendor/golang.org/x/net/dns/dnsmessage");
        // The last byte of unicode's first entry cut off: its header
        // decodes, the rest does not, and that file is parsed.
        let unicode = tree.packs.borrow()["unicode"].clone();
        let len = u32::from_le_bytes(unicode[32..36].try_into().unwrap());
        let mut damaged = unicode[..32].to_vec();
        damaged.extend((len - 1).to_le_bytes());
        damaged.extend(&unicode[36..36 + len as usize - 1]);
        damaged.extend(&unicode[36 + len as usize..]);
        tree.packs.borrow_mut().insert("unicode".to_string(), damaged);
        let reread = loader(Some(&tree)).load(&[&main], &mut db);
        assert!(reread.errors.is_empty() && reread.syntax_errors.is_empty());
        assert_eq!(reread.work.kept, 15);
        assert_eq!(dump(&reread, &db), dump(&parsed, &db));
    }

    #[test]
    fn internal_visibility() {
        assert!(!internal_allowed(None, "internal/bytealg"));
        assert!(internal_allowed(Some("strings"), "internal/bytealg"));
        assert!(internal_allowed(Some("crypto/aes"), "crypto/internal/subtle"));
        assert!(internal_allowed(Some("crypto"), "crypto/internal/subtle"));
        assert!(!internal_allowed(Some("strings"), "crypto/internal/subtle"));
        assert!(!internal_allowed(Some("cryptox"), "crypto/internal/subtle"));
        assert!(internal_allowed(None, "strings"));
    }
}
