//! Splitting one Go program at its `goToNetwork` statements (docs/split.md).
//!
//! Every nanoservice of a split program holds the whole program; what makes
//! them different is where a flow may enter them (their resume points) and
//! which hops they may execute (their exits). Resume point 0 is the start of
//! `main`; the hop with site `s` (its index in [`hir::Program::hops`]) resumes
//! its target at resume point `s + 1`, right after the statement.
//!
//! What travels at a hop is decided by liveness on a control-flow graph of
//! `main`: a local of `main` travels when it is live right after the hop (read
//! again on some path before being overwritten). Package-level variables are
//! not in the graph (any call may read them): every package-level variable
//! that the program reads anywhere travels at every hop, since a resumed
//! nanoservice does not run the package initialisers again.

use crate::{AnalysisError, CapturedVar, EntryPlan, ExitPlan, GraphSlot, MeshPlan, SentVar, SplitError, UnitPlan, VarSource};
use g2n_abi::TypeTag;
use g2n_base::Span;
use g2n_sema::hir::{self, ExprId, ExprKind, LocalId, LocalKind, StmtKind};
use g2n_syntax::ast;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// One node of `main`'s control-flow graph: a simple statement, a branch
/// condition, or a hop.
#[derive(Debug, Default)]
struct Node {
    uses: BTreeSet<LocalId>,
    defs: BTreeSet<LocalId>,
    succ: Vec<usize>,
    /// The hop site, for a `goToNetwork` node.
    hop: Option<u32>,
}

/// The control-flow graph of `main`'s body.
struct Cfg {
    nodes: Vec<Node>,
    /// The node where `main` starts.
    start: usize,
    /// The node of every hop site.
    hop_nodes: BTreeMap<u32, usize>,
}

struct CfgBuilder<'p> {
    program: &'p hir::Program,
    nodes: Vec<Node>,
    /// Targets of `break`/`continue`, innermost last, with the label of
    /// the statement they belong to.
    breaks: Vec<(Option<u32>, usize)>,
    continues: Vec<(Option<u32>, usize)>,
    /// The label of a `Labeled` statement, until the loop or switch it
    /// labels takes it.
    pending_label: Option<u32>,
    /// One node per label, the target of its `goto`s (made at first sight,
    /// as a `goto` may come before or after its label).
    label_nodes: BTreeMap<u32, usize>,
    hop_nodes: BTreeMap<u32, usize>,
}

