//! Helpers the grammar actions call to build AST nodes.
//!
//! The grammar parses some constructs more loosely than Go allows, because the
//! precise form is only known later in the token stream (parameter lists,
//! `:=` left-hand sides, type switches, composite literal types). These
//! functions turn the loose form into the AST, reporting what Go rejects.

use g2n_base::{FileId, Span};

use crate::ast::*;
use crate::error::SyntaxError;

pub(crate) fn sp(file: FileId, l: u32, r: u32) -> Span {
    Span::new(file, l, r)
}

/// A `goToNetwork` target must be a valid nanoservice name: it becomes a
/// file name and a path in `g2n build` and `g2n split`.
pub(crate) fn check_hop_target(target: &str, span: Span, errors: &mut Vec<SyntaxError>) {
    if let Err(reason) = g2n_base::check_nanoservice_name(target) {
        let shown: String = target.chars().take(g2n_base::NANOSERVICE_NAME_MAX).flat_map(char::escape_debug).collect();
        let msg = format!("invalid nanoservice name '{shown}' in goToNetwork: {reason}");
        errors.push(SyntaxError::InvalidNanoserviceName { msg, span });
    }
}

pub(crate) fn expr(kind: ExprKind, span: Span) -> Expr {
    Expr { kind, span }
}

/// Statements are built boxed: the parser's stack holds one value of the
/// largest type any grammar symbol has, and an unboxed [`Stmt`] (544 bytes)
/// made every shift and reduce copy that much (a third of parsing's time
/// was `memcpy`). The other large nodes travel boxed through the grammar for
/// the same reason.
pub(crate) fn stmt(kind: StmtKind, span: Span) -> Box<Stmt> {
    Box::new(Stmt { kind, span })
}

/// A list of nodes the grammar built boxed (see [`stmt`]), as the AST keeps it.
pub(crate) fn unbox<T>(boxed: Vec<Box<T>>) -> Vec<T> {
    boxed.into_iter().map(|b| *b).collect()
}

pub(crate) fn bin(op: BinaryOp, lhs: Expr, rhs: Expr) -> Expr {
    let span = lhs.span.to(rhs.span);
    // Two string literals joined by `+` are one constant: joined here, so
    // that a long chain of them (time/tzdata's zip data: one constant of
    // 7,000 literals) is one literal, not a tree as deep as the chain is
    // long, which every recursive pass would have to walk. A diagnostic
    // quoting the expression shows the joined literal.
    match (op, lhs, rhs) {
        (BinaryOp::Add, Expr { kind: ExprKind::StringLit(mut joined), .. }, Expr { kind: ExprKind::StringLit(tail), .. }) => {
            joined.extend(tail);
            expr(ExprKind::StringLit(joined), span)
        }
        (op, lhs, rhs) => expr(ExprKind::Binary { op, lhs: Box::new(lhs), rhs: Box::new(rhs) }, span),
    }
}

/// The internal marker for `x.(type)`: a type assertion to the keyword `type`,
/// a name no real type can have. Only a switch header turns it into a
/// [`StmtKind::TypeSwitch`].
pub(crate) const TYPE_KEYWORD: &str = "type";

/// The error is provisional: [`switch_stmt`] withdraws it when the marker is
/// the guard of a type switch, the one place Go allows it.
pub(crate) fn type_switch_marker(base: Expr, kw_span: Span, span: Span, errors: &mut Vec<SyntaxError>) -> Expr {
    errors.push(outside_type_switch(span));
    
let ty = TypeExpr {
        kind: TypeExprKind::Name {
            pkg: None,
            name: Ident { name: TYPE_KEYWORD.to_owned(), span: kw_span },
            type_args: Vec::new(),
        },
        span: kw_span,
    };
    expr(ExprKind::TypeAssert { base: Box::new(base), ty: Box::new(ty) }, span)
}

fn outside_type_switch(span: Span) -> SyntaxError {
    SyntaxError::Invalid { msg: "use of .(type) outside type switch".to_owned(), span }
}

fn is_type_switch_marker(e: &Expr) -> Option<&Expr> {
    if let ExprKind::TypeAssert { base, ty } = &e.kind
        && let TypeExprKind::Name { pkg: None, name, .. } = &ty.kind
        && name.name == TYPE_KEYWORD
    {
        return Some(base);
    }
    None
}

