//! Compatibility of two builds (`g2n manifest diff OLD NEW`).
//!
//! A new version of a nanoservice is a drop-in replacement when every flow
//! that could reach the old version can reach the new one and leave it the
//! same way: the same resume points with the same captured variables and Go
//! types, and the same exits (index, target, resume point) sending the same
//! variables and types. That is exactly what the runtime checks at a handoff
//! against the unit descriptor, so anything else (code, lines, artifacts,
//! `provided_by`) may change freely. Pure functions over parsed manifests;
//! the CLI does the reading and printing.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::manifest::UnitManifest;

/// How one nanoservice changed between two builds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// Same `content_hash` and the same interface.
    Unchanged,
    /// Different code, same interface: a drop-in replacement.
    Compatible,
    /// The interface differs; one reason per difference.
    Incompatible(Vec<String>),
    /// Only in the new build.
    Added,
    /// Only in the old build.
    Removed,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Unchanged => f.write_str("unchanged"),
            Change::Compatible => f.write_str("compatible"),
            Change::Incompatible(reasons) => write!(f, "incompatible: {}", reasons.join("; ")),
            Change::Added => f.write_str("added"),
            Change::Removed => f.write_str("removed"),
        }
    }
}

/// One line of a diff: a nanoservice and how it changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitDiff {
    pub name: String,
    pub change: Change,
}

impl fmt::Display for UnitDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, self.change)
    }
}

/// Compares two builds unit by unit (matched by `name`), sorted by name.
pub fn diff_builds(old: &[UnitManifest], new: &[UnitManifest]) -> Vec<UnitDiff> {
    let old: BTreeMap<&str, &UnitManifest> = old.iter().map(|u| (u.name.as_str(), u)).collect();
    let new: BTreeMap<&str, &UnitManifest> = new.iter().map(|u| (u.name.as_str(), u)).collect();
    let names: BTreeSet<&str> = old.keys().chain(new.keys()).copied().collect();
    names
        .into_iter()
        .map(|name| {
            let change = match (old.get(name), new.get(name)) {
                (Some(o), Some(n)) => compare_unit(o, n),
                (None, Some(_)) => Change::Added,
                // Only the remaining case: present in old only (the name came
                // from one of the two maps).
                _ => Change::Removed,
            };
            UnitDiff { name: name.to_string(), change }
        })
        .collect()
}

/// Whether every nanoservice present in both builds is unchanged or
/// compatible (the exit status of `g2n manifest diff`). Added and removed
/// units are reported but do not fail the verdict: the question is whether
/// each surviving unit can be swapped in place.
pub fn all_compatible(diffs: &[UnitDiff]) -> bool {
    !diffs.iter().any(|d| matches!(d.change, Change::Incompatible(_)))
}

/// Compares two versions of one unit.
///
/// The interface is compared even when the content hash is equal: a unit's
/// captured variables and exits also depend on what its downstream units
/// need (it forwards their variables), so identical code can still present a
/// different interface after a neighbour changed.
pub fn compare_unit(old: &UnitManifest, new: &UnitManifest) -> Change {
    let reasons = interface_differences(old, new);
    if !reasons.is_empty() {
        Change::Incompatible(reasons)
    } else if old.content_hash == new.content_hash {
        Change::Unchanged
    } else {
        Change::Compatible
    }
}

/// `name -> go_type`; on duplicate names (invalid manifests) the first wins.
fn types<'a>(vars: impl Iterator<Item = (&'a str, &'a str)>) -> BTreeMap<&'a str, &'a str> {
    let mut map = BTreeMap::new();
    for (name, ty) in vars {
        map.entry(name).or_insert(ty);
    }
    map
}

/// Differences between two variable lists, phrased for `what` (e.g.
/// "resume point 1").
fn var_differences(
    what: &str,
    old: &BTreeMap<&str, &str>,
    new: &BTreeMap<&str, &str>,
    gained: &str,
    lost: &str,
    out: &mut Vec<String>,
) {
    for (name, old_ty) in old {
        match new.get(name) {
            Some(new_ty) if new_ty == old_ty => {}
            Some(new_ty) => out.push(format!("{what}: `{name}` is {new_ty}, was {old_ty}")),
            None => out.push(format!("{what}: {lost} `{name}` ({old_ty})")),
        }
    }
    for (name, new_ty) in new {
        if !old.contains_key(name) {
            out.push(format!("{what}: {gained} `{name}` ({new_ty})"));
        }
    }
}