impl CfgBuilder<'_> {
    fn node(&mut self, node: Node) -> usize {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// Whether an assignment overwrites the whole value of `local`, so that
    /// its previous value is dead. Locals kept in memory may be reached
    /// through pointers and closures: they are never killed.
    fn label_node(&mut self, label: u32) -> usize {
        if let Some(node) = self.label_nodes.get(&label) {
            return *node;
        }
        let node = self.node(Node::default());
        self.label_nodes.insert(label, node);
        node
    }

    fn kills(&self, local: LocalId) -> bool {
        let l = self.program.local(local);
        // Sema's unnamed temporaries (a received value, a multi-assignment's
        // results) are never reached through pointers: writing one ends the
        // old value even when it is kept in memory.
        l.kind != LocalKind::Global && (l.name.is_empty() || (!l.escapes && !self.program.types.is_aggregate(l.ty)))
    }

    /// A named local of `main` that pointers or closures may reach: one
    /// that escapes, or a struct or array (sema does not mark taking an
    /// aggregate's address, its storage is always memory).
    fn shared_storage(&self, local: LocalId) -> bool {
        let l = self.program.local(local);
        l.kind != LocalKind::Global && !l.name.is_empty() && (l.escapes || self.program.types.is_aggregate(l.ty))
    }

    fn uses_of(&self, exprs: &[ExprId]) -> BTreeSet<LocalId> {
        let mut uses = BTreeSet::new();
        for &e in exprs {
            expr_uses(self.program, e, &mut uses);
        }
        uses
    }

    fn simple(&mut self, exprs: &[ExprId], defs: &[LocalId], next: usize) -> usize {
        let mut uses = self.uses_of(exprs);
        // Writing a local whose address is taken or that a closure captures
        // writes the storage those pointers and closures share: that
        // storage must be the one they travelled with, so the write needs
        // the variable (its cell) as much as a read does.
        uses.extend(defs.iter().copied().filter(|l| self.shared_storage(*l)));
        let defs = defs.iter().copied().filter(|l| self.kills(*l)).collect();
        self.node(Node { uses, defs, succ: vec![next], hop: None })
    }

    /// Builds `stmts` backwards; returns the entry node, given the node that
    /// follows them.
    fn stmts(&mut self, stmts: &[hir::Stmt], mut next: usize) -> usize {
        for stmt in stmts.iter().rev() {
            next = self.stmt(stmt, next);
        }
        next
    }

    fn stmt(&mut self, stmt: &hir::Stmt, next: usize) -> usize {
        match &stmt.kind {
            StmtKind::Define { local, value } => {
                // A declaration makes a new variable, even for one kept in
                // memory: whatever held the old storage is another value.
                let exprs: Vec<ExprId> = value.iter().copied().collect();
                let node = self.simple(&exprs, &[], next);
                if self.program.local(*local).kind != LocalKind::Global {
                    self.nodes[node].defs.insert(*local);
                }
                node
            }
            StmtKind::Assign { local, value } => self.simple(&[*value], &[*local], next),
            StmtKind::AssignTuple { locals, value } => {
                let defs: Vec<LocalId> = locals.iter().flatten().copied().collect();
                self.simple(&[*value], &defs, next)
            }
            StmtKind::Store { addr, value } => self.simple(&[*addr, *value], &[], next),
            StmtKind::Expr(e) => self.simple(&[*e], &[], next),
            StmtKind::Block(block) => self.stmts(&block.stmts, next),
            StmtKind::If { cond, then, els } => {
                let then_entry = self.stmts(&then.stmts, next);
                let else_entry = match els {
                    Some(els) => self.stmts(&els.stmts, next),
                    None => next,
                };
                let uses = self.uses_of(&[*cond]);
                self.node(Node { uses, succ: vec![then_entry, else_entry], ..Node::default() })
            }
            StmtKind::Loop { cond, body, post } => {
                let uses = self.uses_of(&cond.iter().copied().collect::<Vec<_>>());
                let label = self.pending_label.take();
                let header = self.node(Node { uses, ..Node::default() });
                let post_entry = match post {
                    Some(post) => self.stmt(post, header),
                    None => header,
                };
                self.breaks.push((label, next));
                self.continues.push((label, post_entry));
                let body_entry = self.stmts(&body.stmts, post_entry);
                self.breaks.pop();
                self.continues.pop();
                let mut succ = vec![body_entry];
                if cond.is_some() {
                    succ.push(next);
                }
                self.nodes[header].succ = succ;
                header
            }
            StmtKind::Switch { clauses } => {
                let label = self.pending_label.take();
                self.breaks.push((label, next));
                let mut bodies = vec![next; clauses.len()];
                for (index, clause) in clauses.iter().enumerate().rev() {
                    let after = if clause.fallthrough { bodies.get(index + 1).copied().unwrap_or(next) } else { next };
                    bodies[index] = self.stmts(&clause.body.stmts, after);
                }
                self.breaks.pop();
                let mut chain = clauses.iter().position(|c| c.is_default).map(|i| bodies[i]).unwrap_or(next);
                for (index, clause) in clauses.iter().enumerate().rev() {
                    if clause.is_default {
                        continue;
                    }
                    for cond in clause.conds.iter().rev() {
                        let uses = self.uses_of(&[*cond]);
                        chain = self.node(Node { uses, succ: vec![bodies[index], chain], ..Node::default() });
                    }
                }
                chain
            }
            StmtKind::Break(label) | StmtKind::Continue(label) => {
                let targets = if matches!(stmt.kind, StmtKind::Break(_)) { &self.breaks } else { &self.continues };
                let found = match label {
                    None => targets.last(),
                    Some(label) => targets.iter().rev().find(|(l, _)| *l == Some(*label)),
                };
                // Sema rejects a stray break; the end of main is a safe target.
                let target = found.map(|(_, t)| *t).unwrap_or(0);
                self.node(Node { succ: vec![target], ..Node::default() })
            }
            StmtKind::Labeled { label, stmt: inner } => {
                self.pending_label = Some(*label);
                let entry = self.stmt(inner, next);
                self.pending_label = None;
                let node = self.label_node(*label);
                self.nodes[node].succ = vec![entry];
                node
            }
            StmtKind::Goto(label) => {
                let target = self.label_node(*label);
                self.node(Node { succ: vec![target], ..Node::default() })
            }
            // The deferred closure runs when main ends, wherever that is: it
            // travels in `main_defers` at every hop, with the cells of what
            // it captures, so nothing it captures need be live for it.
            StmtKind::Defer { thunk } => self.simple(&[*thunk], &[], next),
            StmtKind::MapAssign { map, key, value } => self.simple(&[*map, *key, *value], &[], next),
            StmtKind::Send { chan, value } => self.simple(&[*chan, *value], &[], next),
            // The goroutine stays in the process that started it (a hop runs
            // it as far as it can go first: sched::quiesce), so what it
            // captures need not travel for its sake; the temporaries of its
            // call are not even defined before the statement.
            StmtKind::Go { thunk } => self.simple(&[*thunk], &[], next),
            StmtKind::Select { cases, default } => {
                let label = self.pending_label.take();
                self.breaks.push((label, next));
                let mut succ = Vec::new();
                let mut operands = Vec::new();
                for case in cases {
                    operands.push(case.chan);
                    operands.extend(case.send);
                    let body_entry = self.stmts(&case.body.stmts, next);
                    // Declared afresh whenever the case is chosen (codegen's
                    // define_local), even when kept in memory.
                    let defs: Vec<LocalId> = case.recv_value.iter().chain(case.recv_ok.iter()).copied().collect();
                    succ.push(self.node(Node { defs: defs.into_iter().collect(), succ: vec![body_entry], ..Node::default() }));
                }
                if let Some(default) = default {
                    succ.push(self.stmts(&default.stmts, next));
                }
                self.breaks.pop();
                let uses = self.uses_of(&operands);
                self.node(Node { uses, succ, ..Node::default() })
            }
            StmtKind::RangeMap { map, key, value, body } => {
                let label = self.pending_label.take();
                let uses = self.uses_of(&[*map]);
                let header = self.node(Node { uses, ..Node::default() });
                let defs: Vec<LocalId> = key.iter().chain(value.iter()).copied().filter(|l| self.kills(*l)).collect();
                self.breaks.push((label, next));
                self.continues.push((label, header));
                let body_entry = self.stmts(&body.stmts, header);
                self.breaks.pop();
                self.continues.pop();
                let bind = self.node(Node { defs: defs.into_iter().collect(), succ: vec![body_entry], ..Node::default() });
                self.nodes[header].succ = vec![bind, next];
                header
            }
            StmtKind::Return(values) => {
                let uses = self.uses_of(values);
                self.node(Node { uses, succ: vec![0], ..Node::default() })
            }
            StmtKind::GoToNetwork { site } => {
                let node = self.node(Node { succ: vec![next], hop: Some(*site), ..Node::default() });
                self.hop_nodes.insert(*site, node);
                node
            }
        }
    }
}

