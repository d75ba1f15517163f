//! Places and addresses: what an assignment writes, `&x`, and which
//! operands are addressable or assignable.
//!
//! Struct and array values are handled by address in the HIR (see
//! [`hir::ExprKind::AggregateAddr`]); a field or element of one is a
//! [`hir::ExprKind::FieldAddr`]/[`hir::ExprKind::IndexAddr`] and reading it is a
//! [`hir::ExprKind::Load`].

use super::*;

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
    /// A pointer to the storage of an addressable expression, or `None` when
    /// it is not addressable (nothing reported).
    pub(super) fn check_addr(&mut self, expr: &ast::Expr) -> Option<ExprId> {
        let span = expr.span;
        match &expr.kind {
            ast::ExprKind::Paren(inner) => self.check_addr(inner),
            ast::ExprKind::Ident(ident) => {
                // `var UTC = &utcLoc` before `var utcLoc = ...` (time's
                // zoneinfo.go), `var p = &b` before `var b int`: a
                // package-level variable declared later is checked first,
                // as for any other use of it.
                self.resolve_pending(&ident.name);
                let Some(Binding::Local(local)) = self.lookup(&ident.name).cloned() else { return None };
                let ty = self.program.local(local).ty;
                if let Some(l) = self.program.locals.get_mut(local.index()) {
                    l.used = true;
                    if !self.program.types.is_aggregate(ty) {
                        l.escapes = true;
                    }
                }
                // `&x` inside a function literal captures `x` as a use of
                // it does: the closure must share its storage.
                self.note_capture(local);
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
    pub(super) fn addressable_storage(&self, addr: ExprId) -> bool {
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
            Some(Binding::Package(index)) => self.import_for_use(*index, ident.span),
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
}
