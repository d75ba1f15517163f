//! How each variable travels between separate configs, and what a config
//! registers for the scope graphs it receives.
//!
//! Between the nanoservices of one split program, one liveness plan decides
//! both ends of every hop. Separate configs are compiled apart, so the
//! sender's exit and the receiver's entry must be made to agree here: a
//! variable travels as a basic wire value (bool, integers, floats, string),
//! a graph value, or a graph *cell* (its storage itself, so that pointers
//! and closures sharing it still share it after the hop). It is a cell when
//! any sender keeps it in memory (its address is taken, a closure captures
//! it, or it is a struct or array): then every sender and the receiver keep
//! it in memory too (their locals are marked as escaping, which is how
//! codegen is told), and the rule is applied again downstream until nothing
//! changes.

use crate::whole::{graph_travels, wire_tag};
use crate::{GraphRegistry, GraphSlot, UnitFacts};
use g2n_abi::TypeTag;
use g2n_sema::hir::{self, FuncId, LocalId, LocalKind};
use g2n_sema::types::{Signature, TypeKind, Types};
use g2n_syntax::ast;
use std::collections::{BTreeMap, BTreeSet};

/// For each (receiving unit, variable name): its wire tag and graph slot.
/// A variable missing here cannot travel.
pub(crate) type Kinds = BTreeMap<(usize, String), (TypeTag, Option<GraphSlot>)>;

fn in_memory(program: &hir::Program, local: LocalId) -> bool {
    let l = program.local(local);
    l.kind != LocalKind::Global && (l.escapes || program.types.is_aggregate(l.ty))
}

fn free_local(program: &hir::Program, name: &str) -> Option<LocalId> {
    program.free_locals().find(|l| program.local(*l).name == name)
}

/// The senders of every (receiving unit, name): (sending unit, its local).
fn senders(facts: &[UnitFacts], edges: &[(usize, usize, usize)], needs: &[BTreeSet<String>]) -> BTreeMap<(usize, String), Vec<(usize, LocalId)>> {
    let free: Vec<BTreeMap<String, LocalId>> = facts
        .iter()
        .map(|f| f.program.free_locals().map(|l| (f.program.local(l).name.clone(), l)).collect())
        .collect();
    let mut out: BTreeMap<(usize, String), Vec<(usize, LocalId)>> = BTreeMap::new();
    for &(from, site, to) in edges {
        let declared = facts[from].declared_at(site);
        for name in &needs[to] {
            let local = declared.get(name).or_else(|| free[from].get(name)).copied();
            if let Some(local) = local {
                out.entry((to, name.clone())).or_default().push((from, local));
            }
        }
    }
    out
}

pub(crate) fn decide(
    facts: &mut [UnitFacts],
    edges: &[(usize, usize, usize)],
    needs: &[BTreeSet<String>],
    captured_types: &[BTreeMap<String, (String, Vec<String>)>],
) -> Kinds {
    let senders = senders(facts, edges, needs);
    let receivers: BTreeMap<(usize, String), LocalId> =
        senders.keys().filter_map(|(to, name)| free_local(&facts[*to].program, name).map(|l| ((*to, name.clone()), l))).collect();
    // Cells, to a fixpoint: marking a receiver may make it a sender in memory.
    let mut cells: BTreeSet<(usize, String)> = BTreeSet::new();
    loop {
        let mut changed = false;
        for (key, from) in &senders {
            if cells.contains(key) || !from.iter().any(|&(unit, local)| in_memory(&facts[unit].program, local)) {
                continue;
            }
            cells.insert(key.clone());
            changed = true;
            let marks = from.iter().copied().chain(receivers.get(key).map(|&l| (key.0, l)));
            for (unit, local) in marks {
                if let Some(l) = facts[unit].program.locals.get_mut(local.0 as usize)
                    && l.kind != LocalKind::Global
                {
                    l.escapes = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let mut kinds = Kinds::new();
    for (to, captured) in captured_types.iter().enumerate() {
        for name in captured.keys() {
            let key = (to, name.clone());
            let (program, ty) = match receivers.get(&key) {
                Some(&local) => (&facts[to].program, facts[to].program.local(local).ty),
                None => match senders.get(&key).and_then(|s| s.first()) {
                    Some(&(from, local)) => (&facts[from].program, facts[from].program.local(local).ty),
                    None => continue,
                },
            };
            let types = &program.types;
            let kind = if ty == Types::INVALID {
                // Reported by the caller (a type the receiver cannot name).
                Some((TypeTag::Nil, Some(GraphSlot::Value)))
            } else if cells.contains(&key) {
                graph_travels(types, ty, &mut BTreeSet::new()).then_some((TypeTag::Nil, Some(GraphSlot::Cell)))
            } else if let Some(tag) = wire_tag(types, ty) {
                Some((tag, None))
            } else {
                graph_travels(types, ty, &mut BTreeSet::new()).then_some((TypeTag::Nil, Some(GraphSlot::Value)))
            };
            if let Some(kind) = kind {
                kinds.insert(key, kind);
            }
        }
    }
    kinds
}

/// What a config that receives scope graphs registers with the runtime
/// (`GraphRegistry`): every package-level type of the program and the
/// pointer to it, every package-level function with its signature type
/// (interned here, so that codegen finds them).
pub(crate) fn registry(program: &mut hir::Program, file: &ast::File) -> GraphRegistry {
    let mut registry = GraphRegistry::default();
    for index in 0..program.types.named.len() {
        let named = &program.types.named[index];
        if named.package.is_some() || named.underlying == Types::INVALID {
            continue;
        }
        let ty = program.types.intern(TypeKind::Named(index as u32));
        let pointer = program.types.intern(TypeKind::Pointer(ty));
        registry.types.push(ty);
        registry.types.push(pointer);
    }
    for decl in &file.decls {
        let ast::Decl::Func(func) = decl else { continue };
        if func.recv.is_some() || !func.type_params.is_empty() || func.body.is_none() {
            continue;
        }
        if func.name.name == "main" || func.name.name == "init" {
            continue;
        }
        let Some(index) = program.funcs.iter().position(|f| f.span == func.span && f.captures.is_none()) else { continue };
        let f = &program.funcs[index];
        let sig = Signature {
            params: f.params.iter().map(|p| program.local(*p).ty).collect(),
            results: f.results.clone(),
            variadic: f.variadic,
        };
        if sig.params.contains(&Types::INVALID) || sig.results.contains(&Types::INVALID) {
            continue;
        }
        let ty = program.types.intern(TypeKind::Func(sig));
        registry.funcs.push((FuncId(index as u32), ty));
    }
    registry
}