/// The first `defer` statement among `stmts` (not counting function
/// literals, which are functions of their own).
pub(crate) fn first_defer(stmts: &[hir::Stmt]) -> Option<Span> {
    let mut first = None;
    hir::walk_stmts(stmts, &mut |stmt| {
        if first.is_none() && matches!(stmt.kind, StmtKind::Defer { .. }) {
            first = Some(stmt.span);
        }
    });
    first
}

/// Adds every local that evaluating `id` reads (or whose storage it reaches).
fn expr_uses(program: &hir::Program, id: ExprId, out: &mut BTreeSet<LocalId>) {
    let kind = &program.expr(id).kind;
    match kind {
        ExprKind::Local(l) | ExprKind::AddrOfLocal(l) => {
            out.insert(*l);
        }
        ExprKind::Closure(func) => {
            if let Some(captures) = &program.func(*func).captures {
                out.extend(captures.iter().copied());
            }
        }
        _ => {}
    }
    kind.for_each_operand(|e| expr_uses(program, e, out));
}

/// The package-level variables that travel at every hop: those read
/// anywhere (the program's, and those of its module's packages). A library package's (compiled from Go's source: io.EOF,
/// unicode's tables) only when the program's own code names it, so that
/// identity holds where the program compares with it (`err == io.EOF`
/// downstream); the library's other variables are each host's own,
/// initialised there ([`resident_library_globals`]).
pub fn travelling_globals(program: &hir::Program) -> Vec<LocalId> {
    // Expressions come in runs of one file: the file's answer is kept
    // (asking for each of fannkuch's library expressions cost 5 ms).
    let mut last: Option<(g2n_base::FileId, bool)> = None;
    let named_by_program: BTreeSet<LocalId> = program
        .exprs
        .iter()
        .filter_map(|e| match e.kind {
            ExprKind::Local(l) | ExprKind::AddrOfLocal(l) => Some((l, e.span)),
            _ => None,
        })
        .filter(|(_, span)| match last {
            Some((file, library)) if file == span.file => !library,
            _ => {
                let library = in_library_file(*span);
                last = Some((span.file, library));
                !library
            }
        })
        .map(|(l, _)| l)
        .collect();
    program
        .global_inits
        .iter()
        .map(|(l, _)| *l)
        .filter(|l| program.local(*l).used)
        .filter(|l| !in_library_file(program.local(*l).span) || named_by_program.contains(l))
        .collect()
}

