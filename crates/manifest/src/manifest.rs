//! Build output manifests: one [`UnitManifest`] per nanoservice and one
//! [`MeshManifest`] per build, as YAML with a published JSON Schema.
//!
//! The types are plain serde + schemars structs, so the YAML, the schema and
//! the Rust API cannot drift apart. Output is deterministic: there is no
//! `HashMap`, every list is put into a canonical order by `normalized()`
//! before writing, and `to_yaml` destructures each struct so that a new field
//! cannot be added without deciding how it is written.
//!
//! Field meanings are documented in docs/manifests.md (and on each field below;
//! those doc comments become the schema's descriptions).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::GENERATED_HEADER;

/// The version of the handoff ABI that manifests describe: the one
/// `g2n_abi::ABI_VERSION` (one source of truth). A runtime refuses a
/// nanoservice built for another version.
pub use g2n_abi::ABI_VERSION;

/// `sha256:<64 lowercase hex digits>`.
pub(crate) const HASH_PATTERN: &str = r"^sha256:[0-9a-f]{64}$";
/// A nanoservice name (see `config::validate_name`).
pub(crate) const NAME_PATTERN: &str = r"^[a-z0-9_][a-z0-9._-]{0,63}$";
/// A relative path with '/' separators: no leading '/', no backslash.
pub(crate) const PATH_PATTERN: &str = r"^[^/\\][^\\]*$";

/// The value of `generated_by` for this build of g2n.
pub fn generated_by() -> String {
    format!("g2n {}", env!("CARGO_PKG_VERSION"))
}

/// `sha256:<hex>` of `bytes`, the form every hash in a manifest takes.
pub fn content_hash(bytes: &[u8]) -> String {
    format!("sha256:{}", crate::sha256_hex(bytes))
}

/// Reading a manifest failed.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ManifestError {
    #[error("manifest is not valid YAML for its type: {0}")]
    #[diagnostic(code(g2n::manifest::yaml), help("manifests are written by `g2n build`; rebuild instead of editing"))]
    Yaml(String),
}

/// The manifest of one nanoservice (a *unit* of the split program).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "g2n unit manifest")]
pub struct UnitManifest {
    /// "g2n <version>" of the compiler that wrote this manifest.
    pub generated_by: String,
    /// Handoff ABI version the artifacts speak.
    pub abi_version: u32,
    /// Nanoservice name: 1 to 64 characters of `[a-z0-9-_.]`, not starting with `.` or `-`.
    #[schemars(regex(pattern = r"^[a-z0-9_][a-z0-9._-]{0,63}$"))]
    pub name: String,
    /// `sha256:<hex>` of the unit's Go code.
    #[schemars(regex(pattern = r"^sha256:[0-9a-f]{64}$"))]
    pub content_hash: String,
    /// Where the unit's code comes from.
    pub source: SourceRef,
    /// Whether flows start on this unit (it runs `main`'s first statement).
    pub entry: bool,
    /// Points where a flow can enter this unit, sorted by id.
    pub resume_points: Vec<ResumePoint>,
    /// `goToNetwork` statements in this unit, sorted by index.
    pub exits: Vec<Exit>,
    /// The program's own defined types that the variables it receives and
    /// sends are made of (their `go_type`s name them), sorted by name;
    /// absent when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<DeclaredType>,
    /// Files built for this unit.
    pub artifacts: Artifacts,
}

/// A defined type of the program that travels: what a replacement of a
/// config must keep for the values it sends or receives to mean the same.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclaredType {
    /// The type's name, as `go_type`s spell it (`Point`).
    pub name: String,
    /// Its underlying type, spelled out (`struct{X int; Y int}`).
    pub underlying: String,
    /// Its methods as Go declares them without bodies
    /// (`func (Point) Norm() int`, `func (*Point) Move(int, int)`), sorted.
    pub methods: Vec<String>,
    /// The nanoservice whose config declares it: this one, or the upstream
    /// one the declaration was resolved from.
    #[schemars(regex(pattern = r"^[a-z0-9_][a-z0-9._-]{0,63}$"))]
    pub declared_in: String,
}

/// A source file and, optionally, the lines of it that make up the unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    /// Relative path with '/' separators.
    #[schemars(regex(pattern = r"^[^/\\][^\\]*$"))]
    pub path: String,
    /// First and last line (1-based, inclusive); absent when the whole file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<(u32, u32)>,
    /// The other files of a program of several Go files, in the order they
    /// were read (`path` is the first); absent for a program of one file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_files: Vec<SourceFile>,
}

