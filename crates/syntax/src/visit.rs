//! Walks over the syntax tree for facts that do not need types.

use crate::ast::*;

/// Calls `f` with every name used as a package qualifier (`X` in `X.Name`,
/// in expressions and in types) inside `func`: what marks an import used in
/// code that is never type-checked, such as a generic function that is
/// never instantiated (Go checks generic bodies once, in generic form).
/// A local variable's field selection (`x.f`) is reported too; the caller
/// only asks about names that are imports.
pub fn qualifiers_in_func(func: &FuncDecl, f: &mut dyn FnMut(&str)) {
    let mut v = Qualifiers { f };
    if let Some(recv) = &func.recv {
        v.ty(&recv.ty);
    }
    for p in &func.type_params {
        v.ty(&p.constraint);
    }
    v.sig(&func.sig);
    if let Some(body) = &func.body {
        v.stmts(&body.stmts);
    }
}

/// As [`qualifiers_in_func`], for a type expression (a generic type's
/// definition).
pub fn qualifiers_in_type(ty: &TypeExpr, f: &mut dyn FnMut(&str)) {
    Qualifiers { f }.ty(ty);
}

struct Qualifiers<'f> {
    f: &'f mut dyn FnMut(&str),
}

impl Qualifiers<'_> {
    fn sig(&mut self, sig: &FuncSig) {
        for p in sig.params.iter().chain(&sig.results) {
            self.ty(&p.ty);
        }
    }

    fn ty(&mut self, ty: &TypeExpr) {
        match &ty.kind {
            TypeExprKind::Name { pkg, type_args, .. } => {
                if let Some(pkg) = pkg {
                    (self.f)(&pkg.name);
                }
                for t in type_args {
                    self.ty(t);
                }
            }
            TypeExprKind::Pointer(e) | TypeExprKind::Slice(e) => self.ty(e),
            TypeExprKind::Array { len, elem } => {
                if let Some(len) = len {
                    self.expr(len);
                }
                self.ty(elem);
            }
            TypeExprKind::Map { key, value } => {
                self.ty(key);
                self.ty(value);
            }
            TypeExprKind::Chan { elem, .. } => self.ty(elem),
            TypeExprKind::Func(sig) => self.sig(sig),
            TypeExprKind::Struct(fields) => {
                for field in fields {
                    self.ty(&field.ty);
                }
            }
            TypeExprKind::Interface(elems) => {
                for elem in elems {
                    match elem {
                        InterfaceElem::Method { sig, .. } => self.sig(sig),
                        InterfaceElem::Union(terms) => {
                            for term in terms {
                                self.ty(&term.ty);
                            }
                        }
                    }
                }
            }
        }
    }

    fn exprs(&mut self, exprs: &[Expr]) {
        for e in exprs {
            self.expr(e);
        }
    }

    fn expr(&mut self, expr: &Expr) {
        match &expr.kind {
            ExprKind::Ident(_)
            | ExprKind::IntLit(_)
            | ExprKind::FloatLit(_)
            | ExprKind::ImagLit(_)
            | ExprKind::RuneLit(_)
            | ExprKind::StringLit(_) => {}
            ExprKind::CompositeLit { ty, elems } => {
                if let Some(ty) = ty {
                    self.ty(ty);
                }
                for e in elems {
                    if let Some(key) = &e.key {
                        self.expr(key);
                    }
                    self.expr(&e.value);
                }
            }
            ExprKind::FuncLit { sig, body } => {
                self.sig(sig);
                self.stmts(&body.stmts);
            }
            ExprKind::Paren(e) => self.expr(e),
            ExprKind::Selector { base, .. } => {
                if let ExprKind::Ident(name) = &base.kind {
                    (self.f)(&name.name);
                }
                self.expr(base);
            }
            ExprKind::Index { base, indices } => {
                self.expr(base);
                self.exprs(indices);
            }
            ExprKind::Slice { base, lo, hi, max } => {
                self.expr(base);
                for e in [lo, hi, max].into_iter().flatten() {
                    self.expr(e);
                }
            }
            ExprKind::TypeAssert { base, ty } => {
                self.expr(base);
                self.ty(ty);
            }
            ExprKind::Call { func, args, .. } => {
                self.expr(func);
                self.exprs(args);
            }
            ExprKind::Unary { operand, .. } => self.expr(operand),
            ExprKind::Binary { lhs, rhs, .. } => {
                self.expr(lhs);
                self.expr(rhs);
            }
            ExprKind::Type(ty) => self.ty(ty),
        }
    }

    fn stmts(&mut self, stmts: &[Stmt]) {
        for s in stmts {
            self.stmt(s);
        }
    }

    fn opt_stmt(&mut self, stmt: &Option<Box<Stmt>>) {
        if let Some(s) = stmt {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, stmt: &Stmt) {
        match &stmt.kind {
            StmtKind::Decl(decl) => {
                for spec in &decl.specs {
                    match spec {
                        Spec::Value { ty, values, .. } => {
                            if let Some(ty) = ty {
                                self.ty(ty);
                            }
                            self.exprs(values);
                        }
                        Spec::Type { type_params, ty, .. } => {
                            for p in type_params {
                                self.ty(&p.constraint);
                            }
                            self.ty(ty);
                        }
                    }
                }
            }
            StmtKind::ShortVarDecl { values, .. } => self.exprs(values),
            StmtKind::Assign { lhs, rhs, .. } => {
                self.exprs(lhs);
                self.exprs(rhs);
            }
            StmtKind::IncDec { target, .. } => self.expr(target),
            StmtKind::Expr(e) | StmtKind::Go(e) | StmtKind::Defer(e) => self.expr(e),
            StmtKind::Send { chan, value } => {
                self.expr(chan);
                self.expr(value);
            }
            StmtKind::Block(b) => self.stmts(&b.stmts),
            StmtKind::If { init, cond, then, els } => {
                self.opt_stmt(init);
                self.expr(cond);
                self.stmts(&then.stmts);
                self.opt_stmt(els);
            }
            StmtKind::For { init, cond, post, body } => {
                self.opt_stmt(init);
                if let Some(cond) = cond {
                    self.expr(cond);
                }
                self.opt_stmt(post);
                self.stmts(&body.stmts);
            }
            StmtKind::ForRange { key, value, expr, body, .. } => {
                for e in [key, value].into_iter().flatten() {
                    self.expr(e);
                }
                self.expr(expr);
                self.stmts(&body.stmts);
            }
            StmtKind::Switch { init, tag, clauses } => {
                self.opt_stmt(init);
                if let Some(tag) = tag {
                    self.expr(tag);
                }
                for c in clauses {
                    self.exprs(&c.exprs);
                    self.stmts(&c.body);
                }
            }
            StmtKind::TypeSwitch { init, expr, clauses, .. } => {
                self.opt_stmt(init);
                self.expr(expr);
                for c in clauses {
                    for ty in c.types.iter().flatten() {
                        self.ty(ty);
                    }
                    self.stmts(&c.body);
                }
            }
            StmtKind::Select { clauses } => {
                for c in clauses {
                    self.opt_stmt(&c.comm);
                    self.stmts(&c.body);
                }
            }
            StmtKind::Return(values) => self.exprs(values),
            StmtKind::Labeled { stmt, .. } => self.stmt(stmt),
            StmtKind::Break(_)
            | StmtKind::Continue(_)
            | StmtKind::Goto(_)
            | StmtKind::Fallthrough
            | StmtKind::GoToNetwork { .. }
            | StmtKind::Empty => {}
        }
    }
}
