//! A stable, readable text form of a [`MeshPlan`], for `g2n check --emit
//! plan` and the plan goldens (`crates/split/test_data/`).
//!
//! Per nanoservice, in plan order: where flows enter it (resume points, with
//! the variables received in slot order) and its exits (the hop, its target
//! and resume point, what travels and where each value comes from); then the
//! mesh's edges, sorted. Every variable shows its Go type and how it
//! travels: a basic wire value (`wire int`) or in the scope's value graph
//! (`graph value`, `graph cell`). A local is `name#N`, N counting the
//! program's own locals only, so plans do not change with the library
//! compiled from source ([`LocalNames`]). Spans are left out: they are byte offsets,
//! which the diagnostics already turn into lines. The checked program behind
//! each unit is `g2n check --emit hir`'s business.

use crate::{CapturedVar, GraphSlot, MeshPlan, SentVar, VarSource};
use g2n_abi::TypeTag;
use g2n_sema::hir::{LocalId, Program};
use g2n_sema::stdlib::package_of_file;
use std::collections::BTreeSet;
use std::fmt::Write;

/// The text form of `plan` (see the module documentation).
pub fn plan_text(plan: &MeshPlan) -> String {
    let mut out = String::new();
    let entry = plan.units.get(plan.entry).map_or("?", |u| u.name.as_str());
    let _ = writeln!(out, "mesh: {} nanoservice(s), flows start at {entry}", plan.units.len());
    for unit in &plan.units {
        let locals = LocalNames::new(unit.program.as_ref());
        let kind = if unit.whole_program { " [whole program]" } else { "" };
        let _ = writeln!(out, "\nunit {}{kind}", unit.name);
        for entry in &unit.entries {
            let after = match entry.resume_after {
                Some(site) => format!(" (after hop {site})"),
                None => String::new(),
            };
            let _ = writeln!(out, "  entry {}{after}", entry.resume_point);
            for var in &entry.vars {
                let _ = writeln!(out, "    recv {}", received(&locals, var));
            }
        }
        for exit in &unit.exits {
            let _ = writeln!(out, "  exit {} -> {} entry {}", exit.index, exit.target, exit.resume_point);
            for var in &exit.vars {
                let _ = writeln!(out, "    send {}", sent(&locals, var));
            }
        }
    }
    let edges: BTreeSet<(&str, &str, u32, u32)> = plan
        .units
        .iter()
        .flat_map(|u| u.exits.iter().map(move |e| (u.name.as_str(), e.target.as_str(), e.index, e.resume_point)))
        .collect();
    if !edges.is_empty() {
        out.push_str("\nedges\n");
        for (from, to, index, resume_point) in edges {
            let _ = writeln!(out, "  {from} -> {to} (exit {index}, entry {resume_point})");
        }
    }
    out
}

/// How a value travels: `wire TAG` or `graph value|cell`.
fn travel(tag: TypeTag, graph: Option<GraphSlot>) -> String {
    match graph {
        Some(GraphSlot::Value) => "graph value".to_string(),
        Some(GraphSlot::Cell) => "graph cell".to_string(),
        None => format!("wire {}", tag.go_name()),
    }
}

/// How a plan names a unit's locals: `name#N`, where N counts the
/// program's own locals only. The library packages compiled from Go's
/// source share the unit's local arena (their locals come first), so
/// numbering by arena index would change every plan whenever the library
/// gains or loses a local; a library's local (a package-level variable the
/// program names, such as `io.EOF`) is named by its package instead.
struct LocalNames<'a> {
    program: &'a Program,
    /// Per arena index: the local's number among the program's own, `None`
    /// for a library local.
    numbers: Vec<Option<u32>>,
}

impl<'a> LocalNames<'a> {
    fn new(program: &'a Program) -> LocalNames<'a> {
        let mut next = 0;
        let numbers = program
            .locals
            .iter()
            .map(|local| {
                if local.in_library || package_of_file(local.span.file).is_some() {
                    return None;
                }
                next += 1;
                Some(next - 1)
            })
            .collect();
        LocalNames { program, numbers }
    }

    fn name(&self, id: LocalId) -> String {
        let local = self.program.local(id);
        match (self.numbers.get(id.index()).copied().flatten(), package_of_file(local.span.file)) {
            (Some(number), _) => format!("{}#{number}", local.name),
            (None, package) => format!("{}.{}", package.unwrap_or("library"), local.name),
        }
    }
}

fn received(locals: &LocalNames<'_>, var: &CapturedVar) -> String {
    let binds = match var.local {
        Some(local) => format!("into {}", locals.name(local)),
        None => "passed on".to_string(),
    };
    let from = if var.provided_by.is_empty() { String::new() } else { format!(" from {}", var.provided_by.join(", ")) };
    format!("{} {} ({}) {binds}{from}", var.name, var.go_type, travel(var.tag, var.graph))
}

fn sent(locals: &LocalNames<'_>, var: &SentVar) -> String {
    let source = match var.source {
        VarSource::Local(local) => format!("from {}", locals.name(local)),
        VarSource::PassThrough => "passed through".to_string(),
    };
    format!("{} {} ({}) {source}", var.name, var.go_type, travel(var.tag, var.graph))
}
