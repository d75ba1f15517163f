//! Name resolution and type checking of one file, producing [`hir::Program`].
//!
//! The checker walks the AST once, with a stack of block scopes. Untyped
//! constants are folded exactly (integers as `i128`) and converted where a
//! typed value is needed, as [Go spec: Constant expressions](https://go.dev/ref/spec#Constant_expressions)
//! describes.
//!
//! This module holds the [`Checker`]'s state and the scope primitives; the
//! checking itself is split by concern into the submodules, each adding
//! methods to `Checker`: `packages` and `decls` (package-level passes and
//! declarations), `statements`, `assign`, `names` (name and type
//! resolution), `exprs`, `calls`, `builtins`, `conversions`, `operators`,
//! `constants` (folding and literals), `spelling` (how diagnostics quote
//! things), `typedecls`, `places`, `members` (selectors and method sets),
//! `indexing`, `literals`, `range`, and the language areas `channels`,
//! `closures`, `generics` and `interfaces`.

use crate::errors::SemaError;
use crate::exact::Exact;
use crate::hir::{self, ConstValue, ExprId, FuncId, Intrinsic, LocalId, LocalKind};
use crate::stdlib::{is_exported, StdFunc, StdLib};
use crate::types::{Signature, TypeId, TypeKind, Types};
use g2n_base::Span;
use g2n_syntax::ast;
use std::collections::{BTreeMap, HashMap};

mod assign;
mod builtins;
mod calls;
mod channels;
mod closures;
mod constants;
mod conversions;
mod decls;
mod exprs;
mod generics;
mod indexing;
mod init_order;
mod interfaces;
mod lazy_bodies;
mod lazy_vars;
mod linked_functions;
mod literals;
mod members;
mod names;
mod operators;
mod packages;
mod places;
mod range;
mod spelling;
mod statements;
mod typedecls;
mod unsafe_pkg;
use constants::{complex_parts, const_string, decode_rune, fold_binary, parse_int_literal};
use conversions::ConvertContext;
use names::expr_as_type;
use places::Place;
use statements::is_terminating_list;

/// How identifiers that resolve to nothing are treated.
#[derive(Clone, Copy, Debug)]
pub enum FreeVars<'a> {
    /// A plain Go program: an unresolved name is `undefined: x`.
    Forbidden,
    /// A nanoservice: an unresolved name in `main` is a free variable bound by
    /// the mesh. The map gives the Go types known so far (by name); a free
    /// variable missing from it gets the invalid type, and the scope analyser
    /// reports it if no upstream provides it.
    Allowed(&'a BTreeMap<String, String>),
}

/// What a name means in a scope.
#[derive(Clone, Debug)]
enum Binding {
    Local(LocalId),
    Type(TypeId),
    Const(ConstValue, TypeId),
    /// An imported package, by index into `PackageCtx::imports`.
    Package(usize),
    Func(FuncId),
    /// A generic function, by index into `Checker::generic_funcs`.
    GenericFunc(usize),
    /// A generic type, by index into `Checker::generic_types`.
    GenericType(usize),
    Builtin(Builtin),
    /// A stdlib function declared without a body, implemented by the
    /// runtime: its package path and name.
    StdFunc(String, String),
    /// A stdlib variable the runtime provides (typed, no initializer): the
    /// runtime symbol that reads it, and its type.
    StdVar(String, TypeId),
}

/// The predeclared functions ([Go spec: Built-in functions](https://go.dev/ref/spec#Built-in_functions)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Builtin {
    Len,
    Print,
    Println,
    Panic,
    Cap,
    Append,
    Make,
    New,
    Copy,
    Delete,
    Recover,
    Close,
    /// [Manipulating complex numbers](https://go.dev/ref/spec#Complex_numbers).
    Complex,
    Real,
    Imag,
    /// Package `unsafe`'s functions (check/unsafe_pkg.rs).
    Sizeof,
    Offsetof,
    Alignof,
    Add,
    Slice,
}

