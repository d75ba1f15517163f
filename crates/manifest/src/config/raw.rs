//! The strict-YAML part of a nanoservice config, read with serde-saphyr.
//!
//! The document is read into "raw" values that keep every key and value with
//! its location (`serde_saphyr::Spanned`), through hand-written map visitors:
//! a derived struct with `deny_unknown_fields` would stop at the first unknown
//! key and lose its span, while collecting keys lets [`apply`] report every
//! unknown key, bad name and conflicting field at once, each at its place.

use std::fmt;

use g2n_base::{FileId, Span};
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_saphyr::{Location, Spanned};

use super::{ConfigError, ConfigWarning, ENDPOINT_KEYS, Endpoint, NanoserviceConfig, Secret, TOP_LEVEL_KEYS};

/// Result of parsing the non-code part of a config.
pub(super) struct Parsed {
    pub doc: Option<RawDoc>,
    pub error: Option<ConfigError>,
}

/// The parsed keys, still with serde-saphyr locations, plus what is needed
/// to turn those locations into byte spans.
pub(super) struct RawDoc {
    entries: Vec<(Spanned<String>, DocValue)>,
    /// The text the parser saw (after the byte-order mark).
    text: String,
    /// Byte offset of `text` in the file.
    base: usize,
    file: FileId,
    /// Span of a `code` key the YAML parser saw (the raw reader may not have).
    pub code_key: Option<Span>,
}

struct RawEndpoints(Vec<(Spanned<String>, Option<RawEndpoint>)>);

#[derive(Default)]
struct RawEndpoint(Vec<(Spanned<String>, RawField)>);

enum RawField {
    Str(Option<Spanned<String>>),
    Port(Option<Spanned<u64>>),
    Unknown,
}

