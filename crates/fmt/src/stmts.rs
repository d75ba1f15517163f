//! Statements and blocks (go/printer's nodes.go, statements section).

use g2n_syntax::ast::*;

use crate::exprs::{Item, NO_INDENT, Node, strip_parens};
use crate::printer::{NO_EXTRA_LINEBREAK, Printer, STRING, Tok, Ws};

fn assign_op(op: Option<BinaryOp>) -> Tok {
    use BinaryOp::*;
    match op {
        None => "=",
        Some(Add) => "+=",
        Some(Sub) => "-=",
        Some(Mul) => "*=",
        Some(Div) => "/=",
        Some(Rem) => "%=",
        Some(And) => "&=",
        Some(Or) => "|=",
        Some(Xor) => "^=",
        Some(Shl) => "<<=",
        Some(Shr) => ">>=",
        Some(AndNot) => "&^=",
        Some(LogAnd | LogOr | Eq | Ne | Lt | Le | Gt | Ge) => "=",
    }
}

/// A case clause of any of the three switch-like statements.
enum Clause<'a> {
    Expr(&'a CaseClause),
    Type(&'a TypeCaseClause),
    Select(&'a SelectClause),
}

impl Clause<'_> {
    fn start(&self) -> u32 {
        match self {
            Clause::Expr(c) => c.span.start,
            Clause::Type(c) => c.span.start,
            Clause::Select(c) => c.span.start,
        }
    }
}

impl<'s> Printer<'s> {
    /// Statements, each on its own line; at most one empty line between
    /// them is kept from the source.
    pub fn stmt_list(&mut self, list: &[Stmt], nindent: i64, next_is_rbrace: bool) {
        if nindent > 0 {
            self.ws(Ws::Indent);
        }
        let mut line_slot: Option<usize> = None;
        let mut label_lines = 0;
        let mut i = 0;
        for (idx, s) in list.iter().enumerate() {
            if matches!(s.kind, StmtKind::Empty) {
                continue;
            }
            if !self.output.is_empty() {
                let line = line_slot.map_or(0, |slot| self.line_slots[slot]) + label_lines;
                let new_section = i == 0 || nindent == 0 || self.lines_from(line) > 0;
                self.linebreak(self.line_for(s.span.start), 1, Ws::Ignore, new_section);
            }
            line_slot = Some(self.record_line());
            self.stmt(s, next_is_rbrace && idx == list.len() - 1);
            // A label goes on a line of its own: count from the statement.
            label_lines = 0;
            let mut t = s;
            while let StmtKind::Labeled { stmt, .. } = &t.kind {
                label_lines += 1;
                t = stmt;
            }
            i += 1;
        }
        if nindent > 0 {
            self.ws(Ws::Unindent);
        }
    }

    pub fn block(&mut self, b: &Block, nindent: i64) {
        let lbrace = b.span.start;
        let rbrace = b.span.end - 1;
        self.at(lbrace);
        self.token("{");
        self.stmt_list(&b.stmts, nindent, true);
        self.linebreak(self.line_for(rbrace), 1, Ws::Ignore, true);
        self.at(rbrace);
        self.token("}");
    }

    fn clause_block(&mut self, lbrace: u32, rbrace: u32, clauses: &[Clause<'_>]) {
        self.at(lbrace);
        self.token("{");
        for (i, c) in clauses.iter().enumerate() {
            if !self.output.is_empty() {
                self.linebreak(self.line_for(c.start()), 1, Ws::Ignore, true);
            }
            self.clause(c, i == clauses.len() - 1);
        }
        self.linebreak(self.line_for(rbrace), 1, Ws::Ignore, true);
        self.at(rbrace);
        self.token("}");
    }

    fn clause(&mut self, c: &Clause<'_>, next_is_rbrace: bool) {
        self.at(c.start());
        let body = match c {
            Clause::Expr(cc) => {
                let colon = if cc.is_default {
                    self.token("default");
                    self.src.find(cc.span.start, ":")
                } else {
                    self.token("case");
                    self.ws(Ws::Blank);
                    let last = cc.exprs.last().map_or(cc.span.start, |e| e.span.end);
                    let colon = self.src.find(last, ":");
                    let items: Vec<Item<'_>> = cc.exprs.iter().map(Item::Expr).collect();
                    self.expr_list(Some(cc.span.start), &items, 1, 0, Some(colon));
                    colon
                };
                self.at(colon);
                self.token(":");
                &cc.body
            }
            Clause::Type(tc) => {
                let colon = if tc.is_default {
                    self.token("default");
                    self.src.find(tc.span.start, ":")
                } else {
                    self.token("case");
                    self.ws(Ws::Blank);
                    let mut items: Vec<Item<'_>> = Vec::new();
                    let mut from = tc.span.start + 4;
                    for t in &tc.types {
                        let item = match t {
                            Some(t) => Item::Type(t),
                            None => Item::Nil(self.src.find(from, "nil")),
                        };
                        from = item.end();
                        items.push(item);
                    }
                    let colon = self.src.find(from, ":");
                    self.expr_list(Some(tc.span.start), &items, 1, 0, Some(colon));
                    colon
                };
                self.at(colon);
                self.token(":");
                &tc.body
            }
            Clause::Select(sc) => {
                let colon = match &sc.comm {
                    Some(comm) => {
                        self.token("case");
                        self.ws(Ws::Blank);
                        self.stmt(comm, false);
                        self.src.find(comm.span.end, ":")
                    }
                    None => {
                        self.token("default");
                        self.src.find(sc.span.start, ":")
                    }
                };
                self.at(colon);
                self.token(":");
                &sc.body
            }
        };
        self.stmt_list(body, 1, next_is_rbrace);
    }

    fn control_clause(&mut self, is_for: bool, init: Option<&Stmt>, cond: Option<&Expr>, post: Option<&Stmt>) {
        self.ws(Ws::Blank);
        let mut needs_blank = false;
        if init.is_none() && post.is_none() {
            if let Some(e) = cond {
                self.expr(strip_parens(e));
                needs_blank = true;
            }
        } else {
            if let Some(s) = init {
                self.stmt(s, false);
            }
            self.token(";");
            self.ws(Ws::Blank);
            if let Some(e) = cond {
                self.expr(strip_parens(e));
                needs_blank = true;
            }
            if is_for {
                self.token(";");
                self.ws(Ws::Blank);
                needs_blank = false;
                if let Some(s) = post {
                    self.stmt(s, false);
                    needs_blank = true;
                }
            }
        }
        if needs_blank {
            self.ws(Ws::Blank);
        }
    }

    /// Whether a result list looks better indented as a whole (go/printer's indentList).
    fn indent_list(&self, list: &[Expr]) -> bool {
        if list.len() < 2 {
            return false;
        }
        let b = self.line_for(list[0].span.start);
        let e = self.line_for(list[list.len() - 1].span.end);
        if 0 < b && b < e {
            let mut n = 0;
            let mut line = b;
            for x in list {
                let xb = self.line_for(x.span.start);
                let xe = self.line_for(x.span.end);
                if line < xb {
                    return true;
                }
                if xb < xe {
                    n += 1;
                }
                line = xe;
            }
            return n > 1;
        }
        false
    }

    fn assign(&mut self, start: u32, lhs: &[Item<'_>], tok: Tok, rhs: &[Expr]) {
        let depth = if lhs.len() > 1 && rhs.len() > 1 { 2 } else { 1 };
        let tok_pos = self.src.find(lhs.last().map_or(start, |x| x.end()), tok);
        self.expr_list(Some(start), lhs, depth, 0, Some(tok_pos));
        self.ws(Ws::Blank);
        self.at(tok_pos);
        self.token(tok);
        self.ws(Ws::Blank);
        let items: Vec<Item<'_>> = rhs.iter().map(Item::Expr).collect();
        self.expr_list(Some(tok_pos), &items, depth, 0, None);
    }

    pub fn stmt(&mut self, s: &Stmt, next_is_rbrace: bool) {
        self.at(s.span.start);
        match &s.kind {
            StmtKind::Decl(d) => self.gen_decl(d),
            StmtKind::Empty => {}
            StmtKind::Labeled { label, stmt } => {
                self.ws(Ws::Unindent);
                self.at(label.span.start);
                self.ident(&label.name);
                let colon = self.src.find(label.span.end, ":");
                self.at(colon);
                self.token(":");
                self.ws(Ws::Indent);
                if matches!(stmt.kind, StmtKind::Empty) {
                    if !next_is_rbrace {
                        self.ws(Ws::Newline);
                        self.at(stmt.span.start);
                        self.token(";");
                        return;
                    }
                } else {
                    self.linebreak(self.line_for(stmt.span.start), 1, Ws::Ignore, true);
                }
                self.stmt(stmt, next_is_rbrace);
            }
            StmtKind::Expr(e) => self.expr0(e, 1),
            StmtKind::Send { chan, value } => {
                self.expr0(chan, 1);
                self.ws(Ws::Blank);
                let arrow = self.src.find(chan.span.end, "<-");
                self.at(arrow);
                self.token("<-");
                self.ws(Ws::Blank);
                self.expr0(value, 1);
            }
            StmtKind::IncDec { target, inc } => {
                self.expr0(target, 2);
                let tok = if *inc { "++" } else { "--" };
                let at = self.src.find(target.span.end, tok);
                self.at(at);
                self.token(tok);
            }
            StmtKind::ShortVarDecl { names, values } => {
                let lhs: Vec<Item<'_>> = names.iter().map(Item::Ident).collect();
                self.assign(s.span.start, &lhs, ":=", values);
            }
            StmtKind::Assign { lhs, op, rhs } => {
                let lhs: Vec<Item<'_>> = lhs.iter().map(Item::Expr).collect();
                self.assign(s.span.start, &lhs, assign_op(*op), rhs);
            }
            StmtKind::Go(e) | StmtKind::Defer(e) => {
                self.token(if matches!(s.kind, StmtKind::Go(_)) { "go" } else { "defer" });
                self.ws(Ws::Blank);
                self.expr(e);
            }
            StmtKind::GoToNetwork { target_span, .. } => {
                self.token("goToNetwork");
                self.ws(Ws::Blank);
                self.at(target_span.start);
                let text = self.src.slice(target_span.start, target_span.end);
                self.lit(text, STRING);
            }
            StmtKind::Return(results) => {
                self.token("return");
                if !results.is_empty() {
                    self.ws(Ws::Blank);
                    let items: Vec<Item<'_>> = results.iter().map(Item::Expr).collect();
                    if self.indent_list(results) {
                        self.ws(Ws::Indent);
                        self.expr_list(None, &items, 1, NO_INDENT, None);
                        self.ws(Ws::Unindent);
                    } else {
                        self.expr_list(None, &items, 1, 0, None);
                    }
                }
            }
            StmtKind::Break(label) | StmtKind::Continue(label) => {
                self.token(if matches!(s.kind, StmtKind::Break(_)) { "break" } else { "continue" });
                if let Some(l) = label {
                    self.ws(Ws::Blank);
                    self.at(l.span.start);
                    self.ident(&l.name);
                }
            }
            StmtKind::Goto(l) => {
                self.token("goto");
                self.ws(Ws::Blank);
                self.at(l.span.start);
                self.ident(&l.name);
            }
            StmtKind::Fallthrough => self.token("fallthrough"),
            StmtKind::Block(b) => self.block(b, 1),
            StmtKind::If { init, cond, then, els } => {
                self.token("if");
                self.control_clause(false, init.as_deref(), Some(cond), None);
                self.block(then, 1);
                if let Some(e) = els {
                    self.ws(Ws::Blank);
                    self.token("else");
                    self.ws(Ws::Blank);
                    self.stmt(e, next_is_rbrace);
                }
            }
            StmtKind::For { init, cond, post, body } => {
                self.token("for");
                self.control_clause(true, init.as_deref(), cond.as_ref(), post.as_deref());
                self.block(body, 1);
            }
            StmtKind::ForRange { key, value, define, expr, body } => {
                self.token("for");
                self.ws(Ws::Blank);
                if let Some(k) = key {
                    self.expr(k);
                    if let Some(v) = value {
                        self.at(v.span.start);
                        self.token(",");
                        self.ws(Ws::Blank);
                        self.expr(v);
                    }
                    let tok = if *define { ":=" } else { "=" };
                    let at = self.src.find(value.as_ref().unwrap_or(k).span.end, tok);
                    self.ws(Ws::Blank);
                    self.at(at);
                    self.token(tok);
                    self.ws(Ws::Blank);
                }
                self.token("range");
                self.ws(Ws::Blank);
                self.expr(strip_parens(expr));
                self.ws(Ws::Blank);
                self.block(body, 1);
            }
            StmtKind::Switch { init, tag, clauses } => {
                self.token("switch");
                self.control_clause(false, init.as_deref(), tag.as_ref(), None);
                let header_end = match (tag, init) {
                    (Some(t), _) => t.span.end,
                    (None, Some(i)) => i.span.end,
                    (None, None) => s.span.start + 6,
                };
                let lbrace = self.src.find(header_end, "{");
                let clauses: Vec<Clause<'_>> = clauses.iter().map(Clause::Expr).collect();
                self.clause_block(lbrace, s.span.end - 1, &clauses);
            }
            StmtKind::TypeSwitch { init, binding, expr, clauses } => {
                self.token("switch");
                if let Some(i) = init {
                    self.ws(Ws::Blank);
                    self.stmt(i, false);
                    self.token(";");
                }
                self.ws(Ws::Blank);
                let guard_start = binding.as_ref().map_or(expr.span.start, |b| b.span.start);
                self.at(guard_start);
                if let Some(b) = binding {
                    let define = self.src.find(b.span.end, ":=");
                    self.at(b.span.start);
                    self.ident(&b.name);
                    self.ws(Ws::Blank);
                    self.at(define);
                    self.token(":=");
                    self.ws(Ws::Blank);
                }
                self.at(expr.span.start);
                self.expr1(expr, crate::exprs::HIGHEST_PREC, 1);
                self.token(".");
                let lparen = self.src.find(expr.span.end, "(");
                self.at(lparen);
                self.token("(");
                self.token("type");
                let rparen = self.src.find(lparen, ")");
                self.at(rparen);
                self.token(")");
                self.ws(Ws::Blank);
                let lbrace = self.src.find(rparen, "{");
                let clauses: Vec<Clause<'_>> = clauses.iter().map(Clause::Type).collect();
                self.clause_block(lbrace, s.span.end - 1, &clauses);
            }
            StmtKind::Select { clauses } => {
                self.token("select");
                self.ws(Ws::Blank);
                let lbrace = self.src.find(s.span.start, "{");
                let rbrace = s.span.end - 1;
                if clauses.is_empty() && !self.comment_before(self.pos_for(rbrace)) {
                    self.at(lbrace);
                    self.token("{");
                    self.at(rbrace);
                    self.token("}");
                } else {
                    let clauses: Vec<Clause<'_>> = clauses.iter().map(Clause::Select).collect();
                    self.clause_block(lbrace, rbrace, &clauses);
                }
            }
        }
    }

    /// The size of a function body printed on one line, or more than `max`.
    fn body_size(&mut self, b: &Block, max: i64) -> i64 {
        let lbrace = b.span.start;
        let rbrace = b.span.end - 1;
        if self.line_for(lbrace) != self.line_for(rbrace) || b.stmts.len() > 5 {
            return max + 1;
        }
        let mut size = self.comment_size_before(self.pos_for(rbrace));
        for (i, s) in b.stmts.iter().enumerate() {
            if size > max {
                break;
            }
            if i > 0 {
                size += 2;
            }
            size += self.node_size(Node::Stmt(s), max);
        }
        size
    }

    /// A function body: on the header's line when both are small enough.
    pub fn func_body(&mut self, header_size: i64, sep: Ws, b: &Block) {
        let saved_level = self.level;
        self.level = 0;
        const MAX: i64 = 100;
        if header_size + self.body_size(b, MAX) <= MAX {
            self.ws(sep);
            self.at(b.span.start);
            self.token("{");
            if !b.stmts.is_empty() {
                self.ws(Ws::Blank);
                for (i, s) in b.stmts.iter().enumerate() {
                    if i > 0 {
                        self.token(";");
                        self.ws(Ws::Blank);
                    }
                    self.stmt(s, i == b.stmts.len() - 1);
                }
                self.ws(Ws::Blank);
            }
            self.toggle(NO_EXTRA_LINEBREAK);
            self.at(b.span.end - 1);
            self.token("}");
            self.toggle(NO_EXTRA_LINEBREAK);
            self.level = saved_level;
            return;
        }
        if sep != Ws::Ignore {
            self.ws(Ws::Blank);
        }
        self.block(b, 1);
        self.level = saved_level;
    }
}