struct Import {
    path: String,
    /// The name the import binds in its file.
    name: String,
    /// False for a path no package has: reported once where it is imported,
    /// its uses are silent (no "undefined" at each, nor for what they feed).
    known: bool,
    /// The name an `import NAME "path"` gives, when it differs from the path's last element.
    alias: Option<String>,
    span: Span,
    used: bool,
}

#[derive(Default)]
struct Scope {
    names: rustc_hash::FxHashMap<String, (Binding, Span)>,
}

/// A checked stdlib package: its package scope (every name it declares) and
/// its own imports, which its scope's `Binding::Package`s index.
struct CheckedPackage {
    scope: Scope,
    imports: Vec<Import>,
}

/// Package-level `const`/`var` specs not checked yet (`PackageCtx::pending_decls`).
type PendingDecls<'a> = Vec<Option<(std::rc::Rc<std::borrow::Cow<'a, ast::GenDecl>>, usize)>>;

/// A method body of a generic type's instance waiting to be checked: the
/// function, its declaration and the type parameters' bindings (name, type,
/// span).
type PendingBody = (FuncId, ast::FuncDecl, Vec<(String, TypeId, Span)>);

pub(crate) struct Checker<'a> {
    stdlib: &'a StdLib,
    free_vars: FreeVars<'a>,
    program: hir::Program,
    errors: Vec<SemaError>,
    /// The predeclared names, under every package's scopes.
    universe: Scope,
    /// The package being checked; loading an imported package swaps it.
    pkg: PackageCtx<'a>,
    /// The function whose body is being checked; checking another
    /// function's body (a declaration, a literal, an instantiation) swaps it.
    func: FuncCtx,
    /// Free locals created so far, by name (one per name per program).
    free_by_name: HashMap<String, LocalId>,
    /// Parameter types of functions whose bodies are not checked yet.
    pending_params: HashMap<FuncId, Vec<TypeId>>,
    /// The call being checked ends in `...` (set by `check_call`, taken by
    /// `pack_args`).
    spread_call: Option<Span>,
    /// Label ids are unique in the program.
    next_label: u32,
    generic_funcs: Vec<ast::FuncDecl>,
    /// Instantiations of generic functions by type arguments.
    instances: HashMap<(usize, Vec<TypeId>), FuncId>,
    generic_types: Vec<generics::GenericType>,
    type_instances: HashMap<(usize, Vec<TypeId>), TypeId>,
    /// Inside an instantiation of a generic function or type: type
    /// parameters are bound to their arguments, so cases that differ in the
    /// source (`case int32, T:`) may coincide.
    instance_depth: u32,
    /// Locals declared with a type written with an alias (see
    /// `alias_spelling`), and the spelled type of a declaration being checked.
    spellings: HashMap<LocalId, String>,
    target_spelling: Option<(TypeId, String)>,
    /// Generic type instantiations in progress, and the method bodies of
    /// their instances waiting for the outermost one to finish.
    type_instantiation_depth: u32,
    instance_bodies: Vec<PendingBody>,
    /// Defined interfaces with type terms (`interface{ int | float64 }`):
    /// usable only as constraints.
    constraint_types: Vec<TypeId>,
    /// Stdlib packages by import path, checked before the package that
    /// imports them; `None` while one is being checked.
    packages: HashMap<String, Option<CheckedPackage>>,
    /// Library function bodies not checked until reached (lazy_bodies.rs):
    /// each with its package's path; the packages they belong to; how many
    /// of `program.exprs` were searched for references to them.
    waiting_bodies: HashMap<FuncId, (String, &'a ast::FuncDecl)>,
    lazy_packages: HashMap<String, lazy_bodies::LazyPackage<'a>>,
    scanned_exprs: usize,
    /// What decides which library methods are checked (lazy_bodies.rs):
    /// the types codegen may describe, so whose methods it compiles.
    reach: lazy_bodies::TypeReach,
    /// False: every library body is checked (the stdlib's own tests).
    lazy_library: bool,
    /// Each library package's place in the order packages are initialized
    /// (its index in `program.package_init_ends`), and the package of each
    /// entry of `program.global_inits` by that index: a variable checked
    /// when reached (lazy_vars.rs) is pushed while another package is
    /// checked, and is put back among its own package's at the end.
    package_ordinals: HashMap<String, usize>,
    global_init_packages: Vec<usize>,
}

