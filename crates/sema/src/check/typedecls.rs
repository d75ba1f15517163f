//! Type declarations and composite type expressions: defined types (every
//! name first, then underlying types), structs, pointers, arrays and slices,
//! array lengths, and interfaces usable only as constraints.

use super::*;
use crate::types::Field;
use std::collections::HashSet;

impl Checker<'_> {
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

    /// Second pass over the type declarations of a package: aliases first,
    /// each once the aliases it names are resolved (a package-level alias may
    /// be used before its declaration: `type L []E; type E = M`), then the
    /// underlying types.
    pub(super) fn resolve_types(&mut self, decls: &[(&ast::GenDecl, Vec<(TypeId, usize)>)]) {
        let mut waiting: Vec<(&ast::Ident, &ast::TypeExpr)> = Vec::new();
        for (decl, _) in decls {
            for spec in &decl.specs {
                if let ast::Spec::Type { name, type_params, alias: true, ty, .. } = spec
                    && type_params.is_empty()
                {
                    waiting.push((name, ty));
                }
            }
        }
        // Each round resolves, in source order, the aliases that name no
        // alias still waiting; what is left (a cycle, an undefined name) is
        // resolved in order at the end, with its errors.
        loop {
            let pending: HashSet<&str> = waiting.iter().map(|(name, _)| name.name.as_str()).collect();
            let (ready, still): (Vec<_>, Vec<_>) = waiting.into_iter().partition(|(_, ty)| !names_any(ty, &pending));
            waiting = still;
            if ready.is_empty() {
                break;
            }
            for (name, ty) in ready {
                let target = self.resolve_type(ty);
                self.declare(&name.name, Binding::Type(target), name.span);
            }
        }
        for (name, ty) in waiting {
            let target = self.resolve_type(ty);
            self.declare(&name.name, Binding::Type(target), name.span);
        }
        self.resolve_underlying_types(decls, false);
    }

    /// Underlying types, and with `aliases_in_order` aliases as they come,
    /// over type declarations. A defined type whose type is another defined
    /// type not resolved yet (`type A B; type B struct{ n int }`) takes its
    /// underlying type once that one has it.
    fn resolve_underlying_types(&mut self, decls: &[(&ast::GenDecl, Vec<(TypeId, usize)>)], aliases_in_order: bool) {
        let mut unresolved: HashSet<TypeId> = decls.iter().flat_map(|(_, declared)| declared.iter().map(|(ty, _)| *ty)).collect();
        let mut waiting: Vec<(TypeId, TypeId, &ast::Ident)> = Vec::new();
        // Interfaces that embed one declared later (`type B interface {
        // A; M() }` before `type A interface{ ... }`): resolved once what they
        // embed is, as their method sets copy the embedded ones.
        let mut embedding: Vec<(TypeId, &ast::TypeExpr, &ast::Ident)> = Vec::new();
        for (decl, declared) in decls {
            for (index, spec) in decl.specs.iter().enumerate() {
                let ast::Spec::Type { name, type_params, alias, ty, .. } = spec else { continue };
                if !type_params.is_empty() {
                    continue;
                }
                if *alias {
                    if aliases_in_order {
                        let target = self.resolve_type(ty);
                        self.declare(&name.name, Binding::Type(target), name.span);
                    }
                    continue;
                }
                let Some((named, _)) = declared.iter().find(|(_, i)| *i == index) else { continue };
                if let ast::TypeExprKind::Interface(elems) = &ty.kind
                    && self.has_type_terms(elems)
                {
                    self.constraint_types.push(*named);
                }
                if let ast::TypeExprKind::Interface(elems) = &ty.kind
                    && self.embeds_unresolved(elems, &unresolved, *named)
                {
                    embedding.push((*named, ty, name));
                    continue;
                }
                let underlying = self.resolve_type(ty);
                if unresolved.contains(&underlying) && underlying != *named {
                    waiting.push((*named, underlying, name));
                    continue;
                }
                self.set_declared_underlying(*named, underlying, name);
                unresolved.remove(named);
            }
        }
        // Each round settles the types whose target is settled, and the
        // interfaces whose embedded interfaces are; what is left waits on
        // itself (`type A B; type B A`).
        loop {
            let before = waiting.len() + embedding.len();
            let mut still_embedding = Vec::new();
            for (named, ty, name) in std::mem::take(&mut embedding) {
                let ast::TypeExprKind::Interface(elems) = &ty.kind else { continue };
                if self.embeds_unresolved(elems, &unresolved, named) {
                    still_embedding.push((named, ty, name));
                } else {
                    let underlying = self.resolve_type(ty);
                    self.set_declared_underlying(named, underlying, name);
                    unresolved.remove(&named);
                }
            }
            embedding = still_embedding;
            let mut still = Vec::new();
            for (named, target, name) in waiting {
                if unresolved.contains(&target) {
                    still.push((named, target, name));
                } else {
                    self.set_declared_underlying(named, target, name);
                    unresolved.remove(&named);
                }
            }
            waiting = still;
            if waiting.len() + embedding.len() == before {
                break;
            }
        }
        // An embedding cycle (`type A interface{ B }; type B interface{ A }`):
        // resolved as it stands.
        for (named, ty, name) in embedding {
            let underlying = self.resolve_type(ty);
            self.set_declared_underlying(named, underlying, name);
        }
        for (_, _, name) in waiting {
            self.errors.push(SemaError::Misplaced { message: format!("invalid recursive type {}", name.name), span: name.span });
        }
    }

    fn set_declared_underlying(&mut self, named: TypeId, underlying: TypeId, name: &ast::Ident) {
        if self.program.types.underlying(underlying) == named {
            self.errors.push(SemaError::Misplaced { message: format!("invalid recursive type {}", name.name), span: name.span });
            return;
        }
        self.program.types.set_underlying(named, underlying);
        if self.program.types.contains_inline(named, named) {
            self.errors.push(SemaError::Misplaced { message: format!("invalid recursive type {}", name.name), span: name.span });
            self.program.types.set_underlying(named, Types::INVALID);
        }
    }

    /// A local `type` declaration: both passes at once.
    pub(super) fn check_local_type_decl(&mut self, decl: &ast::GenDecl) {
        let first_named = self.program.types.named.len();
        let declared = self.declare_types(decl);
        // A local alias is in scope only after its declaration.
        self.resolve_underlying_types(&[(decl, declared)], true);
        // A local type has no methods of its own, but those promoted from
        // its embedded fields.
        self.synthesize_promoted_methods(first_named);
    }

    /// Whether an interface embeds, by name, a type of this package whose
    /// underlying type is not resolved yet (other than `this` itself).
    fn embeds_unresolved(&self, elems: &[ast::InterfaceElem], unresolved: &HashSet<TypeId>, this: TypeId) -> bool {
        elems.iter().any(|elem| match elem {
            ast::InterfaceElem::Union(terms) if terms.len() == 1 && !terms[0].tilde => match &terms[0].ty.kind {
                ast::TypeExprKind::Name { pkg: None, name, type_args } if type_args.is_empty() => {
                    matches!(self.lookup(&name.name), Some(Binding::Type(t)) if *t != this && unresolved.contains(t))
                }
                ast::TypeExprKind::Interface(inner) => self.embeds_unresolved(inner, unresolved, this),
                _ => false,
            },
            _ => false,
        })
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

    /// The declared type of a variable: a type, but not a constraint.
    pub(super) fn resolve_var_type(&mut self, ty: &ast::TypeExpr) -> TypeId {
        let resolved = self.resolve_type(ty);
        self.check_not_constraint(resolved, ty.span)
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
                        fields.push(Field { name, ty: field_ty, embedded: true, tag: decl.tag.clone().unwrap_or_default() });
                    }
                    for name in &decl.names {
                        if name.name != "_" && fields.iter().any(|f| f.name == name.name) {
                            self.errors.push(SemaError::Redeclared { name: name.name.clone(), span: name.span, previous: decl.span });
                        }
                        fields.push(Field { name: name.name.clone(), ty: field_ty, embedded: false, tag: decl.tag.clone().unwrap_or_default() });
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
}

/// The field name of an embedded field: its type's name.
fn embedded_name(ty: &ast::TypeExpr) -> Option<String> {
    match &ty.kind {
        ast::TypeExprKind::Name { name, .. } => Some(name.name.clone()),
        ast::TypeExprKind::Pointer(inner) => embedded_name(inner),
        _ => None,
    }
}

/// Whether a type expression names (unqualified) any of `names`.
fn names_any(ty: &ast::TypeExpr, names: &HashSet<&str>) -> bool {
    let sig_names = |sig: &ast::FuncSig| sig.params.iter().chain(&sig.results).any(|p| names_any(&p.ty, names));
    match &ty.kind {
        ast::TypeExprKind::Name { pkg, name, type_args } => {
            (pkg.is_none() && names.contains(name.name.as_str())) || type_args.iter().any(|t| names_any(t, names))
        }
        ast::TypeExprKind::Pointer(elem) | ast::TypeExprKind::Slice(elem) => names_any(elem, names),
        ast::TypeExprKind::Array { elem, .. } | ast::TypeExprKind::Chan { elem, .. } => names_any(elem, names),
        ast::TypeExprKind::Map { key, value } => names_any(key, names) || names_any(value, names),
        ast::TypeExprKind::Func(sig) => sig_names(sig),
        ast::TypeExprKind::Struct(fields) => fields.iter().any(|f| names_any(&f.ty, names)),
        ast::TypeExprKind::Interface(elems) => elems.iter().any(|e| match e {
            ast::InterfaceElem::Method { sig, .. } => sig_names(sig),
            ast::InterfaceElem::Union(terms) => terms.iter().any(|t| names_any(&t.ty, names)),
        }),
    }
}
