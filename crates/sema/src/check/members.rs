//! Members and method sets: selectors (fields, promoted through embedded
//! fields), method declarations, method calls, promoted methods, method
//! values and method expressions
//! ([Go spec: Selectors](https://go.dev/ref/spec#Selectors),
//! [Method sets](https://go.dev/ref/spec#Method_sets)).

use super::*;
use crate::types::{Field, Method};

impl Checker<'_> {
    /// The defined type a receiver names, and whether it is a pointer receiver.
    pub(super) fn receiver_base(&mut self, recv: &ast::Param) -> Option<(TypeId, bool)> {
        let (inner, pointer) = match &recv.ty.kind {
            ast::TypeExprKind::Pointer(inner) => (inner.as_ref(), true),
            _ => (&recv.ty, false),
        };
        let ty = self.resolve_type(inner);
        if ty == Types::INVALID {
            return None;
        }
        // Go's wording (types2 signature.go validRecv).
        let message = if !self.program.types.is_named(ty) {
            let predeclared = matches!(&inner.kind, ast::TypeExprKind::Name { pkg: None, .. }) && self.program.types.underlying(ty) == ty;
            Some(if predeclared {
                format!("cannot define new methods on non-local type {}", self.type_name(ty))
            } else {
                format!("invalid receiver type {}", self.type_name(ty))
            })
        } else if self.program.types.named_info(ty).is_some_and(|n| n.package != self.std_package()) {
            Some(format!("cannot define new methods on non-local type {}", self.type_name(ty)))
        } else if matches!(self.program.types.under(ty), TypeKind::Pointer(_)) || self.program.types.is_interface(ty) {
            Some(format!("invalid receiver type {} (pointer or interface type)", self.type_name(ty)))
        } else {
            None
        };
        if let Some(message) = message {
            self.errors.push(SemaError::Misplaced { message, span: recv.ty.span });
            return None;
        }
        Some((ty, pointer))
    }

    pub(super) fn register_method(&mut self, base: TypeId, name: &ast::Ident, func: FuncId, pointer_receiver: bool) {
        let TypeKind::Named(index) = self.program.types.kind(base).clone() else { return };
        let Some(named) = self.program.types.named.get_mut(index as usize) else { return };
        if named.methods.iter().any(|m| m.name == name.name) {
            let type_name = named.name.clone();
            self.errors.push(SemaError::Misplaced {
                message: format!("{}.{} redeclared in this block", type_name, name.name),
                span: name.span,
            });
            return;
        }
        let underlying = named.underlying;
        if let TypeKind::Struct(fields) = self.program.types.kind(underlying)
            && fields.iter().any(|f| f.name == name.name)
        {
            self.errors.push(SemaError::Misplaced {
                message: format!("field and method with the same name {}", name.name),
                span: name.span,
            });
            return;
        }
        let Some(named) = self.program.types.named.get_mut(index as usize) else { return };
        named.methods.push(Method { name: name.name.clone(), func: func.0, pointer_receiver, promoted: false });
    }

    /// In a program that calls through reflect (`Program::
    /// calls_through_reflect`), every method's func type without its
    /// receiver is interned: codegen lists it in the method table's types
    /// (g2n_abi::TypeExt::method_types), where reflect's Method,
    /// Value.Method and Method.Func find its type and its call adapter,
    /// whether or not the program spells that type itself. Other programs
    /// describe only the method types they spell (every program loads
    /// reflect, through errors' internal/reflectlite, and describing them
    /// all grows hello world by 37 kB).
    pub(super) fn intern_method_types(&mut self) {
        // check_reached_bodies asked last, and nothing checked since
        // (Program::calls_through_reflect searches every expression).
        debug_assert_eq!(self.reach.through_reflect, self.program.calls_through_reflect());
        if !self.reach.through_reflect {
            return;
        }
        let types = &self.program.types;
        let named = types.named.iter().flat_map(|n| n.methods.iter());
        let unnamed = types.struct_methods.values().flatten();
        // A method left unchecked has no parameters: nothing describes it.
        let funcs: Vec<u32> = named.chain(unnamed).map(|m| m.func).filter(|f| !self.body_waits(FuncId(*f))).collect();
        for func in funcs {
            let Some(f) = self.program.funcs.get(func as usize) else { continue };
            let mut params: Vec<TypeId> = f.params.iter().skip(1).map(|p| self.program.local(*p).ty).collect();
            if f.variadic
                && let Some(last) = params.last_mut()
            {
                *last = self.program.types.elem(*last).unwrap_or(*last);
            }
            let sig = crate::types::Signature { params, results: f.results.clone(), variadic: f.variadic };
            self.program.types.intern(TypeKind::Func(sig));
        }
    }

    /// In a program that loads reflect, `*T` is interned for every defined
    /// type `T` with methods, so that codegen describes it (with its method
    /// set) beside `T` (rtti.rs `define_desc`): reflect's `PointerTo(T)` and
    /// `Value.Addr` then find the program's `*T`, whose method set holds
    /// `T`'s value methods, where a `*T` reflect made itself has none
    /// (encoding/json encodes a `[]T` as base64 unless `*T` implements
    /// Marshaler or TextMarshaler, and asks so through `PointerTo`).
    pub(super) fn intern_method_pointer_types(&mut self) {
        if !self.program.loads_reflect() {
            return;
        }
        let types = &self.program.types;
        let with_methods: Vec<u32> = (0..types.named.len() as u32).filter(|&i| !types.named[i as usize].methods.is_empty()).collect();
        for index in with_methods {
            let Some(named) = self.program.types.lookup(&TypeKind::Named(index)) else { continue };
            self.program.types.intern(TypeKind::Pointer(named));
        }
    }

    fn find_method(&self, ty: TypeId, name: &str) -> Option<Method> {
        self.program.types.named_info(ty)?.methods.iter().find(|m| m.name == name).cloned()
    }

    /// `x.f`: a field (through any number of embedded structs, and through
    /// one pointer indirection at each step).
    pub(super) fn check_selector(&mut self, base: &ast::Expr, sel: &ast::Ident, span: Span) -> ExprId {
        let value = self.check_expr(base);
        let ty = self.expr_ty(value);
        if self.invalid_or_pointer_to_invalid(ty) {
            return self.invalid(span);
        }
        if self.hidden_member(ty, &sel.name) {
            return self.missing_member(base, sel, ty);
        }
        match self.field_path(ty, &sel.name) {
            Some(path) => self.select_path(value, &path, span),
            None => {
                if let Some(closure) = self.method_value(value, sel, span) {
                    return closure;
                }
                let what =
                    format!("{}.{} undefined (type {} has no field or method {})", self.snippet_hint(base), sel.name, self.type_name(ty), sel.name);
                self.errors.push(SemaError::InvalidOperation { message: what, span: sel.span });
                self.invalid(span)
            }
        }
    }

    /// Field indices from `ty` to the field `name` (Go's selector rule).
    pub(super) fn field_path(&self, ty: TypeId, name: &str) -> Option<Vec<usize>> {
        // Unexported fields of another package's struct are not found, even
        // when promoted through an embedded field.
        self.embedded_path(ty, |owner, field| field.name == name && !self.hidden_member(owner, name))
    }

    /// Field indices from `ty` to the shallowest field that `wanted` accepts
    /// (given the struct type that has the field), breadth first through
    /// embedded fields and through one pointer indirection at each step; two
    /// at the shallowest depth are ambiguous and mean none
    /// ([Go spec: Selectors](https://go.dev/ref/spec#Selectors)).
    fn embedded_path(&self, ty: TypeId, wanted: impl Fn(TypeId, &Field) -> bool) -> Option<Vec<usize>> {
        let types = &self.program.types;
        let mut level: Vec<(TypeId, Vec<usize>)> = vec![(ty, Vec::new())];
        for _ in 0..8 {
            let mut next = Vec::new();
            let mut found: Option<Vec<usize>> = None;
            for (ty, path) in &level {
                let ty = match types.under(*ty) {
                    TypeKind::Pointer(elem) => *elem,
                    _ => *ty,
                };
                let TypeKind::Struct(fields) = types.under(ty) else { continue };
                for (index, field) in fields.iter().enumerate() {
                    let mut field_path = path.clone();
                    field_path.push(index);
                    if wanted(ty, field) {
                        if found.is_some() {
                            return None;
                        }
                        found = Some(field_path.clone());
                    }
                    if field.embedded {
                        next.push((field.ty, field_path));
                    }
                }
            }
            if found.is_some() {
                return found;
            }
            if next.is_empty() {
                return None;
            }
            level = next;
        }
        None
    }

    /// The pointer to a struct that `value` is or points to.
    fn struct_pointer(&mut self, value: ExprId, span: Span) -> (ExprId, TypeId) {
        let ty = self.expr_ty(value);
        match self.program.types.under(ty).clone() {
            TypeKind::Pointer(elem) => (value, elem),
            _ => {
                let pointer = self.program.types.intern(TypeKind::Pointer(ty));
                (self.push_expr(hir::ExprKind::AggregateAddr(value), pointer, span), ty)
            }
        }
    }

    fn select_path(&mut self, value: ExprId, path: &[usize], span: Span) -> ExprId {
        let mut current = value;
        for &index in path {
            let (pointer, struct_ty) = self.struct_pointer(current, span);
            let TypeKind::Struct(fields) = self.program.types.under(struct_ty).clone() else { return self.invalid(span) };
            let offsets = self.program.types.field_offsets(struct_ty);
            let field_ty = fields[index].ty;
            let field_pointer = self.program.types.intern(TypeKind::Pointer(field_ty));
            let addr = self.push_expr(hir::ExprKind::FieldAddr { base: pointer, offset: offsets[index] }, field_pointer, span);
            current = self.push_expr(hir::ExprKind::Load(addr), field_ty, span);
        }
        current
    }

    /// A type whose error is already reported (`*pkg.T` of an import that
    /// failed): selecting from its values reports nothing more, as gc
    /// reports the import alone.
    fn invalid_or_pointer_to_invalid(&self, ty: TypeId) -> bool {
        match self.program.types.kind(ty) {
            TypeKind::Pointer(elem) => *elem == Types::INVALID,
            _ => ty == Types::INVALID,
        }
    }

    /// `x.m(args)` for a method declared in this file.
    pub(super) fn check_method_call(&mut self, base: &ast::Expr, sel: &ast::Ident, args: &[ast::Expr], span: Span) -> ExprId {
        let receiver = self.check_expr(base);
        let ty = self.expr_ty(receiver);
        if self.invalid_or_pointer_to_invalid(ty) {
            // The receiver's error is reported; the arguments still use
            // their variables (no "declared and not used" cascade).
            for arg in args {
                self.check_expr(arg);
            }
            return self.invalid(span);
        }
        if self.hidden_member(ty, &sel.name) {
            return self.missing_member(base, sel, ty);
        }
        if self.program.types.is_interface(ty)
            && let Some(call) = self.check_interface_call(receiver, sel, args, span)
        {
            return call;
        }
        if let Some(call) = self.dispatch_method(receiver, sel, args, span) {
            return call;
        }
        // A field of function type, called as a value.
        if let Some(path) = self.field_path(ty, &sel.name) {
            let callee = self.select_path(receiver, &path, span);
            return self.check_call_value(callee, args, span);
        }
        // A method promoted from an embedded field.
        if let Some(path) = self.promoted_method_path(ty, &sel.name) {
            let inner = self.select_path(receiver, &path, span);
            if self.program.types.is_interface(self.expr_ty(inner))
                && let Some(call) = self.check_interface_call(inner, sel, args, span)
            {
                return call;
            }
            if let Some(call) = self.dispatch_method(inner, sel, args, span) {
                return call;
            }
        }
        self.missing_member(base, sel, ty)
    }

    /// A call of a method declared on the receiver's type (or the type it
    /// points to), with `&` or `*` applied as Go's method call rules say.
    fn dispatch_method(&mut self, receiver: ExprId, sel: &ast::Ident, args: &[ast::Expr], span: Span) -> Option<ExprId> {
        let ty = self.expr_ty(receiver);
        let (method, pointer_base) = match self.find_method(ty, &sel.name) {
            Some(m) => (m, false),
            None => match self.program.types.under(ty).clone() {
                TypeKind::Pointer(elem) => (self.find_method(elem, &sel.name)?, true),
                _ => return None,
            },
        };
        let receiver = match (method.pointer_receiver, pointer_base) {
            (true, true) | (false, false) => receiver,
            (false, true) => {
                let elem = self.program.types.elem(ty).unwrap_or(Types::INVALID);
                self.push_expr(hir::ExprKind::Load(receiver), elem, span)
            }
            (true, false) => match self.program.expr(receiver).kind.clone() {
                // A map entry, a call's result or a literal has no address.
                hir::ExprKind::MapIndex { .. } | hir::ExprKind::Call { .. } | hir::ExprKind::Composite { .. } => {
                    self.errors.push(SemaError::Misplaced {
                        message: format!("cannot call pointer method {} on {}", sel.name, self.type_name(ty)),
                        span,
                    });
                    return Some(self.invalid(span));
                }
                hir::ExprKind::Load(addr) if !self.addressable_storage(addr) => {
                    self.errors.push(SemaError::Misplaced {
                        message: format!("cannot call pointer method {} on {}", sel.name, self.type_name(ty)),
                        span,
                    });
                    return Some(self.invalid(span));
                }
                hir::ExprKind::Load(addr) => addr,
                hir::ExprKind::Local(local) => {
                    if let Some(l) = self.program.locals.get_mut(local.index())
                        && !self.program.types.is_aggregate(ty)
                    {
                        l.escapes = true;
                    }
                    let pointer = self.program.types.intern(TypeKind::Pointer(ty));
                    self.push_expr(hir::ExprKind::AddrOfLocal(local), pointer, span)
                }
                _ if self.program.types.is_aggregate(ty) => {
                    let pointer = self.program.types.intern(TypeKind::Pointer(ty));
                    self.push_expr(hir::ExprKind::AggregateAddr(receiver), pointer, span)
                }
                _ => {
                    self.errors.push(SemaError::Misplaced {
                        message: format!("cannot call pointer method {} on {}", sel.name, self.type_name(ty)),
                        span,
                    });
                    return Some(self.invalid(span));
                }
            },
        };
        Some(self.check_user_call_with(FuncId(method.func), Some(receiver), args, span))
    }

    /// Gives every defined struct type the methods promoted to it from its
    /// embedded fields, as wrapper methods that call through the field: they
    /// then count for interface satisfaction and fill the method tables
    /// like declared ones. A promoted pointer method reached through value
    /// fields only gets a pointer receiver (it belongs to `*S`'s set).
    /// Promoted-method wrappers for the defined types from index `first` on
    /// (those of the package being checked; earlier packages have theirs).
    pub(super) fn synthesize_promoted_methods(&mut self, first: usize) {
        let count = self.program.types.named.len();
        let mut wrappers = Vec::new();
        for index in first..count {
            let named = &self.program.types.named[index];
            let underlying = named.underlying;
            let declared: Vec<String> = named.methods.iter().map(|m| m.name.clone()).collect();
            let TypeKind::Struct(_) = self.program.types.kind(underlying) else { continue };
            let ty = self.program.types.intern(TypeKind::Named(index as u32));
            for (name, path, through_pointer) in self.promoted_methods(ty) {
                if declared.contains(&name) {
                    continue;
                }
                wrappers.push((ty, name, path, through_pointer));
            }
        }
        self.make_promoted_wrappers(wrappers);
    }

    /// The method set of an unnamed struct type with embedded fields
    /// (`struct{ In }`): its promoted-method wrappers, made once, when a
    /// value of it (or a pointer to one) first becomes an interface value.
    pub(super) fn promote_into_unnamed_struct(&mut self, ty: TypeId) {
        let base = match self.program.types.kind(ty) {
            TypeKind::Pointer(elem) => *elem,
            _ => ty,
        };
        let TypeKind::Struct(fields) = self.program.types.kind(base) else { return };
        if !fields.iter().any(|f| f.embedded) || self.program.types.struct_methods.contains_key(&base) {
            return;
        }
        self.program.types.struct_methods.insert(base, Vec::new());
        let wrappers: Vec<_> =
            self.promoted_methods(base).into_iter().map(|(name, path, through_pointer)| (base, name, path, through_pointer)).collect();
        self.make_promoted_wrappers(wrappers);
    }

    /// For each (struct type, method name, embedded field path, pointer on
    /// the way): a wrapper function calling through the fields, added to
    /// the type's methods.
    fn make_promoted_wrappers(&mut self, wrappers: Vec<(TypeId, String, Vec<String>, bool)>) {
        let span = Span::default();
        for (ty, name, path, through_pointer) in wrappers {
            let Some((sig, pointer_receiver)) = self.method_sig_of(ty, &name) else { continue };
            // What the last field holds decides the receiver kind.
            let needs_pointer = pointer_receiver && !through_pointer;
            let receiver_ty = if needs_pointer { self.program.types.intern(TypeKind::Pointer(ty)) } else { ty };
            let mut full = sig.clone();
            full.params.insert(0, receiver_ty);
            let sel = ast::Ident { name: name.clone(), span };
            let saved_func = std::mem::replace(&mut self.func.name, name.clone());
            let first_expr = self.program.exprs.len();
            let closure = self.forwarding_closure(&full, span, |mut args, variadic| {
                let mut base = args.remove(0);
                for field in path {
                    base = ast::Expr { kind: ast::ExprKind::Selector { base: Box::new(base), sel: ast::Ident { name: field, span } }, span };
                }
                let func = ast::Expr { kind: ast::ExprKind::Selector { base: Box::new(base), sel }, span };
                ast::Expr { kind: ast::ExprKind::Call { func: Box::new(func), args, ellipsis: variadic }, span }
            });
            self.func.name = saved_func;
            let hir::ExprKind::Closure(func) = self.program.expr(closure).kind else { continue };
            if let Some(f) = self.program.funcs.get_mut(func.index()) {
                f.captures = None;
                f.name = name.clone();
            }
            self.reach.promoted_wrapper(ty, func, first_expr..self.program.exprs.len());
            let method = Method { name, func: func.0, pointer_receiver: needs_pointer, promoted: true };
            match self.program.types.kind(ty).clone() {
                TypeKind::Named(index) => {
                    if let Some(named) = self.program.types.named.get_mut(index as usize) {
                        named.methods.push(method);
                    }
                }
                _ => self.program.types.struct_methods.entry(ty).or_default().push(method),
            }
        }
    }

    /// The methods promoted into struct type `ty`: name, the embedded field
    /// names to go through, and whether a pointer is on the way (then even
    /// pointer methods of the last field are reachable from a value).
    fn promoted_methods(&self, ty: TypeId) -> Vec<(String, Vec<String>, bool)> {
        let types = &self.program.types;
        let mut result: Vec<(String, Vec<String>, bool)> = Vec::new();
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut level: Vec<(TypeId, Vec<String>, bool)> = vec![(ty, Vec::new(), false)];
        for _ in 0..8 {
            let mut next = Vec::new();
            let mut found: Vec<(String, Vec<String>, bool)> = Vec::new();
            let mut fields_here: Vec<String> = Vec::new();
            for (ty, path, pointer) in &level {
                let TypeKind::Struct(fields) = types.under(*ty) else { continue };
                for field in fields.iter() {
                    fields_here.push(field.name.clone());
                    if !field.embedded {
                        continue;
                    }
                    let mut field_path = path.clone();
                    field_path.push(field.name.clone());
                    let (base, is_pointer) = match types.kind(field.ty) {
                        TypeKind::Pointer(elem) => (*elem, true),
                        _ => (field.ty, false),
                    };
                    let names: Vec<String> = match types.interface_method_names(field.ty) {
                        Some(names) => names,
                        None => types
                            .named_info(base)
                            .map(|n| n.methods.iter().filter(|m| !m.promoted).map(|m| m.name.clone()).collect())
                            .unwrap_or_default(),
                    };
                    // Unexported methods of another package's type are
                    // not promoted into this package's reach.
                    for name in names.into_iter().filter(|name| !self.hidden_member(base, name)) {
                        found.push((name, field_path.clone(), *pointer || is_pointer));
                    }
                    next.push((base, field_path, *pointer || is_pointer));
                }
            }
            // A field name at a shallower depth shadows deeper methods too.
            let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
            for (name, _, _) in &found {
                *counts.entry(name.as_str()).or_default() += 1;
            }
            let mut newly = Vec::new();
            for (name, path, pointer) in &found {
                if seen.contains(name) || counts[name.as_str()] > 1 {
                    continue;
                }
                newly.push((name.clone(), path.clone(), *pointer));
            }
            for (name, _, _) in &found {
                seen.insert(name.clone());
            }
            if !level.is_empty() {
                // Fields of the struct itself (depth 0) shadow promotion.
                for f in &fields_here {
                    seen.insert(f.clone());
                }
            }
            result.extend(newly);
            if next.is_empty() {
                break;
            }
            level = next;
        }
        result
    }

    /// Field indices to the shallowest embedded field whose type has method
    /// `name` (Go's promotion rule; ambiguity at one depth means none).
    fn promoted_method_path(&self, ty: TypeId, name: &str) -> Option<Vec<usize>> {
        let types = &self.program.types;
        self.embedded_path(ty, |_, field| {
            if !field.embedded {
                return false;
            }
            let field_base = match types.kind(field.ty) {
                TypeKind::Pointer(elem) => *elem,
                _ => field.ty,
            };
            self.find_method(field_base, name).is_some_and(|m| !m.promoted)
                || types.interface_method_names(field.ty).is_some_and(|m| m.iter().any(|m| m == name))
        })
    }

    /// The signature (without receiver) of method `name` in the method set
    /// reachable from `ty` (declared, through one pointer, of an interface,
    /// or promoted), and whether it is a declared method with a pointer
    /// receiver.
    fn method_sig_of(&mut self, ty: TypeId, name: &str) -> Option<(Signature, bool)> {
        if self.program.types.is_interface(ty) {
            let methods = self.program.types.interface_methods(ty)?;
            let method = methods.into_iter().find(|m| m.name == name)?;
            let TypeKind::Func(sig) = self.program.types.kind(method.sig).clone() else { return None };
            return Some((sig, false));
        }
        let declared = self.find_method(ty, name).or_else(|| self.program.types.elem(ty).and_then(|e| self.find_method(e, name)));
        if let Some(method) = declared {
            let func_ty = self.func_type(FuncId(method.func));
            let TypeKind::Func(mut sig) = self.program.types.kind(func_ty).clone() else { return None };
            if !sig.params.is_empty() {
                sig.params.remove(0);
            }
            return Some((sig, method.pointer_receiver));
        }
        let path = self.promoted_method_path(ty, name)?;
        let mut current = ty;
        let mut through_pointer = false;
        for index in path {
            let base = match self.program.types.under(current) {
                TypeKind::Pointer(elem) => {
                    through_pointer = true;
                    *elem
                }
                _ => current,
            };
            let TypeKind::Struct(fields) = self.program.types.under(base).clone() else { return None };
            current = fields.get(index)?.ty;
        }
        through_pointer |= matches!(self.program.types.under(current), TypeKind::Pointer(_));
        // A pointer method reached through value fields needs the outer
        // value's address; through a pointer field it does not.
        self.method_sig_of(current, name).map(|(sig, pointer)| (sig, pointer && !through_pointer))
    }

    /// `x.m` not called: a closure over the receiver, evaluated now (its
    /// address for a pointer method of an addressable value).
    fn method_value(&mut self, value: ExprId, sel: &ast::Ident, span: Span) -> Option<ExprId> {
        let ty = self.expr_ty(value);
        let (sig, pointer_receiver) = self.method_sig_of(ty, &sel.name)?;
        let mut receiver = value;
        // A value method through a pointer binds a copy of the pointee, made
        // now (a nil pointer panics here, as in Go): later writes through
        // the pointer do not reach the method value.
        if let (false, TypeKind::Pointer(elem)) = (pointer_receiver, self.program.types.under(ty).clone())
            && self.method_sig_of(elem, &sel.name).is_some_and(|(_, pointer)| !pointer)
        {
            receiver = self.push_expr(hir::ExprKind::Load(value), elem, span);
        }
        if pointer_receiver && !matches!(self.program.types.under(ty), TypeKind::Pointer(_)) {
            let pointer = self.program.types.intern(TypeKind::Pointer(ty));
            receiver = match self.program.expr(value).kind.clone() {
                hir::ExprKind::Load(addr) => addr,
                hir::ExprKind::Local(local) => {
                    if let Some(l) = self.program.locals.get_mut(local.index())
                        && !self.program.types.is_aggregate(ty)
                    {
                        l.escapes = true;
                    }
                    self.push_expr(hir::ExprKind::AddrOfLocal(local), pointer, span)
                }
                _ => value,
            };
        }
        let receiver_ty = self.expr_ty(receiver);
        let func_ty = self.program.types.intern(TypeKind::Func(sig.clone()));
        let recv_name = "%recv".to_string();
        let sel = sel.clone();
        let interface = self.program.types.is_interface(receiver_ty);
        let outer = self.closure_with(vec![(recv_name.clone(), span, receiver_ty)], vec![func_ty], vec![None], false, span, |checker| {
            let mut stmts = Vec::new();
            // Go takes a nil interface's method value as a nil dereference.
            if let (true, Some(Binding::Local(local))) = (interface, checker.lookup(&recv_name).cloned()) {
                let read = checker.push_expr(hir::ExprKind::Local(local), receiver_ty, span);
                let check = checker.push_expr(hir::ExprKind::Intrinsic { which: hir::Intrinsic::CheckInterfaceNotNil, args: vec![read] }, Types::VOID, span);
                stmts.push(hir::Stmt { kind: hir::StmtKind::Expr(check), span });
            }
            let inner = checker.forwarding_closure(&sig, span, |args, variadic| {
                let base = ast::Expr { kind: ast::ExprKind::Ident(ast::Ident { name: recv_name, span }), span };
                let func = ast::Expr { kind: ast::ExprKind::Selector { base: Box::new(base), sel }, span };
                ast::Expr { kind: ast::ExprKind::Call { func: Box::new(func), args, ellipsis: variadic }, span }
            });
            stmts.push(hir::Stmt { kind: hir::StmtKind::Return(vec![inner]), span });
            hir::Block { stmts }
        });
        Some(self.push_expr(hir::ExprKind::CallValue { callee: outer, args: vec![receiver] }, func_ty, span))
    }

    /// `T.m`, `(*T).m`, `I.m`: a function taking the receiver first.
    pub(super) fn method_expression(&mut self, recv_ty: TypeId, sel: &ast::Ident, span: Span) -> ExprId {
        let Some((mut sig, pointer_receiver)) = self.method_sig_of(recv_ty, &sel.name) else {
            self.errors.push(SemaError::InvalidOperation {
                message: format!("{}.{} undefined (type {} has no method {})", self.type_name(recv_ty), sel.name, self.type_name(recv_ty), sel.name),
                span: sel.span,
            });
            return self.invalid(span);
        };
        if pointer_receiver && !matches!(self.program.types.under(recv_ty), TypeKind::Pointer(_)) {
            self.errors.push(SemaError::InvalidOperation {
                message: format!("invalid method expression {}.{} (needs pointer receiver (*{}).{})", self.type_name(recv_ty), sel.name, self.type_name(recv_ty), sel.name),
                span,
            });
            return self.invalid(span);
        }
        sig.params.insert(0, recv_ty);
        let sel = sel.clone();
        self.forwarding_closure(&sig, span, |mut args, variadic| {
            let receiver = args.remove(0);
            let func = ast::Expr { kind: ast::ExprKind::Selector { base: Box::new(receiver), sel }, span };
            ast::Expr { kind: ast::ExprKind::Call { func: Box::new(func), args, ellipsis: variadic }, span }
        })
    }

    /// An unexported field or method of a type (or pointer to a type)
    /// that another package declares: Go's lookup does not find it there.
    pub(super) fn hidden_member(&self, ty: TypeId, name: &str) -> bool {
        if crate::stdlib::is_exported(name) {
            return false;
        }
        let types = &self.program.types;
        let ty = match types.kind(ty) {
            TypeKind::Pointer(elem) => *elem,
            _ => ty,
        };
        types.named_info(ty).is_some_and(|n| n.package != self.std_package())
    }

    fn missing_member(&mut self, base: &ast::Expr, sel: &ast::Ident, ty: TypeId) -> ExprId {
        self.errors.push(SemaError::InvalidOperation {
            message: format!("{}.{} undefined (type {} has no field or method {})", self.snippet_hint(base), sel.name, self.type_name(ty), sel.name),
            span: sel.span,
        });
        self.invalid(sel.span)
    }
}
