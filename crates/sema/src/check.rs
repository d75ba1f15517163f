//! Name resolution and type checking of one file, producing [`hir::Program`].
//!
//! The checker walks the AST once, with a stack of block scopes. Untyped
//! constants are folded exactly (integers as `i128`) and converted where a
//! typed value is needed, as [Go spec: Constant expressions](https://go.dev/ref/spec#Constant_expressions)
//! describes.

use crate::errors::SemaError;
use crate::exact::Exact;
use crate::hir::{self, ConstValue, ExprId, FuncId, Intrinsic, LocalId, LocalKind};
use crate::stdlib::{is_exported, StdFunc, StdLib};
use crate::types::{Signature, TypeId, TypeKind, Types};
use g2n_base::Span;
use g2n_syntax::ast;
use std::collections::{BTreeMap, HashMap};

mod channels;
mod closures;
mod composite;
mod generics;
mod interfaces;
use composite::Place;

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
    /// An imported package, by index into `Checker::imports`.
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
}

struct Import {
    path: String,
    /// The name an `import NAME "path"` gives, when it differs from the path's last element.
    alias: Option<String>,
    span: Span,
    used: bool,
}

struct Scope {
    names: HashMap<String, (Binding, Span)>,
}

/// A checked stdlib package: its package scope (every name it declares) and
/// its own imports, which its scope's `Binding::Package`s index.
struct CheckedPackage {
    scope: Scope,
    imports: Vec<Import>,
}

pub(crate) struct Checker<'a> {
    stdlib: &'a StdLib,
    free_vars: FreeVars<'a>,
    program: hir::Program,
    errors: Vec<SemaError>,
    scopes: Vec<Scope>,
    imports: Vec<Import>,
    /// Name of the function being checked; `goToNetwork` is allowed in `main` only.
    current_func: String,
    /// Free locals created so far, by name (one per name per program).
    free_by_name: HashMap<String, LocalId>,
    loop_depth: u32,
    /// Enclosing statements that `break` may leave (loops and switches).
    breakable_depth: u32,
    /// Result types of the function being checked.
    current_results: Vec<TypeId>,
    current_named_results: bool,
    /// Parameter types of functions whose bodies are not checked yet.
    pending_params: HashMap<FuncId, Vec<TypeId>>,
    /// Function literals being checked, innermost last.
    closures: Vec<ClosureContext>,
    /// The call being checked ends in `...` (set by `check_call`, taken by
    /// `pack_args`).
    spread_call: Option<Span>,
    /// Labels of the enclosing labeled statements, innermost last.
    labels: Vec<(String, u32)>,
    next_label: u32,
    /// Labels of the function being checked (they have function scope, and
    /// `goto` may jump forward): id, whether declared yet, first use.
    func_labels: HashMap<String, (u32, bool, Span)>,
    /// The function being checked contains `defer`.
    current_has_defer: bool,
    generic_funcs: Vec<ast::FuncDecl>,
    /// Instantiations of generic functions by type arguments.
    instances: HashMap<(usize, Vec<TypeId>), FuncId>,
    generic_types: Vec<generics::GenericType>,
    type_instances: HashMap<(usize, Vec<TypeId>), TypeId>,
    /// Package-level `const`/`var` declarations not checked yet, and the
    /// declaration declaring each name: a use before the declaration (in a
    /// type's array length, or another initializer) checks it first, which
    /// also orders variable initialization by dependency as Go does.
    pending_decls: Vec<Option<ast::GenDecl>>,
    pending_names: HashMap<String, usize>,
    /// Every package-level name is declared: instantiated method bodies can
    /// be checked right away (before, they wait in `deferred_bodies`).
    declarations_done: bool,
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
    instance_bodies: Vec<(FuncId, ast::FuncDecl, Vec<(String, TypeId, Span)>)>,
    /// Defined interfaces with type terms (`interface{ int | float64 }`):
    /// usable only as constraints.
    constraint_types: Vec<TypeId>,
    deferred_bodies: Vec<(FuncId, ast::FuncDecl, Vec<(String, TypeId, Span)>)>,
    /// The file being checked, to quote expressions in diagnostics as Go
    /// does (found again by span; instantiated generic bodies keep theirs).
    file: Option<&'a ast::File>,
    /// The statement `x op= y` or `x++` being checked, as Go quotes it in an
    /// error about its operation (taken by the outermost `check_binary`),
    /// and whether it is an increment or decrement.
    assign_op: Option<(String, bool)>,
    /// Import path of the package being checked: `main` for the program.
    package_path: String,
    /// Stdlib packages by import path, checked before the package that
    /// imports them; `None` while one is being checked.
    packages: HashMap<String, Option<CheckedPackage>>,
}

/// A function literal being checked.
struct ClosureContext {
    /// Locals with a smaller index belong to enclosing functions.
    first_local: usize,
    captures: Vec<LocalId>,
}

