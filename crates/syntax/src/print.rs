//! Expressions and types printed as Go's compiler prints them in diagnostics
//! (`syntax.String`, the short form): composite literals and function bodies
//! with elements are shortened to `{…}`, binary operators get one blank on
//! each side, and everything else is written as in the source.

use crate::ast::*;
use crate::visit::{self, Visitor};
use g2n_base::Span;

/// `expr` as Go's diagnostics quote it, e.g. `f()`, `[]int{…}`, `1 + 2`.
pub fn expr_string(expr: &Expr) -> String {
    let mut out = String::new();
    write_expr(&mut out, expr);
    out
}

/// A type expression as Go's diagnostics quote it, e.g. `[]int`, `map[string]T`.
pub fn type_string(ty: &TypeExpr) -> String {
    let mut out = String::new();
    write_type(&mut out, ty);
    out
}

/// A string constant as a Go double-quoted literal, as `strconv.Quote`
/// spells it: the usual escapes, other control characters below U+0080 as
/// `\xNN` and the C1 controls (U+0080 to U+009F) as `\uNNNN`, bytes that are
/// not UTF-8 as `\xNN`. The one spelling of a constant for diagnostics and
/// for the HIR's text form.
pub fn quote(s: &[u8]) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for chunk in s.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                '\u{7}' => out.push_str("\\a"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                '\u{b}' => out.push_str("\\v"),
                c if (c as u32) < 0x80 && c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
                c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02x}"));
        }
    }
    out.push('"');
    out
}

fn write_exprs(out: &mut String, exprs: &[Expr]) {
    for (i, e) in exprs.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_expr(out, e);
    }
}

fn write_expr(out: &mut String, expr: &Expr) {
    match &expr.kind {
        ExprKind::Ident(id) => out.push_str(&id.name),
        ExprKind::IntLit(t) | ExprKind::FloatLit(t) | ExprKind::ImagLit(t) | ExprKind::RuneLit(t) => out.push_str(t),
        ExprKind::StringLit(s) => out.push_str(&quote(s)),
        ExprKind::CompositeLit { ty, elems } => {
            if let Some(ty) = ty {
                write_type(out, ty);
            }
            out.push_str(if elems.is_empty() { "{}" } else { "{…}" });
        }
        ExprKind::FuncLit { sig, body } => {
            out.push_str("func");
            write_sig(out, sig);
            out.push_str(if body.stmts.iter().all(|s| matches!(s.kind, StmtKind::Empty)) { " {}" } else { " {…}" });
        }
        ExprKind::Paren(inner) => {
            out.push('(');
            write_expr(out, inner);
            out.push(')');
        }
        ExprKind::Selector { base, sel } => {
            write_expr(out, base);
            out.push('.');
            out.push_str(&sel.name);
        }
        ExprKind::Index { base, indices } => {
            write_expr(out, base);
            out.push('[');
            write_exprs(out, indices);
            out.push(']');
        }
        ExprKind::Slice { base, lo, hi, max } => {
            write_expr(out, base);
            out.push('[');
            if let Some(lo) = lo {
                write_expr(out, lo);
            }
            out.push(':');
            if let Some(hi) = hi {
                write_expr(out, hi);
            }
            if let Some(max) = max {
                out.push(':');
                write_expr(out, max);
            }
            out.push(']');
        }
        ExprKind::TypeAssert { base, ty } => {
            write_expr(out, base);
            out.push_str(".(");
            write_type(out, ty);
            out.push(')');
        }
        ExprKind::Call { func, args, ellipsis } => {
            write_expr(out, func);
            out.push('(');
            write_exprs(out, args);
            if *ellipsis {
                out.push_str("...");
            }
            out.push(')');
        }
        ExprKind::Unary { op, operand } => {
            out.push_str(match op {
                UnaryOp::Neg => "-",
                UnaryOp::Plus => "+",
                UnaryOp::Not => "!",
                UnaryOp::BitNot => "^",
                UnaryOp::Deref => "*",
                UnaryOp::Addr => "&",
                UnaryOp::Recv => "<-",
            });
            write_expr(out, operand);
        }
        ExprKind::Binary { op, lhs, rhs } => {
            write_expr(out, lhs);
            out.push(' ');
            out.push_str(op.as_str());
            out.push(' ');
            write_expr(out, rhs);
        }
        ExprKind::Type(ty) => write_type(out, ty),
    }
}