/// One more file of a program of several Go files.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceFile {
    /// Relative path with '/' separators.
    #[schemars(regex(pattern = r"^[^/\\][^\\]*$"))]
    pub path: String,
    /// First and last line (1-based, inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<(u32, u32)>,
}

/// An entry point of a unit: program start, or right after a `goToNetwork`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResumePoint {
    /// Resume point id, unique in the program (0 is program start).
    pub id: u32,
    /// Source line of the `goToNetwork` that leads here; absent for program start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// Variables received at this point, sorted by name.
    pub captured: Vec<CapturedVar>,
}

/// A variable a unit receives in the handoff scope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CapturedVar {
    pub name: String,
    /// The Go type as Go prints it (`string`, `[]int`, `map[string]int`).
    pub go_type: String,
    /// Names of the upstream units that send it, sorted.
    pub provided_by: Vec<String>,
}

/// A `goToNetwork` statement: where the flow goes and what it carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Exit {
    /// Index of the exit within the unit, in source order.
    pub index: u32,
    /// Target nanoservice name.
    #[schemars(regex(pattern = r"^[a-z0-9_][a-z0-9._-]{0,63}$"))]
    pub target: String,
    /// The resume point the flow enters at the target.
    pub resume_point: u32,
    /// Source line of the `goToNetwork` statement.
    pub line: u32,
    /// Variables sent, sorted by name.
    pub sends: Vec<SentVar>,
}

/// A variable carried by a handoff.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SentVar {
    pub name: String,
    /// The Go type as Go prints it.
    pub go_type: String,
}

/// Files built for one unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Artifacts {
    /// The native object (Cranelift output).
    pub object: Artifact,
    /// The linked executable, when one was built.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executable: Option<Artifact>,
}

/// A built file and its hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Artifact {
    /// Relative path with '/' separators, relative to the build directory (where mesh.yaml is).
    #[schemars(regex(pattern = r"^[^/\\][^\\]*$"))]
    pub path: String,
    /// `sha256:<hex>` of the file.
    #[schemars(regex(pattern = r"^sha256:[0-9a-f]{64}$"))]
    pub sha256: String,
}

/// The manifest of a whole mesh: every nanoservice and every edge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "g2n mesh manifest")]
pub struct MeshManifest {
    /// "g2n <version>" of the compiler that wrote this manifest.
    pub generated_by: String,
    /// Handoff ABI version of every unit.
    pub abi_version: u32,
    /// The unit where flows start.
    #[schemars(regex(pattern = r"^[a-z0-9_][a-z0-9._-]{0,63}$"))]
    pub entry: String,
    /// Every unit, sorted by name.
    pub nanoservices: Vec<MeshUnit>,
    /// Every possible handoff, sorted by (from, to, resume_point).
    pub edges: Vec<Edge>,
}

/// One nanoservice of a mesh.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeshUnit {
    #[schemars(regex(pattern = r"^[a-z0-9_][a-z0-9._-]{0,63}$"))]
    pub name: String,
    /// Relative path of the unit's manifest, '/' separators.
    #[schemars(regex(pattern = r"^[^/\\][^\\]*$"))]
    pub manifest: String,
    /// Same as the unit manifest's `content_hash`.
    #[schemars(regex(pattern = r"^sha256:[0-9a-f]{64}$"))]
    pub content_hash: String,
}

/// A possible handoff between two units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Edge {
    #[schemars(regex(pattern = r"^[a-z0-9_][a-z0-9._-]{0,63}$"))]
    pub from: String,
    #[schemars(regex(pattern = r"^[a-z0-9_][a-z0-9._-]{0,63}$"))]
    pub to: String,
    /// Resume point entered at `to`.
    pub resume_point: u32,
    /// Variables sent, sorted by name.
    pub vars: Vec<SentVar>,
}

/// Writes a value as YAML after the generated-file header.
fn yaml_with_header<T: Serialize>(value: &T) -> String {
    match serde_saphyr::to_string(value) {
        Ok(body) => format!("{GENERATED_HEADER}\n{body}"),
        // Plain structs of strings and integers always serialize; a comment is
        // still better than a panic if that ever changes.
        Err(e) => format!("{GENERATED_HEADER}\n# error: could not serialize: {e}\n"),
    }
}

fn from_yaml_str<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, ManifestError> {
    serde_saphyr::from_str(text).map_err(|e| ManifestError::Yaml(e.without_snippet().to_string()))
}