impl<'a> Checker<'a> {
    pub(crate) fn new(stdlib: &'a StdLib, free_vars: FreeVars<'a>) -> Checker<'a> {
        let mut universe = Scope { names: HashMap::new() };
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
            scopes: vec![universe],
            imports: Vec::new(),
            current_func: String::new(),
            free_by_name: HashMap::new(),
            loop_depth: 0,
            breakable_depth: 0,
            current_results: Vec::new(),
            current_named_results: false,
            pending_params: HashMap::new(),
            closures: Vec::new(),
            spread_call: None,
            labels: Vec::new(),
            next_label: 0,
            func_labels: HashMap::new(),
            current_has_defer: false,
            generic_funcs: Vec::new(),
            instances: HashMap::new(),
            generic_types: Vec::new(),
            type_instances: HashMap::new(),
            pending_decls: Vec::new(),
            pending_names: HashMap::new(),
            declarations_done: false,
            instance_depth: 0,
            spellings: HashMap::new(),
            target_spelling: None,
            type_instantiation_depth: 0,
            instance_bodies: Vec::new(),
            constraint_types: Vec::new(),
            deferred_bodies: Vec::new(),
            file: None,
            assign_op: None,
            package_path: "main".to_string(),
            packages: HashMap::new(),
        }
    }

    pub(crate) fn check_file(mut self, file: &'a ast::File) -> (hir::Program, Vec<SemaError>) {
        // Imported stdlib packages first (and theirs): the program uses
        // their types and functions, and their variables are initialized
        // before the program's, as Go initializes imported packages first.
        for import in &file.imports {
            self.load_package(&import.path);
        }
        self.check_package(file);
        if file.package.name == "main" && self.program.main.is_none() {
            self.errors.push(SemaError::MissingMain { span: file.package.span });
        }
        self.report_unused_locals();
        (self.program, self.errors)
    }

    /// Checks the stdlib package `path` (after the packages it imports) in
    /// its own package scope, unless it is checked already. Only imported
    /// packages are checked, so a program pays for what it uses.
    ///
    /// Called before the importing package's own declarations, so no
    /// function is being checked: only the package-level state is saved.
    fn load_package(&mut self, path: &str) {
        if self.packages.contains_key(path) {
            return;
        }
        let stdlib = self.stdlib;
        // An unknown path is reported where it is imported.
        let Some(package) = stdlib.package(path) else { return };
        // The entry marks the package as in progress: an import cycle
        // stops here instead of recursing forever.
        self.packages.insert(path.to_string(), None);
        for import in &package.file.imports {
            self.load_package(&import.path);
        }
        let saved_scopes: Vec<Scope> = self.scopes.drain(1..).collect();
        let saved_imports = std::mem::take(&mut self.imports);
        let saved_pending = std::mem::take(&mut self.pending_decls);
        let saved_names = std::mem::take(&mut self.pending_names);
        let saved_done = std::mem::replace(&mut self.declarations_done, false);
        let saved_file = self.file;
        let saved_path = std::mem::replace(&mut self.package_path, path.to_string());
        self.check_package(&package.file);
        let scope = self.scopes.pop().unwrap_or(Scope { names: HashMap::new() });
        let imports = std::mem::replace(&mut self.imports, saved_imports);
        self.package_path = saved_path;
        self.file = saved_file;
        self.declarations_done = saved_done;
        self.pending_names = saved_names;
        self.pending_decls = saved_pending;
        self.scopes.truncate(1);
        self.scopes.extend(saved_scopes);
        self.packages.insert(path.to_string(), Some(CheckedPackage { scope, imports }));
    }

    /// The import path of the package being checked when it is a stdlib
    /// package (its defined types are spelled `pkg.T`), `None` in the program.
    fn std_package(&self) -> Option<String> {
        (self.package_path != "main").then(|| self.package_path.clone())
    }

    /// What the exported `name` of the checked stdlib package `path` means.
    fn package_member(&self, path: &str, name: &str) -> Option<Binding> {
        if !is_exported(name) {
            return None;
        }
        let package = self.packages.get(path)?.as_ref()?;
        package.scope.names.get(name).map(|(binding, _)| binding.clone())
    }

    /// Runs `f` with only the universe and the package scope of `path` in
    /// view (and its imports), as a stdlib declaration's names resolve.
    fn in_package<R>(&mut self, path: &str, f: impl FnOnce(&mut Self) -> R) -> R {
        if path == self.package_path {
            let saved: Vec<Scope> = self.scopes.drain(2.min(self.scopes.len())..).collect();
            let result = f(self);
            self.scopes.extend(saved);
            return result;
        }
        let saved: Vec<Scope> = self.scopes.drain(1..).collect();
        let package = self.packages.get_mut(path).and_then(Option::take);
        let result = match package {
            Some(CheckedPackage { scope, imports }) => {
                self.scopes.push(scope);
                let saved_imports = std::mem::replace(&mut self.imports, imports);
                let result = f(self);
                let imports = std::mem::replace(&mut self.imports, saved_imports);
                let scope = self.scopes.pop().unwrap_or(Scope { names: HashMap::new() });
                self.packages.insert(path.to_string(), Some(CheckedPackage { scope, imports }));
                result
            }
            None => f(self),
        };
        self.scopes.truncate(1);
        self.scopes.extend(saved);
        result
    }

    /// Checks one package's file, leaving its package scope on the scope
    /// stack: the program's, or a stdlib package's (`package_path`).
    fn check_package(&mut self, file: &'a ast::File) {
        self.file = Some(file);
        let is_std = self.package_path != "main";
        let first_named = self.program.types.named.len();
        // Package block: imports, then every function's signature, so that
        // bodies can call functions declared later in the file.
        self.scopes.push(Scope { names: HashMap::new() });
        for import in &file.imports {
            self.declare_import(import);
        }
        // Defined types: every name first, then their underlying types.
        let mut type_decls = Vec::new();
        for decl in &file.decls {
            let ast::Decl::Gen(gen_decl) = decl else { continue };
            if gen_decl.kind == ast::GenKind::Type {
                let declared = self.declare_types(gen_decl);
                type_decls.push((gen_decl, declared));
            }
        }
        // Methods of generic types are kept for each instantiation (before
        // any type is resolved, since resolving may instantiate).
        for decl in &file.decls {
            let ast::Decl::Func(func) = decl else { continue };
            if let Some(index) = self.generic_receiver(func) {
                self.generic_types[index].methods.push(generics::name_blank_receiver_params(func));
            }
        }
        let mut runtime_vars = Vec::new();
        for decl in &file.decls {
            let ast::Decl::Gen(gen_decl) = decl else { continue };
            if matches!(gen_decl.kind, ast::GenKind::Const | ast::GenKind::Var) {
                let mut gen_decl = gen_decl.clone();
                if is_std && gen_decl.kind == ast::GenKind::Var {
                    // Typed variables without initializer are the runtime's.
                    gen_decl.specs.retain(|spec| match spec {
                        ast::Spec::Value { names, ty: Some(ty), values, .. } if values.is_empty() => {
                            runtime_vars.push((names.clone(), ty.clone()));
                            false
                        }
                        _ => true,
                    });
                }
                let index = self.pending_decls.len();
                for spec in &gen_decl.specs {
                    if let ast::Spec::Value { names, .. } = spec {
                        for name in names {
                            self.pending_names.entry(name.name.clone()).or_insert(index);
                        }
                    }
                }
                self.pending_decls.push(Some(gen_decl));
            }
        }
        for (gen_decl, declared) in &type_decls {
            self.resolve_types(gen_decl, declared);
        }
        for (names, ty) in runtime_vars {
            let ty = self.resolve_type(&ty);
            for name in names {
                let symbol = crate::stdlib::runtime_symbol(&self.package_path, &name.name);
                self.declare(&name.name, Binding::StdVar(symbol, ty), name.span);
            }
        }
        let mut bodies = Vec::new();
        for decl in &file.decls {
            let ast::Decl::Func(func) = decl else { continue };
            if is_std && func.body.is_none() && func.recv.is_none() {
                // A runtime intrinsic: its signature is resolved at each use.
                let binding = Binding::StdFunc(self.package_path.clone(), func.name.name.clone());
                self.declare(&func.name.name, binding, func.name.span);
                continue;
            }
            if self.generic_receiver(func).is_some() {
                continue;
            }
            if !func.type_params.is_empty() {
                if func.recv.is_some() {
                    self.unsupported("methods with type parameters", func.span);
                } else {
                    self.declare_generic_func(func);
                }
                continue;
            }
            let Some(id) = self.declare_func(func) else { continue };
            bodies.push((id, func));
        }
        self.synthesize_promoted_methods(first_named);
        self.check_deferred_bodies();
        // Package-level constants and variables, in source order (those an
        // earlier one needed are checked already).
        for index in 0..self.pending_decls.len() {
            self.current_func = String::new();
            self.check_pending_decl(index);
        }
        for (id, func) in bodies {
            self.check_func_body(id, func);
        }
        self.mark_imports_used_by_generic_code();
        for import in &self.imports {
            if !import.used {
                self.errors.push(SemaError::ImportedNotUsed {
                    path: import.path.clone(),
                    alias: import.alias.clone().map(|a| format!(" as {a}")).unwrap_or_default(),
                    span: import.span,
                });
            }
        }
    }

    /// Registers a function and its signature in the package scope.
    /// A function from a generic instantiation: its signature, no name binding.
    fn declare_func_signature(&mut self, func: &ast::FuncDecl) -> Option<FuncId> {
        let variadic = func.sig.params.last().is_some_and(|p| p.variadic);
        let results: Vec<TypeId> = func.sig.results.iter().map(|r| self.resolve_type(&r.ty)).collect();
        let mut params = Vec::new();
        for param in &func.sig.params {
            let ty = self.resolve_type(&param.ty);
            let ty = if param.variadic && ty != Types::INVALID { self.program.types.intern(TypeKind::Slice(ty)) } else { ty };
            params.push(ty);
        }
        // Only now: resolving the types may have declared functions (the
        // methods of a generic type instantiated by the signature).
        let id = FuncId(self.program.funcs.len() as u32);
        self.pending_params.insert(id, params);
        self.program.funcs.push(hir::Func {
            name: func.name.name.clone(),
            params: Vec::new(),
            results,
            result_locals: Vec::new(),
            body: hir::Block::default(),
            span: func.span,
            captures: None,
            variadic,
            has_defer: false,
        });
        Some(id)
    }

    fn declare_func(&mut self, func: &ast::FuncDecl) -> Option<FuncId> {
        let receiver = match &func.recv {
            Some(recv) => Some(self.receiver_base(recv)?),
            None => None,
        };
        let variadic = func.sig.params.last().is_some_and(|p| p.variadic);
        let results: Vec<TypeId> = func.sig.results.iter().map(|r| self.resolve_type(&r.ty)).collect();
        let mut params: Vec<TypeId> = Vec::new();
        if let Some(recv) = &func.recv {
            params.push(self.resolve_type_quietly(&recv.ty));
        }
        for param in &func.sig.params {
            let ty = self.resolve_type(&param.ty);
            // `...T` is a `[]T` inside the function.
            let ty = if param.variadic && ty != Types::INVALID { self.program.types.intern(TypeKind::Slice(ty)) } else { ty };
            params.push(ty);
        }
        // Only now: resolving the types may have declared functions.
        let id = FuncId(self.program.funcs.len() as u32);
        self.pending_params.insert(id, params);
        self.program.funcs.push(hir::Func {
            name: func.name.name.clone(),
            params: Vec::new(),
            results,
            result_locals: Vec::new(),
            body: hir::Block::default(),
            span: func.span,
            captures: None,
            variadic,
            has_defer: false,
        });
        let is_special = func.recv.is_none() && (func.name.name == "main" || func.name.name == "init");
        if is_special && (!func.sig.params.is_empty() || !func.sig.results.is_empty()) {
            self.errors.push(SemaError::Misplaced {
                message: format!("func {} must have no arguments and no return values", func.name.name),
                span: func.name.span,
            });
        }
        if let Some((base, pointer_receiver)) = receiver {
            self.register_method(base, &func.name, id, pointer_receiver);
            return Some(id);
        }
        match func.name.name.as_str() {
            "main" => self.program.main = Some(id),
            "init" => self.program.inits.push(id),
            "_" => {}
            name => self.declare(name, Binding::Func(id), func.name.span),
        }
        Some(id)
    }

    fn check_pending_decl(&mut self, index: usize) {
        let Some(decl) = self.pending_decls.get_mut(index).and_then(Option::take) else { return };
        self.with_package_context(&[], |this| {
            this.current_func = String::new();
            match decl.kind {
                ast::GenKind::Const => this.check_const_decl(&decl),
                ast::GenKind::Var => this.check_global_vars(&decl),
                ast::GenKind::Type => {}
            }
        });
    }

    /// Checks the package-level declaration of `name` now if it is still
    /// pending and no local declaration hides it.
    fn resolve_pending(&mut self, name: &str) {
        let Some(&index) = self.pending_names.get(name) else { return };
        if self.pending_decls.get(index).is_none_or(Option::is_none) {
            return;
        }
        if self.scopes.iter().skip(2).any(|s| s.names.contains_key(name)) {
            return;
        }
        self.check_pending_decl(index);
    }

    /// The id of a label of the current function, made at its first use.
    fn function_label(&mut self, label: &ast::Ident) -> u32 {
        if let Some((id, _, _)) = self.func_labels.get(&label.name) {
            return *id;
        }
        let id = self.next_label;
        self.next_label += 1;
        self.func_labels.insert(label.name.clone(), (id, false, label.span));
        id
    }

    /// Reports `goto`s to labels the function never declares.
    fn finish_function_labels(&mut self, saved: HashMap<String, (u32, bool, Span)>) {
        let labels = std::mem::replace(&mut self.func_labels, saved);
        let mut undefined: Vec<(String, Span)> =
            labels.into_iter().filter(|(_, (_, defined, _))| !defined).map(|(name, (_, _, span))| (name, span)).collect();
        undefined.sort_by_key(|(_, span)| span.start);
        for (name, span) in undefined {
            self.errors.push(SemaError::Misplaced { message: format!("label {name} not defined"), span });
        }
    }

    fn check_func_body(&mut self, id: FuncId, func: &ast::FuncDecl) {
        let saved_labels = std::mem::take(&mut self.func_labels);
        self.current_func = func.name.name.clone();
        self.current_has_defer = false;
        self.scopes.push(Scope { names: HashMap::new() });
        let mut params = Vec::new();
        for param in func.recv.iter().chain(&func.sig.params) {
            let ty = self.resolve_type_quietly(&param.ty);
            let ty = if param.variadic && ty != Types::INVALID { self.program.types.intern(TypeKind::Slice(ty)) } else { ty };
            let name = param.name.as_ref().map_or("_", |n| n.name.as_str());
            let span = param.name.as_ref().map_or(param.span, |n| n.span);
            let local = self.new_local(name, ty, span, LocalKind::Param);
            self.declare(name, Binding::Local(local), span);
            params.push(local);
        }
        let mut result_locals = Vec::new();
        let results = self.program.func(id).results.clone();
        for (result, ty) in func.sig.results.iter().zip(&results) {
            if let Some(name) = &result.name {
                let local = self.new_local(&name.name, *ty, name.span, LocalKind::Param);
                self.declare(&name.name, Binding::Local(local), name.span);
                result_locals.push(local);
            }
        }
        self.current_results = results.clone();
        self.current_named_results = !result_locals.is_empty();
        let body = match &func.body {
            Some(body) => {
                // Parameters and results share the body's outermost block.
                let block = hir::Block { stmts: self.check_stmts(&body.stmts) };
                if !results.is_empty() && !is_terminating_list(&body.stmts) {
                    self.errors.push(SemaError::Misplaced {
                        message: "missing return".to_string(),
                        span: Span { start: body.span.end.saturating_sub(1), ..body.span },
                    });
                }
                block
            }
            None => {
                self.errors.push(SemaError::Misplaced { message: "missing function body".to_string(), span: func.name.span });
                hir::Block::default()
            }
        };
        self.scopes.pop();
        self.finish_function_labels(saved_labels);
        if let Some(f) = self.program.funcs.get_mut(id.index()) {
            f.body = body;
            f.params = params;
            f.result_locals = result_locals.clone();
            f.has_defer = self.current_has_defer;
        }
        if self.current_has_defer && func.recv.is_none() && func.name.name == "main" && func.type_params.is_empty() {
            let thunk = self.program.types.intern(TypeKind::Func(Signature { params: Vec::new(), results: Vec::new(), variadic: false }));
            let list = self.program.types.intern(TypeKind::Slice(thunk));
            let local = self.new_local("%defers", list, func.name.span, LocalKind::Var);
            if let Some(l) = self.program.locals.get_mut(local.index()) {
                l.used = true;
            }
            self.program.main_defers = Some(local);
        }
        if self.current_has_defer {
            // Deferred calls may set named results after `return`: they live
            // in memory, where the return reads them back.
            for local in result_locals {
                if let Some(l) = self.program.locals.get_mut(local.index()) {
                    l.escapes = true;
                }
            }
        }
    }

    /// Package-level `var`: globals with initializers run before `main`.
    fn check_global_vars(&mut self, decl: &ast::GenDecl) {
        for spec in &decl.specs {
            let ast::Spec::Value { names, ty, values, span } = spec else { continue };
            let declared_ty = ty.as_ref().map(|t| {
                let resolved = self.resolve_type(t);
                self.check_not_constraint(resolved, t.span)
            });
            if let ([value], true) = (values.as_slice(), names.len() > 1) {
                self.check_global_tuple(names, declared_ty, value, *span);
                continue;
            }
            if !values.is_empty() && values.len() != names.len() {
                self.init_count_error(names, values);
                continue;
            }
            for (index, name) in names.iter().enumerate() {
                let value = values.get(index).map(|v| self.check_expr(v));
                let ty = match (declared_ty, value) {
                    (Some(ty), _) => ty,
                    (None, Some(value)) => {
                        self.check_assigned_value(value);
                        self.program.types.default_type(self.expr_ty(value))
                    }
                    (None, None) => Types::INVALID,
                };
                let value = value.map(|v| self.convert(v, ty, "variable declaration"));
                let local = self.new_local(&name.name, ty, name.span, LocalKind::Global);
                self.declare(&name.name, Binding::Local(local), name.span);
                self.program.global_inits.push((local, value));
            }
        }
    }

    /// `var a, b = f()` at package level: each variable takes one result.
    fn check_global_tuple(&mut self, names: &[ast::Ident], declared_ty: Option<TypeId>, value: &ast::Expr, span: Span) {
        let call = self.check_multi_value(value, names.len());
        let call_ty = self.expr_ty(call);
        let elems = match self.program.types.kind(call_ty).clone() {
            TypeKind::Tuple(elems) if elems.len() == names.len() => elems,
            _ if call_ty == Types::INVALID => vec![Types::INVALID; names.len()],
            _ => {
                let have = match self.program.types.kind(call_ty) {
                    TypeKind::Tuple(elems) => elems.len(),
                    _ => 1,
                };
                self.errors.push(SemaError::TypeMismatch {
                    message: self.assignment_mismatch(names.len(), have, Some(self.expr_span(call))),
                    span,
                    label: "counts differ".to_string(),
                });
                vec![Types::INVALID; names.len()]
            }
        };
        for (index, (name, elem)) in names.iter().zip(elems).enumerate() {
            let field = if elem == Types::INVALID {
                None
            } else {
                Some(self.push_expr(hir::ExprKind::TupleField { tuple: call, index: index as u32 }, elem, value.span))
            };
            let ty = declared_ty.unwrap_or(elem);
            let field = field.map(|f| self.convert(f, ty, "variable declaration"));
            let local = self.new_local(&name.name, ty, name.span, LocalKind::Global);
            self.declare(&name.name, Binding::Local(local), name.span);
            self.program.global_inits.push((local, field));
        }
    }

    /// Go's "declared but not used". Locals visible at a `goToNetwork` may be
    /// used downstream; the scope analyser judges those across the mesh.
    fn report_unused_locals(&mut self) {
        let mut hop_visible = vec![false; self.program.locals.len()];
        for hop in &self.program.hops {
            for local in &hop.visible {
                if let Some(slot) = hop_visible.get_mut(local.index()) {
                    *slot = true;
                }
            }
        }
        for (index, local) in self.program.locals.iter().enumerate() {
            if local.kind == LocalKind::Var && !local.used && !hop_visible[index] && local.name != "_" && !local.name.is_empty() {
                self.errors.push(SemaError::DeclaredNotUsed { name: local.name.clone(), span: local.span });
            }
        }
    }

    fn declare_import(&mut self, import: &ast::ImportSpec) {
        if self.stdlib.package(&import.path).is_none() {
            self.errors.push(SemaError::UnknownPackage { path: import.path.clone(), span: import.path_span });
            return;
        }
        let default_name = import.path.rsplit('/').next().unwrap_or(&import.path).to_string();
        let (name, span) = match &import.alias {
            Some(alias) => (alias.name.clone(), alias.span),
            None => (default_name, import.path_span),
        };
        if name == "_" || name == "." {
            self.unsupported("blank and dot imports", import.span);
            return;
        }
        let index = self.imports.len();
        let alias = import.alias.as_ref().map(|a| a.name.clone()).filter(|a| *a != default_name_of(&import.path));
        self.imports.push(Import { path: import.path.clone(), alias, span: import.span, used: false });
        self.declare(&name, Binding::Package(index), span);
    }

    /// Generic code is checked per instantiation only; what Go checks once in
    /// generic form and g2n never instantiates still uses its imports.
    fn mark_imports_used_by_generic_code(&mut self) {
        let mut names = std::collections::BTreeSet::new();
        let mut add = |name: &str| {
            names.insert(name.to_string());
        };
        for func in &self.generic_funcs {
            g2n_syntax::visit::qualifiers_in_func(func, &mut add);
        }
        for generic in &self.generic_types {
            g2n_syntax::visit::qualifiers_in_type(generics::generic_type_definition(generic), &mut add);
            for method in &generic.methods {
                g2n_syntax::visit::qualifiers_in_func(method, &mut add);
            }
        }
        for name in names {
            if let Some(Binding::Package(index)) = self.lookup(&name).cloned() {
                if let Some(import) = self.imports.get_mut(index) {
                    import.used = true;
                }
            }
        }
    }

    fn unsupported(&mut self, what: &str, span: Span) {
        self.errors.push(SemaError::Unsupported { what: what.to_string(), span });
    }

    fn declare(&mut self, name: &str, binding: Binding, span: Span) {
        if name == "_" {
            return;
        }
        let Some(scope) = self.scopes.last_mut() else { return };
        if let Some((_, previous)) = scope.names.get(name) {
            self.errors.push(SemaError::Redeclared { name: name.to_string(), span, previous: *previous });
            return;
        }
        scope.names.insert(name.to_string(), (binding, span));
    }

    fn lookup(&self, name: &str) -> Option<&Binding> {
        self.scopes.iter().rev().find_map(|s| s.names.get(name).map(|(b, _)| b))
    }

    fn new_local(&mut self, name: &str, ty: TypeId, span: Span, kind: LocalKind) -> LocalId {
        let id = LocalId(self.program.locals.len() as u32);
        self.program.locals.push(hir::Local { name: name.to_string(), ty, span, kind, used: false, escapes: false });
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

    fn type_name(&self, ty: TypeId) -> String {
        match &self.target_spelling {
            Some((target, spelling)) if *target == ty => spelling.clone(),
            _ => self.program.types.display(ty),
        }
    }

    /// How a type written with Go's alias names (`byte`, `rune`,
    /// `interface{}`) is spelled, when that differs from how g2n names the
    /// type (`uint8`, `int32`, `any`): Go's messages keep the spelling.
    fn alias_spelling(&self, written: &ast::TypeExpr, resolved: TypeId) -> Option<String> {
        let spelled = g2n_syntax::print::type_string(written);
        let uses_alias = ["byte", "rune", "interface{"].iter().any(|alias| spelled.contains(alias));
        (uses_alias && spelled != self.program.types.display(resolved)).then_some(spelled)
    }

    /// The type of an expression as Go's messages name it: a variable
    /// declared with an alias keeps the alias.
    fn expr_type_name(&self, id: ExprId) -> String {
        self.local_spelling(id).unwrap_or_else(|| self.type_name(self.expr_ty(id)))
    }

    fn local_spelling(&self, id: ExprId) -> Option<String> {
        match self.program.exprs.get(id.index()).map(|e| &e.kind) {
            Some(hir::ExprKind::Local(local)) => self.spellings.get(local).cloned(),
            _ => None,
        }
    }

    // ---- statements ----

    fn check_block(&mut self, block: &ast::Block) -> hir::Block {
        self.scopes.push(Scope { names: HashMap::new() });
        let stmts = self.check_stmts(&block.stmts);
        self.scopes.pop();
        hir::Block { stmts }
    }

    fn check_stmts(&mut self, stmts: &[ast::Stmt]) -> Vec<hir::Stmt> {
        let mut out = Vec::new();
        for stmt in stmts {
            self.check_stmt(stmt, &mut out);
        }
        out
    }

    fn check_stmt(&mut self, stmt: &ast::Stmt, out: &mut Vec<hir::Stmt>) {
        let span = stmt.span;
        match &stmt.kind {
            ast::StmtKind::Empty => {}
            ast::StmtKind::Expr(expr) => {
                let id = self.check_expr(expr);
                if !matches!(self.program.expr(id).kind, hir::ExprKind::Intrinsic { .. } | hir::ExprKind::Call { .. } | hir::ExprKind::CallValue { .. } | hir::ExprKind::InterfaceCall { .. } | hir::ExprKind::StdCall { .. } | hir::ExprKind::Recv { .. })
                    && self.expr_ty(id) != Types::INVALID
                {
                    self.errors.push(SemaError::Misplaced {
                        message: format!("{} is not used", self.operand(id)),
                        span: expr.span,
                    });
                }
                out.push(hir::Stmt { kind: hir::StmtKind::Expr(id), span });
            }
            ast::StmtKind::ShortVarDecl { names, values } => self.check_short_var_decl(names, values, span, out),
            ast::StmtKind::Decl(decl) => self.check_local_decl(decl, out),
            ast::StmtKind::Assign { lhs, op, rhs } => self.check_assign(lhs, *op, rhs, span, out),
            ast::StmtKind::IncDec { target, inc } => {
                let one = ast::Expr { kind: ast::ExprKind::IntLit("1".to_string()), span: target.span };
                let op = if *inc { ast::BinaryOp::Add } else { ast::BinaryOp::Sub };
                let text = format!("{}{}", self.snippet_hint(target), if *inc { "++" } else { "--" });
                self.assign_op = Some((text, true));
                self.check_assign(std::slice::from_ref(target), Some(op), std::slice::from_ref(&one), span, out);
            }
            ast::StmtKind::Block(block) => {
                let block = self.check_block(block);
                out.push(hir::Stmt { kind: hir::StmtKind::Block(block), span });
            }
            ast::StmtKind::If { init, cond, then, els } => {
                // The init statement's names are scoped to the whole if/else chain.
                self.scopes.push(Scope { names: HashMap::new() });
                let mut prefix = Vec::new();
                if let Some(init) = init {
                    self.check_stmt(init, &mut prefix);
                }
                let cond = self.check_condition(cond, "if statement");
                let then = self.check_block(then);
                let els = els.as_ref().map(|els| {
                    let mut stmts = Vec::new();
                    self.check_stmt(els, &mut stmts);
                    hir::Block { stmts }
                });
                self.scopes.pop();
                let if_stmt = hir::Stmt { kind: hir::StmtKind::If { cond, then, els }, span };
                self.push_scoped(prefix, if_stmt, span, out);
            }
            ast::StmtKind::For { init, cond, post, body } => {
                self.scopes.push(Scope { names: HashMap::new() });
                let mut prefix = Vec::new();
                if let Some(init) = init {
                    self.check_stmt(init, &mut prefix);
                }
                let cond = cond.as_ref().map(|c| self.check_condition(c, "for statement"));
                let mut post_stmts = Vec::new();
                if let Some(post) = post {
                    self.check_stmt(post, &mut post_stmts);
                }
                self.loop_depth += 1;
                self.breakable_depth += 1;
                let body = self.check_block(body);
                self.loop_depth -= 1;
                self.breakable_depth -= 1;
                self.scopes.pop();
                // A parallel assignment lowers to several statements.
                let post = match post_stmts.len() {
                    0 => None,
                    1 => post_stmts.pop().map(Box::new),
                    _ => Some(Box::new(hir::Stmt { kind: hir::StmtKind::Block(hir::Block { stmts: post_stmts }), span })),
                };
                let loop_stmt = hir::Stmt { kind: hir::StmtKind::Loop { cond, body, post }, span };
                self.push_scoped(prefix, loop_stmt, span, out);
            }
            ast::StmtKind::Break(label) | ast::StmtKind::Continue(label) => {
                let is_break = matches!(stmt.kind, ast::StmtKind::Break(_));
                let keyword = if is_break { "break" } else { "continue" };
                let depth = if is_break { self.breakable_depth } else { self.loop_depth };
                let label_id = match label {
                    Some(label) => match self.labels.iter().rev().find(|(name, _)| *name == label.name) {
                        Some((_, id)) => Some(*id),
                        None => {
                            self.errors.push(SemaError::Misplaced {
                                message: format!("invalid {keyword} label {}", label.name),
                                span: label.span,
                            });
                            return;
                        }
                    },
                    None => None,
                };
                if depth == 0 {
                    self.errors.push(SemaError::Misplaced { message: format!("{keyword} is not in a loop"), span });
                } else {
                    let kind = if is_break { hir::StmtKind::Break(label_id) } else { hir::StmtKind::Continue(label_id) };
                    out.push(hir::Stmt { kind, span });
                }
            }
            ast::StmtKind::Return(values) => self.check_return(values, span, out),
            ast::StmtKind::Defer(call) => self.check_defer(call, span, out),
            ast::StmtKind::Goto(label) => {
                let id = self.function_label(label);
                out.push(hir::Stmt { kind: hir::StmtKind::Goto(id), span });
            }
            ast::StmtKind::Go(call) => self.check_go(call, span, out),
            ast::StmtKind::Send { chan, value } => {
                if let Some((chan, value)) = self.check_send(chan, value, span) {
                    out.push(hir::Stmt { kind: hir::StmtKind::Send { chan, value }, span });
                }
            }
            ast::StmtKind::Select { clauses } => self.check_select(clauses, span, out),
            ast::StmtKind::Labeled { label, stmt: inner } => {
                let id = self.function_label(label);
                if let Some(entry) = self.func_labels.get_mut(&label.name) {
                    if entry.1 {
                        let previous = entry.2;
                        self.errors.push(SemaError::Redeclared { name: label.name.clone(), span: label.span, previous });
                    }
                    *entry = (id, true, label.span);
                }
                self.labels.push((label.name.clone(), id));
                let mut inner_out = Vec::new();
                self.check_stmt(inner, &mut inner_out);
                self.labels.pop();
                let inner_stmt = match inner_out.len() {
                    1 => inner_out.pop().unwrap_or(hir::Stmt { kind: hir::StmtKind::Block(hir::Block::default()), span }),
                    _ => hir::Stmt { kind: hir::StmtKind::Block(hir::Block { stmts: inner_out }), span },
                };
                out.push(hir::Stmt { kind: hir::StmtKind::Labeled { label: id, stmt: Box::new(inner_stmt) }, span });
            }
            ast::StmtKind::TypeSwitch { init, binding, expr, clauses } => {
                self.check_type_switch(init.as_deref(), binding.as_ref(), expr, clauses, span, out)
            }
            ast::StmtKind::ForRange { key, value, define, expr, body } => {
                self.scopes.push(Scope { names: HashMap::new() });
                self.check_range(key.as_ref(), value.as_ref(), *define, expr, body, span, out);
                self.scopes.pop();
            }
            ast::StmtKind::Switch { init, tag, clauses } => self.check_switch(init.as_deref(), tag.as_ref(), clauses, span, out),
            ast::StmtKind::Fallthrough => {
                self.errors.push(SemaError::Misplaced { message: "fallthrough statement out of place".to_string(), span });
            }
            ast::StmtKind::GoToNetwork { target, target_span } => {
                if self.current_func != "main" {
                    self.errors.push(SemaError::GoToNetworkOutsideMain { span, func: self.current_func.clone() });
                    return;
                }
                let visible = self.visible_locals();
                let site = self.program.hops.len() as u32;
                self.program.hops.push(hir::HopSite {
                    target: target.clone(),
                    target_span: *target_span,
                    span,
                    visible,
                });
                out.push(hir::Stmt { kind: hir::StmtKind::GoToNetwork { site }, span });
            }
        }
    }

    /// Emits `init; stmt` as one block so that names declared by an init
    /// statement stay scoped to the statement.
    fn push_scoped(&mut self, prefix: Vec<hir::Stmt>, stmt: hir::Stmt, span: Span, out: &mut Vec<hir::Stmt>) {
        if prefix.is_empty() {
            out.push(stmt);
        } else {
            let mut stmts = prefix;
            stmts.push(stmt);
            out.push(hir::Stmt { kind: hir::StmtKind::Block(hir::Block { stmts }), span });
        }
    }

    /// Locals in scope now, outermost first, innermost shadowing removed.
    fn visible_locals(&self) -> Vec<LocalId> {
        let mut seen: HashMap<&str, LocalId> = HashMap::new();
        for scope in self.scopes.iter().rev() {
            for (name, (binding, _)) in &scope.names {
                if let Binding::Local(id) = binding {
                    seen.entry(name.as_str()).or_insert(*id);
                }
            }
        }
        let mut locals: Vec<LocalId> = seen.into_values().collect();
        locals.extend(self.free_by_name.values().copied());
        locals.sort();
        locals.dedup();
        locals
    }

    fn snippet_hint(&self, expr: &ast::Expr) -> String {
        g2n_syntax::print::expr_string(expr)
    }

    fn check_condition(&mut self, cond: &ast::Expr, context: &str) -> ExprId {
        let id = self.check_expr(cond);
        self.condition_value(id, cond.span, context)
    }

    fn condition_value(&mut self, id: ExprId, span: Span, context: &str) -> ExprId {
        let ty = self.expr_ty(id);
        if ty != Types::INVALID && !self.program.types.is_boolean(ty) {
            self.errors.push(SemaError::TypeMismatch {
                message: format!("non-boolean condition in {context}"),
                span,
                label: format!("this is of type {}", self.type_name(ty)),
            });
            return self.invalid(span);
        }
        self.convert(id, Types::BOOL, "condition")
    }

    fn check_short_var_decl(&mut self, names: &[ast::Ident], values: &[ast::Expr], span: Span, out: &mut Vec<hir::Stmt>) {
        // A name twice on the left is an error of its own (types2 shortVarDecl).
        let mut repeated = false;
        for (index, name) in names.iter().enumerate() {
            if name.name != "_" && names[..index].iter().any(|n| n.name == name.name) {
                self.errors.push(SemaError::Misplaced {
                    message: format!("{} repeated on left side of :=", name.name),
                    span: name.span,
                });
                repeated = true;
            }
        }
        if repeated {
            for value in values {
                self.check_expr(value);
            }
            return;
        }
        if names.len() != values.len() {
            self.check_tuple_define(names, values, span, out);
            return;
        }
        let mut values: Vec<ExprId> = values.iter().map(|v| self.check_expr(v)).collect();
        if values.len() > 1 {
            values = self.into_temps(values, out);
        }
        let mut any_new = false;
        for (name, value) in names.iter().zip(values) {
            let existing = self
                .scopes
                .last()
                .and_then(|s| s.names.get(&name.name))
                .and_then(|(b, _)| if let Binding::Local(id) = b { Some(*id) } else { None });
            match existing {
                Some(local) if name.name != "_" => {
                    let ty = self.program.local(local).ty;
                    let value = self.convert(value, ty, "assignment");
                    out.push(hir::Stmt { kind: hir::StmtKind::Assign { local, value }, span });
                }
                _ => {
                    any_new = true;
                    let value_ty = self.expr_ty(value);
                    if value_ty == Types::UNTYPED_NIL {
                        self.errors.push(SemaError::TypeMismatch {
                            message: "use of untyped nil in assignment".to_string(),
                            span: self.expr_span(value),
                            label: "nil has no type to infer".to_string(),
                        });
                    }
                    self.check_assigned_value(value);
                    let ty = self.program.types.default_type(value_ty);
                    // `r := 'a'` is a rune, `c := b` keeps b's spelling.
                    let spelling = if value_ty == Types::UNTYPED_RUNE { Some("rune".to_string()) } else { self.local_spelling(value) };
                    let value = self.convert(value, ty, "assignment");
                    let local = self.new_local(&name.name, ty, name.span, LocalKind::Var);
                    if let Some(spelling) = spelling {
                        self.spellings.insert(local, spelling);
                    }
                    self.declare(&name.name, Binding::Local(local), name.span);
                    out.push(hir::Stmt { kind: hir::StmtKind::Define { local, value: Some(value) }, span });
                }
            }
        }
        if !any_new {
            self.errors.push(SemaError::NoNewVariables { span });
        }
    }

    /// The place with its address (or map and key) evaluated now, into
    /// temporaries, so that later assignments cannot change where it is.
    fn pin_place(&mut self, place: Place, out: &mut Vec<hir::Stmt>) -> Place {
        match place {
            Place::Addr(addr, ty) => Place::Addr(self.pin_addr(addr, out), ty),
            Place::MapEntry(map, key, ty) => {
                let pinned = self.into_temps(vec![map, key], out);
                Place::MapEntry(pinned[0], pinned[1], ty)
            }
            place => place,
        }
    }

    /// An address with its operands evaluated into temporaries but not its
    /// checks: a nil pointer or an index out of range panics when the value
    /// is stored (`m[k], s[9] = 1, 2` sets m[k], then panics).
    fn pin_addr(&mut self, addr: ExprId, out: &mut Vec<hir::Stmt>) -> ExprId {
        let (addr_ty, span) = (self.expr_ty(addr), self.expr_span(addr));
        match self.program.expr(addr).kind.clone() {
            hir::ExprKind::IndexAddr { base, index } => {
                let base = if matches!(self.program.types.under(self.expr_ty(base)), TypeKind::Pointer(_)) {
                    self.pin_addr(base, out)
                } else {
                    self.into_temps(vec![base], out)[0]
                };
                let index = self.into_temps(vec![index], out)[0];
                self.push_expr(hir::ExprKind::IndexAddr { base, index }, addr_ty, span)
            }
            hir::ExprKind::FieldAddr { base, offset } => {
                let base = self.pin_addr(base, out);
                self.push_expr(hir::ExprKind::FieldAddr { base, offset }, addr_ty, span)
            }
            // Addresses of variables do not change.
            hir::ExprKind::AddrOfLocal(_) => addr,
            hir::ExprKind::AggregateAddr(value) => match self.program.expr(value).kind.clone() {
                hir::ExprKind::Local(_) => addr,
                // `(*p).f` of a struct behind a pointer.
                hir::ExprKind::Load(pointer) => {
                    let value_ty = self.expr_ty(value);
                    let pointer = self.pin_addr(pointer, out);
                    let load = self.push_expr(hir::ExprKind::Load(pointer), value_ty, span);
                    self.push_expr(hir::ExprKind::AggregateAddr(load), addr_ty, span)
                }
                _ => self.into_temps(vec![addr], out)[0],
            },
            _ => self.into_temps(vec![addr], out)[0],
        }
    }

    /// Evaluates values into fresh temporaries first, so that `a, b = b, a`
    /// assigns what the right-hand side was before any assignment.
    fn into_temps(&mut self, values: Vec<ExprId>, out: &mut Vec<hir::Stmt>) -> Vec<ExprId> {
        values
            .into_iter()
            .map(|value| {
                let ty = self.program.types.default_type(self.expr_ty(value));
                if self.const_of(value).is_some() || ty == Types::INVALID {
                    return value;
                }
                let span = self.expr_span(value);
                let temp = self.new_local("", ty, span, LocalKind::Var);
                if let Some(local) = self.program.locals.get_mut(temp.index()) {
                    local.used = true;
                }
                out.push(hir::Stmt { kind: hir::StmtKind::Define { local: temp, value: Some(value) }, span });
                self.push_expr(hir::ExprKind::Local(temp), ty, span)
            })
            .collect()
    }

    /// The element types of a call with several results, or reports why not.
    fn tuple_elems(&mut self, value: ExprId, want: usize, span: Span) -> Option<Vec<TypeId>> {
        let ty = self.expr_ty(value);
        if ty == Types::INVALID {
            return None;
        }
        match self.program.types.kind(ty).clone() {
            TypeKind::Tuple(elems) if elems.len() == want => Some(elems),
            TypeKind::Tuple(elems) => {
                self.errors.push(SemaError::TypeMismatch {
                    message: self.assignment_mismatch(want, elems.len(), Some(self.expr_span(value))),
                    span,
                    label: "counts differ".to_string(),
                });
                None
            }
            _ => {
                self.errors.push(SemaError::TypeMismatch {
                    message: self.assignment_mismatch(want, 1, Some(self.expr_span(value))),
                    span,
                    label: "counts differ".to_string(),
                });
                None
            }
        }
    }

    /// `a, b := f()`.
    fn check_tuple_define(&mut self, names: &[ast::Ident], values: &[ast::Expr], span: Span, out: &mut Vec<hir::Stmt>) {
        let [value] = values else {
            self.errors.push(SemaError::TypeMismatch {
                message: self.assignment_mismatch(names.len(), values.len(), None),
                span,
                label: "counts differ".to_string(),
            });
            return;
        };
        let value = self.check_multi_value(value, names.len());
        let Some(elems) = self.tuple_elems(value, names.len(), span) else { return };
        let mut locals = Vec::new();
        let mut fresh = Vec::new();
        let mut any_new = false;
        for (name, ty) in names.iter().zip(elems) {
            if name.name == "_" {
                locals.push(None);
                continue;
            }
            let existing = self
                .scopes
                .last()
                .and_then(|s| s.names.get(&name.name))
                .and_then(|(b, _)| if let Binding::Local(id) = b { Some(*id) } else { None });
            match existing {
                Some(local) => {
                    let local_ty = self.program.local(local).ty;
                    if local_ty != ty && local_ty != Types::INVALID {
                        self.errors.push(SemaError::TypeMismatch {
                            message: format!(
                                "cannot use {} value as {} value in assignment",
                                self.type_name(ty),
                                self.type_name(local_ty)
                            ),
                            span: name.span,
                            label: format!("{} is {}", name.name, self.type_name(local_ty)),
                        });
                    }
                    locals.push(Some(local));
                }
                None => {
                    any_new = true;
                    let local = self.new_local(&name.name, ty, name.span, LocalKind::Var);
                    self.declare(&name.name, Binding::Local(local), name.span);
                    // Declared explicitly, so that every execution makes a new
                    // variable (closures of earlier loop iterations keep theirs)
                    // whatever order code generation visits blocks in.
                    fresh.push(hir::Stmt { kind: hir::StmtKind::Define { local, value: None }, span: name.span });
                    locals.push(Some(local));
                }
            }
        }
        if !any_new {
            self.errors.push(SemaError::NoNewVariables { span });
        }
        out.extend(fresh);
        out.push(hir::Stmt { kind: hir::StmtKind::AssignTuple { locals, value }, span });
    }

    /// `a, b = b, a` and `a, b = f()`.
    fn check_multi_assign(
        &mut self,
        lhs: &[ast::Expr],
        op: Option<ast::BinaryOp>,
        rhs: &[ast::Expr],
        span: Span,
        out: &mut Vec<hir::Stmt>,
    ) {
        if op.is_some() {
            self.errors.push(SemaError::Misplaced {
                message: format!("assignment operation {}= requires single-valued expressions", op.map_or("", |o| o.as_str())),
                span,
            });
            return;
        }
        let mut places = Vec::new();
        for target in lhs {
            match self.check_place(target) {
                Some(place) => places.push(place),
                None => return,
            }
        }
        // Go assigns in two phases: the operands of the left side's index
        // expressions and indirections are evaluated first, with the right
        // side, and only then are the values stored (`i, x[i] = 1, 2` stores
        // to the old `x[i]`).
        if places.len() > 1 {
            places = places.into_iter().map(|p| self.pin_place(p, out)).collect();
        }
        if rhs.len() == 1 && lhs.len() > 1 {
            let value = self.check_multi_value(&rhs[0], lhs.len());
            let Some(elems) = self.tuple_elems(value, lhs.len(), span) else { return };
            // Results land in fresh temporaries, then go to their places.
            let mut temps = Vec::new();
            let mut stores = Vec::new();
            for (place, ty) in places.iter().zip(elems) {
                let place_ty = self.place_type(*place);
                let known = place_ty != Types::INVALID && ty != Types::INVALID;
                if !matches!(place, Place::Blank) && known && place_ty != ty && !self.assignable_to(ty, place_ty) {
                    self.errors.push(SemaError::TypeMismatch {
                        message: format!("cannot use {} value as {} value in assignment", self.type_name(ty), self.type_name(place_ty)),
                        span,
                        label: "types differ".to_string(),
                    });
                }
                match place {
                    Place::Local(local) if place_ty == ty || !known => temps.push(Some(*local)),
                    Place::Blank => temps.push(None),
                    _ => {
                        // Through a temporary: to memory, or converted (a
                        // value assigned to an interface is boxed).
                        let temp = self.temp_local(ty, span);
                        temps.push(Some(temp));
                        let read = self.push_expr(hir::ExprKind::Local(temp), ty, span);
                        stores.push((*place, read, place_ty));
                    }
                }
            }
            out.push(hir::Stmt { kind: hir::StmtKind::AssignTuple { locals: temps, value }, span });
            for (place, value, place_ty) in stores {
                let value = self.convert(value, place_ty, "assignment");
                self.assign_place(place, value, span, out);
            }
            return;
        }
        if lhs.len() != rhs.len() {
            self.errors.push(SemaError::TypeMismatch {
                message: self.assignment_mismatch(lhs.len(), rhs.len(), None),
                span,
                label: "counts differ".to_string(),
            });
            return;
        }
        let values: Vec<ExprId> = rhs.iter().map(|v| self.check_expr(v)).collect();
        let values = self.into_temps(values, out);
        for (place, value) in places.into_iter().zip(values) {
            match place {
                Place::Blank => {
                    self.check_assigned_value(value);
                    if self.const_of(value).is_none() {
                        out.push(hir::Stmt { kind: hir::StmtKind::Expr(value), span });
                    }
                }
                place => {
                    let ty = self.place_type(place);
                    let value = self.convert(value, ty, "assignment");
                    self.assign_place(place, value, span, out);
                }
            }
        }
    }

    /// See [Go spec: Return statements](https://go.dev/ref/spec#Return_statements).
    fn check_return(&mut self, values: &[ast::Expr], span: Span, out: &mut Vec<hir::Stmt>) {
        let results = self.current_results.clone();
        if values.is_empty() {
            if !results.is_empty() && !self.current_named_results {
                self.errors.push(SemaError::TypeMismatch {
                    message: format!("not enough return values\n\thave ()\n\twant {}", self.type_list(&results)),
                    span,
                    label: "missing values".to_string(),
                });
            }
            out.push(hir::Stmt { kind: hir::StmtKind::Return(Vec::new()), span });
            return;
        }
        let checked: Vec<ExprId> = values.iter().map(|v| self.check_expr(v)).collect();
        if let ([single], true) = (checked.as_slice(), results.len() > 1) {
            // `return f()` forwarding several results.
            if let TypeKind::Tuple(elems) = self.program.types.kind(self.expr_ty(*single)).clone() {
                if elems.len() == results.len() {
                    let temps: Vec<LocalId> = elems
                        .iter()
                        .map(|ty| {
                            let temp = self.new_local("", *ty, span, LocalKind::Var);
                            if let Some(local) = self.program.locals.get_mut(temp.index()) {
                                local.used = true;
                            }
                            temp
                        })
                        .collect();
                    out.push(hir::Stmt {
                        kind: hir::StmtKind::AssignTuple { locals: temps.iter().map(|t| Some(*t)).collect(), value: *single },
                        span,
                    });
                    let values: Vec<ExprId> = temps.iter().zip(&elems).map(|(t, ty)| self.push_expr(hir::ExprKind::Local(*t), *ty, span)).collect();
                    let values =
                        values.into_iter().zip(&results).map(|(v, ty)| self.convert(v, *ty, "return statement")).collect();
                    out.push(hir::Stmt { kind: hir::StmtKind::Return(values), span });
                    return;
                }
            }
        }
        if checked.len() != results.len() {
            let have: Vec<TypeId> = checked.iter().map(|v| self.expr_ty(*v)).collect();
            let message = if checked.len() < results.len() { "not enough return values" } else { "too many return values" };
            self.errors.push(SemaError::TypeMismatch {
                message: format!("{message}\n\thave {}\n\twant {}", self.type_list(&have), self.type_list(&results)),
                span,
                label: "wrong number of values".to_string(),
            });
            return;
        }
        let values = checked
            .into_iter()
            .zip(results)
            .map(|(value, ty)| {
                self.check_value_type(value);
                self.convert(value, ty, "return statement")
            })
            .collect();
        out.push(hir::Stmt { kind: hir::StmtKind::Return(values), span });
    }

    fn type_list(&self, types: &[TypeId]) -> String {
        let names: Vec<String> = types.iter().map(|t| self.type_name(*t)).collect();
        format!("({})", names.join(", "))
    }

    /// See [Go spec: Expression switches](https://go.dev/ref/spec#Expression_switches).
    fn check_switch(
        &mut self,
        init: Option<&ast::Stmt>,
        tag: Option<&ast::Expr>,
        clauses: &[ast::CaseClause],
        span: Span,
        out: &mut Vec<hir::Stmt>,
    ) {
        self.scopes.push(Scope { names: HashMap::new() });
        let mut prefix = Vec::new();
        if let Some(init) = init {
            self.check_stmt(init, &mut prefix);
        }
        // The tag is evaluated once, into a temporary.
        let tag_local = tag.map(|tag| {
            let value = self.check_expr(tag);
            self.check_value_type(value);
            let ty = self.program.types.default_type(self.expr_ty(value));
            let value = self.convert(value, ty, "switch expression");
            let temp = self.new_local("", ty, tag.span, LocalKind::Var);
            if let Some(local) = self.program.locals.get_mut(temp.index()) {
                local.used = true;
            }
            prefix.push(hir::Stmt { kind: hir::StmtKind::Define { local: temp, value: Some(value) }, span: tag.span });
            temp
        });
        let mut hir_clauses = Vec::new();
        let mut seen_default: Option<Span> = None;
        let mut seen_cases: Vec<(ConstValue, TypeId)> = Vec::new();
        for (index, clause) in clauses.iter().enumerate() {
            if clause.is_default {
                if let Some(previous) = seen_default {
                    self.errors.push(SemaError::Misplaced {
                        message: format!("multiple defaults (first at {})", g2n_base::At(previous)),
                        span: clause.span,
                    });
                }
                seen_default = Some(clause.span);
            }
            let mut conds = Vec::new();
            for expr in &clause.exprs {
                let cond = match tag_local {
                    Some(temp) => {
                        let ty = self.program.local(temp).ty;
                        let left = self.push_expr(hir::ExprKind::Local(temp), ty, expr.span);
                        let right = self.check_expr(expr);
                        let rt = self.expr_ty(right);
                        // `tag == case` may compare a value with an interface
                        // holding one: the value is boxed then.
                        if self.program.types.is_interface(rt) && !self.program.types.is_interface(ty) {
                            let left = self.convert(left, rt, "switch case");
                            self.push_expr(hir::ExprKind::Binary { op: hir::BinaryOp::Eq, lhs: left, rhs: right }, Types::BOOL, expr.span)
                        } else {
                            let right = self.convert(right, ty, "switch case");
                            // Go rejects equal constant cases of one type
                            // (integers, floats and strings: types2 does not
                            // compare complex cases).
                            if let Some(value) = self.const_of(right).filter(|v| !matches!(v, ConstValue::Complex(..))) {
                                let rt = self.expr_ty(right);
                                if seen_cases.iter().any(|(v, t)| *v == value && *t == rt) {
                                    self.errors.push(SemaError::Misplaced {
                                        message: format!("duplicate case {} in expression switch", self.operand(right)),
                                        span: expr.span,
                                    });
                                } else {
                                    seen_cases.push((value, rt));
                                }
                            }
                            self.push_expr(hir::ExprKind::Binary { op: hir::BinaryOp::Eq, lhs: left, rhs: right }, Types::BOOL, expr.span)
                        }
                    }
                    None => {
                        // A missing tag is `true`; an interface case compares with it.
                        let right = self.check_expr(expr);
                        let rt = self.expr_ty(right);
                        if self.program.types.is_interface(rt) {
                            let truth = self.push_expr(hir::ExprKind::Const(ConstValue::Bool(true)), Types::UNTYPED_BOOL, expr.span);
                            let left = self.convert(truth, rt, "switch case");
                            self.push_expr(hir::ExprKind::Binary { op: hir::BinaryOp::Eq, lhs: left, rhs: right }, Types::BOOL, expr.span)
                        } else {
                            self.condition_value(right, expr.span, "switch case")
                        }
                    }
                };
                conds.push(cond);
            }
            let (body_stmts, fallthrough) = match clause.body.split_last() {
                Some((last, rest)) if matches!(last.kind, ast::StmtKind::Fallthrough) => {
                    if index + 1 == clauses.len() {
                        self.errors.push(SemaError::Misplaced {
                            message: "cannot fallthrough final case in switch".to_string(),
                            span: last.span,
                        });
                    }
                    (rest, true)
                }
                _ => (clause.body.as_slice(), false),
            };
            self.scopes.push(Scope { names: HashMap::new() });
            self.breakable_depth += 1;
            let stmts = self.check_stmts(body_stmts);
            self.breakable_depth -= 1;
            self.scopes.pop();
            hir_clauses.push(hir::SwitchClause { conds, is_default: clause.is_default, body: hir::Block { stmts }, fallthrough });
        }
        self.scopes.pop();
        let switch = hir::Stmt { kind: hir::StmtKind::Switch { clauses: hir_clauses }, span };
        self.push_scoped(prefix, switch, span, out);
    }

    /// Rejects values that are not single values: `f() (no value) used as
    /// value`, `multiple-value f() (value of type (int, int)) in
    /// single-value context`, as Go's types2 words them.
    fn check_value_type(&mut self, value: ExprId) {
        let ty = self.expr_ty(value);
        if let TypeKind::Tuple(elems) = self.program.types.kind(ty) {
            let message = if elems.is_empty() {
                format!("{} (no value) used as value", self.snippet_of(value))
            } else {
                format!("multiple-value {} (value of type {}) in single-value context", self.snippet_of(value), self.type_name(ty))
            };
            self.errors.push(SemaError::TypeMismatch {
                message,
                span: self.expr_span(value),
                label: "this call does not return one value".to_string(),
            });
        }
    }

    /// The single value on the right of an assignment to one variable: a
    /// call with several results is Go's `assignment mismatch`.
    fn check_assigned_value(&mut self, value: ExprId) {
        let ty = self.expr_ty(value);
        if let TypeKind::Tuple(elems) = self.program.types.kind(ty) {
            if elems.len() > 1 {
                let message = self.assignment_mismatch(1, elems.len(), Some(self.expr_span(value)));
                self.errors.push(SemaError::TypeMismatch { message, span: self.expr_span(value), label: "counts differ".to_string() });
                return;
            }
        }
        self.check_value_type(value);
    }

    /// A `var` declaration with more or fewer values than names.
    fn init_count_error(&mut self, names: &[ast::Ident], values: &[ast::Expr]) {
        for value in values {
            self.check_expr(value);
        }
        let (message, span) = match (values.get(names.len()), names.get(values.len())) {
            (Some(extra), _) => (format!("extra init expr {}", self.snippet_hint(extra)), extra.span),
            (None, Some(missing)) => (format!("missing init expr for {}", missing.name), missing.span),
            (None, None) => return,
        };
        self.errors.push(SemaError::Misplaced { message, span });
    }

    /// `const` declarations bind names to folded values; see
    /// [Go spec: Iota](https://go.dev/ref/spec#Iota) for the implicit repetition.
    fn check_const_decl(&mut self, decl: &ast::GenDecl) {
        let mut previous: Option<(&Option<ast::TypeExpr>, &Vec<ast::Expr>)> = None;
        for (iota, spec) in decl.specs.iter().enumerate() {
            let ast::Spec::Value { names, ty, values, span } = spec else { continue };
            let inherited = values.is_empty();
            let errors_before = self.errors.len();
            let (ty, values) = if values.is_empty() {
                match previous {
                    Some(prev) => prev,
                    None => {
                        self.errors.push(SemaError::Misplaced { message: "missing init expr for const declaration".to_string(), span: *span });
                        continue;
                    }
                }
            } else {
                (ty, values)
            };
            previous = Some((ty, values));
            if names.len() != values.len() {
                let message = if names.len() > values.len() { "missing init expr for const declaration" } else { "extra init expr" };
                self.errors.push(SemaError::Misplaced { message: message.to_string(), span: *span });
                continue;
            }
            let declared_ty = ty.as_ref().map(|t| self.resolve_type(t));
            // `iota` is the spec's index inside this declaration only.
            let mut iota_scope = Scope { names: HashMap::new() };
            iota_scope.names.insert(
                "iota".to_string(),
                (Binding::Const(ConstValue::Int(iota as i128), Types::UNTYPED_INT), *span),
            );
            self.scopes.push(iota_scope);
            let checked: Vec<ExprId> = values.iter().map(|v| self.check_expr(v)).collect();
            self.scopes.pop();
            for (name, (value, expr)) in names.iter().zip(checked.into_iter().zip(values)) {
                let value = match declared_ty {
                    Some(ty) => self.convert(value, ty, "constant declaration"),
                    None => value,
                };
                let ty = self.expr_ty(value);
                match self.const_of(value) {
                    Some(constant) if ty != Types::INVALID => {
                        self.declare(&name.name, Binding::Const(constant, ty), name.span);
                    }
                    _ => {
                        if ty != Types::INVALID {
                            self.errors.push(SemaError::TypeMismatch {
                                message: format!("{} is not constant", self.operand(value)),
                                span: expr.span,
                                label: "not a constant expression".to_string(),
                            });
                        }
                        // Keep later uses quiet: the name exists, with an invalid type.
                        self.declare(&name.name, Binding::Const(ConstValue::Nil, Types::INVALID), name.span);
                    }
                }
            }
            if inherited {
                if let Some(name) = names.first() {
                    for error in &mut self.errors[errors_before..] {
                        error.set_span(name.span);
                    }
                }
            }
        }
    }

    fn check_local_decl(&mut self, decl: &ast::GenDecl, out: &mut Vec<hir::Stmt>) {
        if decl.kind == ast::GenKind::Const {
            self.check_const_decl(decl);
            return;
        }
        if decl.kind == ast::GenKind::Type {
            self.check_local_type_decl(decl);
            return;
        }
        for spec in &decl.specs {
            let ast::Spec::Value { names, ty, values, span } = spec else { continue };
            let declared_ty = ty.as_ref().map(|t| {
                let resolved = self.resolve_type(t);
                self.check_not_constraint(resolved, t.span)
            });
            if let ([value], true) = (values.as_slice(), names.len() > 1) {
                self.check_var_tuple(names, declared_ty, value, *span, out);
                continue;
            }
            if values.len() > names.len() {
                self.init_count_error(names, values);
                continue;
            }
            if !values.is_empty() && values.len() != names.len() {
                let message = match values.get(names.len()) {
                    Some(extra) => format!("extra init expr {}", self.snippet_hint(extra)),
                    None => format!("assignment mismatch: {} variables but {} values", names.len(), values.len()),
                };
                self.errors.push(SemaError::TypeMismatch { message, span: *span, label: "counts differ".to_string() });
                continue;
            }
            let values: Vec<Option<ExprId>> = if values.is_empty() {
                names.iter().map(|_| None).collect()
            } else {
                values.iter().map(|v| Some(self.check_expr(v))).collect()
            };
            let spelling = match (ty, declared_ty) {
                (Some(written), Some(resolved)) => self.alias_spelling(written, resolved),
                _ => None,
            };
            for (name, value) in names.iter().zip(values) {
                let ty = match (declared_ty, value) {
                    (Some(ty), _) => ty,
                    (None, Some(value)) => {
                        self.check_assigned_value(value);
                        self.program.types.default_type(self.expr_ty(value))
                    }
                    (None, None) => Types::INVALID,
                };
                let saved = std::mem::replace(&mut self.target_spelling, spelling.clone().map(|s| (ty, s)));
                let value = value.map(|v| self.convert(v, ty, "variable declaration"));
                self.target_spelling = saved;
                let local = self.new_local(&name.name, ty, name.span, LocalKind::Var);
                if let Some(spelling) = &spelling {
                    self.spellings.insert(local, spelling.clone());
                }
                self.declare(&name.name, Binding::Local(local), name.span);
                out.push(hir::Stmt { kind: hir::StmtKind::Define { local, value }, span: *span });
            }
        }
    }

    /// Whether a value of type `from` may be assigned to `to` (interfaces are
    /// checked for their methods when the value is converted).
    fn assignable_to(&self, from: TypeId, to: TypeId) -> bool {
        let types = &self.program.types;
        from == to
            || types.is_interface(to)
            || self.chan_assignable(from, to)
            || (types.underlying(from) == types.underlying(to) && (!types.is_named(from) || !types.is_named(to)))
    }

    /// `var a, b = f()` (or `<-c`, `m[k]`, `x.(T)`) inside a function.
    fn check_var_tuple(&mut self, names: &[ast::Ident], declared_ty: Option<TypeId>, value: &ast::Expr, span: Span, out: &mut Vec<hir::Stmt>) {
        let value = self.check_multi_value(value, names.len());
        let Some(elems) = self.tuple_elems(value, names.len(), span) else {
            for name in names {
                let local = self.new_local(&name.name, declared_ty.unwrap_or(Types::INVALID), name.span, LocalKind::Var);
                self.declare(&name.name, Binding::Local(local), name.span);
            }
            return;
        };
        let temps: Vec<LocalId> = elems.iter().map(|ty| self.temp_local(*ty, span)).collect();
        out.push(hir::Stmt { kind: hir::StmtKind::AssignTuple { locals: temps.iter().map(|t| Some(*t)).collect(), value }, span });
        for ((name, temp), elem) in names.iter().zip(temps).zip(elems) {
            let ty = declared_ty.unwrap_or(elem);
            let read = self.push_expr(hir::ExprKind::Local(temp), elem, name.span);
            let read = self.convert(read, ty, "variable declaration");
            if name.name == "_" {
                continue;
            }
            let local = self.new_local(&name.name, ty, name.span, LocalKind::Var);
            self.declare(&name.name, Binding::Local(local), name.span);
            out.push(hir::Stmt { kind: hir::StmtKind::Define { local, value: Some(read) }, span });
        }
    }

    fn check_assign(
        &mut self,
        lhs: &[ast::Expr],
        op: Option<ast::BinaryOp>,
        rhs: &[ast::Expr],
        span: Span,
        out: &mut Vec<hir::Stmt>,
    ) {
        if lhs.len() != 1 || rhs.len() != 1 {
            self.check_multi_assign(lhs, op, rhs, span, out);
            return;
        }
        let (target, value) = (&lhs[0], &rhs[0]);
        let is_blank = matches!(&target.kind, ast::ExprKind::Ident(ident) if ident.name == "_");
        if is_blank && op.is_none() {
            // Still evaluated: `_ = a[i]` may panic, `_ = f()` has effects.
            let value = self.check_expr(value);
            self.check_assigned_value(value);
            if self.const_of(value).is_none() {
                out.push(hir::Stmt { kind: hir::StmtKind::Expr(value), span });
            }
            return;
        }
        let Some(place) = self.check_place(target) else { return };
        let local_ty = self.place_type(place);
        let value = match op {
            None => self.check_expr(value),
            Some(op) => {
                // `x op= y` reads x: build the binary expression on the AST level.
                let binary = ast::Expr {
                    kind: ast::ExprKind::Binary { op, lhs: Box::new(target.clone()), rhs: Box::new(value.clone()) },
                    span,
                };
                if self.assign_op.is_none() {
                    let text = format!("{} {}= {}", self.snippet_hint(target), op.as_str(), self.snippet_hint(value));
                    self.assign_op = Some((text, false));
                }
                let id = self.check_expr(&binary);
                self.assign_op = None;
                id
            }
        };
        self.check_assigned_value(value);
        let value = self.convert(value, local_ty, "assignment");
        self.assign_place(place, value, span, out);
    }

    fn resolve_local_for_write(&mut self, ident: &ast::Ident) -> Option<LocalId> {
        match self.lookup(&ident.name).cloned() {
            Some(Binding::Local(id)) => {
                self.note_capture(id);
                Some(id)
            }
            Some(Binding::Package(_)) => {
                // Not a use of the package: Go still reports it unused.
                self.errors.push(SemaError::Misplaced {
                    message: format!("use of package {} without selector", ident.name),
                    span: ident.span,
                });
                None
            }
            Some(_) => {
                let target = ast::Expr { kind: ast::ExprKind::Ident(ident.clone()), span: ident.span };
                self.unassignable(&target);
                None
            }
            None => self.free_local(ident),
        }
    }

    /// An unresolved name: a free variable in a nanoservice, else undefined.
    fn free_local(&mut self, ident: &ast::Ident) -> Option<LocalId> {
        match self.free_vars {
            FreeVars::Allowed(known) if self.current_func == "main" => {
                if let Some(&id) = self.free_by_name.get(&ident.name) {
                    return Some(id);
                }
                let ty = known
                    .get(&ident.name)
                    .and_then(|name| self.stdlib_type_by_name(name))
                    .unwrap_or(Types::INVALID);
                let id = self.new_local(&ident.name, ty, ident.span, LocalKind::Free);
                self.free_by_name.insert(ident.name.clone(), id);
                Some(id)
            }
            _ if ident.name == "iota" => {
                self.errors.push(SemaError::Misplaced { message: "cannot use iota outside constant declaration".to_string(), span: ident.span });
                None
            }
            _ => {
                self.errors.push(SemaError::Undefined { name: ident.name.clone(), span: ident.span });
                None
            }
        }
    }

    /// The type an expression spells, when it is a type in expression
    /// syntax (`T`, `*T`, `(T)`, a type literal).
    fn expr_names_type(&mut self, expr: &ast::Expr) -> Option<TypeId> {
        match &expr.kind {
            ast::ExprKind::Ident(ident) => match self.lookup(&ident.name) {
                Some(Binding::Type(ty)) => Some(*ty),
                _ => None,
            },
            ast::ExprKind::Paren(inner) => self.expr_names_type(inner),
            // `pkg.T` of a stdlib package.
            ast::ExprKind::Selector { base, sel } => {
                let index = self.package_of_quiet(base)?;
                let path = self.imports.get(index)?.path.clone();
                match self.package_member(&path, &sel.name) {
                    Some(Binding::Type(ty)) => {
                        self.package_of(base);
                        Some(ty)
                    }
                    _ => None,
                }
            }
            ast::ExprKind::Unary { op: ast::UnaryOp::Deref, operand } => {
                let pointee = self.expr_names_type(operand)?;
                Some(self.program.types.intern(TypeKind::Pointer(pointee)))
            }
            ast::ExprKind::Type(ty) => Some(self.resolve_type(ty)),
            // `G[T]` of a generic type.
            ast::ExprKind::Index { base, indices } => {
                let ast::ExprKind::Ident(ident) = &base.kind else { return None };
                let Some(Binding::GenericType(index)) = self.lookup(&ident.name).cloned() else { return None };
                let args: Vec<TypeId> = indices.iter().map(|i| self.type_of_type_arg(i)).collect();
                Some(self.instantiate_type(index, &args, expr.span))
            }
            _ => None,
        }
    }

    fn stdlib_type_by_name(&self, name: &str) -> Option<TypeId> {
        match self.scopes.first()?.names.get(name)? {
            (Binding::Type(ty), _) => Some(*ty),
            _ => None,
        }
    }

    /// Resolves a type whose errors were already reported once.
    fn resolve_type_quietly(&mut self, ty: &ast::TypeExpr) -> TypeId {
        let errors = self.errors.len();
        let resolved = self.resolve_type(ty);
        self.errors.truncate(errors);
        resolved
    }

    fn resolve_type(&mut self, ty: &ast::TypeExpr) -> TypeId {
        match &ty.kind {
            ast::TypeExprKind::Name { pkg: None, name, type_args } if !type_args.is_empty() => {
                let args: Vec<TypeId> = type_args.iter().map(|t| self.resolve_type(t)).collect();
                match self.lookup(&name.name).cloned() {
                    Some(Binding::GenericType(index)) => self.instantiate_type(index, &args, ty.span),
                    Some(_) => {
                        self.errors.push(SemaError::TypeMismatch {
                            message: format!("{} is not a generic type", name.name),
                            span: name.span,
                            label: "not generic".to_string(),
                        });
                        Types::INVALID
                    }
                    None => {
                        self.errors.push(SemaError::Undefined { name: name.name.clone(), span: name.span });
                        Types::INVALID
                    }
                }
            }
            ast::TypeExprKind::Name { pkg: None, name, type_args } if type_args.is_empty() => {
                match self.lookup(&name.name) {
                    Some(Binding::Type(id)) => *id,
                    Some(_) => {
                        // Described as Go's types2 does: `x (variable of type int)`.
                        let value = ast::Expr { kind: ast::ExprKind::Ident(name.clone()), span: name.span };
                        let value = self.check_expr(&value);
                        self.errors.push(SemaError::TypeMismatch {
                            message: format!("{} is not a type", self.operand(value)),
                            span: name.span,
                            label: "not a type".to_string(),
                        });
                        Types::INVALID
                    }
                    None if name.name == "_" => {
                        self.errors.push(SemaError::Misplaced { message: "cannot use _ as value or type".to_string(), span: name.span });
                        Types::INVALID
                    }
                    None => {
                        self.errors.push(SemaError::Undefined { name: name.name.clone(), span: name.span });
                        Types::INVALID
                    }
                }
            }
            ast::TypeExprKind::Name { pkg: Some(pkg), name, type_args } => {
                let base = ast::Expr { kind: ast::ExprKind::Ident(pkg.clone()), span: pkg.span };
                let qualified = format!("{}.{}", pkg.name, name.name);
                let Some(path) = self.package_of(&base) else {
                    match self.lookup(&pkg.name) {
                        None => self.errors.push(SemaError::Undefined { name: pkg.name.clone(), span: pkg.span }),
                        Some(_) => self.errors.push(SemaError::TypeMismatch {
                            message: format!("{qualified} is not a type"),
                            span: ty.span,
                            label: "not a type".to_string(),
                        }),
                    }
                    return Types::INVALID;
                };
                match self.package_member(&path, &name.name) {
                    Some(Binding::Type(id)) if type_args.is_empty() => id,
                    Some(Binding::Type(_)) => {
                        self.unsupported("generic types of other packages", ty.span);
                        Types::INVALID
                    }
                    Some(_) => {
                        self.errors.push(SemaError::TypeMismatch {
                            message: format!("{qualified} is not a type"),
                            span: ty.span,
                            label: "not a type".to_string(),
                        });
                        Types::INVALID
                    }
                    None => {
                        self.errors.push(SemaError::Undefined { name: qualified, span: name.span });
                        Types::INVALID
                    }
                }
            }
            ast::TypeExprKind::Interface(elems) => self.resolve_interface_type(elems, ty.span),
            _ => match self.resolve_composite_type(ty) {
                Some(resolved) => resolved,
                None => {
                    self.unsupported("this type", ty.span);
                    Types::INVALID
                }
            },
        }
    }

    // ---- expressions ----

    fn check_expr(&mut self, expr: &ast::Expr) -> ExprId {
        let span = expr.span;
        match &expr.kind {
            ast::ExprKind::Ident(ident) => self.check_ident(ident),
            ast::ExprKind::IntLit(text) => match parse_int_literal(text) {
                Some(value) => self.push_expr(hir::ExprKind::Const(ConstValue::Int(value)), Types::UNTYPED_INT, span),
                None => {
                    self.errors.push(SemaError::ConstantOverflow {
                        message: format!("integer constant {text} is too large for g2n's constant arithmetic"),
                        span,
                    });
                    self.invalid(span)
                }
            },
            ast::ExprKind::FloatLit(text) => match crate::exact::Exact::parse(text) {
                Some(value) => self.push_expr(hir::ExprKind::Const(ConstValue::Float(value)), Types::UNTYPED_FLOAT, span),
                None => {
                    self.unsupported("this floating-point literal", span);
                    self.invalid(span)
                }
            },
            ast::ExprKind::ImagLit(text) => {
                // The digits before `i` are decimal even with a leading 0
                // (`0_1_2i` is 12i), unless prefixed 0x/0o/0b.
                let body = &text[..text.len() - 1];
                let lower = body.to_ascii_lowercase();
                let value = if lower.starts_with("0o") || lower.starts_with("0b") {
                    parse_int_literal(body).map(Exact::from_i128)
                } else {
                    Exact::parse(body)
                };
                match value {
                    Some(value) => self.push_expr(hir::ExprKind::Const(ConstValue::Complex(Exact::from_i128(0), value)), Types::UNTYPED_COMPLEX, span),
                    None => {
                        self.unsupported("this imaginary literal", span);
                        self.invalid(span)
                    }
                }
            }
            ast::ExprKind::StringLit(value) => {
                self.push_expr(hir::ExprKind::Const(ConstValue::String(value.clone())), Types::UNTYPED_STRING, span)
            }
            ast::ExprKind::RuneLit(text) => match decode_rune(text) {
                Some(value) => self.push_expr(hir::ExprKind::Const(ConstValue::Int(value as i128)), Types::UNTYPED_RUNE, span),
                None => {
                    self.unsupported("this rune literal", span);
                    self.invalid(span)
                }
            },
            ast::ExprKind::Paren(inner) => self.check_expr(inner),
            ast::ExprKind::Call { func, args, ellipsis } => self.check_call(func, args, *ellipsis, span),
            ast::ExprKind::Selector { base, sel } => {
                if let Some(package) = self.package_of(base) {
                    let name = format!("{}.{}", self.snippet_hint(base), sel.name);
                    match self.package_member(&package, &sel.name) {
                        Some(binding) => self.value_of_binding(binding, &name, span),
                        None => {
                            self.errors.push(SemaError::Undefined { name, span: sel.span });
                            self.invalid(span)
                        }
                    }
                } else if let Some(recv_ty) = self.expr_names_type(base) {
                    self.method_expression(recv_ty, sel, span)
                } else {
                    self.check_selector(base, sel, span)
                }
            }
            ast::ExprKind::Index { base, indices } if self.generic_func_named(base).is_some() => {
                let index = self.generic_func_named(base).unwrap_or_default();
                self.generic_func_value(index, indices, span)
            }
            ast::ExprKind::Index { base, indices } if indices.len() == 1 => self.check_index(base, &indices[0], span),
            ast::ExprKind::Slice { base, lo, hi, max } => {
                self.check_slice_expr(base, lo.as_deref(), hi.as_deref(), max.as_deref(), span)
            }
            ast::ExprKind::CompositeLit { ty, elems } => self.check_composite_lit(ty.as_ref(), elems, None, span),
            ast::ExprKind::TypeAssert { base, ty } => self.check_type_assert(base, ty, false, span),
            ast::ExprKind::FuncLit { sig, body } => self.check_func_lit(sig, body, span),
            ast::ExprKind::Unary { op: ast::UnaryOp::Addr, operand } => {
                if let ast::ExprKind::CompositeLit { ty, elems } = &operand.kind {
                    let value = self.check_composite_lit(ty.as_ref(), elems, None, operand.span);
                    let ty = self.expr_ty(value);
                    if ty == Types::INVALID {
                        return self.invalid(span);
                    }
                    let pointer = self.program.types.intern(TypeKind::Pointer(ty));
                    return self.push_expr(hir::ExprKind::AggregateAddr(value), pointer, span);
                }
                let errors = self.errors.len();
                match self.check_addr(operand) {
                    Some(addr) => addr,
                    None => {
                        if self.errors.len() == errors {
                            let value = self.check_expr(operand);
                            let message = format!("cannot take address of {}", self.operand(value));
                            self.errors.push(SemaError::InvalidOperation { message, span });
                        }
                        self.invalid(span)
                    }
                }
            }
            ast::ExprKind::Unary { op: ast::UnaryOp::Deref, operand } => {
                let pointer = self.check_expr(operand);
                let ty = self.expr_ty(pointer);
                match self.program.types.under(ty).clone() {
                    TypeKind::Pointer(elem) => self.push_expr(hir::ExprKind::Load(pointer), elem, span),
                    TypeKind::Invalid => self.invalid(span),
                    _ => {
                        self.errors.push(SemaError::InvalidOperation {
                            message: format!("cannot indirect {}", self.operand(pointer)),
                            span,
                        });
                        self.invalid(span)
                    }
                }
            }
            ast::ExprKind::Unary { op: ast::UnaryOp::Recv, operand } => self.check_recv(operand, false, span),
            ast::ExprKind::Unary { op, operand } => self.check_unary(*op, operand, span),
            ast::ExprKind::Binary { op, lhs, rhs } => self.check_binary(*op, lhs, rhs, span),
            _ => {
                self.unsupported("this expression", span);
                self.invalid(span)
            }
        }
    }

    /// See [Go spec: Index expressions](https://go.dev/ref/spec#Index_expressions).
    fn check_index(&mut self, base: &ast::Expr, index: &ast::Expr, span: Span) -> ExprId {
        let base = self.check_expr(base);
        let index = self.check_expr(index);
        let (base_ty, index_ty) = (self.expr_ty(base), self.expr_ty(index));
        if base_ty == Types::INVALID || index_ty == Types::INVALID {
            return self.invalid(span);
        }
        if !self.program.types.is_string(base_ty) {
            return self.check_element(base, index, span);
        }
        if !self.program.types.is_integer(index_ty) && self.const_of(index).is_none() {
            self.errors.push(SemaError::InvalidOperation {
                message: format!("invalid argument: index {} must be integer", self.operand(index)),
                span,
            });
            return self.invalid(span);
        }
        if let (Some(ConstValue::String(s)), Some(ConstValue::Int(i))) = (self.const_of(base), self.const_of(index)) {
            match usize::try_from(i).ok().and_then(|i| s.as_bytes().get(i)) {
                Some(byte) => return self.push_expr(hir::ExprKind::Const(ConstValue::Int(*byte as i128)), Types::UINT8, span),
                None => {
                    self.errors.push(SemaError::InvalidOperation {
                        message: format!("invalid argument: index {i} out of bounds [0:{}]", s.len()),
                        span,
                    });
                    return self.invalid(span);
                }
            }
        }
        if let Some(ConstValue::Int(i)) = self.const_of(index) {
            if i < 0 {
                self.errors.push(SemaError::InvalidOperation {
                    message: format!("invalid argument: index {} (constant of type int) must not be negative", i),
                    span,
                });
                return self.invalid(span);
            }
        }
        let base = self.convert(base, Types::STRING, "index");
        let index_target = if self.program.types.is_untyped(index_ty) { Types::INT } else { index_ty };
        let index = self.convert(index, index_target, "index");
        self.push_expr(hir::ExprKind::StringIndex { base, index }, Types::UINT8, span)
    }

    fn invalid(&mut self, span: Span) -> ExprId {
        self.push_expr(hir::ExprKind::Const(ConstValue::Nil), Types::INVALID, span)
    }

    fn check_ident(&mut self, ident: &ast::Ident) -> ExprId {
        let span = ident.span;
        if ident.name == "_" {
            self.errors.push(SemaError::Misplaced { message: "cannot use _ as value or type".to_string(), span });
            return self.invalid(span);
        }
        self.resolve_pending(&ident.name);
        match self.lookup(&ident.name).cloned() {
            Some(binding) => self.value_of_binding(binding, &ident.name, span),
            None => match self.free_local(ident) {
                Some(id) => {
                    if let Some(local) = self.program.locals.get_mut(id.index()) {
                        local.used = true;
                    }
                    let ty = self.program.local(id).ty;
                    self.push_expr(hir::ExprKind::Local(id), ty, span)
                }
                None => self.invalid(span),
            },
        }
    }

    /// The value a name bound to `binding` denotes (`name` as the program
    /// spells it, `pkg.Name` for a package member).
    fn value_of_binding(&mut self, binding: Binding, name: &str, span: Span) -> ExprId {
        match binding {
            Binding::Local(id) => {
                if let Some(local) = self.program.locals.get_mut(id.index()) {
                    local.used = true;
                }
                self.note_capture(id);
                let ty = self.program.local(id).ty;
                self.push_expr(hir::ExprKind::Local(id), ty, span)
            }
            Binding::Const(value, ty) => self.push_expr(hir::ExprKind::Const(value), ty, span),
            Binding::Type(_) => {
                self.errors.push(SemaError::Misplaced { message: format!("{} (type) is not an expression", name), span });
                self.invalid(span)
            }
            Binding::Package(index) => {
                if let Some(import) = self.imports.get_mut(index) {
                    import.used = true;
                }
                self.errors.push(SemaError::Misplaced {
                    message: format!("use of package {} without selector", name),
                    span,
                });
                self.invalid(span)
            }
            Binding::Func(func) => {
                let ty = self.func_type(func);
                self.push_expr(hir::ExprKind::FuncValue(func), ty, span)
            }
            Binding::GenericFunc(_) => {
                self.unsupported("generic functions used as values", span);
                self.invalid(span)
            }
            Binding::GenericType(_) => {
                self.errors.push(SemaError::NotAValue { what: format!("type {}", name), span });
                self.invalid(span)
            }
            Binding::Builtin(_) => {
                self.errors.push(SemaError::Misplaced {
                    message: format!("{} (built-in) must be called", name),
                    span,
                });
                self.invalid(span)
            }
            Binding::StdVar(symbol, ty) => {
                self.push_expr(hir::ExprKind::StdCall { symbol, args: Vec::new(), variadic: None, spread: false }, ty, span)
            }
            Binding::StdFunc(package, func_name) => {
                let stdlib = self.stdlib;
                let Some(func) = stdlib.func(&package, &func_name) else { return self.invalid(span) };
                let sig = self.std_signature(&package, func);
                // Calls through the value check as calls of the name.
                let callee = ast::Expr { kind: ast::ExprKind::Ident(ast::Ident { name: func_name, span }), span };
                let callee = match name.split_once('.') {
                    Some((pkg, member)) => ast::Expr {
                        kind: ast::ExprKind::Selector {
                            base: Box::new(ast::Expr { kind: ast::ExprKind::Ident(ast::Ident { name: pkg.to_string(), span }), span }),
                            sel: ast::Ident { name: member.to_string(), span },
                        },
                        span,
                    },
                    None => callee,
                };
                self.forwarding_closure(&sig, span, |args, variadic| ast::Expr {
                    kind: ast::ExprKind::Call { func: Box::new(callee), args, ellipsis: variadic },
                    span,
                })
            }
        }
    }

    /// If `expr` names an imported package, marks it used and returns its path.
    fn package_of(&mut self, expr: &ast::Expr) -> Option<String> {
        let ast::ExprKind::Ident(ident) = &expr.kind else { return None };
        let Some(Binding::Package(index)) = self.lookup(&ident.name).cloned() else { return None };
        let import = self.imports.get_mut(index)?;
        import.used = true;
        Some(import.path.clone())
    }

    fn check_call(&mut self, func: &ast::Expr, args: &[ast::Expr], ellipsis: bool, span: Span) -> ExprId {
        if ellipsis {
            if let ast::ExprKind::Ident(ident) = &func.kind {
                if let Some(Binding::Builtin(Builtin::Append)) = self.lookup(&ident.name) {
                    if !self.builtin_arity_ok(Builtin::Append, args, span) {
                        return self.invalid(span);
                    }
                    return self.check_append(args, true, span);
                }
            }
            self.spread_call = Some(span);
        }
        if matches!(func.kind, ast::ExprKind::Index { .. }) {
            if let Some(target) = self.expr_names_type(func) {
                return self.check_conversion(target, args, span);
            }
        }
        match &func.kind {
            ast::ExprKind::Paren(inner) => {
                // `(*T)(x)`: a conversion to a pointer type.
                if let ast::ExprKind::Unary { op: ast::UnaryOp::Deref, operand } = &inner.kind {
                    if let Some(pointee) = self.expr_names_type(operand) {
                        let target = self.program.types.intern(TypeKind::Pointer(pointee));
                        return self.check_conversion(target, args, span);
                    }
                }
                return self.check_call(inner, args, ellipsis, span);
            }
            ast::ExprKind::Ident(ident) => match self.lookup(&ident.name).cloned() {
                Some(Binding::Func(id)) => return self.check_user_call(id, args, span),
                Some(Binding::GenericFunc(index)) => return self.check_generic_call(index, &[], args, span),
                Some(Binding::Builtin(builtin)) => return self.check_builtin(builtin, &ident.name, args, span),
                Some(Binding::Type(ty)) => return self.check_conversion(ty, args, span),
                Some(Binding::StdFunc(package, name)) => return self.check_std_call(&package, &name, args, span),
                _ => {}
            },
            ast::ExprKind::Type(ty) => {
                let ty = self.resolve_type(ty);
                return self.check_conversion(ty, args, span);
            }
            ast::ExprKind::Index { base, indices } => {
                if let ast::ExprKind::Ident(ident) = &base.kind {
                    match self.lookup(&ident.name).cloned() {
                        Some(Binding::GenericFunc(index)) => return self.check_generic_call(index, indices, args, span),
                        // `T[int](x)`: a conversion to an instantiated generic type.
                        Some(Binding::GenericType(_)) => {
                            let type_args = indices.iter().filter_map(expr_as_type).collect::<Vec<_>>();
                            if type_args.len() == indices.len() {
                                let ty = ast::TypeExpr {
                                    kind: ast::TypeExprKind::Name { pkg: None, name: ident.clone(), type_args },
                                    span: func.span,
                                };
                                let ty = self.resolve_type(&ty);
                                return self.check_conversion(ty, args, span);
                            }
                        }
                        _ => {}
                    }
                }
            }
            ast::ExprKind::Selector { base, sel } if self.package_of_quiet(base).is_none() => {
                if let Some(recv_ty) = self.expr_names_type(base) {
                    let callee = self.method_expression(recv_ty, sel, func.span);
                    return self.check_call_value(callee, args, span);
                }
            }
            _ => {}
        }
        let ast::ExprKind::Selector { base, sel } = &func.kind else {
            let callee = self.check_expr(func);
            return self.check_call_value(callee, args, span);
        };
        let Some(package) = self.package_of(base) else {
            return self.check_method_call(base, sel, args, span);
        };
        let name = format!("{}.{}", self.snippet_hint(base), sel.name);
        match self.package_member(&package, &sel.name) {
            Some(Binding::StdFunc(package, func)) => self.check_std_call(&package, &func, args, span),
            Some(Binding::Func(id)) => self.check_user_call(id, args, span),
            Some(Binding::Type(ty)) => self.check_conversion(ty, args, span),
            Some(binding) => {
                let callee = self.value_of_binding(binding, &name, func.span);
                self.check_call_value(callee, args, span)
            }
            None => {
                // Go 1.19 reports an unexported name like a missing one, as
                // the program spells the package.
                self.errors.push(SemaError::Undefined { name, span: sel.span });
                self.invalid(span)
            }
        }
    }

    /// A call of the runtime intrinsic `name` of stdlib package `package`.
    fn check_std_call(&mut self, package: &str, name: &str, args: &[ast::Expr], span: Span) -> ExprId {
        let stdlib = self.stdlib;
        let Some(std_func) = stdlib.func(package, name) else { return self.invalid(span) };
        let sig = self.std_signature(package, std_func);
        let spread = self.spread_call == Some(span);
        if spread {
            self.spread_call = None;
            // `f(a, s...)`: the slice is the variadic part as it is.
            let qualified = format!("{}.{}", package, name);
            if !sig.variadic {
                self.errors.push(SemaError::Misplaced { message: format!("cannot use ... in call to non-variadic {qualified}"), span });
                return self.invalid(span);
            }
            let mut params = sig.params.clone();
            if let Some(last) = params.last_mut() {
                *last = self.program.types.intern(TypeKind::Slice(*last));
            }
            let plain = Signature { params, results: sig.results.clone(), variadic: false };
            let args = self.check_args(&plain, &qualified, args, span);
            let result = self.results_type(&sig.results);
            let symbol = crate::stdlib::runtime_symbol(package, name);
            let variadic = Some(sig.params.len() - 1);
            return self.push_expr(hir::ExprKind::StdCall { symbol, args, variadic, spread: true }, result, span);
        }
        let args = self.check_args(&sig, &format!("{}.{}", package, name), args, span);
        let result = self.results_type(&sig.results);
        match Intrinsic::lookup(package, name) {
            Some(which) => self.push_expr(hir::ExprKind::Intrinsic { which, args }, result, span),
            None => {
                let symbol = crate::stdlib::runtime_symbol(package, name);
                let variadic = sig.variadic.then(|| sig.params.len() - 1);
                self.push_expr(hir::ExprKind::StdCall { symbol, args, variadic, spread: false }, result, span)
            }
        }
    }

    fn results_type(&mut self, results: &[TypeId]) -> TypeId {
        match results {
            [single] => *single,
            results => self.program.types.intern(TypeKind::Tuple(results.to_vec())),
        }
    }

    fn check_user_call(&mut self, id: FuncId, args: &[ast::Expr], span: Span) -> ExprId {
        self.check_user_call_with(id, None, args, span)
    }

    /// A call of a function or (with a receiver, already adjusted) a method.
    fn check_user_call_with(&mut self, id: FuncId, receiver: Option<ExprId>, args: &[ast::Expr], span: Span) -> ExprId {
        let func = self.program.func(id);
        let name = func.name.clone();
        let results = func.results.clone();
        let params: Vec<TypeId> = func.params.iter().map(|p| self.program.local(*p).ty).collect();
        // Parameters are declared when the body is checked; before that, the
        // declaration order gives them in `params` of the AST. Bodies are
        // checked after all signatures, but a call may be checked first.
        let mut params = if params.is_empty() { self.pending_params.get(&id).cloned().unwrap_or_default() } else { params };
        if receiver.is_some() && !params.is_empty() {
            params.remove(0);
        }
        let variadic = self.program.func(id).variadic;
        let Some(checked) = self.pack_args(&params, variadic, args, &name, span) else { return self.invalid(span) };
        let mut args: Vec<ExprId> = receiver.into_iter().collect();
        args.extend(checked);
        let ty = self.results_type(&results);
        self.push_expr(hir::ExprKind::Call { func: id, args }, ty, span)
    }

    /// Arguments checked against parameter types; for a variadic function
    /// the extra arguments become a slice (or `s...` is passed as is).
    pub(super) fn pack_args(&mut self, params: &[TypeId], variadic: bool, args: &[ast::Expr], name: &str, span: Span) -> Option<Vec<ExprId>> {
        let name = &self.callee_text(span, name);
        let spread = self.spread_call == Some(span);
        if spread {
            self.spread_call = None;
        }
        let checked: Vec<ExprId> = args.iter().map(|a| self.check_expr(a)).collect();
        if !self.single_values(&checked) {
            return None;
        }
        let checked = self.expand_multi_value(checked);
        let fixed = if variadic { params.len().saturating_sub(1) } else { params.len() };
        let count_ok = if variadic && !spread { checked.len() >= fixed } else { checked.len() == params.len() };
        if !count_ok || (spread && !variadic) {
            if spread && !variadic {
                self.errors.push(SemaError::Misplaced { message: format!("cannot use ... in call to non-variadic {name}"), span });
                return None;
            }
            let message = if checked.len() < fixed { "not enough" } else { "too many" };
            self.errors.push(SemaError::ArgumentCount {
                message,
                callee: format!("in call to {name}"),
                span,
                have: checked.len(),
                want: if variadic { format!("at least {fixed}") } else { params.len().to_string() },
            });
            return None;
        }
        let mut out = Vec::new();
        for (arg, ty) in checked.iter().zip(params.iter().take(fixed)) {
            self.check_value_type(*arg);
            out.push(self.convert(*arg, *ty, &format!("argument to {name}")));
        }
        if variadic {
            let slice_ty = params.last().copied().unwrap_or(Types::INVALID);
            if spread {
                let last = checked[checked.len() - 1];
                out.push(self.convert(last, slice_ty, &format!("argument to {name}")));
            } else {
                let elem = self.program.types.elem(slice_ty).unwrap_or(Types::INVALID);
                let extra: Vec<(u64, ExprId)> = checked[fixed..]
                    .iter()
                    .enumerate()
                    .map(|(i, arg)| {
                        self.check_value_type(*arg);
                        (i as u64, self.convert(*arg, elem, &format!("argument to {name}")))
                    })
                    .collect();
                let packed = if extra.is_empty() {
                    self.push_expr(hir::ExprKind::Const(ConstValue::Nil), slice_ty, span)
                } else {
                    self.push_expr(hir::ExprKind::SliceLit { len: extra.len() as u64, elems: extra }, slice_ty, span)
                };
                out.push(packed);
            }
        }
        Some(out)
    }

    /// Go's argument count check for a builtin (types2 builtins.go): the
    /// minimum count and whether more are allowed.
    fn builtin_arity_ok(&mut self, builtin: Builtin, args: &[ast::Expr], span: Span) -> bool {
        let (min, variadic) = match builtin {
            Builtin::Append | Builtin::Make => (1, true),
            Builtin::Print | Builtin::Println => (0, true),
            Builtin::Len | Builtin::Cap | Builtin::New | Builtin::Panic | Builtin::Close | Builtin::Real | Builtin::Imag => (1, false),
            Builtin::Copy | Builtin::Delete => (2, false),
            // `complex(f())` spreads two results: counted after checking.
            Builtin::Complex => (1, true),
            Builtin::Recover => (0, false),
        };
        let found = args.len();
        let message = if found < min {
            "not enough"
        } else if !variadic && found > min {
            "too many"
        } else {
            return true;
        };
        let call = self.span_text(span);
        self.errors.push(SemaError::InvalidOperation {
            message: format!("{message} arguments for {call} (expected {min}, found {found})"),
            span,
        });
        false
    }

    /// Go's `assignment mismatch: 2 variables but f returns 1 value`: `call`
    /// is the span of a single call on the right.
    fn assignment_mismatch(&self, vars: usize, vals: usize, call: Option<Span>) -> String {
        let measure = |n: usize, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
        let callee = call.map(|span| self.callee_text(span, "")).filter(|c| !c.is_empty());
        match callee {
            Some(callee) => format!("assignment mismatch: {} but {callee} returns {}", measure(vars, "variable"), measure(vals, "value")),
            None => format!("assignment mismatch: {} but {}", measure(vars, "variable"), measure(vals, "value")),
        }
    }

    /// The function expression of the call at `span` as Go quotes it in
    /// `in call to F` and `argument to F` (`t.M`, `T{}.M`, `fmt.Println`).
    fn callee_text(&self, span: Span, fallback: &str) -> String {
        match self.file.and_then(|file| g2n_syntax::print::find_expr(file, span)).map(|e| &e.kind) {
            Some(ast::ExprKind::Call { func, .. }) => g2n_syntax::print::expr_string(func),
            _ => fallback.to_string(),
        }
    }

    /// The source expression at `span` as Go quotes it.
    pub(super) fn span_text(&self, span: Span) -> String {
        self.file
            .and_then(|file| g2n_syntax::print::find_expr(file, span))
            .map(g2n_syntax::print::expr_string)
            .unwrap_or_else(|| "expression".to_string())
    }

    fn check_builtin(&mut self, builtin: Builtin, name: &str, args: &[ast::Expr], span: Span) -> ExprId {
        if !self.builtin_arity_ok(builtin, args, span) {
            if !matches!(builtin, Builtin::Make | Builtin::New) {
                for arg in args {
                    self.check_expr(arg);
                }
            }
            return self.invalid(span);
        }
        match builtin {
            Builtin::Append => return self.check_append(args, false, span),
            Builtin::Make => return self.check_make(args, span),
            Builtin::New => return self.check_new(args, span),
            Builtin::Copy => return self.check_copy(args, span),
            Builtin::Delete => return self.check_delete(args, span),
            Builtin::Close => return self.check_close(args, span),
            Builtin::Recover => {
                if !args.is_empty() {
                    self.errors.push(SemaError::ArgumentCount { message: "too many", callee: "in call to recover".to_string(), span, have: args.len(), want: "0".to_string() });
                    return self.invalid(span);
                }
                return self.push_expr(hir::ExprKind::Intrinsic { which: Intrinsic::Recover, args: Vec::new() }, Types::ANY, span);
            }
            _ => {}
        }
        let checked: Vec<ExprId> = args.iter().map(|a| self.check_expr(a)).collect();
        // `print(f())` and `complex(f())` take every result of f.
        let checked = if matches!(builtin, Builtin::Print | Builtin::Println | Builtin::Complex) { self.expand_multi_value(checked) } else { checked };
        for arg in &checked {
            self.check_value_type(*arg);
        }
        let arity_error = |checker: &mut Self, want: &str| {
            checker.errors.push(SemaError::ArgumentCount {
                message: if checked.len() == 0 { "not enough" } else { "too many" },
                callee: format!("in call to {name}"),
                span,
                have: checked.len(),
                want: want.to_string(),
            });
            checker.invalid(span)
        };
        match builtin {
            Builtin::Len | Builtin::Cap => {
                let [arg] = checked.as_slice() else { return arity_error(self, "1") };
                let ty = self.expr_ty(*arg);
                if ty == Types::INVALID {
                    return self.invalid(span);
                }
                if let Some(result) = self.check_len_cap(builtin == Builtin::Cap, *arg, span) {
                    return result;
                }
                if builtin == Builtin::Cap {
                    self.errors.push(SemaError::InvalidOperation {
                        message: format!("invalid argument: {} for cap", self.operand(*arg)),
                        span,
                    });
                    return self.invalid(span);
                }
                if let Some(ConstValue::String(s)) = self.const_of(*arg) {
                    return self.push_expr(hir::ExprKind::Const(ConstValue::Int(s.len() as i128)), Types::INT, span);
                }
                if !self.program.types.is_string(ty) {
                    self.errors.push(SemaError::InvalidOperation {
                        message: format!("invalid argument: {} for len", self.operand(*arg)),
                        span,
                    });
                    return self.invalid(span);
                }
                let arg = self.convert(*arg, Types::STRING, "argument to len");
                self.push_expr(hir::ExprKind::Intrinsic { which: Intrinsic::StringLen, args: vec![arg] }, Types::INT, span)
            }
            Builtin::Print | Builtin::Println => {
                let args = checked.into_iter().map(|a| self.convert(a, Types::ANY, &format!("argument to {name}"))).collect();
                let which = if builtin == Builtin::Print { Intrinsic::Print } else { Intrinsic::Println };
                self.push_expr(hir::ExprKind::Intrinsic { which, args }, Types::VOID, span)
            }
            Builtin::Panic => {
                let [arg] = checked.as_slice() else { return arity_error(self, "1") };
                let arg = self.convert(*arg, Types::ANY, "argument to panic");
                self.push_expr(hir::ExprKind::Intrinsic { which: Intrinsic::Panic, args: vec![arg] }, Types::VOID, span)
            }
            Builtin::Complex => {
                let [re, im] = checked.as_slice() else { return arity_error(self, "2") };
                self.check_complex(*re, *im, span)
            }
            Builtin::Real | Builtin::Imag => {
                let [arg] = checked.as_slice() else { return arity_error(self, "1") };
                self.check_real_imag(builtin == Builtin::Imag, *arg, span)
            }
            Builtin::Append | Builtin::Make | Builtin::New | Builtin::Copy | Builtin::Delete | Builtin::Recover | Builtin::Close => {
                self.invalid(span)
            }
        }
    }

    /// `complex(re, im)` (types2 builtins.go `_Complex`): untyped constant
    /// arguments become untyped floats, an untyped one takes the other's
    /// type, and both must then be the same floating-point type. float32
    /// gives complex64, float64 complex128, untyped floats an untyped
    /// complex constant.
    fn check_complex(&mut self, re: ExprId, im: ExprId, span: Span) -> ExprId {
        let (mut re, mut im) = (re, im);
        if self.expr_ty(re) == Types::INVALID || self.expr_ty(im) == Types::INVALID {
            return self.invalid(span);
        }
        let to_float = |this: &mut Self, id: ExprId| -> ExprId {
            let ty = this.expr_ty(id);
            match this.const_of(id) {
                Some(ConstValue::Int(v)) if this.program.types.is_untyped(ty) => {
                    this.push_expr(hir::ExprKind::Const(ConstValue::Float(Exact::from_i128(v))), Types::UNTYPED_FLOAT, this.expr_span(id))
                }
                Some(ConstValue::Complex(r, i)) if this.program.types.is_untyped(ty) && i.is_zero() => {
                    this.push_expr(hir::ExprKind::Const(ConstValue::Float(r)), Types::UNTYPED_FLOAT, this.expr_span(id))
                }
                _ => id,
            }
        };
        re = to_float(self, re);
        im = to_float(self, im);
        let (rt, it) = (self.expr_ty(re), self.expr_ty(im));
        let types = &self.program.types;
        match (types.is_untyped(rt), types.is_untyped(it)) {
            // An implicit conversion in Go's words (`1i overflows float64`).
            (true, false) => re = self.convert(re, it, "operation"),
            (false, true) => im = self.convert(im, rt, "operation"),
            _ => {}
        }
        let (rt, it) = (self.expr_ty(re), self.expr_ty(im));
        if rt == Types::INVALID || it == Types::INVALID {
            return self.invalid(span);
        }
        let types = &self.program.types;
        if rt != it {
            let message = format!("{} (mismatched types {} and {})", self.span_text(span), self.type_name(rt), self.type_name(it));
            self.errors.push(SemaError::InvalidOperation { message, span: self.expr_span(re) });
            return self.invalid(span);
        }
        let result = match types.under(rt) {
            TypeKind::Float32 => Types::COMPLEX64,
            TypeKind::Float64 => Types::COMPLEX128,
            TypeKind::UntypedFloat => Types::UNTYPED_COMPLEX,
            _ => {
                let message = format!("invalid argument: arguments have type {}, expected floating-point", self.type_name(rt));
                self.errors.push(SemaError::TypeMismatch { message, span: self.expr_span(re), label: "not a float".to_string() });
                return self.invalid(span);
            }
        };
        if let (Some(ConstValue::Float(r)), Some(ConstValue::Float(i))) = (self.const_of(re), self.const_of(im)) {
            let id = self.push_expr(hir::ExprKind::Const(ConstValue::Complex(r, i)), result, span);
            return self.check_representable(id);
        }
        self.push_expr(hir::ExprKind::Intrinsic { which: Intrinsic::Complex, args: vec![re, im] }, result, span)
    }

    /// `real(c)` / `imag(c)`: an untyped constant argument is an untyped
    /// complex one and gives an untyped float constant; complex64 gives
    /// float32, complex128 float64.
    fn check_real_imag(&mut self, imag: bool, arg: ExprId, span: Span) -> ExprId {
        let ty = self.expr_ty(arg);
        if ty == Types::INVALID {
            return self.invalid(span);
        }
        let types = &self.program.types;
        let result = match types.under(ty) {
            _ if types.is_untyped(ty) && types.is_numeric(ty) => Types::UNTYPED_FLOAT,
            TypeKind::Complex64 => Types::FLOAT32,
            TypeKind::Complex128 => Types::FLOAT64,
            _ => {
                let message = format!("invalid argument: argument has type {}, expected complex type", self.type_name(ty));
                self.errors.push(SemaError::TypeMismatch { message, span: self.expr_span(arg), label: "not complex".to_string() });
                return self.invalid(span);
            }
        };
        if let Some((r, i)) = self.const_of(arg).as_ref().and_then(complex_parts) {
            let part = if imag { i } else { r };
            return self.push_expr(hir::ExprKind::Const(ConstValue::Float(part)), result, span);
        }
        let which = if imag { Intrinsic::Imag } else { Intrinsic::Real };
        self.push_expr(hir::ExprKind::Intrinsic { which, args: vec![arg] }, result, span)
    }

    /// `T(x)`. See [Go spec: Conversions](https://go.dev/ref/spec#Conversions).
    fn check_conversion(&mut self, target: TypeId, args: &[ast::Expr], span: Span) -> ExprId {
        let [arg] = args else {
            self.errors.push(SemaError::ArgumentCount {
                message: if args.is_empty() { "not enough" } else { "too many" },
                callee: format!("in conversion to {}", self.type_name(target)),
                span,
                have: args.len(),
                want: "1".to_string(),
            });
            return self.invalid(span);
        };
        let value = self.check_expr(arg);
        let from = self.expr_ty(value);
        if from == Types::INVALID || target == Types::INVALID {
            return self.invalid(span);
        }
        let types = &self.program.types;
        // Constants convert exactly or not at all.
        if let Some(constant) = self.const_of(value) {
            // A complex constant converts to a real type when its imaginary
            // part is zero; a real one to a complex type with a zero one.
            let constant = match constant {
                ConstValue::Complex(r, i) if i.is_zero() && types.is_real(target) => ConstValue::Float(r),
                constant => constant,
            };
            let converted = match (&constant, types.is_integer(target), types.is_float(target), types.is_string(target)) {
                (c, ..) if types.is_complex(target) => complex_parts(c).map(|(r, i)| ConstValue::Complex(r, i)),
                (ConstValue::Int(v), true, _, _) => Some(ConstValue::Int(*v)),
                (ConstValue::Float(f), true, _, _) if f.is_integer() => f.to_i128().map(ConstValue::Int),
                (ConstValue::Int(v), _, true, _) => Some(ConstValue::Float(Exact::from_i128(*v))),
                // Rounded to the target type below.
                (ConstValue::Float(f), _, true, _) => Some(ConstValue::Float(f.clone())),
                (ConstValue::Int(v), _, _, true) if types.is_integer(from) => {
                    let c = u32::try_from(*v).ok().and_then(char::from_u32).unwrap_or('\u{FFFD}');
                    Some(ConstValue::String(c.to_string()))
                }
                (ConstValue::String(s), _, _, true) => Some(ConstValue::String(s.clone())),
                (ConstValue::Bool(b), _, _, _) if types.is_boolean(target) => Some(ConstValue::Bool(*b)),
                _ => None,
            };
            match converted {
                Some(converted) => {
                    if let (ConstValue::Int(v), Some((bits, signed))) = (&converted, types.int_info(target)) {
                        let fits = if signed {
                            let min = -(1i128 << (bits - 1));
                            *v >= min && *v < -min
                        } else {
                            *v >= 0 && *v < (1i128 << bits)
                        };
                        if !fits {
                            let message = format!(
                                "cannot convert {} to type {}",
                                self.operand(value),
                                self.type_name(target)
                            );
                            self.errors.push(SemaError::ConstantOverflow { message, span });
                            return self.invalid(span);
                        }
                    }
                    // Complex parts are rounded (and checked) here; codegen
                    // rounds real floating-point constants itself.
                    if let ConstValue::Complex(r, i) = &converted {
                        let round = if matches!(types.under(target), TypeKind::Complex64) { Exact::to_f32 } else { Exact::to_f64 };
                        if !round(r).is_finite() || !round(i).is_finite() {
                            let message = format!("cannot convert {} to type {}", self.operand(value), self.type_name(target));
                            self.errors.push(SemaError::TypeMismatch { message, span, label: "overflows".to_string() });
                            return self.invalid(span);
                        }
                        let id = self.push_expr(hir::ExprKind::Const(converted), target, span);
                        return self.check_representable(id);
                    }
                    // A float constant converted to a float type holds the
                    // value of that type (`float64(float32(0.01))` is the
                    // float32 nearest 0.01): Go rounds at the conversion.
                    let rounding = match types.under(target) {
                        TypeKind::Float32 => Some(Exact::to_f32 as fn(&Exact) -> f64),
                        TypeKind::Float64 => Some(Exact::to_f64 as fn(&Exact) -> f64),
                        _ => None,
                    };
                    if let (ConstValue::Float(f), Some(round)) = (&converted, rounding) {
                        let rounded = round(f);
                        if !rounded.is_finite() {
                            let message = format!("cannot convert {} to type {}", self.operand(value), self.type_name(target));
                            self.errors.push(SemaError::TypeMismatch { message, span, label: "overflows".to_string() });
                            return self.invalid(span);
                        }
                        if let Some(exact) = Exact::from_f64(rounded) {
                            return self.push_expr(hir::ExprKind::Const(ConstValue::Float(exact)), target, span);
                        }
                    }
                    return self.push_expr(hir::ExprKind::Const(converted), target, span);
                }
                None if !types.is_untyped(from) => {}
                // string -> []byte/[]rune and anything -> interface are
                // conversions of the default-typed value.
                None if types.is_interface(target)
                    || matches!(constant, ConstValue::Nil)
                    || (matches!(constant, ConstValue::String(_)) && matches!(types.under(target), TypeKind::Slice(_))) => {}
                None => {
                    let message = format!("cannot convert {} to type {}", self.operand(value), self.type_name(target));
                    self.errors.push(SemaError::TypeMismatch { message, span, label: "not convertible".to_string() });
                    return self.invalid(span);
                }
            }
        }
        let value = self.convert_default(value);
        let from = self.expr_ty(value);
        let types = &self.program.types;
        let same_pointer_base = match (types.under(from), types.under(target)) {
            (TypeKind::Pointer(a), TypeKind::Pointer(b)) => types.underlying(*a) == types.underlying(*b),
            _ => false,
        };
        if from != Types::UNTYPED_NIL
            && (types.underlying(from) == types.underlying(target) || same_pointer_base || self.chan_assignable(from, target))
            && !types.is_numeric(from)
        {
            let id = self.push_expr(hir::ExprKind::Convert(value), target, span);
            return id;
        }
        if from == Types::UNTYPED_NIL && types.is_nilable(target) {
            return self.push_expr(hir::ExprKind::Const(ConstValue::Nil), target, span);
        }
        let byte_or_rune_slice = |t: TypeId| match types.under(t) {
            TypeKind::Slice(elem) => matches!(types.under(*elem), TypeKind::Uint8 | TypeKind::Int32),
            _ => false,
        };
        let allowed = from == target
            || (types.is_string(from) && byte_or_rune_slice(target))
            || (byte_or_rune_slice(from) && types.is_string(target))
            || (types.is_real(from) && types.is_real(target))
            || (types.is_complex(from) && types.is_complex(target))
            || (types.is_integer(from) && types.is_string(target))
            || (types.is_string(from) && types.is_string(target))
            || (types.is_boolean(from) && types.is_boolean(target))
            || types.is_interface(target);
        if !allowed {
            let message = format!(
                "cannot convert {} to type {}", self.operand(value),
                self.type_name(target)
            );
            self.errors.push(SemaError::TypeMismatch { message, span, label: "not convertible".to_string() });
            return self.invalid(span);
        }
        if from == target {
            return value;
        }
        if self.program.types.is_interface(target) {
            return self.convert(value, target, "conversion");
        }
        self.push_expr(hir::ExprKind::Convert(value), target, span)
    }

    /// Gives an untyped value its default type.
    fn convert_default(&mut self, value: ExprId) -> ExprId {
        let ty = self.expr_ty(value);
        let default = self.program.types.default_type(ty);
        if default == ty { value } else { self.convert(value, default, "conversion") }
    }

    /// A stdlib function's signature in this program's type table; variadic
    /// parameters keep their element type.
    fn std_signature(&mut self, package: &str, func: &StdFunc) -> Signature {
        // Resolved in the function's package: user names (a variable called
        // `any`) must not change a library signature.
        let errors = self.errors.len();
        let (params, results) = self.in_package(package, |this| {
            let params = func.params.iter().map(|t| this.resolve_type(t)).collect();
            let results = func.results.iter().map(|t| this.resolve_type(t)).collect();
            (params, results)
        });
        self.errors.truncate(errors);
        Signature { params, results, variadic: func.variadic }
    }

    /// `f(g())` where `g` has several results: one argument per result.
    /// Several arguments must each be one value; a lone call may spread its
    /// results (`f(g())`). Reports and returns false otherwise.
    fn single_values(&mut self, args: &[ExprId]) -> bool {
        if args.len() < 2 {
            return true;
        }
        let mut ok = true;
        for &arg in args {
            if matches!(self.program.types.kind(self.expr_ty(arg)), TypeKind::Tuple(_)) {
                self.check_value_type(arg);
                ok = false;
            }
        }
        ok
    }

    pub(super) fn expand_multi_value(&mut self, args: Vec<ExprId>) -> Vec<ExprId> {
        if let [single] = args.as_slice() {
            if let TypeKind::Tuple(elems) = self.program.types.kind(self.expr_ty(*single)).clone() {
                if elems.len() > 1 {
                    let span = self.expr_span(*single);
                    return elems
                        .iter()
                        .enumerate()
                        .map(|(index, ty)| self.push_expr(hir::ExprKind::TupleField { tuple: *single, index: index as u32 }, *ty, span))
                        .collect();
                }
            }
        }
        args
    }

    fn check_args(&mut self, sig: &Signature, name: &str, args: &[ast::Expr], span: Span) -> Vec<ExprId> {
        let name = &self.callee_text(span, name);
        let checked: Vec<ExprId> = args.iter().map(|a| self.check_expr(a)).collect();
        self.single_values(&checked);
        let args = self.expand_multi_value(checked);
        let fixed = if sig.variadic { sig.params.len().saturating_sub(1) } else { sig.params.len() };
        let too_few = args.len() < fixed;
        let too_many = !sig.variadic && args.len() > fixed;
        if too_few || too_many {
            self.errors.push(SemaError::ArgumentCount {
                message: if too_few { "not enough" } else { "too many" },
                callee: format!("in call to {name}"),
                span,
                have: args.len(),
                want: if sig.variadic { format!("at least {fixed}") } else { fixed.to_string() },
            });
        }
        let mut out = Vec::new();
        for (index, &id) in args.iter().enumerate() {
            self.check_value_type(id);
            let param = if index < fixed { sig.params.get(index) } else if sig.variadic { sig.params.last() } else { None };
            match param {
                Some(&param_ty) => out.push(self.convert(id, param_ty, &format!("argument to {name}"))),
                None => out.push(id),
            }
        }
        out
    }

    fn check_unary(&mut self, op: ast::UnaryOp, operand: &ast::Expr, span: Span) -> ExprId {
        let value = self.check_expr(operand);
        let ty = self.expr_ty(value);
        if ty == Types::INVALID {
            return self.invalid(span);
        }
        let (hir_op, ok) = match op {
            ast::UnaryOp::Plus if self.program.types.is_numeric(ty) => return value,
            ast::UnaryOp::Plus => (hir::UnaryOp::Neg, false),
            ast::UnaryOp::Neg => (hir::UnaryOp::Neg, self.program.types.is_numeric(ty)),
            ast::UnaryOp::Not => (hir::UnaryOp::Not, self.program.types.is_boolean(ty)),
            ast::UnaryOp::BitNot => (hir::UnaryOp::BitNot, self.program.types.is_integer(ty)),
            _ => {
                self.unsupported("pointers and channels", span);
                return self.invalid(span);
            }
        };
        if !ok {
            let symbol = match op {
                ast::UnaryOp::Plus => "+",
                ast::UnaryOp::Neg => "-",
                ast::UnaryOp::Not => "!",
                _ => "^",
            };
            self.errors.push(SemaError::InvalidOperation {
                message: format!("operator {symbol} not defined on {}", self.operand(value)),
                span,
            });
            return self.invalid(span);
        }
        if let Some(constant) = self.const_of(value) {
            let folded = match (hir_op, constant) {
                (hir::UnaryOp::Neg, ConstValue::Int(v)) => Some(ConstValue::Int(-v)),
                // Exact constant arithmetic has no negative zero.
                (hir::UnaryOp::Neg, ConstValue::Float(v)) => Some(ConstValue::Float(v.neg())),
                (hir::UnaryOp::Neg, ConstValue::Complex(r, i)) => Some(ConstValue::Complex(r.neg(), i.neg())),
                (hir::UnaryOp::Not, ConstValue::Bool(v)) => Some(ConstValue::Bool(!v)),
                // For unsigned types ^x flips the type's bits only.
                (hir::UnaryOp::BitNot, ConstValue::Int(v)) => match self.program.types.int_info(ty) {
                    Some((bits, false)) if !self.program.types.is_untyped(ty) => Some(ConstValue::Int(v ^ ((1i128 << bits) - 1))),
                    _ => Some(ConstValue::Int(!v)),
                },
                _ => None,
            };
            if let Some(folded) = folded {
                return self.push_expr(hir::ExprKind::Const(folded), ty, span);
            }
        }
        self.push_expr(hir::ExprKind::Unary { op: hir_op, operand: value }, ty, span)
    }

    /// The source expression of `id` as Go quotes it (`f()`, `T{…}`).
    fn snippet_of(&self, id: ExprId) -> String {
        let span = self.expr_span(id);
        if let Some(expr) = self.file.and_then(|file| g2n_syntax::print::find_expr(file, span)) {
            return g2n_syntax::print::expr_string(expr);
        }
        match self.program.exprs.get(id.index()).map(|e| &e.kind) {
            Some(hir::ExprKind::Local(local)) => self.program.local(*local).name.clone(),
            Some(hir::ExprKind::Const(value)) => const_string(value),
            _ => "expression".to_string(),
        }
    }

    /// An operand as Go's types2 describes it: `x (variable of type int)`,
    /// `1 + 2 (untyped int constant 3)`, `a (constant 1 of type int)`, `nil`.
    fn operand(&self, id: ExprId) -> String {
        let ty = self.expr_ty(id);
        let kind = self.program.exprs.get(id.index()).map(|e| &e.kind);
        if ty == Types::UNTYPED_NIL {
            return "nil".to_string();
        }
        let text = self.snippet_of(id);
        let untyped = self.program.types.is_untyped(ty);
        let mut out = format!("{text} (");
        if untyped {
            out.push_str(&self.type_name(ty));
            out.push(' ');
        }
        match kind {
            Some(hir::ExprKind::Const(value)) => {
                out.push_str("constant");
                let shown = const_string(value);
                if shown != text {
                    out.push(' ');
                    out.push_str(&shown);
                }
            }
            Some(hir::ExprKind::Local(_) | hir::ExprKind::Load(_)) => out.push_str("variable"),
            Some(hir::ExprKind::MapIndex { .. }) => out.push_str("map index expression"),
            _ if ty == Types::VOID => {
                return format!("{text} (no value)");
            }
            _ => out.push_str("value"),
        }
        if !untyped {
            out.push_str(" of type ");
            // A function literal's type keeps its parameter names in Go's
            // messages: the literal as printed, without its body.
            let literal_type = match kind {
                Some(hir::ExprKind::Closure(_)) if text.starts_with("func(") => {
                    text.strip_suffix(" {}").or_else(|| text.strip_suffix(" {…}")).map(str::to_string)
                }
                _ => None,
            };
            out.push_str(&literal_type.unwrap_or_else(|| self.expr_type_name(id)));
        }
        out.push(')');
        out
    }

    fn check_binary(&mut self, op: ast::BinaryOp, lhs: &ast::Expr, rhs: &ast::Expr, span: Span) -> ExprId {
        let assign_op = self.assign_op.take();
        let left = self.check_expr(lhs);
        let right = self.check_expr(rhs);
        let (lt, rt) = (self.expr_ty(left), self.expr_ty(right));
        if lt == Types::INVALID || rt == Types::INVALID {
            return self.invalid(span);
        }
        for operand in [left, right] {
            if matches!(self.program.types.kind(self.expr_ty(operand)), TypeKind::Tuple(_)) {
                self.check_value_type(operand);
                return self.invalid(span);
            }
        }
        let hir_op = lower_binary_op(op);
        if matches!(op, ast::BinaryOp::Shl | ast::BinaryOp::Shr) {
            return self.check_shift(hir_op, left, right, span);
        }
        // How Go quotes the operation: `a + b`, `x += 1`, `b--`.
        let e_text = match &assign_op {
            Some((text, _)) => text.clone(),
            None => format!("{} {} {}", self.snippet_hint(lhs), op.as_str(), self.snippet_hint(rhs)),
        };
        if let Some((text, true)) = &assign_op {
            if !self.program.types.is_numeric(lt) {
                self.errors.push(SemaError::InvalidOperation {
                    message: format!("{text} (non-numeric type {})", self.type_name(lt)),
                    span,
                });
                return self.invalid(span);
            }
        }
        let is_comparison_op = matches!(
            op,
            ast::BinaryOp::Eq | ast::BinaryOp::Ne | ast::BinaryOp::Lt | ast::BinaryOp::Le | ast::BinaryOp::Gt | ast::BinaryOp::Ge
        );
        {
            // Two typed operands of different types: Go's "mismatched types"
            // (a comparison with an interface the other implements is fine).
            let types = &self.program.types;
            if !types.is_untyped(lt) && !types.is_untyped(rt) && lt != rt {
                let interface_side = is_comparison_op && (types.is_interface(lt) || types.is_interface(rt));
                let same_underlying_unnamed = types.underlying(lt) == types.underlying(rt) && (!types.is_named(lt) || !types.is_named(rt)) && is_comparison_op;
                if !interface_side && !same_underlying_unnamed {
                    self.errors.push(SemaError::InvalidOperation {
                        message: format!("{e_text} (mismatched types {} and {})", self.expr_type_name(left), self.expr_type_name(right)),
                        span,
                    });
                    return self.invalid(span);
                }
            }
            if lt == Types::UNTYPED_NIL && rt == Types::UNTYPED_NIL && is_comparison_op {
                self.errors.push(SemaError::InvalidOperation {
                    message: format!("{e_text} (operator {} not defined on untyped nil)", op.as_str()),
                    span,
                });
                return self.invalid(span);
            }
        }
        // Operands must have identical types after untyped conversion.
        let types = &self.program.types;
        let operand_ty = match (types.is_untyped(lt), types.is_untyped(rt)) {
            (false, false) if types.is_interface(rt) && !types.is_interface(lt) => rt,
            (true, true) => {
                // Both untyped: the "larger" kind wins (int < rune < float < complex).
                let rank = |t: TypeId| match t {
                    Types::UNTYPED_INT => 1,
                    Types::UNTYPED_RUNE => 2,
                    Types::UNTYPED_FLOAT => 3,
                    Types::UNTYPED_COMPLEX => 4,
                    _ => 0,
                };
                if rank(lt) > 0 && rank(rt) > 0 {
                    if rank(lt) >= rank(rt) { lt } else { rt }
                } else {
                    lt
                }
            }
            (true, false) => rt,
            (false, _) => lt,
        };
        // An untyped operand of another kind than the typed one is Go's
        // "mismatched types", reported on the whole operation.
        let types = &self.program.types;
        let kind_fits = |from: TypeId, to: TypeId| {
            !types.is_untyped(from)
                || (types.is_numeric(from) && types.is_numeric(to))
                || (types.is_string(from) && types.is_string(to))
                || (types.is_boolean(from) && types.is_boolean(to))
                || (from == Types::UNTYPED_NIL && (types.is_interface(to) || types.is_nilable(to)))
                // An untyped constant compared with an interface is boxed
                // with its default type.
                || (types.is_interface(to) && from != Types::UNTYPED_NIL)
        };
        if !kind_fits(lt, operand_ty) || !kind_fits(rt, operand_ty) {
            // Go 1.19 tries to convert an untyped constant operand to the
            // other operand's type unless their kinds (boolean, string, nil)
            // differ, and then reports the failed conversion (types2
            // matchTypes).
            let (untyped, typed) = if types.is_untyped(lt) { (left, rt) } else { (right, lt) };
            let untyped_ty = self.expr_ty(untyped);
            let may_convert = !types.is_untyped(typed)
                && types.is_boolean(untyped_ty) == types.is_boolean(typed)
                && types.is_string(untyped_ty) == types.is_string(typed)
                && untyped_ty != Types::UNTYPED_NIL;
            if may_convert && self.const_of(untyped).is_some() {
                let message = format!("cannot convert {} to {}", self.operand(untyped), self.type_name(types.underlying(typed)));
                self.errors.push(SemaError::TypeMismatch { message, span: self.expr_span(untyped), label: "not convertible".to_string() });
                return self.invalid(span);
            }
            self.errors.push(SemaError::InvalidOperation {
                message: format!("{e_text} (mismatched types {} and {})", self.expr_type_name(left), self.expr_type_name(right)),
                span,
            });
            return self.invalid(span);
        }
        let left = self.convert(left, operand_ty, "operation");
        let right = self.convert(right, operand_ty, "operation");
        let (lt, rt) = (self.expr_ty(left), self.expr_ty(right));
        if lt == Types::INVALID || rt == Types::INVALID {
            return self.invalid(span);
        }
        let types = &self.program.types;
        let same = lt == rt || (types.is_untyped(lt) && types.is_untyped(rt) && self.compatible_untyped(lt, rt));
        if !same {
            self.errors.push(SemaError::InvalidOperation {
                message: format!("{e_text} (mismatched types {} and {})", self.expr_type_name(left), self.expr_type_name(right)),
                span,
            });
            return self.invalid(span);
        }
        let is_comparison = matches!(
            hir_op,
            hir::BinaryOp::Eq | hir::BinaryOp::Ne | hir::BinaryOp::Lt | hir::BinaryOp::Le | hir::BinaryOp::Gt | hir::BinaryOp::Ge
        );
        let types = &self.program.types;
        let allowed = match hir_op {
            hir::BinaryOp::Add => types.is_numeric(lt) || types.is_string(lt),
            hir::BinaryOp::Sub | hir::BinaryOp::Mul | hir::BinaryOp::Div => types.is_numeric(lt),
            hir::BinaryOp::Rem
            | hir::BinaryOp::And
            | hir::BinaryOp::Or
            | hir::BinaryOp::Xor
            | hir::BinaryOp::AndNot
            | hir::BinaryOp::Shl
            | hir::BinaryOp::Shr => types.is_integer(lt),
            hir::BinaryOp::LogAnd | hir::BinaryOp::LogOr => types.is_boolean(lt),
            hir::BinaryOp::Eq | hir::BinaryOp::Ne => match types.under(lt) {
                TypeKind::Tuple(_) => false,
                // Functions, maps and slices compare with nil only.
                TypeKind::Func(_) | TypeKind::Map(..) | TypeKind::Slice(_) => {
                    matches!(self.const_of(left), Some(ConstValue::Nil)) || matches!(self.const_of(right), Some(ConstValue::Nil))
                }
                TypeKind::Struct(_) | TypeKind::Array(..) => {
                    if let Some(cause) = self.incomparable(lt) {
                        self.errors.push(SemaError::InvalidOperation { message: format!("{e_text} ({cause})"), span });
                        return self.invalid(span);
                    }
                    true
                }
                _ => true,
            },
            // Complex numbers are not ordered.
            hir::BinaryOp::Lt | hir::BinaryOp::Le | hir::BinaryOp::Gt | hir::BinaryOp::Ge => {
                types.is_real(lt) || types.is_string(lt)
            }
        };
        if !allowed && is_comparison {
            // Go names the kind of type that cannot be compared or ordered.
            let kind = match types.under(lt) {
                TypeKind::Slice(_) => "slice".to_string(),
                TypeKind::Map(..) => "map".to_string(),
                TypeKind::Func(_) => "func".to_string(),
                TypeKind::Pointer(_) => "pointer".to_string(),
                TypeKind::Struct(_) => "struct".to_string(),
                TypeKind::Array(..) => "array".to_string(),
                _ => self.type_name(lt),
            };
            let cause = if matches!(hir_op, hir::BinaryOp::Eq | hir::BinaryOp::Ne) && matches!(kind.as_str(), "slice" | "map" | "func") {
                format!("{kind} can only be compared to nil")
            } else {
                format!("operator {} not defined on {kind}", op.as_str())
            };
            self.errors.push(SemaError::InvalidOperation { message: format!("{e_text} ({cause})"), span });
            return self.invalid(span);
        }
        if !allowed {
            self.errors.push(SemaError::InvalidOperation {
                message: format!("operator {} not defined on {}", op.as_str(), self.operand(left)),
                span,
            });
            return self.invalid(span);
        }
        if matches!(hir_op, hir::BinaryOp::Div | hir::BinaryOp::Rem) {
            // Go rejects a constant zero divisor of an integer or a
            // constant dividend.
            let zero = matches!(self.const_of(right), Some(ConstValue::Int(0)))
                || matches!(self.const_of(right), Some(ConstValue::Float(f)) if f.is_zero())
                || matches!(self.const_of(right), Some(ConstValue::Complex(r, i)) if r.is_zero() && i.is_zero());
            if zero && (self.program.types.is_integer(lt) || self.const_of(left).is_some()) {
                self.errors.push(SemaError::InvalidOperation { message: "division by zero".to_string(), span });
                return self.invalid(span);
            }
        }
        let result_ty = if is_comparison {
            if self.program.types.is_untyped(lt) { Types::UNTYPED_BOOL } else { Types::BOOL }
        } else {
            lt
        };
        if let (Some(a), Some(b)) = (self.const_of(left), self.const_of(right)) {
            if let Some(folded) = fold_binary(hir_op, &a, &b, self.program.types.is_integer(lt)) {
                let id = self.push_expr(hir::ExprKind::Const(folded), result_ty, span);
                return self.check_representable(id);
            }
        }
        self.push_expr(hir::ExprKind::Binary { op: hir_op, lhs: left, rhs: right }, result_ty, span)
    }

    /// Gives a non-constant untyped expression the type its context wants,
    /// down to the untyped constants inside it: `1 << s` in a `uint32`
    /// operation shifts a `uint32` one (Go spec, shifts).
    fn retype_untyped(&mut self, id: ExprId, target: TypeId) -> ExprId {
        let kind = self.program.expr(id).kind.clone();
        let span = self.expr_span(id);
        match kind {
            hir::ExprKind::Binary { op, lhs, rhs } => {
                let is_shift = matches!(op, hir::BinaryOp::Shl | hir::BinaryOp::Shr);
                let is_comparison = matches!(
                    op,
                    hir::BinaryOp::Eq | hir::BinaryOp::Ne | hir::BinaryOp::Lt | hir::BinaryOp::Le | hir::BinaryOp::Gt | hir::BinaryOp::Ge
                );
                if is_shift && !self.program.types.is_integer(target) {
                    self.errors.push(SemaError::InvalidOperation {
                        message: format!("shifted operand {} (type {}) must be integer", self.snippet_of(lhs), self.type_name(target)),
                        span,
                    });
                    return self.invalid(span);
                }
                if !is_comparison {
                    let new_lhs = self.convert(lhs, target, "shift");
                    let new_rhs = if is_shift { rhs } else { self.convert(rhs, target, "operation") };
                    if let Some(expr) = self.program.exprs.get_mut(id.index()) {
                        expr.kind = hir::ExprKind::Binary { op, lhs: new_lhs, rhs: new_rhs };
                    }
                }
            }
            hir::ExprKind::Unary { op, operand } => {
                let new_operand = self.convert(operand, target, "operation");
                if let Some(expr) = self.program.exprs.get_mut(id.index()) {
                    expr.kind = hir::ExprKind::Unary { op, operand: new_operand };
                }
            }
            _ => {}
        }
        if let Some(expr) = self.program.exprs.get_mut(id.index()) {
            expr.ty = target;
        }
        id
    }

    /// See [Go spec: Operators](https://go.dev/ref/spec#Operators) on shifts:
    /// the count is any integer, the result has the left operand's type.
    fn check_shift(&mut self, op: hir::BinaryOp, left: ExprId, right: ExprId, span: Span) -> ExprId {
        let (lt, rt) = (self.expr_ty(left), self.expr_ty(right));
        // The order of Go's checks (types2 expr.go `shift`): the shifted
        // operand, a negative constant count, a constant count representable
        // as uint, then a non-constant count's type.
        let left_const = self.const_of(left);
        let left_ok = self.program.types.is_integer(lt)
            || match &left_const {
                Some(ConstValue::Int(_)) => self.program.types.is_untyped(lt),
                Some(ConstValue::Float(f)) => self.program.types.is_untyped(lt) && f.is_integer(),
                _ => false,
            };
        if !left_ok {
            self.errors.push(SemaError::InvalidOperation {
                message: format!("shifted operand {} must be integer", self.operand(left)),
                span,
            });
            return self.invalid(span);
        }
        let count_const = self.const_of(right);
        if let Some(ConstValue::Int(v)) = count_const {
            if v < 0 {
                self.errors.push(SemaError::InvalidOperation {
                    message: format!("negative shift count {}", self.operand(right)),
                    span,
                });
                return self.invalid(span);
            }
        }
        if let Some(ConstValue::Float(f)) = &count_const {
            if f.is_integer() && f.signum() < 0 {
                self.errors.push(SemaError::InvalidOperation {
                    message: format!("negative shift count {}", self.operand(right)),
                    span,
                });
                return self.invalid(span);
            }
        }
        let count_ok = match &count_const {
            Some(ConstValue::Int(_)) => true,
            Some(ConstValue::Float(f)) => f.is_integer(),
            _ => self.program.types.is_integer(rt),
        };
        if !count_ok {
            if self.program.types.is_untyped(rt) {
                // Go converts an untyped count to uint.
                let message = match count_const {
                    Some(ConstValue::Float(_)) => format!("{} truncated to uint", self.operand(right)),
                    _ => format!("cannot convert {} to uint", self.operand(right)),
                };
                self.errors.push(SemaError::TypeMismatch { message, span: self.expr_span(right), label: "not a shift count".to_string() });
            } else {
                self.errors.push(SemaError::InvalidOperation {
                    message: format!("shift count {} must be integer", self.operand(right)),
                    span,
                });
            }
            return self.invalid(span);
        }
        let count_value = match count_const {
            Some(ConstValue::Int(v)) => Some(v),
            Some(ConstValue::Float(f)) => Some(f.to_i128().unwrap_or(i128::MAX)),
            _ => None,
        };
        // Go bounds constant shifts so that the smallest float64 stays
        // expressible.
        if let (Some(count), Some(_)) = (count_value, &left_const) {
            if count > 1023 - 1 + 52 {
                self.errors.push(SemaError::InvalidOperation {
                    message: format!("invalid shift count {}", self.operand(right)),
                    span,
                });
                return self.invalid(span);
            }
        }
        if let (Some(ConstValue::Int(value)), Some(count)) = (&left_const, count_value) {
            let folded = if op == hir::BinaryOp::Shl {
                if count >= 127 || value.checked_shl(count as u32).is_none_or(|r| r >> count as u32 != *value) {
                    if *value == 0 { Some(0) } else { None }
                } else {
                    Some(value << count as u32)
                }
            } else {
                Some(if count >= 127 { if *value < 0 { -1 } else { 0 } } else { value >> count as u32 })
            };
            let Some(folded) = folded else {
                self.errors.push(SemaError::ConstantOverflow { message: "constant shift overflow".to_string(), span });
                return self.invalid(span);
            };
            let id = self.push_expr(hir::ExprKind::Const(ConstValue::Int(folded)), lt, span);
            return self.check_representable(id);
        }
        // A non-constant shift of an untyped constant stays untyped: it takes
        // the type its context gives it (see `retype_untyped`).
        if self.program.types.is_untyped(lt) && left_const.is_some() {
            let representable_int = match &left_const {
                Some(ConstValue::Int(_)) => true,
                Some(ConstValue::Float(f)) => f.to_i128().is_some(),
                _ => false,
            };
            if representable_int {
                let left = match left_const {
                    Some(ConstValue::Float(f)) => {
                        let v = f.to_i128().unwrap_or_default();
                        self.push_expr(hir::ExprKind::Const(ConstValue::Int(v)), Types::UNTYPED_INT, self.expr_span(left))
                    }
                    _ => left,
                };
                let right = self.convert(right, self.program.types.default_type(rt), "shift");
                let ty = if lt == Types::UNTYPED_RUNE { lt } else { Types::UNTYPED_INT };
                return self.push_expr(hir::ExprKind::Binary { op, lhs: left, rhs: right }, ty, span);
            }
        }
        let left_ty = self.program.types.default_type(lt);
        if !self.program.types.is_integer(left_ty) {
            self.errors.push(SemaError::InvalidOperation {
                message: format!("shifted operand {} must be integer", self.operand(left)),
                span,
            });
            return self.invalid(span);
        }
        let left = self.convert(left, left_ty, "shift");
        let right = self.convert(right, self.program.types.default_type(rt), "shift");
        self.push_expr(hir::ExprKind::Binary { op, lhs: left, rhs: right }, left_ty, span)
    }

    /// Why values of `ty` cannot be compared with `==`, in Go's words
    /// (types2 predicates.go `comparable`); `None` when they can.
    pub(super) fn incomparable(&self, ty: TypeId) -> Option<String> {
        let types = &self.program.types;
        match types.under(ty) {
            TypeKind::Slice(_) | TypeKind::Map(..) | TypeKind::Func(_) | TypeKind::Tuple(_) => {
                Some(format!("{} cannot be compared", self.type_name(ty)))
            }
            TypeKind::Struct(fields) => fields
                .iter()
                .find(|f| self.incomparable(f.ty).is_some())
                .map(|f| format!("struct containing {} cannot be compared", self.type_name(f.ty))),
            TypeKind::Array(_, elem) => self.incomparable(*elem).map(|_| format!("{} cannot be compared", self.type_name(ty))),
            _ => None,
        }
    }

    fn compatible_untyped(&self, a: TypeId, b: TypeId) -> bool {
        let types = &self.program.types;
        (types.is_numeric(a) && types.is_numeric(b)) || (types.is_string(a) && types.is_string(b)) || (types.is_boolean(a) && types.is_boolean(b))
    }

    /// A typed constant must fit its type; reports and invalidates otherwise.
    /// Go words a typed constant operation that overflows `X overflows T`.
    fn check_representable(&mut self, id: ExprId) -> ExprId {
        self.representable_as(id, None)
    }

    /// Whether Go checks `context` as an assignment (`cannot use X as T
    /// value in CONTEXT`) rather than as an implicit conversion of an
    /// untyped operand (`cannot convert X to T`, `X truncated to T`).
    fn assignment_context(context: &str) -> bool {
        !matches!(context, "operation" | "index" | "shift" | "switch case" | "slice")
    }

    /// Reports an untyped constant `origin` that does not fit `target`:
    /// `kind` is "overflows" or "truncated".
    fn unrepresentable(&mut self, origin: ExprId, target: TypeId, context: &str, kind: &str) {
        let span = self.expr_span(origin);
        let name = self.type_name(target);
        let message = if Self::assignment_context(context) {
            format!("cannot use {} as {name} value in {context} ({kind})", self.operand(origin))
        } else if kind == "truncated" {
            format!("{} truncated to {name}", self.operand(origin))
        } else {
            format!("{} overflows {name}", self.operand(origin))
        };
        self.errors.push(SemaError::ConstantOverflow { message, span });
    }

    /// `check_representable` of the conversion of the untyped `origin` in `context`.
    fn representable_as(&mut self, id: ExprId, origin: Option<(ExprId, &str)>) -> ExprId {
        let ty = self.expr_ty(id);
        if let (Some(ConstValue::Int(v)), Some((bits, signed))) = (self.const_of(id), self.program.types.int_info(ty)) {
            let fits = if signed {
                let min = -(1i128 << (bits - 1));
                v >= min && v < -min
            } else {
                v >= 0 && v < (1i128 << bits)
            };
            if !fits {
                let span = self.expr_span(id);
                match origin {
                    // An untyped float or complex origin is "truncated", as in
                    // types2's `representation`, even when it is integral.
                    Some((origin, context)) => {
                        let origin_ty = self.expr_ty(origin);
                        let kind = if matches!(origin_ty, Types::UNTYPED_FLOAT | Types::UNTYPED_COMPLEX) { "truncated" } else { "overflows" };
                        self.unrepresentable(origin, ty, context, kind)
                    }
                    None => {
                        let message = format!("{} overflows {}", self.operand(id), self.type_name(ty));
                        self.errors.push(SemaError::ConstantOverflow { message, span });
                    }
                }
                return self.invalid(span);
            }
        }
        if let (Some(ConstValue::Float(f)), Some((origin, context))) = (self.const_of(id), origin) {
            // Rounded to its type, a value beyond the type's range is infinite.
            let rounded = if self.program.types.underlying(ty) == Types::FLOAT32 { f.to_f32() } else { f.to_f64() };
            if !rounded.is_finite() && !self.program.types.is_untyped(ty) {
                let span = self.expr_span(id);
                self.unrepresentable(origin, ty, context, "overflows");
                return self.invalid(span);
            }
        }
        // A typed complex constant holds its parts rounded to the component
        // type; a part beyond its range overflows.
        if let Some(ConstValue::Complex(r, i)) = self.const_of(id) {
            let round = match self.program.types.under(ty) {
                TypeKind::Complex64 => Some(Exact::to_f32 as fn(&Exact) -> f64),
                TypeKind::Complex128 => Some(Exact::to_f64 as fn(&Exact) -> f64),
                _ => None,
            };
            if let Some(round) = round {
                let (rr, ri) = (round(&r), round(&i));
                if !rr.is_finite() || !ri.is_finite() {
                    let span = self.expr_span(id);
                    match origin {
                        Some((origin, context)) => self.unrepresentable(origin, ty, context, "overflows"),
                        None => {
                            let message = format!("constant {} overflows {}", const_string(&ConstValue::Complex(r, i)), self.type_name(ty));
                            self.errors.push(SemaError::ConstantOverflow { message, span });
                        }
                    }
                    return self.invalid(span);
                }
                if let (Some(er), Some(ei)) = (Exact::from_f64(rr), Exact::from_f64(ri)) {
                    if let Some(expr) = self.program.exprs.get_mut(id.index()) {
                        expr.kind = hir::ExprKind::Const(ConstValue::Complex(er, ei));
                    }
                }
            }
        }
        // A typed floating-point constant holds the value of its type: Go
        // rounds once, when the exact value gets the type.
        if let Some(ConstValue::Float(f)) = self.const_of(id) {
            let float_type = match self.program.types.under(ty) {
                TypeKind::Float32 => Some(f.to_f32()),
                TypeKind::Float64 => Some(f.to_f64()),
                _ => None,
            };
            if let Some(rounded) = float_type {
                if !rounded.is_finite() {
                    let span = self.expr_span(id);
                    let message = format!("constant {} overflows {}", const_string(&ConstValue::Float(f)), self.type_name(ty));
                    self.errors.push(SemaError::ConstantOverflow { message, span });
                    return self.invalid(span);
                }
                if let Some(exact) = Exact::from_f64(rounded) {
                    if exact != f {
                        if let Some(expr) = self.program.exprs.get_mut(id.index()) {
                            expr.kind = hir::ExprKind::Const(ConstValue::Float(exact));
                        }
                    }
                }
            }
        }
        id
    }

    /// Converts `id` to `target` where Go's assignability allows it
    /// ([Go spec: Assignability](https://go.dev/ref/spec#Assignability)),
    /// reporting otherwise.
    fn convert(&mut self, id: ExprId, target: TypeId, context: &str) -> ExprId {
        let ty = self.expr_ty(id);
        if ty == target || ty == Types::INVALID || target == Types::INVALID {
            return id;
        }
        let span = self.expr_span(id);
        let types = &self.program.types;
        if types.is_interface(target) {
            if let Some(converted) = self.convert_to_interface(id, target, context) {
                return converted;
            }
        }
        let types = &self.program.types;
        if ty == Types::UNTYPED_NIL && types.is_nilable(target) {
            return self.push_expr(hir::ExprKind::Const(ConstValue::Nil), target, span);
        }
        // Between untyped numeric kinds (int -> rune -> float), as constant
        // expressions mixing them need.
        if types.is_untyped(ty) && types.is_untyped(target) && types.is_numeric(ty) && types.is_numeric(target) {
            let value = match (self.const_of(id), target) {
                (Some(ConstValue::Int(v)), Types::UNTYPED_FLOAT) => Some(ConstValue::Float(Exact::from_i128(v))),
                (Some(value), Types::UNTYPED_COMPLEX) => complex_parts(&value).map(|(r, i)| ConstValue::Complex(r, i)),
                (Some(value), _) => Some(value),
                (None, _) => None,
            };
            return match value {
                Some(value) => self.push_expr(hir::ExprKind::Const(value), target, span),
                None => {
                    if let Some(expr) = self.program.exprs.get_mut(id.index()) {
                        expr.ty = target;
                    }
                    id
                }
            };
        }
        if self.chan_assignable(ty, target) {
            if let Some(expr) = self.program.exprs.get_mut(id.index()) {
                expr.ty = target;
            }
            return id;
        }
        let types = &self.program.types;
        // Identical underlying types, at most one of them defined: assignable
        // as is, and represented alike.
        // In Go's own assignments, predeclared types are named too
        // (`var f float64 = celsius` is an error); g2n's internal
        // conversions stay lenient.
        let strict = matches!(context, "variable declaration" | "assignment" | "return statement" | "struct literal" | "map literal" | "array or slice literal")
            || context.starts_with("argument to ");
        let defined = |t: TypeId| {
            types.is_named(t) || (strict && types.underlying(t) == t && (types.is_numeric(t) || types.is_string(t) || types.is_boolean(t)))
        };
        if !types.is_untyped(ty) && types.underlying(ty) == types.underlying(target) && (!defined(ty) || !defined(target)) {
            if let Some(expr) = self.program.exprs.get_mut(id.index()) {
                expr.ty = target;
            }
            return id;
        }
        if types.is_untyped(ty) {
            if let Some(value) = self.const_of(id) {
                let target_int = types.int_info(target).is_some();
                let target_float = matches!(types.under(target), TypeKind::Float64 | TypeKind::Float32);
                let target_complex = matches!(types.under(target), TypeKind::Complex64 | TypeKind::Complex128);
                // A complex constant with a zero imaginary part is a real one.
                let value = match value {
                    ConstValue::Complex(r, i) if i.is_zero() && (target_int || target_float) => ConstValue::Float(r),
                    // types2 calls a non-integer constant that cannot be an
                    // integer truncated, and one that cannot be a float too big.
                    ConstValue::Complex(..) if target_int || target_float => {
                        self.unrepresentable(id, target, context, if target_int { "truncated" } else { "overflows" });
                        return self.invalid(span);
                    }
                    value => value,
                };
                let converted = match value {
                    ref v if target_complex => complex_parts(v).map(|(r, i)| ConstValue::Complex(r, i)),
                    ConstValue::Int(v) if target_int => Some(ConstValue::Int(v)),
                    ConstValue::Float(f) if target_int && f.to_i128().is_some() => f.to_i128().map(ConstValue::Int),
                    ConstValue::Int(v) if target_float => Some(ConstValue::Float(Exact::from_i128(v))),
                    ConstValue::Float(f) if target_float => Some(ConstValue::Float(f)),
                    ConstValue::String(s) if matches!(types.under(target), TypeKind::String) => Some(ConstValue::String(s)),
                    ConstValue::Bool(b) if matches!(types.under(target), TypeKind::Bool) => Some(ConstValue::Bool(b)),
                    _ => None,
                };
                if let Some(converted) = converted {
                    let new_id = self.push_expr(hir::ExprKind::Const(converted), target, span);
                    return self.representable_as(new_id, Some((id, context)));
                }
                // types2 calls any untyped float or complex constant that
                // is no value of an integer type truncated.
                if target_int && matches!(self.const_of(id), Some(ConstValue::Float(_) | ConstValue::Complex(..))) {
                    self.unrepresentable(id, target, context, "truncated");
                    return self.invalid(span);
                }
            } else {
                // A non-constant untyped value (a comparison, or a shift of an
                // untyped constant) takes the target type.
                let compatible = (types.is_boolean(ty) && types.is_boolean(target))
                    || (types.is_numeric(ty) && types.is_numeric(target));
                if compatible {
                    return self.retype_untyped(id, target);
                }
            }
        }
        // Go 1.19's compiler words a failed assignment of a typed value as
        // `as type T`, and an untyped constant or nil that cannot take the
        // type as `as T value`.
        let message = if types.is_untyped(ty) && !Self::assignment_context(context) {
            // An implicit conversion names the target's underlying type.
            format!("cannot convert {} to {}", self.operand(id), self.type_name(types.underlying(target)))
        } else if types.is_untyped(ty) {
            format!("cannot use {} as {} value in {}", self.operand(id), self.type_name(target), context)
        } else if types.is_interface(ty) && !types.is_interface(target) && self.missing_method(target, ty).is_none() {
            // The value could hold one: Go says what is missing.
            format!("cannot use {} as type {} in {}:\n\tneed type assertion", self.operand(id), self.type_name(target), context)
        } else {
            format!("cannot use {} as type {} in {}", self.operand(id), self.type_name(target), context)
        };
        self.errors.push(SemaError::TypeMismatch {
            message,
            span,
            label: format!("expected {}", self.type_name(target)),
        });
        self.invalid(span)
    }
}

