//! Function values: literals (closures capturing variables by reference),
//! declared functions used as values, and calls of function values.

use super::*;

impl Checker<'_> {
    pub(super) fn func_type(&mut self, func: FuncId) -> TypeId {
        let f = self.program.func(func);
        let results = f.results.clone();
        let params: Vec<TypeId> = if f.params.is_empty() {
            self.pending_params.get(&func).cloned().unwrap_or_default()
        } else {
            f.params.iter().map(|p| self.program.local(*p).ty).collect()
        };
        let variadic = self.program.func(func).variadic;
        let params = self.signature_params(params, variadic);
        self.program.types.intern(TypeKind::Func(Signature { params, results, variadic }))
    }

    /// A use of `local` inside function literals that do not declare it:
    /// each such literal captures it, and it moves to memory so that every
    /// closure shares it.
    pub(super) fn note_capture(&mut self, local: LocalId) {
        let l = self.program.local(local);
        if matches!(l.kind, LocalKind::Global | LocalKind::Free) {
            return;
        }
        let mut captured = false;
        for closure in self.func.closures.iter_mut().rev() {
            if local.index() >= closure.first_local {
                break;
            }
            if !closure.captures.contains(&local) {
                closure.captures.push(local);
            }
            captured = true;
        }
        if captured
            && let Some(l) = self.program.locals.get_mut(local.index())
        {
            l.escapes = true;
        }
    }

    /// `func(params) results { body }`.
    pub(super) fn check_func_lit(&mut self, sig: &ast::FuncSig, body: &ast::Block, span: Span) -> ExprId {
        let results: Vec<TypeId> = sig.results.iter().map(|r| self.resolve_type(&r.ty)).collect();
        let variadic = sig.params.last().is_some_and(|p| p.variadic);
        let params: Vec<(String, Span, TypeId)> = sig
            .params
            .iter()
            .map(|p| {
                let ty = self.resolve_type(&p.ty);
                let ty = if p.variadic && ty != Types::INVALID { self.program.types.intern(TypeKind::Slice(ty)) } else { ty };
                let name = p.name.as_ref().map_or("_", |n| n.name.as_str()).to_string();
                (name, p.name.as_ref().map_or(p.span, |n| n.span), ty)
            })
            .collect();
        let result_names: Vec<Option<(String, Span)>> =
            sig.results.iter().map(|r| r.name.as_ref().map(|n| (n.name.clone(), n.span))).collect();
        self.closure_with(params, results, result_names, variadic, span, |checker| {
            let block = hir::Block { stmts: checker.check_stmts(&body.stmts) };
            if !checker.func.results.is_empty() && !is_terminating_list(&body.stmts) {
                checker.errors.push(SemaError::Misplaced {
                    message: "missing return".to_string(),
                    span: Span { start: body.span.end.saturating_sub(1), ..body.span },
                });
            }
            block
        })
    }

    /// The next function literal's name, as Go 1.19 names it (and prints it
    /// in a goroutine trace): in a top-level function `f`, `f.func1`,
    /// `f.func2`, … in source order; in a method, after its receiver
    /// (`(*T).m.func1`); in a literal named `X`, `X.1`, `X.2`, …; in a
    /// package-level initializer, `glob..func1`.
    fn literal_name(&mut self) -> String {
        self.func.literals += 1;
        let enclosing = if !self.func.literal_prefix.is_empty() {
            self.func.literal_prefix.as_str()
        } else if self.func.name.is_empty() {
            "glob."
        } else {
            self.func.name.as_str()
        };
        if self.func.closures.is_empty() { format!("{enclosing}.func{}", self.func.literals) } else { format!("{enclosing}.{}", self.func.literals) }
    }

    /// A closure with the given parameters (already resolved; a variadic
    /// one has its slice type) whose body `body` checks in the closure's own
    /// context: results, loops and labels start afresh, and uses of outer
    /// locals become captures.
    pub(super) fn closure_with(
        &mut self,
        params: Vec<(String, Span, TypeId)>,
        results: Vec<TypeId>,
        result_names: Vec<Option<(String, Span)>>,
        variadic: bool,
        span: Span,
        body: impl FnOnce(&mut Self) -> hir::Block,
    ) -> ExprId {
        let id = FuncId(self.program.funcs.len() as u32);
        let param_types: Vec<TypeId> = params.iter().map(|p| p.2).collect();
        let name = self.literal_name();
        self.program.funcs.push(hir::Func {
            name,
            params: Vec::new(),
            results: results.clone(),
            result_locals: Vec::new(),
            body: hir::Block::default(),
            span,
            captures: Some(Vec::new()),
            variadic,
            has_defer: false,
        });
        self.pending_params.insert(id, param_types.clone());

        // The literal's own function context. The enclosing literals stay
        // in it (a use of an outer local is a capture of each literal in
        // between), and so do the labels of the enclosing labeled statements.
        let literal = FuncCtx {
            name: self.program.funcs[id.index()].name.clone(),
            results: results.clone(),
            labels: std::mem::take(&mut self.func.labels),
            closures: std::mem::take(&mut self.func.closures),
            ..FuncCtx::default()
        };
        let mut enclosing = std::mem::replace(&mut self.func, literal);
        self.func.closures.push(ClosureContext { first_local: self.program.locals.len(), captures: Vec::new() });
        self.pkg.scopes.push(Scope::default());

        let mut param_locals = Vec::new();
        for (name, pspan, ty) in &params {
            let local = self.new_local(name, *ty, *pspan, LocalKind::Param);
            self.declare(name, Binding::Local(local), *pspan);
            param_locals.push(local);
        }
        let mut result_locals = Vec::new();
        for (result, ty) in result_names.iter().zip(&results) {
            if let Some((name, rspan)) = result {
                let local = self.new_local(name, *ty, *rspan, LocalKind::Param);
                self.declare(name, Binding::Local(local), *rspan);
                result_locals.push(local);
            }
        }
        self.func.named_results = !result_locals.is_empty();
        let block = body(self);

        self.pkg.scopes.pop();
        let context = self.func.closures.pop();
        enclosing.labels = std::mem::take(&mut self.func.labels);
        enclosing.closures = std::mem::take(&mut self.func.closures);
        let literal = std::mem::replace(&mut self.func, enclosing);
        self.report_undefined_labels(literal.func_labels);
        let has_defer = literal.has_defer;
        let captures = context.map(|c| c.captures).unwrap_or_default();
        if let Some(f) = self.program.funcs.get_mut(id.index()) {
            f.body = block;
            f.params = param_locals;
            f.result_locals = result_locals;
            f.captures = Some(captures);
            f.has_defer = has_defer;
        }
        if has_defer {
            let results = self.program.func(id).result_locals.clone();
            for local in results {
                if let Some(l) = self.program.locals.get_mut(local.index()) {
                    l.escapes = true;
                }
            }
        }
        let params = self.signature_params(param_types, variadic);
        let ty = self.program.types.intern(TypeKind::Func(Signature { params, results, variadic }));
        self.push_expr(hir::ExprKind::Closure(id), ty, span)
    }

    /// Parameter types as a [`Signature`] keeps them: a variadic `...T`
    /// as `T`, where the function's own local has type `[]T`.
    pub(super) fn signature_params(&self, mut params: Vec<TypeId>, variadic: bool) -> Vec<TypeId> {
        if variadic
            && let Some(last) = params.last_mut()
            && let TypeKind::Slice(elem) = self.program.types.kind(*last)
        {
            *last = *elem;
        }
        params
    }

    /// A function value that forwards its parameters to a call built by
    /// `call` from their names (method values and expressions, stdlib
    /// functions as values): `func(p...) R { return call(p...) }`.
    pub(super) fn forwarding_closure(
        &mut self,
        sig: &Signature,
        span: Span,
        call: impl FnOnce(Vec<ast::Expr>, bool) -> ast::Expr,
    ) -> ExprId {
        let params: Vec<(String, Span, TypeId)> = sig
            .params
            .iter()
            .enumerate()
            .map(|(i, ty)| {
                let ty = if sig.variadic && i + 1 == sig.params.len() { self.program.types.intern(TypeKind::Slice(*ty)) } else { *ty };
                (format!("%arg{i}"), span, ty)
            })
            .collect();
        let args: Vec<ast::Expr> = params
            .iter()
            .map(|(name, _, _)| ast::Expr { kind: ast::ExprKind::Ident(ast::Ident { name: name.clone(), span }), span })
            .collect();
        let call = call(args, sig.variadic);
        let stmt = if sig.results.is_empty() {
            ast::Stmt { kind: ast::StmtKind::Expr(call), span }
        } else {
            ast::Stmt { kind: ast::StmtKind::Return(vec![call]), span }
        };
        let result_names = vec![None; sig.results.len()];
        self.closure_with(params, sig.results.clone(), result_names, sig.variadic, span, |checker| {
            checker.check_block(&ast::Block { stmts: vec![stmt], span })
        })
    }

    /// `defer call`: the callee and arguments are evaluated now into
    /// temporaries, and a closure over them makes the call later.
    pub(super) fn check_defer(&mut self, call: &ast::Expr, span: Span, out: &mut Vec<hir::Stmt>) {
        let ast::ExprKind::Call { .. } = &super::channels::strip_parens(call).kind else {
            self.errors.push(SemaError::Misplaced { message: "expression in defer must be function call".to_string(), span: call.span });
            return;
        };
        self.func.has_defer = true;
        if let Some(thunk) = self.call_thunk(call, span, "defer", out) {
            out.push(hir::Stmt { kind: hir::StmtKind::Defer { thunk }, span });
        }
    }

    /// The call of a `defer` or `go` statement as a closure taking no
    /// arguments: the callee and arguments are evaluated now (statements
    /// pushed to `out`) into temporaries that the closure captures.
    pub(super) fn call_thunk(&mut self, call: &ast::Expr, span: Span, keyword: &str, out: &mut Vec<hir::Stmt>) -> Option<ExprId> {
        let checked = self.check_expr(call);
        if self.expr_ty(checked) == Types::INVALID {
            return None;
        }
        // Go's suspendedCall: a builtin with a result, or a conversion, is
        // not a call that can be deferred.
        if let ast::ExprKind::Call { func, .. } = &call.kind {
            let message = match &func.kind {
                ast::ExprKind::Ident(ident) => match self.lookup(&ident.name) {
                    Some(Binding::Builtin(Builtin::Len | Builtin::Cap | Builtin::Append | Builtin::Make | Builtin::New)) => {
                        Some(format!("{keyword} discards result of {}", self.operand(checked)))
                    }
                    Some(Binding::Type(_)) => Some(format!("{keyword} requires function call, not conversion {}", self.operand(checked))),
                    _ => None,
                },
                _ => None,
            };
            if let Some(message) = message {
                self.errors.push(SemaError::Misplaced { message, span: call.span });
                return None;
            }
        }
        let mut temps = Vec::new();
        let mut capture = |checker: &mut Self, value: ExprId, out: &mut Vec<hir::Stmt>| -> ExprId {
            if checker.const_of(value).is_some() {
                return value;
            }
            let ty = checker.expr_ty(value);
            let temp = checker.new_local("", ty, span, LocalKind::Var);
            if let Some(l) = checker.program.locals.get_mut(temp.index()) {
                l.used = true;
                l.escapes = true;
            }
            out.push(hir::Stmt { kind: hir::StmtKind::Define { local: temp, value: Some(value) }, span });
            temps.push(temp);
            checker.push_expr(hir::ExprKind::Local(temp), ty, span)
        };
        let kind = match self.program.expr(checked).kind.clone() {
            hir::ExprKind::Call { func, args } => {
                let args = args.into_iter().map(|a| capture(self, a, out)).collect();
                hir::ExprKind::Call { func, args }
            }
            hir::ExprKind::CallValue { callee, args } => {
                let callee = capture(self, callee, out);
                let args = args.into_iter().map(|a| capture(self, a, out)).collect();
                hir::ExprKind::CallValue { callee, args }
            }
            hir::ExprKind::InterfaceCall { receiver, method, args } => {
                let receiver = capture(self, receiver, out);
                let check = self.push_expr(
                    hir::ExprKind::Intrinsic { which: hir::Intrinsic::CheckInterfaceNotNil, args: vec![receiver] },
                    Types::VOID,
                    span,
                );
                out.push(hir::Stmt { kind: hir::StmtKind::Expr(check), span });
                let args = args.into_iter().map(|a| capture(self, a, out)).collect();
                hir::ExprKind::InterfaceCall { receiver, method, args }
            }
            hir::ExprKind::StdCall { symbol, args, variadic, spread } => {
                let args = args.into_iter().map(|a| capture(self, a, out)).collect();
                hir::ExprKind::StdCall { symbol, args, variadic, spread }
            }
            hir::ExprKind::Intrinsic { which, args } => {
                let args = args.into_iter().map(|a| capture(self, a, out)).collect();
                hir::ExprKind::Intrinsic { which, args }
            }
            _ => {
                self.unsupported(&format!("this {keyword} call"), call.span);
                return None;
            }
        };
        let ty = self.expr_ty(checked);
        let deferred_call = self.push_expr(kind, ty, call.span);
        let id = FuncId(self.program.funcs.len() as u32);
        let wrap = if keyword == "go" { "gowrap" } else { "deferwrap" };
        self.func.wraps += 1;
        self.program.funcs.push(hir::Func {
            name: format!("{}.{wrap}{}", self.func.name, self.func.wraps),
            params: Vec::new(),
            results: Vec::new(),
            result_locals: Vec::new(),
            body: hir::Block { stmts: vec![hir::Stmt { kind: hir::StmtKind::Expr(deferred_call), span }] },
            span,
            captures: Some(temps),
            variadic: false,
            has_defer: false,
        });
        let thunk_ty = self.program.types.intern(TypeKind::Func(Signature { params: Vec::new(), results: Vec::new(), variadic: false }));
        Some(self.push_expr(hir::ExprKind::Closure(id), thunk_ty, span))
    }

    /// `f(args)` where `f` is a value of function type.
    pub(super) fn check_call_value(&mut self, callee: ExprId, args: &[ast::Expr], span: Span) -> ExprId {
        let ty = self.expr_ty(callee);
        if ty == Types::INVALID {
            for arg in args {
                self.check_expr(arg);
            }
            return self.invalid(span);
        }
        let TypeKind::Func(sig) = self.program.types.under(ty).clone() else {
            if matches!(self.program.types.kind(ty), TypeKind::Tuple(elems) if elems.is_empty()) {
                self.errors.push(SemaError::TypeMismatch {
                    message: format!("{} (no value) used as value or type", self.snippet_of(callee)),
                    span,
                    label: "not a function".to_string(),
                });
                return self.invalid(span);
            }
            self.errors.push(SemaError::InvalidOperation {
                message: format!("cannot call non-function {}", self.operand(callee)),
                span,
            });
            return self.invalid(span);
        };
        let name = self.snippet_of(callee);
        // `pack_args` takes a variadic parameter as the slice it arrives in.
        let mut params = sig.params.clone();
        if sig.variadic
            && let Some(last) = params.last_mut()
        {
            *last = self.program.types.intern(TypeKind::Slice(*last));
        }
        let Some(args) = self.pack_args(&params, sig.variadic, args, &name, span) else { return self.invalid(span) };
        let result = self.results_type(&sig.results);
        self.push_expr(hir::ExprKind::CallValue { callee, args }, result, span)
    }
}
