//! Assignments: `=`, `op=`, `++`/`--`, `:=`, and the tuple forms
//! (`a, b = b, a`, `v, ok := m[k]`), with the temporaries that make Go's
//! evaluate-then-assign order hold
//! ([Go spec: Assignment statements](https://go.dev/ref/spec#Assignment_statements)).

use super::operators::OperationText;
use super::*;

/// What [`Checker::pin_addr`] evaluates into temporaries.
#[derive(Clone, Copy)]
enum Pin {
    /// Every operand, variables too: `i, x[i] = 1, 2` stores to the old `x[i]`.
    Everything,
    /// Operands other than variables and constants (`x op= y`).
    Operands,
}

impl<'a> Checker<'a> {
    pub(super) fn check_short_var_decl(&mut self, names: &[ast::Ident], values: &[ast::Expr], span: Span, out: &mut Vec<hir::Stmt>) {
        // A name twice on the left is an error of its own (types2 shortVarDecl).
        let mut repeated = false;
        for (index, name) in names.iter().enumerate() {
            if name.name != "_" && names[..index].iter().any(|n| n.name == name.name) {
                self.errors.push(SemaError::Misplaced {
                    message: format!("{} repeated on left side of :=", name.name),
                    span: name.span,
                });
                repeated = true;
            }
        }
        if repeated {
            for value in values {
                self.check_expr(value);
            }
            return;
        }
        if names.len() != values.len() {
            self.check_tuple_define(names, values, span, out);
            return;
        }
        let mut values: Vec<ExprId> = values.iter().map(|v| self.check_expr(v)).collect();
        if values.len() > 1 {
            values = self.eval_into_temps(values, out);
        }
        let mut any_new = false;
        for (name, value) in names.iter().zip(values) {
            let existing = self.local_in_innermost_scope(&name.name);
            match existing {
                Some(local) if name.name != "_" => {
                    let ty = self.program.local(local).ty;
                    let value = self.convert(value, ty, "assignment");
                    out.push(hir::Stmt { kind: hir::StmtKind::Assign { local, value }, span });
                }
                _ => {
                    any_new = true;
                    let value_ty = self.expr_ty(value);
                    if value_ty == Types::UNTYPED_NIL {
                        self.errors.push(SemaError::TypeMismatch {
                            message: "use of untyped nil in assignment".to_string(),
                            span: self.expr_span(value),
                            label: "nil has no type to infer".to_string(),
                        });
                    }
                    self.check_assigned_value(value);
                    let ty = self.program.types.default_type(value_ty);
                    // `r := 'a'` is a rune, `c := b` keeps b's spelling.
                    let spelling = if value_ty == Types::UNTYPED_RUNE { Some("rune".to_string()) } else { self.local_spelling(value) };
                    let value = self.convert(value, ty, "assignment");
                    let local = self.new_local(&name.name, ty, name.span, LocalKind::Var);
                    if let Some(spelling) = spelling {
                        self.spellings.insert(local, spelling);
                    }
                    self.declare(&name.name, Binding::Local(local), name.span);
                    out.push(hir::Stmt { kind: hir::StmtKind::Define { local, value: Some(value) }, span });
                }
            }
        }
        if !any_new {
            self.errors.push(SemaError::NoNewVariables { span });
        }
    }

    /// The place with its address (or map and key) evaluated now, into
    /// temporaries, so that later assignments cannot change where it is.
    pub(super) fn pin_place(&mut self, place: Place, out: &mut Vec<hir::Stmt>) -> Place {
        match place {
            Place::Addr(addr, ty) => Place::Addr(self.pin_addr(addr, Pin::Everything, out), ty),
            Place::MapEntry(map, key, ty) => {
                let pinned = self.eval_into_temps(vec![map, key], out);
                Place::MapEntry(pinned[0], pinned[1], ty)
            }
            place => place,
        }
    }