/// The library package variables that do not travel, each with its package
/// path and whether code other than its initialiser may change it (it is
/// assigned somewhere, or its address is taken): an object one of them
/// holds at a hop travels as a reference to the variable, resolved to the
/// receiver's own (docs/split.md, "Package-level variables").
pub fn resident_library_globals(program: &hir::Program) -> Vec<(LocalId, &'static str, bool)> {
    let travelling: BTreeSet<LocalId> = travelling_globals(program).into_iter().collect();
    let mut assigned: BTreeSet<LocalId> = BTreeSet::new();
    for func in &program.funcs {
        hir::walk_stmts(&func.body.stmts, &mut |stmt| match &stmt.kind {
            StmtKind::Assign { local, .. } => {
                assigned.insert(*local);
            }
            StmtKind::AssignTuple { locals, .. } => assigned.extend(locals.iter().flatten().copied()),
            _ => {}
        });
    }
    assigned.extend(program.exprs.iter().filter_map(|e| match e.kind {
        ExprKind::AddrOfLocal(l) => Some(l),
        _ => None,
    }));
    program
        .global_inits
        .iter()
        .map(|(l, _)| *l)
        .filter(|l| !travelling.contains(l))
        .filter_map(|l| {
            let local = program.local(l);
            let pkg = g2n_sema::stdlib::package_of_file(local.span.file)?;
            Some((l, pkg, local.escapes || assigned.contains(&l)))
        })
        .collect()
}

/// A file of a library package; the packages of the program's module
/// (go.mod) are the program's, whose variables travel.
fn in_library_file(span: Span) -> bool {
    g2n_sema::stdlib::package_of_file(span.file).is_some() && !g2n_sema::stdlib::is_module_file(span.file)
}