fn interface_differences(old: &UnitManifest, new: &UnitManifest) -> Vec<String> {
    let mut out = Vec::new();
    if old.abi_version != new.abi_version {
        out.push(format!("abi_version {} -> {}", old.abi_version, new.abi_version));
    }
    if old.entry != new.entry {
        out.push(if new.entry { "became the entry".into() } else { "is no longer the entry".into() });
    }

    // `.rev()` so that, on a duplicated id or index (an invalid manifest that
    // `check` reports), the first listing wins as in `types`.
    let old_rps: BTreeMap<u32, _> = old.resume_points.iter().rev().map(|rp| (rp.id, rp)).collect();
    let new_rps: BTreeMap<u32, _> = new.resume_points.iter().rev().map(|rp| (rp.id, rp)).collect();
    for (id, old_rp) in &old_rps {
        let what = format!("resume point {id}");
        match new_rps.get(id) {
            Some(new_rp) => var_differences(
                &what,
                &types(old_rp.captured.iter().map(|v| (v.name.as_str(), v.go_type.as_str()))),
                &types(new_rp.captured.iter().map(|v| (v.name.as_str(), v.go_type.as_str()))),
                "now captures",
                "no longer captures",
                &mut out,
            ),
            None => out.push(format!("{what} removed")),
        }
    }
    for id in new_rps.keys().filter(|id| !old_rps.contains_key(id)) {
        out.push(format!("resume point {id} added"));
    }

    let old_exits: BTreeMap<u32, _> = old.exits.iter().rev().map(|e| (e.index, e)).collect();
    let new_exits: BTreeMap<u32, _> = new.exits.iter().rev().map(|e| (e.index, e)).collect();
    for (index, old_exit) in &old_exits {
        let what = format!("exit {index}");
        let Some(new_exit) = new_exits.get(index) else {
            out.push(format!("{what} (to {}) removed", old_exit.target));
            continue;
        };
        if (&old_exit.target, old_exit.resume_point) != (&new_exit.target, new_exit.resume_point) {
            out.push(format!(
                "{what}: goes to {} at resume point {}, was {} at resume point {}",
                new_exit.target, new_exit.resume_point, old_exit.target, old_exit.resume_point
            ));
        }
        var_differences(
            &format!("{what} (to {})", new_exit.target),
            &types(old_exit.sends.iter().map(|v| (v.name.as_str(), v.go_type.as_str()))),
            &types(new_exit.sends.iter().map(|v| (v.name.as_str(), v.go_type.as_str()))),
            "now sends",
            "no longer sends",
            &mut out,
        );
    }
    for (index, exit) in new_exits.iter().filter(|(i, _)| !old_exits.contains_key(i)) {
        out.push(format!("exit {index} (to {}) added", exit.target));
    }
    type_differences(old, new, &mut out);
    out
}

/// The defined types that travel: a variable of type `Point` means the same
/// only while `Point` is the same type. A type that now travels and did not
/// is a change of the variables that name it, reported above.
fn type_differences(old: &UnitManifest, new: &UnitManifest, out: &mut Vec<String>) {
    let new_types: BTreeMap<&str, _> = new.types.iter().rev().map(|t| (t.name.as_str(), t)).collect();
    let mut seen = std::collections::BTreeSet::new();
    for old_type in &old.types {
        if !seen.insert(old_type.name.as_str()) {
            continue;
        }
        let Some(new_type) = new_types.get(old_type.name.as_str()) else {
            out.push(format!("type `{}` no longer travels", old_type.name));
            continue;
        };
        if new_type.underlying != old_type.underlying {
            out.push(format!("type `{}` is {}, was {}", old_type.name, new_type.underlying, old_type.underlying));
        }
        for method in old_type.methods.iter().filter(|m| !new_type.methods.contains(m)) {
            out.push(format!("type `{}` no longer has method `{method}`", old_type.name));
        }
        for method in new_type.methods.iter().filter(|m| !old_type.methods.contains(m)) {
            out.push(format!("type `{}` gained method `{method}`", old_type.name));
        }
    }
    for new_type in &new.types {
        if !old.types.iter().any(|t| t.name == new_type.name) && seen.insert(new_type.name.as_str()) {
            out.push(format!("type `{}` now travels", new_type.name));
        }
    }
}