    /// An address with its operands evaluated into temporaries but not its
    /// checks: a nil pointer or an index out of range panics when the value
    /// is stored (`m[k], s[9] = 1, 2` sets m[k], then panics).
    fn pin_addr(&mut self, addr: ExprId, pin: Pin, out: &mut Vec<hir::Stmt>) -> ExprId {
        let (addr_ty, span) = (self.expr_ty(addr), self.expr_span(addr));
        match self.program.expr(addr).kind.clone() {
            hir::ExprKind::IndexAddr { base, index } => {
                let base = if matches!(self.program.types.under(self.expr_ty(base)), TypeKind::Pointer(_)) {
                    self.pin_addr(base, pin, out)
                } else {
                    self.pin_value(base, pin, out)
                };
                let index = self.pin_value(index, pin, out);
                self.push_expr(hir::ExprKind::IndexAddr { base, index }, addr_ty, span)
            }
            hir::ExprKind::FieldAddr { base, offset } => {
                let base = self.pin_addr(base, pin, out);
                self.push_expr(hir::ExprKind::FieldAddr { base, offset }, addr_ty, span)
            }
            // Addresses of variables do not change.
            hir::ExprKind::AddrOfLocal(_) => addr,
            hir::ExprKind::AggregateAddr(value) => match self.program.expr(value).kind.clone() {
                hir::ExprKind::Local(_) => addr,
                // `(*p).f` of a struct behind a pointer.
                hir::ExprKind::Load(pointer) => {
                    let value_ty = self.expr_ty(value);
                    let pointer = self.pin_addr(pointer, pin, out);
                    let load = self.push_expr(hir::ExprKind::Load(pointer), value_ty, span);
                    self.push_expr(hir::ExprKind::AggregateAddr(load), addr_ty, span)
                }
                _ => self.pin_value(addr, pin, out),
            },
            _ => self.pin_value(addr, pin, out),
        }
    }

    fn pin_value(&mut self, value: ExprId, pin: Pin, out: &mut Vec<hir::Stmt>) -> ExprId {
        match pin {
            Pin::Everything => self.eval_into_temps(vec![value], out)[0],
            Pin::Operands => self.eval_effects_into_temp(value, out),
        }
    }

    /// The local variable `name` declares in the innermost scope, which a
    /// `:=` assigns rather than redeclares.
    fn local_in_innermost_scope(&self, name: &str) -> Option<LocalId> {
        match self.pkg.scopes.last()?.names.get(name)? {
            (Binding::Local(id), _) => Some(*id),
            _ => None,
        }
    }

    /// Evaluates values into fresh temporaries first, so that `a, b = b, a`
    /// assigns what the right-hand side was before any assignment.
    fn eval_into_temps(&mut self, values: Vec<ExprId>, out: &mut Vec<hir::Stmt>) -> Vec<ExprId> {
        values
            .into_iter()
            .map(|value| {
                let ty = self.program.types.default_type(self.expr_ty(value));
                if self.const_of(value).is_some() || ty == Types::INVALID {
                    return value;
                }
                let span = self.expr_span(value);
                let temp = self.new_local("", ty, span, LocalKind::Var);
                if let Some(local) = self.program.locals.get_mut(temp.index()) {
                    local.used = true;
                }
                out.push(hir::Stmt { kind: hir::StmtKind::Define { local: temp, value: Some(value) }, span });
                self.push_expr(hir::ExprKind::Local(temp), ty, span)
            })
            .collect()
    }

    /// The element types of a call with several results, or reports why not.
    pub(super) fn tuple_elems(&mut self, value: ExprId, want: usize, span: Span) -> Option<Vec<TypeId>> {
        let ty = self.expr_ty(value);
        if ty == Types::INVALID {
            return None;
        }
        match self.program.types.kind(ty).clone() {
            TypeKind::Tuple(elems) if elems.len() == want => Some(elems),
            TypeKind::Tuple(elems) => {
                self.errors.push(SemaError::TypeMismatch {
                    message: self.assignment_mismatch(want, elems.len(), Some(self.expr_span(value))),
                    span,
                    label: "counts differ".to_string(),
                });
                None
            }
            _ => {
                self.errors.push(SemaError::TypeMismatch {
                    message: self.assignment_mismatch(want, 1, Some(self.expr_span(value))),
                    span,
                    label: "counts differ".to_string(),
                });
                None
            }
        }
    }

