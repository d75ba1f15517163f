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
        for closure in self.closures.iter_mut().rev() {
            if local.index() >= closure.first_local {
                break;
            }
            if !closure.captures.contains(&local) {
                closure.captures.push(local);
            }
            captured = true;
        }
        if captured {
            if let Some(l) = self.program.locals.get_mut(local.index()) {
                l.escapes = true;
            }
        }
    }

    /// `func(params) results { body }`.
    pub(super) fn check_func_lit(&mut self, sig: &ast::FuncSig, body: &ast::Block, span: Span) -> ExprId {
        let id = FuncId(self.program.funcs.len() as u32);
        let results: Vec<TypeId> = sig.results.iter().map(|r| self.resolve_type(&r.ty)).collect();
        let variadic = sig.params.last().is_some_and(|p| p.variadic);
        let param_types: Vec<TypeId> = sig
            .params
            .iter()
            .map(|p| {
                let ty = self.resolve_type(&p.ty);
                if p.variadic && ty != Types::INVALID { self.program.types.intern(TypeKind::Slice(ty)) } else { ty }
            })
            .collect();
        let name = format!("{}.func{}", self.current_func, self.closures.len() + id.0 as usize);
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

        // The literal's own context: results, loops and labels start afresh.
        let saved_results = std::mem::replace(&mut self.current_results, results.clone());
        let saved_named = self.current_named_results;
        let saved_defer = std::mem::replace(&mut self.current_has_defer, false);
        let saved_loop = std::mem::replace(&mut self.loop_depth, 0);
        let saved_breakable = std::mem::replace(&mut self.breakable_depth, 0);
        let literal_name = format!("{}.func", self.current_func);
        let saved_func = std::mem::replace(&mut self.current_func, literal_name);
        self.closures.push(ClosureContext { first_local: self.program.locals.len(), captures: Vec::new() });
        self.scopes.push(Scope { names: HashMap::new() });

        let mut params = Vec::new();
        for (param, ty) in sig.params.iter().zip(&param_types) {
            let name = param.name.as_ref().map_or("_", |n| n.name.as_str());
            let pspan = param.name.as_ref().map_or(param.span, |n| n.span);
            let local = self.new_local(name, *ty, pspan, LocalKind::Param);
            self.declare(name, Binding::Local(local), pspan);
            params.push(local);
        }
        let mut result_locals = Vec::new();
        for (result, ty) in sig.results.iter().zip(&results) {
            if let Some(name) = &result.name {
                let local = self.new_local(&name.name, *ty, name.span, LocalKind::Param);
                self.declare(&name.name, Binding::Local(local), name.span);
                result_locals.push(local);
            }
        }
        self.current_named_results = !result_locals.is_empty();
        let block = self.check_block(body);
        if !results.is_empty() && !is_terminating_list(&body.stmts) {
            self.errors.push(SemaError::Misplaced {
                message: "missing return".to_string(),
                span: Span { start: body.span.end.saturating_sub(1), ..body.span },
            });
        }

        self.scopes.pop();
        let context = self.closures.pop();
        self.current_results = saved_results;
        self.current_named_results = saved_named;
        let has_defer = std::mem::replace(&mut self.current_has_defer, saved_defer);
        self.loop_depth = saved_loop;
        self.breakable_depth = saved_breakable;
        self.current_func = saved_func;
        let captures = context.map(|c| c.captures).unwrap_or_default();
        if let Some(f) = self.program.funcs.get_mut(id.index()) {
            f.body = block;
            f.params = params;
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
        let ty = self.program.types.intern(TypeKind::Func(Signature { params: param_types, results, variadic }));
        self.push_expr(hir::ExprKind::Closure(id), ty, span)
    }

    /// `defer call`: the callee and arguments are evaluated now into
    /// temporaries, and a closure over them makes the call later.
    pub(super) fn check_defer(&mut self, call: &ast::Expr, span: Span, out: &mut Vec<hir::Stmt>) {
        let ast::ExprKind::Call { .. } = &super::channels::strip_parens(call).kind else {
            self.errors.push(SemaError::Misplaced { message: "expression in defer must be function call".to_string(), span: call.span });
            return;
        };
        self.current_has_defer = true;
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
        self.program.funcs.push(hir::Func {
            name: format!("{}.{wrap}{}", self.current_func, id.0),
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
            self.errors.push(SemaError::InvalidOperation {
                message: format!("invalid operation: cannot call non-function {} (variable of type {})", self.snippet_of(callee), self.type_name(ty)),
                span,
            });
            return self.invalid(span);
        };
        let name = self.snippet_of(callee);
        let Some(args) = self.pack_args(&sig.params, sig.variadic, args, &name, span) else { return self.invalid(span) };
        let result = self.results_type(&sig.results);
        self.push_expr(hir::ExprKind::CallValue { callee, args }, result, span)
    }
}
