//! Walks over the syntax tree for facts that do not need types.
//!
//! [`Visitor`] is the one walk over declarations, statements, expressions and
//! type expressions: a visitor sees every node before its children and
//! decides whether to go into them. [`qualifiers_in_func`] and
//! [`crate::print::find_expr`] are both visitors.

use crate::ast::*;

/// What a walk calls at each node, before the node's children. Returning
/// `false` skips the children (and, for a node that is not there to be
/// searched, saves the time of walking it).
pub trait Visitor<'a> {
    fn expr(&mut self, _expr: &'a Expr) -> bool {
        true
    }
    fn ty(&mut self, _ty: &'a TypeExpr) -> bool {
        true
    }
    fn stmt(&mut self, _stmt: &'a Stmt) -> bool {
        true
    }
}

/// Calls `f` with every name used as a package qualifier (`X` in `X.Name`,
/// in expressions and in types) inside `func`: what marks an import used in
/// code that is never type-checked, such as a generic function that is
/// never instantiated (Go checks generic bodies once, in generic form).
/// A local variable's field selection (`x.f`) is reported too; the caller
/// only asks about names that are imports.
pub fn qualifiers_in_func(func: &FuncDecl, f: &mut dyn FnMut(&str)) {
    walk_func(&mut Qualifiers { f }, func);
}

/// As [`qualifiers_in_func`], for a type expression (a generic type's
/// definition).
pub fn qualifiers_in_type(ty: &TypeExpr, f: &mut dyn FnMut(&str)) {
    walk_type(&mut Qualifiers { f }, ty);
}

struct Qualifiers<'f> {
    f: &'f mut dyn FnMut(&str),
}

impl Visitor<'_> for Qualifiers<'_> {
    fn expr(&mut self, expr: &Expr) -> bool {
        if let ExprKind::Selector { base, .. } = &expr.kind
            && let ExprKind::Ident(name) = &base.kind
        {
            (self.f)(&name.name);
        }
        true
    }

    fn ty(&mut self, ty: &TypeExpr) -> bool {
        if let TypeExprKind::Name { pkg: Some(pkg), .. } = &ty.kind {
            (self.f)(&pkg.name);
        }
        true
    }
}

/// A function or method declaration: receiver, type parameters' constraints,
/// signature and body.
pub fn walk_func<'a, V: Visitor<'a> + ?Sized>(v: &mut V, func: &'a FuncDecl) {
    if let Some(recv) = &func.recv {
        walk_type(v, &recv.ty);
    }
    for p in &func.type_params {
        walk_type(v, &p.constraint);
    }
    walk_sig(v, &func.sig);
    if let Some(body) = func.full_body() {
        walk_stmts(v, &body.stmts);
    }
}

/// A `var`, `const` or `type` declaration, at top level or in a block.
pub fn walk_gen_decl<'a, V: Visitor<'a> + ?Sized>(v: &mut V, decl: &'a GenDecl) {
    for spec in &decl.specs {
        match spec {
            Spec::Value { ty, values, .. } => {
                if let Some(ty) = ty {
                    walk_type(v, ty);
                }
                walk_exprs(v, values);
            }
            Spec::Type { type_params, ty, .. } => {
                for p in type_params {
                    walk_type(v, &p.constraint);
                }
                walk_type(v, ty);
            }
        }
    }
}

pub fn walk_sig<'a, V: Visitor<'a> + ?Sized>(v: &mut V, sig: &'a FuncSig) {
    for p in sig.params.iter().chain(&sig.results) {
        walk_type(v, &p.ty);
    }
}

pub fn walk_type<'a, V: Visitor<'a> + ?Sized>(v: &mut V, ty: &'a TypeExpr) {
    if !v.ty(ty) {
        return;
    }
    match &ty.kind {
        TypeExprKind::Name { type_args, .. } => {
            for t in type_args {
                walk_type(v, t);
            }
        }
        TypeExprKind::Pointer(elem) | TypeExprKind::Slice(elem) | TypeExprKind::Chan { elem, .. } => walk_type(v, elem),
        TypeExprKind::Array { len, elem } => {
            if let Some(len) = len {
                walk_expr(v, len);
            }
            walk_type(v, elem);
        }
        TypeExprKind::Map { key, value } => {
            walk_type(v, key);
            walk_type(v, value);
        }
        TypeExprKind::Func(sig) => walk_sig(v, sig),
        TypeExprKind::Struct(fields) => {
            for field in fields {
                walk_type(v, &field.ty);
            }
        }
        TypeExprKind::Interface(elems) => {
            for elem in elems {
                match elem {
                    InterfaceElem::Method { sig, .. } => walk_sig(v, sig),
                    InterfaceElem::Union(terms) => {
                        for term in terms {
                            walk_type(v, &term.ty);
                        }
                    }
                }
            }
        }
    }
}

pub fn walk_exprs<'a, V: Visitor<'a> + ?Sized>(v: &mut V, exprs: &'a [Expr]) {
    for e in exprs {
        walk_expr(v, e);
    }
}

