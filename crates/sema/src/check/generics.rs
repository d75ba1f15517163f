//! Generic functions, by instantiation: each distinct list of type
//! arguments checks the declaration's body again with the type parameters
//! bound to those types, giving an ordinary function. Type arguments come
//! from `f[T](...)` or are inferred from the arguments' types. Constraints
//! are not checked yet beyond what the instantiated body's own checking
//! finds.

use super::*;

impl Checker<'_> {
    /// A generic function's declaration, kept for instantiation.
    pub(super) fn declare_generic_func(&mut self, func: &ast::FuncDecl) {
        let index = self.generic_funcs.len();
        self.generic_funcs.push(func.clone());
        self.declare(&func.name.name, Binding::GenericFunc(index), func.name.span);
    }

    /// `f(args)` or `f[T1, T2](args)` of a generic function.
    pub(super) fn check_generic_call(&mut self, index: usize, type_args: &[ast::Expr], args: &[ast::Expr], span: Span) -> ExprId {
        let decl = self.generic_funcs[index].clone();
        let names: Vec<String> = decl.type_params.iter().map(|p| p.name.name.clone()).collect();
        let mut bindings: HashMap<String, TypeId> = HashMap::new();
        for (name, arg) in names.iter().zip(type_args) {
            let ty = self.type_of_type_arg(arg);
            bindings.insert(name.clone(), ty);
        }
        if bindings.len() < names.len() {
            // Infer from the arguments: check them once (their diagnostics
            // come from the real check below), then unify.
            let errors = self.errors.len();
            let checked: Vec<ExprId> = args.iter().map(|a| self.check_expr(a)).collect();
            let mut pairs: Vec<(&ast::TypeExpr, TypeId)> =
                decl.sig.params.iter().zip(&checked).map(|(p, a)| (&p.ty, self.expr_ty(*a))).collect();
            if let Some(variadic) = decl.sig.params.last().filter(|p| p.variadic) {
                pairs.truncate(decl.sig.params.len().saturating_sub(1));
                for arg in checked.iter().skip(decl.sig.params.len().saturating_sub(1)) {
                    pairs.push((&variadic.ty, self.expr_ty(*arg)));
                }
            }
            // As Go: typed arguments first; then untyped constants, by their
            // default types, only for parameters of a bare type parameter
            // still unbound; an untyped nil says nothing.
            for (param, ty) in &pairs {
                if !self.program.types.is_untyped(*ty) {
                    self.unify(param, *ty, &names, &mut bindings);
                }
            }
            for (param, ty) in &pairs {
                let bare = matches!(&param.kind, ast::TypeExprKind::Name { pkg: None, type_args, .. } if type_args.is_empty());
                if self.program.types.is_untyped(*ty) && *ty != Types::UNTYPED_NIL && bare {
                    let ty = self.program.types.default_type(*ty);
                    self.unify(param, ty, &names, &mut bindings);
                }
            }
            self.errors.truncate(errors);
        }
        self.infer_from_constraints(&decl.type_params, &names, &mut bindings);
        let Some(type_args) = names.iter().map(|n| bindings.get(n).copied()).collect::<Option<Vec<TypeId>>>() else {
            let missing = names.iter().find(|n| !bindings.contains_key(*n)).cloned().unwrap_or_default();
            self.errors.push(SemaError::Misplaced {
                message: format!("in call to {}, cannot infer {}", decl.name.name, missing),
                span,
            });
            return self.invalid(span);
        };
        if type_args.contains(&Types::INVALID) {
            return self.invalid(span);
        }
        let id = self.instantiate(index, &type_args);
        self.check_user_call(id, args, span)
    }

    /// Constraint type inference: a type parameter whose constraint has a
    /// single type term (`S []E`, `PT interface{ *T; M() }`) and the term
    /// determine each other.
    fn infer_from_constraints(&mut self, params: &[ast::TypeParam], names: &[String], bindings: &mut HashMap<String, TypeId>) {
        let generic_types = &self.generic_types;
        let lookup_generic = |name: &str| match self.lookup(name) {
            Some(Binding::GenericType(index)) => Some(*index),
            _ => None,
        };
        let core = |constraint: &ast::TypeExpr| -> Option<ast::TypeExpr> {
            // A generic interface instance: its body with the arguments in.
            let expanded;
            let constraint = match &constraint.kind {
                ast::TypeExprKind::Name { pkg: None, name, type_args } if !type_args.is_empty() => {
                    let generic = &generic_types[lookup_generic(&name.name)?];
                    expanded = substitute(&generic.ty, &generic.params, type_args);
                    &expanded
                }
                _ => constraint,
            };
            match &constraint.kind {
                ast::TypeExprKind::Interface(elems) => {
                    let unions: Vec<&Vec<ast::TypeTerm>> = elems
                        .iter()
                        .filter_map(|e| match e {
                            ast::InterfaceElem::Union(terms) => Some(terms),
                            _ => None,
                        })
                        .collect();
                    match unions.as_slice() {
                        [terms] if terms.len() == 1 && !matches!(terms[0].ty.kind, ast::TypeExprKind::Name { .. }) => Some(terms[0].ty.clone()),
                        _ => None,
                    }
                }
                ast::TypeExprKind::Name { .. } => None,
                _ => Some(constraint.clone()),
            }
        };
        let cores: Vec<(String, ast::TypeExpr)> =
            params.iter().filter_map(|p| core(&p.constraint).map(|c| (p.name.name.clone(), c))).collect();
        for _ in 0..names.len() + 1 {
            let before = bindings.len();
            for (name, term) in &cores {
                match bindings.get(name).copied() {
                    Some(bound) => self.unify(term, bound, names, bindings),
                    None => {
                        let mut used = Vec::new();
                        collect_names(term, &mut used);
                        if used.iter().all(|n| !names.contains(n) || bindings.contains_key(n)) {
                            let scope: Vec<(String, TypeId, Span)> =
                                bindings.iter().map(|(n, t)| (n.clone(), *t, term.span)).collect();
                            let errors = self.errors.len();
                            let ty = self.with_package_context(&scope, |this| this.resolve_type(term));
                            self.errors.truncate(errors);
                            if ty != Types::INVALID {
                                bindings.insert(name.clone(), ty);
                            }
                        }
                    }
                }
            }
            if bindings.len() == before {
                break;
            }
        }
    }

    /// The generic function an expression names, if it does.
    pub(super) fn generic_func_named(&self, expr: &ast::Expr) -> Option<usize> {
        let ast::ExprKind::Ident(ident) = &expr.kind else { return None };
        match self.lookup(&ident.name) {
            Some(Binding::GenericFunc(index)) => Some(*index),
            _ => None,
        }
    }

    /// `f[T]` not called: the instance as a function value.
    pub(super) fn generic_func_value(&mut self, index: usize, type_args: &[ast::Expr], span: Span) -> ExprId {
        let decl = self.generic_funcs[index].clone();
        if type_args.len() != decl.type_params.len() {
            self.errors.push(SemaError::Misplaced {
                message: format!("cannot use generic function {} without instantiation", decl.name.name),
                span,
            });
            return self.invalid(span);
        }
        let args: Vec<TypeId> = type_args.iter().map(|a| self.type_of_type_arg(a)).collect();
        if args.contains(&Types::INVALID) {
            return self.invalid(span);
        }
        let id = self.instantiate(index, &args);
        let ty = self.func_type(id);
        self.push_expr(hir::ExprKind::FuncValue(id), ty, span)
    }

    pub(super) fn type_of_type_arg(&mut self, arg: &ast::Expr) -> TypeId {
        if let Some(ty) = self.expr_names_type(arg) {
            return ty;
        }
        match &arg.kind {
            ast::ExprKind::Ident(ident) => {
                let ty = ast::TypeExpr { kind: ast::TypeExprKind::Name { pkg: None, name: ident.clone(), type_args: Vec::new() }, span: arg.span };
                self.resolve_type(&ty)
            }
            _ => {
                self.errors.push(SemaError::NotAValue { what: "expression is not a type".to_string(), span: arg.span });
                Types::INVALID
            }
        }
    }

    /// Binds type parameters by matching a parameter's type expression
    /// against an argument's type.
    fn unify(&self, param: &ast::TypeExpr, arg: TypeId, names: &[String], bindings: &mut HashMap<String, TypeId>) {
        let types = &self.program.types;
        match &param.kind {
            ast::TypeExprKind::Name { pkg: None, name, type_args } if type_args.is_empty() && names.contains(&name.name) => {
                bindings.entry(name.name.clone()).or_insert(arg);
            }
            // `G[A]` against an instance of G.
            ast::TypeExprKind::Name { pkg: None, name, type_args } if !type_args.is_empty() => {
                let Some(Binding::GenericType(index)) = self.lookup(&name.name) else { return };
                let index = *index;
                let instance = self.type_instances.iter().find(|((i, _), ty)| *i == index && **ty == arg).map(|((_, args), _)| args.clone());
                match instance {
                    Some(args) => {
                        for (param, arg) in type_args.iter().zip(args) {
                            self.unify(param, arg, names, bindings);
                        }
                    }
                    // An unnamed argument of G's underlying form.
                    None => {
                        let generic = &self.generic_types[index];
                        let expanded = substitute(&generic.ty, &generic.params, type_args);
                        if !matches!(expanded.kind, ast::TypeExprKind::Name { .. }) {
                            self.unify(&expanded, arg, names, bindings);
                        }
                    }
                }
            }
            ast::TypeExprKind::Struct(fields) => {
                if let TypeKind::Struct(arg_fields) = types.under(arg) {
                    let declared: Vec<&ast::TypeExpr> =
                        fields.iter().flat_map(|f| std::iter::repeat_n(&f.ty, f.names.len().max(1))).collect();
                    if declared.len() == arg_fields.len() {
                        for (ty, field) in declared.into_iter().zip(arg_fields.clone()) {
                            self.unify(ty, field.ty, names, bindings);
                        }
                    }
                }
            }
            ast::TypeExprKind::Pointer(inner) => {
                if let TypeKind::Pointer(t) = types.under(arg) {
                    self.unify(inner, *t, names, bindings);
                }
            }
            ast::TypeExprKind::Slice(inner) => {
                if let TypeKind::Slice(t) = types.under(arg) {
                    self.unify(inner, *t, names, bindings);
                }
            }
            ast::TypeExprKind::Array { elem, .. } => {
                if let TypeKind::Array(_, t) = types.under(arg) {
                    self.unify(elem, *t, names, bindings);
                }
            }
            ast::TypeExprKind::Map { key, value } => {
                if let TypeKind::Map(k, v) = types.under(arg) {
                    self.unify(key, *k, names, bindings);
                    self.unify(value, *v, names, bindings);
                }
            }
            ast::TypeExprKind::Func(sig) => {
                if let TypeKind::Func(s) = types.under(arg) {
                    for (p, t) in sig.params.iter().zip(&s.params) {
                        self.unify(&p.ty, *t, names, bindings);
                    }
                    for (p, t) in sig.results.iter().zip(&s.results) {
                        self.unify(&p.ty, *t, names, bindings);
                    }
                }
            }
            _ => {}
        }
    }

    /// The function for one list of type arguments, checked on first use.
    fn instantiate(&mut self, index: usize, type_args: &[TypeId]) -> FuncId {
        if let Some(id) = self.instances.get(&(index, type_args.to_vec())) {
            return *id;
        }
        let decl = self.generic_funcs[index].clone();
        let bindings: Vec<(String, TypeId, Span)> =
            decl.type_params.iter().zip(type_args).map(|(p, t)| (p.name.name.clone(), *t, p.name.span)).collect();
        self.with_package_context(&bindings, |this| this.instantiate_func_body(index, &decl, type_args))
    }

    fn instantiate_func_body(&mut self, index: usize, decl: &ast::FuncDecl, type_args: &[TypeId]) -> FuncId {
        let mut instance = decl.clone();
        instance.type_params = Vec::new();
        let names: Vec<String> = type_args.iter().map(|t| self.type_name(*t)).collect();
        instance.name.name = format!("{}[{}]", decl.name.name, names.join(","));
        let id = self.declare_func_signature(&instance);
        self.instances.insert((index, type_args.to_vec()), id);
        self.check_func_body(id, &instance);
        id
    }

    /// Checks the bodies of methods instantiated before every package-level
    /// name was declared.
    pub(super) fn check_deferred_bodies(&mut self) {
        self.pkg.declarations_done = true;
        for (id, method, bindings) in std::mem::take(&mut self.pkg.deferred_bodies) {
            self.with_package_context(&bindings, |this| this.check_func_body(id, &method));
        }
    }

    /// Runs `f` in the package scope plus the given type bindings, with none
    /// of the current function's statements around it: no loops, labels or
    /// function literals (instantiation may happen anywhere). The function's
    /// name, results and `defer` flag stay in view; a body `f` checks sets
    /// its own.
    pub(super) fn with_package_context<R>(&mut self, bindings: &[(String, TypeId, Span)], f: impl FnOnce(&mut Self) -> R) -> R {
        let saved_scopes: Vec<Scope> = self.pkg.scopes.drain(1.min(self.pkg.scopes.len())..).collect();
        let mut params_scope = Scope::default();
        for (name, ty, span) in bindings {
            params_scope.names.insert(name.clone(), (Binding::Type(*ty), *span));
        }
        // Without bindings, names declared by `f` land in the package scope.
        let pushed = !bindings.is_empty();
        if pushed {
            self.pkg.scopes.push(params_scope);
        }
        let outside = FuncCtx {
            name: self.func.name.clone(),
            results: self.func.results.clone(),
            named_results: self.func.named_results,
            has_defer: self.func.has_defer,
            ..FuncCtx::default()
        };
        let enclosing = std::mem::replace(&mut self.func, outside);
        self.instance_depth += u32::from(pushed);
        let result = f(self);
        self.instance_depth -= u32::from(pushed);
        self.func = enclosing;
        if pushed {
            self.pkg.scopes.pop();
        }
        self.pkg.scopes.extend(saved_scopes);
        result
    }

    /// A generic type declaration, kept for instantiation.
    pub(super) fn declare_generic_type(&mut self, name: &ast::Ident, type_params: &[ast::TypeParam], ty: &ast::TypeExpr) {
        let index = self.generic_types.len();
        let package = self.std_package();
        self.generic_types.push(GenericType {
            name: name.name.clone(),
            package,
            params: type_params.iter().map(|p| p.name.clone()).collect(),
            ty: ty.clone(),
            methods: Vec::new(),
        });
        self.declare(&name.name, Binding::GenericType(index), name.span);
    }

    /// The generic type a method's receiver names, if any.
    pub(super) fn generic_receiver(&self, func: &ast::FuncDecl) -> Option<usize> {
        let recv = func.recv.as_ref()?;
        let inner = match &recv.ty.kind {
            ast::TypeExprKind::Pointer(inner) => inner.as_ref(),
            _ => &recv.ty,
        };
        let ast::TypeExprKind::Name { pkg: None, name, type_args } = &inner.kind else { return None };
        if type_args.is_empty() {
            return None;
        }
        match self.lookup(&name.name) {
            Some(Binding::GenericType(index)) => Some(*index),
            _ => None,
        }
    }

    /// `List[int]`: the defined type for these type arguments, with its
    /// methods instantiated and checked on first use.
    pub(super) fn instantiate_type(&mut self, index: usize, type_args: &[TypeId], span: Span) -> TypeId {
        if type_args.contains(&Types::INVALID) {
            return Types::INVALID;
        }
        let generic = self.generic_types[index].clone();
        if generic.params.len() != type_args.len() {
            self.errors.push(SemaError::Misplaced {
                message: format!("got {} type arguments but {} has {} type parameters", type_args.len(), generic.name, generic.params.len()),
                span,
            });
            return Types::INVALID;
        }
        if let Some(ty) = self.type_instances.get(&(index, type_args.to_vec())) {
            return *ty;
        }
        let names: Vec<String> = type_args.iter().map(|t| self.type_name(*t)).collect();
        let first_named = self.program.types.named.len();
        // An instance is a type of the generic type's package (a library
        // package's own methods are declared on it there).
        let named = self.program.types.new_named(&format!("{}[{}]", generic.name, names.join(",")), generic.package.clone());
        self.type_instances.insert((index, type_args.to_vec()), named);
        if let TypeKind::Named(named_index) = self.program.types.kind(named).clone()
            && let Some(info) = self.program.types.named.get_mut(named_index as usize)
        {
            info.instance_of = Some((generic.name.clone(), type_args.to_vec()));
        }
        let bindings: Vec<(String, TypeId, Span)> =
            generic.params.iter().zip(type_args).map(|(p, t)| (p.name.clone(), *t, p.span)).collect();
        // Instances that refer to each other (a list and its elements) are
        // complete only once the outermost one is: method bodies wait.
        self.type_instantiation_depth += 1;
        let underlying = self.with_package_context(&bindings, |this| this.resolve_type(&generic.ty));
        self.program.types.set_underlying(named, underlying);
        // Methods: the receiver's own type parameter names bind to the same
        // arguments.
        let mut declared = Vec::new();
        for method in &generic.methods {
            let receiver_names = receiver_type_params(method);
            let bindings: Vec<(String, TypeId, Span)> =
                receiver_names.iter().zip(type_args).map(|(n, t)| (n.name.clone(), *t, n.span)).collect();
            let id = self.with_package_context(&bindings, |this| this.declare_func(method));
            if let Some(id) = id {
                declared.push((id, method.clone(), bindings));
            }
        }
        self.type_instantiation_depth -= 1;
        if self.pkg.declarations_done {
            self.instance_bodies.extend(declared);
            if self.type_instantiation_depth == 0 {
                // Methods promoted from embedded fields, for this instance
                // and those it made (the package's own types had theirs
                // when declarations were done).
                self.synthesize_promoted_methods(first_named);
                while !self.instance_bodies.is_empty() {
                    for (id, method, bindings) in std::mem::take(&mut self.instance_bodies) {
                        self.with_package_context(&bindings, |this| this.check_func_body(id, &method));
                    }
                }
            }
        } else {
            // Instantiated while types are resolved: the body may use
            // functions not declared yet.
            self.pkg.deferred_bodies.extend(declared);
        }
        named
    }
}

