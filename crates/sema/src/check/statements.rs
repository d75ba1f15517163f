//! Statements: blocks and their scopes, `if`, `for`, `switch`, `return`,
//! `goToNetwork`, labels, `break`/`continue`/`goto`, and Go's terminating
//! statements
//! ([Go spec: Statements](https://go.dev/ref/spec#Statements)).

use super::*;

impl Checker<'_> {
    /// The id of a label of the current function, made at its first use.
    fn function_label(&mut self, label: &ast::Ident) -> u32 {
        if let Some((id, _, _)) = self.func.func_labels.get(&label.name) {
            return *id;
        }
        let id = self.next_label;
        self.next_label += 1;
        self.func.func_labels.insert(label.name.clone(), (id, false, label.span));
        id
    }

    /// Reports `goto`s to labels the function never declares, given the
    /// function's labels once its body is checked.
    pub(super) fn report_undefined_labels(&mut self, labels: HashMap<String, (u32, bool, Span)>) {
        let mut undefined: Vec<(String, Span)> =
            labels.into_iter().filter(|(_, (_, defined, _))| !defined).map(|(name, (_, _, span))| (name, span)).collect();
        undefined.sort_by_key(|(_, span)| span.start);
        for (name, span) in undefined {
            self.errors.push(SemaError::Misplaced { message: format!("label {name} not defined"), span });
        }
    }

    pub(super) fn check_block(&mut self, block: &ast::Block) -> hir::Block {
        self.pkg.scopes.push(Scope::default());
        let stmts = self.check_stmts(&block.stmts);
        self.pkg.scopes.pop();
        hir::Block { stmts }
    }

    pub(super) fn check_stmts(&mut self, stmts: &[ast::Stmt]) -> Vec<hir::Stmt> {
        let mut out = Vec::new();
        for stmt in stmts {
            self.check_stmt(stmt, &mut out);
        }
        out
    }

    pub(super) fn check_stmt(&mut self, stmt: &ast::Stmt, out: &mut Vec<hir::Stmt>) {
        let span = stmt.span;
        match &stmt.kind {
            ast::StmtKind::Empty => {}
            ast::StmtKind::Expr(expr) => {
                let id = self.check_expr(expr);
                if !matches!(self.program.expr(id).kind, hir::ExprKind::Intrinsic { .. } | hir::ExprKind::Call { .. } | hir::ExprKind::CallValue { .. } | hir::ExprKind::InterfaceCall { .. } | hir::ExprKind::StdCall { .. } | hir::ExprKind::Recv { .. })
                    && self.expr_ty(id) != Types::INVALID
                {
                    self.errors.push(SemaError::Misplaced {
                        message: format!("{} is not used", self.operand(id)),
                        span: expr.span,
                    });
                }
                out.push(hir::Stmt { kind: hir::StmtKind::Expr(id), span });
            }
            ast::StmtKind::ShortVarDecl { names, values } => self.check_short_var_decl(names, values, span, out),
            ast::StmtKind::Decl(decl) => self.check_local_decl(decl, out),
            ast::StmtKind::Assign { lhs, op, rhs } => self.check_assign(lhs, *op, rhs, None, span, out),
            ast::StmtKind::IncDec { target, inc } => {
                let one = ast::Expr { kind: ast::ExprKind::IntLit("1".to_string()), span: target.span };
                let op = if *inc { ast::BinaryOp::Add } else { ast::BinaryOp::Sub };
                let text = format!("{}{}", self.snippet_hint(target), if *inc { "++" } else { "--" });
                self.check_assign(std::slice::from_ref(target), Some(op), std::slice::from_ref(&one), Some(text), span, out);
            }
            ast::StmtKind::Block(block) => {
                let block = self.check_block(block);
                out.push(hir::Stmt { kind: hir::StmtKind::Block(block), span });
            }
            ast::StmtKind::If { init, cond, then, els } => {
                // The init statement's names are scoped to the whole if/else chain.
                self.pkg.scopes.push(Scope::default());
                let mut prefix = Vec::new();
                if let Some(init) = init {
                    self.check_stmt(init, &mut prefix);
                }
                let cond = self.check_condition(cond, "if statement");
                let then = self.check_block(then);
                let els = els.as_ref().map(|els| {
                    let mut stmts = Vec::new();
                    self.check_stmt(els, &mut stmts);
                    hir::Block { stmts }
                });
                self.pkg.scopes.pop();
                let if_stmt = hir::Stmt { kind: hir::StmtKind::If { cond, then, els }, span };
                self.push_scoped(prefix, if_stmt, span, out);
            }
            ast::StmtKind::For { init, cond, post, body } => {
                self.pkg.scopes.push(Scope::default());
                let mut prefix = Vec::new();
                if let Some(init) = init {
                    self.check_stmt(init, &mut prefix);
                }
                let cond = cond.as_ref().map(|c| self.check_condition(c, "for statement"));
                let mut post_stmts = Vec::new();
                if let Some(post) = post {
                    self.check_stmt(post, &mut post_stmts);
                }
                self.func.loop_depth += 1;
                self.func.breakable_depth += 1;
                let body = self.check_block(body);
                self.func.loop_depth -= 1;
                self.func.breakable_depth -= 1;
                self.pkg.scopes.pop();
                // A parallel assignment lowers to several statements.
                let post = match post_stmts.len() {
                    0 => None,
                    1 => post_stmts.pop().map(Box::new),
                    _ => Some(Box::new(hir::Stmt { kind: hir::StmtKind::Block(hir::Block { stmts: post_stmts }), span })),
                };
                let loop_stmt = hir::Stmt { kind: hir::StmtKind::Loop { cond, body, post }, span };
                self.push_scoped(prefix, loop_stmt, span, out);
            }
            ast::StmtKind::Break(label) | ast::StmtKind::Continue(label) => {
                let is_break = matches!(stmt.kind, ast::StmtKind::Break(_));
                let keyword = if is_break { "break" } else { "continue" };
                let depth = if is_break { self.func.breakable_depth } else { self.func.loop_depth };
                let label_id = match label {
                    Some(label) => match self.func.labels.iter().rev().find(|(name, _)| *name == label.name) {
                        Some((_, id)) => Some(*id),
                        None => {
                            self.errors.push(SemaError::Misplaced {
                                message: format!("invalid {keyword} label {}", label.name),
                                span: label.span,
                            });
                            return;
                        }
                    },
                    None => None,
                };
                if depth == 0 {
                    self.errors.push(SemaError::Misplaced { message: format!("{keyword} is not in a loop"), span });
                } else {
                    let kind = if is_break { hir::StmtKind::Break(label_id) } else { hir::StmtKind::Continue(label_id) };
                    out.push(hir::Stmt { kind, span });
                }
            }
            ast::StmtKind::Return(values) => self.check_return(values, span, out),
            ast::StmtKind::Defer(call) => self.check_defer(call, span, out),
            ast::StmtKind::Goto(label) => {
                let id = self.function_label(label);
                out.push(hir::Stmt { kind: hir::StmtKind::Goto(id), span });
            }
            ast::StmtKind::Go(call) => self.check_go(call, span, out),
            ast::StmtKind::Send { chan, value } => {
                if let Some((chan, value)) = self.check_send(chan, value, span) {
                    out.push(hir::Stmt { kind: hir::StmtKind::Send { chan, value }, span });
                }
            }
            ast::StmtKind::Select { clauses } => self.check_select(clauses, span, out),
            ast::StmtKind::Labeled { label, stmt: inner } => {
                let id = self.function_label(label);
                if let Some(entry) = self.func.func_labels.get_mut(&label.name) {
                    if entry.1 {
                        let previous = entry.2;
                        self.errors.push(SemaError::Redeclared { name: label.name.clone(), span: label.span, previous });
                    }
                    *entry = (id, true, label.span);
                }
                self.func.labels.push((label.name.clone(), id));
                let mut inner_out = Vec::new();
                self.check_stmt(inner, &mut inner_out);
                self.func.labels.pop();
                let inner_stmt = match inner_out.len() {
                    1 => inner_out.pop().unwrap_or(hir::Stmt { kind: hir::StmtKind::Block(hir::Block::default()), span }),
                    _ => hir::Stmt { kind: hir::StmtKind::Block(hir::Block { stmts: inner_out }), span },
                };
                out.push(hir::Stmt { kind: hir::StmtKind::Labeled { label: id, stmt: Box::new(inner_stmt) }, span });
            }
            ast::StmtKind::TypeSwitch { init, binding, expr, clauses } => {
                self.check_type_switch(init.as_deref(), binding.as_ref(), expr, clauses, span, out)
            }
            ast::StmtKind::ForRange { key, value, define, expr, body } => {
                self.pkg.scopes.push(Scope::default());
                self.check_range(key.as_ref(), value.as_ref(), *define, expr, body, span, out);
                self.pkg.scopes.pop();
            }
            ast::StmtKind::Switch { init, tag, clauses } => self.check_switch(init.as_deref(), tag.as_ref(), clauses, span, out),
            ast::StmtKind::Fallthrough => {
                self.errors.push(SemaError::Misplaced { message: "fallthrough statement out of place".to_string(), span });
            }
            ast::StmtKind::GoToNetwork { target, target_span } => {
                if self.func.name != "main" {
                    self.errors.push(SemaError::GoToNetworkOutsideMain { span, func: self.func.name.clone() });
                    return;
                }
                let visible = self.visible_locals();
                let site = self.program.hops.len() as u32;
                self.program.hops.push(hir::HopSite {
                    target: target.clone(),
                    target_span: *target_span,
                    span,
                    visible,
                });
                out.push(hir::Stmt { kind: hir::StmtKind::GoToNetwork { site }, span });
            }
        }
    }

    /// Emits `init; stmt` as one block so that names declared by an init
    /// statement stay scoped to the statement.
    fn push_scoped(&mut self, prefix: Vec<hir::Stmt>, stmt: hir::Stmt, span: Span, out: &mut Vec<hir::Stmt>) {
        if prefix.is_empty() {
            out.push(stmt);
        } else {
            let mut stmts = prefix;
            stmts.push(stmt);
            out.push(hir::Stmt { kind: hir::StmtKind::Block(hir::Block { stmts }), span });
        }
    }

    /// Locals in scope now, outermost first, innermost shadowing removed.
    fn visible_locals(&self) -> Vec<LocalId> {
        let mut seen: HashMap<&str, LocalId> = HashMap::new();
        for scope in self.pkg.scopes.iter().rev() {
            for (name, (binding, _)) in &scope.names {
                if let Binding::Local(id) = binding {
                    seen.entry(name.as_str()).or_insert(*id);
                }
            }
        }
        let mut locals: Vec<LocalId> = seen.into_values().collect();
        locals.extend(self.free_by_name.values().copied());
        locals.sort();
        locals.dedup();
        locals
    }

    fn check_condition(&mut self, cond: &ast::Expr, context: &str) -> ExprId {
        let id = self.check_expr(cond);
        self.condition_value(id, cond.span, context)
    }

    fn condition_value(&mut self, id: ExprId, span: Span, context: &str) -> ExprId {
        let ty = self.expr_ty(id);
        if ty != Types::INVALID && !self.program.types.is_boolean(ty) {
            self.errors.push(SemaError::TypeMismatch {
                message: format!("non-boolean condition in {context}"),
                span,
                label: format!("this is of type {}", self.type_name(ty)),
            });
            return self.invalid(span);
        }
        self.convert(id, Types::BOOL, "condition")
    }

    /// See [Go spec: Return statements](https://go.dev/ref/spec#Return_statements).
    fn check_return(&mut self, values: &[ast::Expr], span: Span, out: &mut Vec<hir::Stmt>) {
        let results = self.func.results.clone();
        if values.is_empty() {
            if !results.is_empty() && !self.func.named_results {
                self.errors.push(SemaError::TypeMismatch {
                    message: format!("not enough return values\n\thave ()\n\twant {}", self.type_list(&results)),
                    span,
                    label: "missing values".to_string(),
                });
            }
            out.push(hir::Stmt { kind: hir::StmtKind::Return(Vec::new()), span });
            return;
        }
        let checked: Vec<ExprId> = values.iter().map(|v| self.check_expr(v)).collect();
        if let ([single], true) = (checked.as_slice(), results.len() > 1) {
            // `return f()` forwarding several results.
            if let TypeKind::Tuple(elems) = self.program.types.kind(self.expr_ty(*single)).clone()
                && elems.len() == results.len()
            {
                let temps: Vec<LocalId> = elems
                    .iter()
                    .map(|ty| {
                        let temp = self.new_local("", *ty, span, LocalKind::Var);
                        if let Some(local) = self.program.locals.get_mut(temp.index()) {
                            local.used = true;
                        }
                        temp
                    })
                    .collect();
                out.push(hir::Stmt {
                    kind: hir::StmtKind::AssignTuple { locals: temps.iter().map(|t| Some(*t)).collect(), value: *single },
                    span,
                });
                let values: Vec<ExprId> = temps.iter().zip(&elems).map(|(t, ty)| self.push_expr(hir::ExprKind::Local(*t), *ty, span)).collect();
                let values =
                    values.into_iter().zip(&results).map(|(v, ty)| self.convert(v, *ty, "return statement")).collect();
                out.push(hir::Stmt { kind: hir::StmtKind::Return(values), span });
                return;
            }
        }
        if checked.len() != results.len() {
            let have: Vec<TypeId> = checked.iter().map(|v| self.expr_ty(*v)).collect();
            let message = if checked.len() < results.len() { "not enough return values" } else { "too many return values" };
            self.errors.push(SemaError::TypeMismatch {
                message: format!("{message}\n\thave {}\n\twant {}", self.type_list(&have), self.type_list(&results)),
                span,
                label: "wrong number of values".to_string(),
            });
            return;
        }
        let values = checked
            .into_iter()
            .zip(results)
            .map(|(value, ty)| {
                self.check_value_type(value);
                self.convert(value, ty, "return statement")
            })
            .collect();
        out.push(hir::Stmt { kind: hir::StmtKind::Return(values), span });
    }

    /// See [Go spec: Expression switches](https://go.dev/ref/spec#Expression_switches).
    fn check_switch(
        &mut self,
        init: Option<&ast::Stmt>,
        tag: Option<&ast::Expr>,
        clauses: &[ast::CaseClause],
        span: Span,
        out: &mut Vec<hir::Stmt>,
    ) {
        self.pkg.scopes.push(Scope::default());
        let mut prefix = Vec::new();
        if let Some(init) = init {
            self.check_stmt(init, &mut prefix);
        }
        // The tag is evaluated once, into a temporary.
        let tag_local = tag.map(|tag| {
            let value = self.check_expr(tag);
            self.check_value_type(value);
            let ty = self.program.types.default_type(self.expr_ty(value));
            let value = self.convert(value, ty, "switch expression");
            let temp = self.new_local("", ty, tag.span, LocalKind::Var);
            if let Some(local) = self.program.locals.get_mut(temp.index()) {
                local.used = true;
            }
            prefix.push(hir::Stmt { kind: hir::StmtKind::Define { local: temp, value: Some(value) }, span: tag.span });
            temp
        });
        let mut hir_clauses = Vec::new();
        let mut seen_default: Option<Span> = None;
        let mut seen_cases: Vec<(ConstValue, TypeId)> = Vec::new();
        for (index, clause) in clauses.iter().enumerate() {
            if clause.is_default {
                if let Some(previous) = seen_default {
                    self.errors.push(SemaError::Misplaced {
                        message: format!("multiple defaults (first at {})", g2n_base::At(previous)),
                        span: clause.span,
                    });
                }
                seen_default = Some(clause.span);
            }
            let mut conds = Vec::new();
            for expr in &clause.exprs {
                let cond = match tag_local {
                    Some(temp) => {
                        let ty = self.program.local(temp).ty;
                        let left = self.push_expr(hir::ExprKind::Local(temp), ty, expr.span);
                        let right = self.check_expr(expr);
                        let rt = self.expr_ty(right);
                        // `tag == case` may compare a value with an interface
                        // holding one: the value is boxed then.
                        if self.program.types.is_interface(rt) && !self.program.types.is_interface(ty) {
                            let left = self.convert(left, rt, "switch case");
                            self.push_expr(hir::ExprKind::Binary { op: hir::BinaryOp::Eq, lhs: left, rhs: right }, Types::BOOL, expr.span)
                        } else {
                            let right = self.convert(right, ty, "switch case");
                            // Go rejects equal constant cases of one type
                            // (integers, floats and strings: types2 does not
                            // compare complex cases).
                            if let Some(value) = self.const_of(right).filter(|v| !matches!(v, ConstValue::Complex(..))) {
                                let rt = self.expr_ty(right);
                                if seen_cases.iter().any(|(v, t)| *v == value && *t == rt) {
                                    self.errors.push(SemaError::Misplaced {
                                        message: format!("duplicate case {} in expression switch", self.operand(right)),
                                        span: expr.span,
                                    });
                                } else {
                                    seen_cases.push((value, rt));
                                }
                            }
                            self.push_expr(hir::ExprKind::Binary { op: hir::BinaryOp::Eq, lhs: left, rhs: right }, Types::BOOL, expr.span)
                        }
                    }
                    None => {
                        // A missing tag is `true`; an interface case compares with it.
                        let right = self.check_expr(expr);
                        let rt = self.expr_ty(right);
                        if self.program.types.is_interface(rt) {
                            let truth = self.push_expr(hir::ExprKind::Const(ConstValue::Bool(true)), Types::UNTYPED_BOOL, expr.span);
                            let left = self.convert(truth, rt, "switch case");
                            self.push_expr(hir::ExprKind::Binary { op: hir::BinaryOp::Eq, lhs: left, rhs: right }, Types::BOOL, expr.span)
                        } else {
                            self.condition_value(right, expr.span, "switch case")
                        }
                    }
                };
                conds.push(cond);
            }
            let (body_stmts, fallthrough) = match clause.body.split_last() {
                Some((last, rest)) if matches!(last.kind, ast::StmtKind::Fallthrough) => {
                    if index + 1 == clauses.len() {
                        self.errors.push(SemaError::Misplaced {
                            message: "cannot fallthrough final case in switch".to_string(),
                            span: last.span,
                        });
                    }
                    (rest, true)
                }
                _ => (clause.body.as_slice(), false),
            };
            self.pkg.scopes.push(Scope::default());
            self.func.breakable_depth += 1;
            let stmts = self.check_stmts(body_stmts);
            self.func.breakable_depth -= 1;
            self.pkg.scopes.pop();
            hir_clauses.push(hir::SwitchClause { conds, is_default: clause.is_default, body: hir::Block { stmts }, fallthrough });
        }
        self.pkg.scopes.pop();
        let switch = hir::Stmt { kind: hir::StmtKind::Switch { clauses: hir_clauses }, span };
        self.push_scoped(prefix, switch, span, out);
    }
}

