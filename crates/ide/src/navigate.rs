//! Hover and go-to-definition: what is at a byte offset of a document, found
//! in the checked programs (expressions and locals carry their spans), and
//! for a `goToNetwork` or a variable bound by the mesh, in the plan.

use crate::analysis::Analysis;
use crate::line_index::LineIndex;
use crate::traffic::TracedRun;
use g2n_base::{FileId, Span};
use g2n_sema::hir::{ExprKind, FuncId, LocalId, LocalKind, Program};
use g2n_split::{GraphSlot, SentVar, UnitPlan, VarSource};
use std::sync::Arc;

/// A range of a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    pub doc: usize,
    pub start: u32,
    pub end: u32,
}

/// Markdown to show, and the range of the text it describes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    pub markdown: String,
    pub range: Location,
}

/// What sits at an offset.
enum Symbol {
    Local(Arc<Program>, LocalId),
    Func(Arc<Program>, FuncId),
    /// A hop: the index of its site in the program's `hops`.
    Hop(Arc<Program>, usize),
    /// Any other expression: its type.
    Expr(Arc<Program>, g2n_sema::types::TypeId),
}

fn contains(span: Span, file: FileId, offset: u32) -> bool {
    span.file == file && span.start <= offset && offset < span.end
}

impl Analysis {
    /// The smallest thing of the checked programs around `offset` of `doc`,
    /// with its span.
    fn symbol_at(&self, doc: usize, offset: u32) -> Option<(Symbol, Span)> {
        let file = self.file_of(doc)?;
        let code = self.db.code(file);
        let mut best: Option<(Symbol, Span)> = None;
        // The smallest wins; at equal size a named thing wins over a bare
        // expression (an interface conversion of a variable spans the variable).
        let mut consider = |symbol: Symbol, span: Span| {
            let better = best.as_ref().is_none_or(|(current, b)| {
                span.len() < b.len() || (span.len() == b.len() && matches!(current, Symbol::Expr(..)) && !matches!(symbol, Symbol::Expr(..)))
            });
            if better {
                best = Some((symbol, span));
            }
        };
        for program in &self.programs {
            for (index, hop) in program.hops.iter().enumerate() {
                if contains(hop.span, file, offset) {
                    consider(Symbol::Hop(program.clone(), index), hop.span);
                }
            }
            for (index, local) in program.locals.iter().enumerate() {
                if contains(local.span, file, offset) {
                    consider(Symbol::Local(program.clone(), LocalId(index as u32)), local.span);
                }
            }
            for expr in &program.exprs {
                if !contains(expr.span, file, offset) {
                    continue;
                }
                let symbol = match &expr.kind {
                    ExprKind::Local(local) | ExprKind::AddrOfLocal(local) => Symbol::Local(program.clone(), *local),
                    ExprKind::FuncValue(func) => Symbol::Func(program.clone(), *func),
                    ExprKind::Call { func, .. } => {
                        // The callee's name: the text before the argument list.
                        let text = code.get(expr.span.start as usize..expr.span.end as usize).unwrap_or("");
                        let callee = text.find('(').unwrap_or(text.len()) as u32;
                        if offset >= expr.span.start + callee {
                            Symbol::Expr(program.clone(), expr.ty)
                        } else {
                            consider(Symbol::Func(program.clone(), *func), Span { end: expr.span.start + callee, ..expr.span });
                            continue;
                        }
                    }
                    _ => Symbol::Expr(program.clone(), expr.ty),
                };
                consider(symbol, expr.span);
            }
        }
        best
    }

    fn location(&self, span: Span) -> Option<Location> {
        Some(Location { doc: self.doc_of(span.file)?, start: span.start, end: span.end })
    }

    /// `path:line:col` of a location, for text shown to the user.
    fn describe(&self, at: Location) -> String {
        let doc = &self.docs[at.doc];
        let (line, column) = LineIndex::new(&doc.text).position(at.start);
        format!("{}:{}:{}", base_name(&doc.name), line + 1, column + 1)
    }

    /// The plan's unit whose code is in `file`, for a mesh of configs.
    fn unit_in(&self, file: FileId) -> Option<&UnitPlan> {
        let unit = self.units.iter().find(|u| u.file == file)?;
        let plan = self.plan.as_ref()?;
        plan.units.iter().find(|u| u.name == unit.name && !u.whole_program)
    }