/// A generic type declaration.
#[derive(Clone)]
pub(super) struct GenericType {
    name: String,
    /// The package that declares it (`None`: the program's).
    package: Option<String>,
    params: Vec<ast::Ident>,
    ty: ast::TypeExpr,
    pub(super) methods: Vec<ast::FuncDecl>,
}

/// The type a generic type declaration defines, in terms of its parameters.
pub(super) fn generic_type_definition(generic: &GenericType) -> &ast::TypeExpr {
    &generic.ty
}

/// The method with its receiver's blank type parameters (`(f *Foo[_, _])`)
/// given names no Go identifier can have, so each binds its own argument.
pub(super) fn name_blank_receiver_params(func: &ast::FuncDecl) -> ast::FuncDecl {
    let mut func = func.clone();
    let Some(recv) = &mut func.recv else { return func };
    let inner = match &mut recv.ty.kind {
        ast::TypeExprKind::Pointer(inner) => inner.as_mut(),
        _ => &mut recv.ty,
    };
    if let ast::TypeExprKind::Name { type_args, .. } = &mut inner.kind {
        for (i, arg) in type_args.iter_mut().enumerate() {
            if let ast::TypeExprKind::Name { pkg: None, name, .. } = &mut arg.kind
                && name.name == "_"
            {
                name.name = format!("_%{i}");
            }
        }
    }
    func
}

