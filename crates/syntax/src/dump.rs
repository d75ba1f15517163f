//! A stable, indented text form of the AST for golden tests and debugging.
//!
//! One node per line, `Kind detail @start..end`, children indented by two
//! spaces. Hand-written rather than `{:#?}` so that it stays short enough to
//! review in a diff and does not change when a field is added to a struct.

use std::fmt::Write;

use g2n_base::Span;

use crate::ast::*;

struct Printer {
    out: String,
    depth: usize,
}

impl Printer {
    fn line(&mut self, text: &str, span: Span) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        let _ = writeln!(self.out, "{text} @{}..{}", span.start, span.end);
    }

    fn label(&mut self, text: &str) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn nested(&mut self, f: impl FnOnce(&mut Printer)) {
        self.depth += 1;
        f(self);
        self.depth -= 1;
    }

    /// A labelled group of children, e.g. `init:`.
    fn group(&mut self, name: &str, f: impl FnOnce(&mut Printer)) {
        self.label(&format!("{name}:"));
        self.nested(f);
    }

    fn ident(&mut self, what: &str, id: &Ident) {
        self.line(&format!("{what} {}", id.name), id.span);
    }

    fn file(&mut self, f: &File) {
        self.line("File", f.span);
        self.nested(|p| {
            p.ident("Package", &f.package);
            for i in &f.imports {
                let alias = i.alias.as_ref().map(|a| format!(" as {}", a.name)).unwrap_or_default();
                p.line(&format!("Import {:?}{alias}", i.path), i.span);
            }
            for d in &f.decls {
                match d {
                    Decl::Func(fd) => p.func_decl(fd),
                    Decl::Gen(g) => p.gen_decl(g),
                }
            }
        });
    }

    fn func_decl(&mut self, f: &FuncDecl) {
        self.line(&format!("FuncDecl {}", f.name.name), f.span);
        self.nested(|p| {
            if let Some(r) = &f.recv {
                p.group("recv", |p| p.param(r));
            }
            p.type_params(&f.type_params);
            p.sig(&f.sig);
            match f.full_body() {
                Some(b) => p.block(b),
                None => p.label("no body"),
            }
        });
    }

    fn type_params(&mut self, tps: &[TypeParam]) {
        if tps.is_empty() {
            return;
        }
        self.group("type params", |p| {
            for tp in tps {
                p.ident("TypeParam", &tp.name);
                p.nested(|p| p.ty(&tp.constraint));
            }
        });
    }

    fn sig(&mut self, s: &FuncSig) {
        self.line("Sig", s.span);
        self.nested(|p| {
            for prm in &s.params {
                p.param(prm);
            }
            if !s.results.is_empty() {
                p.group("results", |p| {
                    for r in &s.results {
                        p.param(r);
                    }
                });
            }
        });
    }

    fn param(&mut self, prm: &Param) {
        let name = prm.name.as_ref().map(|n| n.name.as_str()).unwrap_or("_");
        let dots = if prm.variadic { " ..." } else { "" };
        self.line(&format!("Param {name}{dots}"), prm.span);
        self.nested(|p| p.ty(&prm.ty));
    }

    fn gen_decl(&mut self, g: &GenDecl) {
        let kind = match g.kind {
            GenKind::Var => "var",
            GenKind::Const => "const",
            GenKind::Type => "type",
        };
        self.line(&format!("GenDecl {kind}"), g.span);
        self.nested(|p| {
            for s in &g.specs {
                p.spec(s);
            }
        });
    }

    fn spec(&mut self, s: &Spec) {
        match s {
            Spec::Value { names, ty, values, span } => {
                let names: Vec<&str> = names.iter().map(|n| n.name.as_str()).collect();
                self.line(&format!("ValueSpec {}", names.join(", ")), *span);
                self.nested(|p| {
                    if let Some(t) = ty {
                        p.ty(t);
                    }
                    for v in values {
                        p.expr(v);
                    }
                });
            }
            Spec::Type { name, type_params, alias, ty, span } => {
                let eq = if *alias { " =" } else { "" };
                self.line(&format!("TypeSpec {}{eq}", name.name), *span);
                self.nested(|p| {
                    p.type_params(type_params);
                    p.ty(ty);
                });
            }
        }
    }

    fn ty(&mut self, t: &TypeExpr) {
        match &t.kind {
            TypeExprKind::Name { pkg, name, type_args } => {
                let full = match pkg {
                    Some(p) => format!("{}.{}", p.name, name.name),
                    None => name.name.clone(),
                };
                self.line(&format!("TypeName {full}"), t.span);
                self.nested(|p| {
                    for a in type_args {
                        p.ty(a);
                    }
                });
            }
            TypeExprKind::Pointer(inner) => {
                self.line("PointerType", t.span);
                self.nested(|p| p.ty(inner));
            }
            TypeExprKind::Array { len, elem } => {
                self.line(if len.is_some() { "ArrayType" } else { "ArrayType [...]" }, t.span);
                self.nested(|p| {
                    if let Some(l) = len {
                        p.expr(l);
                    }
                    p.ty(elem);
                });
            }
            TypeExprKind::Slice(elem) => {
                self.line("SliceType", t.span);
                self.nested(|p| p.ty(elem));
            }
            TypeExprKind::Map { key, value } => {
                self.line("MapType", t.span);
                self.nested(|p| {
                    p.ty(key);
                    p.ty(value);
                });
            }
            TypeExprKind::Chan { dir, elem } => {
                let d = match dir {
                    ChanDir::Both => "chan",
                    ChanDir::Send => "chan<-",
                    ChanDir::Recv => "<-chan",
                };
                self.line(&format!("ChanType {d}"), t.span);
                self.nested(|p| p.ty(elem));
            }
            TypeExprKind::Func(sig) => {
                self.line("FuncType", t.span);
                self.nested(|p| p.sig(sig));
            }
            TypeExprKind::Struct(fields) => {
                self.line("StructType", t.span);
                self.nested(|p| {
                    for f in fields {
                        let names: Vec<&str> = f.names.iter().map(|n| n.name.as_str()).collect();
                        let names = if names.is_empty() { "(embedded)".to_owned() } else { names.join(", ") };
                        let tag = f.tag.as_ref().map(|t| format!(" tag={t:?}")).unwrap_or_default();
                        p.line(&format!("Field {names}{tag}"), f.span);
                        p.nested(|p| p.ty(&f.ty));
                    }
                });
            }
            TypeExprKind::Interface(elems) => {
                self.line("InterfaceType", t.span);
                self.nested(|p| {
                    for e in elems {
                        match e {
                            InterfaceElem::Method { name, sig } => {
                                p.ident("Method", name);
                                p.nested(|p| p.sig(sig));
                            }
                            InterfaceElem::Union(terms) => {
                                p.label("Union");
                                p.nested(|p| {
                                    for term in terms {
                                        if term.tilde {
                                            p.label("~");
                                        }
                                        p.ty(&term.ty);
                                    }
                                });
                            }
                        }
                    }
                });
            }
        }
    }

    fn block(&mut self, b: &Block) {
        self.line("Block", b.span);
        self.nested(|p| {
            for s in &b.stmts {
                p.stmt(s);
            }
        });
    }

    fn opt_stmt(&mut self, name: &str, s: &Option<Box<Stmt>>) {
        if let Some(s) = s {
            self.group(name, |p| p.stmt(s));
        }
    }

    fn stmts(&mut self, body: &[Stmt]) {
        for s in body {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        let span = s.span;
        match &s.kind {
            StmtKind::Decl(g) => {
                self.line("DeclStmt", span);
                self.nested(|p| p.gen_decl(g));
            }
            StmtKind::ShortVarDecl { names, values } => {
                let names: Vec<&str> = names.iter().map(|n| n.name.as_str()).collect();
                self.line(&format!("ShortVarDecl {}", names.join(", ")), span);
                self.nested(|p| {
                    for v in values {
                        p.expr(v);
                    }
                });
            }
            StmtKind::Assign { lhs, op, rhs } => {
                let op = op.map(|o| format!("{}=", o.as_str())).unwrap_or_else(|| "=".to_owned());
                self.line(&format!("Assign {op}"), span);
                self.nested(|p| {
                    p.group("lhs", |p| lhs.iter().for_each(|e| p.expr(e)));
                    p.group("rhs", |p| rhs.iter().for_each(|e| p.expr(e)));
                });
            }
            StmtKind::IncDec { target, inc } => {
                self.line(if *inc { "IncDec ++" } else { "IncDec --" }, span);
                self.nested(|p| p.expr(target));
            }
            StmtKind::Expr(e) => {
                self.line("ExprStmt", span);
                self.nested(|p| p.expr(e));
            }
            StmtKind::Send { chan, value } => {
                self.line("Send", span);
                self.nested(|p| {
                    p.expr(chan);
                    p.expr(value);
                });
            }
            StmtKind::Block(b) => self.block(b),
            StmtKind::If { init, cond, then, els } => {
                self.line("If", span);
                self.nested(|p| {
                    p.opt_stmt("init", init);
                    p.group("cond", |p| p.expr(cond));
                    p.block(then);
                    p.opt_stmt("else", els);
                });
            }
            StmtKind::For { init, cond, post, body } => {
                self.line("For", span);
                self.nested(|p| {
                    p.opt_stmt("init", init);
                    if let Some(c) = cond {
                        p.group("cond", |p| p.expr(c));
                    }
                    p.opt_stmt("post", post);
                    p.block(body);
                });
            }
            StmtKind::ForRange { key, value, define, expr, body } => {
                self.line(if *define { "ForRange :=" } else { "ForRange =" }, span);
                self.nested(|p| {
                    if let Some(k) = key {
                        p.group("key", |p| p.expr(k));
                    }
                    if let Some(v) = value {
                        p.group("value", |p| p.expr(v));
                    }
                    p.group("range", |p| p.expr(expr));
                    p.block(body);
                });
            }
            StmtKind::Switch { init, tag, clauses } => {
                self.line("Switch", span);
                self.nested(|p| {
                    p.opt_stmt("init", init);
                    if let Some(t) = tag {
                        p.group("tag", |p| p.expr(t));
                    }
                    for c in clauses {
                        p.line(if c.is_default { "Default" } else { "Case" }, c.span);
                        p.nested(|p| {
                            for e in &c.exprs {
                                p.expr(e);
                            }
                            p.group("body", |p| p.stmts(&c.body));
                        });
                    }
                });
            }
            StmtKind::TypeSwitch { init, binding, expr, clauses } => {
                let b = binding.as_ref().map(|b| format!(" {} :=", b.name)).unwrap_or_default();
                self.line(&format!("TypeSwitch{b}"), span);
                self.nested(|p| {
                    p.opt_stmt("init", init);
                    p.group("expr", |p| p.expr(expr));
                    for c in clauses {
                        p.line(if c.is_default { "Default" } else { "Case" }, c.span);
                        p.nested(|p| {
                            for t in &c.types {
                                match t {
                                    Some(t) => p.ty(t),
                                    None => p.label("nil"),
                                }
                            }
                            p.group("body", |p| p.stmts(&c.body));
                        });
                    }
                });
            }
            StmtKind::Select { clauses } => {
                self.line("Select", span);
                self.nested(|p| {
                    for c in clauses {
                        p.line(if c.comm.is_some() { "Case" } else { "Default" }, c.span);
                        p.nested(|p| {
                            if let Some(comm) = &c.comm {
                                p.group("comm", |p| p.stmt(comm));
                            }
                            p.group("body", |p| p.stmts(&c.body));
                        });
                    }
                });
            }
            StmtKind::Return(values) => {
                self.line("Return", span);
                self.nested(|p| values.iter().for_each(|e| p.expr(e)));
            }
            StmtKind::Break(l) => self.line(&format!("Break{}", label_suffix(l)), span),
            StmtKind::Continue(l) => self.line(&format!("Continue{}", label_suffix(l)), span),
            StmtKind::Goto(l) => self.line(&format!("Goto {}", l.name), span),
            StmtKind::Fallthrough => self.line("Fallthrough", span),
            StmtKind::Labeled { label, stmt } => {
                self.line(&format!("Labeled {}", label.name), span);
                self.nested(|p| p.stmt(stmt));
            }
            StmtKind::Go(e) => {
                self.line("Go", span);
                self.nested(|p| p.expr(e));
            }
            StmtKind::Defer(e) => {
                self.line("Defer", span);
                self.nested(|p| p.expr(e));
            }
            StmtKind::GoToNetwork { target, target_span } => {
                self.line(&format!("GoToNetwork {target:?} (target @{}..{})", target_span.start, target_span.end), span);
            }
            StmtKind::Empty => self.line("Empty", span),
        }
    }

    fn expr(&mut self, e: &Expr) {
        let span = e.span;
        match &e.kind {
            ExprKind::Ident(id) => self.line(&format!("Ident {}", id.name), span),
            ExprKind::IntLit(s) => self.line(&format!("Int {s}"), span),
            ExprKind::FloatLit(s) => self.line(&format!("Float {s}"), span),
            ExprKind::ImagLit(s) => self.line(&format!("Imag {s}"), span),
            ExprKind::RuneLit(s) => self.line(&format!("Rune {s}"), span),
            ExprKind::StringLit(s) => self.line(&format!("String {:?}", String::from_utf8_lossy(s)), span),
            ExprKind::CompositeLit { ty, elems } => {
                self.line(if ty.is_some() { "CompositeLit" } else { "CompositeLit (elided type)" }, span);
                self.nested(|p| {
                    if let Some(t) = ty {
                        p.ty(t);
                    }
                    for el in elems {
                        match &el.key {
                            Some(k) => {
                                p.line("KeyValue", el.span);
                                p.nested(|p| {
                                    p.expr(k);
                                    p.expr(&el.value);
                                });
                            }
                            None => p.expr(&el.value),
                        }
                    }
                });
            }
            ExprKind::FuncLit { sig, body } => {
                self.line("FuncLit", span);
                self.nested(|p| {
                    p.sig(sig);
                    p.block(body);
                });
            }
            ExprKind::Paren(inner) => {
                self.line("Paren", span);
                self.nested(|p| p.expr(inner));
            }
            ExprKind::Selector { base, sel } => {
                self.line(&format!("Selector .{}", sel.name), span);
                self.nested(|p| p.expr(base));
            }
            ExprKind::Index { base, indices } => {
                self.line("Index", span);
                self.nested(|p| {
                    p.expr(base);
                    indices.iter().for_each(|i| p.expr(i));
                });
            }
            ExprKind::Slice { base, lo, hi, max } => {
                self.line("SliceExpr", span);
                self.nested(|p| {
                    p.expr(base);
                    for (name, part) in [("lo", lo), ("hi", hi), ("max", max)] {
                        if let Some(x) = part {
                            p.group(name, |p| p.expr(x));
                        }
                    }
                });
            }
            ExprKind::TypeAssert { base, ty } => {
                self.line("TypeAssert", span);
                self.nested(|p| {
                    p.expr(base);
                    p.ty(ty);
                });
            }
            ExprKind::Call { func, args, ellipsis } => {
                self.line(if *ellipsis { "Call ..." } else { "Call" }, span);
                self.nested(|p| {
                    p.expr(func);
                    args.iter().for_each(|a| p.expr(a));
                });
            }
            ExprKind::Unary { op, operand } => {
                let op = match op {
                    UnaryOp::Neg => "-",
                    UnaryOp::Plus => "+",
                    UnaryOp::Not => "!",
                    UnaryOp::BitNot => "^",
                    UnaryOp::Deref => "*",
                    UnaryOp::Addr => "&",
                    UnaryOp::Recv => "<-",
                };
                self.line(&format!("Unary {op}"), span);
                self.nested(|p| p.expr(operand));
            }
            ExprKind::Binary { op, lhs, rhs } => {
                self.line(&format!("Binary {}", op.as_str()), span);
                self.nested(|p| {
                    p.expr(lhs);
                    p.expr(rhs);
                });
            }
            ExprKind::Type(t) => {
                self.line("TypeExpr", span);
                self.nested(|p| p.ty(t));
            }
        }
    }
}

fn label_suffix(l: &Option<Ident>) -> String {
    l.as_ref().map(|l| format!(" {}", l.name)).unwrap_or_default()
}

/// The AST as indented text, one node per line with its byte span.
pub fn dump_ast(file: &File) -> String {
    let mut p = Printer { out: String::new(), depth: 0 };
    p.file(file);
    p.out
}