/// See [Go spec: Terminating statements](https://go.dev/ref/spec#Terminating_statements).
pub(super) fn is_terminating_list(stmts: &[ast::Stmt]) -> bool {
    stmts.iter().rev().find(|s| !matches!(s.kind, ast::StmtKind::Empty)).is_some_and(is_terminating)
}

fn is_terminating(stmt: &ast::Stmt) -> bool {
    match &stmt.kind {
        ast::StmtKind::Return(_) | ast::StmtKind::Goto(_) => true,
        ast::StmtKind::Expr(ast::Expr { kind: ast::ExprKind::Call { func, .. }, .. }) => {
            matches!(&func.kind, ast::ExprKind::Ident(id) if id.name == "panic")
                || matches!(&func.kind, ast::ExprKind::Selector { base, sel }
                    if sel.name == "Exit" && matches!(&base.kind, ast::ExprKind::Ident(p) if p.name == "os"))
        }
        ast::StmtKind::Block(block) => is_terminating_list(&block.stmts),
        ast::StmtKind::If { then, els: Some(els), .. } => is_terminating_list(&then.stmts) && is_terminating(els),
        ast::StmtKind::For { cond: None, body, .. } => !has_break(&body.stmts),
        ast::StmtKind::Labeled { stmt, .. } => is_terminating(stmt),
        ast::StmtKind::Switch { clauses, .. } => {
            clauses.iter().any(|c| c.is_default)
                && clauses.iter().all(|c| {
                    !has_break(&c.body)
                        && (is_terminating_list(&c.body) || c.body.last().is_some_and(|s| matches!(s.kind, ast::StmtKind::Fallthrough)))
                })
        }
        ast::StmtKind::Select { clauses } => clauses.iter().all(|c| !has_break(&c.body) && is_terminating_list(&c.body)),
        ast::StmtKind::TypeSwitch { clauses, .. } => {
            clauses.iter().any(|c| c.is_default) && clauses.iter().all(|c| !has_break(&c.body) && is_terminating_list(&c.body))
        }
        _ => false,
    }
}

/// An unlabeled `break` that would leave the enclosing statement (not one
/// nested in an inner loop, switch or select).
fn has_break(stmts: &[ast::Stmt]) -> bool {
    stmts.iter().any(|stmt| match &stmt.kind {
        ast::StmtKind::Break(None) => true,
        ast::StmtKind::Block(block) => has_break(&block.stmts),
        ast::StmtKind::If { then, els, .. } => has_break(&then.stmts) || els.as_deref().is_some_and(|e| has_break(std::slice::from_ref(e))),
        ast::StmtKind::Labeled { stmt, .. } => has_break(std::slice::from_ref(stmt)),
        _ => false,
    })
}