/// The type parameter names a method's receiver declares: `T` in `(l *List[T])`.
fn receiver_type_params(func: &ast::FuncDecl) -> Vec<ast::Ident> {
    let Some(recv) = &func.recv else { return Vec::new() };
    let inner = match &recv.ty.kind {
        ast::TypeExprKind::Pointer(inner) => inner.as_ref(),
        _ => &recv.ty,
    };
    let ast::TypeExprKind::Name { type_args, .. } = &inner.kind else { return Vec::new() };
    type_args
        .iter()
        .filter_map(|t| match &t.kind {
            ast::TypeExprKind::Name { pkg: None, name, .. } => Some(name.clone()),
            _ => None,
        })
        .collect()
}

/// Every simple name a type expression mentions.
fn collect_names(ty: &ast::TypeExpr, out: &mut Vec<String>) {
    match &ty.kind {
        ast::TypeExprKind::Name { name, type_args, .. } => {
            out.push(name.name.clone());
            for arg in type_args {
                collect_names(arg, out);
            }
        }
        ast::TypeExprKind::Pointer(inner) | ast::TypeExprKind::Slice(inner) => collect_names(inner, out),
        ast::TypeExprKind::Array { elem, .. } => collect_names(elem, out),
        ast::TypeExprKind::Map { key, value } => {
            collect_names(key, out);
            collect_names(value, out);
        }
        ast::TypeExprKind::Func(sig) => {
            for p in sig.params.iter().chain(&sig.results) {
                collect_names(&p.ty, out);
            }
        }
        _ => out.push(String::new()),
    }
}

