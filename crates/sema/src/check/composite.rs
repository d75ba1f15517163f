//! Defined types, structs, pointers, arrays and slices: type declarations,
//! composite literals, selectors, indexing, slicing, addresses, methods,
//! `range`, and the builtins over slices.
//!
//! Struct and array values are handled by address in the HIR (see
//! [`hir::ExprKind::AggregateAddr`]); a field or element of one is a
//! [`hir::ExprKind::FieldAddr`]/[`hir::ExprKind::IndexAddr`] and reading it is a
//! [`hir::ExprKind::Load`].

use super::*;
use crate::types::{Field, Method};

/// Where an assignment writes.
#[derive(Clone, Copy, Debug)]
pub(super) enum Place {
    Local(LocalId),
    /// A pointer expression and the type stored there.
    Addr(ExprId, TypeId),
    /// `_`.
    Blank,
    /// `m[key]`: the map, the key (converted) and the value type.
    MapEntry(ExprId, ExprId, TypeId),
}

impl Checker<'_> {
    // ---- type declarations ----

    /// First pass over `type` declarations: every defined name exists before
    /// any underlying type is resolved, so types may refer to each other.
    pub(super) fn declare_types(&mut self, decl: &ast::GenDecl) -> Vec<(TypeId, usize)> {
        let mut declared = Vec::new();
        for (index, spec) in decl.specs.iter().enumerate() {
            let ast::Spec::Type { name, type_params, alias, .. } = spec else { continue };
            if !type_params.is_empty() {
                if let ast::Spec::Type { ty, .. } = spec {
                    self.declare_generic_type(name, type_params, ty);
                }
                continue;
            }
            if *alias {
                continue;
            }
            let package = self.std_package();
            let ty = self.program.types.new_named(&name.name, package);
            self.declare(&name.name, Binding::Type(ty), name.span);
            declared.push((ty, index));
        }
        declared
    }

    /// Second pass: underlying types, and aliases in order.
    pub(super) fn resolve_types(&mut self, decl: &ast::GenDecl, declared: &[(TypeId, usize)]) {
        for (index, spec) in decl.specs.iter().enumerate() {
            let ast::Spec::Type { name, type_params, alias, ty, .. } = spec else { continue };
            if !type_params.is_empty() {
                continue;
            }
            if *alias {
                let target = self.resolve_type(ty);
                self.declare(&name.name, Binding::Type(target), name.span);
                continue;
            }
            if let Some((named, _)) = declared.iter().find(|(_, i)| *i == index) {
                if let ast::TypeExprKind::Interface(elems) = &ty.kind {
                    if self.has_type_terms(elems) {
                        self.constraint_types.push(*named);
                    }
                }
                let underlying = self.resolve_type(ty);
                if self.program.types.underlying(underlying) == *named {
                    self.errors.push(SemaError::Misplaced { message: format!("invalid recursive type {}", name.name), span: name.span });
                    continue;
                }
                self.program.types.set_underlying(*named, underlying);
                if self.program.types.contains_inline(*named, *named) {
                    self.errors.push(SemaError::Misplaced { message: format!("invalid recursive type {}", name.name), span: name.span });
                    self.program.types.set_underlying(*named, Types::INVALID);
                }
            }
        }
    }

    /// A local `type` declaration: both passes at once.
    pub(super) fn check_local_type_decl(&mut self, decl: &ast::GenDecl) {
        let declared = self.declare_types(decl);
        self.resolve_types(decl, &declared);
    }

    /// Whether an interface's elements include type terms, which make it a
    /// constraint (an embedded interface is not a term; an embedded type not
    /// resolved yet is taken for one).
    fn has_type_terms(&self, elems: &[ast::InterfaceElem]) -> bool {
        elems.iter().any(|elem| match elem {
            ast::InterfaceElem::Method { .. } => false,
            ast::InterfaceElem::Union(terms) if terms.len() == 1 && !terms[0].tilde => match &terms[0].ty.kind {
                ast::TypeExprKind::Name { pkg: None, name, type_args } if type_args.is_empty() => match self.lookup(&name.name) {
                    Some(Binding::Type(t)) => {
                        let t = *t;
                        self.constraint_types.contains(&t)
                            || !(self.program.types.is_interface(t) || self.program.types.underlying(t) == Types::INVALID)
                    }
                    _ => false,
                },
                ast::TypeExprKind::Interface(inner) => self.has_type_terms(inner),
                ast::TypeExprKind::Name { .. } => false,
                _ => true,
            },
            ast::InterfaceElem::Union(_) => true,
        })
    }

    /// Rejects a constraint interface as the type of a variable.
    pub(super) fn check_not_constraint(&mut self, ty: TypeId, span: Span) -> TypeId {
        if self.constraint_types.contains(&ty) {
            self.errors.push(SemaError::Misplaced {
                message: format!("cannot use type {} outside a type constraint: interface contains type constraints", self.type_name(ty)),
                span,
            });
            return Types::INVALID;
        }
        ty
    }

    /// Composite type expressions; `None` for the kinds `resolve_type` handles.
    pub(super) fn resolve_composite_type(&mut self, ty: &ast::TypeExpr) -> Option<TypeId> {
        Some(match &ty.kind {
            ast::TypeExprKind::Pointer(elem) => {
                let elem = self.resolve_type(elem);
                self.program.types.intern(TypeKind::Pointer(elem))
            }
            ast::TypeExprKind::Slice(elem) => {
                let elem = self.resolve_type(elem);
                self.program.types.intern(TypeKind::Slice(elem))
            }
            ast::TypeExprKind::Array { len: Some(len), elem } => {
                let elem = self.resolve_type(elem);
                match self.array_length(len) {
                    Some(n) => self.program.types.intern(TypeKind::Array(n, elem)),
                    None => Types::INVALID,
                }
            }
            ast::TypeExprKind::Array { len: None, .. } => {
                self.errors.push(SemaError::Misplaced {
                    message: "invalid use of [...] array (outside a composite literal)".to_string(),
                    span: ty.span,
                });
                Types::INVALID
            }
            ast::TypeExprKind::Chan { dir, elem } => self.resolve_chan_type(*dir, elem),
            ast::TypeExprKind::Map { key: key_expr, value } => {
                let key = self.resolve_type(key_expr);
                if key != Types::INVALID && self.incomparable(key).is_some() {
                    self.errors.push(SemaError::Misplaced {
                        message: format!("invalid map key type {}", self.type_name(key)),
                        span: key_expr.span,
                    });
                }
                let value = self.resolve_type(value);
                self.program.types.intern(TypeKind::Map(key, value))
            }
            ast::TypeExprKind::Struct(decls) => {
                let mut fields: Vec<Field> = Vec::new();
                for decl in decls {
                    let field_ty = self.resolve_type(&decl.ty);
                    if decl.names.is_empty() {
                        let name = embedded_name(&decl.ty).unwrap_or_default();
                        fields.push(Field { name, ty: field_ty, embedded: true });
                    }
                    for name in &decl.names {
                        if name.name != "_" && fields.iter().any(|f| f.name == name.name) {
                            self.errors.push(SemaError::Redeclared { name: name.name.clone(), span: name.span, previous: decl.span });
                        }
                        fields.push(Field { name: name.name.clone(), ty: field_ty, embedded: false });
                    }
                }
                self.program.types.intern(TypeKind::Struct(fields))
            }
            ast::TypeExprKind::Func(sig) => {
                let params = sig.params.iter().map(|p| self.resolve_type(&p.ty)).collect();
                let results = sig.results.iter().map(|p| self.resolve_type(&p.ty)).collect();
                let variadic = sig.params.last().is_some_and(|p| p.variadic);
                self.program.types.intern(TypeKind::Func(Signature { params, results, variadic }))
            }
            _ => return None,
        })
    }

    /// An array type's length, checked as Go's types2 `arrayLength` does: a
    /// name must denote a constant (and is not a use of a variable).
    fn array_length(&mut self, len: &ast::Expr) -> Option<u64> {
        if let ast::ExprKind::Ident(name) = &len.kind {
            // A package-level constant may be declared further down.
            self.resolve_pending(&name.name);
            match self.lookup(&name.name) {
                None => {
                    self.errors.push(SemaError::Misplaced { message: format!("undeclared name {} for array length", name.name), span: len.span });
                    return None;
                }
                Some(Binding::Const(..)) => {}
                Some(_) => {
                    self.errors.push(SemaError::Misplaced { message: format!("invalid array length {}", name.name), span: len.span });
                    return None;
                }
            }
        }
        let value = self.check_expr(len);
        let ty = self.expr_ty(value);
        if ty == Types::INVALID {
            return None;
        }
        let Some(constant) = self.const_of(value) else {
            self.errors.push(SemaError::Misplaced { message: format!("array length {} must be constant", self.operand(value)), span: len.span });
            return None;
        };
        let integer = match constant {
            ConstValue::Int(n) => Some(n),
            ConstValue::Float(f) if f.is_integer() && self.program.types.is_untyped(ty) => f.to_i128(),
            _ => None,
        };
        match integer {
            Some(n) if (0..=i64::MAX as i128).contains(&n) => Some(n as u64),
            Some(_) => {
                self.errors.push(SemaError::Misplaced { message: format!("invalid array length {}", self.operand(value)), span: len.span });
                None
            }
            None => {
                self.errors.push(SemaError::Misplaced { message: format!("array length {} must be integer", self.operand(value)), span: len.span });
                None
            }
        }
    }

    // ---- methods ----

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
        if let TypeKind::Struct(fields) = self.program.types.kind(underlying) {
            if fields.iter().any(|f| f.name == name.name) {
                self.errors.push(SemaError::Misplaced {
                    message: format!("field and method with the same name {}", name.name),
                    span: name.span,
                });
                return;
            }
        }
        let Some(named) = self.program.types.named.get_mut(index as usize) else { return };
        named.methods.push(Method { name: name.name.clone(), func: func.0, pointer_receiver, promoted: false });
    }

    fn find_method(&self, ty: TypeId, name: &str) -> Option<Method> {
        self.program.types.named_info(ty)?.methods.iter().find(|m| m.name == name).cloned()
    }

    // ---- places and addresses ----

    /// A pointer to the storage of an addressable expression, or `None` when
    /// it is not addressable (nothing reported).
    pub(super) fn check_addr(&mut self, expr: &ast::Expr) -> Option<ExprId> {
        let span = expr.span;
        match &expr.kind {
            ast::ExprKind::Paren(inner) => self.check_addr(inner),
            ast::ExprKind::Ident(ident) => {
                let Some(Binding::Local(local)) = self.lookup(&ident.name).cloned() else { return None };
                let ty = self.program.local(local).ty;
                if let Some(l) = self.program.locals.get_mut(local.index()) {
                    l.used = true;
                    if !self.program.types.is_aggregate(ty) {
                        l.escapes = true;
                    }
                }
                let pointer = self.program.types.intern(TypeKind::Pointer(ty));
                Some(self.push_expr(hir::ExprKind::AddrOfLocal(local), pointer, span))
            }
            ast::ExprKind::Selector { base, sel } if self.package_of_quiet(base).is_none() => {
                let value = self.check_selector(base, sel, span);
                self.addr_of_loaded(value)
            }
            ast::ExprKind::Index { base, indices } if indices.len() == 1 => {
                let value = self.check_index(base, &indices[0], span);
                self.addr_of_loaded(value)
            }
            ast::ExprKind::Unary { op: ast::UnaryOp::Deref, operand } => {
                let pointer = self.check_expr(operand);
                matches!(self.program.types.under(self.expr_ty(pointer)), TypeKind::Pointer(_)).then_some(pointer)
            }
            _ => None,
        }
    }

    /// Whether the storage `addr` points to is addressable in Go's sense: a
    /// field or array element of a map entry or of a call's result is a
    /// temporary copy ([Go spec: Address operators](https://go.dev/ref/spec#Address_operators)).
    fn addressable_storage(&self, addr: ExprId) -> bool {
        match &self.program.expr(addr).kind {
            hir::ExprKind::FieldAddr { base, .. } => self.addressable_storage(*base),
            hir::ExprKind::IndexAddr { base, .. } => {
                matches!(self.program.types.under(self.expr_ty(*base)), TypeKind::Slice(_)) || self.addressable_storage(*base)
            }
            hir::ExprKind::AggregateAddr(value) => match &self.program.expr(*value).kind {
                hir::ExprKind::Load(inner) => self.addressable_storage(*inner),
                hir::ExprKind::MapIndex { .. } | hir::ExprKind::Call { .. } | hir::ExprKind::Composite { .. } => false,
                _ => true,
            },
            _ => true,
        }
    }

    /// Reports an assignment to something that is not a variable, described
    /// as Go's types2 does: `cannot assign to c (untyped int constant 1)`.
    pub(super) fn unassignable(&mut self, target: &ast::Expr) {
        let errors = self.errors.len();
        let value = self.check_expr(target);
        if self.errors.len() > errors || self.expr_ty(value) == Types::INVALID {
            return;
        }
        let message = format!("cannot assign to {}", self.operand(value));
        self.errors.push(SemaError::TypeMismatch { message, span: target.span, label: "not a variable".to_string() });
    }

    /// Reports an assignment to a field or element of a temporary.
    fn check_addressable(&mut self, target: &ast::Expr, addr: ExprId, ty: TypeId) -> bool {
        if self.addressable_storage(addr) {
            return true;
        }
        let text = self.snippet_hint(target);
        // `m[k].f`: a field of a map entry.
        let in_map = match &self.program.expr(addr).kind {
            hir::ExprKind::FieldAddr { base, .. } => match &self.program.expr(*base).kind {
                hir::ExprKind::AggregateAddr(value) => matches!(self.program.expr(*value).kind, hir::ExprKind::MapIndex { .. }),
                _ => false,
            },
            _ => false,
        } && matches!(target.kind, ast::ExprKind::Selector { .. });
        let message = if in_map {
            format!("cannot assign to struct field {text} in map")
        } else {
            format!("cannot assign to {text} (value of type {})", self.type_name(ty))
        };
        self.errors.push(SemaError::TypeMismatch { message, span: target.span, label: "not addressable".to_string() });
        false
    }

    /// The pointer under a `Load`, if the value is one.
    fn addr_of_loaded(&mut self, value: ExprId) -> Option<ExprId> {
        match self.program.expr(value).kind {
            hir::ExprKind::Load(addr) => Some(addr),
            _ => None,
        }
    }

    pub(super) fn package_of_quiet(&self, expr: &ast::Expr) -> Option<usize> {
        let ast::ExprKind::Ident(ident) = &expr.kind else { return None };
        match self.lookup(&ident.name) {
            Some(Binding::Package(index)) => Some(*index),
            _ => None,
        }
    }

    /// The target of an assignment.
    pub(super) fn check_place(&mut self, target: &ast::Expr) -> Option<Place> {
        match &target.kind {
            ast::ExprKind::Paren(inner) => self.check_place(inner),
            ast::ExprKind::Ident(ident) if ident.name == "_" => Some(Place::Blank),
            ast::ExprKind::Ident(ident) => self.resolve_local_for_write(ident).map(Place::Local),
            ast::ExprKind::Index { base, indices } if indices.len() == 1 => {
                // The base is checked once, then decides what kind of place this is.
                let base_id = self.check_expr(base);
                let base_ty = self.expr_ty(base_id);
                match self.program.types.under(base_ty).clone() {
                    TypeKind::Invalid => {
                        self.check_expr(&indices[0]);
                        None
                    }
                    TypeKind::Map(key_ty, value_ty) => {
                        let key = self.check_expr(&indices[0]);
                        self.check_value_type(key);
                        let key = self.convert(key, key_ty, "map index");
                        Some(Place::MapEntry(base_id, key, value_ty))
                    }
                    TypeKind::String | TypeKind::UntypedString => {
                        self.check_expr(&indices[0]);
                        self.errors.push(SemaError::TypeMismatch {
                            // Go 1.19 names the element's type, spelled as
                            // the spec does.
                            message: format!("cannot assign to {} (value of type byte)", self.snippet_hint(target)),
                            span: target.span,
                            label: "strings are immutable".to_string(),
                        });
                        None
                    }
                    _ => {
                        let index = self.check_expr(&indices[0]);
                        let value = self.check_element(base_id, index, target.span);
                        let addr = self.addr_of_loaded(value)?;
                        let ty = self.program.types.elem(self.expr_ty(addr)).unwrap_or(Types::INVALID);
                        if !self.check_addressable(target, addr, ty) {
                            return None;
                        }
                        Some(Place::Addr(addr, ty))
                    }
                }
            }
            _ => {
                let errors = self.errors.len();
                match self.check_addr(target) {
                    Some(addr) => {
                        let ty = self.program.types.elem(self.expr_ty(addr)).unwrap_or(Types::INVALID);
                        if !self.check_addressable(target, addr, ty) {
                            return None;
                        }
                        Some(Place::Addr(addr, ty))
                    }
                    None => {
                        if self.errors.len() == errors {
                            self.unassignable(target);
                        }
                        None
                    }
                }
            }
        }
    }

    pub(super) fn place_type(&self, place: Place) -> TypeId {
        match place {
            Place::Local(local) => self.program.local(local).ty,
            Place::Addr(_, ty) | Place::MapEntry(_, _, ty) => ty,
            Place::Blank => Types::INVALID,
        }
    }

    /// `place = value` (the value already converted).
    pub(super) fn assign_place(&mut self, place: Place, value: ExprId, span: Span, out: &mut Vec<hir::Stmt>) {
        match place {
            Place::Local(local) => out.push(hir::Stmt { kind: hir::StmtKind::Assign { local, value }, span }),
            Place::Addr(addr, _) => out.push(hir::Stmt { kind: hir::StmtKind::Store { addr, value }, span }),
            Place::MapEntry(map, key, _) => out.push(hir::Stmt { kind: hir::StmtKind::MapAssign { map, key, value }, span }),
            Place::Blank => {}
        }
    }

    // ---- selectors ----

    /// `x.f`: a field (through any number of embedded structs, and through
    /// one pointer indirection at each step).
    pub(super) fn check_selector(&mut self, base: &ast::Expr, sel: &ast::Ident, span: Span) -> ExprId {
        let value = self.check_expr(base);
        let ty = self.expr_ty(value);
        if ty == Types::INVALID {
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

    /// Field indices from `ty` to the field `name`, breadth first through
    /// embedded fields as Go's selector rule has it.
    fn field_path(&self, ty: TypeId, name: &str) -> Option<Vec<usize>> {
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
                // Unexported fields of another package's struct are not
                // found, even when promoted through an embedded field.
                let hidden = self.hidden_member(ty, name);
                for (index, field) in fields.iter().enumerate() {
                    let mut field_path = path.clone();
                    field_path.push(index);
                    if field.name == name && !hidden {
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

    /// `x.m(args)` for a method declared in this file.
    pub(super) fn check_method_call(&mut self, base: &ast::Expr, sel: &ast::Ident, args: &[ast::Expr], span: Span) -> ExprId {
        let receiver = self.check_expr(base);
        let ty = self.expr_ty(receiver);
        if ty == Types::INVALID {
            return self.invalid(span);
        }
        if self.hidden_member(ty, &sel.name) {
            return self.missing_member(base, sel, ty);
        }
        if self.program.types.is_interface(ty) {
            if let Some(call) = self.check_interface_call(receiver, sel, args, span) {
                return call;
            }
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
            if self.program.types.is_interface(self.expr_ty(inner)) {
                if let Some(call) = self.check_interface_call(inner, sel, args, span) {
                    return call;
                }
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
                    if let Some(l) = self.program.locals.get_mut(local.index()) {
                        if !self.program.types.is_aggregate(ty) {
                            l.escapes = true;
                        }
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
        let span = Span::default();
        for (ty, name, path, through_pointer) in wrappers {
            let Some((sig, pointer_receiver)) = self.method_sig_of(ty, &name) else { continue };
            // What the last field holds decides the receiver kind.
            let needs_pointer = pointer_receiver && !through_pointer;
            let receiver_ty = if needs_pointer { self.program.types.intern(TypeKind::Pointer(ty)) } else { ty };
            let mut full = sig.clone();
            full.params.insert(0, receiver_ty);
            let sel = ast::Ident { name: name.clone(), span };
            let saved_func = std::mem::replace(&mut self.current_func, name.clone());
            let closure = self.forwarding_closure(&full, span, |mut args, variadic| {
                let mut base = args.remove(0);
                for field in path {
                    base = ast::Expr { kind: ast::ExprKind::Selector { base: Box::new(base), sel: ast::Ident { name: field, span } }, span };
                }
                let func = ast::Expr { kind: ast::ExprKind::Selector { base: Box::new(base), sel }, span };
                ast::Expr { kind: ast::ExprKind::Call { func: Box::new(func), args, ellipsis: variadic }, span }
            });
            self.current_func = saved_func;
            let hir::ExprKind::Closure(func) = self.program.expr(closure).kind else { continue };
            if let Some(f) = self.program.funcs.get_mut(func.index()) {
                f.captures = None;
                f.name = name.clone();
            }
            let TypeKind::Named(index) = self.program.types.kind(ty).clone() else { continue };
            if let Some(named) = self.program.types.named.get_mut(index as usize) {
                named.methods.push(Method { name, func: func.0, pointer_receiver: needs_pointer, promoted: true });
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
                    if !field.embedded {
                        continue;
                    }
                    let mut field_path = path.clone();
                    field_path.push(index);
                    let field_base = match types.kind(field.ty) {
                        TypeKind::Pointer(elem) => *elem,
                        _ => field.ty,
                    };
                    let has = self.find_method(field_base, name).is_some_and(|m| !m.promoted)
                        || types.interface_method_names(field.ty).is_some_and(|m| m.iter().any(|m| m == name));
                    if has {
                        if found.is_some() {
                            return None;
                        }
                        found = Some(field_path.clone());
                    }
                    next.push((field.ty, field_path));
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

    /// The signature (without receiver) of method `name` in the method set
    /// reachable from `ty` (declared, through one pointer, of an interface,
    /// or promoted), and whether it is a declared method with a pointer
    /// receiver.
    pub(super) fn method_sig_of(&mut self, ty: TypeId, name: &str) -> Option<(Signature, bool)> {
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
    pub(super) fn method_value(&mut self, value: ExprId, sel: &ast::Ident, span: Span) -> Option<ExprId> {
        let ty = self.expr_ty(value);
        let (sig, pointer_receiver) = self.method_sig_of(ty, &sel.name)?;
        let mut receiver = value;
        if pointer_receiver && !matches!(self.program.types.under(ty), TypeKind::Pointer(_)) {
            let pointer = self.program.types.intern(TypeKind::Pointer(ty));
            receiver = match self.program.expr(value).kind.clone() {
                hir::ExprKind::Load(addr) => addr,
                hir::ExprKind::Local(local) => {
                    if let Some(l) = self.program.locals.get_mut(local.index()) {
                        if !self.program.types.is_aggregate(ty) {
                            l.escapes = true;
                        }
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
        let outer = self.closure_with(vec![(recv_name.clone(), span, receiver_ty)], vec![func_ty], vec![None], false, span, |checker| {
            let inner = checker.forwarding_closure(&sig, span, |args, variadic| {
                let base = ast::Expr { kind: ast::ExprKind::Ident(ast::Ident { name: recv_name, span }), span };
                let func = ast::Expr { kind: ast::ExprKind::Selector { base: Box::new(base), sel }, span };
                ast::Expr { kind: ast::ExprKind::Call { func: Box::new(func), args, ellipsis: variadic }, span }
            });
            hir::Block { stmts: vec![hir::Stmt { kind: hir::StmtKind::Return(vec![inner]), span }] }
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

    // ---- indexing and slicing ----

    /// `a[i]` of an array, a pointer to an array or a slice.
    pub(super) fn check_element(&mut self, base: ExprId, index: ExprId, span: Span) -> ExprId {
        let base_ty = self.expr_ty(base);
        let (container, elem, len) = match self.program.types.under(base_ty).clone() {
            TypeKind::Slice(elem) => (base, elem, None),
            TypeKind::Array(len, elem) => {
                let pointer = self.program.types.intern(TypeKind::Pointer(base_ty));
                (self.push_expr(hir::ExprKind::AggregateAddr(base), pointer, span), elem, Some(len))
            }
            TypeKind::Pointer(inner) => match self.program.types.under(inner).clone() {
                TypeKind::Array(len, elem) => (base, elem, Some(len)),
                _ => return self.not_indexable(base, span),
            },
            TypeKind::Map(key_ty, value_ty) => {
                self.check_value_type(index);
                let key = self.convert(index, key_ty, "map index");
                return self.push_expr(hir::ExprKind::MapIndex { map: base, key, comma_ok: false }, value_ty, span);
            }
            _ => return self.not_indexable(base, span),
        };
        let index = self.check_index_value(index, len, span);
        let pointer = self.program.types.intern(TypeKind::Pointer(elem));
        let addr = self.push_expr(hir::ExprKind::IndexAddr { base: container, index }, pointer, span);
        self.push_expr(hir::ExprKind::Load(addr), elem, span)
    }

    fn not_indexable(&mut self, base: ExprId, span: Span) -> ExprId {
        self.errors.push(SemaError::InvalidOperation {
            message: format!("cannot index {}", self.operand(base)),
            span,
        });
        self.invalid(span)
    }

    /// An index: an integer, non-negative if constant, within `len` if both
    /// are known.
    fn check_index_value(&mut self, index: ExprId, len: Option<u64>, span: Span) -> ExprId {
        let ty = self.expr_ty(index);
        if ty == Types::INVALID {
            return index;
        }
        // An untyped constant index is given type int first (types2
        // isValidIndex), in Go's words for implicit conversions.
        if self.program.types.is_untyped(ty) && !self.program.types.is_integer(ty) && self.const_of(index).is_some() {
            // A complex constant with a zero imaginary part is its real part.
            let real = match self.const_of(index) {
                Some(ConstValue::Float(f)) => Some(f),
                Some(ConstValue::Complex(r, i)) if i.is_zero() => Some(r),
                _ => None,
            };
            if let Some(f) = real {
                if let Some(v) = f.to_i128() {
                    let converted = self.push_expr(hir::ExprKind::Const(ConstValue::Int(v)), Types::INT, span);
                    return self.check_index_value(converted, len, span);
                }
            }
            let converted = self.convert(index, Types::INT, "index");
            if self.expr_ty(converted) == Types::INVALID {
                return converted;
            }
        }
        if !self.program.types.is_integer(ty) {
            self.errors.push(SemaError::InvalidOperation {
                message: format!("invalid argument: index {} must be integer", self.operand(index)),
                span,
            });
            return index;
        }
        if let Some(ConstValue::Int(i)) = self.const_of(index) {
            if i < 0 {
                self.errors.push(SemaError::InvalidOperation {
                    message: format!("invalid argument: index {i} (constant of type int) must not be negative"),
                    span,
                });
            } else if let Some(len) = len {
                if i as u128 >= len as u128 {
                    self.errors.push(SemaError::InvalidOperation {
                        message: format!("invalid argument: index {i} out of bounds [0:{len}]"),
                        span,
                    });
                }
            }
        }
        if self.program.types.is_untyped(ty) { self.convert(index, Types::INT, "index") } else { index }
    }

    /// `a[lo:hi:max]`. See [Go spec: Slice expressions](https://go.dev/ref/spec#Slice_expressions).
    pub(super) fn check_slice_expr(
        &mut self,
        base: &ast::Expr,
        lo: Option<&ast::Expr>,
        hi: Option<&ast::Expr>,
        max: Option<&ast::Expr>,
        span: Span,
    ) -> ExprId {
        let base_value = self.check_expr(base);
        let base_ty = self.expr_ty(base_value);
        if base_ty == Types::INVALID {
            return self.invalid(span);
        }
        let (base_value, result_ty, len) = match self.program.types.under(base_ty).clone() {
            TypeKind::String | TypeKind::UntypedString => {
                if max.is_some() {
                    self.errors.push(SemaError::InvalidOperation { message: "3-index slice of string".to_string(), span });
                    return self.invalid(span);
                }
                let ty = if self.program.types.is_untyped(base_ty) { Types::STRING } else { base_ty };
                (self.convert(base_value, ty, "slice"), ty, None)
            }
            TypeKind::Slice(_) => (base_value, base_ty, None),
            TypeKind::Array(len, elem) => {
                let Some(addr) = self.check_addr(base) else {
                    self.errors.push(SemaError::InvalidOperation {
                        message: format!("invalid operation: {} (slice of unaddressable value)", self.snippet_hint(base)),
                        span,
                    });
                    return self.invalid(span);
                };
                (addr, self.program.types.intern(TypeKind::Slice(elem)), Some(len))
            }
            TypeKind::Pointer(inner) => match self.program.types.under(inner).clone() {
                TypeKind::Array(len, elem) => (base_value, self.program.types.intern(TypeKind::Slice(elem)), Some(len)),
                _ => return self.not_sliceable(base_value, span),
            },
            _ => return self.not_sliceable(base_value, span),
        };
        let cap = len.map(|l| l + 1);
        let bound = |checker: &mut Self, e: Option<&ast::Expr>| {
            e.map(|e| {
                let v = checker.check_expr(e);
                checker.check_index_value(v, cap, e.span)
            })
        };
        let lo = bound(self, lo);
        let hi = bound(self, hi);
        let max = bound(self, max);
        let constant = |checker: &Self, e: Option<ExprId>| match e.and_then(|e| checker.const_of(e)) {
            Some(ConstValue::Int(i)) => Some(i),
            _ => None,
        };
        if let (Some(l), Some(h)) = (constant(self, lo), constant(self, hi)) {
            if l > h {
                self.errors.push(SemaError::InvalidOperation { message: format!("invalid slice indices: {h} < {l}"), span });
            }
        }
        self.push_expr(hir::ExprKind::SliceOf { base: base_value, lo, hi, max }, result_ty, span)
    }

    fn not_sliceable(&mut self, base: ExprId, span: Span) -> ExprId {
        self.errors.push(SemaError::InvalidOperation {
            message: format!("cannot slice {}", self.operand(base)),
            span,
        });
        self.invalid(span)
    }

    // ---- composite literals ----

    pub(super) fn check_composite_lit(&mut self, ty: Option<&ast::TypeExpr>, elems: &[ast::KeyedElement], expected: Option<TypeId>, span: Span) -> ExprId {
        let ty = match ty {
            Some(ast::TypeExpr { kind: ast::TypeExprKind::Array { len: None, elem }, .. }) => {
                let elem = self.resolve_type(elem);
                let mut next = 0u64;
                let mut len = 0u64;
                for e in elems {
                    if let Some(key) = &e.key {
                        let k = self.check_expr(key);
                        if let Some(ConstValue::Int(i)) = self.const_of(k) {
                            next = i.max(0) as u64;
                        }
                    }
                    next += 1;
                    len = len.max(next);
                }
                self.program.types.intern(TypeKind::Array(len, elem))
            }
            Some(ty) => self.resolve_type(ty),
            None => match expected {
                Some(t) => t,
                None => {
                    self.errors.push(SemaError::Misplaced { message: "invalid composite literal type: missing type".to_string(), span });
                    return self.invalid(span);
                }
            },
        };
        if ty == Types::INVALID {
            for e in elems {
                if !matches!(e.value.kind, ast::ExprKind::CompositeLit { ty: None, .. }) {
                    self.check_expr(&e.value);
                }
            }
            return self.invalid(span);
        }
        // `[]*T{{...}}`: an elided `&T`.
        if let TypeKind::Pointer(inner) = self.program.types.under(ty).clone() {
            if expected.is_some() {
                let value = self.check_composite_lit(None, elems, Some(inner), span);
                let pointer = self.program.types.intern(TypeKind::Pointer(inner));
                return self.push_expr(hir::ExprKind::AggregateAddr(value), pointer, span);
            }
        }
        match self.program.types.under(ty).clone() {
            TypeKind::Struct(fields) => {
                // Go's checks and their order: types2 expr.go, compositeLit.
                let offsets = self.program.types.field_offsets(ty);
                let mut out = Vec::new();
                let literal = self.span_text(span);
                let keyed = elems.first().is_some_and(|e| e.key.is_some());
                let mut visited = vec![false; fields.len()];
                for (position, e) in elems.iter().enumerate() {
                    if e.key.is_some() != keyed {
                        self.errors.push(SemaError::Misplaced {
                            message: "mixture of field:value and value elements in struct literal".to_string(),
                            span: e.span,
                        });
                        continue;
                    }
                    let index = match &e.key {
                        Some(ast::Expr { kind: ast::ExprKind::Ident(name), .. }) => match fields
                            .iter()
                            .position(|f| f.name == name.name && !self.hidden_member(ty, &f.name))
                        {
                            Some(i) => i,
                            None => {
                                self.check_expr(&e.value);
                                self.errors.push(SemaError::Misplaced {
                                    message: format!("unknown field '{}' in struct literal of type {}", name.name, self.type_name(ty)),
                                    span: name.span,
                                });
                                continue;
                            }
                        },
                        Some(key) => {
                            self.check_expr(&e.value);
                            self.errors.push(SemaError::Misplaced {
                                message: format!("invalid field name {} in struct literal", self.snippet_hint(key)),
                                span: key.span,
                            });
                            continue;
                        }
                        None if position < fields.len() => position,
                        None => {
                            self.check_expr(&e.value);
                            self.errors.push(SemaError::Misplaced { message: format!("too many values in {literal}"), span: e.span });
                            break;
                        }
                    };
                    let value = self.check_element_value(&e.value, fields[index].ty, "struct literal");
                    if visited[index] {
                        if let Some(key) = &e.key {
                            self.errors.push(SemaError::Misplaced {
                                message: format!("duplicate field name {} in struct literal", self.snippet_hint(key)),
                                span: e.span,
                            });
                            continue;
                        }
                    }
                    visited[index] = true;
                    out.push((offsets[index], value));
                }
                if !keyed && !elems.is_empty() && elems.len() < fields.len() {
                    self.errors.push(SemaError::Misplaced { message: format!("too few values in {literal}"), span });
                }
                self.push_expr(hir::ExprKind::Composite { elems: out }, ty, span)
            }
            TypeKind::Array(len, elem) => {
                let elem_size = self.program.types.layout(elem).size;
                let elems = self.indexed_elems(elems, elem, Some(len), span);
                let elems = elems.into_iter().map(|(i, v)| (i * elem_size, v)).collect();
                self.push_expr(hir::ExprKind::Composite { elems }, ty, span)
            }
            TypeKind::Slice(elem) => {
                let elems = self.indexed_elems(elems, elem, None, span);
                let len = elems.iter().map(|(i, _)| i + 1).max().unwrap_or(0);
                self.push_expr(hir::ExprKind::SliceLit { len, elems }, ty, span)
            }
            TypeKind::Map(key_ty, value_ty) => {
                let mut entries = Vec::new();
                let mut seen_keys: Vec<ConstValue> = Vec::new();
                for e in elems {
                    let Some(key) = &e.key else {
                        self.errors.push(SemaError::Misplaced { message: "missing key in map literal".to_string(), span: e.span });
                        continue;
                    };
                    let key = self.check_element_value(key, key_ty, "map literal");
                    if let Some(constant) = self.const_of(key) {
                        if seen_keys.contains(&constant) {
                            self.errors.push(SemaError::Misplaced {
                                message: format!("duplicate key {} in map literal", const_string(&constant)),
                                span: self.expr_span(key),
                            });
                            continue;
                        }
                        seen_keys.push(constant);
                    }
                    let value = self.check_element_value(&e.value, value_ty, "map literal");
                    entries.push((key, value));
                }
                self.push_expr(hir::ExprKind::MapLit { entries }, ty, span)
            }
            _ => {
                self.errors.push(SemaError::Misplaced { message: format!("invalid composite literal type {}", self.type_name(ty)), span });
                self.invalid(span)
            }
        }
    }

    /// Elements of an array or slice literal, with Go's checks in Go's order
    /// (types2 index.go, indexedElts).
    fn indexed_elems(&mut self, elems: &[ast::KeyedElement], elem: TypeId, len: Option<u64>, span: Span) -> Vec<(u64, ExprId)> {
        let _ = span;
        let mut out: Vec<(u64, ExprId)> = Vec::new();
        let mut next = 0u64;
        for e in elems {
            let mut valid_index = false;
            if let Some(key) = &e.key {
                let k = self.check_expr(key);
                let k = self.check_index_value(k, len, key.span);
                if self.expr_ty(k) != Types::INVALID {
                    match self.const_of(k) {
                        Some(ConstValue::Int(i)) if i >= 0 && len.is_none_or(|len| (i as u64) < len) => {
                            next = i as u64;
                            valid_index = true;
                        }
                        Some(_) => {}
                        None => {
                            self.errors.push(SemaError::Misplaced {
                                message: format!("index {} must be integer constant", self.snippet_hint(key)),
                                span: key.span,
                            });
                        }
                    }
                }
            } else if len.is_some_and(|len| next >= len) {
                self.errors.push(SemaError::Misplaced {
                    message: format!("index {next} is out of bounds (>= {})", len.unwrap_or(0)),
                    span: e.span,
                });
            } else {
                valid_index = true;
            }
            if valid_index && out.iter().any(|(i, _)| *i == next) {
                self.errors.push(SemaError::Misplaced { message: format!("duplicate index {next} in array or slice literal"), span: e.span });
            }
            let value = self.check_element_value(&e.value, elem, "array or slice literal");
            out.push((next, value));
            next += 1;
        }
        out
    }

    /// An element of a composite literal, where the literal type may be elided.
    fn check_element_value(&mut self, value: &ast::Expr, ty: TypeId, context: &str) -> ExprId {
        let checked = match &value.kind {
            ast::ExprKind::CompositeLit { ty: None, elems } => self.check_composite_lit(None, elems, Some(ty), value.span),
            _ => self.check_expr(value),
        };
        self.check_value_type(checked);
        self.convert(checked, ty, context)
    }

    // ---- builtins over slices ----

    pub(super) fn check_len_cap(&mut self, is_cap: bool, arg: ExprId, span: Span) -> Option<ExprId> {
        let ty = self.expr_ty(arg);
        // `len(f())` of an array or a pointer to one is constant only without
        // calls or receives; otherwise the operand is evaluated (Go spec:
        // Length and capacity), here as the length of a slice of it.
        let array_elem = match self.program.types.under(ty).clone() {
            TypeKind::Array(_, elem) => Some(elem),
            TypeKind::Pointer(inner) => match self.program.types.under(inner) {
                TypeKind::Array(_, elem) => Some(*elem),
                _ => None,
            },
            _ => None,
        };
        if let Some(elem) = array_elem
            && self.has_call_or_receive(arg)
        {
            let base = if self.program.types.is_aggregate(ty) {
                let pointer = self.program.types.intern(TypeKind::Pointer(ty));
                self.push_expr(hir::ExprKind::AggregateAddr(arg), pointer, span)
            } else {
                arg
            };
            let slice_ty = self.program.types.intern(TypeKind::Slice(elem));
            let slice = self.push_expr(hir::ExprKind::SliceOf { base, lo: None, hi: None, max: None }, slice_ty, span);
            let which = if is_cap { Intrinsic::SliceCap } else { Intrinsic::SliceLen };
            return Some(self.push_expr(hir::ExprKind::Intrinsic { which, args: vec![slice] }, Types::INT, span));
        }
        match self.program.types.under(ty).clone() {
            TypeKind::Slice(_) => {
                let which = if is_cap { Intrinsic::SliceCap } else { Intrinsic::SliceLen };
                Some(self.push_expr(hir::ExprKind::Intrinsic { which, args: vec![arg] }, Types::INT, span))
            }
            TypeKind::Array(len, _) => Some(self.push_expr(hir::ExprKind::Const(ConstValue::Int(len as i128)), Types::INT, span)),
            TypeKind::Chan(..) => {
                let which = if is_cap { Intrinsic::ChanCap } else { Intrinsic::ChanLen };
                Some(self.push_expr(hir::ExprKind::Intrinsic { which, args: vec![arg] }, Types::INT, span))
            }
            TypeKind::Map(..) if !is_cap => {
                Some(self.push_expr(hir::ExprKind::Intrinsic { which: Intrinsic::MapLen, args: vec![arg] }, Types::INT, span))
            }
            TypeKind::Pointer(inner) => match self.program.types.under(inner) {
                TypeKind::Array(len, _) => {
                    let len = *len;
                    Some(self.push_expr(hir::ExprKind::Const(ConstValue::Int(len as i128)), Types::INT, span))
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether evaluating `expr` calls a function or receives from a channel.
    fn has_call_or_receive(&self, expr: ExprId) -> bool {
        let kind = &self.program.expr(expr).kind;
        if matches!(
            kind,
            hir::ExprKind::Call { .. }
                | hir::ExprKind::CallValue { .. }
                | hir::ExprKind::InterfaceCall { .. }
                | hir::ExprKind::StdCall { .. }
                | hir::ExprKind::Intrinsic { .. }
                | hir::ExprKind::Recv { .. }
        ) {
            return true;
        }
        let mut found = false;
        kind.for_each_operand(|e| found = found || self.has_call_or_receive(e));
        found
    }

    pub(super) fn check_append(&mut self, args: &[ast::Expr], spread: bool, span: Span) -> ExprId {
        let Some((first, rest)) = args.split_first() else {
            self.errors.push(SemaError::ArgumentCount { message: "not enough", callee: "in call to append".to_string(), span, have: 0, want: "1 or more".to_string() });
            return self.invalid(span);
        };
        let slice = self.check_expr(first);
        // `append(f())` with several results of f: the slice, then the
        // values (Go spec: Calls, "as a special case").
        let mut spread_values = Vec::new();
        let slice = match self.program.types.kind(self.expr_ty(slice)) {
            TypeKind::Tuple(elems) if rest.is_empty() && !spread && elems.len() > 1 => {
                let mut expanded = self.expand_multi_value(vec![slice]);
                spread_values = expanded.split_off(1);
                expanded[0]
            }
            _ => slice,
        };
        let ty = self.expr_ty(slice);
        if ty == Types::INVALID {
            return self.invalid(span);
        }
        let slice = if ty == Types::UNTYPED_NIL {
            self.errors.push(SemaError::InvalidOperation { message: "first argument to append must be a typed slice; have untyped nil".to_string(), span });
            return self.invalid(span);
        } else {
            slice
        };
        let TypeKind::Slice(elem) = self.program.types.under(ty).clone() else {
            self.errors.push(SemaError::InvalidOperation {
                message: format!("invalid argument: {} is not a slice", self.operand(slice)),
                span,
            });
            return self.invalid(span);
        };
        if spread {
            let [other] = rest else {
                self.errors.push(SemaError::ArgumentCount { message: "too many", callee: "in call to append".to_string(), span, have: args.len(), want: "2".to_string() });
                return self.invalid(span);
            };
            let other = self.check_expr(other);
            let other_ty = self.expr_ty(other);
            let other = if self.program.types.is_string(other_ty) && elem == Types::UINT8 {
                self.convert(other, Types::STRING, "append")
            } else {
                self.convert(other, ty, "append")
            };
            return self.push_expr(hir::ExprKind::Append { slice, values: vec![other], spread: true }, ty, span);
        }
        let checked: Vec<ExprId> = rest.iter().map(|v| self.check_expr(v)).collect();
        let values = spread_values
            .into_iter()
            .chain(checked)
            .map(|v| {
                self.check_value_type(v);
                self.convert(v, elem, "argument to append")
            })
            .collect();
        self.push_expr(hir::ExprKind::Append { slice, values, spread: false }, ty, span)
    }

    pub(super) fn check_make(&mut self, args: &[ast::Expr], span: Span) -> ExprId {
        let Some((ty_arg, sizes)) = args.split_first() else {
            self.errors.push(SemaError::ArgumentCount { message: "not enough", callee: "in call to make".to_string(), span, have: 0, want: "1".to_string() });
            return self.invalid(span);
        };
        let ty = self.type_of_expr(ty_arg);
        if ty == Types::INVALID {
            return self.invalid(span);
        }
        let sizes: Vec<ExprId> = sizes
            .iter()
            .map(|s| {
                let v = self.check_expr(s);
                self.check_index_value(v, None, s.span)
            })
            .collect();
        // Go's counts: a slice takes a length and maybe a capacity, a map or
        // channel maybe a size (types2 builtins.go).
        let min = match self.program.types.under(ty) {
            TypeKind::Slice(_) => Some(2),
            TypeKind::Map(..) => Some(1),
            TypeKind::Pointer(_) | TypeKind::Array(..) | TypeKind::Struct(_) | TypeKind::Func(_) | TypeKind::Interface(_) | TypeKind::Any | TypeKind::Error | TypeKind::Tuple(_) => None,
            _ if self.program.types.is_numeric(ty) || self.program.types.is_string(ty) || self.program.types.is_boolean(ty) => None,
            // Channels: their own checks below.
            _ => Some(1),
        };
        let Some(min) = min else {
            self.errors.push(SemaError::TypeMismatch {
                message: format!("invalid argument: cannot make {}; type must be slice, map, or channel", self.span_text(ty_arg.span)),
                span: ty_arg.span,
                label: "not a slice, map or channel type".to_string(),
            });
            return self.invalid(span);
        };
        if args.len() < min || args.len() > min + 1 {
            self.errors.push(SemaError::InvalidOperation {
                message: format!("{} expects {min} or {} arguments; found {}", self.span_text(span), min + 1, args.len()),
                span,
            });
            return self.invalid(span);
        }
        match self.program.types.under(ty).clone() {
            TypeKind::Slice(_) => {
                let Some(&len) = sizes.first() else {
                    return self.invalid(span);
                };
                if let (Some(ConstValue::Int(l)), Some(ConstValue::Int(c))) = (self.const_of(len), sizes.get(1).and_then(|c| self.const_of(*c))) {
                    if l > c {
                        self.errors.push(SemaError::InvalidOperation { message: format!("invalid argument: length and capacity swapped"), span });
                    }
                }
                self.push_expr(hir::ExprKind::MakeSlice { len, cap: sizes.get(1).copied() }, ty, span)
            }
            TypeKind::Map(..) => self.push_expr(hir::ExprKind::MakeMap { hint: sizes.first().copied() }, ty, span),
            TypeKind::Chan(..) => self.make_chan(&sizes, span, ty),
            _ => {
                self.unsupported(&format!("make of {}", self.type_name(ty)), span);
                self.invalid(span)
            }
        }
    }

    pub(super) fn check_delete(&mut self, args: &[ast::Expr], span: Span) -> ExprId {
        let [map, key] = args else {
            self.errors.push(SemaError::ArgumentCount { message: if args.len() < 2 { "not enough" } else { "too many" }, callee: "in call to delete".to_string(), span, have: args.len(), want: "2".to_string() });
            return self.invalid(span);
        };
        let map = self.check_expr(map);
        let key = self.check_expr(key);
        let ty = self.expr_ty(map);
        let TypeKind::Map(key_ty, _) = self.program.types.under(ty).clone() else {
            if ty != Types::INVALID {
                self.errors.push(SemaError::InvalidOperation {
                    message: format!("invalid argument: {} is not a map", self.operand(map)),
                    span,
                });
            }
            return self.invalid(span);
        };
        let key = self.convert(key, key_ty, "argument to delete");
        self.push_expr(hir::ExprKind::Intrinsic { which: Intrinsic::MapDelete, args: vec![map, key] }, Types::VOID, span)
    }

    pub(super) fn check_new(&mut self, args: &[ast::Expr], span: Span) -> ExprId {
        let [ty_arg] = args else {
            self.errors.push(SemaError::ArgumentCount { message: if args.is_empty() { "not enough" } else { "too many" }, callee: "in call to new".to_string(), span, have: args.len(), want: "1".to_string() });
            return self.invalid(span);
        };
        let ty = self.type_of_expr(ty_arg);
        if ty == Types::INVALID {
            return self.invalid(span);
        }
        let pointer = self.program.types.intern(TypeKind::Pointer(ty));
        self.push_expr(hir::ExprKind::Alloc(ty), pointer, span)
    }

    pub(super) fn check_copy(&mut self, args: &[ast::Expr], span: Span) -> ExprId {
        let [dst, src] = args else {
            self.errors.push(SemaError::ArgumentCount { message: if args.len() < 2 { "not enough" } else { "too many" }, callee: "in call to copy".to_string(), span, have: args.len(), want: "2".to_string() });
            return self.invalid(span);
        };
        let dst = self.check_expr(dst);
        let src = self.check_expr(src);
        let dst_ty = self.expr_ty(dst);
        let TypeKind::Slice(elem) = self.program.types.under(dst_ty).clone() else {
            if dst_ty != Types::INVALID {
                self.errors.push(SemaError::InvalidOperation { message: "copy expects slice arguments".to_string(), span });
            }
            return self.invalid(span);
        };
        let src = if elem == Types::UINT8 && self.program.types.is_string(self.expr_ty(src)) {
            self.convert(src, Types::STRING, "copy")
        } else {
            // Only the element types must be identical (`[]T` and a named
            // slice of `T` copy into each other).
            let src_ty = self.expr_ty(src);
            match self.program.types.under(src_ty).clone() {
                TypeKind::Slice(src_elem) if src_elem == elem => src,
                TypeKind::Slice(src_elem) => {
                    let message = format!(
                        "invalid argument: arguments to copy {} and {} have different element types {} and {}",
                        self.operand(dst),
                        self.operand(src),
                        self.type_name(elem),
                        self.type_name(src_elem)
                    );
                    self.errors.push(SemaError::TypeMismatch { message, span, label: "element types differ".to_string() });
                    return self.invalid(span);
                }
                _ => self.convert(src, dst_ty, "argument to copy"),
            }
        };
        self.push_expr(hir::ExprKind::Intrinsic { which: Intrinsic::Copy, args: vec![dst, src] }, Types::INT, span)
    }

    /// An expression in type position (`make([]int, n)`, `new(T)`).
    fn type_of_expr(&mut self, expr: &ast::Expr) -> TypeId {
        // `G[int]`: an instantiated generic type.
        if let ast::ExprKind::Index { .. } = &expr.kind
            && let Some(ty) = super::expr_as_type(expr)
        {
            return self.resolve_type(&ty);
        }
        match &expr.kind {
            ast::ExprKind::Type(ty) => self.resolve_type(ty),
            ast::ExprKind::Paren(inner) => self.type_of_expr(inner),
            ast::ExprKind::Ident(ident) => {
                let ty = ast::TypeExpr {
                    kind: ast::TypeExprKind::Name { pkg: None, name: ident.clone(), type_args: Vec::new() },
                    span: expr.span,
                };
                self.resolve_type(&ty)
            }
            ast::ExprKind::Unary { op: ast::UnaryOp::Deref, operand } => {
                let inner = self.type_of_expr(operand);
                if inner == Types::INVALID { inner } else { self.program.types.intern(TypeKind::Pointer(inner)) }
            }
            _ => {
                self.errors.push(SemaError::Misplaced { message: format!("{} is not a type", self.snippet_hint(expr)), span: expr.span });
                Types::INVALID
            }
        }
    }

    // ---- range ----

    /// `for k, v := range x` over arrays, slices and strings, lowered to an
    /// index loop: the HIR has no range statement.
    pub(super) fn check_range(
        &mut self,
        key: Option<&ast::Expr>,
        value: Option<&ast::Expr>,
        define: bool,
        expr: &ast::Expr,
        body: &ast::Block,
        span: Span,
        out: &mut Vec<hir::Stmt>,
    ) {
        let collection = self.check_expr(expr);
        let ty = self.expr_ty(collection);
        if ty == Types::INVALID {
            return;
        }
        enum Over {
            Indexed(TypeId, Option<u64>),
            String,
        }
        let over = match self.program.types.under(ty).clone() {
            TypeKind::Slice(elem) => Over::Indexed(elem, None),
            TypeKind::Array(len, elem) => Over::Indexed(elem, Some(len)),
            TypeKind::Pointer(inner) => match self.program.types.under(inner).clone() {
                TypeKind::Array(len, elem) => Over::Indexed(elem, Some(len)),
                _ => return self.cannot_range(collection, expr.span),
            },
            TypeKind::String | TypeKind::UntypedString => Over::String,
            TypeKind::Map(key_ty, value_ty) => {
                return self.check_range_map(collection, key_ty, value_ty, key, value, define, body, span, out);
            }
            TypeKind::Chan(..) => {
                return self.check_range_chan(collection, key, value, define, expr.span, body, span, out);
            }
            _ => return self.cannot_range(collection, expr.span),
        };
        let mut stmts = Vec::new();
        let collection_ty = if self.program.types.is_untyped(ty) { Types::STRING } else { ty };
        let collection = self.convert(collection, collection_ty, "range");
        let tmp = self.new_local("", collection_ty, span, LocalKind::Var);
        stmts.push(hir::Stmt { kind: hir::StmtKind::Define { local: tmp, value: Some(collection) }, span });
        let tmp_read = |c: &mut Self| c.push_expr(hir::ExprKind::Local(tmp), collection_ty, span);
        let len_expr = match over {
            Over::Indexed(_, Some(len)) => self.push_expr(hir::ExprKind::Const(ConstValue::Int(len as i128)), Types::INT, span),
            Over::Indexed(_, None) => {
                let t = tmp_read(self);
                self.push_expr(hir::ExprKind::Intrinsic { which: Intrinsic::SliceLen, args: vec![t] }, Types::INT, span)
            }
            Over::String => {
                let t = tmp_read(self);
                self.push_expr(hir::ExprKind::Intrinsic { which: Intrinsic::StringLen, args: vec![t] }, Types::INT, span)
            }
        };
        let len = self.new_local("", Types::INT, span, LocalKind::Var);
        stmts.push(hir::Stmt { kind: hir::StmtKind::Define { local: len, value: Some(len_expr) }, span });
        let index = self.new_local("", Types::INT, span, LocalKind::Var);
        let zero = self.push_expr(hir::ExprKind::Const(ConstValue::Int(0)), Types::INT, span);
        stmts.push(hir::Stmt { kind: hir::StmtKind::Define { local: index, value: Some(zero) }, span });

        self.scopes.push(Scope { names: HashMap::new() });
        let (elem_ty, width) = match over {
            Over::Indexed(elem, _) => (elem, None),
            Over::String => (Types::INT32, Some(self.new_local("", Types::INT, span, LocalKind::Var))),
        };
        // The iteration variables: declared once for the loop (Go 1.19).
        let mut prologue = Vec::new();
        let mut targets: Vec<(Place, TypeId)> = Vec::new();
        for (expr, ty) in [(key, Types::INT), (value, elem_ty)] {
            let Some(expr) = expr else {
                targets.push((Place::Blank, ty));
                continue;
            };
            if define {
                let ast::ExprKind::Ident(name) = &expr.kind else {
                    self.errors.push(SemaError::Misplaced { message: "non-name on left side of :=".to_string(), span: expr.span });
                    targets.push((Place::Blank, ty));
                    continue;
                };
                if name.name == "_" {
                    targets.push((Place::Blank, ty));
                    continue;
                }
                let local = self.new_local(&name.name, ty, name.span, LocalKind::Var);
                self.declare(&name.name, Binding::Local(local), name.span);
                stmts.push(hir::Stmt { kind: hir::StmtKind::Define { local, value: None }, span });
                targets.push((Place::Local(local), ty));
            } else {
                match self.check_place(expr) {
                    Some(place) => targets.push((place, ty)),
                    None => targets.push((Place::Blank, ty)),
                }
            }
        }
        let index_read = self.push_expr(hir::ExprKind::Local(index), Types::INT, span);
        let rune_local = match width {
            Some(width) => {
                let rune = self.new_local("", Types::INT32, span, LocalKind::Var);
                let t = tmp_read(self);
                let i = self.push_expr(hir::ExprKind::Local(index), Types::INT, span);
                let tuple = self.program.types.intern(TypeKind::Tuple(vec![Types::INT32, Types::INT]));
                let decode = self.push_expr(hir::ExprKind::Intrinsic { which: Intrinsic::DecodeRune, args: vec![t, i] }, tuple, span);
                prologue.push(hir::Stmt { kind: hir::StmtKind::AssignTuple { locals: vec![Some(rune), Some(width)], value: decode }, span });
                Some(rune)
            }
            None => None,
        };
        let (key_place, _) = targets[0];
        // `for i, x[i] = range y`: both places are found before either is
        // assigned, as in an assignment.
        if !matches!(key_place, Place::Blank) {
            targets[1].0 = self.pin_place(targets[1].0, &mut prologue);
        }
        if !matches!(key_place, Place::Blank) {
            let target_ty = self.place_type(key_place);
            let v = self.convert(index_read, target_ty, "range");
            self.assign_place(key_place, v, span, &mut prologue);
        }
        let (value_place, _) = targets[1];
        if !matches!(value_place, Place::Blank) {
            let element = match (rune_local, over) {
                (Some(rune), _) => self.push_expr(hir::ExprKind::Local(rune), Types::INT32, span),
                (None, Over::Indexed(elem, _)) => {
                    let t = tmp_read(self);
                    let i = self.push_expr(hir::ExprKind::Local(index), Types::INT, span);
                    let container = if self.program.types.is_aggregate(collection_ty) {
                        let pointer = self.program.types.intern(TypeKind::Pointer(collection_ty));
                        self.push_expr(hir::ExprKind::AggregateAddr(t), pointer, span)
                    } else {
                        t
                    };
                    let pointer = self.program.types.intern(TypeKind::Pointer(elem));
                    let addr = self.push_expr(hir::ExprKind::IndexAddr { base: container, index: i }, pointer, span);
                    self.push_expr(hir::ExprKind::Load(addr), elem, span)
                }
                _ => return,
            };
            let target_ty = self.place_type(value_place);
            let element = self.convert(element, target_ty, "range");
            self.assign_place(value_place, element, span, &mut prologue);
        }
        self.loop_depth += 1;
        self.breakable_depth += 1;
        let user_body = self.check_block(body);
        self.loop_depth -= 1;
        self.breakable_depth -= 1;
        self.scopes.pop();

        let mut body_stmts = prologue;
        body_stmts.push(hir::Stmt { kind: hir::StmtKind::Block(user_body), span });
        let i = self.push_expr(hir::ExprKind::Local(index), Types::INT, span);
        let n = self.push_expr(hir::ExprKind::Local(len), Types::INT, span);
        let cond = self.push_expr(hir::ExprKind::Binary { op: hir::BinaryOp::Lt, lhs: i, rhs: n }, Types::BOOL, span);
        let step = match width {
            Some(width) => self.push_expr(hir::ExprKind::Local(width), Types::INT, span),
            None => self.push_expr(hir::ExprKind::Const(ConstValue::Int(1)), Types::INT, span),
        };
        let i = self.push_expr(hir::ExprKind::Local(index), Types::INT, span);
        let next = self.push_expr(hir::ExprKind::Binary { op: hir::BinaryOp::Add, lhs: i, rhs: step }, Types::INT, span);
        let post = hir::Stmt { kind: hir::StmtKind::Assign { local: index, value: next }, span };
        stmts.push(hir::Stmt {
            kind: hir::StmtKind::Loop { cond: Some(cond), body: hir::Block { stmts: body_stmts }, post: Some(Box::new(post)) },
            span,
        });
        out.push(hir::Stmt { kind: hir::StmtKind::Block(hir::Block { stmts }), span });
    }

    #[allow(clippy::too_many_arguments)]
    fn check_range_map(
        &mut self,
        map: ExprId,
        key_ty: TypeId,
        value_ty: TypeId,
        key: Option<&ast::Expr>,
        value: Option<&ast::Expr>,
        define: bool,
        body: &ast::Block,
        span: Span,
        out: &mut Vec<hir::Stmt>,
    ) {
        let mut prologue = Vec::new();
        let mut slots: Vec<Option<LocalId>> = Vec::new();
        for (expr, ty) in [(key, key_ty), (value, value_ty)] {
            let Some(expr) = expr else {
                slots.push(None);
                continue;
            };
            if define {
                match &expr.kind {
                    ast::ExprKind::Ident(name) if name.name != "_" => {
                        let local = self.new_local(&name.name, ty, name.span, LocalKind::Var);
                        self.declare(&name.name, Binding::Local(local), name.span);
                        slots.push(Some(local));
                    }
                    _ => slots.push(None),
                }
            } else {
                match self.check_place(expr) {
                    Some(Place::Local(local)) => slots.push(Some(local)),
                    Some(Place::Blank) | None => slots.push(None),
                    Some(place) => {
                        let temp = self.new_local("", ty, span, LocalKind::Var);
                        let read = self.push_expr(hir::ExprKind::Local(temp), ty, span);
                        let target = self.place_type(place);
                        let read = self.convert(read, target, "range");
                        self.assign_place(place, read, span, &mut prologue);
                        slots.push(Some(temp));
                    }
                }
            }
        }
        self.loop_depth += 1;
        self.breakable_depth += 1;
        let user_body = self.check_block(body);
        self.loop_depth -= 1;
        self.breakable_depth -= 1;
        if block_hops(&user_body.stmts) {
            return self.range_map_keys(map, key_ty, value_ty, slots, prologue, user_body, span, out);
        }
        let mut stmts = prologue;
        stmts.push(hir::Stmt { kind: hir::StmtKind::Block(user_body), span });
        out.push(hir::Stmt {
            kind: hir::StmtKind::RangeMap { map, key: slots[0], value: slots[1], body: hir::Block { stmts } },
            span,
        });
    }

    /// A `range` over a map whose body may hop to another nanoservice: the
    /// runtime's iterator cannot travel, so the loop goes over a snapshot of
    /// the keys by index, skipping keys deleted before they are reached,
    /// which is one of the iteration orders Go allows:
    ///
    /// ```text
    /// m := <map>; keys := mapkeys(m)
    /// for i := 0; i < len(keys); i++ {
    ///     k := keys[i]; v, ok := m[k]; if !ok { continue }
    ///     <key> = k; <value> = v; <body>
    /// }
    /// ```
    #[allow(clippy::too_many_arguments)]
    fn range_map_keys(
        &mut self,
        map: ExprId,
        key_ty: TypeId,
        value_ty: TypeId,
        slots: Vec<Option<LocalId>>,
        prologue: Vec<hir::Stmt>,
        user_body: hir::Block,
        span: Span,
        out: &mut Vec<hir::Stmt>,
    ) {
        let map_ty = self.expr_ty(map);
        let keys_ty = self.program.types.intern(TypeKind::Slice(key_ty));
        let mut stmts = Vec::new();
        let define = |local: LocalId, value: Option<ExprId>| hir::Stmt { kind: hir::StmtKind::Define { local, value }, span };
        let map_local = self.new_local("", map_ty, span, LocalKind::Var);
        stmts.push(define(map_local, Some(map)));
        let map_read = self.push_expr(hir::ExprKind::Local(map_local), map_ty, span);
        let keys_value = self.push_expr(hir::ExprKind::Intrinsic { which: Intrinsic::MapKeys, args: vec![map_read] }, keys_ty, span);
        let keys = self.new_local("", keys_ty, span, LocalKind::Var);
        stmts.push(define(keys, Some(keys_value)));
        let keys_read = self.push_expr(hir::ExprKind::Local(keys), keys_ty, span);
        let len_value = self.push_expr(hir::ExprKind::Intrinsic { which: Intrinsic::SliceLen, args: vec![keys_read] }, Types::INT, span);
        let len = self.new_local("", Types::INT, span, LocalKind::Var);
        stmts.push(define(len, Some(len_value)));
        let zero = self.push_expr(hir::ExprKind::Const(ConstValue::Int(0)), Types::INT, span);
        let index = self.new_local("", Types::INT, span, LocalKind::Var);
        stmts.push(define(index, Some(zero)));
        // The iteration variables: declared once for the loop (Go 1.19).
        for local in slots.iter().flatten() {
            stmts.push(define(*local, None));
        }

        let mut body = Vec::new();
        let keys_read = self.push_expr(hir::ExprKind::Local(keys), keys_ty, span);
        let i = self.push_expr(hir::ExprKind::Local(index), Types::INT, span);
        let key_pointer = self.program.types.intern(TypeKind::Pointer(key_ty));
        let key_addr = self.push_expr(hir::ExprKind::IndexAddr { base: keys_read, index: i }, key_pointer, span);
        let key_value = self.push_expr(hir::ExprKind::Load(key_addr), key_ty, span);
        let key = self.new_local("", key_ty, span, LocalKind::Var);
        body.push(define(key, Some(key_value)));
        let value = self.new_local("", value_ty, span, LocalKind::Var);
        let found = self.new_local("", Types::BOOL, span, LocalKind::Var);
        body.push(define(value, None));
        body.push(define(found, None));
        let map_read = self.push_expr(hir::ExprKind::Local(map_local), map_ty, span);
        let key_read = self.push_expr(hir::ExprKind::Local(key), key_ty, span);
        let pair = self.program.types.intern(TypeKind::Tuple(vec![value_ty, Types::BOOL]));
        let lookup = self.push_expr(hir::ExprKind::MapIndex { map: map_read, key: key_read, comma_ok: true }, pair, span);
        body.push(hir::Stmt { kind: hir::StmtKind::AssignTuple { locals: vec![Some(value), Some(found)], value: lookup }, span });
        let found_read = self.push_expr(hir::ExprKind::Local(found), Types::BOOL, span);
        let missing = self.push_expr(hir::ExprKind::Unary { op: hir::UnaryOp::Not, operand: found_read }, Types::BOOL, span);
        let skip = hir::Block { stmts: vec![hir::Stmt { kind: hir::StmtKind::Continue(None), span }] };
        body.push(hir::Stmt { kind: hir::StmtKind::If { cond: missing, then: skip, els: None }, span });
        for (slot, (from, ty)) in slots.iter().zip([(key, key_ty), (value, value_ty)]) {
            if let Some(local) = slot {
                let read = self.push_expr(hir::ExprKind::Local(from), ty, span);
                body.push(hir::Stmt { kind: hir::StmtKind::Assign { local: *local, value: read }, span });
            }
        }
        body.extend(prologue);
        body.push(hir::Stmt { kind: hir::StmtKind::Block(user_body), span });

        let i = self.push_expr(hir::ExprKind::Local(index), Types::INT, span);
        let n = self.push_expr(hir::ExprKind::Local(len), Types::INT, span);
        let cond = self.push_expr(hir::ExprKind::Binary { op: hir::BinaryOp::Lt, lhs: i, rhs: n }, Types::BOOL, span);
        let i = self.push_expr(hir::ExprKind::Local(index), Types::INT, span);
        let one = self.push_expr(hir::ExprKind::Const(ConstValue::Int(1)), Types::INT, span);
        let next = self.push_expr(hir::ExprKind::Binary { op: hir::BinaryOp::Add, lhs: i, rhs: one }, Types::INT, span);
        let post = hir::Stmt { kind: hir::StmtKind::Assign { local: index, value: next }, span };
        stmts.push(hir::Stmt { kind: hir::StmtKind::Loop { cond: Some(cond), body: hir::Block { stmts: body }, post: Some(Box::new(post)) }, span });
        out.push(hir::Stmt { kind: hir::StmtKind::Block(hir::Block { stmts }), span });
    }

    fn cannot_range(&mut self, collection: ExprId, span: Span) {
        self.errors.push(SemaError::InvalidOperation {
            message: format!("cannot range over {}", self.operand(collection)),
            span,
        });
    }
}

/// The field name of an embedded field: its type's name.
fn embedded_name(ty: &ast::TypeExpr) -> Option<String> {
    match &ty.kind {
        ast::TypeExprKind::Name { name, .. } => Some(name.name.clone()),
        ast::TypeExprKind::Pointer(inner) => embedded_name(inner),
        _ => None,
    }
}

/// Whether statements (not counting function literals, which are functions
/// of their own) contain a `goToNetwork`.
fn block_hops(stmts: &[hir::Stmt]) -> bool {
    stmts.iter().any(|stmt| match &stmt.kind {
        hir::StmtKind::GoToNetwork { .. } => true,
        hir::StmtKind::Block(b) => block_hops(&b.stmts),
        hir::StmtKind::If { then, els, .. } => block_hops(&then.stmts) || els.as_ref().is_some_and(|e| block_hops(&e.stmts)),
        hir::StmtKind::Loop { body, post, .. } => block_hops(&body.stmts) || post.as_ref().is_some_and(|p| block_hops(std::slice::from_ref(p.as_ref()))),
        hir::StmtKind::Labeled { stmt, .. } => block_hops(std::slice::from_ref(stmt.as_ref())),
        hir::StmtKind::Switch { clauses } => clauses.iter().any(|c| block_hops(&c.body.stmts)),
        hir::StmtKind::Select { cases, default } => {
            cases.iter().any(|c| block_hops(&c.body.stmts)) || default.as_ref().is_some_and(|d| block_hops(&d.stmts))
        }
        hir::StmtKind::RangeMap { body, .. } => block_hops(&body.stmts),
        _ => false,
    })
}