fn build_cfg(program: &hir::Program, main: &hir::Func) -> Cfg {
    let mut builder = CfgBuilder { program, nodes: Vec::new(), breaks: Vec::new(), continues: Vec::new(), pending_label: None, label_nodes: BTreeMap::new(), hop_nodes: BTreeMap::new() };
    // Node 0 is the end of main.
    let end = builder.node(Node::default());
    let start = builder.stmts(&main.body.stmts, end);
    Cfg { nodes: builder.nodes, start, hop_nodes: builder.hop_nodes }
}

/// Live-out set of every node (backward dataflow to a fixpoint).
fn liveness(cfg: &Cfg) -> Vec<BTreeSet<LocalId>> {
    let n = cfg.nodes.len();
    let mut live_in: Vec<BTreeSet<LocalId>> = vec![BTreeSet::new(); n];
    let mut live_out: Vec<BTreeSet<LocalId>> = vec![BTreeSet::new(); n];
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, node) in cfg.nodes.iter().enumerate() {
        for &s in &node.succ {
            preds[s].push(i);
        }
    }
    let mut work: VecDeque<usize> = (0..n).rev().collect();
    let mut queued = vec![true; n];
    while let Some(i) = work.pop_front() {
        queued[i] = false;
        let node = &cfg.nodes[i];
        let out: BTreeSet<LocalId> = node.succ.iter().flat_map(|s| live_in[*s].iter().copied()).collect();
        let mut inn: BTreeSet<LocalId> = out.difference(&node.defs).copied().collect();
        inn.extend(node.uses.iter().copied());
        live_out[i] = out;
        if inn != live_in[i] {
            live_in[i] = inn;
            for &p in &preds[i] {
                if !queued[p] {
                    queued[p] = true;
                    work.push_back(p);
                }
            }
        }
    }
    live_out
}

/// How a value of type `ty` travels: every integer type (named or not) as a
/// 64-bit int, `float32` as a `float64` (exact both ways), bool and string as
/// themselves. Codegen converts between the local's width and the wire's.
pub(crate) fn wire_tag(types: &g2n_sema::types::Types, ty: g2n_sema::types::TypeId) -> Option<TypeTag> {
    use g2n_sema::types::TypeKind as K;
    Some(match types.under(ty) {
        K::Bool => TypeTag::Bool,
        K::String => TypeTag::String,
        K::Float64 | K::Float32 => TypeTag::Float64,
        K::Int | K::Int8 | K::Int16 | K::Int32 | K::Int64 | K::Uint | K::Uint8 | K::Uint16 | K::Uint32 | K::Uint64 | K::Uintptr => {
            TypeTag::Int
        }
        _ => return None,
    })
}

/// Whether values of type `ty` can travel in a scope graph: every kind but
/// those with no meaning on another nanoservice: invalid and untyped ones,
/// `unsafe.Pointer`, and the types of package reflect and internal/reflectlite.
pub(crate) fn graph_travels(types: &g2n_sema::types::Types, ty: g2n_sema::types::TypeId, seen: &mut BTreeSet<u32>) -> bool {
    use g2n_sema::types::TypeKind as K;
    if !seen.insert(ty.0) {
        return true;
    }
    match types.kind(ty) {
        // reflect's Type and Value name the sender's type descriptors and
        // memory (docs/split.md, "reflect").
        K::Named(index)
            if types
                .named
                .get(*index as usize)
                .is_some_and(|n| matches!(n.package.as_deref(), Some("reflect" | "internal/reflectlite")) && matches!(n.name.as_str(), "Type" | "Value")) =>
        {
            false
        }
        K::Named(_) => graph_travels(types, types.underlying(ty), seen),
        K::Bool | K::Int | K::Float64 | K::String | K::Int8 | K::Int16 | K::Int32 | K::Int64 | K::Uint | K::Uint8 | K::Uint16 => true,
        K::Uint32 | K::Uint64 | K::Uintptr | K::Float32 | K::Complex64 | K::Complex128 | K::Any | K::Error | K::Interface(_) | K::Func(_) => true,
        K::Pointer(e) | K::Slice(e) | K::Array(_, e) | K::Chan(_, e) => graph_travels(types, *e, seen),
        K::Map(k, v) => graph_travels(types, *k, seen) && graph_travels(types, *v, seen),
        K::Struct(fields) => fields.iter().all(|f| graph_travels(types, f.ty, seen)),
        _ => false,
    }
}