/// Reinterprets an expression parsed in operand position as a type: the
/// callee of a composite literal (`T{}`, `pkg.T{}`, `G[int]{}`) or a type in a
/// type switch case. The error hands the expression back unchanged so the
/// caller can report it with its span.
pub(crate) fn expr_to_type(e: Expr) -> Result<TypeExpr, Expr> {
    let span = e.span;
    match e.kind {
        ExprKind::Ident(name) => Ok(TypeExpr { kind: TypeExprKind::Name { pkg: None, name, type_args: Vec::new() }, span }),
        ExprKind::Selector { base, sel } => match base.kind {
            ExprKind::Ident(pkg) => {
                Ok(TypeExpr { kind: TypeExprKind::Name { pkg: Some(pkg), name: sel, type_args: Vec::new() }, span })
            }
            kind => Err(expr(ExprKind::Selector { base: Box::new(expr(kind, base.span)), sel }, span)),
        },
        ExprKind::Index { base, indices } => {
            let base = expr_to_type(*base)?;
            match base.kind {
                TypeExprKind::Name { pkg, name, type_args } if type_args.is_empty() => {
                    let mut args = Vec::with_capacity(indices.len());
                    for i in indices {
                        args.push(expr_to_type(i)?);
                    }
                    Ok(TypeExpr { kind: TypeExprKind::Name { pkg, name, type_args: args }, span })
                }
                _ => Err(expr(ExprKind::Type(Box::new(base)), span)),
            }
        }
        ExprKind::Unary { op: UnaryOp::Deref, operand } => {
            let inner = expr_to_type(*operand)?;
            Ok(TypeExpr { kind: TypeExprKind::Pointer(Box::new(inner)), span })
        }
        ExprKind::Paren(inner) => expr_to_type(*inner),
        ExprKind::Type(t) => Ok(*t),
        kind => Err(expr(kind, span)),
    }
}

/// `T{...}` where `T` was parsed as an expression.
pub(crate) fn composite(
    errors: &mut Vec<SyntaxError>,
    base: Expr,
    elems: Vec<KeyedElement>,
    span: Span,
) -> Expr {
    match expr_to_type(base) {
        Ok(ty) => expr(ExprKind::CompositeLit { ty: Some(Box::new(ty)), elems }, span),
        Err(bad) => {
            errors.push(SyntaxError::Invalid { msg: "invalid composite literal type".to_owned(), span: bad.span });
            expr(ExprKind::CompositeLit { ty: None, elems }, span)
        }
    }
}

/// One item of a parameter list before regrouping: `T`, `a T`, `a ...T`, `...T`.
pub(crate) struct ParamItem {
    pub name: Option<Ident>,
    pub ty: TypeExpr,
    pub variadic: bool,
    pub span: Span,
}

/// Regroups `(a, b int, c string)` and `(int, string)` into [`Param`]s, as Go
/// does: if any item has a name, every bare item must be a name that takes the
/// type of the next named item.
// The items come boxed as the grammar builds them (see [`stmt`]);
// unboxing them into a new vector first would only add a copy.
#[allow(clippy::vec_box)]
pub(crate) fn group_params(items: Vec<Box<ParamItem>>, errors: &mut Vec<SyntaxError>) -> Vec<Param> {
    if items.iter().all(|p| p.name.is_none()) {
        return items
            .into_iter()
            .map(|p| Param { name: None, ty: p.ty, variadic: p.variadic, span: p.span })
            .collect();
    }
    let mut out: Vec<Param> = Vec::with_capacity(items.len());
    let mut pending: Vec<(Ident, Span)> = Vec::new();
    for p in items {
        match p.name {
            Some(name) => {
                for (n, s) in pending.drain(..) {
                    out.push(Param { name: Some(n), ty: p.ty.clone(), variadic: false, span: s });
                }
                out.push(Param { name: Some(name), ty: p.ty, variadic: p.variadic, span: p.span });
            }
            None => match p.ty.kind {
                TypeExprKind::Name { pkg: None, name, type_args } if type_args.is_empty() && !p.variadic => {
                    pending.push((name, p.span));
                }
                _ => errors.push(SyntaxError::Invalid {
                    msg: "mixed named and unnamed parameters".to_owned(),
                    span: p.span,
                }),
            },
        }
    }
    if let Some((_, s)) = pending.first() {
        errors.push(SyntaxError::Invalid { msg: "mixed named and unnamed parameters".to_owned(), span: *s });
    }
    out
}

