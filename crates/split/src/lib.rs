//! Scope analysis: which nanoservices a program or mesh consists of, where a
//! flow enters each one, and which variables travel at every `goToNetwork`.
//!
//! A mesh of nanoservice configs is resolved as the brief (section 5) says: a
//! name used but not declared in a nanoservice is *free* there, and is bound
//! by the scope of the upstream nanoservices that hop to it. What a
//! nanoservice receives is what it or anything downstream of it still needs:
//!
//! ```text
//! needs(U) = free(U) ∪ ⋃ over hops U→V of (needs(V) − declared in U at the hop)
//! ```
//!
//! computed as a least fixpoint, so a variable only used further downstream
//! passes through the nanoservices in between. Types flow the other way, from
//! the entry along the hops.

mod closures;
mod errors;
mod graph_kinds;
mod plan_text;
mod upstream;
mod whole;

pub use errors::SplitError;
pub use plan_text::plan_text;
pub use whole::{insert_hops, per_line_hops, resident_library_globals, travelling_globals};

use g2n_abi::TypeTag;
use g2n_base::Span;
use g2n_sema::hir::{self, LocalId, LocalKind};
use g2n_sema::{FreeVars, SemaError};
use g2n_syntax::ast;
use std::collections::{BTreeMap, BTreeSet};

/// One nanoservice's source as the driver read it.
pub struct UnitSource<'a> {
    pub name: String,
    /// The span that names the unit (its `name:` field or its `code:` block),
    /// for diagnostics about the unit as a whole.
    pub span: Span,
    pub file: &'a ast::File,
}

/// The analysed mesh: every unit with its checked program, entries and exits.
#[derive(Debug)]
pub struct MeshPlan {
    pub units: Vec<UnitPlan>,
    /// Index into `units` of the nanoservice where flows start.
    pub entry: usize,
}

#[derive(Debug)]
pub struct UnitPlan {
    pub name: String,
    pub span: Span,
    /// Shared: every nanoservice of a split program holds the same program
    /// (a per-line split of a long `main` has one unit per line).
    pub program: std::sync::Arc<hir::Program>,
    pub entries: Vec<EntryPlan>,
    pub exits: Vec<ExitPlan>,
    /// A nanoservice of a split program (docs/split.md): `program` is the
    /// whole program, entries resume after a hop, package-level variables
    /// are initialised at resume point 0 only, and a hop to the unit itself
    /// is a no-op.
    pub whole_program: bool,
    /// What a separately compiled config registers for the scope graphs it
    /// receives beyond what its own code uses (empty for a split program,
    /// whose one object serves every nanoservice).
    pub graph_registry: GraphRegistry,
    /// Package-level names (types, functions, constants; methods as
    /// `T.M`) declared by an upstream config and resolved from it, with
    /// that config's name (see `upstream.rs`).
    pub resolved_from: BTreeMap<String, String>,
    /// The span of every upstream declaration merged into this unit's
    /// program, in the order merged: the unit's compiled code depends on
    /// their text as on its own (its manifest's `content_hash` covers them).
    pub upstream_decls: Vec<Span>,
}

/// The types and functions a nanoservice config makes known to the runtime
/// so that a scope graph from another config can name them: the dynamic
/// type of an interface value, the function a func value holds, neither
/// necessarily used by the receiving code itself.
#[derive(Debug, Clone, Default)]
pub struct GraphRegistry {
    /// Every type the program declares at package level (a merged upstream
    /// declaration included) and the pointer to it.
    pub types: Vec<g2n_sema::types::TypeId>,
    /// Every function declared at package level (not a method, not
    /// generic), with its signature type.
    pub funcs: Vec<(hir::FuncId, g2n_sema::types::TypeId)>,
}

/// A place where a flow starts or resumes on a unit.
#[derive(Debug, Clone)]
pub struct EntryPlan {
    /// Mesh-wide resume point; 0 is the program's start.
    pub resume_point: u32,
    /// The variables received, in slot order (sorted by name).
    pub vars: Vec<CapturedVar>,
    /// In a split program, the hop site after which the flow resumes;
    /// `None` is the start of `main`.
    pub resume_after: Option<u32>,
}

