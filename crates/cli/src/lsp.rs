//! `g2n lsp`: a language server over stdio for Go files and nanoservice
//! configs. The protocol's plumbing is lsp-server's (JSON-RPC framing, the
//! initialize handshake) and lsp-types'; what the server knows comes from
//! `g2n_ide`, which analyses texts. This file is the IO around it: the
//! editor's open buffers, the files of a directory read from disk, URIs and
//! positions converted, diagnostics published.
//!
//! A file is analysed with the files `g2n check DIR` would take with it
//! (`g2n_ide::Project::members`): a config with its directory's configs, a
//! Go file with its directory's Go files of the same package. Open buffers
//! take the place of the files on disk. Every change re-analyses the
//! changed file's project and publishes diagnostics for each of its files.

use g2n_ide::{Analysis, Document, LineIndex, Project};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{self, Notification as _};
use lsp_types::request::{self, Request as _};
use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, GotoDefinitionResponse, Hover, HoverContents, HoverProviderCapability,
    InitializeResult, MarkupContent, MarkupKind, NumberOrString, OneOf, Position, PublishDiagnosticsParams, Range, ServerCapabilities,
    ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind, Uri,
};
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Files past this size are left out of a project (a log file named
/// `x.yaml` must not stall the editor).
const MAX_FILE_BYTES: u64 = 4 << 20;

/// Runs the server on stdin/stdout until `exit`; the exit code is 0 after
/// `shutdown` then `exit`, 1 otherwise (the protocol's rule).
pub fn run() -> i32 {
    let (connection, io_threads) = Connection::stdio();
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    };
    let result = InitializeResult {
        capabilities,
        server_info: Some(ServerInfo { name: "g2n".to_string(), version: Some(env!("CARGO_PKG_VERSION").to_string()) }),
    };
    let code = match connection.initialize_start() {
        Ok((id, _params)) => match serde_json::to_value(result) {
            Ok(value) => match connection.initialize_finish(id, value) {
                Ok(()) => Server::default().serve(&connection),
                Err(e) => {
                    eprintln!("g2n lsp: {e}");
                    1
                }
            },
            Err(e) => {
                eprintln!("g2n lsp: {e}");
                1
            }
        },
        Err(e) => {
            eprintln!("g2n lsp: {e}");
            1
        }
    };
    drop(connection);
    if let Err(e) = io_threads.join() {
        eprintln!("g2n lsp: {e}");
        return 1;
    }
    code
}

#[derive(Default)]
struct Server {
    /// The editor's buffers by URI.
    open: BTreeMap<String, String>,
    shutting_down: bool,
    /// The last analysis, reused while its documents are unchanged.
    cache: Option<Analysis>,
    /// The standard-library packages loaded from Go's source, reused while
    /// a project's imports are unchanged.
    library: g2n_ide::LibraryCache,
}