/// `go` and `defer` take a call, not parenthesized (Go's parser, `callStmt`).
pub(crate) fn call_stmt_check(keyword: &str, e: &Expr, errors: &mut Vec<SyntaxError>) {
    if let ExprKind::Paren(inner) = &e.kind
        && matches!(inner.kind, ExprKind::Call { .. })
    {
        errors.push(SyntaxError::Invalid { msg: format!("expression in {keyword} must not be parenthesized"), span: e.span });
        return;
    }
    if !matches!(e.kind, ExprKind::Call { .. }) {
        errors.push(SyntaxError::NotACall { msg: format!("expression in {keyword} must be function call"), span: e.span });
    }
}

/// The left side of `:=` must be names.
pub(crate) fn short_var_decl(lhs: Vec<Expr>, values: Vec<Expr>, span: Span, errors: &mut Vec<SyntaxError>) -> Box<Stmt> {
    let mut names = Vec::with_capacity(lhs.len());
    for e in lhs {
        match e.kind {
            ExprKind::Ident(id) => names.push(id),
            _ => errors.push(SyntaxError::Invalid {
                msg: format!("non-name {} on left side of :=", crate::print::expr_string(&e)),
                span: e.span,
            }),
        }
    }
    stmt(StmtKind::ShortVarDecl { names, values }, span)
}

/// An expression list used as a statement: only one expression is allowed.
pub(crate) fn expr_stmt(mut list: Vec<Expr>, span: Span, errors: &mut Vec<SyntaxError>) -> Box<Stmt> {
    if list.len() != 1 {
        errors.push(SyntaxError::Invalid {
            msg: "expression list is not a statement (missing = or :=?)".to_owned(),
            span,
        });
    }
    match list.pop() {
        Some(e) if list.is_empty() => stmt(StmtKind::Expr(e), span),
        _ => stmt(StmtKind::Empty, span),
    }
}

/// A case or default clause, before the switch kind is known.
pub(crate) struct RawClause {
    pub exprs: Vec<Expr>,
    pub is_default: bool,
    pub body: Vec<Stmt>,
    pub span: Span,
}

fn is_nil(e: &Expr) -> bool {
    matches!(&e.kind, ExprKind::Ident(id) if id.name == "nil")
}

/// Builds an expression switch or a type switch from a header
/// `switch [init;] [tag] {`, where the tag was parsed as a simple statement so
/// that `v := x.(type)` fits.
pub(crate) fn switch_stmt(
    init: Option<Box<Stmt>>,
    tag: Option<Box<Stmt>>,
    clauses: Vec<RawClause>,
    span: Span,
    errors: &mut Vec<SyntaxError>,
) -> Box<Stmt> {
    let guard = match tag.map(|tag| *tag) {
        None => None,
        Some(Stmt { kind: StmtKind::Expr(e), .. }) => match is_type_switch_marker(&e) {
            Some(_) => Some((None, e)),
            None => {
                return stmt(StmtKind::Switch { init, tag: Some(e), clauses: expr_clauses(clauses) }, span);
            }
        },
        Some(Stmt { kind: StmtKind::ShortVarDecl { mut names, mut values }, span: s })
            if names.len() == 1 && values.len() == 1 && values.first().is_some_and(|v| is_type_switch_marker(v).is_some()) =>
        {
            match (names.pop(), values.pop()) {
                (Some(n), Some(v)) => Some((Some(n), v)),
                _ => {
                    errors.push(SyntaxError::Invalid { msg: "invalid switch header".to_owned(), span: s });
                    None
                }
            }
        }
        Some(other) => {
            errors.push(SyntaxError::Invalid {
                msg: "switch expression must be an expression".to_owned(),
                span: other.span,
            });
            None
        }
    };
    match guard {
        None => stmt(StmtKind::Switch { init, tag: None, clauses: expr_clauses(clauses) }, span),
        Some((binding, marker)) => {
            let provisional = outside_type_switch(marker.span);
            if let Some(pos) = errors.iter().rposition(|e| *e == provisional) {
                errors.remove(pos);
            }
            let expr = match marker.kind {
                ExprKind::TypeAssert { base, .. } => *base,
                other => Expr { kind: other, span: marker.span },
            };
            let mut out = Vec::with_capacity(clauses.len());
            for c in clauses {
                let mut types = Vec::with_capacity(c.exprs.len());
                for e in c.exprs {
                    if is_nil(&e) {
                        types.push(None);
                        continue;
                    }
                    match expr_to_type(e) {
                        Ok(t) => types.push(Some(t)),
                        Err(bad) => errors.push(SyntaxError::Invalid { msg: "expected type in type switch case".to_owned(), span: bad.span }),
                    }
                }
                out.push(TypeCaseClause { types, is_default: c.is_default, body: c.body, span: c.span });
            }
            stmt(StmtKind::TypeSwitch { init, binding, expr, clauses: out }, span)
        }
    }
}