/// How local `local` travels: a basic wire value, or in the scope graph (a
/// local kept in memory as its storage, so that closures and pointers that
/// share it keep sharing it; any other value by value).
fn travel_kind(program: &hir::Program, local: LocalId) -> Option<(TypeTag, Option<GraphSlot>)> {
    let l = program.local(local);
    let types = &program.types;
    let in_memory = l.kind != LocalKind::Global && (l.escapes || types.is_aggregate(l.ty));
    if !in_memory
        && let Some(tag) = wire_tag(types, l.ty)
    {
        return Some((tag, None));
    }
    if !graph_travels(types, l.ty, &mut BTreeSet::new()) {
        return None;
    }
    Some((TypeTag::Nil, Some(if in_memory { GraphSlot::Cell } else { GraphSlot::Value })))
}

/// The names of a split program's nanoservices: the entry (the program's
/// name, unless a hop targets that name) and every hop target.
fn unit_names(program_name: &str, program: &hir::Program) -> (String, Vec<String>) {
    let targets: BTreeSet<&str> = program.hops.iter().map(|h| h.target.as_str()).collect();
    let mut entry = program_name.to_string();
    while targets.contains(entry.as_str()) {
        entry.push_str("-start");
    }
    let mut names: Vec<String> = targets.iter().map(|t| t.to_string()).collect();
    names.push(entry.clone());
    names.sort();
    (entry, names)
}

/// A variable that travels at a hop: its slot name, its local, its Go type,
/// its wire tag and, when it is not a basic wire value, its place in the
/// scope graph.
type TravelingVar = (String, LocalId, String, TypeTag, Option<GraphSlot>);