impl Server {
    fn serve(&mut self, connection: &Connection) -> i32 {
        for message in &connection.receiver {
            match message {
                Message::Request(request) => {
                    let response = self.request(request);
                    if connection.sender.send(response.into()).is_err() {
                        return 1;
                    }
                }
                Message::Notification(note) if note.method == notification::Exit::METHOD => {
                    return if self.shutting_down { 0 } else { 1 };
                }
                Message::Notification(note) => {
                    for publish in self.notification(note) {
                        let note = Notification::new(notification::PublishDiagnostics::METHOD.to_string(), publish);
                        if connection.sender.send(note.into()).is_err() {
                            return 1;
                        }
                    }
                }
                Message::Response(_) => {}
            }
        }
        // stdin closed without `exit`.
        1
    }

    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        if self.shutting_down {
            return Response::new_err(id, ErrorCode::InvalidRequest as i32, "the server is shutting down".to_string());
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| self.answer(request)));
        match outcome {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err((code, message))) => Response::new_err(id, code as i32, message),
            Err(_) => Response::new_err(id, ErrorCode::InternalError as i32, "g2n failed on this request (a g2n bug)".to_string()),
        }
    }

    fn answer(&mut self, request: Request) -> Result<serde_json::Value, (ErrorCode, String)> {
        let invalid = |e: serde_json::Error| (ErrorCode::InvalidParams, e.to_string());
        let to_json = |value: serde_json::Result<serde_json::Value>| value.map_err(|e| (ErrorCode::InternalError, e.to_string()));
        match request.method.as_str() {
            request::Shutdown::METHOD => {
                self.shutting_down = true;
                Ok(serde_json::Value::Null)
            }
            request::HoverRequest::METHOD => {
                let params: lsp_types::HoverParams = serde_json::from_value(request.params).map_err(invalid)?;
                let at = params.text_document_position_params;
                let dir = file_path(&at.text_document.uri).and_then(|p| p.parent().map(Path::to_path_buf));
                let hover = self.at_position(&at.text_document.uri, at.position).and_then(|(analysis, doc, offset)| {
                    // The bytes of the last traced run, read at each hover on a
                    // goToNetwork (a run can end between two hovers).
                    let traced = || dir.as_deref().and_then(|dir| crate::traced_run::read(dir, analysis.documents()));
                    let hover = analysis.hover_with_trace(doc, offset, &traced)?;
                    let text = &analysis.documents()[hover.range.doc].text;
                    Some(Hover {
                        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: hover.markdown }),
                        range: Some(range(text, hover.range.start, hover.range.end)),
                    })
                });
                to_json(serde_json::to_value(hover))
            }
            request::GotoDefinition::METHOD => {
                let params: lsp_types::GotoDefinitionParams = serde_json::from_value(request.params).map_err(invalid)?;
                let at = params.text_document_position_params;
                let locations = self.at_position(&at.text_document.uri, at.position).map(|(analysis, doc, offset)| {
                    analysis.definition(doc, offset).into_iter().filter_map(|l| location(analysis, l)).collect::<Vec<_>>()
                });
                let response = locations.filter(|l| !l.is_empty()).map(GotoDefinitionResponse::Array);
                to_json(serde_json::to_value(response))
            }
            other => Err((ErrorCode::MethodNotFound, format!("g2n lsp does not answer {other}"))),
        }
    }

    /// Handles a notification; returns the diagnostics to publish.
    fn notification(&mut self, note: Notification) -> Vec<PublishDiagnosticsParams> {
        let uri = match note.method.as_str() {
            notification::DidOpenTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(note.params) else { return Vec::new() };
                self.open.insert(params.text_document.uri.as_str().to_string(), params.text_document.text);
                params.text_document.uri
            }
            notification::DidChangeTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(note.params) else { return Vec::new() };
                // Full sync: the last change holds the whole text.
                let Some(change) = params.content_changes.into_iter().last() else { return Vec::new() };
                self.open.insert(params.text_document.uri.as_str().to_string(), change.text);
                params.text_document.uri
            }
            notification::DidCloseTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(note.params) else { return Vec::new() };
                self.open.remove(params.text_document.uri.as_str());
                params.text_document.uri
            }
            _ => return Vec::new(),
        };
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let (analysis, _) = self.analyse(&uri)?;
            Some(publish(analysis))
        }));
        match outcome {
            Ok(published) => published.unwrap_or_default(),
            Err(_) => {
                eprintln!("g2n lsp: analysing {} failed (a g2n bug)", uri.as_str());
                Vec::new()
            }
        }
    }

    /// The analysis of `uri`'s project, the document's index in it and the
    /// byte offset of `position`.
    fn at_position(&mut self, uri: &Uri, position: Position) -> Option<(&Analysis, usize, u32)> {
        let (analysis, doc) = self.analyse(uri)?;
        let offset = LineIndex::new(&analysis.documents()[doc].text).offset(position.line, position.character);
        Some((analysis, doc, offset))
    }

    /// Analyses the project of `uri` (or reuses the last analysis when its
    /// documents are the same); returns it with the index of `uri`'s document.
    fn analyse(&mut self, uri: &Uri) -> Option<(&Analysis, usize)> {
        let (files, focus) = self.project_files(uri)?;
        let members = Project::members(&files, focus);
        let doc = members.iter().position(|&m| m == focus)?;
        let docs: Vec<Document> = members.into_iter().map(|m| files[m].clone()).collect();
        if self.cache.as_ref().is_none_or(|cached| cached.documents() != docs.as_slice()) {
            let root = match crate::goroot::find() {
                Ok(root) => root.display().to_string(),
                Err(why) => why,
            };
            // A file's module (the nearest go.mod, found as `g2n run` finds
            // it): its packages are compiled from the module's directories.
            // A library loaded for it is reused only for the same module
            // with the same Go files on disk.
            let module = file_path(uri).and_then(|path| crate::module_root::find(path.parent()?, &mut g2n_base::SourceDb::new()).ok().flatten());
            let key = match &module {
                Some(module) => format!("{root}\nmodule {} in {} ({})", module.path, module.dir.display(), go_files_stamp(&module.dir)),
                None => root,
            };
            let load = |program: &[&g2n_syntax::ast::File], db: &mut g2n_base::SourceDb| Some(crate::goroot::load_library(program, db, module.as_ref()));
            self.cache = Some(Analysis::with_cached_library(docs, &load, &key, &mut self.library));
        }
        Some((self.cache.as_ref()?, doc))
    }

    /// Every Go file and config of `uri`'s directory (open buffers before
    /// the disk), and the index of `uri`'s own. A document that is not a
    /// file on disk is its own directory.
    fn project_files(&self, uri: &Uri) -> Option<(Vec<Document>, usize)> {
        let own = self.open.get(uri.as_str()).cloned();
        let Some(path) = file_path(uri) else {
            return Some((vec![Document::new(uri.as_str(), own?)], 0));
        };
        let mut paths: Vec<PathBuf> = match path.parent().map(std::fs::read_dir) {
            Some(Ok(entries)) => entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| is_source(p) && p.is_file()).collect(),
            _ => Vec::new(),
        };
        if !paths.contains(&path) {
            paths.push(path.clone());
        }
        paths.sort();
        let mut files = Vec::new();
        let mut focus = None;
        for candidate in paths {
            let open = file_uri(&candidate).and_then(|u| self.open.get(u.as_str()).cloned());
            let text = match open {
                Some(text) => text,
                None if candidate.metadata().is_ok_and(|m| m.len() <= MAX_FILE_BYTES) => match std::fs::read_to_string(&candidate) {
                    Ok(text) => text,
                    Err(_) if candidate == path => own.clone()?,
                    Err(_) => continue,
                },
                None if candidate == path => own.clone()?,
                None => continue,
            };
            if candidate == path {
                focus = Some(files.len());
            }
            files.push(Document::new(candidate.display().to_string(), text));
        }
        Some((files, focus?))
    }
}

