//! Library function and method bodies checked only when the program
//! reaches them.
//!
//! A package compiled from Go's source is known-good Go, and codegen
//! compiles only the functions a program reaches; checking every body of
//! every imported package was most of a build's check (strconv, strings and
//! unicode have hundreds of functions, a program calls a few). So the body
//! of a function or method of such a package waits until something needs
//! it, and then the bodies that one reaches, to a fixed point:
//!
//! - a function or method is needed when checked code calls it or takes it
//!   as a value (a method value or expression is a closure that calls it);
//! - a method is needed when codegen may give its type a descriptor and
//!   the descriptor's method table holds its code: that of every method
//!   an interface type of the program (or the runtime) names, of every
//!   method once code calls through reflect
//!   (`hir::Program::interface_method_names`, rtti.rs `define_desc`).
//!   Codegen describes a type converted to an interface (boxed), the
//!   target of a type assertion or type switch case, a map's key and
//!   element types, a struct or array compared with `==`, the type of a
//!   package-level variable, of a captured variable or of one visible at a
//!   `goToNetwork`, the program's own defined types (a split program's
//!   registry), and whatever a described type's descriptor refers to: its
//!   element, key, field, parameter and result types, its methods'
//!   signatures, and `*T` beside `T` (so both receivers' methods).
//!
//! A promoted method's wrapper (sema makes one per embedded method) reaches
//! the embedded method only once it is called or its type's method table
//! needs it. What stays eager: `init` functions and package-level
//! variables whose initializers may have an effect (they run; the others
//! wait until used: lazy_vars.rs), the methods of generic types' instances, and
//! every body of the package `g2n test` tests and of g2n's own packages
//! ([`StdLib::is_checked_in_full`]). A body is checked in its own package's
//! scope, as if in order: what it reports (a library file's diagnostic) is
//! what an eager check would. What is left unchecked is listed in
//! `hir::Program::unchecked` (an unchecked method gets its parameters, for
//! its key in method tables), and codegen refuses to compile any of it, so
//! a root missing here is an internal error, not a silent miscompile.

use super::*;

/// A library package whose function and method bodies wait to be reached: what
/// checking one later needs besides its package scope and imports (which
/// stay in `Checker::packages`).
pub(super) struct LazyPackage<'a> {
    file: Option<&'a ast::File>,
    files: Vec<g2n_base::FileId>,
    /// Its package-level variables still waiting (lazy_vars.rs): put back
    /// into the package context while one of its bodies or variables is
    /// checked, so that a use there checks them as in the package's own
    /// check.
    pub(super) pending_decls: PendingDecls<'a>,
    pub(super) pending_names: HashMap<String, usize>,
}

impl<'a> Checker<'a> {
    /// Whether the plain function bodies of the package being checked wait
    /// until something reaches them.
    pub(super) fn bodies_wait(&self) -> bool {
        let path = &self.pkg.path;
        self.lazy_library && path != "main" && self.stdlib.is_source(path) && !self.stdlib.is_checked_in_full(path)
    }

    /// Keeps `func`'s body for later if its package's bodies wait
    /// (`bodies_wait`, asked once per package: it searches the library's
    /// files) and it is not an `init`; false when it must be checked now.
    pub(super) fn defer_body(&mut self, id: FuncId, func: &'a ast::FuncDecl, bodies_wait: bool) -> bool {
        if (func.recv.is_none() && func.name.name == "init") || !bodies_wait {
            return false;
        }
        self.waiting_bodies.insert(id, (self.pkg.path.clone(), func));
        true
    }

    /// After a package whose bodies wait is checked: what checking one of
    /// them later needs.
    pub(super) fn keep_lazy_package(&mut self, path: &str) {
        let pending_decls = std::mem::take(&mut self.pkg.pending_decls);
        let pending_names = std::mem::take(&mut self.pkg.pending_names);
        let package = LazyPackage { file: self.pkg.file, files: self.pkg.files.clone(), pending_decls, pending_names };
        self.lazy_packages.insert(path.to_string(), package);
    }