/// Plans a program whose `main` contains `goToNetwork` statements.
pub(crate) fn plan_split(name: &str, span: Span, program: hir::Program) -> (Option<MeshPlan>, Vec<AnalysisError>) {
    let mut errors: Vec<AnalysisError> = Vec::new();
    let Some(main) = program.main.map(|m| program.func(m)) else {
        return (None, vec![SplitError::WholeProgramSplit { span }.into()]);
    };
    if !errors.is_empty() {
        return (None, errors);
    }
    let cfg = build_cfg(&program, main);
    let live_out = liveness(&cfg);
    let (entry_name, names) = unit_names(name, &program);

    let globals = travelling_globals(&program);

    // What travels at every site, in slot order: by name, then declaration;
    // two live locals with one name (shadowing) get distinct slot names.
    let mut sent_at: BTreeMap<u32, Vec<TravelingVar>> = BTreeMap::new();
    let mut reported: BTreeSet<(String, u32)> = BTreeSet::new();
    for (site, hop) in program.hops.iter().enumerate() {
        let site = site as u32;
        let Some(&node) = cfg.hop_nodes.get(&site) else { continue };
        // Shadowed locals are live too (read again once the shadowing
        // block ends), so this is not limited to the hop's visible names.
        let mut locals: Vec<LocalId> =
            live_out[node].iter().copied().filter(|l| program.local(*l).kind != LocalKind::Global).collect();
        locals.extend(globals.iter().copied());
        // A panic can end main from anywhere, even where no path returns
        // (after `for {}`), and the deferred calls run then.
        if let Some(defers) = program.main_defers
            && !locals.contains(&defers)
        {
            locals.push(defers);
        }
        locals.sort_by(|a, b| (&program.local(*a).name, a).cmp(&(&program.local(*b).name, b)));
        let mut vars = Vec::new();
        for (i, &local) in locals.iter().enumerate() {
            let l = program.local(local);
            let shadowed = locals.iter().enumerate().any(|(j, other)| j != i && program.local(*other).name == l.name);
            // A temporary of a statement (a range's hidden copy, a switch's
            // tag) has no name: its slot gets one no Go variable can have.
            let slot_name = if l.name.is_empty() {
                format!("%tmp{}", local.0)
            } else if shadowed {
                format!("{}%{}", l.name, local.0)
            } else {
                l.name.clone()
            };
            let go_type = program.types.display(l.ty);
            match travel_kind(&program, local) {
                Some((tag, graph)) => vars.push((slot_name, local, go_type, tag, graph)),
                None => {
                    if reported.insert((l.name.clone(), local.0)) {
                        let name = if l.name.is_empty() { "the hidden value of an enclosing statement".to_string() } else { l.name.clone() };
                        errors.push(SplitError::UntransferableType { name, go_type, span: hop.span }.into());
                    }
                }
            }
        }
        sent_at.insert(site, vars);
    }
    if !errors.is_empty() {
        return (None, errors);
    }

    // Entries: resume point 0 on the entry unit, site + 1 on each target.
    // The sites of each target, and one visited-mark array for all the
    // reachability searches (marked with the unit's number): per unit, the
    // work is its own region, not the whole program (a per-line split has
    // as many units as lines).
    let mut sites_of: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for (site, hop) in program.hops.iter().enumerate() {
        sites_of.entry(hop.target.as_str()).or_default().push(site as u32);
    }
    let mut seen = vec![usize::MAX; cfg.nodes.len()];
    let mut units = Vec::new();
    for (unit_number, unit_name) in names.iter().enumerate() {
        let mut entries = Vec::new();
        let mut entry_nodes = Vec::new();
        if *unit_name == entry_name {
            entries.push(EntryPlan { resume_point: 0, vars: Vec::new(), resume_after: None });
            entry_nodes.push(cfg.start);
        }
        for &site in sites_of.get(unit_name.as_str()).map(Vec::as_slice).unwrap_or_default() {
            let Some(&node) = cfg.hop_nodes.get(&site) else { continue };
            let vars = sent_at[&site]
                .iter()
                .map(|(slot, local, go_type, tag, graph)| CapturedVar {
                    name: slot.clone(),
                    local: Some(*local),
                    go_type: go_type.clone(),
                    tag: *tag,
                    graph: *graph,
                    provided_by: Vec::new(),
                })
                .collect();
            entries.push(EntryPlan { resume_point: site + 1, vars, resume_after: Some(site) });
            entry_nodes.extend(cfg.nodes[node].succ.iter().copied());
        }
        // Exits: the hops reachable from the entries without leaving the
        // unit (a hop to the unit itself is a no-op and the flow goes on).
        let mut work = entry_nodes;
        let mut exit_sites = BTreeSet::new();
        while let Some(node) = work.pop() {
            if std::mem::replace(&mut seen[node], unit_number) == unit_number {
                continue;
            }
            if let Some(site) = cfg.nodes[node].hop
                && program.hops[site as usize].target != *unit_name
            {
                exit_sites.insert(site);
                continue;
            }
            work.extend(cfg.nodes[node].succ.iter().copied());
        }
        let exits: Vec<ExitPlan> = exit_sites
            .into_iter()
            .map(|site| {
                let hop = &program.hops[site as usize];
                ExitPlan {
                    index: site,
                    target: hop.target.clone(),
                    resume_point: site + 1,
                    vars: sent_at[&site]
                        .iter()
                        .map(|(slot, local, go_type, tag, graph)| SentVar {
                            name: slot.clone(),
                            source: VarSource::Local(*local),
                            go_type: go_type.clone(),
                            tag: *tag,
                            graph: *graph,
                        })
                        .collect(),
                    span: hop.span,
                }
            })
            .collect();
        units.push((unit_name.clone(), entries, exits));
    }
    // Fill in who provides each captured variable.
    let providers: BTreeMap<u32, Vec<String>> = {
        let mut map: BTreeMap<u32, Vec<String>> = BTreeMap::new();
        for (unit_name, _, exits) in &units {
            for exit in exits {
                map.entry(exit.resume_point).or_default().push(unit_name.clone());
            }
        }
        map
    };
    let entry = names.iter().position(|n| *n == entry_name).unwrap_or(0);
    let program = std::sync::Arc::new(program.clone());
    let units = units
        .into_iter()
        .map(|(unit_name, mut entries, exits)| {
            for e in &mut entries {
                let by = providers.get(&e.resume_point).cloned().unwrap_or_default();
                for v in &mut e.vars {
                    v.provided_by = by.clone();
                }
            }
            UnitPlan {
                name: unit_name,
                span,
                program: program.clone(),
                entries,
                exits,
                whole_program: true,
                graph_registry: crate::GraphRegistry::default(),
                resolved_from: Default::default(),
                upstream_decls: Vec::new(),
            }
        })
        .collect();
    (Some(MeshPlan { units, entry }), errors)
}

