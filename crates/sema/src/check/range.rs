//! `for ... range` over strings, arrays, slices, pointers to arrays and
//! maps (channels hand over to `channels`)
//! ([Go spec: For statements with range clause](https://go.dev/ref/spec#For_range)).

use super::*;

impl Checker<'_> {
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

        self.pkg.scopes.push(Scope::default());
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
        self.func.loop_depth += 1;
        self.func.breakable_depth += 1;
        let user_body = self.check_block(body);
        self.func.loop_depth -= 1;
        self.func.breakable_depth -= 1;
        self.pkg.scopes.pop();

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
        self.func.loop_depth += 1;
        self.func.breakable_depth += 1;
        let user_body = self.check_block(body);
        self.func.loop_depth -= 1;
        self.func.breakable_depth -= 1;
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
    ///
    /// A key that is not equal to itself (a NaN, or a value holding one) is
    /// never found by a lookup, and its entry can be neither deleted nor
    /// changed: when the key type can hold a NaN, the values are snapshot
    /// too (`vals := mapvalues(m)`, same order) and a missing key that is
    /// not equal to itself takes `vals[i]` instead of being skipped:
    /// `if !ok { if k == k { continue }; v = vals[i] }`.
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
        let values_ty = self.program.types.intern(TypeKind::Slice(value_ty));
        let values = may_differ_from_itself(&self.program.types, key_ty).then(|| {
            let map_read = self.push_expr(hir::ExprKind::Local(map_local), map_ty, span);
            let snapshot = self.push_expr(hir::ExprKind::Intrinsic { which: Intrinsic::MapValues, args: vec![map_read] }, values_ty, span);
            let values = self.new_local("", values_ty, span, LocalKind::Var);
            stmts.push(define(values, Some(snapshot)));
            values
        });
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
        let mut skip = hir::Block { stmts: vec![hir::Stmt { kind: hir::StmtKind::Continue(None), span }] };
        if let Some(values) = values {
            // if k == k { continue }; v = vals[i]
            let lhs = self.push_expr(hir::ExprKind::Local(key), key_ty, span);
            let rhs = self.push_expr(hir::ExprKind::Local(key), key_ty, span);
            let itself = self.push_expr(hir::ExprKind::Binary { op: hir::BinaryOp::Eq, lhs, rhs }, Types::BOOL, span);
            let values_read = self.push_expr(hir::ExprKind::Local(values), values_ty, span);
            let i = self.push_expr(hir::ExprKind::Local(index), Types::INT, span);
            let value_pointer = self.program.types.intern(TypeKind::Pointer(value_ty));
            let value_addr = self.push_expr(hir::ExprKind::IndexAddr { base: values_read, index: i }, value_pointer, span);
            let snapshot_value = self.push_expr(hir::ExprKind::Load(value_addr), value_ty, span);
            skip = hir::Block {
                stmts: vec![
                    hir::Stmt { kind: hir::StmtKind::If { cond: itself, then: skip, els: None }, span },
                    hir::Stmt { kind: hir::StmtKind::Assign { local: value, value: snapshot_value }, span },
                ],
            };
        }
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

/// Whether a value of type `ty` can be unequal to itself: a float or a
/// complex number (NaN), or an interface, struct or array that can hold one.
fn may_differ_from_itself(types: &Types, ty: TypeId) -> bool {
    match types.under(ty) {
        TypeKind::Float32 | TypeKind::Float64 | TypeKind::Complex64 | TypeKind::Complex128 => true,
        TypeKind::Any | TypeKind::Error | TypeKind::Interface(_) => true,
        TypeKind::Array(_, elem) => may_differ_from_itself(types, *elem),
        TypeKind::Struct(fields) => fields.iter().any(|f| may_differ_from_itself(types, f.ty)),
        _ => false,
    }
}