    /// `a, b := f()`.
    fn check_tuple_define(&mut self, names: &[ast::Ident], values: &[ast::Expr], span: Span, out: &mut Vec<hir::Stmt>) {
        let [value] = values else {
            self.errors.push(SemaError::TypeMismatch {
                message: self.assignment_mismatch(names.len(), values.len(), None),
                span,
                label: "counts differ".to_string(),
            });
            return;
        };
        let value = self.check_multi_value(value, names.len());
        let Some(elems) = self.tuple_elems(value, names.len(), span) else {
            self.declare_after_invalid_value(names);
            return;
        };
        let mut locals = Vec::new();
        let mut fresh = Vec::new();
        let mut any_new = false;
        for (name, ty) in names.iter().zip(elems) {
            if name.name == "_" {
                locals.push(None);
                continue;
            }
            let existing = self.local_in_innermost_scope(&name.name);
            match existing {
                Some(local) => {
                    let local_ty = self.program.local(local).ty;
                    if local_ty != ty && local_ty != Types::INVALID {
                        self.errors.push(SemaError::TypeMismatch {
                            message: format!(
                                "cannot use {} value as {} value in assignment",
                                self.type_name(ty),
                                self.type_name(local_ty)
                            ),
                            span: name.span,
                            label: format!("{} is {}", name.name, self.type_name(local_ty)),
                        });
                    }
                    locals.push(Some(local));
                }
                None => {
                    any_new = true;
                    let local = self.new_local(&name.name, ty, name.span, LocalKind::Var);
                    self.declare(&name.name, Binding::Local(local), name.span);
                    // Declared explicitly, so that every execution makes a new
                    // variable (closures of earlier loop iterations keep theirs)
                    // whatever order code generation visits blocks in.
                    fresh.push(hir::Stmt { kind: hir::StmtKind::Define { local, value: None }, span: name.span });
                    locals.push(Some(local));
                }
            }
        }
        if !any_new {
            self.errors.push(SemaError::NoNewVariables { span });
        }
        out.extend(fresh);
        out.push(hir::Stmt { kind: hir::StmtKind::AssignTuple { locals, value }, span });
    }

    /// `a, err := f()` whose value is invalid or of the wrong count (the
    /// error is reported): the new names are still declared, of invalid
    /// type and counted as used, so their later uses raise no "undefined"
    /// and an unused one no "declared but not used" (as types2 does).
    fn declare_after_invalid_value(&mut self, names: &[ast::Ident]) {
        for name in names {
            if name.name == "_" || self.local_in_innermost_scope(&name.name).is_some() {
                continue;
            }
            let local = self.new_local(&name.name, Types::INVALID, name.span, LocalKind::Var);
            if let Some(l) = self.program.locals.get_mut(local.index()) {
                l.used = true;
            }
            self.declare(&name.name, Binding::Local(local), name.span);
        }
    }