/// How a variable that is not a basic wire value (bool, integer, float,
/// string) travels: as part of the scope's value graph (docs/split.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphSlot {
    /// Its value travels (a local kept in registers, a package-level
    /// variable): every object it reaches is copied once.
    Value,
    /// A local kept in memory (its address is taken, a closure captures it,
    /// or it is a struct or array): its storage travels as a graph object, so
    /// pointers and closures that share it still share it after the hop.
    Cell,
}

#[derive(Debug, Clone)]
pub struct CapturedVar {
    pub name: String,
    /// The unit's free local that the value binds, or `None` when the unit
    /// only passes the value on downstream.
    pub local: Option<LocalId>,
    pub go_type: String,
    /// The basic wire type; [`TypeTag::Nil`] for a graph variable.
    pub tag: TypeTag,
    pub graph: Option<GraphSlot>,
    /// The upstream units that hop here with this variable.
    pub provided_by: Vec<String>,
}

/// A `goToNetwork` statement of a unit.
#[derive(Debug, Clone)]
pub struct ExitPlan {
    /// The hop's index in [`hir::Program::hops`], also the exit index in the
    /// unit descriptor.
    pub index: u32,
    pub target: String,
    pub resume_point: u32,
    pub vars: Vec<SentVar>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct SentVar {
    pub name: String,
    pub source: VarSource,
    pub go_type: String,
    pub tag: TypeTag,
    pub graph: Option<GraphSlot>,
}

/// Where the value of a sent variable comes from in the sending unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarSource {
    Local(LocalId),
    /// A received variable the unit does not use itself: its entry slot with
    /// this name.
    PassThrough,
}

/// Any diagnostic the analysis produces, from type checking or from the mesh.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
pub enum AnalysisError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Sema(#[from] SemaError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Split(#[from] SplitError),
}

/// Per-unit facts gathered from one checking round.
struct UnitFacts {
    program: hir::Program,
    sema_errors: Vec<SemaError>,
    /// Free names with the span of their first use.
    free: BTreeMap<String, Span>,
}

impl UnitFacts {
    /// Its free names, and the names declared at each hop: what
    /// [`compute_needs`] reads of a unit.
    fn names(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let declared = (0..self.program.hops.len()).map(|site| self.declared_at(site).into_keys().collect()).collect();
        (self.free.keys().cloned().collect(), declared)
    }

    /// Locals declared (not free) and visible at hop `site`, by name.
    fn declared_at(&self, site: usize) -> BTreeMap<String, LocalId> {
        let Some(hop) = self.program.hops.get(site) else { return BTreeMap::new() };
        hop.visible
            .iter()
            .filter(|l| self.program.local(**l).kind != LocalKind::Free)
            .map(|l| (self.program.local(*l).name.clone(), *l))
            .collect()
    }
}

fn check_unit(file: &ast::File, known_types: &BTreeMap<String, String>) -> UnitFacts {
    let (program, mut sema_errors) = g2n_sema::check(file, FreeVars::Allowed(known_types));
    // An import of an upstream config merged in with its declarations
    // (crate::upstream) is that config's to use, not this one's.
    sema_errors.retain(|e| !matches!(e, SemaError::ImportedNotUsed { span, .. } if span.file != file.span.file));
    let free = program
        .free_locals()
        .map(|l| (program.local(l).name.clone(), program.local(l).span))
        .collect();
    UnitFacts { program, sema_errors, free }
}

