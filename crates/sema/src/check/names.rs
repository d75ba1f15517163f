//! Name resolution: identifiers and qualified names to what they bind,
//! free variables of a nanoservice, and type expressions to types.

use super::*;

impl Checker<'_> {
    /// An unresolved name: a free variable in a nanoservice, else undefined.
    pub(super) fn free_local(&mut self, ident: &ast::Ident) -> Option<LocalId> {
        match self.free_vars {
            FreeVars::Allowed(known) if self.func.name == "main" => {
                if let Some(&id) = self.free_by_name.get(&ident.name) {
                    return Some(id);
                }
                let ty = known.get(&ident.name).map_or(Types::INVALID, |name| self.known_free_type(name));
                let id = self.new_local(&ident.name, ty, ident.span, LocalKind::Free);
                self.free_by_name.insert(ident.name.clone(), id);
                Some(id)
            }
            _ if ident.name == "iota" => {
                self.errors.push(SemaError::Misplaced { message: "cannot use iota outside constant declaration".to_string(), span: ident.span });
                None
            }
            _ => {
                self.errors.push(SemaError::Undefined { name: ident.name.clone(), span: ident.span });
                None
            }
        }
    }

    /// The type an expression spells, when it is a type in expression
    /// syntax (`T`, `*T`, `(T)`, a type literal).
    pub(super) fn expr_names_type(&mut self, expr: &ast::Expr) -> Option<TypeId> {
        match &expr.kind {
            ast::ExprKind::Ident(ident) => match self.lookup(&ident.name) {
                Some(Binding::Type(ty)) => Some(*ty),
                _ => None,
            },
            ast::ExprKind::Paren(inner) => self.expr_names_type(inner),
            // `pkg.T` of a stdlib package.
            ast::ExprKind::Selector { base, sel } => {
                let index = self.package_of_quiet(base)?;
                let path = self.pkg.imports.get(index)?.path.clone();
                match self.package_member(&path, &sel.name) {
                    Some(Binding::Type(ty)) => {
                        self.package_of(base);
                        Some(ty)
                    }
                    _ => None,
                }
            }
            ast::ExprKind::Unary { op: ast::UnaryOp::Deref, operand } => {
                let pointee = self.expr_names_type(operand)?;
                Some(self.program.types.intern(TypeKind::Pointer(pointee)))
            }
            ast::ExprKind::Type(ty) => Some(self.resolve_type(ty)),
            // `G[T]` of a generic type.
            ast::ExprKind::Index { base, indices } => {
                let ast::ExprKind::Ident(ident) = &base.kind else { return None };
                let Some(Binding::GenericType(index)) = self.lookup(&ident.name).cloned() else { return None };
                let args: Vec<TypeId> = indices.iter().map(|i| self.type_of_type_arg(i)).collect();
                Some(self.instantiate_type(index, &args, expr.span))
            }
            _ => None,
        }
    }

    /// The type of a free variable as the mesh knows it: the Go spelling of
    /// the type upstream (`int`, `[]Point`, `map[string]*Node`), resolved
    /// here, where upstream declarations are merged in (g2n-split). A
    /// spelling that does not resolve here (a type local to an upstream
    /// function) is the invalid type, which the mesh then reports.
    fn known_free_type(&mut self, spelling: &str) -> TypeId {
        if let Some(ty) = self.stdlib_type_by_name(spelling) {
            return ty;
        }
        // The spelling is parsed in a file of its own, which no diagnostic
        // may point into: its errors are dropped, the type is then invalid.
        let text = format!("package p\nvar _ {spelling}\n");
        let (file, syntax_errors) = g2n_syntax::parse_file(g2n_base::FileId(u32::MAX), &text);
        let Some(ast::Decl::Gen(decl)) = file.decls.first() else { return Types::INVALID };
        let Some(ast::Spec::Value { ty: Some(ty), .. }) = decl.specs.first() else { return Types::INVALID };
        if !syntax_errors.is_empty() {
            return Types::INVALID;
        }
        let errors = self.errors.len();
        let resolved = self.resolve_type(ty);
        if self.errors.len() > errors {
            self.errors.truncate(errors);
            return Types::INVALID;
        }
        resolved
    }

    /// After `main` of a nanoservice: a received variable that `main` never
    /// names still gets a free local, through which generated code passes
    /// it on downstream (a scope graph travels from locals of known types).
    pub(super) fn declare_passed_through(&mut self, span: Span) {
        let FreeVars::Allowed(known) = self.free_vars else { return };
        for (name, spelling) in known {
            if self.free_by_name.contains_key(name) {
                continue;
            }
            let ty = self.known_free_type(spelling);
            let id = self.new_local(name, ty, span, LocalKind::Free);
            self.free_by_name.insert(name.clone(), id);
        }
    }

    fn stdlib_type_by_name(&self, name: &str) -> Option<TypeId> {
        match self.universe.names.get(name)? {
            (Binding::Type(ty), _) => Some(*ty),
            _ => None,
        }
    }

    /// Resolves a type whose errors were already reported once.
    pub(super) fn resolve_type_quietly(&mut self, ty: &ast::TypeExpr) -> TypeId {
        let errors = self.errors.len();
        let resolved = self.resolve_type(ty);
        self.errors.truncate(errors);
        resolved
    }

    pub(super) fn resolve_type(&mut self, ty: &ast::TypeExpr) -> TypeId {
        match &ty.kind {
            ast::TypeExprKind::Name { pkg: None, name, type_args } if !type_args.is_empty() => {
                let args: Vec<TypeId> = type_args.iter().map(|t| self.resolve_type(t)).collect();
                match self.lookup(&name.name).cloned() {
                    Some(Binding::GenericType(index)) => self.instantiate_type(index, &args, ty.span),
                    Some(_) => {
                        self.errors.push(SemaError::TypeMismatch {
                            message: format!("{} is not a generic type", name.name),
                            span: name.span,
                            label: "not generic".to_string(),
                        });
                        Types::INVALID
                    }
                    None => {
                        self.errors.push(SemaError::Undefined { name: name.name.clone(), span: name.span });
                        Types::INVALID
                    }
                }
            }
            ast::TypeExprKind::Name { pkg: None, name, type_args } if type_args.is_empty() => {
                match self.lookup(&name.name) {
                    Some(Binding::Type(id)) => *id,
                    Some(_) => {
                        // Described as Go's types2 does: `x (variable of type int)`.
                        let value = ast::Expr { kind: ast::ExprKind::Ident(name.clone()), span: name.span };
                        let value = self.check_expr(&value);
                        self.errors.push(SemaError::TypeMismatch {
                            message: format!("{} is not a type", self.operand(value)),
                            span: name.span,
                            label: "not a type".to_string(),
                        });
                        Types::INVALID
                    }
                    None if name.name == "_" => {
                        self.errors.push(SemaError::Misplaced { message: "cannot use _ as value or type".to_string(), span: name.span });
                        Types::INVALID
                    }
                    None => {
                        self.errors.push(SemaError::Undefined { name: name.name.clone(), span: name.span });
                        Types::INVALID
                    }
                }
            }
            ast::TypeExprKind::Name { pkg: Some(pkg), name, type_args } => {
                let base = ast::Expr { kind: ast::ExprKind::Ident(pkg.clone()), span: pkg.span };
                let qualified = format!("{}.{}", pkg.name, name.name);
                let Some(path) = self.package_of(&base) else {
                    match self.lookup(&pkg.name).cloned() {
                        Some(Binding::Package(index)) if self.import_for_use(index, pkg.span).is_some_and(|i| self.unknown_import(i)) => {}
                        // A package imported by another file of the package only.
                        None | Some(Binding::Package(_)) => self.errors.push(SemaError::Undefined { name: pkg.name.clone(), span: pkg.span }),
                        Some(_) => self.errors.push(SemaError::TypeMismatch {
                            message: format!("{qualified} is not a type"),
                            span: ty.span,
                            label: "not a type".to_string(),
                        }),
                    }
                    return Types::INVALID;
                };
                match self.package_member(&path, &name.name) {
                    Some(Binding::Type(id)) if type_args.is_empty() => id,
                    Some(Binding::Type(_)) => {
                        self.unsupported("generic types of other packages", ty.span);
                        Types::INVALID
                    }
                    Some(_) => {
                        self.errors.push(SemaError::TypeMismatch {
                            message: format!("{qualified} is not a type"),
                            span: ty.span,
                            label: "not a type".to_string(),
                        });
                        Types::INVALID
                    }
                    None => {
                        self.errors.push(SemaError::Undefined { name: qualified, span: name.span });
                        Types::INVALID
                    }
                }
            }
            ast::TypeExprKind::Interface(elems) => self.resolve_interface_type(elems, ty.span),
            _ => match self.resolve_composite_type(ty) {
                Some(resolved) => resolved,
                None => {
                    self.unsupported("this type", ty.span);
                    Types::INVALID
                }
            },
        }
    }

    pub(super) fn check_ident(&mut self, ident: &ast::Ident) -> ExprId {
        let span = ident.span;
        if ident.name == "_" {
            self.errors.push(SemaError::Misplaced { message: "cannot use _ as value or type".to_string(), span });
            return self.invalid(span);
        }
        self.resolve_pending(&ident.name);
        match self.lookup(&ident.name).cloned() {
            Some(binding) => self.value_of_binding(binding, &ident.name, span),
            None => match self.free_local(ident) {
                Some(id) => {
                    if let Some(local) = self.program.locals.get_mut(id.index()) {
                        local.used = true;
                    }
                    let ty = self.program.local(id).ty;
                    self.push_expr(hir::ExprKind::Local(id), ty, span)
                }
                None => self.invalid(span),
            },
        }
    }

    /// The value a name bound to `binding` denotes (`name` as the program
    /// spells it, `pkg.Name` for a package member).
    pub(super) fn value_of_binding(&mut self, binding: Binding, name: &str, span: Span) -> ExprId {
        match binding {
            Binding::Local(id) => {
                if let Some(local) = self.program.locals.get_mut(id.index()) {
                    local.used = true;
                }
                self.note_capture(id);
                let ty = self.program.local(id).ty;
                self.push_expr(hir::ExprKind::Local(id), ty, span)
            }
            Binding::Const(value, ty) => self.push_expr(hir::ExprKind::Const(value), ty, span),
            Binding::Type(_) => {
                self.errors.push(SemaError::Misplaced { message: format!("{} (type) is not an expression", name), span });
                self.invalid(span)
            }
            Binding::Package(index) => {
                let Some(index) = self.import_for_use(index, span) else {
                    // Imported by another file of the package only.
                    self.errors.push(SemaError::Undefined { name: name.to_string(), span });
                    return self.invalid(span);
                };
                if self.unknown_import(index) {
                    return self.invalid(span);
                }
                if let Some(import) = self.pkg.imports.get_mut(index) {
                    import.used = true;
                }
                self.errors.push(SemaError::Misplaced {
                    message: format!("use of package {} without selector", name),
                    span,
                });
                self.invalid(span)
            }
            Binding::Func(func) => {
                let ty = self.func_type(func);
                self.push_expr(hir::ExprKind::FuncValue(func), ty, span)
            }
            Binding::GenericFunc(_) => {
                self.unsupported("generic functions used as values", span);
                self.invalid(span)
            }
            Binding::GenericType(_) => {
                self.errors.push(SemaError::NotAValue { what: format!("type {}", name), span });
                self.invalid(span)
            }
            Binding::Builtin(_) => {
                self.errors.push(SemaError::Misplaced {
                    message: format!("{} (built-in) must be called", name),
                    span,
                });
                self.invalid(span)
            }
            Binding::StdVar(symbol, ty) => {
                self.push_expr(hir::ExprKind::StdCall { symbol, args: Vec::new(), variadic: None, spread: false }, ty, span)
            }
            Binding::StdFunc(package, func_name) => {
                let stdlib = self.stdlib;
                let Some(func) = stdlib.func(&package, &func_name) else { return self.invalid(span) };
                let sig = self.std_signature(&package, func);
                // Calls through the value check as calls of the name.
                let callee = ast::Expr { kind: ast::ExprKind::Ident(ast::Ident { name: func_name, span }), span };
                let callee = match name.split_once('.') {
                    Some((pkg, member)) => ast::Expr {
                        kind: ast::ExprKind::Selector {
                            base: Box::new(ast::Expr { kind: ast::ExprKind::Ident(ast::Ident { name: pkg.to_string(), span }), span }),
                            sel: ast::Ident { name: member.to_string(), span },
                        },
                        span,
                    },
                    None => callee,
                };
                self.forwarding_closure(&sig, span, |args, variadic| ast::Expr {
                    kind: ast::ExprKind::Call { func: Box::new(callee), args, ellipsis: variadic },
                    span,
                })
            }
        }
    }

    /// If `expr` names an imported package, marks it used and returns its path.
    pub(super) fn package_of(&mut self, expr: &ast::Expr) -> Option<String> {
        let ast::ExprKind::Ident(ident) = &expr.kind else { return None };
        let Some(Binding::Package(index)) = self.lookup(&ident.name).cloned() else { return None };
        let index = self.import_for_use(index, ident.span)?;
        let import = self.pkg.imports.get_mut(index)?;
        if !import.known {
            // Checked as a value, silently invalid.
            return None;
        }
        import.used = true;
        Some(import.path.clone())
    }
}

/// An index expression's operand read as a type (`int`, `[]T`, `pkg.T`).
pub(super) fn expr_as_type(expr: &ast::Expr) -> Option<ast::TypeExpr> {
    match &expr.kind {
        ast::ExprKind::Type(ty) => Some((**ty).clone()),
        ast::ExprKind::Ident(ident) => {
            Some(ast::TypeExpr { kind: ast::TypeExprKind::Name { pkg: None, name: ident.clone(), type_args: Vec::new() }, span: expr.span })
        }
        ast::ExprKind::Paren(inner) => expr_as_type(inner),
        ast::ExprKind::Index { base, indices } => {
            let ast::ExprKind::Ident(name) = &base.kind else { return None };
            let type_args = indices.iter().map(expr_as_type).collect::<Option<Vec<_>>>()?;
            Some(ast::TypeExpr { kind: ast::TypeExprKind::Name { pkg: None, name: name.clone(), type_args }, span: expr.span })
        }
        _ => None,
    }
}
