//! Consistency check of a build output directory (`g2n manifest check DIR`).
//!
//! The check is a pure function over a file-reading callback, so it can be
//! tested without a file system and the CLI stays a thin wrapper (only the
//! CLI does I/O, see docs/architecture.md). It loads `mesh.yaml` and every
//! unit manifest it lists, validates each against its JSON Schema, checks
//! artifact hashes, and cross-checks the mesh's edges against the units'
//! resume points and exits, because a deployment tool trusts exactly those
//! facts when it wires nanoservices together.
//!
//! Paths in manifests are relative to the build directory (where `mesh.yaml`
//! is), with `/` separators: that is how `g2n build` writes them.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::manifest::{
    self, content_hash, CapturedVar, Edge, MeshManifest, ResumePoint, SentVar, UnitManifest, ABI_VERSION,
};

/// The mesh manifest's file name inside a build directory.
pub const MESH_FILE: &str = "mesh.yaml";

/// One problem found in a build directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The file the problem is in, relative to the build directory.
    pub file: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

fn problem(file: &str, message: impl Into<String>) -> Problem {
    Problem { file: file.to_string(), message: message.into() }
}

/// The result of [`check_build`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// Nanoservices listed in `mesh.yaml`.
    pub nanoservices: usize,
    /// Edges listed in `mesh.yaml`.
    pub edges: usize,
    /// Every problem found, in the order found; empty when the build is sound.
    pub problems: Vec<Problem>,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// A parsed build output: the mesh and the unit manifests that could be read,
/// in mesh order.
#[derive(Clone, Debug)]
pub struct Build {
    pub mesh: MeshManifest,
    pub units: Vec<LoadedUnit>,
}

/// A unit manifest together with the mesh entry that pointed at it (its
/// `name` may disagree with the mesh's, which `check` reports).
#[derive(Clone, Debug)]
pub struct LoadedUnit {
    /// The name `mesh.yaml` gives it.
    pub listed_as: String,
    /// Its path relative to the build directory.
    pub file: String,
    pub manifest: UnitManifest,
}

/// Reads a file of the build directory given its relative `/` path. Errors
/// are human-readable reasons ("No such file or directory").
pub type ReadFile<'a> = dyn Fn(&str) -> Result<Vec<u8>, String> + 'a;

/// Refuses paths that would leave the build directory, so a tampered manifest
/// cannot make the checker hash arbitrary files (the schema already forbids
/// absolute paths and backslashes).
fn safe_path(path: &str) -> Result<(), String> {
    if path.is_empty() || path.starts_with('/') || path.contains('\\') {
        return Err(format!("path {path:?} is not relative"));
    }
    if path.split('/').any(|part| part == "..") {
        return Err(format!("path {path:?} leaves the build directory"));
    }
    Ok(())
}

/// Reads, schema-validates and parses one manifest file. `validate` is the
/// schema check for the file's kind.
fn load_manifest<T>(
    read: &ReadFile<'_>,
    path: &str,
    validate: fn(&serde_json::Value) -> Result<(), Vec<String>>,
    parse: fn(&str) -> Result<T, manifest::ManifestError>,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    if let Err(e) = safe_path(path) {
        problems.push(problem(path, e));
        return None;
    }
    let bytes = match read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            problems.push(problem(path, format!("cannot read: {e}")));
            return None;
        }
    };
    let Ok(text) = String::from_utf8(bytes) else {
        problems.push(problem(path, "not UTF-8 text"));
        return None;
    };
    let json = match manifest::yaml_to_json(&text) {
        Ok(json) => json,
        Err(e) => {
            problems.push(problem(path, e.to_string()));
            return None;
        }
    };
    // Schema problems are reported one per line; parsing is still attempted
    // so that a schema-only issue (say a bad hash pattern) does not hide the
    // cross-file checks.
    if let Err(errors) = validate(&json) {
        problems.extend(errors.into_iter().map(|e| problem(path, format!("schema: {e}"))));
    }
    match parse(&text) {
        Ok(value) => Some(value),
        Err(e) => {
            problems.push(problem(path, e.to_string()));
            None
        }
    }
}

/// Loads `mesh.yaml` and every unit manifest it lists. Unreadable or invalid
/// files are reported and left out; `None` when `mesh.yaml` itself cannot be
/// used. Used by both `check` and `diff`.
pub fn load_build(read: &ReadFile<'_>, problems: &mut Vec<Problem>) -> Option<Build> {
    let mesh = load_manifest(read, MESH_FILE, manifest::validate_mesh, MeshManifest::from_yaml, problems)?;
    let mut units = Vec::new();
    for entry in &mesh.nanoservices {
        if let Some(unit) =
            load_manifest(read, &entry.manifest, manifest::validate_unit, UnitManifest::from_yaml, problems)
        {
            units.push(LoadedUnit { listed_as: entry.name.clone(), file: entry.manifest.clone(), manifest: unit });
        }
    }
    Some(Build { mesh, units })
}