fn write_params(out: &mut String, params: &[Param]) {
    let mut i = 0;
    while i < params.len() {
        if i > 0 {
            out.push_str(", ");
        }
        let p = &params[i];
        // Grouped names (`a, b int`) share one type expression.
        let mut j = i;
        while p.name.is_some() && j + 1 < params.len() && params[j + 1].name.is_some() && params[j + 1].ty.span == p.ty.span {
            j += 1;
        }
        for (k, q) in params[i..=j].iter().enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            if let Some(name) = &q.name {
                out.push_str(&name.name);
            }
        }
        if p.name.is_some() {
            out.push(' ');
        }
        if params[j].variadic {
            out.push_str("...");
        }
        write_type(out, &p.ty);
        i = j + 1;
    }
}

fn write_sig(out: &mut String, sig: &FuncSig) {
    out.push('(');
    write_params(out, &sig.params);
    out.push(')');
    match sig.results.as_slice() {
        [] => {}
        [one] if one.name.is_none() => {
            out.push(' ');
            write_type(out, &one.ty);
        }
        results => {
            out.push_str(" (");
            write_params(out, results);
            out.push(')');
        }
    }
}

fn write_type(out: &mut String, ty: &TypeExpr) {
    match &ty.kind {
        TypeExprKind::Name { pkg, name, type_args } => {
            if let Some(pkg) = pkg {
                out.push_str(&pkg.name);
                out.push('.');
            }
            out.push_str(&name.name);
            if !type_args.is_empty() {
                out.push('[');
                for (i, t) in type_args.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    write_type(out, t);
                }
                out.push(']');
            }
        }
        TypeExprKind::Pointer(elem) => {
            out.push('*');
            write_type(out, elem);
        }
        TypeExprKind::Array { len, elem } => {
            out.push('[');
            match len {
                Some(len) => write_expr(out, len),
                None => out.push_str("..."),
            }
            out.push(']');
            write_type(out, elem);
        }
        TypeExprKind::Slice(elem) => {
            out.push_str("[]");
            write_type(out, elem);
        }
        TypeExprKind::Map { key, value } => {
            out.push_str("map[");
            write_type(out, key);
            out.push(']');
            write_type(out, value);
        }
        TypeExprKind::Chan { dir, elem } => {
            out.push_str(match dir {
                ChanDir::Both => "chan ",
                ChanDir::Send => "chan<- ",
                ChanDir::Recv => "<-chan ",
            });
            write_type(out, elem);
        }
        TypeExprKind::Func(sig) => {
            out.push_str("func");
            write_sig(out, sig);
        }
        TypeExprKind::Struct(fields) => out.push_str(if fields.is_empty() { "struct{}" } else { "struct{…}" }),
        TypeExprKind::Interface(elems) => out.push_str(if elems.is_empty() { "interface{}" } else { "interface{…}" }),
    }
}

/// The expression of `file` whose span is exactly `span`, if any (the
/// outermost one when several share it).
pub fn find_expr(file: &File, span: Span) -> Option<&Expr> {
    let mut finder = Finder { span, found: None };
    for decl in &file.decls {
        if finder.found.is_some() {
            break;
        }
        match decl {
            Decl::Func(f) if contains(f.span, span) => visit::walk_func(&mut finder, f),
            Decl::Gen(g) if contains(g.span, span) => visit::walk_gen_decl(&mut finder, g),
            _ => {}
        }
    }
    finder.found
}

/// Spans of different files never hold each other: a library package merges
/// its files into one AST, where byte offsets alone overlap (and walking a
/// function of another file would parse its deferred body for nothing).
fn contains(outer: Span, inner: Span) -> bool {
    outer.file == inner.file && outer.start <= inner.start && inner.end <= outer.end
}

/// Goes only into nodes whose span holds the one searched for, and nowhere
/// once it is found.
struct Finder<'a> {
    span: Span,
    found: Option<&'a Expr>,
}

impl<'a> Visitor<'a> for Finder<'a> {
    fn expr(&mut self, e: &'a Expr) -> bool {
        if self.found.is_some() || !contains(e.span, self.span) {
            return false;
        }
        if e.span == self.span {
            self.found = Some(e);
            return false;
        }
        true
    }

    fn ty(&mut self, ty: &'a TypeExpr) -> bool {
        self.found.is_none() && contains(ty.span, self.span)
    }

    fn stmt(&mut self, s: &'a Stmt) -> bool {
        self.found.is_none() && contains(s.span, self.span)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn strings_are_quoted_as_go_quotes_them() {
        // Go 1.19: strconv.Quote("a\"b\\c\n\t\x01é\u0085\x7f\xff")
        let quoted = super::quote(b"a\"b\\c\n\t\x01\xc3\xa9\xc2\x85\x7f\xff");
        assert_eq!(quoted, r#""a\"b\\c\n\t\x01é\u0085\x7f\xff""#);
    }
}