/// `ty` with the type parameter names `params` replaced by `args`.
fn substitute(ty: &ast::TypeExpr, params: &[ast::Ident], args: &[ast::TypeExpr]) -> ast::TypeExpr {
    let sub = |t: &ast::TypeExpr| Box::new(substitute(t, params, args));
    let kind = match &ty.kind {
        ast::TypeExprKind::Name { pkg: None, name, type_args } if type_args.is_empty() => {
            if let Some(position) = params.iter().position(|p| p.name == name.name)
                && let Some(arg) = args.get(position)
            {
                return arg.clone();
            }
            ty.kind.clone()
        }
        ast::TypeExprKind::Name { pkg, name, type_args } => ast::TypeExprKind::Name {
            pkg: pkg.clone(),
            name: name.clone(),
            type_args: type_args.iter().map(|t| substitute(t, params, args)).collect(),
        },
        ast::TypeExprKind::Pointer(inner) => ast::TypeExprKind::Pointer(sub(inner)),
        ast::TypeExprKind::Slice(inner) => ast::TypeExprKind::Slice(sub(inner)),
        ast::TypeExprKind::Array { len, elem } => ast::TypeExprKind::Array { len: len.clone(), elem: sub(elem) },
        ast::TypeExprKind::Map { key, value } => ast::TypeExprKind::Map { key: sub(key), value: sub(value) },
        ast::TypeExprKind::Chan { dir, elem } => ast::TypeExprKind::Chan { dir: *dir, elem: sub(elem) },
        ast::TypeExprKind::Func(sig) => {
            let mut sig = sig.clone();
            for p in sig.params.iter_mut().chain(sig.results.iter_mut()) {
                p.ty = substitute(&p.ty, params, args);
            }
            ast::TypeExprKind::Func(sig)
        }
        ast::TypeExprKind::Struct(fields) => ast::TypeExprKind::Struct(
            fields.iter().map(|f| ast::FieldDecl { ty: substitute(&f.ty, params, args), ..f.clone() }).collect(),
        ),
        ast::TypeExprKind::Interface(elems) => ast::TypeExprKind::Interface(
            elems
                .iter()
                .map(|e| match e {
                    ast::InterfaceElem::Union(terms) => ast::InterfaceElem::Union(
                        terms.iter().map(|t| ast::TypeTerm { tilde: t.tilde, ty: substitute(&t.ty, params, args) }).collect(),
                    ),
                    other => other.clone(),
                })
                .collect(),
        ),
    };
    ast::TypeExpr { kind, span: ty.span }
}