pub fn walk_expr<'a, V: Visitor<'a> + ?Sized>(v: &mut V, expr: &'a Expr) {
    if !v.expr(expr) {
        return;
    }
    match &expr.kind {
        ExprKind::Ident(_)
        | ExprKind::IntLit(_)
        | ExprKind::FloatLit(_)
        | ExprKind::ImagLit(_)
        | ExprKind::RuneLit(_)
        | ExprKind::StringLit(_) => {}
        ExprKind::CompositeLit { ty, elems } => {
            if let Some(ty) = ty {
                walk_type(v, ty);
            }
            for e in elems {
                if let Some(key) = &e.key {
                    walk_expr(v, key);
                }
                walk_expr(v, &e.value);
            }
        }
        ExprKind::FuncLit { sig, body } => {
            walk_sig(v, sig);
            walk_stmts(v, &body.stmts);
        }
        ExprKind::Paren(e) => walk_expr(v, e),
        ExprKind::Selector { base, .. } => walk_expr(v, base),
        ExprKind::Index { base, indices } => {
            walk_expr(v, base);
            walk_exprs(v, indices);
        }
        ExprKind::Slice { base, lo, hi, max } => {
            walk_expr(v, base);
            for e in [lo, hi, max].into_iter().flatten() {
                walk_expr(v, e);
            }
        }
        ExprKind::TypeAssert { base, ty } => {
            walk_expr(v, base);
            walk_type(v, ty);
        }
        ExprKind::Call { func, args, .. } => {
            walk_expr(v, func);
            walk_exprs(v, args);
        }
        ExprKind::Unary { operand, .. } => walk_expr(v, operand),
        ExprKind::Binary { lhs, rhs, .. } => {
            walk_expr(v, lhs);
            walk_expr(v, rhs);
        }
        ExprKind::Type(ty) => walk_type(v, ty),
    }
}

pub fn walk_stmts<'a, V: Visitor<'a> + ?Sized>(v: &mut V, stmts: &'a [Stmt]) {
    for s in stmts {
        walk_stmt(v, s);
    }
}

fn walk_opt_stmt<'a, V: Visitor<'a> + ?Sized>(v: &mut V, stmt: &'a Option<Box<Stmt>>) {
    if let Some(s) = stmt {
        walk_stmt(v, s);
    }
}

pub fn walk_stmt<'a, V: Visitor<'a> + ?Sized>(v: &mut V, stmt: &'a Stmt) {
    if !v.stmt(stmt) {
        return;
    }
    match &stmt.kind {
        StmtKind::Decl(decl) => walk_gen_decl(v, decl),
        StmtKind::ShortVarDecl { values, .. } => walk_exprs(v, values),
        StmtKind::Assign { lhs, rhs, .. } => {
            walk_exprs(v, lhs);
            walk_exprs(v, rhs);
        }
        StmtKind::IncDec { target, .. } => walk_expr(v, target),
        StmtKind::Expr(e) | StmtKind::Go(e) | StmtKind::Defer(e) => walk_expr(v, e),
        StmtKind::Send { chan, value } => {
            walk_expr(v, chan);
            walk_expr(v, value);
        }
        StmtKind::Block(b) => walk_stmts(v, &b.stmts),
        StmtKind::If { init, cond, then, els } => {
            walk_opt_stmt(v, init);
            walk_expr(v, cond);
            walk_stmts(v, &then.stmts);
            walk_opt_stmt(v, els);
        }
        StmtKind::For { init, cond, post, body } => {
            walk_opt_stmt(v, init);
            if let Some(cond) = cond {
                walk_expr(v, cond);
            }
            walk_opt_stmt(v, post);
            walk_stmts(v, &body.stmts);
        }
        StmtKind::ForRange { key, value, expr, body, .. } => {
            for e in [key, value].into_iter().flatten() {
                walk_expr(v, e);
            }
            walk_expr(v, expr);
            walk_stmts(v, &body.stmts);
        }
        StmtKind::Switch { init, tag, clauses } => {
            walk_opt_stmt(v, init);
            if let Some(tag) = tag {
                walk_expr(v, tag);
            }
            for c in clauses {
                walk_exprs(v, &c.exprs);
                walk_stmts(v, &c.body);
            }
        }
        StmtKind::TypeSwitch { init, expr, clauses, .. } => {
            walk_opt_stmt(v, init);
            walk_expr(v, expr);
            for c in clauses {
                for ty in c.types.iter().flatten() {
                    walk_type(v, ty);
                }
                walk_stmts(v, &c.body);
            }
        }
        StmtKind::Select { clauses } => {
            for c in clauses {
                walk_opt_stmt(v, &c.comm);
                walk_stmts(v, &c.body);
            }
        }
        StmtKind::Return(values) => walk_exprs(v, values),
        StmtKind::Labeled { stmt, .. } => walk_stmt(v, stmt),
        StmtKind::Break(_)
        | StmtKind::Continue(_)
        | StmtKind::Goto(_)
        | StmtKind::Fallthrough
        | StmtKind::GoToNetwork { .. }
        | StmtKind::Empty => {}
    }
}
