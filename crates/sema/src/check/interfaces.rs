//! Interfaces: interface types, implementation checks (against
//! `Types::method_set`), interface conversions,
//! dynamic method calls, type assertions and type switches.

use super::*;
use crate::types::InterfaceMethod;

impl Checker<'_> {
    /// `interface { M(); Embedded }`.
    pub(super) fn resolve_interface_type(&mut self, elems: &[ast::InterfaceElem], _span: Span) -> TypeId {
        let mut methods: Vec<InterfaceMethod> = Vec::new();
        for elem in elems {
            match elem {
                ast::InterfaceElem::Method { name, sig } => {
                    let params = sig.params.iter().map(|p| self.resolve_type(&p.ty)).collect();
                    let results = sig.results.iter().map(|p| self.resolve_type(&p.ty)).collect();
                    let variadic = sig.params.last().is_some_and(|p| p.variadic);
                    let sig = self.program.types.intern(TypeKind::Func(Signature { params, results, variadic }));
                    if methods.iter().any(|m| m.name == name.name) {
                        self.errors.push(SemaError::Misplaced { message: format!("duplicate method {}", name.name), span: name.span });
                        continue;
                    }
                    methods.push(InterfaceMethod { name: name.name.clone(), sig });
                }
                ast::InterfaceElem::Union(terms) if terms.len() == 1 && !terms[0].tilde => {
                    let embedded = self.resolve_type(&terms[0].ty);
                    if embedded == Types::INVALID {
                        continue;
                    }
                    // An embedded interface adds its methods; a single type
                    // term only constrains type parameters, which g2n does not
                    // check yet.
                    if let Some(inner) = self.program.types.interface_methods(embedded) {
                        for m in inner {
                            if !methods.iter().any(|have| have.name == m.name) {
                                methods.push(m);
                            }
                        }
                    }
                }
                ast::InterfaceElem::Union(_) => {
                    // A type set: only meaningful as a constraint, which
                    // instantiation does not check yet.
                }
            }
        }
        if methods.is_empty() {
            return Types::ANY;
        }
        methods.sort_by(|a, b| a.name.cmp(&b.name));
        self.program.types.intern(TypeKind::Interface(methods))
    }

    /// The signature of a declared method, without its receiver.
    fn method_signature(&mut self, func: FuncId) -> TypeId {
        let f = self.program.func(func);
        let results = f.results.clone();
        let mut params: Vec<TypeId> = if f.params.is_empty() {
            self.pending_params.get(&func).cloned().unwrap_or_default()
        } else {
            f.params.iter().map(|p| self.program.local(*p).ty).collect()
        };
        if !params.is_empty() {
            params.remove(0);
        }
        let variadic = self.program.func(func).variadic;
        if variadic {
            // Signatures keep a variadic parameter's element type.
            if let Some(last) = params.last_mut() {
                *last = self.program.types.elem(*last).unwrap_or(*last);
            }
        }
        self.program.types.intern(TypeKind::Func(Signature { params, results, variadic }))
    }

    /// Why `ty` does not implement interface `iface`, or `None` if it does.
    pub(super) fn missing_method(&mut self, ty: TypeId, iface: TypeId) -> Option<String> {
        let wanted = self.program.types.interface_methods(iface)?;
        if let Some(have) = self.program.types.interface_methods(ty) {
            for m in &wanted {
                match have.iter().find(|h| h.name == m.name) {
                    Some(h) if h.sig == m.sig => {}
                    Some(_) => return Some(format!("(wrong type for method {})", m.name)),
                    None => return Some(format!("(missing method {})", m.name)),
                }
            }
            return None;
        }
        let set = self.program.types.method_set(ty);
        for m in &wanted {
            match set.iter().find(|have| have.name == m.name) {
                Some(have) => {
                    if self.method_signature(FuncId(have.func)) != m.sig {
                        return Some(format!("(wrong type for method {})", m.name));
                    }
                }
                None => {
                    let pointer = self.program.types.intern(TypeKind::Pointer(ty));
                    if self.program.types.method_set(pointer).iter().any(|have| have.name == m.name) {
                        return Some(format!("(method {} has pointer receiver)", m.name));
                    }
                    return Some(format!("(missing method {})", m.name));
                }
            }
        }
        None
    }

    /// A value converted to an interface type, if it can be.
    pub(super) fn convert_to_interface(&mut self, id: ExprId, target: TypeId, context: ConvertContext) -> Option<ExprId> {
        let ty = self.expr_ty(id);
        let span = self.expr_span(id);
        if ty == Types::UNTYPED_NIL {
            return Some(self.push_expr(hir::ExprKind::Const(ConstValue::Nil), target, span));
        }
        let concrete = self.program.types.default_type(ty);
        let concrete_value = if concrete != ty { self.convert_in(id, concrete, context) } else { id };
        self.promote_into_unnamed_struct(concrete);
        if let Some(reason) = self.missing_method(concrete, target) {
            self.errors.push(SemaError::TypeMismatch {
                message: format!(
                    "cannot use {} as type {} in {}: {} does not implement {} {}",
                    self.operand(concrete_value),
                    self.type_name(target),
                    self.context_text(context),
                    self.type_name(concrete),
                    self.type_name(target),
                    reason
                ),
                span,
                label: "does not implement".to_string(),
            });
            return Some(self.invalid(span));
        }
        if self.program.types.is_interface(concrete) {
            // Same representation: an interface value is retyped.
            let expr = self.push_expr(hir::ExprKind::Convert(concrete_value), target, span);
            return Some(expr);
        }
        Some(self.push_expr(hir::ExprKind::ToInterface(concrete_value), target, span))
    }

    /// `x.m(args)` where `x` is an interface.
    pub(super) fn check_interface_call(&mut self, receiver: ExprId, sel: &ast::Ident, args: &[ast::Expr], span: Span) -> Option<ExprId> {
        let ty = self.expr_ty(receiver);
        let methods = self.program.types.interface_methods(ty)?;
        let Some(method) = methods.iter().find(|m| m.name == sel.name) else {
            self.errors.push(SemaError::InvalidOperation {
                message: format!("{}.{} undefined (type {} has no field or method {})", self.snippet_of(receiver), sel.name, self.type_name(ty), sel.name),
                span: sel.span,
            });
            return Some(self.invalid(span));
        };
        let TypeKind::Func(sig) = self.program.types.kind(method.sig).clone() else { return Some(self.invalid(span)) };
        let mut params = sig.params.clone();
        if sig.variadic
            && let Some(last) = params.last_mut()
        {
            *last = self.program.types.intern(TypeKind::Slice(*last));
        }
        let Some(args) = self.pack_args(&params, sig.variadic, args, &sel.name, span) else { return Some(self.invalid(span)) };
        let result = self.results_type(&sig.results);
        Some(self.push_expr(hir::ExprKind::InterfaceCall { receiver, method: sel.name.clone(), args }, result, span))
    }

    /// `x.(T)`, single-valued or with `ok`.
    pub(super) fn check_type_assert(&mut self, base: &ast::Expr, ty: &ast::TypeExpr, comma_ok: bool, span: Span) -> ExprId {
        let value = self.check_expr(base);
        let target = self.resolve_type(ty);
        let value_ty = self.expr_ty(value);
        if value_ty == Types::INVALID || target == Types::INVALID {
            return self.invalid(span);
        }
        if !self.program.types.is_interface(value_ty) {
            self.errors.push(SemaError::InvalidOperation {
                message: format!("invalid operation: {} is not an interface", self.operand(value)),
                span,
            });
            return self.invalid(span);
        }
        // Go checks generic code once, in generic form, where the asserted
        // type is a type parameter: an instance may assert a type that can
        // never match (that fails at run time).
        if !self.program.types.is_interface(target) && self.instance_depth == 0
            && let Some(reason) = self.missing_method(target, value_ty)
        {
            // Go 1.19: the assertion, then why on an indented line.
            self.errors.push(SemaError::TypeMismatch {
                label: "impossible".to_string(),
                message: format!(
                    "impossible type assertion: {}\n\t{} does not implement {} {}",
                    self.span_text(span),
                    self.type_name(target),
                    self.type_name(value_ty),
                    reason
                ),
                span,
            });
            return self.invalid(span);
        }
        let result = if comma_ok { self.program.types.intern(TypeKind::Tuple(vec![target, Types::BOOL])) } else { target };
        self.push_expr(hir::ExprKind::TypeAssert { value, target, comma_ok }, result, span)
    }

    /// The right side of `a, b := x` where two values are wanted: the
    /// comma-ok forms, else an ordinary (tuple-valued) expression.
    pub(super) fn check_multi_value(&mut self, expr: &ast::Expr, want: usize) -> ExprId {
        match &expr.kind {
            ast::ExprKind::Paren(inner) => self.check_multi_value(inner, want),
            ast::ExprKind::TypeAssert { base, ty } if want == 2 => self.check_type_assert(base, ty, true, expr.span),
            ast::ExprKind::Unary { op: ast::UnaryOp::Recv, operand } if want == 2 => self.check_recv(operand, true, expr.span),
            ast::ExprKind::Index { base, indices } if want == 2 && indices.len() == 1 => {
                let value = self.check_index(base, &indices[0], expr.span);
                if let hir::ExprKind::MapIndex { map, key, .. } = self.program.expr(value).kind.clone() {
                    let value_ty = self.expr_ty(value);
                    let tuple = self.program.types.intern(TypeKind::Tuple(vec![value_ty, Types::BOOL]));
                    return self.push_expr(hir::ExprKind::MapIndex { map, key, comma_ok: true }, tuple, expr.span);
                }
                value
            }
            _ => self.check_expr(expr),
        }
    }

    /// `switch v := x.(type) { case T: ... }`, lowered to a chain of `if`s
    /// over comma-ok assertions on a temporary.
    pub(super) fn check_type_switch(
        &mut self,
        init: Option<&ast::Stmt>,
        binding: Option<&ast::Ident>,
        expr: &ast::Expr,
        clauses: &[ast::TypeCaseClause],
        span: Span,
        out: &mut Vec<hir::Stmt>,
    ) {
        self.pkg.scopes.push(Scope::default());
        let mut stmts = Vec::new();
        if let Some(init) = init {
            self.check_stmt(init, &mut stmts);
        }
        let value = self.check_expr(expr);
        let value_ty = self.expr_ty(value);
        if value_ty == Types::INVALID {
            self.pkg.scopes.pop();
            return;
        }
        if !self.program.types.is_interface(value_ty) {
            self.errors.push(SemaError::InvalidOperation {
                message: format!("{} is not an interface", self.operand(value)),
                span: expr.span,
            });
            self.pkg.scopes.pop();
            return;
        }
        let subject = self.new_local("", value_ty, span, LocalKind::Var);
        stmts.push(hir::Stmt { kind: hir::StmtKind::Define { local: subject, value: Some(value) }, span });
        let mut binding_used = false;
        let mut binding_locals = Vec::new();

        // Each clause: (condition, body); default last.
        let mut arms: Vec<(Option<ExprId>, hir::Block)> = Vec::new();
        let mut default_arm: Option<hir::Block> = None;
        self.func.breakable_depth += 1;
        // Go's duplicate checks (types2 stmt.go caseTypes).
        let mut seen_types: Vec<(Option<TypeId>, Span)> = Vec::new();
        let mut seen_default: Option<Span> = None;
        for clause in clauses {
            if clause.is_default {
                if let Some(previous) = seen_default {
                    self.errors.push(SemaError::Misplaced {
                        message: format!("multiple defaults (first at {})", g2n_base::At(previous)),
                        span: clause.span,
                    });
                }
                seen_default = Some(clause.span);
            }
            self.pkg.scopes.push(Scope::default());
            let mut body = Vec::new();
            let mut targets: Vec<Option<TypeId>> = Vec::new();
            for ty in &clause.types {
                let case_span = ty.as_ref().map_or(clause.span, |t| t.span);
                let resolved = ty.as_ref().map(|t| self.resolve_type(t));
                if resolved != Some(Types::INVALID) && self.instance_depth == 0 {
                    if let Some((_, previous)) = seen_types.iter().find(|(t, _)| *t == resolved) {
                        let message = match resolved {
                            Some(t) => format!("duplicate case {} in type switch", self.type_name(t)),
                            None => format!("multiple nil cases in type switch (first at {})", g2n_base::At(*previous)),
                        };
                        self.errors.push(SemaError::Misplaced { message, span: case_span });
                    } else {
                        seen_types.push((resolved, case_span));
                    }
                }
                match ty {
                    None => targets.push(None),
                    Some(ty) => {
                        let t = resolved.unwrap_or(Types::INVALID);
                        if t != Types::INVALID && !self.program.types.is_interface(t) && self.instance_depth == 0
                            && let Some(reason) = self.missing_method(t, value_ty)
                        {
                            self.errors.push(SemaError::InvalidOperation {
                                message: format!("impossible type switch case: {} cannot have dynamic type {} {}", self.snippet_of(value), self.type_name(t), reason),
                                span: ty.span,
                            });
                        }
                        targets.push(Some(t));
                    }
                }
            }
            // The clause's binding: the asserted type for a single-type case,
            // the switched value's type otherwise.
            let single = match targets.as_slice() {
                [Some(t)] if *t != Types::INVALID => Some(*t),
                _ => None,
            };
            if let Some(name) = binding {
                let ty = single.unwrap_or(value_ty);
                let local = self.new_local(&name.name, ty, name.span, LocalKind::Var);
                self.declare(&name.name, Binding::Local(local), name.span);
                let subject_read = self.push_expr(hir::ExprKind::Local(subject), value_ty, span);
                let bound = match single {
                    Some(t) => self.push_expr(hir::ExprKind::TypeAssert { value: subject_read, target: t, comma_ok: false }, t, span),
                    None => subject_read,
                };
                body.push(hir::Stmt { kind: hir::StmtKind::Define { local, value: Some(bound) }, span });
                binding_locals.push(local);
            }
            body.extend(self.check_stmts(&clause.body));
            if let Some(name) = binding
                && let Some(local) = self.lookup(&name.name).cloned()
                && let Binding::Local(local) = local
            {
                binding_used |= self.program.local(local).used;
                // One report for the whole switch, below.
                if let Some(l) = self.program.locals.get_mut(local.index()) {
                    l.used = true;
                }
            }
            self.pkg.scopes.pop();
            let block = hir::Block { stmts: body };
            if clause.is_default {
                default_arm = Some(block);
                continue;
            }
            let mut cond: Option<ExprId> = None;
            for target in targets {
                let subject_read = self.push_expr(hir::ExprKind::Local(subject), value_ty, span);
                let test = match target {
                    None => {
                        let nil = self.push_expr(hir::ExprKind::Const(ConstValue::Nil), value_ty, span);
                        self.push_expr(hir::ExprKind::Binary { op: hir::BinaryOp::Eq, lhs: subject_read, rhs: nil }, Types::BOOL, span)
                    }
                    Some(t) if t == Types::INVALID => continue,
                    Some(t) => {
                        let tuple = self.program.types.intern(TypeKind::Tuple(vec![t, Types::BOOL]));
                        let assert = self.push_expr(hir::ExprKind::TypeAssert { value: subject_read, target: t, comma_ok: true }, tuple, span);
                        let ok = self.new_local("", Types::BOOL, span, LocalKind::Var);
                        let sink = self.new_local("", t, span, LocalKind::Var);
                        stmts.push(hir::Stmt { kind: hir::StmtKind::Define { local: ok, value: None }, span });
                        stmts.push(hir::Stmt { kind: hir::StmtKind::Define { local: sink, value: None }, span });
                        // Evaluated up front: assertions have no side effects.
                        stmts.push(hir::Stmt { kind: hir::StmtKind::AssignTuple { locals: vec![Some(sink), Some(ok)], value: assert }, span });
                        self.push_expr(hir::ExprKind::Local(ok), Types::BOOL, span)
                    }
                };
                cond = Some(match cond {
                    None => test,
                    Some(prev) => self.push_expr(hir::ExprKind::Binary { op: hir::BinaryOp::LogOr, lhs: prev, rhs: test }, Types::BOOL, span),
                });
            }
            let cond = cond.unwrap_or_else(|| self.push_expr(hir::ExprKind::Const(ConstValue::Bool(false)), Types::BOOL, span));
            arms.push((Some(cond), block));
        }
        self.func.breakable_depth -= 1;
        if let Some(name) = binding
            && !binding_used && !binding_locals.is_empty()
        {
            self.errors.push(SemaError::DeclaredNotUsed { name: name.name.clone(), span: name.span });
        }
        // A switch so that `break` leaves it: one clause per arm.
        let mut switch_clauses: Vec<hir::SwitchClause> = arms
            .into_iter()
            .map(|(cond, body)| hir::SwitchClause { conds: cond.into_iter().collect(), is_default: false, body, fallthrough: false })
            .collect();
        if let Some(body) = default_arm {
            switch_clauses.push(hir::SwitchClause { conds: Vec::new(), is_default: true, body, fallthrough: false });
        }
        stmts.push(hir::Stmt { kind: hir::StmtKind::Switch { clauses: switch_clauses }, span });
        self.pkg.scopes.pop();
        out.push(hir::Stmt { kind: hir::StmtKind::Block(hir::Block { stmts }), span });
    }
}