    /// Checks every waiting body that checked code reaches (see the module
    /// comment), then those these bodies reach, until none is left to
    /// check; what is still waiting then is `program.unchecked`.
    pub(super) fn check_reached_bodies(&mut self) {
        // A split program's config registers the program's own defined
        // types and their pointers (g2n-split graph_kinds::registry).
        let types = &self.program.types;
        let own: Vec<TypeId> = (0..types.named.len() as u32)
            .filter(|&i| types.named[i as usize].package.is_none())
            .filter_map(|i| types.lookup(&TypeKind::Named(i)))
            .collect();
        for ty in own {
            self.reach.reach(ty);
        }
        loop {
            let mut funcs = Vec::new();
            let start = self.scanned_exprs.min(self.program.exprs.len());
            self.scanned_exprs = self.program.exprs.len();
            self.reach.scan_exprs(&self.program, start..self.scanned_exprs, true, &mut funcs);
            self.reach.scan_locals(&self.program);
            self.reach.follow(&self.program, &self.pending_params, &mut funcs);
            funcs.retain(|func| self.waiting_bodies.contains_key(func));
            if funcs.is_empty() {
                // Whether code calls through reflect (which makes every
                // method of a described type needed) is asked once nothing
                // else is reached: it searches every expression.
                if !self.reach.through_reflect && self.program.calls_through_reflect() {
                    self.reach.through_reflect = true;
                    continue;
                }
                break;
            }
            funcs.sort_by_key(|f| f.0);
            funcs.dedup();
            for id in funcs {
                if let Some((path, func)) = self.waiting_bodies.remove(&id) {
                    self.check_body_in_package(&path, id, func);
                }
            }
        }
        self.program.unchecked = self.waiting_bodies.keys().copied().collect();
        self.declare_unchecked_method_params();
    }

    /// An unchecked method still has its entry (its key, without code) in
    /// the method table of a type codegen describes, and the key and
    /// reflect's view of the method are made of its parameters' types: it
    /// gets parameters, without a body.
    fn declare_unchecked_method_params(&mut self) {
        let mut methods: Vec<(FuncId, &ast::FuncDecl)> =
            self.waiting_bodies.iter().filter(|(_, (_, func))| func.recv.is_some()).map(|(id, (_, func))| (*id, *func)).collect();
        methods.sort_by_key(|(id, _)| id.0);
        for (id, func) in methods {
            let Some(types) = self.pending_params.get(&id).cloned() else { continue };
            let decls = func.recv.iter().chain(&func.sig.params);
            let params = types
                .into_iter()
                .zip(decls)
                .map(|(ty, param)| {
                    let local = LocalId(self.program.locals.len() as u32);
                    let name = param.name.as_ref().map_or("_", |n| n.name.as_str()).to_string();
                    self.program.locals.push(hir::Local { name, ty, span: param.span, kind: LocalKind::Param, used: false, escapes: false, in_library: true });
                    local
                })
                .collect();
            if let Some(f) = self.program.funcs.get_mut(id.index()) {
                f.params = params;
            }
        }
    }

    /// Whether `func`'s body is still waiting (it has no parameters yet).
    pub(super) fn body_waits(&self, func: FuncId) -> bool {
        self.waiting_bodies.contains_key(&func)
    }

    /// Checks the body of function `id` of library package `path` in that
    /// package's scope and imports, whatever package is being checked now.
    fn check_body_in_package(&mut self, path: &str, id: FuncId, func: &'a ast::FuncDecl) {
        self.in_lazy_package(path, |this| this.check_func_body(id, func));
    }

    /// Runs `f` in the context of library package `path` (checked already,
    /// its bodies or variables waiting): its scope, imports and waiting
    /// variables, outside any function; `None` when that package is being
    /// checked itself (its scope is in use).
    pub(super) fn in_lazy_package<R>(&mut self, path: &str, f: impl FnOnce(&mut Self) -> R) -> Option<R> {
        let Some(Some(CheckedPackage { scope, imports })) = self.packages.get_mut(path).map(Option::take) else { return None };
        let lazy = self.lazy_packages.get_mut(path);
        let mut ctx = PackageCtx::new(path);
        if let Some(lazy) = lazy {
            ctx.file = lazy.file;
            ctx.files = lazy.files.clone();
            ctx.pending_decls = std::mem::take(&mut lazy.pending_decls);
            ctx.pending_names = std::mem::take(&mut lazy.pending_names);
        }
        ctx.declarations_done = true;
        ctx.scopes.push(scope);
        ctx.imports = imports;
        let current = std::mem::replace(&mut self.pkg, ctx);
        let saved_func = std::mem::take(&mut self.func);
        let result = f(self);
        self.func = saved_func;
        let mut ctx = std::mem::replace(&mut self.pkg, current);
        if let Some(lazy) = self.lazy_packages.get_mut(path) {
            lazy.pending_decls = std::mem::take(&mut ctx.pending_decls);
            lazy.pending_names = std::mem::take(&mut ctx.pending_names);
        }
        let scope = ctx.scopes.pop().unwrap_or_default();
        self.packages.insert(path.to_string(), Some(CheckedPackage { scope, imports: ctx.imports }));
        Some(result)
    }
}