/// How many Go files are below a module's root and when the latest of them
/// changed (directories whose names start with `.`, and `testdata`, left
/// out, as go leaves them out; links not followed; at most
/// `MAX_STAMP_ENTRIES` entries read): a library loaded for the module is
/// not reused once one of its packages changed on disk.
fn go_files_stamp(root: &Path) -> String {
    let mut dirs = vec![root.to_path_buf()];
    let (mut count, mut latest, mut read) = (0u64, std::time::SystemTime::UNIX_EPOCH, 0usize);
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            read += 1;
            if read > MAX_STAMP_ENTRIES {
                return format!("{count} files, latest {latest:?}, more not read");
            }
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() && !name.starts_with('.') && name != "testdata" {
                dirs.push(entry.path());
            } else if meta.is_file() && name.ends_with(".go") {
                count += 1;
                latest = latest.max(meta.modified().unwrap_or(latest));
            }
        }
    }
    format!("{count} files, latest {latest:?}")
}

/// Bounds [`go_files_stamp`]'s walk (a module in a huge directory tree).
const MAX_STAMP_ENTRIES: usize = 20_000;

fn is_source(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("go" | "g2n" | "yaml" | "yml"))
}

/// The diagnostics of every document of `analysis`, one notification each
/// (an empty list clears what the editor showed before).
fn publish(analysis: &Analysis) -> Vec<PublishDiagnosticsParams> {
    let mut out = Vec::new();
    for (index, doc) in analysis.documents().iter().enumerate() {
        let Some(uri) = file_uri(Path::new(&doc.name)).or_else(|| Uri::from_str(&doc.name).ok()) else { continue };
        let diagnostics = analysis
            .diagnostics()
            .iter()
            .filter(|d| d.doc == index)
            .map(|d| lsp_types::Diagnostic {
                range: range(&doc.text, d.start, d.end),
                severity: Some(match d.severity {
                    g2n_ide::Severity::Error => DiagnosticSeverity::ERROR,
                    g2n_ide::Severity::Warning => DiagnosticSeverity::WARNING,
                    g2n_ide::Severity::Hint => DiagnosticSeverity::HINT,
                }),
                code: d.code.clone().map(NumberOrString::String),
                source: Some("g2n".to_string()),
                message: d.message.clone(),
                related_information: Some(
                    d.related
                        .iter()
                        .filter_map(|r| {
                            let at = location(analysis, g2n_ide::Location { doc: r.doc, start: r.start, end: r.end })?;
                            Some(DiagnosticRelatedInformation { location: at, message: r.message.clone() })
                        })
                        .collect(),
                )
                .filter(|r: &Vec<_>| !r.is_empty()),
                ..lsp_types::Diagnostic::default()
            })
            .collect();
        out.push(PublishDiagnosticsParams { uri, diagnostics, version: None });
    }
    out
}

