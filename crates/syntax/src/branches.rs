//! Labels, `goto`, `break`, `continue` and `fallthrough` of each function
//! body, checked after parsing as Go's parser does (`syntax/branches.go`),
//! with its messages: undefined, unused and duplicate labels, `goto`s into
//! blocks or over variable declarations, and misplaced branch statements.
//! Messages that cite a second position carry it as [`g2n_base::At`], which
//! the driver renders as `file:line:col`.

use crate::ast::*;
use crate::error::SyntaxError;
use g2n_base::{At, Span};
use std::collections::HashMap;

/// Checks every function body (and function literal) of `file`.
pub fn check_file(file: &File, text: &str) -> Vec<SyntaxError> {
    let mut errors = Vec::new();
    let mut bodies: Vec<&Block> = Vec::new();
    for decl in &file.decls {
        match decl {
            Decl::Func(f) => {
                if let Some(body) = &f.body {
                    bodies.push(body);
                }
            }
            Decl::Gen(g) => g.specs.iter().for_each(|s| spec_func_lits(s, &mut bodies)),
        }
    }
    // Function literals nest: every body found adds the literals inside it.
    let mut index = 0;
    while index < bodies.len() {
        let body = bodies[index];
        let mut ls = LabelScope { text, labels: HashMap::new(), blocks: Vec::new(), errors: &mut errors, lits: Vec::new() };
        ls.check_body(body);
        let lits = std::mem::take(&mut ls.lits);
        bodies.extend(lits);
        index += 1;
    }
    errors
}

fn spec_func_lits<'a>(spec: &'a Spec, out: &mut Vec<&'a Block>) {
    if let Spec::Value { values, .. } = spec {
        values.iter().for_each(|v| expr_func_lits(v, out));
    }
}

/// Function literals in `e` (not inside other literals: those are found when
/// the outer literal's body is checked).
fn expr_func_lits<'a>(e: &'a Expr, out: &mut Vec<&'a Block>) {
    match &e.kind {
        ExprKind::FuncLit { body, .. } => out.push(body),
        ExprKind::CompositeLit { elems, .. } => {
            for el in elems {
                if let Some(k) = &el.key {
                    expr_func_lits(k, out);
                }
                expr_func_lits(&el.value, out);
            }
        }
        ExprKind::Paren(x) | ExprKind::Selector { base: x, .. } | ExprKind::TypeAssert { base: x, .. } | ExprKind::Unary { operand: x, .. } => {
            expr_func_lits(x, out)
        }
        ExprKind::Index { base, indices } => {
            expr_func_lits(base, out);
            indices.iter().for_each(|i| expr_func_lits(i, out));
        }
        ExprKind::Slice { base, lo, hi, max } => {
            expr_func_lits(base, out);
            for part in [lo, hi, max].into_iter().flatten() {
                expr_func_lits(part, out);
            }
        }
        ExprKind::Call { func, args, .. } => {
            expr_func_lits(func, out);
            args.iter().for_each(|a| expr_func_lits(a, out));
        }
        ExprKind::Binary { lhs, rhs, .. } => {
            expr_func_lits(lhs, out);
            expr_func_lits(rhs, out);
        }
        _ => {}
    }
}

/// A label of the function: its block, its statement's label, and whether a
/// branch statement names it.
struct Label {
    block: usize,
    ident: Span,
    used: bool,
}

/// A block: its parent, where it starts, and the labeled statement it
/// belongs to (the body of `L: for { ... }` belongs to `L`).
struct BlockInfo {
    parent: Option<usize>,
    start: Span,
    lstmt: Option<Span>,
}

/// What the labeled statement `lstmt` labels, for `break L` / `continue L`.
#[derive(Clone, Copy, PartialEq)]
enum Labeled {
    Loop,
    SwitchOrSelect,
    Other,
}

/// The innermost statements an unlabeled `break` and `continue` leave.
#[derive(Clone, Copy)]
struct Targets {
    breaks: Option<Target>,
    continues: bool,
    /// In a switch case: its index and the number of cases; `None` in a
    /// nested block.
    case: Option<(usize, usize)>,
}

