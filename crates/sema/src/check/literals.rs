//! Composite literals of structs, arrays, slices and maps, keyed or not
//! ([Go spec: Composite literals](https://go.dev/ref/spec#Composite_literals)).

use super::*;

impl Checker<'_> {
    /// `&T{...}`: a pointer to a fresh variable holding the literal. A
    /// struct or array literal already is fresh memory (codegen keeps it by
    /// address); a slice or map literal is a header or a map pointer, so it
    /// is stored in fresh memory of its own: a one-element array `[1]T`
    /// literal, whose address is the address of its element.
    pub(super) fn composite_addr(&mut self, value: ExprId, ty: TypeId, span: Span) -> ExprId {
        let pointer = self.program.types.intern(TypeKind::Pointer(ty));
        if self.program.types.is_aggregate(ty) {
            return self.push_expr(hir::ExprKind::AggregateAddr(value), pointer, span);
        }
        let cell_ty = self.program.types.intern(TypeKind::Array(1, ty));
        let cell = self.push_expr(hir::ExprKind::Composite { elems: vec![(0, value)] }, cell_ty, span);
        self.push_expr(hir::ExprKind::AggregateAddr(cell), pointer, span)
    }

    /// The elements of a literal whose type is invalid (its error is
    /// reported): their values still use their variables and imports, so
    /// nothing more is reported (no "declared but not used" cascade), down
    /// through elided literals (`pkg.T{"k": {F: v}}`). Keys are not
    /// checked: a struct's are field names of a type that is unknown.
    fn check_elements_of_invalid(&mut self, elems: &[ast::KeyedElement]) {
        for e in elems {
            match &e.value.kind {
                ast::ExprKind::CompositeLit { ty: None, elems, .. } => self.check_elements_of_invalid(elems),
                _ => {
                    self.check_expr(&e.value);
                }
            }
        }
    }

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
            self.check_elements_of_invalid(elems);
            return self.invalid(span);
        }
        // `[]*T{{...}}`: an elided `&T`.
        if let &TypeKind::Pointer(inner) = self.program.types.under(ty)
            && expected.is_some()
        {
            let value = self.check_composite_lit(None, elems, Some(inner), span);
            return self.composite_addr(value, inner, span);
        }
        match self.program.types.under(ty).clone() {
            TypeKind::Struct(fields) => {
                // Go's checks and their order: types2 expr.go, compositeLit.
                let offsets = self.program.types.field_offsets(ty);
                let mut out = Vec::new();
                // Quoted only in an error: finding the literal's source
                // walks its whole declaration (a unicode table's `var`
                // holds hundreds of struct literals).
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
                    let index = match e.key.as_deref() {
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
                            self.errors.push(SemaError::Misplaced { message: format!("too many values in {}", self.span_text(span)), span: e.span });
                            break;
                        }
                    };
                    let value = self.check_element_value(&e.value, fields[index].ty, "struct literal");
                    if visited[index]
                        && let Some(key) = &e.key
                    {
                        self.errors.push(SemaError::Misplaced {
                            message: format!("duplicate field name {} in struct literal", self.snippet_hint(key)),
                            span: e.span,
                        });
                        continue;
                    }
                    visited[index] = true;
                    out.push((offsets[index], value));
                }
                if !keyed && !elems.is_empty() && elems.len() < fields.len() {
                    self.errors.push(SemaError::Misplaced { message: format!("too few values in {}", self.span_text(span)), span });
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
}