/// The name a package gets when imported without one.
fn default_name_of(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_string()
}

/// A constant's value as Go's `constant.Value.String` prints it.
fn const_string(value: &ConstValue) -> String {
    match value {
        ConstValue::Bool(b) => b.to_string(),
        ConstValue::Int(v) => v.to_string(),
        ConstValue::Float(f) => {
            let rounded = f.to_f64();
            if (rounded.is_finite() && rounded != 0.0) || f.is_zero() {
                go_float(rounded)
            } else {
                // Beyond float64: six significant digits of the exact value.
                let (negative, digits, exp) = f.decimal_digits(6);
                let mantissa = if digits.len() > 1 { format!("{}.{}", &digits[..1], &digits[1..]) } else { digits };
                let mantissa = if mantissa.contains('.') { mantissa.trim_end_matches('0').trim_end_matches('.').to_string() } else { mantissa };
                format!("{}{mantissa}e{}{:02}", if negative { "-" } else { "" }, if exp < 0 { '-' } else { '+' }, exp.abs())
            }
        }
        ConstValue::Complex(r, i) => {
            format!("({} + {}i)", const_string(&ConstValue::Float(r.clone())), const_string(&ConstValue::Float(i.clone())))
        }
        ConstValue::String(s) => g2n_syntax::print::quote(s),
        ConstValue::Nil => "nil".to_string(),
    }
}