    /// The declarations upstream that bind a variable free in `unit`: the
    /// sending nanoservices' locals, through nanoservices that only pass it on.
    fn upstream_declarations(&self, unit: &str, name: &str, seen: &mut Vec<String>) -> Vec<Location> {
        let mut out = Vec::new();
        let Some(plan) = &self.plan else { return out };
        if seen.iter().any(|s| s == unit) {
            return out;
        }
        seen.push(unit.to_string());
        let Some(receiver) = plan.units.iter().find(|u| u.name == unit) else { return out };
        let providers = receiver.entries.iter().flat_map(|e| &e.vars).filter(|v| v.name == name).flat_map(|v| &v.provided_by);
        for provider in providers {
            let Some(sender) = plan.units.iter().find(|u| &u.name == provider) else { continue };
            let sent = sender.exits.iter().filter(|x| x.target == unit).flat_map(|x| &x.vars).filter(|v| v.name == name);
            for var in sent {
                match var.source {
                    VarSource::Local(local) if sender.program.local(local).kind != LocalKind::Free => {
                        if let Some(at) = self.location(sender.program.local(local).span)
                            && !out.contains(&at)
                        {
                            out.push(at);
                        }
                    }
                    _ => {
                        for at in self.upstream_declarations(&sender.name, name, seen) {
                            if !out.contains(&at) {
                                out.push(at);
                            }
                        }
                    }
                }
            }
        }
        out
    }

    /// Where the thing at `offset` of `doc` is declared: a variable's
    /// declaration (upstream, in another config, for a variable the mesh
    /// binds), a function's name, a `goToNetwork` target's config.
    pub fn definition(&self, doc: usize, offset: u32) -> Vec<Location> {
        let Some((symbol, _)) = self.symbol_at(doc, offset) else { return Vec::new() };
        match symbol {
            Symbol::Local(program, id) => {
                let local = program.local(id);
                if local.kind == LocalKind::Free {
                    let Some(unit) = self.unit_in(local.span.file) else { return Vec::new() };
                    return self.upstream_declarations(&unit.name, &local.name, &mut Vec::new());
                }
                self.location(local.span).into_iter().collect()
            }
            Symbol::Func(program, id) => {
                let func = program.func(id);
                let name = func.name.rsplit('.').next().unwrap_or(&func.name);
                let text = self.db.snippet(func.span);
                // The name after `func` (and a receiver), else the whole declaration.
                let span = text
                    .find(&format!("{name}("))
                    .or_else(|| text.find(&format!("{name}[")))
                    .map(|at| Span { start: func.span.start + at as u32, end: func.span.start + (at + name.len()) as u32, ..func.span })
                    .unwrap_or(func.span);
                self.location(span).into_iter().collect()
            }
            Symbol::Hop(program, index) => {
                let hop = &program.hops[index];
                if !contains(hop.target_span, hop.target_span.file, offset) {
                    return Vec::new();
                }
                self.units.iter().filter(|u| u.name == hop.target).filter_map(|u| self.location(u.span)).collect()
            }
            Symbol::Expr(..) => Vec::new(),
        }
    }

    /// What to show for the thing at `offset` of `doc`: a variable or
    /// function with its type; for a `goToNetwork`, the nanoservice it goes
    /// to and every variable that travels with its type.
    pub fn hover(&self, doc: usize, offset: u32) -> Option<Hover> {
        self.hover_with_trace(doc, offset, &|| None)
    }

    /// As [`Analysis::hover`]; on a `goToNetwork`, also what its hops sent
    /// in the last traced run of the documents' mesh, which `traced` reads
    /// (asked only for a hover on a `goToNetwork`).
    pub fn hover_with_trace(&self, doc: usize, offset: u32, traced: &dyn Fn() -> Option<TracedRun>) -> Option<Hover> {
        let (symbol, span) = self.symbol_at(doc, offset)?;
        let range = self.location(span)?;
        let markdown = match symbol {
            Symbol::Local(program, id) => self.local_hover(&program, id),
            Symbol::Func(program, id) => {
                let func = program.func(id);
                let params: Vec<String> =
                    func.params.iter().map(|&p| format!("{} {}", program.local(p).name, program.types.display(program.local(p).ty))).collect();
                let results: Vec<String> = func.results.iter().map(|&t| program.types.display(t)).collect();
                let results = match results.len() {
                    0 => String::new(),
                    1 => format!(" {}", results[0]),
                    _ => format!(" ({})", results.join(", ")),
                };
                format!("```go\nfunc {}({}){results}\n```", func.name, params.join(", "))
            }
            Symbol::Hop(program, index) => self.hop_hover(&program, index, traced().as_ref()),
            Symbol::Expr(program, ty) => format!("```go\n{}\n```", program.types.display(ty)),
        };
        Some(Hover { markdown, range })
    }

