//! The `types` of a unit manifest: the program's own defined types that the
//! variables a nanoservice receives and sends are made of, each with its
//! underlying type, its methods and the config that declares it, so that
//! `g2n manifest diff` judges a replacement by what the types are, not only
//! by their names (docs/manifests.md).

use g2n_manifest::manifest::DeclaredType;
use g2n_sema::hir;
use g2n_sema::types::{Signature, TypeId, TypeKind, Types};
use g2n_split::{UnitPlan, VarSource};
use std::collections::{BTreeMap, BTreeSet};

/// The defined types of `unit`'s program that its travelling variables'
/// types are made of, sorted by name.
pub(crate) fn declared_types(unit: &UnitPlan) -> Vec<DeclaredType> {
    let program = &unit.program;
    let mut roots: Vec<TypeId> = Vec::new();
    for entry in &unit.entries {
        roots.extend(entry.vars.iter().filter_map(|v| v.local).map(|l| program.local(l).ty));
    }
    for exit in &unit.exits {
        for var in &exit.vars {
            if let VarSource::Local(l) = var.source {
                roots.push(program.local(l).ty);
            }
        }
    }
    let mut named: BTreeMap<String, TypeId> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for root in roots {
        collect_named(&program.types, root, &mut seen, &mut named);
    }
    named
        .into_iter()
        .map(|(name, ty)| {
            let declared_in = unit.resolved_from.get(&name).cloned().unwrap_or_else(|| unit.name.clone());
            DeclaredType {
                underlying: program.types.display(program.types.underlying(ty)),
                methods: methods(program, ty, &name),
                declared_in,
                name,
            }
        })
        .collect()
}

/// The program's own (package `main`) defined types that `ty` is made of.
fn collect_named(types: &Types, ty: TypeId, seen: &mut BTreeSet<u32>, out: &mut BTreeMap<String, TypeId>) {
    if !seen.insert(ty.0) {
        return;
    }
    match types.kind(ty) {
        TypeKind::Named(index) => {
            if let Some(info) = types.named.get(*index as usize)
                && info.package.is_none()
            {
                out.entry(types.display(ty)).or_insert(ty);
            }
            collect_named(types, types.underlying(ty), seen, out);
        }
        TypeKind::Pointer(e) | TypeKind::Slice(e) | TypeKind::Array(_, e) | TypeKind::Chan(_, e) => {
            collect_named(types, *e, seen, out)
        }
        TypeKind::Map(k, v) => {
            collect_named(types, *k, seen, out);
            collect_named(types, *v, seen, out);
        }
        TypeKind::Struct(fields) => {
            for field in fields {
                collect_named(types, field.ty, seen, out);
            }
        }
        TypeKind::Func(sig) => {
            for t in sig.params.iter().chain(&sig.results) {
                collect_named(types, *t, seen, out);
            }
        }
        TypeKind::Interface(methods) => {
            for method in methods {
                collect_named(types, method.sig, seen, out);
            }
        }
        _ => {}
    }
}

/// `func (T) M(params) results` / `func (*T) M(...)` for each method
/// declared on `ty` (not those promoted from embedded fields).
fn methods(program: &hir::Program, ty: TypeId, name: &str) -> Vec<String> {
    let types = &program.types;
    let TypeKind::Named(index) = types.kind(ty) else { return Vec::new() };
    let Some(info) = types.named.get(*index as usize) else { return Vec::new() };
    let mut out: Vec<String> = info
        .methods
        .iter()
        .filter(|m| !m.promoted)
        .filter_map(|m| {
            let func = program.funcs.get(m.func as usize)?;
            let mut params: Vec<TypeId> = func.params.iter().skip(1).map(|p| program.local(*p).ty).collect();
            if func.variadic
                && let Some(last) = params.last_mut()
            {
                *last = types.elem(*last).unwrap_or(*last);
            }
            let sig = Signature { params, results: func.results.clone(), variadic: func.variadic };
            let text = types.signature_text(&sig);
            let receiver = if m.pointer_receiver { format!("*{name}") } else { name.to_string() };
            Some(format!("func ({receiver}) {}{}", m.name, text.trim_start_matches("func")))
        })
        .collect();
    out.sort();
    out
}