/// `%.6g` of Go's fmt: `2.5`, `1e+39`, `100000`, `1e+06`.
fn go_float(f: f64) -> String {
    if f == 0.0 {
        return "0".to_string();
    }
    if !f.is_finite() {
        return if f.is_nan() { "NaN".into() } else if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    let sci = format!("{:.5e}", f);
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let trim = |m: &str| -> String {
        if m.contains('.') { m.trim_end_matches('0').trim_end_matches('.').to_string() } else { m.to_string() }
    };
    if !(-4..6).contains(&exp) {
        format!("{}e{}{:02}", trim(mantissa), if exp < 0 { '-' } else { '+' }, exp.abs())
    } else {
        let decimals = (5 - exp).max(0) as usize;
        trim(&format!("{:.*}", decimals, f))
    }
}

/// An index expression's operand read as a type (`int`, `[]T`, `pkg.T`).
pub(crate) fn expr_as_type(expr: &ast::Expr) -> Option<ast::TypeExpr> {
    match &expr.kind {
        ast::ExprKind::Type(ty) => Some((**ty).clone()),
        ast::ExprKind::Ident(ident) => {
            Some(ast::TypeExpr { kind: ast::TypeExprKind::Name { pkg: None, name: ident.clone(), type_args: Vec::new() }, span: expr.span })
        }
        ast::ExprKind::Paren(inner) => expr_as_type(inner),
        ast::ExprKind::Index { base, indices } => {
            let ast::ExprKind::Ident(name) = &base.kind else { return None };
            let type_args = indices.iter().map(expr_as_type).collect::<Option<Vec<_>>>()?;
            Some(ast::TypeExpr { kind: ast::TypeExprKind::Name { pkg: None, name: name.clone(), type_args }, span: expr.span })
        }
        _ => None,
    }
}

/// See [Go spec: Terminating statements](https://go.dev/ref/spec#Terminating_statements).
fn is_terminating_list(stmts: &[ast::Stmt]) -> bool {
    stmts.iter().rev().find(|s| !matches!(s.kind, ast::StmtKind::Empty)).is_some_and(is_terminating)
}

fn is_terminating(stmt: &ast::Stmt) -> bool {
    match &stmt.kind {
        ast::StmtKind::Return(_) | ast::StmtKind::Goto(_) => true,
        ast::StmtKind::Expr(ast::Expr { kind: ast::ExprKind::Call { func, .. }, .. }) => {
            matches!(&func.kind, ast::ExprKind::Ident(id) if id.name == "panic")
                || matches!(&func.kind, ast::ExprKind::Selector { base, sel }
                    if sel.name == "Exit" && matches!(&base.kind, ast::ExprKind::Ident(p) if p.name == "os"))
        }
        ast::StmtKind::Block(block) => is_terminating_list(&block.stmts),
        ast::StmtKind::If { then, els: Some(els), .. } => is_terminating_list(&then.stmts) && is_terminating(els),
        ast::StmtKind::For { cond: None, body, .. } => !has_break(&body.stmts),
        ast::StmtKind::Labeled { stmt, .. } => is_terminating(stmt),
        ast::StmtKind::Switch { clauses, .. } => {
            clauses.iter().any(|c| c.is_default)
                && clauses.iter().all(|c| {
                    !has_break(&c.body)
                        && (is_terminating_list(&c.body) || c.body.last().is_some_and(|s| matches!(s.kind, ast::StmtKind::Fallthrough)))
                })
        }
        ast::StmtKind::Select { clauses } => clauses.iter().all(|c| !has_break(&c.body) && is_terminating_list(&c.body)),
        ast::StmtKind::TypeSwitch { clauses, .. } => {
            clauses.iter().any(|c| c.is_default) && clauses.iter().all(|c| !has_break(&c.body) && is_terminating_list(&c.body))
        }
        _ => false,
    }
}

/// An unlabeled `break` that would leave the enclosing statement (not one
/// nested in an inner loop, switch or select).
fn has_break(stmts: &[ast::Stmt]) -> bool {
    stmts.iter().any(|stmt| match &stmt.kind {
        ast::StmtKind::Break(None) => true,
        ast::StmtKind::Block(block) => has_break(&block.stmts),
        ast::StmtKind::If { then, els, .. } => has_break(&then.stmts) || els.as_deref().is_some_and(|e| has_break(std::slice::from_ref(e))),
        ast::StmtKind::Labeled { stmt, .. } => has_break(std::slice::from_ref(stmt)),
        _ => false,
    })
}

fn lower_binary_op(op: ast::BinaryOp) -> hir::BinaryOp {
    use ast::BinaryOp as A;
    use hir::BinaryOp as H;
    match op {
        A::Add => H::Add,
        A::Sub => H::Sub,
        A::Mul => H::Mul,
        A::Div => H::Div,
        A::Rem => H::Rem,
        A::And => H::And,
        A::Or => H::Or,
        A::Xor => H::Xor,
        A::Shl => H::Shl,
        A::Shr => H::Shr,
        A::AndNot => H::AndNot,
        A::LogAnd => H::LogAnd,
        A::LogOr => H::LogOr,
        A::Eq => H::Eq,
        A::Ne => H::Ne,
        A::Lt => H::Lt,
        A::Le => H::Le,
        A::Gt => H::Gt,
        A::Ge => H::Ge,
    }
}

/// A numeric constant as a complex number (real, imaginary).
fn complex_parts(value: &ConstValue) -> Option<(Exact, Exact)> {
    match value {
        ConstValue::Int(v) => Some((Exact::from_i128(*v), Exact::from_i128(0))),
        ConstValue::Float(f) => Some((f.clone(), Exact::from_i128(0))),
        ConstValue::Complex(r, i) => Some((r.clone(), i.clone())),
        _ => None,
    }
}

/// Folds + - * / == != of complex constants, exactly
/// ([Go spec: Constant expressions](https://go.dev/ref/spec#Constant_expressions)).
fn fold_complex(op: hir::BinaryOp, a: &ConstValue, b: &ConstValue) -> Option<ConstValue> {
    use hir::BinaryOp as H;
    let ((ar, ai), (br, bi)) = (complex_parts(a)?, complex_parts(b)?);
    Some(match op {
        H::Add => ConstValue::Complex(ar.add(&br), ai.add(&bi)),
        H::Sub => ConstValue::Complex(ar.sub(&br), ai.sub(&bi)),
        H::Mul => ConstValue::Complex(ar.mul(&br).sub(&ai.mul(&bi)), ar.mul(&bi).add(&ai.mul(&br))),
        H::Div => {
            // (a+bi)/(c+di) = ((ac+bd) + (bc-ad)i) / (c²+d²)
            let denom = br.mul(&br).add(&bi.mul(&bi));
            let re = ar.mul(&br).add(&ai.mul(&bi)).div(&denom)?;
            let im = ai.mul(&br).sub(&ar.mul(&bi)).div(&denom)?;
            ConstValue::Complex(re, im)
        }
        H::Eq => ConstValue::Bool(ar == br && ai == bi),
        H::Ne => ConstValue::Bool(ar != br || ai != bi),
        _ => return None,
    })
}

/// Folds a binary operation on two constants; `None` leaves it to run time.
fn fold_binary(op: hir::BinaryOp, a: &ConstValue, b: &ConstValue, integer: bool) -> Option<ConstValue> {
    use hir::BinaryOp as H;
    use ConstValue as C;
    if matches!(a, C::Complex(..)) || matches!(b, C::Complex(..)) {
        return fold_complex(op, a, b);
    }
    Some(match (a, b) {
        (C::Int(x), C::Int(y)) => match op {
            H::Add => C::Int(x.checked_add(*y)?),
            H::Sub => C::Int(x.checked_sub(*y)?),
            H::Mul => C::Int(x.checked_mul(*y)?),
            // Go's integer division truncates toward zero, like Rust's.
            H::Div if integer => C::Int(x.checked_div(*y)?),
            H::Div => C::Float(Exact::from_i128(*x).div(&Exact::from_i128(*y))?),
            H::Rem => C::Int(x.checked_rem(*y)?),
            H::And => C::Int(x & y),
            H::Or => C::Int(x | y),
            H::Xor => C::Int(x ^ y),
            H::AndNot => C::Int(x & !y),
            H::Eq => C::Bool(x == y),
            H::Ne => C::Bool(x != y),
            H::Lt => C::Bool(x < y),
            H::Le => C::Bool(x <= y),
            H::Gt => C::Bool(x > y),
            H::Ge => C::Bool(x >= y),
            _ => return None,
        },
        (C::Float(_) | C::Int(_), C::Float(_) | C::Int(_)) => {
            let exact = |v: &ConstValue| match v {
                C::Int(i) => Exact::from_i128(*i),
                C::Float(f) => f.clone(),
                _ => Exact::from_i128(0),
            };
            let (x, y) = (exact(a), exact(b));
            match op {
                H::Add => C::Float(x.add(&y)),
                H::Sub => C::Float(x.sub(&y)),
                H::Mul => C::Float(x.mul(&y)),
                H::Div => C::Float(x.div(&y)?),
                H::Eq => C::Bool(x == y),
                H::Ne => C::Bool(x != y),
                H::Lt => C::Bool(x < y),
                H::Le => C::Bool(x <= y),
                H::Gt => C::Bool(x > y),
                H::Ge => C::Bool(x >= y),
                _ => return None,
            }
        }
        (C::String(x), C::String(y)) => match op {
            H::Add => C::String(format!("{x}{y}")),
            H::Eq => C::Bool(x == y),
            H::Ne => C::Bool(x != y),
            H::Lt => C::Bool(x < y),
            H::Le => C::Bool(x <= y),
            H::Gt => C::Bool(x > y),
            H::Ge => C::Bool(x >= y),
            _ => return None,
        },
        (C::Bool(x), C::Bool(y)) => match op {
            H::LogAnd => C::Bool(*x && *y),
            H::LogOr => C::Bool(*x || *y),
            H::Eq => C::Bool(x == y),
            H::Ne => C::Bool(x != y),
            _ => return None,
        },
        _ => return None,
    })
}

/// Parses a Go integer literal (decimal, `0x`, `0o`, `0b`, legacy octal, `_`).
/// See [Go spec: Integer literals](https://go.dev/ref/spec#Integer_literals).
pub(crate) fn parse_int_literal(text: &str) -> Option<i128> {
    let digits: String = text.chars().filter(|&c| c != '_').collect();
    let lower = digits.to_ascii_lowercase();
    let (radix, body) = if let Some(rest) = lower.strip_prefix("0x") {
        (16, rest.to_string())
    } else if let Some(rest) = lower.strip_prefix("0o") {
        (8, rest.to_string())
    } else if let Some(rest) = lower.strip_prefix("0b") {
        (2, rest.to_string())
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower[1..].to_string())
    } else {
        (10, lower)
    };
    i128::from_str_radix(&body, radix).ok()
}