/// Checks a build output directory: schemas, artifact hashes, and agreement
/// between `mesh.yaml` and the unit manifests (names, hashes, edges against
/// resume points and exits, providers).
pub fn check_build(read: &ReadFile<'_>) -> CheckReport {
    let mut problems = Vec::new();
    let Some(build) = load_build(read, &mut problems) else {
        return CheckReport { nanoservices: 0, edges: 0, problems };
    };
    check_loaded(&build, read, &mut problems);
    CheckReport { nanoservices: build.mesh.nanoservices.len(), edges: build.mesh.edges.len(), problems }
}

fn check_loaded(build: &Build, read: &ReadFile<'_>, problems: &mut Vec<Problem>) {
    let mesh = &build.mesh;
    if mesh.abi_version != ABI_VERSION {
        problems.push(problem(
            MESH_FILE,
            format!("abi_version {} is not the ABI this g2n speaks ({ABI_VERSION})", mesh.abi_version),
        ));
    }

    // Mesh entries by name; duplicates would make every lookup ambiguous.
    let mut listed: BTreeMap<&str, &str> = BTreeMap::new();
    for entry in &mesh.nanoservices {
        if listed.insert(entry.name.as_str(), entry.manifest.as_str()).is_some() {
            problems.push(problem(MESH_FILE, format!("nanoservice `{}` is listed twice", entry.name)));
        }
    }
    if !listed.contains_key(mesh.entry.as_str()) {
        problems.push(problem(MESH_FILE, format!("entry `{}` is not a listed nanoservice", mesh.entry)));
    }

    // Units by name, with the file they came from for messages.
    let mut units: BTreeMap<&str, (&UnitManifest, &str)> = BTreeMap::new();
    for loaded in &build.units {
        let (unit, file) = (&loaded.manifest, loaded.file.as_str());
        let Some(entry) = mesh.nanoservices.iter().find(|e| e.name == loaded.listed_as) else { continue };
        if unit.name != entry.name {
            problems.push(problem(file, format!("name `{}` but mesh.yaml lists it as `{}`", unit.name, entry.name)));
        }
        if unit.content_hash != entry.content_hash {
            problems.push(problem(
                file,
                format!("content_hash {} differs from mesh.yaml's {}", unit.content_hash, entry.content_hash),
            ));
        }
        if unit.abi_version != mesh.abi_version {
            problems.push(problem(
                file,
                format!("abi_version {} differs from mesh.yaml's {}", unit.abi_version, mesh.abi_version),
            ));
        }
        if unit.entry != (unit.name == mesh.entry) {
            let says = if unit.entry { "is marked entry" } else { "is not marked entry" };
            problems.push(problem(file, format!("{says} but mesh.yaml's entry is `{}`", mesh.entry)));
        }
        check_unit_shape(unit, file, problems);
        check_artifacts(unit, file, read, problems);
        // The first listing wins when a name is duplicated (already reported).
        units.entry(entry.name.as_str()).or_insert((unit, file));
    }

    check_edges(mesh, &listed, &units, problems);
}

/// Duplicate ids and indexes inside one unit manifest.
fn check_unit_shape(unit: &UnitManifest, file: &str, problems: &mut Vec<Problem>) {
    let mut ids = BTreeSet::new();
    for rp in &unit.resume_points {
        if !ids.insert(rp.id) {
            problems.push(problem(file, format!("resume point {} is listed twice", rp.id)));
        }
        duplicate_names(rp.captured.iter().map(|v| v.name.as_str()), &format!("resume point {}", rp.id), file, problems);
    }
    let mut indexes = BTreeSet::new();
    for exit in &unit.exits {
        if !indexes.insert(exit.index) {
            problems.push(problem(file, format!("exit {} is listed twice", exit.index)));
        }
        duplicate_names(exit.sends.iter().map(|v| v.name.as_str()), &format!("exit {}", exit.index), file, problems);
    }
}

fn duplicate_names<'a>(names: impl Iterator<Item = &'a str>, what: &str, file: &str, problems: &mut Vec<Problem>) {
    let mut seen = BTreeSet::new();
    for name in names {
        if !seen.insert(name) {
            problems.push(problem(file, format!("{what}: variable `{name}` is listed twice")));
        }
    }
}

/// Every artifact exists and has the recorded hash.
fn check_artifacts(unit: &UnitManifest, file: &str, read: &ReadFile<'_>, problems: &mut Vec<Problem>) {
    let artifacts = [("object", Some(&unit.artifacts.object)), ("executable", unit.artifacts.executable.as_ref())];
    for (kind, artifact) in artifacts {
        let Some(artifact) = artifact else { continue };
        if let Err(e) = safe_path(&artifact.path) {
            problems.push(problem(file, format!("{kind}: {e}")));
            continue;
        }
        match read(&artifact.path) {
            Ok(bytes) => {
                let actual = content_hash(&bytes);
                if actual != artifact.sha256 {
                    problems.push(problem(
                        file,
                        format!("{kind} {}: sha256 is {actual}, manifest records {}", artifact.path, artifact.sha256),
                    ));
                }
            }
            Err(e) => problems.push(problem(file, format!("{kind} {}: cannot read: {e}", artifact.path))),
        }
    }
}

