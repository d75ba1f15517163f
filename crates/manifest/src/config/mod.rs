//! The nanoservice configuration: reading (with spans) and writing (strict YAML).
//!
//! [`load`] reads the seed's shape. The `code:` key is read line by line (see
//! `code.rs`, because `- }` is not YAML); the rest of the document is parsed by
//! serde-saphyr after the code section has been blanked to spaces, so the two
//! readers never disagree about offsets and Go lines can never be YAML errors.
//!
//! The Go text handed to the compiler ([`NanoserviceConfig::go_code`]) has the
//! same length as the YAML: code bytes stay where they are, every other byte
//! becomes a space (newlines stay), so a Go span is a YAML span and Go line
//! numbers are YAML line numbers.
//!
//! [`write`] produces the strict-YAML form for `g2n split`.

mod code;
mod errors;
mod raw;
mod write;

use std::collections::BTreeMap;

use g2n_base::{FileId, Span};

pub use errors::{ConfigError, ConfigWarning};
pub use raw::edit_distance;
pub use write::{EndpointOut, NanoserviceConfigOut, normalize_code, write};

/// Every top-level key a nanoservice config may have, in documented order.
pub const TOP_LEVEL_KEYS: &[&str] = &["name", "description", "entry", "source", "resume_points", "code", "goToNetworks"];

/// Every key of a `goToNetworks.<name>` entry.
pub const ENDPOINT_KEYS: &[&str] = &["host", "port", "username", "password", "password_env"];

/// Longest accepted nanoservice name, in characters.
pub const MAX_NAME_LEN: usize = g2n_base::NANOSERVICE_NAME_MAX;

/// A nanoservice configuration read from YAML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NanoserviceConfig {
    /// The `name:` field, else the file stem.
    pub name: String,
    /// The span of the `name:` value; `None` when the name is the file stem.
    pub name_span: Option<Span>,
    /// The Go text: the YAML with every byte that is not code replaced by a
    /// space (newlines kept). Same byte length as the YAML.
    pub go_code: String,
    /// From the `code` key to the end of the last code line.
    pub code_span: Span,
    /// One span per Go line, in order (content only, no `- ` marker).
    pub code_lines: Vec<Span>,
    /// `goToNetworks:` entries by target name.
    pub go_to_networks: BTreeMap<String, Endpoint>,
    /// `description:`, free text for humans.
    pub description: Option<String>,
    /// `entry:`: whether flows start on this nanoservice (written by `g2n split`).
    pub entry: Option<bool>,
    /// `source:`: the program this nanoservice was split from (written by `g2n split`).
    pub source: Option<String>,
    /// `resume_points:`: the resume point ids this nanoservice can be entered at.
    pub resume_points: Vec<u32>,
    pub warnings: Vec<ConfigWarning>,
}

impl NanoserviceConfig {
    /// The Go source as a programmer would write it: the code lines joined by
    /// newlines (offsets are lost; use [`NanoserviceConfig::go_code`] to compile).
    pub fn source_text(&self) -> String {
        let mut out = String::new();
        for span in &self.code_lines {
            out.push_str(self.go_code.get(span.start as usize..span.end as usize).unwrap_or(""));
            out.push('\n');
        }
        out
    }
}

/// Where a `goToNetwork` target lives and how the caller authenticates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub name: String,
    pub name_span: Span,
    pub host: Option<String>,
    pub host_span: Option<Span>,
    pub port: Option<u16>,
    pub port_span: Option<Span>,
    pub username: Option<String>,
    pub username_span: Option<Span>,
    pub password: Option<Secret>,
    pub password_span: Option<Span>,
    /// From the target name to the end of its last field.
    pub span: Span,
}

/// A credential: given in the file (discouraged) or named by an environment variable.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Secret {
    /// `password: ...`; accepted for the seed's sake, with a warning.
    Literal(String),
    /// `password_env: NAME`: the password is the value of `$NAME` at run time.
    Env(String),
}

/// Checks a nanoservice (or goToNetworks target) name: the one rule of
/// [`g2n_base::check_nanoservice_name`]. Returns the reason when it is not valid.
pub use g2n_base::check_nanoservice_name as validate_name;