/// The state of the package being checked: the program's (`main`) or a
/// stdlib package's.
struct PackageCtx<'a> {
    /// Import path: `main` for the program.
    path: String,
    /// The package's file, to quote expressions in diagnostics as Go does
    /// (found again by span; instantiated generic bodies keep theirs).
    file: Option<&'a ast::File>,
    /// The package scope (once `check_package` pushes it) and the block
    /// scopes inside it, innermost last; the universe is below them all.
    scopes: Vec<Scope>,
    imports: Vec<Import>,
    /// Package-level `const`/`var` specs not checked yet, and the spec
    /// declaring each name: a use before the declaration (in a type's array
    /// length, or another initializer) checks it first. (Variables are then
    /// initialized in the spec's order: see init_order.rs.)
    /// One entry per spec (its declaration, shared, and the spec's index):
    /// `var ( a = d + 1; d = 1 )` checks `d` first. A constant spec needs
    /// its whole declaration for `iota` and the repeated expression lists.
    pending_decls: PendingDecls<'a>,
    pending_names: HashMap<String, usize>,
    /// Every package-level name is declared: instantiated method bodies can
    /// be checked right away (before, they wait in `deferred_bodies`).
    declarations_done: bool,
    deferred_bodies: Vec<PendingBody>,
    /// The source files of a package given as several files (merged into
    /// one `ast::File` by the driver); empty for a package of one file.
    /// Imports are file-scoped in Go: see `Checker::import_for_use`.
    files: Vec<g2n_base::FileId>,
}

impl PackageCtx<'_> {
    fn new(path: &str) -> Self {
        PackageCtx {
            path: path.to_string(),
            file: None,
            scopes: Vec::new(),
            imports: Vec::new(),
            pending_decls: Vec::new(),
            pending_names: HashMap::new(),
            declarations_done: false,
            deferred_bodies: Vec::new(),
            files: Vec::new(),
        }
    }
}

/// The state of the function whose body is being checked.
#[derive(Default)]
struct FuncCtx {
    /// The function's name; `goToNetwork` is allowed in `main` only.
    name: String,
    /// Result types of the function.
    results: Vec<TypeId>,
    named_results: bool,
    loop_depth: u32,
    /// Enclosing statements that `break` may leave (loops and switches).
    breakable_depth: u32,
    /// Labels of the enclosing labeled statements, innermost last.
    labels: Vec<(String, u32)>,
    /// Labels of the function (they have function scope, and `goto` may
    /// jump forward): id, whether declared yet, first use.
    func_labels: HashMap<String, (u32, bool, Span)>,
    /// The function contains `defer`.
    has_defer: bool,
    /// Function literals being checked, innermost last.
    closures: Vec<ClosureContext>,
    /// Function literals met so far directly in this function (Go numbers
    /// them in source order: `main.main.func2`, `main.main.func1.1`).
    literals: u32,
    /// The `defer` and `go` calls of the function wrapped so far: each
    /// wrapper is named by its ordinal in the function (`F.deferwrap1`), as
    /// closures are, so that a library function's wrappers have the same
    /// names in every program (the build cache keys them by name).
    wraps: u32,
    /// What a literal's name starts with when it is not `name`: a method's
    /// receiver and name, `(*T).m` (Go's `main.(*T).m.func1`).
    literal_prefix: String,
}

/// A function literal being checked.
struct ClosureContext {
    /// Locals with a smaller index belong to enclosing functions.
    first_local: usize,
    captures: Vec<LocalId>,
}