fn expr_clauses(clauses: Vec<RawClause>) -> Vec<CaseClause> {
    clauses
        .into_iter()
        .map(|c| CaseClause { exprs: c.exprs, is_default: c.is_default, body: c.body, span: c.span })
        .collect()
}

/// `for [k [, v]] (= | :=) range x`.
pub(crate) fn for_range(
    lhs: Vec<Expr>,
    define: bool,
    expr: Expr,
    body: Block,
    span: Span,
    errors: &mut Vec<SyntaxError>,
) -> Box<Stmt> {
    if lhs.len() > 2 {
        errors.push(SyntaxError::Invalid { msg: "range clause permits at most two iteration variables".to_owned(), span });
    }
    let mut it = lhs.into_iter();
    let key = it.next();
    let value = it.next();
    if define {
        for e in key.iter().chain(value.iter()) {
            if !matches!(e.kind, ExprKind::Ident(_)) {
                errors.push(SyntaxError::Invalid { msg: format!("non-name {} on left side of :=", crate::print::expr_string(e)), span: e.span });
            }
        }
    }
    stmt(StmtKind::ForRange { key, value, define, expr, body }, span)
}

/// `G[a, b]` in a parameter list, where the arguments were parsed as
/// expressions because `name [N]T` starts the same way.
pub(crate) fn generic_type(name: Ident, args: Vec<Expr>, span: Span, errors: &mut Vec<SyntaxError>) -> TypeExpr {
    let mut type_args = Vec::with_capacity(args.len());
    for a in args {
        match expr_to_type(a) {
            Ok(t) => type_args.push(t),
            Err(bad) => errors.push(SyntaxError::Invalid { msg: "expected type argument".to_owned(), span: bad.span }),
        }
    }
    TypeExpr { kind: TypeExprKind::Name { pkg: None, name, type_args }, span }
}

/// A constraint: one plain type stays itself, anything else (`~int`,
/// `int | string`) becomes an interface with one union element, as the
/// specification defines it.
pub(crate) fn union_type(terms: Vec<TypeTerm>, span: Span) -> TypeExpr {
    if terms.len() == 1 && terms.first().is_some_and(|t| !t.tilde) {
        if let Some(t) = terms.into_iter().next() {
            return t.ty;
        }
        return TypeExpr { kind: TypeExprKind::Interface(Vec::new()), span };
    }
    TypeExpr { kind: TypeExprKind::Interface(vec![InterfaceElem::Union(terms)]), span }
}

#[cfg(test)]
mod tests {
    use crate::ast::{Decl, ExprKind, Spec};

    /// The value of the package's first `const`.
    fn first_const(text: &str) -> ExprKind {
        let (file, errors) = crate::parse_file(g2n_base::FileId(0), text);
        assert!(errors.is_empty(), "{errors:?}");
        let Some(Decl::Gen(decl)) = file.decls.first() else { panic!("no declaration") };
        let Some(Spec::Value { values, .. }) = decl.specs.first() else { panic!("no value") };
        values[0].kind.clone()
    }

    /// String literals added together are one literal, however many (time/
    /// tzdata's zip data is 7,000 of them, past the lexer's limit on the
    /// operators of one expression); anything else added stays an addition.
    #[test]
    fn string_literals_joined_by_plus_are_one_literal() {
        let many = vec!["\"\\x00ab\""; 5000].join(" +\n\t");
        let ExprKind::StringLit(bytes) = first_const(&format!("package p\n\nconst zip = {many}\n")) else { panic!("not one literal") };
        assert_eq!(bytes.len(), 15000);
        assert_eq!(&bytes[..3], b"\0ab");
        assert_eq!(first_const("package p\n\nconst s = \"a\" + `b` + \"c\"\n"), ExprKind::StringLit(b"abc".to_vec()));
        assert!(matches!(first_const("package p\n\nconst s = x + \"a\" + \"b\"\n"), ExprKind::Binary { .. }));
        assert!(matches!(first_const("package p\n\nconst s = (\"a\") + \"b\"\n"), ExprKind::Binary { .. }));
        // Other operators still count towards the lexer's limit, which
        // stops the file there.
        let sums = vec!["1"; 1500].join(" + ");
        let (_, errors) = crate::parse_file(g2n_base::FileId(0), &format!("package p\n\nconst n = {sums}\n"));
        assert!(!errors.is_empty());
    }
}