    fn local_hover(&self, program: &Program, id: LocalId) -> String {
        let local = program.local(id);
        let ty = program.types.display(local.ty);
        let mut text = format!("```go\nvar {} {ty}\n```", local.name);
        match local.kind {
            LocalKind::Param => text.push_str("\nparameter"),
            LocalKind::Global => text.push_str("\npackage-level variable"),
            LocalKind::Free => {
                let unit = self.unit_in(local.span.file).map(|u| u.name.clone()).unwrap_or_default();
                let from = self.upstream_declarations(&unit, &local.name, &mut Vec::new());
                text.push_str("\nnot declared in this nanoservice: it travels here from upstream");
                for at in from {
                    text.push_str(&format!("\n- declared at `{}`", self.describe(at)));
                }
            }
            LocalKind::Var => {}
        }
        text
    }

    fn hop_hover(&self, program: &Arc<Program>, index: usize, traced: Option<&TracedRun>) -> String {
        let hop = &program.hops[index];
        let mut text = format!("**goToNetwork** → nanoservice `{}`", hop.target);
        if let Some(target) = self.units.iter().find(|u| u.name == hop.target)
            && let Some(at) = self.location(target.span)
        {
            text.push_str(&format!(" (`{}`)", base_name(&self.docs[at.doc].name)));
        }
        let Some(plan) = &self.plan else {
            text.push_str("\n\nwhat travels is known once the mesh has no errors");
            return text;
        };
        // The exit of the unit that runs this hop (for a split program, the
        // nanoservice holding the statement).
        let exit = plan
            .units
            .iter()
            .filter(|u| Arc::ptr_eq(&u.program, program))
            .flat_map(|u| u.exits.iter())
            .find(|x| x.span == hop.span || x.index as usize == index && x.target == hop.target);
        let Some(exit) = exit else {
            text.push_str("\n\nthis hop goes to the nanoservice it runs on: nothing travels");
            return text;
        };
        text.push_str(&format!(", resume point {}\n\n", exit.resume_point));
        if exit.vars.is_empty() {
            text.push_str("nothing travels");
        } else {
            text.push_str("| travels | type | as |\n|---|---|---|\n");
            for var in &exit.vars {
                text.push_str(&format!("| `{}` | `{}` | {} |\n", var.name, var.go_type, travel(var)));
            }
        }
        if let Some(traced) = traced {
            // In a split program every nanoservice that runs this statement
            // sends through the same exit (a loop's hop is sent by the
            // nanoservice the previous iteration ended on).
            let senders: Vec<&UnitPlan> = plan
                .units
                .iter()
                .filter(|u| Arc::ptr_eq(&u.program, program) && u.exits.iter().any(|x| x.index == exit.index))
                .collect();
            let names: Vec<&str> = senders.iter().map(|u| u.name.as_str()).collect();
            let only_exit_to_target = senders.iter().all(|u| u.exits.iter().filter(|x| x.target == exit.target).count() == 1);
            text.push_str(&traced.describe(&names, exit.index, &exit.target, only_exit_to_target));
        }
        text
    }
}

/// A path's last component: hovers name files briefly (the editor knows
/// the directory).
fn base_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// How a sent variable travels, in words.
fn travel(var: &SentVar) -> String {
    let how = match var.graph {
        Some(GraphSlot::Value) => "value graph (copied)",
        Some(GraphSlot::Cell) => "value graph (shared storage)",
        None => "wire value",
    };
    match var.source {
        VarSource::PassThrough => format!("{how}, passed on"),
        VarSource::Local(_) => how.to_string(),
    }
}