impl<'a> Checker<'a> {
    pub(crate) fn new(stdlib: &'a StdLib, free_vars: FreeVars<'a>) -> Checker<'a> {
        let mut universe = Scope::default();
        let predeclared = Span::default();
        for (name, ty) in [
            ("bool", Types::BOOL),
            ("int", Types::INT),
            ("float64", Types::FLOAT64),
            ("string", Types::STRING),
            ("any", Types::ANY),
            ("comparable", Types::ANY),
            ("error", Types::ERROR),
            ("int8", Types::INT8),
            ("int16", Types::INT16),
            ("int32", Types::INT32),
            ("rune", Types::INT32),
            ("int64", Types::INT64),
            ("uint", Types::UINT),
            ("uint8", Types::UINT8),
            ("byte", Types::UINT8),
            ("uint16", Types::UINT16),
            ("uint32", Types::UINT32),
            ("uint64", Types::UINT64),
            ("uintptr", Types::UINTPTR),
            ("float32", Types::FLOAT32),
            ("complex64", Types::COMPLEX64),
            ("complex128", Types::COMPLEX128),
        ] {
            universe.names.insert(name.to_string(), (Binding::Type(ty), predeclared));
        }
        universe.names.insert(
            "true".to_string(),
            (Binding::Const(ConstValue::Bool(true), Types::UNTYPED_BOOL), predeclared),
        );
        universe.names.insert(
            "false".to_string(),
            (Binding::Const(ConstValue::Bool(false), Types::UNTYPED_BOOL), predeclared),
        );
        universe
            .names
            .insert("nil".to_string(), (Binding::Const(ConstValue::Nil, Types::UNTYPED_NIL), predeclared));
        for (name, builtin) in [
            ("len", Builtin::Len),
            ("print", Builtin::Print),
            ("println", Builtin::Println),
            ("panic", Builtin::Panic),
            ("cap", Builtin::Cap),
            ("append", Builtin::Append),
            ("make", Builtin::Make),
            ("new", Builtin::New),
            ("copy", Builtin::Copy),
            ("delete", Builtin::Delete),
            ("recover", Builtin::Recover),
            ("close", Builtin::Close),
            ("complex", Builtin::Complex),
            ("real", Builtin::Real),
            ("imag", Builtin::Imag),
        ] {
            universe.names.insert(name.to_string(), (Binding::Builtin(builtin), predeclared));
        }
        Checker {
            stdlib,
            free_vars,
            program: hir::Program::default(),
            errors: Vec::new(),
            universe,
            pkg: PackageCtx::new("main"),
            func: FuncCtx::default(),
            free_by_name: HashMap::new(),
            pending_params: HashMap::new(),
            spread_call: None,
            next_label: 0,
            generic_funcs: Vec::new(),
            instances: HashMap::new(),
            generic_types: Vec::new(),
            type_instances: HashMap::new(),
            instance_depth: 0,
            spellings: HashMap::new(),
            target_spelling: None,
            type_instantiation_depth: 0,
            instance_bodies: Vec::new(),
            constraint_types: Vec::new(),
            packages: HashMap::new(),
            waiting_bodies: HashMap::new(),
            lazy_packages: HashMap::new(),
            scanned_exprs: 0,
            reach: lazy_bodies::TypeReach::default(),
            lazy_library: true,
            package_ordinals: HashMap::new(),
            global_init_packages: Vec::new(),
        }
    }

    pub(crate) fn check_file(mut self, file: &'a ast::File) -> (hir::Program, Vec<SemaError>) {
        // Imported stdlib packages first (and theirs): the program uses
        // their types and functions, and their variables are initialized
        // before the program's, as Go initializes imported packages first.
        let started = std::time::Instant::now();
        // Room for the library's expressions up front, at most one per 8
        // bytes of source (fannkuch-redux's 1.3 MB of library source make
        // 80,000 to 160,000): grown by doubling from empty, the vector's
        // reallocations were 15% of checking the library, copies of up to
        // 13 MB and first touches of new pages. What is not used of the
        // room is never touched.
        self.program.exprs.reserve(self.stdlib.source_bytes() / 8);
        for import in &file.imports {
            self.load_package(&import.path);
        }
        crate::add_library_check_time(started.elapsed());
        self.check_package(file);
        // The library bodies the program reaches, before anything that
        // follows references through bodies (initialization order).
        let started = std::time::Instant::now();
        self.check_reached_bodies();
        crate::add_library_check_time(started.elapsed());
        // Every package's variables, the imported packages' too: a library
        // variable's initializer may need another's through a function body
        // (encoding/gob's `decIgnoreOpMap` uses `tBool`, whose initializer
        // calls `bootstrapType`, which fills the map `types`), and library
        // bodies are checked only now that they are reached.
        self.group_global_inits_by_package();
        let mut start = 0;
        let ends: Vec<usize> = self.program.package_init_ends.iter().map(|&(vars, _)| vars).collect();
        // The last range is the program's own variables.
        for end in ends.into_iter().chain(std::iter::once(self.program.global_inits.len())) {
            init_order::order_package_inits(&mut self.program, start..end);
            start = end;
        }
        self.intern_method_types();
        self.intern_method_pointer_types();
        if file.package.name == "main" && self.program.main.is_none() {
            self.errors.push(SemaError::MissingMain { span: file.package.span });
        }
        self.report_unused_locals();
        (self.program, in_source_order(self.errors))
    }

    fn unsupported(&mut self, what: &str, span: Span) {
        self.errors.push(SemaError::Unsupported { what: what.to_string(), span });
    }

    fn declare(&mut self, name: &str, binding: Binding, span: Span) {
        if name == "_" {
            return;
        }
        let scope = match self.pkg.scopes.last_mut() {
            Some(scope) => scope,
            None => &mut self.universe,
        };
        if let Some((_, previous)) = scope.names.get(name) {
            self.errors.push(SemaError::Redeclared { name: name.to_string(), span, previous: *previous });
            return;
        }
        scope.names.insert(name.to_string(), (binding, span));
    }

    fn lookup(&self, name: &str) -> Option<&Binding> {
        self.pkg.scopes.iter().rev().chain([&self.universe]).find_map(|s| s.names.get(name).map(|(b, _)| b))
    }

    fn new_local(&mut self, name: &str, ty: TypeId, span: Span, kind: LocalKind) -> LocalId {
        let id = LocalId(self.program.locals.len() as u32);
        let in_library = self.pkg.path != "main";
        self.program.locals.push(hir::Local { name: name.to_string(), ty, span, kind, used: false, escapes: false, in_library });
        id
    }

    fn push_expr(&mut self, kind: hir::ExprKind, ty: TypeId, span: Span) -> ExprId {
        let id = ExprId(self.program.exprs.len() as u32);
        self.program.exprs.push(hir::Expr { kind, ty, span });
        id
    }

    fn expr_ty(&self, id: ExprId) -> TypeId {
        self.program.exprs.get(id.index()).map_or(Types::INVALID, |e| e.ty)
    }

    fn expr_span(&self, id: ExprId) -> Span {
        self.program.exprs.get(id.index()).map_or(Span::default(), |e| e.span)
    }

    fn const_of(&self, id: ExprId) -> Option<ConstValue> {
        match self.program.exprs.get(id.index()).map(|e| &e.kind) {
            Some(hir::ExprKind::Const(value)) => Some(value.clone()),
            _ => None,
        }
    }
}

/// The diagnostics in source order within each file, as gc reports them
/// (unused imports and locals are found last but usually stand first); the
/// files in the order of their first diagnostic, as gc's do. Diagnostics
/// without a label go last.
fn in_source_order(errors: Vec<SemaError>) -> Vec<SemaError> {
    use miette::Diagnostic;
    // A label's offset carries its file in the high 32 bits (g2n-base).
    let position = |error: &SemaError| error.labels().and_then(|mut labels| labels.next()).map(|label| label.offset());
    let mut files: Vec<usize> = Vec::new();
    let mut keyed: Vec<((usize, usize), SemaError)> = errors
        .into_iter()
        .map(|error| {
            let key = position(&error).map_or((usize::MAX, usize::MAX), |at| {
                let file = at >> 32;
                let rank = files.iter().position(|&f| f == file).unwrap_or_else(|| {
                    files.push(file);
                    files.len() - 1
                });
                (rank, at)
            });
            (key, error)
        })
        .collect();
    keyed.sort_by_key(|(key, _)| *key);
    keyed.into_iter().map(|(_, error)| error).collect()
}