/// `(name, go_type)` pairs, sorted, for comparing variable lists regardless
/// of order.
fn typed(vars: impl Iterator<Item = (String, String)>) -> Vec<(String, String)> {
    let mut v: Vec<_> = vars.collect();
    v.sort();
    v
}

fn sent(vars: &[SentVar]) -> Vec<(String, String)> {
    typed(vars.iter().map(|v| (v.name.clone(), v.go_type.clone())))
}

fn captured(vars: &[CapturedVar]) -> Vec<(String, String)> {
    typed(vars.iter().map(|v| (v.name.clone(), v.go_type.clone())))
}

fn show(vars: &[(String, String)]) -> String {
    if vars.is_empty() {
        return "nothing".into();
    }
    vars.iter().map(|(n, t)| format!("{n} {t}")).collect::<Vec<_>>().join(", ")
}

fn edge_label(edge: &Edge) -> String {
    format!("edge {} -> {} (resume point {})", edge.from, edge.to, edge.resume_point)
}

/// Edges against units, in both directions: every edge matches an exit of its
/// sender and a resume point of its target with the same variables, every exit
/// has its edge, and every captured variable names exactly the senders that
/// provide it.
fn check_edges(
    mesh: &MeshManifest,
    listed: &BTreeMap<&str, &str>,
    units: &BTreeMap<&str, (&UnitManifest, &str)>,
    problems: &mut Vec<Problem>,
) {
    let mut seen = BTreeSet::new();
    for edge in &mesh.edges {
        let label = edge_label(edge);
        if !seen.insert((&edge.from, &edge.to, edge.resume_point)) {
            problems.push(problem(MESH_FILE, format!("{label} is listed twice")));
        }
        for (role, name) in [("from", &edge.from), ("to", &edge.to)] {
            if !listed.contains_key(name.as_str()) {
                problems.push(problem(MESH_FILE, format!("{label}: `{role}` names unknown nanoservice `{name}`")));
            }
        }
        let vars = sent(&edge.vars);
        if let Some((target, file)) = units.get(edge.to.as_str()) {
            match target.resume_points.iter().find(|rp| rp.id == edge.resume_point) {
                Some(rp) => {
                    let want = captured(&rp.captured);
                    if want != vars {
                        problems.push(problem(
                            MESH_FILE,
                            format!("{label} sends [{}] but {file} captures [{}]", show(&vars), show(&want)),
                        ));
                    }
                }
                None => problems.push(problem(
                    MESH_FILE,
                    format!("{label}: {file} has no resume point {}", edge.resume_point),
                )),
            }
        }
        if let Some((sender, file)) = units.get(edge.from.as_str()) {
            let exits: Vec<_> =
                sender.exits.iter().filter(|e| e.target == edge.to && e.resume_point == edge.resume_point).collect();
            if exits.is_empty() {
                problems.push(problem(
                    MESH_FILE,
                    format!("{label}: {file} has no exit to {} at resume point {}", edge.to, edge.resume_point),
                ));
            }
            for exit in exits {
                let sends = sent(&exit.sends);
                if sends != vars {
                    problems.push(problem(
                        MESH_FILE,
                        format!("{label} lists [{}] but exit {} of {file} sends [{}]", show(&vars), exit.index, show(&sends)),
                    ));
                }
            }
        }
    }

    for (name, (unit, file)) in units {
        for exit in &unit.exits {
            let has_edge =
                mesh.edges.iter().any(|e| e.from == *name && e.to == exit.target && e.resume_point == exit.resume_point);
            if !has_edge {
                problems.push(problem(
                    file,
                    format!(
                        "exit {} to {} (resume point {}) has no edge in mesh.yaml",
                        exit.index, exit.target, exit.resume_point
                    ),
                ));
            }
        }
        for rp in &unit.resume_points {
            check_providers(name, rp, mesh, file, problems);
        }
    }
}

/// `provided_by` of each captured variable is exactly the set of units with an
/// edge into this resume point that carries the variable.
fn check_providers(name: &str, rp: &ResumePoint, mesh: &MeshManifest, file: &str, problems: &mut Vec<Problem>) {
    for var in &rp.captured {
        let expected: BTreeSet<&str> = mesh
            .edges
            .iter()
            .filter(|e| e.to == name && e.resume_point == rp.id && e.vars.iter().any(|v| v.name == var.name))
            .map(|e| e.from.as_str())
            .collect();
        let recorded: BTreeSet<&str> = var.provided_by.iter().map(String::as_str).collect();
        if expected != recorded {
            let list = |s: &BTreeSet<&str>| if s.is_empty() { "none".to_string() } else { s.iter().copied().collect::<Vec<_>>().join(", ") };
            problems.push(problem(
                file,
                format!(
                    "resume point {}: `{}` is provided_by [{}] but mesh.yaml's edges bring it from [{}]",
                    rp.id,
                    var.name,
                    list(&recorded),
                    list(&expected)
                ),
            ));
        }
    }
}