    /// `a, b = b, a` and `a, b = f()`.
    fn check_multi_assign(
        &mut self,
        lhs: &[ast::Expr],
        op: Option<ast::BinaryOp>,
        rhs: &[ast::Expr],
        span: Span,
        out: &mut Vec<hir::Stmt>,
    ) {
        if op.is_some() {
            self.errors.push(SemaError::Misplaced {
                message: format!("assignment operation {}= requires single-valued expressions", op.map_or("", |o| o.as_str())),
                span,
            });
            return;
        }
        let mut places = Vec::new();
        for target in lhs {
            match self.check_place(target) {
                Some(place) => places.push(place),
                None => return,
            }
        }
        // Go assigns in two phases: the operands of the left side's index
        // expressions and indirections are evaluated first, with the right
        // side, and only then are the values stored (`i, x[i] = 1, 2` stores
        // to the old `x[i]`).
        if places.len() > 1 {
            places = places.into_iter().map(|p| self.pin_place(p, out)).collect();
        }
        if rhs.len() == 1 && lhs.len() > 1 {
            let value = self.check_multi_value(&rhs[0], lhs.len());
            let Some(elems) = self.tuple_elems(value, lhs.len(), span) else { return };
            // Results land in fresh temporaries, then go to their places.
            let mut temps = Vec::new();
            let mut stores = Vec::new();
            for (place, ty) in places.iter().zip(elems) {
                let place_ty = self.place_type(*place);
                let known = place_ty != Types::INVALID && ty != Types::INVALID;
                if !matches!(place, Place::Blank) && known && place_ty != ty && !self.assignable_to(ty, place_ty) {
                    self.errors.push(SemaError::TypeMismatch {
                        message: format!("cannot use {} value as {} value in assignment", self.type_name(ty), self.type_name(place_ty)),
                        span,
                        label: "types differ".to_string(),
                    });
                }
                match place {
                    Place::Local(local) if place_ty == ty || !known => temps.push(Some(*local)),
                    Place::Blank => temps.push(None),
                    _ => {
                        // Through a temporary: to memory, or converted (a
                        // value assigned to an interface is boxed).
                        let temp = self.temp_local(ty, span);
                        temps.push(Some(temp));
                        let read = self.push_expr(hir::ExprKind::Local(temp), ty, span);
                        stores.push((*place, read, place_ty));
                    }
                }
            }
            out.push(hir::Stmt { kind: hir::StmtKind::AssignTuple { locals: temps, value }, span });
            for (place, value, place_ty) in stores {
                let value = self.convert(value, place_ty, "assignment");
                self.assign_place(place, value, span, out);
            }
            return;
        }
        if lhs.len() != rhs.len() {
            self.errors.push(SemaError::TypeMismatch {
                message: self.assignment_mismatch(lhs.len(), rhs.len(), None),
                span,
                label: "counts differ".to_string(),
            });
            return;
        }
        let values: Vec<ExprId> = rhs.iter().map(|v| self.check_expr(v)).collect();
        let values = self.eval_into_temps(values, out);
        for (place, value) in places.into_iter().zip(values) {
            match place {
                Place::Blank => {
                    self.check_assigned_value(value);
                    if self.const_of(value).is_none() {
                        out.push(hir::Stmt { kind: hir::StmtKind::Expr(value), span });
                    }
                }
                place => {
                    let ty = self.place_type(place);
                    let value = self.convert(value, ty, "assignment");
                    self.assign_place(place, value, span, out);
                }
            }
        }
    }

    /// Rejects values that are not single values: `f() (no value) used as
    /// value`, `multiple-value f() (value of type (int, int)) in
    /// single-value context`, as Go's types2 words them.
    pub(super) fn check_value_type(&mut self, value: ExprId) {
        let ty = self.expr_ty(value);
        if let TypeKind::Tuple(elems) = self.program.types.kind(ty) {
            let message = if elems.is_empty() {
                format!("{} (no value) used as value", self.snippet_of(value))
            } else {
                format!("multiple-value {} (value of type {}) in single-value context", self.snippet_of(value), self.type_name(ty))
            };
            self.errors.push(SemaError::TypeMismatch {
                message,
                span: self.expr_span(value),
                label: "this call does not return one value".to_string(),
            });
        }
    }

    /// The single value on the right of an assignment to one variable: a
    /// call with several results is Go's `assignment mismatch`.
    pub(super) fn check_assigned_value(&mut self, value: ExprId) {
        let ty = self.expr_ty(value);
        if let TypeKind::Tuple(elems) = self.program.types.kind(ty)
            && elems.len() > 1
        {
            let message = self.assignment_mismatch(1, elems.len(), Some(self.expr_span(value)));
            self.errors.push(SemaError::TypeMismatch { message, span: self.expr_span(value), label: "counts differ".to_string() });
            return;
        }
        self.check_value_type(value);
    }