fn range(text: &str, start: u32, end: u32) -> Range {
    let index = LineIndex::new(text);
    let (line, character) = index.position(start);
    let (end_line, end_character) = index.position(end);
    Range { start: Position { line, character }, end: Position { line: end_line, character: end_character } }
}

fn location(analysis: &Analysis, at: g2n_ide::Location) -> Option<lsp_types::Location> {
    let doc = analysis.documents().get(at.doc)?;
    let uri = file_uri(Path::new(&doc.name)).or_else(|| Uri::from_str(&doc.name).ok())?;
    Some(lsp_types::Location { uri, range: range(&doc.text, at.start, at.end) })
}

/// The path of a `file:` URI.
fn file_path(uri: &Uri) -> Option<PathBuf> {
    if !uri.scheme().is_some_and(|s| s.as_str().eq_ignore_ascii_case("file")) {
        return None;
    }
    let raw = uri.path().as_str().as_bytes();
    let mut bytes = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (raw[i], raw.get(i + 1).copied().and_then(hex), raw.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(high), Some(low)) => {
                bytes.push((high * 16 + low) as u8);
                i += 3;
            }
            (b, _, _) => {
                bytes.push(b);
                i += 1;
            }
        }
    }
    let path = PathBuf::from(String::from_utf8(bytes).ok()?);
    path.is_absolute().then_some(path)
}

/// The `file:` URI of an absolute path (every byte outside RFC 3986's
/// unreserved set and `/` percent-encoded).
fn file_uri(path: &Path) -> Option<Uri> {
    if !path.is_absolute() {
        return None;
    }
    let mut text = String::from("file://");
    for byte in path.to_str()?.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            text.push(byte as char);
        } else {
            text.push_str(&format!("%{byte:02X}"));
        }
    }
    Uri::from_str(&text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_round_trip_through_paths() {
        let path = Path::new("/tmp/a dir/ünï/x+y.yaml");
        let uri = file_uri(path).expect("a uri");
        assert_eq!(uri.as_str(), "file:///tmp/a%20dir/%C3%BCn%C3%AF/x%2By.yaml");
        assert_eq!(file_path(&uri).as_deref(), Some(path));
        assert_eq!(file_path(&Uri::from_str("untitled:Untitled-1").unwrap()), None);
    }
}