/// The types whose descriptors codegen may define, found so far, and what
/// is still to search for more (see the module comment).
#[derive(Default)]
pub(super) struct TypeReach {
    seen: std::collections::HashSet<TypeId>,
    /// Reached and not yet followed to what their descriptors refer to.
    queue: Vec<TypeId>,
    /// The expressions of each promoted-method wrapper whose type is not
    /// reached yet: searched when it is, skipped by the search of new
    /// expressions until then (`skipped`, in order).
    wrapper_exprs: HashMap<FuncId, std::ops::Range<usize>>,
    skipped: Vec<std::ops::Range<usize>>,
    /// The expressions of wrappers reached (called, or in a method table
    /// that needs them) and not searched yet.
    wrappers_reached: Vec<std::ops::Range<usize>>,
    scanned_locals: usize,
    scanned_hops: usize,
    /// The reached types that have methods, and the methods of theirs
    /// found needed so far.
    with_methods: Vec<TypeId>,
    methods_needed: std::collections::HashSet<FuncId>,
    /// `hir::Program::interface_method_names` of the first `names_scanned`
    /// types; every method is needed once code calls through reflect.
    names: std::collections::HashSet<String>,
    names_scanned: usize,
    pub(super) through_reflect: bool,
}

impl TypeReach {
    fn reach(&mut self, ty: TypeId) {
        if self.seen.insert(ty) {
            self.queue.push(ty);
        }
    }

    /// A promoted-method wrapper of type `ty` was made of the expressions
    /// `exprs`: they reach the embedded method only once `ty` is reached.
    pub(super) fn promoted_wrapper(&mut self, ty: TypeId, func: FuncId, exprs: std::ops::Range<usize>) {
        if self.seen.contains(&ty) {
            return;
        }
        self.wrapper_exprs.insert(func, exprs.clone());
        self.skipped.push(exprs);
    }

    /// What the expressions `range` reach: the functions they call or take
    /// as values (into `funcs`) and the types codegen describes for them.
    fn scan_exprs(&mut self, program: &hir::Program, range: std::ops::Range<usize>, skip_wrappers: bool, funcs: &mut Vec<FuncId>) {
        let types = &program.types;
        let mut skipped = if skip_wrappers { self.skipped.partition_point(|r| r.end <= range.start) } else { self.skipped.len() };
        let mut index = range.start;
        while index < range.end {
            if let Some(r) = self.skipped.get(skipped)
                && r.start <= index
            {
                index = index.max(r.end);
                skipped += 1;
                continue;
            }
            let expr = &program.exprs[index];
            index += 1;
            match &expr.kind {
                hir::ExprKind::Call { func, .. } | hir::ExprKind::FuncValue(func) => {
                    // A call of a promoted method (`f.checkValid()` with
                    // the method of an embedded field) calls its wrapper.
                    if let Some(range) = self.wrapper_exprs.remove(func) {
                        self.wrappers_reached.push(range);
                    }
                    funcs.push(*func);
                }
                hir::ExprKind::ToInterface(value) => self.reach(types.default_type(program.expr(*value).ty)),
                hir::ExprKind::TypeAssert { target, .. } => self.reach(*target),
                hir::ExprKind::Binary { lhs, .. } => {
                    let ty = program.expr(*lhs).ty;
                    if matches!(types.under(ty), TypeKind::Struct(_) | TypeKind::Array(..)) {
                        self.reach(ty);
                    }
                }
                hir::ExprKind::Closure(func) => {
                    for local in program.func(*func).captures.iter().flatten() {
                        self.reach(types.default_type(program.local(*local).ty));
                    }
                }
                _ => {}
            }
            if matches!(types.under(expr.ty), TypeKind::Map(..)) {
                self.reach(expr.ty);
            }
        }
    }

