//! Calls of declared functions and stdlib functions: argument lists,
//! variadic packing, and multi-value calls used as arguments
//! ([Go spec: Calls](https://go.dev/ref/spec#Calls)).

use super::*;

impl Checker<'_> {
    pub(super) fn check_call(&mut self, func: &ast::Expr, args: &[ast::Expr], ellipsis: bool, span: Span) -> ExprId {
        if ellipsis {
            if let ast::ExprKind::Ident(ident) = &func.kind
                && let Some(Binding::Builtin(Builtin::Append)) = self.lookup(&ident.name)
            {
                if !self.builtin_arity_ok(Builtin::Append, args, span) {
                    return self.invalid(span);
                }
                return self.check_append(args, true, span);
            }
            self.spread_call = Some(span);
        }
        if matches!(func.kind, ast::ExprKind::Index { .. })
            && let Some(target) = self.expr_names_type(func)
        {
            return self.check_conversion(target, args, span);
        }
        match &func.kind {
            ast::ExprKind::Paren(inner) => {
                // `(*T)(x)`: a conversion to a pointer type.
                if let ast::ExprKind::Unary { op: ast::UnaryOp::Deref, operand } = &inner.kind
                    && let Some(pointee) = self.expr_names_type(operand)
                {
                    let target = self.program.types.intern(TypeKind::Pointer(pointee));
                    return self.check_conversion(target, args, span);
                }
                return self.check_call(inner, args, ellipsis, span);
            }
            ast::ExprKind::Ident(ident) => match self.lookup(&ident.name).cloned() {
                Some(Binding::Func(id)) => return self.check_user_call(id, args, span),
                Some(Binding::GenericFunc(index)) => return self.check_generic_call(index, &[], args, span),
                Some(Binding::Builtin(builtin)) => return self.check_builtin(builtin, &ident.name, args, span),
                Some(Binding::Type(ty)) => return self.check_conversion(ty, args, span),
                Some(Binding::StdFunc(package, name)) => return self.check_std_call(&package, &name, args, span),
                _ => {}
            },
            ast::ExprKind::Type(ty) => {
                let ty = self.resolve_type(ty);
                return self.check_conversion(ty, args, span);
            }
            ast::ExprKind::Index { base, indices } => {
                if let ast::ExprKind::Ident(ident) = &base.kind {
                    match self.lookup(&ident.name).cloned() {
                        Some(Binding::GenericFunc(index)) => return self.check_generic_call(index, indices, args, span),
                        // `T[int](x)`: a conversion to an instantiated generic type.
                        Some(Binding::GenericType(_)) => {
                            let type_args = indices.iter().filter_map(expr_as_type).collect::<Vec<_>>();
                            if type_args.len() == indices.len() {
                                let ty = ast::TypeExpr {
                                    kind: ast::TypeExprKind::Name { pkg: None, name: ident.clone(), type_args },
                                    span: func.span,
                                };
                                let ty = self.resolve_type(&ty);
                                return self.check_conversion(ty, args, span);
                            }
                        }
                        _ => {}
                    }
                }
            }
            ast::ExprKind::Selector { base, sel } if self.package_of_quiet(base).is_none() => {
                if let Some(recv_ty) = self.expr_names_type(base) {
                    let callee = self.method_expression(recv_ty, sel, func.span);
                    return self.check_call_value(callee, args, span);
                }
            }
            _ => {}
        }
        let ast::ExprKind::Selector { base, sel } = &func.kind else {
            let callee = self.check_expr(func);
            return self.check_call_value(callee, args, span);
        };
        let Some(package) = self.package_of(base) else {
            return self.check_method_call(base, sel, args, span);
        };
        // `pkg.F` as written, spelled only where it is needed.
        let qualified = |this: &Self| format!("{}.{}", this.snippet_hint(base), sel.name);
        match self.package_member(&package, &sel.name) {
            Some(Binding::StdFunc(package, func)) => self.check_std_call(&package, &func, args, span),
            Some(Binding::Func(id)) => self.check_user_call(id, args, span),
            Some(Binding::Type(ty)) => self.check_conversion(ty, args, span),
            Some(Binding::Builtin(builtin)) => self.check_builtin(builtin, &qualified(self), args, span),
            Some(binding) => {
                let callee = self.value_of_binding(binding, &qualified(self), func.span);
                self.check_call_value(callee, args, span)
            }
            None => {
                let name = qualified(self);
                // Go 1.19 reports an unexported name like a missing one, as
                // the program spells the package.
                self.errors.push(SemaError::Undefined { name, span: sel.span });
                // The arguments still use their variables and imports (no
                // "declared but not used" cascade), as for a call on an
                // invalid receiver.
                for arg in args {
                    self.check_expr(arg);
                }
                self.invalid(span)
            }
        }
    }

    /// A call of the runtime intrinsic `name` of stdlib package `package`.
    fn check_std_call(&mut self, package: &str, name: &str, args: &[ast::Expr], span: Span) -> ExprId {
        let stdlib = self.stdlib;
        let Some(std_func) = stdlib.func(package, name) else { return self.invalid(span) };
        let sig = self.std_signature(package, std_func);
        let spread = self.spread_call == Some(span);
        if spread {
            self.spread_call = None;
            // `f(a, s...)`: the slice is the variadic part as it is.
            let qualified = format!("{}.{}", package, name);
            if !sig.variadic {
                self.errors.push(SemaError::Misplaced { message: format!("cannot use ... in call to non-variadic {qualified}"), span });
                return self.invalid(span);
            }
            let mut params = sig.params.clone();
            if let Some(last) = params.last_mut() {
                *last = self.program.types.intern(TypeKind::Slice(*last));
            }
            let plain = Signature { params, results: sig.results.clone(), variadic: false };
            let args = self.check_args(&plain, &qualified, args, span);
            let result = self.results_type(&sig.results);
            let symbol = std_func.symbol.clone();
            let variadic = Some(sig.params.len() - 1);
            return self.push_expr(hir::ExprKind::StdCall { symbol, args, variadic, spread: true }, result, span);
        }
        let args = self.check_args(&sig, &format!("{}.{}", package, name), args, span);
        let result = self.results_type(&sig.results);
        match Intrinsic::lookup(package, name) {
            Some(which) => self.push_expr(hir::ExprKind::Intrinsic { which, args }, result, span),
            None => {
                let symbol = std_func.symbol.clone();
                let variadic = sig.variadic.then(|| sig.params.len() - 1);
                self.push_expr(hir::ExprKind::StdCall { symbol, args, variadic, spread: false }, result, span)
            }
        }
    }

    pub(super) fn results_type(&mut self, results: &[TypeId]) -> TypeId {
        match results {
            [single] => *single,
            results => self.program.types.intern(TypeKind::Tuple(results.to_vec())),
        }
    }

    pub(super) fn check_user_call(&mut self, id: FuncId, args: &[ast::Expr], span: Span) -> ExprId {
        self.check_user_call_with(id, None, args, span)
    }

    /// A call of a function or (with a receiver, already adjusted) a method.
    pub(super) fn check_user_call_with(&mut self, id: FuncId, receiver: Option<ExprId>, args: &[ast::Expr], span: Span) -> ExprId {
        let func = self.program.func(id);
        let name = func.name.clone();
        let variadic = func.variadic;
        // Parameters are declared when the body is checked; before that, the
        // declaration order gives them in `params` of the AST. Bodies are
        // checked after all signatures, but a call may be checked first.
        let mut params: Vec<TypeId> = if func.params.is_empty() {
            self.pending_params.get(&id).cloned().unwrap_or_default()
        } else {
            func.params.iter().map(|p| self.program.local(*p).ty).collect()
        };
        if receiver.is_some() && !params.is_empty() {
            params.remove(0);
        }
        let Some(checked) = self.pack_args(&params, variadic, args, &name, span) else { return self.invalid(span) };
        let mut args: Vec<ExprId> = receiver.into_iter().collect();
        args.extend(checked);
        let ty = match self.program.func(id).results.as_slice() {
            [single] => *single,
            results => {
                let results = results.to_vec();
                self.program.types.intern(TypeKind::Tuple(results))
            }
        };
        self.push_expr(hir::ExprKind::Call { func: id, args }, ty, span)
    }

    /// Arguments checked against parameter types; for a variadic function
    /// the extra arguments become a slice (or `s...` is passed as is).
    /// Messages quote the function as the call at `span` writes it (`name`
    /// if it is not found), spelled only when one is reported.
    pub(super) fn pack_args(&mut self, params: &[TypeId], variadic: bool, args: &[ast::Expr], name: &str, span: Span) -> Option<Vec<ExprId>> {
        let context = ConvertContext::ArgumentOfCall { call: span, fallback: name };
        let spread = self.spread_call == Some(span);
        if spread {
            self.spread_call = None;
        }
        let checked: Vec<ExprId> = args.iter().map(|a| self.check_expr(a)).collect();
        if !self.single_values(&checked) {
            return None;
        }
        let checked = self.expand_multi_value(checked);
        let fixed = if variadic { params.len().saturating_sub(1) } else { params.len() };
        let count_ok = if variadic && !spread { checked.len() >= fixed } else { checked.len() == params.len() };
        if !count_ok || (spread && !variadic) {
            if spread && !variadic {
                let message = format!("cannot use ... in call to non-variadic {}", self.callee_text(span, name));
                self.errors.push(SemaError::Misplaced { message, span });
                return None;
            }
            let message = if checked.len() < fixed { "not enough" } else { "too many" };
            self.errors.push(SemaError::ArgumentCount {
                message,
                callee: format!("in call to {}", self.callee_text(span, name)),
                span: argument_count_span(args, fixed, checked.len() < fixed, span),
                have: checked.len(),
                want: if variadic { format!("at least {fixed}") } else { params.len().to_string() },
            });
            return None;
        }
        let mut out = Vec::new();
        for (arg, ty) in checked.iter().zip(params.iter().take(fixed)) {
            self.check_value_type(*arg);
            out.push(self.convert_in(*arg, *ty, context));
        }
        if variadic {
            let slice_ty = params.last().copied().unwrap_or(Types::INVALID);
            if spread {
                let last = checked[checked.len() - 1];
                out.push(self.convert_in(last, slice_ty, context));
            } else {
                let elem = self.program.types.elem(slice_ty).unwrap_or(Types::INVALID);
                let extra: Vec<(u64, ExprId)> = checked[fixed..]
                    .iter()
                    .enumerate()
                    .map(|(i, arg)| {
                        self.check_value_type(*arg);
                        (i as u64, self.convert_in(*arg, elem, context))
                    })
                    .collect();
                let packed = if extra.is_empty() {
                    self.push_expr(hir::ExprKind::Const(ConstValue::Nil), slice_ty, span)
                } else {
                    self.push_expr(hir::ExprKind::SliceLit { len: extra.len() as u64, elems: extra }, slice_ty, span)
                };
                out.push(packed);
            }
        }
        Some(out)
    }

    /// A stdlib function's signature in this program's type table; variadic
    /// parameters keep their element type.
    pub(super) fn std_signature(&mut self, package: &str, func: &StdFunc) -> Signature {
        // Resolved in the function's package: user names (a variable called
        // `any`) must not change a library signature.
        let errors = self.errors.len();
        let (params, results) = self.in_package(package, |this| {
            let params = func.params.iter().map(|t| this.resolve_type(t)).collect();
            let results = func.results.iter().map(|t| this.resolve_type(t)).collect();
            (params, results)
        });
        self.errors.truncate(errors);
        Signature { params, results, variadic: func.variadic }
    }

    /// `f(g())` where `g` has several results: one argument per result.
    /// Several arguments must each be one value; a lone call may spread its
    /// results (`f(g())`). Reports and returns false otherwise.
    fn single_values(&mut self, args: &[ExprId]) -> bool {
        if args.len() < 2 {
            return true;
        }
        let mut ok = true;
        for &arg in args {
            if matches!(self.program.types.kind(self.expr_ty(arg)), TypeKind::Tuple(_)) {
                self.check_value_type(arg);
                ok = false;
            }
        }
        ok
    }

    pub(super) fn expand_multi_value(&mut self, args: Vec<ExprId>) -> Vec<ExprId> {
        if let [single] = args.as_slice()
            && let TypeKind::Tuple(elems) = self.program.types.kind(self.expr_ty(*single)).clone()
            && elems.len() > 1
        {
            let span = self.expr_span(*single);
            return elems
                .iter()
                .enumerate()
                .map(|(index, ty)| self.push_expr(hir::ExprKind::TupleField { tuple: *single, index: index as u32 }, *ty, span))
                .collect();
        }
        args
    }

    fn check_args(&mut self, sig: &Signature, name: &str, args: &[ast::Expr], span: Span) -> Vec<ExprId> {
        let context = ConvertContext::ArgumentOfCall { call: span, fallback: name };
        let written = args;
        let checked: Vec<ExprId> = args.iter().map(|a| self.check_expr(a)).collect();
        self.single_values(&checked);
        let args = self.expand_multi_value(checked);
        let fixed = if sig.variadic { sig.params.len().saturating_sub(1) } else { sig.params.len() };
        let too_few = args.len() < fixed;
        let too_many = !sig.variadic && args.len() > fixed;
        if too_few || too_many {
            self.errors.push(SemaError::ArgumentCount {
                message: if too_few { "not enough" } else { "too many" },
                callee: format!("in call to {}", self.callee_text(span, name)),
                span: argument_count_span(written, fixed, too_few, span),
                have: args.len(),
                want: if sig.variadic { format!("at least {fixed}") } else { fixed.to_string() },
            });
        }
        let mut out = Vec::new();
        for (index, &id) in args.iter().enumerate() {
            self.check_value_type(id);
            let param = if index < fixed { sig.params.get(index) } else if sig.variadic { sig.params.last() } else { None };
            match param {
                Some(&param_ty) => out.push(self.convert_in(id, param_ty, context)),
                None => out.push(id),
            }
        }
        out
    }
}

/// Where Go reports a call's wrong argument count: at the first argument
/// too many, or at the last argument when some are missing (at the call
/// when it has none).
fn argument_count_span(args: &[ast::Expr], fixed: usize, too_few: bool, call: Span) -> Span {
    let at = if too_few { args.last() } else { args.get(fixed) };
    at.map_or(call, |arg| arg.span)
}
