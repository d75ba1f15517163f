//! Channels and goroutines: channel types, `make(chan T, n)`, send
//! statements, receive expressions (`<-c`, `v, ok := <-c`), `close`,
//! `for v := range c`, `go f(args)` and `select`.
//!
//! See [Go spec: Channel types](https://go.dev/ref/spec#Channel_types),
//! [Send statements](https://go.dev/ref/spec#Send_statements),
//! [Receive operator](https://go.dev/ref/spec#Receive_operator),
//! [Go statements](https://go.dev/ref/spec#Go_statements) and
//! [Select statements](https://go.dev/ref/spec#Select_statements).

use super::*;
use crate::types::ChanDir;

impl Checker<'_> {
    pub(super) fn resolve_chan_type(&mut self, dir: ast::ChanDir, elem: &ast::TypeExpr) -> TypeId {
        let elem = self.resolve_type(elem);
        if elem == Types::INVALID {
            return Types::INVALID;
        }
        let dir = match dir {
            ast::ChanDir::Both => ChanDir::Both,
            ast::ChanDir::Send => ChanDir::Send,
            ast::ChanDir::Recv => ChanDir::Recv,
        };
        self.program.types.intern(TypeKind::Chan(dir, elem))
    }

    /// A bidirectional channel value assigned to a directional channel type
    /// with the same element type (at most one of the two types named):
    /// assignable as is ([Go spec: Assignability](https://go.dev/ref/spec#Assignability)).
    pub(super) fn chan_assignable(&self, from: TypeId, to: TypeId) -> bool {
        let types = &self.program.types;
        match (types.chan(from), types.chan(to)) {
            (Some((ChanDir::Both, a)), Some((_, b))) => a == b && (!types.is_named(from) || !types.is_named(to)),
            _ => false,
        }
    }

    /// The channel operand of a send, receive or close, with its element
    /// type; reports a non-channel or a channel of the wrong direction.
    fn chan_operand(&mut self, chan: ExprId, op: &str, span: Span) -> Option<TypeId> {
        let ty = self.expr_ty(chan);
        if ty == Types::INVALID {
            return None;
        }
        let Some((dir, elem)) = self.program.types.chan(ty) else {
            let message = match op {
                "send" => format!("cannot send to non-channel {} (variable of type {})", self.snippet_of(chan), self.type_name(ty)),
                "close" => format!("cannot close non-channel {} (variable of type {})", self.snippet_of(chan), self.type_name(ty)),
                "range" => format!("cannot range over {} (variable of type {})", self.snippet_of(chan), self.type_name(ty)),
                _ => format!("cannot receive from non-channel {} (variable of type {})", self.snippet_of(chan), self.type_name(ty)),
            };
            self.errors.push(SemaError::InvalidOperation { message, span });
            return None;
        };
        let wrong = match op {
            "send" if dir == ChanDir::Recv => Some("cannot send to receive-only channel"),
            "close" if dir == ChanDir::Recv => Some("cannot close receive-only channel"),
            "receive" | "range" if dir == ChanDir::Send => Some("cannot receive from send-only channel"),
            _ => None,
        };
        if let Some(what) = wrong {
            let message = if op == "range" {
                format!("range {} receive from send-only channel {}", self.snippet_of(chan), self.type_name(ty))
            } else {
                format!("{what} {} (variable of type {})", self.snippet_of(chan), self.type_name(ty))
            };
            self.errors.push(SemaError::InvalidOperation { message, span });
            return None;
        }
        Some(elem)
    }

    /// `<-c`, or with `comma_ok` the pair `(value, ok)`.
    pub(super) fn check_recv(&mut self, operand: &ast::Expr, comma_ok: bool, span: Span) -> ExprId {
        let chan = self.check_expr(operand);
        let Some(elem) = self.chan_operand(chan, "receive", span) else { return self.invalid(span) };
        let ty = if comma_ok { self.program.types.intern(TypeKind::Tuple(vec![elem, Types::BOOL])) } else { elem };
        self.push_expr(hir::ExprKind::Recv { chan, comma_ok }, ty, span)
    }

    /// `ch <- value`.
    pub(super) fn check_send(&mut self, chan: &ast::Expr, value: &ast::Expr, span: Span) -> Option<(ExprId, ExprId)> {
        let chan_id = self.check_expr(chan);
        let value_id = self.check_expr(value);
        let elem = self.chan_operand(chan_id, "send", span)?;
        self.check_value_type(value_id);
        let value_id = self.convert(value_id, elem, "send");
        Some((chan_id, value_id))
    }

    /// `make(chan T, size)`.
    pub(super) fn make_chan(&mut self, sizes: &[ExprId], span: Span, ty: TypeId) -> ExprId {
        if sizes.len() > 1 {
            self.errors.push(SemaError::ArgumentCount {
                message: "too many",
                callee: format!("make({})", self.type_name(ty)),
                span,
                have: sizes.len() + 1,
                want: "2".to_string(),
            });
            return self.invalid(span);
        }
        let size = sizes.first().copied();
        self.push_expr(hir::ExprKind::MakeChan { size }, ty, span)
    }

    /// `close(c)`.
    pub(super) fn check_close(&mut self, args: &[ast::Expr], span: Span) -> ExprId {
        let [arg] = args else {
            for arg in args {
                self.check_expr(arg);
            }
            self.errors.push(SemaError::ArgumentCount {
                message: if args.is_empty() { "not enough" } else { "too many" },
                callee: "close".to_string(),
                span,
                have: args.len(),
                want: "1".to_string(),
            });
            return self.invalid(span);
        };
        let chan = self.check_expr(arg);
        if self.chan_operand(chan, "close", span).is_none() {
            return self.invalid(span);
        }
        self.push_expr(hir::ExprKind::Intrinsic { which: Intrinsic::ChanClose, args: vec![chan] }, Types::VOID, span)
    }

    /// `go f(args)`: the callee and arguments are evaluated now, the call runs
    /// in a new goroutine.
    pub(super) fn check_go(&mut self, call: &ast::Expr, span: Span, out: &mut Vec<hir::Stmt>) {
        if !matches!(strip_parens(call).kind, ast::ExprKind::Call { .. }) {
            self.errors.push(SemaError::Misplaced { message: "expression in go must be function call".to_string(), span: call.span });
            return;
        }
        if let Some(thunk) = self.call_thunk(call, span, "go", out) {
            out.push(hir::Stmt { kind: hir::StmtKind::Go { thunk }, span });
        }
    }

    /// `for v := range c`: receives until the channel is closed and drained.
    /// Lowered to `for { tmp, ok := <-c; if !ok { break }; v = tmp; body }`
    /// with `v` declared once before the loop (Go 1.19).
    pub(super) fn check_range_chan(
        &mut self,
        chan: ExprId,
        key: Option<&ast::Expr>,
        value: Option<&ast::Expr>,
        define: bool,
        expr_span: Span,
        body: &ast::Block,
        span: Span,
        out: &mut Vec<hir::Stmt>,
    ) {
        let Some(elem) = self.chan_operand(chan, "range", expr_span) else { return };
        if let Some(value) = value {
            self.errors.push(SemaError::Misplaced {
                message: format!("range over {} permits only one iteration variable", self.snippet_of(chan)),
                span: value.span,
            });
            return;
        }
        let mut stmts = Vec::new();
        let chan_ty = self.expr_ty(chan);
        let chan_tmp = self.temp_local(chan_ty, span);
        stmts.push(hir::Stmt { kind: hir::StmtKind::Define { local: chan_tmp, value: Some(chan) }, span });
        let value_tmp = self.temp_local(elem, span);
        let ok_tmp = self.temp_local(Types::BOOL, span);
        let target = match key {
            None => Place::Blank,
            Some(expr) if define => match &expr.kind {
                ast::ExprKind::Ident(name) if name.name == "_" => Place::Blank,
                ast::ExprKind::Ident(name) => {
                    let local = self.new_local(&name.name, elem, name.span, LocalKind::Var);
                    self.declare(&name.name, Binding::Local(local), name.span);
                    stmts.push(hir::Stmt { kind: hir::StmtKind::Define { local, value: None }, span });
                    Place::Local(local)
                }
                _ => {
                    self.errors.push(SemaError::Misplaced { message: "non-name on left side of :=".to_string(), span: expr.span });
                    Place::Blank
                }
            },
            Some(expr) => self.check_place(expr).unwrap_or(Place::Blank),
        };
        let mut loop_body = Vec::new();
        let chan_read = self.push_expr(hir::ExprKind::Local(chan_tmp), chan_ty, span);
        let tuple = self.program.types.intern(TypeKind::Tuple(vec![elem, Types::BOOL]));
        let recv = self.push_expr(hir::ExprKind::Recv { chan: chan_read, comma_ok: true }, tuple, span);
        loop_body.push(hir::Stmt { kind: hir::StmtKind::AssignTuple { locals: vec![Some(value_tmp), Some(ok_tmp)], value: recv }, span });
        let ok_read = self.push_expr(hir::ExprKind::Local(ok_tmp), Types::BOOL, span);
        let not_ok = self.push_expr(hir::ExprKind::Unary { op: hir::UnaryOp::Not, operand: ok_read }, Types::BOOL, span);
        let leave = hir::Block { stmts: vec![hir::Stmt { kind: hir::StmtKind::Break(None), span }] };
        loop_body.push(hir::Stmt { kind: hir::StmtKind::If { cond: not_ok, then: leave, els: None }, span });
        if !matches!(target, Place::Blank) {
            let read = self.push_expr(hir::ExprKind::Local(value_tmp), elem, span);
            let target_ty = self.place_type(target);
            let read = self.convert(read, target_ty, "range");
            self.assign_place(target, read, span, &mut loop_body);
        }
        self.func.loop_depth += 1;
        self.func.breakable_depth += 1;
        let user_body = self.check_block(body);
        self.func.loop_depth -= 1;
        self.func.breakable_depth -= 1;
        loop_body.push(hir::Stmt { kind: hir::StmtKind::Block(user_body), span });
        stmts.push(hir::Stmt { kind: hir::StmtKind::Loop { cond: None, body: hir::Block { stmts: loop_body }, post: None }, span });
        out.push(hir::Stmt { kind: hir::StmtKind::Block(hir::Block { stmts }), span });
    }

    /// A compiler temporary (never reported unused).
    pub(super) fn temp_local(&mut self, ty: TypeId, span: Span) -> LocalId {
        let local = self.new_local("", ty, span, LocalKind::Var);
        if let Some(l) = self.program.locals.get_mut(local.index()) {
            l.used = true;
        }
        local
    }

    /// See [Go spec: Select statements](https://go.dev/ref/spec#Select_statements).
    pub(super) fn check_select(&mut self, clauses: &[ast::SelectClause], span: Span, out: &mut Vec<hir::Stmt>) {
        let mut cases = Vec::new();
        let mut default: Option<hir::Block> = None;
        let mut default_span: Option<Span> = None;
        for clause in clauses {
            self.pkg.scopes.push(Scope::default());
            let mut prologue = Vec::new();
            let case = match clause.comm.as_deref() {
                None => {
                    if default_span.is_some() {
                        self.errors.push(SemaError::Misplaced { message: "multiple defaults in select".to_string(), span: clause.span });
                    }
                    default_span = Some(clause.span);
                    None
                }
                Some(comm) => self.check_comm_clause(comm, &mut prologue),
            };
            self.func.breakable_depth += 1;
            let body = self.check_stmts(&clause.body);
            self.func.breakable_depth -= 1;
            self.pkg.scopes.pop();
            prologue.extend(body);
            let body = hir::Block { stmts: prologue };
            match (clause.comm.is_none(), case) {
                (true, _) => default = Some(body),
                (false, Some((chan, send, recv_value, recv_ok))) => {
                    cases.push(hir::SelectCase { chan, send, recv_value, recv_ok, body })
                }
                (false, None) => {}
            }
        }
        out.push(hir::Stmt { kind: hir::StmtKind::Select { cases, default }, span });
    }

    /// The communication of one select case: its channel, the value of a
    /// send, the receive's value and ok locals; `prologue` gets the
    /// assignments of an assigning receive (run only when the case is chosen).
    #[allow(clippy::type_complexity)]
    fn check_comm_clause(
        &mut self,
        comm: &ast::Stmt,
        prologue: &mut Vec<hir::Stmt>,
    ) -> Option<(ExprId, Option<ExprId>, Option<LocalId>, Option<LocalId>)> {
        let not_comm = |checker: &mut Self| {
            checker.errors.push(SemaError::Misplaced {
                message: "select case must be receive, send or assign recv".to_string(),
                span: comm.span,
            });
            None
        };
        match &comm.kind {
            ast::StmtKind::Send { chan, value } => {
                let (chan, value) = self.check_send(chan, value, comm.span)?;
                Some((chan, Some(value), None, None))
            }
            ast::StmtKind::Expr(expr) => {
                let Some(operand) = recv_operand(expr) else { return not_comm(self) };
                let chan = self.check_expr(operand);
                self.chan_operand(chan, "receive", expr.span)?;
                Some((chan, None, None, None))
            }
            ast::StmtKind::ShortVarDecl { names, values } => {
                let ([value], 1..=2) = (values.as_slice(), names.len()) else { return not_comm(self) };
                let Some(operand) = recv_operand(value) else { return not_comm(self) };
                let chan = self.check_expr(operand);
                let elem = self.chan_operand(chan, "receive", value.span)?;
                let mut locals = Vec::new();
                for (name, ty) in names.iter().zip([elem, Types::BOOL]) {
                    if name.name == "_" {
                        locals.push(None);
                        continue;
                    }
                    let local = self.new_local(&name.name, ty, name.span, LocalKind::Var);
                    self.declare(&name.name, Binding::Local(local), name.span);
                    locals.push(Some(local));
                }
                Some((chan, None, locals[0], locals.get(1).copied().flatten()))
            }
            ast::StmtKind::Assign { lhs, op: None, rhs } => {
                let ([value], 1..=2) = (rhs.as_slice(), lhs.len()) else { return not_comm(self) };
                let Some(operand) = recv_operand(value) else { return not_comm(self) };
                let chan = self.check_expr(operand);
                let elem = self.chan_operand(chan, "receive", value.span)?;
                let mut temps = Vec::new();
                for (target, ty) in lhs.iter().zip([elem, Types::BOOL]) {
                    let Some(place) = self.check_place(target) else {
                        temps.push(None);
                        continue;
                    };
                    if matches!(place, Place::Blank) {
                        temps.push(None);
                        continue;
                    }
                    let temp = self.temp_local(ty, target.span);
                    let read = self.push_expr(hir::ExprKind::Local(temp), ty, target.span);
                    let place_ty = self.place_type(place);
                    let read = self.convert(read, place_ty, "assignment");
                    self.assign_place(place, read, comm.span, prologue);
                    temps.push(Some(temp));
                }
                Some((chan, None, temps[0], temps.get(1).copied().flatten()))
            }
            _ => not_comm(self),
        }
    }
}

/// `<-x` (through parentheses): its operand.
fn recv_operand(expr: &ast::Expr) -> Option<&ast::Expr> {
    match &expr.kind {
        ast::ExprKind::Paren(inner) => recv_operand(inner),
        ast::ExprKind::Unary { op: ast::UnaryOp::Recv, operand } => Some(operand),
        _ => None,
    }
}

pub(super) fn strip_parens(expr: &ast::Expr) -> &ast::Expr {
    match &expr.kind {
        ast::ExprKind::Paren(inner) => strip_parens(inner),
        _ => expr,
    }
}