    /// Package-level variables and those visible at a `goToNetwork` made
    /// since the last search: the program table describes them.
    fn scan_locals(&mut self, program: &hir::Program) {
        let start = self.scanned_locals.min(program.locals.len());
        self.scanned_locals = program.locals.len();
        for local in &program.locals[start..] {
            if local.kind == LocalKind::Global {
                self.reach(program.types.default_type(local.ty));
            }
        }
        let start = self.scanned_hops.min(program.hops.len());
        self.scanned_hops = program.hops.len();
        for hop in &program.hops[start..] {
            for local in &hop.visible {
                self.reach(program.types.default_type(program.local(*local).ty));
            }
        }
    }

    /// The methods of `ty`'s method table, declared and promoted (of both
    /// `T` and `*T`: codegen describes `*T` beside `T`).
    fn methods_of(types: &Types, ty: TypeId) -> &[crate::types::Method] {
        let methods = match types.kind(ty) {
            TypeKind::Named(index) => types.named.get(*index as usize).map(|n| n.methods.as_slice()),
            _ => types.struct_methods.get(&ty).map(Vec::as_slice),
        };
        methods.unwrap_or_default()
    }

    /// What the descriptor of `ty` refers to: the types it names, its
    /// methods' signatures' types (its extension lists their func types,
    /// whatever methods are needed), and the type itself for
    /// [`TypeReach::needed_methods`] if it has methods.
    fn expand(&mut self, program: &hir::Program, pending_params: &HashMap<FuncId, Vec<TypeId>>, ty: TypeId) {
        let types = &program.types;
        let methods = Self::methods_of(types, ty);
        if !methods.is_empty() {
            self.with_methods.push(ty);
        }
        for method in methods {
            let func = FuncId(method.func);
            for param in pending_params.get(&func).into_iter().flatten().skip(1) {
                self.reach(*param);
            }
            for result in &program.func(func).results {
                self.reach(*result);
            }
        }
        match types.kind(ty).clone() {
            TypeKind::Named(index) => {
                if let Some(named) = types.named.get(index as usize) {
                    self.reach(named.underlying);
                }
            }
            TypeKind::Pointer(elem) | TypeKind::Slice(elem) | TypeKind::Array(_, elem) | TypeKind::Chan(_, elem) => self.reach(elem),
            TypeKind::Map(key, value) => {
                self.reach(key);
                self.reach(value);
            }
            TypeKind::Struct(fields) => fields.iter().for_each(|f| self.reach(f.ty)),
            TypeKind::Tuple(elems) => elems.iter().for_each(|e| self.reach(*e)),
            TypeKind::Func(sig) => sig.params.iter().chain(&sig.results).for_each(|t| self.reach(*t)),
            TypeKind::Interface(methods) => methods.iter().for_each(|m| self.reach(m.sig)),
            _ => {}
        }
    }

    /// The methods of the reached types a method table needs the code of
    /// (into `funcs`): those an interface or the runtime can call by name,
    /// every one once code calls through reflect. A promoted method's
    /// wrapper reaches what it calls now.
    fn needed_methods(&mut self, program: &hir::Program, funcs: &mut Vec<FuncId>) {
        let types = &program.types;
        // `hir::Program::interface_method_names`, for the types interned
        // since the last time.
        if self.names_scanned == 0 {
            self.names.extend(hir::RUNTIME_CALLED_METHODS.map(str::to_string));
        }
        for id in std::mem::replace(&mut self.names_scanned, types.count())..types.count() {
            if let TypeKind::Interface(methods) = types.kind(TypeId(id as u32)) {
                self.names.extend(methods.iter().map(|m| m.name.clone()));
            }
        }
        for ty in &self.with_methods {
            for method in Self::methods_of(types, *ty) {
                let func = FuncId(method.func);
                if (self.through_reflect || self.names.contains(&method.name)) && self.methods_needed.insert(func) {
                    funcs.push(func);
                    if let Some(range) = self.wrapper_exprs.remove(&func) {
                        self.wrappers_reached.push(range);
                    }
                }
            }
        }
    }

    /// Follows what is reached from the types and wrappers reached so far,
    /// to a fixed point (into `funcs` the functions and methods needed).
    fn follow(&mut self, program: &hir::Program, pending_params: &HashMap<FuncId, Vec<TypeId>>, funcs: &mut Vec<FuncId>) {
        loop {
            if let Some(range) = self.wrappers_reached.pop() {
                self.scan_exprs(program, range, false, funcs);
            } else if let Some(ty) = self.queue.pop() {
                self.expand(program, pending_params, ty);
            } else {
                self.needed_methods(program, funcs);
                if self.queue.is_empty() && self.wrappers_reached.is_empty() {
                    return;
                }
            }
        }
    }
}