/// Reads a nanoservice config. `file` is the id of the YAML in the `SourceDb`
/// (every span points into it); `file_stem` names the nanoservice when there
/// is no `name:`.
///
/// Returns `Some` whenever the code could be read, even if other errors were
/// found, so the driver can go on to report Go errors too; the config is only
/// usable when the error list is empty. Never panics.
pub fn load(file: FileId, yaml_text: &str, file_stem: &str) -> (Option<NanoserviceConfig>, Vec<ConfigError>) {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let span = |r: std::ops::Range<usize>| Span::new(file, to_u32(r.start), to_u32(r.end));

    // serde-saphyr skips a byte-order mark; offsets are kept by skipping it here too.
    let from = if yaml_text.starts_with('\u{FEFF}') { '\u{FEFF}'.len_utf8() } else { 0 };
    let scan = code::scan(yaml_text, from);
    for problem in scan.problems {
        match problem {
            code::ScanProblem::Folded(r) => errors.push(ConfigError::FoldedCode { span: span(r) }),
            code::ScanProblem::Shape(r) => errors.push(ConfigError::CodeShape { span: span(r) }),
            code::ScanProblem::NotAnItem(r) => errors.push(ConfigError::CodeLine { span: span(r) }),
            code::ScanProblem::QuotedLine(r) => warnings.push(ConfigWarning::QuotedCodeLine { span: span(r) }),
        }
    }

    // The YAML parser sees the document with the code section blanked.
    let mut parser_bytes = yaml_text.as_bytes().to_vec();
    if let Some(section) = &scan.section {
        blank(&mut parser_bytes, section.blank.clone());
    }
    let parser_text = String::from_utf8(parser_bytes).unwrap_or_default();
    let parsed = raw::parse(&parser_text, from, file);

    let section = match scan.section {
        Some(section) => section,
        None => {
            if let Some(key) = parsed.doc.as_ref().and_then(|d| d.code_key) {
                errors.push(ConfigError::CodeKey { span: key });
            } else if parsed.error.is_none() {
                errors.push(ConfigError::MissingCode { span: Span::new(file, 0, 0) });
            }
            errors.extend(parsed.error);
            sort(&mut errors);
            return (None, errors);
        }
    };
    let code_span = span(section.key.start..section.end);
    if section.lines.iter().all(|r| yaml_text.get(r.clone()).is_none_or(|t| t.trim().is_empty()))
        && !errors.iter().any(|e| matches!(e, ConfigError::CodeShape { .. } | ConfigError::FoldedCode { .. } | ConfigError::CodeLine { .. }))
    {
        errors.push(ConfigError::EmptyCode { span: code_span });
    }

    // The Go text: newlines kept, code bytes kept, everything else a space.
    let mut go_bytes: Vec<u8> = yaml_text.bytes().map(|b| if b == b'\n' { b'\n' } else { b' ' }).collect();
    for r in &section.lines {
        if let (Some(dst), Some(src)) = (go_bytes.get_mut(r.clone()), yaml_text.as_bytes().get(r.clone())) {
            dst.copy_from_slice(src);
        }
    }
    // Code ranges start and end on ASCII boundaries, so this cannot fail; the
    // fallback keeps the same-length invariant anyway.
    let go_code = String::from_utf8(go_bytes).unwrap_or_else(|_| " ".repeat(yaml_text.len()));

    let mut config = NanoserviceConfig {
        name: file_stem.to_string(),
        name_span: None,
        go_code,
        code_span,
        code_lines: section.lines.iter().map(|r| span(r.clone())).collect(),
        go_to_networks: BTreeMap::new(),
        description: None,
        entry: None,
        source: None,
        resume_points: Vec::new(),
        warnings: Vec::new(),
    };

    if let Some(err) = parsed.error {
        errors.push(err);
    }
    if let Some(doc) = parsed.doc {
        raw::apply(doc, &mut config, &mut errors, &mut warnings);
    }
    if config.name_span.is_none()
        && let Err(reason) = validate_name(&config.name)
    {
        errors.push(ConfigError::BadName {
            what: "nanoservice name (from the file name)".to_string(),
            name: config.name.clone(),
            reason,
            span: Span::new(file, 0, 0),
        });
    }
    warnings.sort_by_key(|w| w.span());
    config.warnings = warnings;
    sort(&mut errors);
    (Some(config), errors)
}

/// Errors in file order, so output is deterministic and reads top to bottom.
fn sort(errors: &mut [ConfigError]) {
    errors.sort_by_key(|e| e.span());
}

/// Replaces `range` of `bytes` by spaces, keeping newlines.
fn blank(bytes: &mut [u8], range: std::ops::Range<usize>) {
    if let Some(slice) = bytes.get_mut(range) {
        for b in slice {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    }
}

/// Offsets beyond 4 GiB cannot occur in a config; saturate rather than panic.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