#[derive(Clone, Copy, PartialEq)]
enum Target {
    Loop,
    Switch,
    TypeSwitch,
    Select,
}

struct Goto<'a> {
    label: &'a Ident,
}

struct LabelScope<'a, 'e> {
    text: &'a str,
    labels: HashMap<String, Label>,
    blocks: Vec<BlockInfo>,
    errors: &'e mut Vec<SyntaxError>,
    lits: Vec<&'a Block>,
}

fn err(errors: &mut Vec<SyntaxError>, msg: String, span: Span) {
    errors.push(SyntaxError::Branch { msg, span });
}

impl<'a> LabelScope<'a, '_> {
    fn check_body(&mut self, body: &'a Block) {
        let ctxt = Targets { breaks: None, continues: false, case: None };
        let fwd = self.block_branches(None, ctxt, None, body.span, &body.stmts, &mut HashMap::new());
        for goto in fwd {
            let name = &goto.label.name;
            match self.labels.get_mut(name) {
                Some(label) => {
                    label.used = true;
                    let start = self.blocks[label.block].start;
                    err(self.errors, format!("goto {name} jumps into block starting at {}", At(start)), goto.label.span);
                }
                None => err(self.errors, format!("label {name} not defined"), goto.label.span),
            }
        }
        let mut unused: Vec<(Span, String)> =
            self.labels.iter().filter(|(_, l)| !l.used).map(|(name, l)| (l.ident, name.clone())).collect();
        unused.sort_by_key(|(span, _)| span.start);
        for (span, name) in unused {
            err(self.errors, format!("label {name} defined and not used"), span);
        }
    }

    /// The span of the `:=` after `names` (Go positions a short variable
    /// declaration at its operator).
    fn define_pos(&self, names: &[Ident], stmt: Span) -> Span {
        let after = names.last().map_or(stmt.start, |n| n.span.end) as usize;
        let rest = self.text.get(after..).unwrap_or("");
        match rest.find(":=") {
            Some(at) => Span::new(stmt.file, (after + at) as u32, (after + at + 2) as u32),
            None => stmt,
        }
    }

    /// Checks one block's statements; returns the forward `goto`s it could
    /// not resolve. `kinds` records what each labeled statement labels.
    fn block_branches(
        &mut self,
        parent: Option<usize>,
        ctxt: Targets,
        lstmt: Option<Span>,
        start: Span,
        body: &'a [Stmt],
        kinds: &mut HashMap<Span, Labeled>,
    ) -> Vec<Goto<'a>> {
        let b = self.blocks.len();
        self.blocks.push(BlockInfo { parent, start, lstmt });
        let mut var_decl: Option<(Span, String)> = None;
        let mut fwd_gotos: Vec<Goto<'a>> = Vec::new();
        let mut bad_gotos: Vec<Span> = Vec::new();

        for (index, stmt) in body.iter().enumerate() {
            let mut lstmt: Option<Span> = None;
            let mut stmt = stmt;
            while let StmtKind::Labeled { label, stmt: inner } = &stmt.kind {
                if label.name != "_" {
                    self.declare(b, label);
                    let name = &label.name;
                    let mut kept = Vec::new();
                    for fwd in fwd_gotos.drain(..) {
                        if fwd.label.name == *name {
                            if let Some(l) = self.labels.get_mut(name) {
                                l.used = true;
                            }
                            if let Some((pos, var)) = &var_decl
                                && bad_gotos.contains(&fwd.label.span)
                            {
                                err(
                                    self.errors,
                                    format!("goto {name} jumps over declaration of {var} at {}", At(*pos)),
                                    fwd.label.span,
                                );
                            }
                        } else {
                            kept.push(fwd);
                        }
                    }
                    fwd_gotos = kept;
                    lstmt = Some(label.span);
                    kinds.insert(
                        label.span,
                        match inner.kind {
                            StmtKind::For { .. } | StmtKind::ForRange { .. } => Labeled::Loop,
                            StmtKind::Switch { .. } | StmtKind::TypeSwitch { .. } | StmtKind::Select { .. } => {
                                Labeled::SwitchOrSelect
                            }
                            _ => Labeled::Other,
                        },
                    );
                }
                stmt = inner;
            }
            let mut more: Vec<Goto<'a>> = Vec::new();
            self.stmt_func_lits(stmt);
            match &stmt.kind {
                StmtKind::Decl(decl) if decl.kind == GenKind::Var => {
                    if let Some(Spec::Value { names, .. }) = decl.specs.first()
                        && let Some(first) = names.first()
                    {
                        var_decl = Some((first.span, first.name.clone()));
                        bad_gotos = fwd_gotos.iter().map(|g| g.label.span).collect();
                    }
                }
                StmtKind::ShortVarDecl { names, .. } => {
                    let text = names.iter().map(|n| n.name.as_str()).collect::<Vec<_>>().join(", ");
                    var_decl = Some((self.define_pos(names, stmt.span), text));
                    bad_gotos = fwd_gotos.iter().map(|g| g.label.span).collect();
                }
                StmtKind::Break(None) if ctxt.breaks.is_none() => {
                    err(self.errors, "break is not in a loop, switch, or select".into(), stmt.span);
                }
                StmtKind::Continue(None) if !ctxt.continues => {
                    err(self.errors, "continue is not in a loop".into(), stmt.span);
                }
                StmtKind::Fallthrough => {
                    let mut msg = Some("fallthrough statement out of place");
                    if let Some(t @ (Target::Switch | Target::TypeSwitch)) = ctxt.breaks {
                        if t == Target::TypeSwitch {
                            msg = Some("cannot fallthrough in type switch");
                        } else if let Some((case, cases)) = ctxt.case {
                            if index + 1 < body.len() {
                                // not the last statement: as is
                            } else if case + 1 == cases {
                                msg = Some("cannot fallthrough final case in switch");
                            } else {
                                msg = None;
                            }
                        }
                    }
                    if let Some(msg) = msg {
                        err(self.errors, msg.into(), stmt.span);
                    }
                }
                StmtKind::Break(Some(label)) | StmtKind::Continue(Some(label)) => {
                    let is_break = matches!(stmt.kind, StmtKind::Break(_));
                    let keyword = if is_break { "break" } else { "continue" };
                    match self.enclosing_target(b, &label.name) {
                        Some(target) => {
                            let kind = kinds.get(&target).copied().unwrap_or(Labeled::Other);
                            let ok = if is_break { kind != Labeled::Other } else { kind == Labeled::Loop };
                            if !ok {
                                err(self.errors, format!("invalid {keyword} label {}", label.name), label.span);
                            }
                        }
                        None => err(self.errors, format!("{keyword} label not defined: {}", label.name), label.span),
                    }
                }
                StmtKind::Goto(label) if !self.goto_target(b, &label.name) => {
                    fwd_gotos.push(Goto { label });
                }
                StmtKind::Block(block) => {
                    let inner = Targets { case: None, ..ctxt };
                    more.extend(self.block_branches(Some(b), inner, lstmt, block.span, &block.stmts, kinds));
                }
                StmtKind::If { then, els, .. } => {
                    let inner = Targets { case: None, ..ctxt };
                    more.extend(self.block_branches(Some(b), inner, lstmt, then.span, &then.stmts, kinds));
                    if let Some(els) = els {
                        more.extend(self.block_branches(Some(b), inner, lstmt, els.span, std::slice::from_ref(els), kinds));
                    }
                }
                StmtKind::For { body, .. } | StmtKind::ForRange { body, .. } => {
                    let inner = Targets { breaks: Some(Target::Loop), continues: true, case: None };
                    more.extend(self.block_branches(Some(b), inner, lstmt, body.span, &body.stmts, kinds));
                }
                StmtKind::Switch { clauses, .. } => {
                    for (i, c) in clauses.iter().enumerate() {
                        let inner = Targets { breaks: Some(Target::Switch), continues: ctxt.continues, case: Some((i, clauses.len())) };
                        more.extend(self.block_branches(Some(b), inner, lstmt, c.span, &c.body, kinds));
                    }
                }
                StmtKind::TypeSwitch { clauses, .. } => {
                    for (i, c) in clauses.iter().enumerate() {
                        let inner =
                            Targets { breaks: Some(Target::TypeSwitch), continues: ctxt.continues, case: Some((i, clauses.len())) };
                        more.extend(self.block_branches(Some(b), inner, lstmt, c.span, &c.body, kinds));
                    }
                }
                StmtKind::Select { clauses } => {
                    for c in clauses {
                        let inner = Targets { breaks: Some(Target::Select), continues: ctxt.continues, case: None };
                        more.extend(self.block_branches(Some(b), inner, lstmt, c.span, &c.body, kinds));
                    }
                }
                _ => {}
            }
            fwd_gotos.extend(more);
        }
        fwd_gotos
    }

    fn declare(&mut self, block: usize, label: &Ident) {
        if let Some(alt) = self.labels.get(&label.name) {
            err(self.errors, format!("label {} already defined at {}", label.name, At(alt.ident)), label.span);
            return;
        }
        self.labels.insert(label.name.clone(), Label { block, ident: label.span, used: false });
    }

    /// Whether `name` is declared in block `b` or an enclosing one (a
    /// backward `goto`).
    fn goto_target(&mut self, b: usize, name: &str) -> bool {
        let Some(label) = self.labels.get_mut(name) else { return false };
        label.used = true;
        let mut block = Some(b);
        while let Some(current) = block {
            if label.block == current {
                return true;
            }
            block = self.blocks[current].parent;
        }
        false
    }

    /// The labeled statement named `name` enclosing block `b`, by its label's span.
    fn enclosing_target(&mut self, b: usize, name: &str) -> Option<Span> {
        let label = self.labels.get_mut(name)?;
        label.used = true;
        let ident = label.ident;
        let mut block = Some(b);
        while let Some(current) = block {
            if self.blocks[current].lstmt == Some(ident) {
                return Some(ident);
            }
            block = self.blocks[current].parent;
        }
        None
    }

    /// Function literals directly in `stmt`'s expressions (not in nested
    /// statements, which are visited on their own), to be checked as bodies.
    fn stmt_func_lits(&mut self, stmt: &'a Stmt) {
        let out = &mut self.lits;
        match &stmt.kind {
            StmtKind::Decl(g) => g.specs.iter().for_each(|s| spec_func_lits(s, out)),
            StmtKind::ShortVarDecl { values, .. } => values.iter().for_each(|e| expr_func_lits(e, out)),
            StmtKind::Assign { lhs, rhs, .. } => lhs.iter().chain(rhs).for_each(|e| expr_func_lits(e, out)),
            StmtKind::IncDec { target: e, .. } | StmtKind::Expr(e) | StmtKind::Go(e) | StmtKind::Defer(e) => expr_func_lits(e, out),
            StmtKind::Send { chan, value } => {
                expr_func_lits(chan, out);
                expr_func_lits(value, out);
            }
            StmtKind::Return(values) => values.iter().for_each(|e| expr_func_lits(e, out)),
            StmtKind::If { init, cond, .. } => {
                if let Some(init) = init {
                    self.stmt_func_lits(init);
                }
                expr_func_lits(cond, &mut self.lits);
            }
            StmtKind::For { init, cond, post, .. } => {
                for s in [init, post].into_iter().flatten() {
                    self.stmt_func_lits(s);
                }
                if let Some(c) = cond {
                    expr_func_lits(c, &mut self.lits);
                }
            }
            StmtKind::ForRange { expr, .. } => expr_func_lits(expr, out),
            StmtKind::Switch { init, tag, clauses } => {
                if let Some(init) = init {
                    self.stmt_func_lits(init);
                }
                let out = &mut self.lits;
                if let Some(t) = tag {
                    expr_func_lits(t, out);
                }
                clauses.iter().flat_map(|c| &c.exprs).for_each(|e| expr_func_lits(e, out));
            }
            StmtKind::TypeSwitch { init, expr, .. } => {
                if let Some(init) = init {
                    self.stmt_func_lits(init);
                }
                expr_func_lits(expr, &mut self.lits);
            }
            StmtKind::Select { clauses } => {
                for c in clauses {
                    if let Some(comm) = &c.comm {
                        self.stmt_func_lits(comm);
                    }
                }
            }
            _ => {}
        }
    }
}