    pub(super) fn check_assign(
        &mut self,
        lhs: &[ast::Expr],
        op: Option<ast::BinaryOp>,
        rhs: &[ast::Expr],
        inc_dec: Option<String>,
        span: Span,
        out: &mut Vec<hir::Stmt>,
    ) {
        if lhs.len() != 1 || rhs.len() != 1 {
            self.check_multi_assign(lhs, op, rhs, span, out);
            return;
        }
        let (target, value) = (&lhs[0], &rhs[0]);
        let is_blank = matches!(&target.kind, ast::ExprKind::Ident(ident) if ident.name == "_");
        if is_blank && op.is_none() {
            // Still evaluated: `_ = a[i]` may panic, `_ = f()` has effects.
            let value = self.check_expr(value);
            self.check_assigned_value(value);
            if self.const_of(value).is_none() {
                out.push(hir::Stmt { kind: hir::StmtKind::Expr(value), span });
            }
            return;
        }
        let Some(place) = self.check_place(target) else { return };
        let local_ty = self.place_type(place);
        // `x op= y` evaluates x once (`p.op().Flags |= WasDollar` calls
        // p.op once): the place's operands are evaluated first, then y, and
        // x is read after y's calls, as Go's compiler orders `a[i] += f()`.
        let place = if op.is_some() { self.pin_place_operands(place, out) } else { place };
        let value = match op {
            None => self.check_expr(value),
            Some(_) if matches!(place, Place::Blank) => {
                // `_ += 1`: Go's "cannot use _ as value".
                self.check_expr(target);
                self.check_expr(value);
                return;
            }
            Some(op) => {
                let text = match inc_dec {
                    Some(text) => OperationText::Assignment { text, inc_dec: true },
                    None => {
                        let text = format!("{} {}= {}", self.snippet_hint(target), op.as_str(), self.snippet_hint(value));
                        OperationText::Assignment { text, inc_dec: false }
                    }
                };
                let right = self.check_expr(value);
                let right = self.eval_effects_into_temp(right, out);
                let current = self.read_place(place, target);
                self.binary_of_operands(op, current, right, text, span)
            }
        };
        self.check_assigned_value(value);
        let value = self.convert(value, local_ty, "assignment");
        self.assign_place(place, value, span, out);
    }

    /// The place with the operands of its address (or its map and key)
    /// evaluated now into temporaries, except variables and constants,
    /// which are read where the place is used: `pick().n += 1` calls
    /// `pick` once.
    fn pin_place_operands(&mut self, place: Place, out: &mut Vec<hir::Stmt>) -> Place {
        match place {
            Place::Addr(addr, ty) => Place::Addr(self.pin_addr(addr, Pin::Operands, out), ty),
            Place::MapEntry(map, key, ty) => {
                let map = self.eval_effects_into_temp(map, out);
                let key = self.eval_effects_into_temp(key, out);
                Place::MapEntry(map, key, ty)
            }
            place => place,
        }
    }

    /// A typed value that is not a variable or a constant, evaluated into a
    /// temporary now. An untyped one (`1 << s`) stays: its type comes from
    /// the operation it is in.
    fn eval_effects_into_temp(&mut self, value: ExprId, out: &mut Vec<hir::Stmt>) -> ExprId {
        let keep = matches!(self.program.expr(value).kind, hir::ExprKind::Local(_) | hir::ExprKind::Const(_))
            || self.program.types.is_untyped(self.expr_ty(value));
        if keep { value } else { self.eval_into_temps(vec![value], out)[0] }
    }

    /// The current value of a place, for `x op= y`.
    fn read_place(&mut self, place: Place, target: &ast::Expr) -> ExprId {
        match place {
            Place::Addr(addr, ty) => self.push_expr(hir::ExprKind::Load(addr), ty, target.span),
            Place::MapEntry(map, key, ty) => self.push_expr(hir::ExprKind::MapIndex { map, key, comma_ok: false }, ty, target.span),
            // A variable's read is the identifier's (it is used, captured).
            Place::Local(_) | Place::Blank => self.check_expr(target),
        }
    }

    pub(super) fn resolve_local_for_write(&mut self, ident: &ast::Ident) -> Option<LocalId> {
        // A library variable still waiting (lazy_vars.rs) is checked first.
        self.resolve_pending(&ident.name);
        match self.lookup(&ident.name).cloned() {
            Some(Binding::Local(id)) => {
                self.note_capture(id);
                Some(id)
            }
            Some(Binding::Package(_)) => {
                // Not a use of the package: Go still reports it unused.
                self.errors.push(SemaError::Misplaced {
                    message: format!("use of package {} without selector", ident.name),
                    span: ident.span,
                });
                None
            }
            Some(_) => {
                let target = ast::Expr { kind: ast::ExprKind::Ident(ident.clone()), span: ident.span };
                self.unassignable(&target);
                None
            }
            None => self.free_local(ident),
        }
    }
}