impl UnitManifest {
    /// The same manifest with every list in canonical order.
    pub fn normalized(&self) -> UnitManifest {
        let UnitManifest {
            generated_by,
            abi_version,
            name,
            content_hash,
            source,
            entry,
            resume_points,
            exits,
            types,
            artifacts,
        } = self;
        let mut resume_points = resume_points.clone();
        for rp in &mut resume_points {
            for var in &mut rp.captured {
                var.provided_by.sort();
                var.provided_by.dedup();
            }
            rp.captured.sort_by(|a, b| (&a.name, &a.go_type).cmp(&(&b.name, &b.go_type)));
        }
        resume_points.sort_by_key(|rp| rp.id);
        let mut exits = exits.clone();
        for exit in &mut exits {
            exit.sends.sort();
        }
        exits.sort_by_key(|e| e.index);
        let mut types = types.clone();
        for ty in &mut types {
            ty.methods.sort();
        }
        types.sort_by(|a, b| a.name.cmp(&b.name));
        UnitManifest {
            generated_by: generated_by.clone(),
            abi_version: *abi_version,
            name: name.clone(),
            content_hash: content_hash.clone(),
            source: source.clone(),
            entry: *entry,
            resume_points,
            exits,
            types,
            artifacts: artifacts.clone(),
        }
    }

    /// YAML with a `# generated by g2n` first line; lists in canonical order.
    pub fn to_yaml(&self) -> String {
        yaml_with_header(&self.normalized())
    }

    pub fn from_yaml(text: &str) -> Result<UnitManifest, ManifestError> {
        from_yaml_str(text)
    }
}

impl MeshManifest {
    /// The same manifest with every list in canonical order.
    pub fn normalized(&self) -> MeshManifest {
        let MeshManifest { generated_by, abi_version, entry, nanoservices, edges } = self;
        let mut nanoservices = nanoservices.clone();
        nanoservices.sort_by(|a, b| a.name.cmp(&b.name));
        let mut edges = edges.clone();
        for edge in &mut edges {
            edge.vars.sort();
        }
        edges.sort_by(|a, b| (&a.from, &a.to, a.resume_point).cmp(&(&b.from, &b.to, b.resume_point)));
        MeshManifest {
            generated_by: generated_by.clone(),
            abi_version: *abi_version,
            entry: entry.clone(),
            nanoservices,
            edges,
        }
    }

    /// YAML with a `# generated by g2n` first line; lists in canonical order.
    pub fn to_yaml(&self) -> String {
        yaml_with_header(&self.normalized())
    }

    pub fn from_yaml(text: &str) -> Result<MeshManifest, ManifestError> {
        from_yaml_str(text)
    }
}

/// The JSON Schema (draft 2020-12) of [`UnitManifest`].
pub fn unit_schema() -> serde_json::Value {
    schemars::schema_for!(UnitManifest).to_value()
}

/// The JSON Schema (draft 2020-12) of [`MeshManifest`].
pub fn mesh_schema() -> serde_json::Value {
    schemars::schema_for!(MeshManifest).to_value()
}

/// Checks a unit manifest (parsed into JSON) against [`unit_schema`].
/// Errors are "<json pointer>: <problem>", in document order.
pub fn validate_unit(value: &serde_json::Value) -> Result<(), Vec<String>> {
    crate::schema::validate(&unit_schema(), value)
}

/// Checks a mesh manifest (parsed into JSON) against [`mesh_schema`].
pub fn validate_mesh(value: &serde_json::Value) -> Result<(), Vec<String>> {
    crate::schema::validate(&mesh_schema(), value)
}

/// Parses manifest YAML into JSON for [`validate_unit`] / [`validate_mesh`]
/// (what `g2n manifest check` does with a file).
pub fn yaml_to_json(text: &str) -> Result<serde_json::Value, ManifestError> {
    from_yaml_str(text)
}

#[cfg(test)]
mod tests {
    #[test]
    fn patterns_in_attributes_match_the_constants() {
        // The derive attributes need literals; keep them equal to the constants
        // that the validator knows how to check.
        let schema = super::unit_schema().to_string();
        assert!(schema.contains(&serde_json::Value::String(super::HASH_PATTERN.into()).to_string()));
        assert!(schema.contains(&serde_json::Value::String(super::PATH_PATTERN.into()).to_string()));
        assert!(schema.contains(&serde_json::Value::String(super::NAME_PATTERN.into()).to_string()));
    }
}
