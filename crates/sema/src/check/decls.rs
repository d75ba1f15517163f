//! Declarations: function signatures and bodies, package-level and local
//! `const` and `var`, and Go's "declared and not used".

use super::*;

impl Checker<'_> {
    /// Adds a function with its signature (the receiver first among the
    /// parameters) to the program and binds no name: a generic
    /// instantiation is found through `instances`, a method through its
    /// type. [`Checker::declare_func`] does the binding for declared ones.
    pub(super) fn declare_func_signature(&mut self, func: &ast::FuncDecl) -> FuncId {
        let variadic = func.sig.params.last().is_some_and(|p| p.variadic);
        let results: Vec<TypeId> = func.sig.results.iter().map(|r| self.resolve_type(&r.ty)).collect();
        let mut params: Vec<TypeId> = Vec::new();
        if let Some(recv) = &func.recv {
            params.push(self.resolve_type_quietly(&recv.ty));
        }
        for param in &func.sig.params {
            let ty = self.resolve_type(&param.ty);
            // `...T` is a `[]T` inside the function.
            let ty = if param.variadic && ty != Types::INVALID { self.program.types.intern(TypeKind::Slice(ty)) } else { ty };
            params.push(ty);
        }
        // Only now: resolving the types may have declared functions (the
        // methods of a generic type instantiated by the signature).
        let id = FuncId(self.program.funcs.len() as u32);
        self.pending_params.insert(id, params);
        self.program.funcs.push(hir::Func {
            name: func.name.name.clone(),
            params: Vec::new(),
            results,
            result_locals: Vec::new(),
            body: hir::Block::default(),
            span: func.span,
            captures: None,
            variadic,
            has_defer: false,
        });
        id
    }

    /// Declares a function or method of the package: its signature, and its
    /// name in the package scope or among its receiver type's methods.
    pub(super) fn declare_func(&mut self, func: &ast::FuncDecl) -> Option<FuncId> {
        let receiver = match &func.recv {
            Some(recv) => Some(self.receiver_base(recv)?),
            None => None,
        };
        let id = self.declare_func_signature(func);
        let is_special = func.recv.is_none() && (func.name.name == "main" || func.name.name == "init");
        if is_special && (!func.sig.params.is_empty() || !func.sig.results.is_empty()) {
            self.errors.push(SemaError::Misplaced {
                message: format!("func {} must have no arguments and no return values", func.name.name),
                span: func.name.span,
            });
        }
        if let Some((base, pointer_receiver)) = receiver {
            self.register_method(base, &func.name, id, pointer_receiver);
            return Some(id);
        }
        match func.name.name.as_str() {
            // `main` is an ordinary function of the package scope too
            // (another function may call it); `init` is never declared.
            "main" => {
                self.program.main = Some(id);
                self.declare("main", Binding::Func(id), func.name.span);
            }
            "init" => self.program.inits.push(id),
            "_" => {}
            name => self.declare(name, Binding::Func(id), func.name.span),
        }
        Some(id)
    }

    pub(super) fn check_pending_decl(&mut self, index: usize) {
        let Some((decl, spec)) = self.pkg.pending_decls.get_mut(index).and_then(Option::take) else { return };
        self.with_package_context(&[], |this| {
            this.func.name = String::new();
            match decl.kind {
                ast::GenKind::Const => this.check_const_specs(&decl, Some(spec)),
                ast::GenKind::Var => this.check_global_vars(std::slice::from_ref(&decl.specs[spec])),
                ast::GenKind::Type => {}
            }
        });
    }

    /// Checks the package-level declaration of `name` now if it is still
    /// pending and no local declaration hides it.
    pub(super) fn resolve_pending(&mut self, name: &str) {
        let Some(&index) = self.pkg.pending_names.get(name) else { return };
        if self.pkg.pending_decls.get(index).is_none_or(Option::is_none) {
            return;
        }
        if self.pkg.scopes.iter().skip(1).any(|s| s.names.contains_key(name)) {
            return;
        }
        self.check_pending_decl(index);
    }

    pub(super) fn check_func_body(&mut self, id: FuncId, func: &ast::FuncDecl) {
        let literal_prefix = func.recv.as_ref().map(|recv| format!("{}.{}", receiver_name(&recv.ty), func.name.name)).unwrap_or_default();
        let enclosing = std::mem::replace(&mut self.func, FuncCtx { name: func.name.name.clone(), literal_prefix, ..FuncCtx::default() });
        self.pkg.scopes.push(Scope::default());
        // Every parameter's type first: a parameter's name is in scope in
        // the body, not in the signature (`func PostForm(url string, data
        // url.Values)` names package url in the second type).
        let types: Vec<TypeId> = func
            .recv
            .iter()
            .chain(&func.sig.params)
            .map(|param| {
                let ty = self.resolve_type_quietly(&param.ty);
                if param.variadic && ty != Types::INVALID { self.program.types.intern(TypeKind::Slice(ty)) } else { ty }
            })
            .collect();
        let mut params = Vec::new();
        for (param, ty) in func.recv.iter().chain(&func.sig.params).zip(types) {
            let name = param.name.as_ref().map_or("_", |n| n.name.as_str());
            let span = param.name.as_ref().map_or(param.span, |n| n.span);
            let local = self.new_local(name, ty, span, LocalKind::Param);
            self.declare(name, Binding::Local(local), span);
            params.push(local);
        }
        let mut result_locals = Vec::new();
        let results = self.program.func(id).results.clone();
        for (result, ty) in func.sig.results.iter().zip(&results) {
            if let Some(name) = &result.name {
                let local = self.new_local(&name.name, *ty, name.span, LocalKind::Param);
                self.declare(&name.name, Binding::Local(local), name.span);
                result_locals.push(local);
            }
        }
        self.func.results = results.clone();
        self.func.named_results = !result_locals.is_empty();
        let linked = if func.body.is_none() { self.linked_go_function(id, &func.name.name) } else { None };
        // A library body parsed now (g2n_syntax::deferred): its syntax
        // errors are reported instead of checking what was recovered.
        let syntax_errors = func.deferred.as_ref().map(|d| d.take_errors()).unwrap_or_default();
        let body_broken = !syntax_errors.is_empty() || func.deferred.as_ref().is_some_and(|d| d.has_errors());
        self.errors.extend(syntax_errors.into_iter().map(SemaError::Syntax));
        let body = match func.full_body() {
            Some(_) if body_broken => hir::Block::default(),
            Some(body) => {
                // Parameters and results share the body's outermost block.
                let block = hir::Block { stmts: self.check_stmts(&body.stmts) };
                if !results.is_empty() && !is_terminating_list(&body.stmts) {
                    self.errors.push(SemaError::Misplaced {
                        message: "missing return".to_string(),
                        span: Span { start: body.span.end.saturating_sub(1), ..body.span },
                    });
                }
                block
            }
            None if self.stdlib.package(&self.pkg.path).is_some_and(|p| p.unbound.contains_key(&func.name.name)) => {
                let target = &self.stdlib.package(&self.pkg.path).expect("checked above").unbound[&func.name.name];
                let message = format!(
                    "{}.{} is bound by //go:linkname to {target}, which g2n's runtime does not provide",
                    self.pkg.path, func.name.name
                );
                self.program.unbound.insert(id, message);
                hir::Block::default()
            }
            None if linked.is_some() => self.linked_body(func, &params, linked.expect("checked above")),
            None if self.stdlib.assembly_body(&self.pkg.path)
                || self.stdlib.package(&self.pkg.path).is_some_and(|p| p.unlinked.contains_key(&func.name.name)) =>
            {
                let unlinked = self.stdlib.package(&self.pkg.path).and_then(|p| p.unlinked.get(&func.name.name));
                let message = match unlinked {
                    Some(target) => format!(
                        "{}.{} is bound by //go:linkname to {target}, a Go function g2n does not link to",
                        self.pkg.path, func.name.name
                    ),
                    None => format!("{}.{} is implemented in assembly, which g2n does not compile", self.pkg.path, func.name.name),
                };
                let span = func.name.span;
                let text = self.push_expr(hir::ExprKind::Const(ConstValue::String(message.into_bytes())), Types::STRING, span);
                let value = self.convert(text, Types::ANY, "argument to panic");
                let panic = self.push_expr(hir::ExprKind::Intrinsic { which: Intrinsic::Panic, args: vec![value] }, Types::VOID, span);
                hir::Block { stmts: vec![hir::Stmt { kind: hir::StmtKind::Expr(panic), span }] }
            }
            None => {
                self.errors.push(SemaError::Misplaced { message: "missing function body".to_string(), span: func.name.span });
                hir::Block::default()
            }
        };
        if func.recv.is_none() && func.name.name == "main" && func.type_params.is_empty() && self.pkg.path == "main" {
            self.declare_passed_through(func.name.span);
        }
        self.pkg.scopes.pop();
        let checked = std::mem::replace(&mut self.func, enclosing);
        self.report_undefined_labels(checked.func_labels);
        if let Some(f) = self.program.funcs.get_mut(id.index()) {
            f.body = body;
            f.params = params;
            f.result_locals = result_locals.clone();
            f.has_defer = checked.has_defer;
        }
        if checked.has_defer && func.recv.is_none() && func.name.name == "main" && func.type_params.is_empty() {
            let thunk = self.program.types.intern(TypeKind::Func(Signature { params: Vec::new(), results: Vec::new(), variadic: false }));
            let list = self.program.types.intern(TypeKind::Slice(thunk));
            let local = self.new_local("%defers", list, func.name.span, LocalKind::Var);
            if let Some(l) = self.program.locals.get_mut(local.index()) {
                l.used = true;
            }
            self.program.main_defers = Some(local);
        }
        if checked.has_defer {
            // Deferred calls may set named results after `return`: they live
            // in memory, where the return reads them back.
            for local in result_locals {
                if let Some(l) = self.program.locals.get_mut(local.index()) {
                    l.escapes = true;
                }
            }
        }
    }

    /// Package-level `var`: globals with initializers run before `main`.
    fn check_global_vars(&mut self, specs: &[ast::Spec]) {
        for spec in specs {
            let ast::Spec::Value { names, ty, values, span } = spec else { continue };
            let declared_ty = ty.as_ref().map(|t| self.resolve_var_type(t));
            if let ([value], true) = (values.as_slice(), names.len() > 1) {
                self.check_global_tuple(names, declared_ty, value, *span);
                continue;
            }
            if !values.is_empty() && values.len() != names.len() {
                self.init_count_error(names, values);
                continue;
            }
            for (index, name) in names.iter().enumerate() {
                let value = values.get(index).map(|v| self.check_expr(v));
                let ty = match (declared_ty, value) {
                    (Some(ty), _) => ty,
                    (None, Some(value)) => {
                        self.check_assigned_value(value);
                        self.program.types.default_type(self.expr_ty(value))
                    }
                    (None, None) => Types::INVALID,
                };
                let value = value.map(|v| self.convert(v, ty, "variable declaration"));
                let local = self.new_local(&name.name, ty, name.span, LocalKind::Global);
                self.declare(&name.name, Binding::Local(local), name.span);
                self.push_global_init(local, value);
            }
        }
    }

    /// `var a, b = f()` at package level: each variable takes one result.
    fn check_global_tuple(&mut self, names: &[ast::Ident], declared_ty: Option<TypeId>, value: &ast::Expr, span: Span) {
        let call = self.check_multi_value(value, names.len());
        let call_ty = self.expr_ty(call);
        let elems = match self.program.types.kind(call_ty).clone() {
            TypeKind::Tuple(elems) if elems.len() == names.len() => elems,
            _ if call_ty == Types::INVALID => vec![Types::INVALID; names.len()],
            _ => {
                let have = match self.program.types.kind(call_ty) {
                    TypeKind::Tuple(elems) => elems.len(),
                    _ => 1,
                };
                self.errors.push(SemaError::TypeMismatch {
                    message: self.assignment_mismatch(names.len(), have, Some(self.expr_span(call))),
                    span,
                    label: "counts differ".to_string(),
                });
                vec![Types::INVALID; names.len()]
            }
        };
        for (index, (name, elem)) in names.iter().zip(elems).enumerate() {
            let field = if elem == Types::INVALID {
                None
            } else {
                Some(self.push_expr(hir::ExprKind::TupleField { tuple: call, index: index as u32 }, elem, value.span))
            };
            let ty = declared_ty.unwrap_or(elem);
            let field = field.map(|f| self.convert(f, ty, "variable declaration"));
            let local = self.new_local(&name.name, ty, name.span, LocalKind::Global);
            self.declare(&name.name, Binding::Local(local), name.span);
            self.push_global_init(local, field);
        }
    }

    /// Go's "declared but not used". Locals visible at a `goToNetwork` may be
    /// used downstream; the scope analyser judges those across the mesh.
    pub(super) fn report_unused_locals(&mut self) {
        let mut hop_visible = vec![false; self.program.locals.len()];
        for hop in &self.program.hops {
            for local in &hop.visible {
                if let Some(slot) = hop_visible.get_mut(local.index()) {
                    *slot = true;
                }
            }
        }
        for (index, local) in self.program.locals.iter().enumerate() {
            if local.kind == LocalKind::Var && !local.used && !hop_visible[index] && local.name != "_" && !local.name.is_empty() {
                self.errors.push(SemaError::DeclaredNotUsed { name: local.name.clone(), span: local.span });
            }
        }
    }

    /// A `var` declaration with more or fewer values than names.
    fn init_count_error(&mut self, names: &[ast::Ident], values: &[ast::Expr]) {
        for value in values {
            self.check_expr(value);
        }
        let (message, span) = match (values.get(names.len()), names.get(values.len())) {
            (Some(extra), _) => (format!("extra init expr {}", self.snippet_hint(extra)), extra.span),
            (None, Some(missing)) => (format!("missing init expr for {}", missing.name), missing.span),
            (None, None) => return,
        };
        self.errors.push(SemaError::Misplaced { message, span });
    }

    /// `const` declarations bind names to folded values; see
    /// [Go spec: Iota](https://go.dev/ref/spec#Iota) for the implicit repetition.
    fn check_const_decl(&mut self, decl: &ast::GenDecl) {
        self.check_const_specs(decl, None);
    }

    /// The specs of a `const` declaration, or only spec `only` (a package's
    /// constants are checked one spec at a time, in dependency order).
    fn check_const_specs(&mut self, decl: &ast::GenDecl, only: Option<usize>) {
        match only {
            // The spec's expressions, or the last ones written before it:
            // found from the spec backwards (a package-level constant is
            // checked alone when reached, and a declaration may hold
            // hundreds).
            Some(iota) => {
                let Some(upto) = decl.specs.get(..=iota) else { return };
                let written = upto.iter().rev().find_map(written_const_exprs);
                self.check_const_spec(decl, iota, written);
            }
            None => {
                let mut previous = None;
                for iota in 0..decl.specs.len() {
                    previous = written_const_exprs(&decl.specs[iota]).or(previous);
                    self.check_const_spec(decl, iota, previous);
                }
            }
        }
    }

    /// The constant spec `iota` of `decl`, with `written` the expressions
    /// it has or repeats (none when no spec up to it has any).
    fn check_const_spec(&mut self, decl: &ast::GenDecl, iota: usize, written: Option<(&Option<ast::TypeExpr>, &Vec<ast::Expr>)>) {
        let Some(ast::Spec::Value { names, span, values: own, .. }) = decl.specs.get(iota) else { return };
        let inherited = own.is_empty();
        let errors_before = self.errors.len();
        let Some((ty, values)) = written else {
            self.errors.push(SemaError::Misplaced { message: "missing init expr for const declaration".to_string(), span: *span });
            return;
        };
        if names.len() != values.len() {
            let message = if names.len() > values.len() { "missing init expr for const declaration" } else { "extra init expr" };
            self.errors.push(SemaError::Misplaced { message: message.to_string(), span: *span });
            return;
        }
        let declared_ty = ty.as_ref().map(|t| self.resolve_type(t));
        // `iota` is the spec's index inside this declaration only. It is
        // predeclared, so it lives in the universe, below every scope: a
        // constant named `iota` (`iota = iota`) hides it for the specs
        // after it, whose repeated expressions are checked where they
        // repeat, as Go's checker does.
        let iota_binding = (Binding::Const(ConstValue::Int(iota as i128), Types::UNTYPED_INT), *span);
        let outer_iota = self.universe.names.insert("iota".to_string(), iota_binding);
        let checked: Vec<ExprId> = values.iter().map(|v| self.check_expr(v)).collect();
        match outer_iota {
            Some(outer) => self.universe.names.insert("iota".to_string(), outer),
            None => self.universe.names.remove("iota"),
        };
        for (name, (value, expr)) in names.iter().zip(checked.into_iter().zip(values)) {
            let value = match declared_ty {
                Some(ty) => self.convert(value, ty, "constant declaration"),
                None => value,
            };
            let ty = self.expr_ty(value);
            match self.const_of(value) {
                Some(constant) if ty != Types::INVALID => {
                    self.declare(&name.name, Binding::Const(constant, ty), name.span);
                }
                _ => {
                    if ty != Types::INVALID {
                        self.errors.push(SemaError::TypeMismatch {
                            message: format!("{} is not constant", self.operand(value)),
                            span: expr.span,
                            label: "not a constant expression".to_string(),
                        });
                    }
                    // Keep later uses quiet: the name exists, with an invalid type.
                    self.declare(&name.name, Binding::Const(ConstValue::Nil, Types::INVALID), name.span);
                }
            }
        }
        if inherited
            && let Some(name) = names.first()
        {
            for error in &mut self.errors[errors_before..] {
                error.set_span(name.span);
            }
        }
    }

    pub(super) fn check_local_decl(&mut self, decl: &ast::GenDecl, out: &mut Vec<hir::Stmt>) {
        if decl.kind == ast::GenKind::Const {
            self.check_const_decl(decl);
            return;
        }
        if decl.kind == ast::GenKind::Type {
            self.check_local_type_decl(decl);
            return;
        }
        for spec in &decl.specs {
            let ast::Spec::Value { names, ty, values, span } = spec else { continue };
            let declared_ty = ty.as_ref().map(|t| self.resolve_var_type(t));
            if let ([value], true) = (values.as_slice(), names.len() > 1) {
                self.check_var_tuple(names, declared_ty, value, *span, out);
                continue;
            }
            if values.len() > names.len() {
                self.init_count_error(names, values);
                continue;
            }
            if !values.is_empty() && values.len() != names.len() {
                let message = match values.get(names.len()) {
                    Some(extra) => format!("extra init expr {}", self.snippet_hint(extra)),
                    None => format!("assignment mismatch: {} variables but {} values", names.len(), values.len()),
                };
                self.errors.push(SemaError::TypeMismatch { message, span: *span, label: "counts differ".to_string() });
                continue;
            }
            let values: Vec<Option<ExprId>> = if values.is_empty() {
                names.iter().map(|_| None).collect()
            } else {
                values.iter().map(|v| Some(self.check_expr(v))).collect()
            };
            let spelling = match (ty, declared_ty) {
                (Some(written), Some(resolved)) => self.alias_spelling(written, resolved),
                _ => None,
            };
            for (name, value) in names.iter().zip(values) {
                let ty = match (declared_ty, value) {
                    (Some(ty), _) => ty,
                    (None, Some(value)) => {
                        self.check_assigned_value(value);
                        self.program.types.default_type(self.expr_ty(value))
                    }
                    (None, None) => Types::INVALID,
                };
                let saved = std::mem::replace(&mut self.target_spelling, spelling.clone().map(|s| (ty, s)));
                let value = value.map(|v| self.convert(v, ty, "variable declaration"));
                self.target_spelling = saved;
                let local = self.new_local(&name.name, ty, name.span, LocalKind::Var);
                if let Some(spelling) = &spelling {
                    self.spellings.insert(local, spelling.clone());
                }
                self.declare(&name.name, Binding::Local(local), name.span);
                out.push(hir::Stmt { kind: hir::StmtKind::Define { local, value }, span: *span });
            }
        }
    }

    /// `var a, b = f()` (or `<-c`, `m[k]`, `x.(T)`) inside a function.
    fn check_var_tuple(&mut self, names: &[ast::Ident], declared_ty: Option<TypeId>, value: &ast::Expr, span: Span, out: &mut Vec<hir::Stmt>) {
        let value = self.check_multi_value(value, names.len());
        let Some(elems) = self.tuple_elems(value, names.len(), span) else {
            for name in names {
                let local = self.new_local(&name.name, declared_ty.unwrap_or(Types::INVALID), name.span, LocalKind::Var);
                self.declare(&name.name, Binding::Local(local), name.span);
            }
            return;
        };
        let temps: Vec<LocalId> = elems.iter().map(|ty| self.temp_local(*ty, span)).collect();
        out.push(hir::Stmt { kind: hir::StmtKind::AssignTuple { locals: temps.iter().map(|t| Some(*t)).collect(), value }, span });
        for ((name, temp), elem) in names.iter().zip(temps).zip(elems) {
            let ty = declared_ty.unwrap_or(elem);
            let read = self.push_expr(hir::ExprKind::Local(temp), elem, name.span);
            let read = self.convert(read, ty, "variable declaration");
            if name.name == "_" {
                continue;
            }
            let local = self.new_local(&name.name, ty, name.span, LocalKind::Var);
            self.declare(&name.name, Binding::Local(local), name.span);
            out.push(hir::Stmt { kind: hir::StmtKind::Define { local, value: Some(read) }, span });
        }
    }
}

/// A method's receiver type as Go's symbol names spell it: `T`, `(*T)`;
/// a generic receiver's arguments as `[...]`.
fn receiver_name(ty: &ast::TypeExpr) -> String {
    match &ty.kind {
        ast::TypeExprKind::Pointer(inner) => format!("(*{})", receiver_name(inner)),
        ast::TypeExprKind::Name { name, type_args, .. } if type_args.is_empty() => name.name.clone(),
        ast::TypeExprKind::Name { name, .. } => format!("{}[...]", name.name),
        _ => String::from("?"),
    }
}

/// A constant spec's type and expressions, if it writes any (a spec
/// without repeats the last ones written before it).
fn written_const_exprs(spec: &ast::Spec) -> Option<(&Option<ast::TypeExpr>, &Vec<ast::Expr>)> {
    match spec {
        ast::Spec::Value { ty, values, .. } if !values.is_empty() => Some((ty, values)),
        _ => None,
    }
}