/// Decodes a rune literal's source text (with quotes) to its code point.
fn decode_rune(text: &str) -> Option<u32> {
    let inner = text.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut chars = inner.chars();
    let first = chars.next()?;
    if first != '\\' {
        return if chars.next().is_none() { Some(first as u32) } else { None };
    }
    let escape = chars.next()?;
    let rest: String = chars.collect();
    let simple = match escape {
        'a' => Some(7),
        'b' => Some(8),
        'f' => Some(12),
        'n' => Some(10),
        'r' => Some(13),
        't' => Some(9),
        'v' => Some(11),
        '\\' => Some(92),
        '\'' => Some(39),
        '"' => Some(34),
        _ => None,
    };
    if let Some(value) = simple {
        return if rest.is_empty() { Some(value) } else { None };
    }
    match escape {
        'x' | 'u' | 'U' => u32::from_str_radix(&rest, 16).ok(),
        '0'..='7' => u32::from_str_radix(&format!("{escape}{rest}"), 8).ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_literals_in_every_base() {
        assert_eq!(parse_int_literal("42"), Some(42));
        assert_eq!(parse_int_literal("0x_1F"), Some(31));
        assert_eq!(parse_int_literal("0o17"), Some(15));
        assert_eq!(parse_int_literal("017"), Some(15));
        assert_eq!(parse_int_literal("0b101"), Some(5));
        assert_eq!(parse_int_literal("1_000_000"), Some(1_000_000));
    }

    #[test]
    fn rune_literals() {
        assert_eq!(decode_rune("'a'"), Some(97));
        assert_eq!(decode_rune("'\\n'"), Some(10));
        assert_eq!(decode_rune("'\\x41'"), Some(65));
        assert_eq!(decode_rune("'世'"), Some(0x4e16));
        assert_eq!(decode_rune("'ab'"), None);
    }

    /// Every stdlib package parses, and checks without a diagnostic in its
    /// own scope (a problem there is a bug in g2n, not in a program).
    #[test]
    fn every_stdlib_package_checks() {
        let stdlib = crate::stdlib();
        assert!(stdlib.problems.is_empty(), "{:?}", stdlib.problems);
        for path in stdlib.paths() {
            let mut checker = Checker::new(stdlib, FreeVars::Forbidden);
            checker.load_package(path);
            let errors: Vec<String> = checker.errors.iter().map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{path}: {errors:?}");
            assert!(checker.package_member(path, "nonexistent").is_none());
        }
    }

    fn check_source(source: &str) -> (hir::Program, Vec<String>) {
        let (file, syntax) = g2n_syntax::parse_file(g2n_base::FileId(0), source);
        assert!(syntax.is_empty(), "{syntax:?}");
        let (program, errors) = crate::check(&file, FreeVars::Forbidden);
        (program, errors.iter().map(|e| e.to_string()).collect())
    }

    /// Stdlib types are qualified by their package, and their unexported
    /// members are out of the program's reach as in Go.
    #[test]
    fn stdlib_types_and_unexported_members() {
        let (program, errors) = check_source(
            "package main\nimport (\"bufio\"; \"os\"; \"strings\")\nfunc main() {\n\tw := bufio.NewWriter(os.Stdout)\n\t_ = w.buf\n\tvar b strings.Builder\n\tb.grow(1)\n\t_ = bufio.defaultBufSize\n\tvar x bufio.Nope\n\t_ = x\n\tvar e embeds\n\t_ = e.buf\n\te.WriteString(\"ok\")\n}\ntype embeds struct{ strings.Builder }\n",
        );
        assert_eq!(
            errors,
            [
                "invalid operation: w.buf undefined (type *bufio.Writer has no field or method buf)",
                "invalid operation: b.grow undefined (type strings.Builder has no field or method grow)",
                "undefined: bufio.defaultBufSize",
                "undefined: bufio.Nope",
                "invalid operation: e.buf undefined (type embeds has no field or method buf)",
            ]
        );
        let named: Vec<String> = program.types.named.iter().map(|n| format!("{}.{}", n.package_name(), n.name)).collect();
        assert!(named.contains(&"bufio.Writer".to_string()), "{named:?}");
    }

    /// A program cannot add methods to a stdlib type.
    #[test]
    fn no_methods_on_stdlib_types() {
        let (_, errors) = check_source("package main\nimport \"strings\"\nfunc (b *strings.Builder) Foo() {}\nfunc main() {}\n");
        assert_eq!(errors, ["cannot define new methods on non-local type strings.Builder"]);
    }
}
