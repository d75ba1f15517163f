//! `//go:linkname` to a Go function of another package compiled from
//! source: time/tzdata's bodyless `registerLoadFromEmbeddedTZData`, which
//! Go's linker binds to package time's function of that name (tzdata does
//! not import time; time does not export it). When the target package is
//! part of the program and declares a function of that name with the same
//! signature, the bodyless function gets a body that calls it; otherwise it
//! stays unlinked ([`crate::stdlib::StdPackage::unlinked`]: a body that
//! panics, as for assembly).

use super::*;

/// The name the target is bound to inside the forwarding body: not a Go
/// identifier, so it shadows nothing.
const LINKED: &str = "%linked";

impl<'a> Checker<'a> {
    /// The function that the bodyless function `id` (named `name`, of the
    /// package being checked) is linked to by its `//go:linkname`, if that
    /// function is declared by a loaded package with the same signature.
    pub(super) fn linked_go_function(&mut self, id: FuncId, name: &str) -> Option<FuncId> {
        let target = self.stdlib.package(&self.pkg.path)?.unlinked.get(name)?;
        let (path, target_name) = target.rsplit_once('.')?;
        if path == self.pkg.path {
            return None;
        }
        let package = self.packages.get(path)?.as_ref()?;
        let Some((Binding::Func(target), _)) = package.scope.names.get(target_name) else { return None };
        let target = *target;
        (self.func_type(target) == self.func_type(id)).then_some(target)
    }

    /// The body of a linked bodyless function: a call of `target` with the
    /// function's parameters `params` (unnamed ones too), whose results it
    /// returns.
    pub(super) fn linked_body(&mut self, func: &ast::FuncDecl, params: &[LocalId], target: FuncId) -> hir::Block {
        let span = func.name.span;
        self.declare(LINKED, Binding::Func(target), span);
        let args: Vec<ast::Expr> = params
            .iter()
            .enumerate()
            .map(|(index, param)| {
                let name = format!("%param{index}");
                self.declare(&name, Binding::Local(*param), span);
                ast::Expr { kind: ast::ExprKind::Ident(ast::Ident { name, span }), span }
            })
            .collect();
        let variadic = func.sig.params.last().is_some_and(|p| p.variadic);
        let callee = ast::Expr { kind: ast::ExprKind::Ident(ast::Ident { name: LINKED.to_string(), span }), span };
        let call = ast::Expr { kind: ast::ExprKind::Call { func: Box::new(callee), args, ellipsis: variadic }, span };
        let stmt = if func.sig.results.is_empty() {
            ast::Stmt { kind: ast::StmtKind::Expr(call), span }
        } else {
            ast::Stmt { kind: ast::StmtKind::Return(vec![call]), span }
        };
        hir::Block { stmts: self.check_stmts(&[stmt]) }
    }
}