/// Converts serde-saphyr's line/column (1-based, in characters) into byte spans.
struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset where each line starts, in `text`.
    starts: Vec<usize>,
    /// Added to every offset: the byte-order mark the parser did not see.
    base: usize,
    file: FileId,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str, base: usize, file: FileId) -> Self {
        let mut starts = vec![0];
        starts.extend(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1));
        LineIndex { text, starts, base, file }
    }

    /// Byte offset of a 1-based line and character column.
    fn offset(&self, line: u64, column: u64) -> usize {
        let line_index = usize::try_from(line.saturating_sub(1)).unwrap_or(usize::MAX);
        let Some(&start) = self.starts.get(line_index) else {
            return self.text.len();
        };
        let chars = usize::try_from(column.saturating_sub(1)).unwrap_or(usize::MAX);
        self.advance(start, chars)
    }

    /// The byte offset `chars` characters after `from` (stopping at the end).
    fn advance(&self, from: usize, chars: usize) -> usize {
        let rest = self.text.get(from..).unwrap_or("");
        from + rest.char_indices().nth(chars).map_or(rest.len(), |(i, _)| i)
    }

    fn span(&self, loc: &Location) -> Span {
        let start = self.offset(loc.line(), loc.column());
        let chars = usize::try_from(loc.span().len()).unwrap_or(0);
        let end = self.advance(start, chars);
        Span::new(self.file, to_u32(start + self.base), to_u32(end + self.base))
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Parses `text[from..]` (the document with the code section blanked).
pub(super) fn parse(text: &str, from: usize, file: FileId) -> Parsed {
    let body = text.get(from..).unwrap_or("");
    let index = LineIndex::new(body, from, file);
    match serde_saphyr::from_str::<Doc>(body) {
        Ok(doc) => {
            let code_key = doc.0.iter().find(|(k, _)| k.value == "code").map(|(k, _)| index.span(&k.referenced));
            Parsed {
                doc: Some(RawDoc { entries: doc.0, text: body.to_string(), base: from, file, code_key }),
                error: None,
            }
        }
        Err(err) => {
            let err = err.without_snippet();
            let span = match err.location() {
                Some(loc) => index.span(&loc),
                None => Span::new(file, to_u32(from), to_u32(from)),
            };
            Parsed { doc: None, error: Some(ConfigError::Yaml { message: yaml_message(err), span }) }
        }
    }
}

/// serde-saphyr's message without its " at line L, column C" suffix: the span
/// already says where.
fn yaml_message(err: &serde_saphyr::Error) -> String {
    let text = err.to_string();
    let first_line = text.lines().next().unwrap_or("").to_string();
    let message = match first_line.rfind(" at line ") {
        Some(pos) => first_line[..pos].to_string(),
        None => first_line,
    };
    // The parser's wording names its event; users think in YAML shapes.
    match message.as_str() {
        "expected mapping start" => "expected a mapping (`key: value` lines) here".to_string(),
        "expected sequence start" => "expected a list (`- item` lines) here".to_string(),
        _ => message,
    }
}

/// Applies the parsed keys to `config`, reporting problems with spans.
pub(super) fn apply(
    doc: RawDoc,
    config: &mut NanoserviceConfig,
    errors: &mut Vec<ConfigError>,
    warnings: &mut Vec<ConfigWarning>,
) {
    let index = LineIndex::new(&doc.text, doc.base, doc.file);
    for (key, value) in doc.entries {
        let key_span = index.span(&key.referenced);
        match (key.value.as_str(), value) {
            ("name", DocValue::Str(v)) => {
                if let Some(v) = v {
                    config.name_span = Some(index.span(&v.referenced));
                    config.name = v.value;
                }
            }
            ("description", DocValue::Str(v)) => config.description = v.map(|v| v.value),
            ("source", DocValue::Str(v)) => config.source = v.map(|v| v.value),
            ("entry", DocValue::Bool(v)) => config.entry = v.map(|v| v.value),
            ("resume_points", DocValue::Ids(v)) => {
                config.resume_points = v.unwrap_or_default().into_iter().map(|id| id.value).collect();
            }
            ("goToNetworks", DocValue::Endpoints(v)) => {
                for (name, endpoint) in v.map(|e| e.0).unwrap_or_default() {
                    let endpoint = read_endpoint(&index, name, endpoint.unwrap_or_default(), errors, warnings);
                    config.go_to_networks.insert(endpoint.name.clone(), endpoint);
                }
            }
            ("code", _) => {}
            (other, _) => errors.push(ConfigError::UnknownKey {
                key: other.to_string(),
                section: "the nanoservice config".to_string(),
                span: key_span,
                help: suggest(other, TOP_LEVEL_KEYS),
            }),
        }
    }
    if let Some(span) = config.name_span
        && let Err(reason) = super::validate_name(&config.name)
    {
        errors.push(ConfigError::BadName {
            what: "nanoservice name".to_string(),
            name: config.name.clone(),
            reason,
            span,
        });
    }
}

fn read_endpoint(
    index: &LineIndex<'_>,
    name: Spanned<String>,
    raw: RawEndpoint,
    errors: &mut Vec<ConfigError>,
    warnings: &mut Vec<ConfigWarning>,
) -> Endpoint {
    let name_span = index.span(&name.referenced);
    let mut endpoint = Endpoint {
        name: name.value.clone(),
        name_span,
        host: None,
        host_span: None,
        port: None,
        port_span: None,
        username: None,
        username_span: None,
        password: None,
        password_span: None,
        span: name_span,
    };
    if let Err(reason) = super::validate_name(&name.value) {
        errors.push(ConfigError::BadName {
            what: "goToNetworks target".to_string(),
            name: name.value.clone(),
            reason,
            span: name_span,
        });
    }
    let mut literal: Option<(String, Span)> = None;
    let mut env: Option<(String, Span)> = None;
    for (key, field) in raw.0 {
        let key_span = index.span(&key.referenced);
        endpoint.span = endpoint.span.to(key_span);
        match (key.value.as_str(), field) {
            ("host", RawField::Str(v)) => {
                if let Some(v) = v {
                    let s = index.span(&v.referenced);
                    endpoint.span = endpoint.span.to(s);
                    endpoint.host = Some(v.value);
                    endpoint.host_span = Some(s);
                }
            }
            ("username", RawField::Str(v)) => {
                if let Some(v) = v {
                    let s = index.span(&v.referenced);
                    endpoint.span = endpoint.span.to(s);
                    endpoint.username = Some(v.value);
                    endpoint.username_span = Some(s);
                }
            }
            ("password", RawField::Str(v)) => {
                if let Some(v) = v {
                    let s = index.span(&v.referenced);
                    endpoint.span = endpoint.span.to(s);
                    literal = Some((v.value, s));
                }
            }
            ("password_env", RawField::Str(v)) => {
                if let Some(v) = v {
                    let s = index.span(&v.referenced);
                    endpoint.span = endpoint.span.to(s);
                    env = Some((v.value, s));
                }
            }
            ("port", RawField::Port(v)) => {
                if let Some(v) = v {
                    let s = index.span(&v.referenced);
                    endpoint.span = endpoint.span.to(s);
                    endpoint.port_span = Some(s);
                    match u16::try_from(v.value) {
                        Ok(port) if port != 0 => endpoint.port = Some(port),
                        _ => errors.push(ConfigError::BadPort { value: v.value.to_string(), span: s }),
                    }
                }
            }
            (other, _) => errors.push(ConfigError::UnknownKey {
                key: other.to_string(),
                section: format!("goToNetworks.{}", name.value),
                span: key_span,
                help: suggest(other, ENDPOINT_KEYS),
            }),
        }
    }
    match (literal, env) {
        (Some((_, password_span)), Some((var, span))) => {
            errors.push(ConfigError::BothPasswords { endpoint: name.value.clone(), span, password_span });
            endpoint.password = Some(Secret::Env(var));
            endpoint.password_span = Some(span);
        }
        (Some((password, span)), None) => {
            warnings.push(ConfigWarning::PlainPassword { endpoint: name.value.clone(), span });
            endpoint.password = Some(Secret::Literal(password));
            endpoint.password_span = Some(span);
        }
        (None, Some((var, span))) => {
            endpoint.password = Some(Secret::Env(var));
            endpoint.password_span = Some(span);
        }
        (None, None) => {}
    }
    let no_password = match &endpoint.password {
        None => true,
        Some(Secret::Literal(p)) | Some(Secret::Env(p)) => p.is_empty(),
    };
    if let (Some(user), Some(user_span)) = (&endpoint.username, endpoint.username_span)
        && no_password
    {
        errors.push(ConfigError::MissingPassword { endpoint: name.value.clone(), user: user.clone(), span: user_span });
    }
    endpoint
}

/// "did you mean" help for an unknown key, plus the list of accepted keys.
fn suggest(key: &str, accepted: &[&str]) -> String {
    let lower = key.to_ascii_lowercase();
    let best = accepted
        .iter()
        .map(|k| (edit_distance(&lower, &k.to_ascii_lowercase()), *k))
        .min()
        .filter(|(d, k)| *d <= 2.max(k.len() / 4));
    let list = accepted.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
    match best {
        Some((_, k)) => format!("did you mean `{k}`? accepted keys: {list}"),
        None => format!("accepted keys: {list}"),
    }
}

/// Levenshtein distance over characters; keys are short.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let v = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            cur.push(v);
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

// ---- serde visitors -------------------------------------------------------

struct Doc(Vec<(Spanned<String>, DocValue)>);

enum DocValue {
    Str(Option<Spanned<String>>),
    Bool(Option<Spanned<bool>>),
    Ids(Option<Vec<Spanned<u32>>>),
    Endpoints(Option<RawEndpoints>),
    Ignored,
}

impl<'de> Deserialize<'de> for Doc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Doc;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of nanoservice config keys")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Doc, E> {
                Ok(Doc(Vec::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Doc, A::Error> {
                let mut out = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    let value = match key.value.as_str() {
                        "name" | "description" | "source" => DocValue::Str(map.next_value()?),
                        "entry" => DocValue::Bool(map.next_value()?),
                        "resume_points" => DocValue::Ids(map.next_value()?),
                        "goToNetworks" => DocValue::Endpoints(map.next_value()?),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                            DocValue::Ignored
                        }
                    };
                    out.push((key, value));
                }
                Ok(Doc(out))
            }
        }
        d.deserialize_map(V)
    }
}

impl<'de> Deserialize<'de> for RawEndpoints {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawEndpoints;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping from nanoservice names to their host and credentials")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawEndpoints, A::Error> {
                let mut out = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    out.push((key, map.next_value()?));
                }
                Ok(RawEndpoints(out))
            }
        }
        d.deserialize_map(V)
    }
}

impl<'de> Deserialize<'de> for RawEndpoint {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawEndpoint;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping with host, port, username, password or password_env")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawEndpoint, A::Error> {
                let mut out = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    let field = match key.value.as_str() {
                        "host" | "username" | "password" | "password_env" => RawField::Str(map.next_value()?),
                        "port" => RawField::Port(map.next_value()?),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                            RawField::Unknown
                        }
                    };
                    out.push((key, field));
                }
                Ok(RawEndpoint(out))
            }
        }
        d.deserialize_map(V)
    }
}