/// `--per-line`: where to insert `goToNetwork 'line-N'` so that every
/// statement line of `main` runs on its own nanoservice. Returns
/// `(byte offset, line)` pairs, in order: a hop goes before the first
/// statement of each line in every block of `main` (at any depth), except
/// before an existing `goToNetwork`.
pub fn per_line_hops(file: &ast::File, text: &str) -> Vec<(u32, u32)> {
    // Line starts once, then a binary search per statement: counting the
    // newlines before every statement was quadratic in a long `main`.
    let starts: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
    let line_of = |offset: u32| starts.partition_point(|&s| s <= (offset as usize).min(text.len())) as u32;
    let mut out = Vec::new();
    for decl in &file.decls {
        if let ast::Decl::Func(func) = decl
            && func.name.name == "main" && func.recv.is_none()
            && let Some(body) = &func.body
        {
            block_hops(&body.stmts, &line_of, &mut out);
        }
    }
    out.sort();
    out.dedup();
    out
}

fn block_hops(stmts: &[ast::Stmt], line_of: &dyn Fn(u32) -> u32, out: &mut Vec<(u32, u32)>) {
    let mut previous_line = None;
    for stmt in stmts {
        let line = line_of(stmt.span.start);
        let skip = matches!(stmt.kind, ast::StmtKind::GoToNetwork { .. } | ast::StmtKind::Empty);
        if !skip && previous_line != Some(line) {
            out.push((stmt.span.start, line));
        }
        previous_line = Some(line_of(stmt.span.end.saturating_sub(1).max(stmt.span.start)));
        stmt_hops(stmt, line_of, out);
    }
}

fn stmt_hops(stmt: &ast::Stmt, line_of: &dyn Fn(u32) -> u32, out: &mut Vec<(u32, u32)>) {
    match &stmt.kind {
        ast::StmtKind::Block(b) => block_hops(&b.stmts, line_of, out),
        ast::StmtKind::If { then, els, .. } => {
            block_hops(&then.stmts, line_of, out);
            if let Some(els) = els {
                stmt_hops(els, line_of, out);
            }
        }
        ast::StmtKind::For { body, .. } | ast::StmtKind::ForRange { body, .. } => block_hops(&body.stmts, line_of, out),
        ast::StmtKind::Switch { clauses, .. } => clauses.iter().for_each(|c| block_hops(&c.body, line_of, out)),
        ast::StmtKind::TypeSwitch { clauses, .. } => clauses.iter().for_each(|c| block_hops(&c.body, line_of, out)),
        ast::StmtKind::Labeled { stmt, .. } => stmt_hops(stmt, line_of, out),
        _ => {}
    }
}

/// Inserts the hops of [`per_line_hops`] into `text`, on the same lines so
/// that line numbers stay those of the original program.
pub fn insert_hops(text: &str, hops: &[(u32, u32)]) -> String {
    let mut out = String::with_capacity(text.len() + hops.len() * 24);
    let mut last = 0usize;
    for &(offset, line) in hops {
        let offset = offset as usize;
        out.push_str(&text[last..offset]);
        out.push_str(&format!("goToNetwork 'line-{line}'; "));
        last = offset;
    }
    out.push_str(&text[last..]);
    out
}