/// Analyses a single Go program: one unit, the entry, when it has no
/// `goToNetwork`; otherwise the program split at its hops (docs/split.md).
pub fn plan_program(name: &str, span: Span, file: &ast::File) -> (Option<MeshPlan>, Vec<AnalysisError>) {
    let (program, sema_errors) = g2n_sema::check(file, FreeVars::Forbidden);
    let mut errors: Vec<AnalysisError> = sema_errors.into_iter().map(AnalysisError::from).collect();
    // Every use of a local is in this one program, so "declared and not
    // used" is judged here for the locals sema left to the mesh.
    for hop in &program.hops {
        for &local in &hop.visible {
            let l = program.local(local);
            if l.kind == LocalKind::Var && !l.used {
                errors.push(SemaError::DeclaredNotUsed { name: l.name.clone(), span: l.span }.into());
            }
        }
    }
    let mut seen = BTreeSet::new();
    errors.retain(|e| seen.insert(format!("{e:?}")));
    if !errors.is_empty() {
        return (None, errors);
    }
    if !program.hops.is_empty() {
        return whole::plan_split(name, span, program);
    }
    let unit = UnitPlan {
        name: name.to_string(),
        span,
        program: std::sync::Arc::new(program),
        entries: vec![EntryPlan { resume_point: 0, vars: Vec::new(), resume_after: None }],
        exits: Vec::new(),
        whole_program: false,
        graph_registry: GraphRegistry::default(),
        resolved_from: BTreeMap::new(),
        upstream_decls: Vec::new(),
    };
    (Some(MeshPlan { units: vec![unit], entry: 0 }), Vec::new())
}

