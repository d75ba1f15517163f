//! Library function bodies checked only when the program reaches them.
//!
//! A package compiled from Go's source is known-good Go, and codegen
//! compiles only the functions a program reaches; checking every body of
//! every imported package was most of a build's check (strconv, strings and
//! unicode have hundreds of functions, a program calls a few). So the body
//! of a plain function (no receiver, not `init`) of such a package waits
//! until checked code names it: a call or a function value anywhere in the
//! HIR built so far. What stays eager: methods (reachable through
//! interfaces and method tables, which the checker does not follow),
//! `init` functions and package-level variables (they run), and every body
//! of the package `g2n test` tests and of g2n's own packages
//! ([`StdLib::is_checked_in_full`]). A body is checked in its own package's
//! scope, as if in order: what it reports (a library file's diagnostic)
//! is what an eager check would.

use super::*;

/// A library package whose plain function bodies wait to be reached: what
/// checking one later needs besides its package scope and imports (which
/// stay in `Checker::packages`).
pub(super) struct LazyPackage<'a> {
    file: Option<&'a ast::File>,
    files: Vec<g2n_base::FileId>,
}

impl<'a> Checker<'a> {
    /// Whether the plain function bodies of the package being checked wait
    /// until something reaches them.
    pub(super) fn bodies_wait(&self) -> bool {
        let path = &self.pkg.path;
        self.lazy_library && path != "main" && self.stdlib.is_source(path) && !self.stdlib.is_checked_in_full(path)
    }

    /// Keeps `func`'s body for later if its package's bodies wait and it is
    /// a plain function; false when it must be checked now.
    pub(super) fn defer_body(&mut self, id: FuncId, func: &'a ast::FuncDecl) -> bool {
        if func.recv.is_some() || func.name.name == "init" || !self.bodies_wait() {
            return false;
        }
        self.waiting_bodies.insert(id, (self.pkg.path.clone(), func));
        true
    }

    /// After a package whose bodies wait is checked: what checking one of
    /// them later needs.
    pub(super) fn keep_lazy_package(&mut self, path: &str, file: Option<&'a ast::File>, files: Vec<g2n_base::FileId>) {
        self.lazy_packages.insert(path.to_string(), LazyPackage { file, files });
    }

    /// Checks every waiting body that checked code calls or takes as a
    /// value, then those these bodies reach, until none is left to check.
    pub(super) fn check_reached_bodies(&mut self) {
        loop {
            let start = self.scanned_exprs.min(self.program.exprs.len());
            self.scanned_exprs = self.program.exprs.len();
            let mut reached: Vec<FuncId> = self.program.exprs[start..]
                .iter()
                .filter_map(|expr| match &expr.kind {
                    hir::ExprKind::Call { func, .. } | hir::ExprKind::FuncValue(func) => Some(*func),
                    _ => None,
                })
                .filter(|func| self.waiting_bodies.contains_key(func))
                .collect();
            if reached.is_empty() {
                return;
            }
            reached.sort_by_key(|f| f.0);
            reached.dedup();
            for id in reached {
                if let Some((path, func)) = self.waiting_bodies.remove(&id) {
                    self.check_body_in_package(&path, id, func);
                }
            }
        }
    }

    /// Checks the body of function `id` of library package `path` in that
    /// package's scope and imports, whatever package is being checked now.
    fn check_body_in_package(&mut self, path: &str, id: FuncId, func: &'a ast::FuncDecl) {
        let Some(Some(CheckedPackage { scope, imports })) = self.packages.get_mut(path).map(Option::take) else { return };
        let lazy = self.lazy_packages.get(path);
        let mut ctx = PackageCtx::new(path);
        ctx.file = lazy.and_then(|l| l.file);
        ctx.files = lazy.map(|l| l.files.clone()).unwrap_or_default();
        ctx.declarations_done = true;
        ctx.scopes.push(scope);
        ctx.imports = imports;
        let current = std::mem::replace(&mut self.pkg, ctx);
        let saved_func = std::mem::take(&mut self.func);
        self.check_func_body(id, func);
        self.func = saved_func;
        let mut ctx = std::mem::replace(&mut self.pkg, current);
        let scope = ctx.scopes.pop().unwrap_or(Scope { names: HashMap::new() });
        self.packages.insert(path.to_string(), Some(CheckedPackage { scope, imports: ctx.imports }));
    }
}