/// Analyses a mesh of nanoservices (one file each).
pub fn plan_mesh(sources: &[UnitSource<'_>]) -> (Option<MeshPlan>, Vec<AnalysisError>) {
    let mut errors: Vec<AnalysisError> = Vec::new();
    let index_of: BTreeMap<&str, usize> = sources.iter().enumerate().map(|(i, s)| (s.name.as_str(), i)).collect();
    for (i, source) in sources.iter().enumerate() {
        if let Some(&first) = index_of.get(source.name.as_str())
            && first != i
        {
            errors.push(SplitError::DuplicateUnit { name: source.name.clone(), span: source.span }.into());
        }
    }

    // Round one: check with no known types to learn free names and hops.
    let empty = BTreeMap::new();
    let mut facts: Vec<UnitFacts> = sources.iter().map(|s| check_unit(s.file, &empty)).collect();

    // Hops: (from unit, site) -> to unit.
    let mut edges: Vec<(usize, usize, usize)> = Vec::new();
    for (from, unit) in facts.iter().enumerate() {
        for (site, hop) in unit.program.hops.iter().enumerate() {
            match index_of.get(hop.target.as_str()) {
                Some(&to) => edges.push((from, site, to)),
                None => errors.push(
                    SplitError::UnknownTarget {
                        target: hop.target.clone(),
                        known: index_of.keys().map(|k| k.to_string()).collect::<Vec<_>>().join(", "),
                        span: hop.target_span,
                    }
                    .into(),
                ),
            }
        }
    }

    // A config's deferred calls would have to run where its flow ends, on
    // another nanoservice, which configs cannot express yet.
    for unit in &facts {
        let main = unit.program.main.map(|m| unit.program.func(m));
        if let (Some(main), false) = (main, unit.program.hops.is_empty())
            && let Some(span) = whole::first_defer(&main.body.stmts)
        {
            errors.push(SplitError::DeferWithHops { span }.into());
        }
    }

    let entry = match find_entry(sources, &edges) {
        Ok(entry) => entry,
        Err(error) => {
            errors.push(error.into());
            return (None, errors);
        }
    };

    // Declarations from upstream: each unit is checked again with the
    // package-level declarations of the units upstream of it merged in.
    let plain_files: Vec<&ast::File> = sources.iter().map(|s| s.file).collect();
    let names: Vec<String> = sources.iter().map(|s| s.name.clone()).collect();
    let providers = upstream::upstream_providers(&plain_files, &edges);
    let mut merged: Vec<Option<upstream::MergedFile>> = Vec::with_capacity(sources.len());
    let mut conflicts = Vec::new();
    for (i, upstream) in providers.iter().enumerate() {
        merged.push(if upstream.is_empty() {
            None
        } else {
            upstream::merged_file(&plain_files, &names, i, upstream, &mut conflicts)
        });
    }
    // One conflict is seen by every unit downstream of both declarations:
    // reported once, for the first of them.
    let mut seen_conflicts = BTreeSet::new();
    conflicts.retain(|c| match c {
        SplitError::DeclarationConflict { name, first, second, .. } => seen_conflicts.insert((name.clone(), *first, *second)),
        _ => true,
    });
    if !conflicts.is_empty() {
        errors.extend(conflicts.into_iter().map(AnalysisError::from));
        return (None, errors);
    }
    let files: Vec<&ast::File> =
        merged.iter().zip(&plain_files).map(|(m, plain)| m.as_ref().map_or(*plain, |m| &m.file)).collect();
    for (i, file) in files.iter().enumerate() {
        if merged[i].is_some() {
            facts[i] = check_unit(file, &empty);
        }
    }

    // Round two onwards: types flow along the hops until nothing changes. A
    // unit is checked again only when the types it receives changed, and
    // only the targets of a re-checked unit are looked at again, so a chain
    // of N configs costs about 2N checks, not N rounds of N checks.
    let edges_of = EdgeIndex::new(facts.len(), &edges);
    let mut needs = compute_needs(&facts, &edges, &edges_of);
    let mut captured_types: Vec<BTreeMap<String, (String, Vec<String>)>> = vec![BTreeMap::new(); facts.len()];
    let mut checks = vec![0usize; facts.len()];
    let mut queued = vec![true; facts.len()];
    let mut work: std::collections::VecDeque<usize> = (0..facts.len()).collect();
    while let Some(from) = work.pop_front() {
        queued[from] = false;
        let mut targets: Vec<usize> = edges_of.outgoing[from].iter().map(|&e| edges[e].2).collect();
        targets.sort_unstable();
        targets.dedup();
        let mut reshaped = false;
        for to in targets {
            let (next, _) = received_types(&facts, &edges, &edges_of, &needs, &captured_types, sources, to);
            // Bounded as the rounds were: types that keep changing around a
            // cycle stop after as many checks as there are units.
            if next == captured_types[to] || checks[to] > sources.len() {
                continue;
            }
            captured_types[to] = next;
            let known: BTreeMap<String, String> =
                captured_types[to].iter().map(|(name, (ty, _))| (name.clone(), ty.clone())).collect();
            let before = facts[to].names();
            facts[to] = check_unit(files[to], &known);
            checks[to] += 1;
            // What a unit needs depends on its free and declared names only,
            // which knowing more types rarely changes.
            reshaped |= facts[to].names() != before;
            if !queued[to] {
                queued[to] = true;
                work.push_back(to);
            }
        }
        if reshaped {
            let old = std::mem::replace(&mut needs, compute_needs(&facts, &edges, &edges_of));
            // A unit whose needs changed receives other names: its sources
            // are looked at again.
            for (unit, (was, is)) in old.iter().zip(&needs).enumerate() {
                if was == is {
                    continue;
                }
                for &e in &edges_of.incoming[unit] {
                    let from = edges[e].0;
                    if !queued[from] {
                        queued[from] = true;
                        work.push_back(from);
                    }
                }
            }
        }
    }
    // The disagreements of the settled types, as the last round saw them.
    let mut type_errors = Vec::new();
    for to in 0..facts.len() {
        type_errors.extend(received_types(&facts, &edges, &edges_of, &needs, &captured_types, sources, to).1);
    }
    // In hop order, as one pass over the hops reports them.
    type_errors.sort_by_key(|(edge, _)| *edge);
    let type_errors: Vec<SplitError> = type_errors.into_iter().map(|(_, e)| e).collect();
    errors.extend(type_errors.into_iter().map(AnalysisError::from));

    // Every free name must be provided on the way from the entry.
    let provided = compute_provided(&facts, &edges, &edges_of, &needs, entry);
    for (i, unit) in facts.iter().enumerate() {
        for (name, span) in &unit.free {
            let is_provided = provided[i].as_ref().is_some_and(|p| p.contains(name));
            if !is_provided || !captured_types[i].contains_key(name) {
                errors.push(
                    SplitError::UnresolvedFreeVariable {
                        name: name.clone(),
                        unit: sources[i].name.clone(),
                        span: *span,
                        reachable: provided[i].is_some(),
                    }
                    .into(),
                );
            }
        }
    }

    // Type errors of the final round, and "declared but not used" judged
    // across the mesh: a local visible at a hop is used if the target needs it.
    for (i, unit) in facts.iter_mut().enumerate() {
        let sent: BTreeSet<LocalId> = edges_of.outgoing[i]
            .iter()
            .map(|&e| edges[e])
            .flat_map(|(_, site, to)| {
                let declared = unit.declared_at(site);
                needs[to].iter().filter_map(move |n| declared.get(n).copied()).collect::<Vec<_>>()
            })
            .collect();
        for error in unit.sema_errors.drain(..) {
            errors.push(error.into());
        }
        for hop in &unit.program.hops {
            // A hop to an unknown target is already an error; what it would
            // have sent is not judged unused on top of it.
            if !index_of.contains_key(hop.target.as_str()) {
                continue;
            }
            for &local in &hop.visible {
                let l = unit.program.local(local);
                if l.kind == LocalKind::Var && !l.used && !sent.contains(&local) && l.name != "_" {
                    let error = SemaError::DeclaredNotUsed { name: l.name.clone(), span: l.span };
                    if !errors.iter().any(|e| matches!(e, AnalysisError::Sema(s) if *s == error)) {
                        errors.push(error.into());
                    }
                }
            }
        }
    }
    if !errors.is_empty() {
        // A merged upstream declaration's errors are its config's too.
        let mut seen = BTreeSet::new();
        errors.retain(|e| seen.insert(format!("{e:?}")));
        return (None, errors);
    }

    // How each received variable travels, decided once for its senders and
    // its receiver (see graph_kinds).
    let kinds = graph_kinds::decide(&mut facts, &edges, &needs, &captured_types);

    // Build the plan.
    let start_point = |unit: usize| -> u32 {
        // Units other than the entry are numbered 1.. in mesh order.
        match unit.cmp(&entry) {
            std::cmp::Ordering::Equal => 0,
            std::cmp::Ordering::Less => unit as u32 + 1,
            std::cmp::Ordering::Greater => unit as u32,
        }
    };
    let mut units = Vec::new();
    for (i, mut unit) in facts.into_iter().enumerate() {
        let free_locals: BTreeMap<String, LocalId> =
            unit.program.free_locals().map(|l| (unit.program.local(l).name.clone(), l)).collect();
        let mut vars = Vec::new();
        for name in &needs[i] {
            let Some((go_type, provided_by)) = captured_types[i].get(name) else { continue };
            let local = free_locals.get(name).copied();
            let Some((tag, graph)) = kinds.get(&(i, name.clone())).copied() else {
                // Reported once per hop that would send it, at the hop
                // (below); here only when no hop leads to this unit.
                if edges_of.incoming[i].is_empty() {
                    errors.push(
                        SplitError::UntransferableType { name: name.clone(), go_type: go_type.clone(), span: sources[i].span }
                            .into(),
                    );
                }
                continue;
            };
            if let Some(l) = local
                && unit.program.local(l).ty == g2n_sema::types::Types::INVALID
            {
                errors.push(
                    SplitError::UnknownUpstreamType {
                        name: name.clone(),
                        go_type: go_type.clone(),
                        unit: sources[i].name.clone(),
                        span: unit.free.get(name).copied().unwrap_or(sources[i].span),
                    }
                    .into(),
                );
                continue;
            }
            vars.push(CapturedVar {
                name: name.clone(),
                local,
                go_type: go_type.clone(),
                tag,
                graph,
                provided_by: provided_by.clone(),
            });
        }
        let mut exits = Vec::new();
        let closure_values = closures::ClosureValues::of(&unit.program);
        let mut closures_reported = BTreeSet::new();
        for &(_, site, to) in edges_of.outgoing[i].iter().map(|&e| &edges[e]) {
            let declared = unit.declared_at(site);
            let hop = &unit.program.hops[site];
            let mut sent = Vec::new();
            for name in &needs[to] {
                let (source, go_type) = match declared.get(name) {
                    Some(&local) => {
                        (VarSource::Local(local), unit.program.types.display(unit.program.local(local).ty))
                    }
                    None => match free_locals.get(name) {
                        Some(&local) => (VarSource::Local(local), captured_types[i].get(name).map(|t| t.0.clone()).unwrap_or_default()),
                        None => (VarSource::PassThrough, captured_types[i].get(name).map(|t| t.0.clone()).unwrap_or_default()),
                    },
                };
                let Some((tag, graph)) = kinds.get(&(to, name.clone())).copied() else {
                    errors.push(SplitError::UntransferableType { name: name.clone(), go_type, span: hop.span }.into());
                    continue;
                };
                if graph.is_some()
                    && let VarSource::Local(local) = &source
                {
                    let reach = closures::Reach::of(&unit.program.types, unit.program.local(*local).ty);
                    if !reach.is_empty()
                        && let Some(closure) = closure_values.first_reached(&reach)
                        && closures_reported.insert(closure)
                    {
                        errors.push(
                            SplitError::ClosureBetweenConfigs {
                                name: name.clone(),
                                go_type: go_type.clone(),
                                target: sources[to].name.clone(),
                                span: closure,
                                hop: hop.span,
                            }
                            .into(),
                        );
                    }
                }
                sent.push(SentVar { name: name.clone(), source, go_type, tag, graph });
            }
            exits.push(ExitPlan {
                index: site as u32,
                target: sources[to].name.clone(),
                resume_point: start_point(to),
                vars: sent,
                span: hop.span,
            });
        }
        let receives_graph = vars.iter().any(|v| v.graph.is_some());
        let graph_registry =
            if receives_graph { graph_kinds::registry(&mut unit.program, files[i]) } else { GraphRegistry::default() };
        units.push(UnitPlan {
            name: sources[i].name.clone(),
            span: sources[i].span,
            program: std::sync::Arc::new(unit.program),
            entries: vec![EntryPlan { resume_point: start_point(i), vars, resume_after: None }],
            exits,
            whole_program: false,
            graph_registry,
            resolved_from: merged[i].as_ref().map(|m| m.resolved_from.clone()).unwrap_or_default(),
            upstream_decls: merged[i].as_ref().map(|m| m.decl_spans.clone()).unwrap_or_default(),
        });
    }
    if !errors.is_empty() {
        return (None, errors);
    }
    (Some(MeshPlan { units, entry }), errors)
}

/// The entry is the only unit no hop leads to.
fn find_entry(sources: &[UnitSource<'_>], edges: &[(usize, usize, usize)]) -> Result<usize, SplitError> {
    let targets: BTreeSet<usize> = edges.iter().map(|e| e.2).collect();
    let candidates: Vec<usize> = (0..sources.len()).filter(|i| !targets.contains(i)).collect();
    match candidates.as_slice() {
        [single] => Ok(*single),
        [] => Err(SplitError::NoEntry { span: sources.first().map(|s| s.span).unwrap_or_default() }),
        [first, second, ..] => Err(SplitError::SeveralEntries {
            first: sources[*first].name.clone(),
            second: sources[*second].name.clone(),
            span: sources[*second].span,
        }),
    }
}

/// The hops leaving and entering each unit, as indexes into the edge list.
struct EdgeIndex {
    outgoing: Vec<Vec<usize>>,
    incoming: Vec<Vec<usize>>,
}

impl EdgeIndex {
    fn new(units: usize, edges: &[(usize, usize, usize)]) -> EdgeIndex {
        let mut index = EdgeIndex { outgoing: vec![Vec::new(); units], incoming: vec![Vec::new(); units] };
        for (e, &(from, _, to)) in edges.iter().enumerate() {
            index.outgoing[from].push(e);
            index.incoming[to].push(e);
        }
        index
    }
}

/// The variables unit `to` receives, with their types and providers, from
/// every hop leading to it as the units are checked now; and, by edge
/// index, the hops that send a name with a type other than the first hop's.
#[allow(clippy::type_complexity)]
fn received_types(
    facts: &[UnitFacts],
    edges: &[(usize, usize, usize)],
    edges_of: &EdgeIndex,
    needs: &[BTreeSet<String>],
    captured_types: &[BTreeMap<String, (String, Vec<String>)>],
    sources: &[UnitSource<'_>],
    to: usize,
) -> (BTreeMap<String, (String, Vec<String>)>, Vec<(usize, SplitError)>) {
    let mut next: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    let mut type_errors = Vec::new();
    // The hop that first sent each name, for the error's second label.
    let mut first_hop: BTreeMap<String, Span> = BTreeMap::new();
    for &edge in &edges_of.incoming[to] {
        let (from, site, _) = edges[edge];
        let declared = facts[from].declared_at(site);
        for name in &needs[to] {
            let ty = match declared.get(name) {
                Some(&local) => {
                    let program = &facts[from].program;
                    Some(program.types.display(program.local(local).ty))
                }
                None => captured_types[from].get(name).map(|(ty, _)| ty.clone()),
            };
            let Some(ty) = ty else { continue };
            if ty == "invalid type" {
                continue;
            }
            let hop = &facts[from].program.hops[site];
            let first_span = *first_hop.entry(name.clone()).or_insert(hop.span);
            let slot = next.entry(name.clone()).or_insert_with(|| (ty.clone(), Vec::new()));
            if slot.0 != ty {
                type_errors.push((
                    edge,
                    SplitError::TypeDisagreement {
                        name: name.clone(),
                        first: slot.0.clone(),
                        second: ty.clone(),
                        first_from: slot.1.first().cloned().unwrap_or_default(),
                        second_from: sources[from].name.clone(),
                        first_span,
                        span: hop.span,
                    },
                ));
                continue;
            }
            if !slot.1.contains(&sources[from].name) {
                slot.1.push(sources[from].name.clone());
            }
        }
    }
    (next, type_errors)
}

/// `needs(U)` for every unit, as a least fixpoint over the hops: a unit is
/// looked at again only when what one of its targets needs has grown.
fn compute_needs(facts: &[UnitFacts], edges: &[(usize, usize, usize)], edges_of: &EdgeIndex) -> Vec<BTreeSet<String>> {
    let mut needs: Vec<BTreeSet<String>> = facts.iter().map(|f| f.free.keys().cloned().collect()).collect();
    let mut queued = vec![true; facts.len()];
    let mut work: std::collections::VecDeque<usize> = (0..facts.len()).rev().collect();
    while let Some(to) = work.pop_front() {
        queued[to] = false;
        for &(from, site, _) in edges_of.incoming[to].iter().map(|&e| &edges[e]) {
            let declared = facts[from].declared_at(site);
            let inherited: Vec<String> = needs[to].iter().filter(|n| !declared.contains_key(*n)).cloned().collect();
            let mut changed = false;
            for name in inherited {
                changed |= needs[from].insert(name);
            }
            if changed && !queued[from] {
                queued[from] = true;
                work.push_back(from);
            }
        }
    }
    needs
}

/// For each unit reachable from the entry, the names it needs that every
/// incoming path provides (a greatest fixpoint); `None` for unreachable
/// units. Only needed names are kept: a name a unit does not need is not
/// needed upstream of it through that unit either, so nothing is lost, and
/// a long chain does not carry every name declared before each link.
fn compute_provided(
    facts: &[UnitFacts],
    edges: &[(usize, usize, usize)],
    edges_of: &EdgeIndex,
    needs: &[BTreeSet<String>],
    entry: usize,
) -> Vec<Option<BTreeSet<String>>> {
    let mut provided: Vec<Option<BTreeSet<String>>> = vec![None; facts.len()];
    provided[entry] = Some(BTreeSet::new());
    let mut queued = vec![false; facts.len()];
    let mut work = std::collections::VecDeque::new();
    let push_targets = |from: usize, work: &mut std::collections::VecDeque<usize>, queued: &mut [bool]| {
        for &e in &edges_of.outgoing[from] {
            let to = edges[e].2;
            if to != entry && !queued[to] {
                queued[to] = true;
                work.push_back(to);
            }
        }
    };
    push_targets(entry, &mut work, &mut queued);
    while let Some(to) = work.pop_front() {
        queued[to] = false;
        let mut meet: Option<BTreeSet<String>> = None;
        for &(from, site, _) in edges_of.incoming[to].iter().map(|&e| &edges[e]) {
            let Some(upstream) = &provided[from] else { continue };
            let declared = facts[from].declared_at(site);
            let here: BTreeSet<String> =
                needs[to].iter().filter(|n| declared.contains_key(*n) || upstream.contains(*n)).cloned().collect();
            meet = Some(match meet {
                None => here,
                Some(m) => m.intersection(&here).cloned().collect(),
            });
        }
        if meet != provided[to] {
            provided[to] = meet;
            push_targets(to, &mut work, &mut queued);
        }
    }
    provided
}
