//! Go-dialect lexer (logos, with semicolon insertion), LALRPOP parser and AST with spans.
//!
//! [`lex`] turns text into tokens, [`parse_file`] into an [`ast::File`]; both
//! return every [`SyntaxError`] they found and never panic. [`dump_tokens`]
//! and [`dump_ast`] give stable text forms for golden tests and `--emit` flags.

pub mod ast;
mod branches;
mod build;
pub mod cached;
pub mod deferred;
mod directives;
mod dump;
pub mod error;
pub mod lexer;
pub mod literal;
pub mod print;
pub mod visit;

#[allow(clippy::all, unused_parens, unused_imports, dead_code)]
mod grammar {
    //! The parser LALRPOP generates from `grammar/go.lalrpop`.
    include!(concat!(env!("OUT_DIR"), "/go.rs"));
}

use g2n_base::{FileId, Span};

pub use directives::linknames;
pub use dump::dump_ast;
pub use error::SyntaxError;
pub use lexer::{Token, dump_tokens, lex};

/// Parses one Go source file. Always returns a [`ast::File`]: when the parser
/// cannot recover, it is empty (no declarations, package name `""`), and the
/// errors say why.
pub fn parse_file(file: FileId, text: &str) -> (ast::File, Vec<SyntaxError>) {
    let (tokens, errors) = lex(file, text);
    parse_tokens(file, text, tokens, errors)
}

/// Parses a file of a library package as [`parse_file`] does, except that
/// the bodies of its top-level functions and methods wait until asked for
/// ([`ast::FuncDecl::full_body`], [`deferred`]): the parse a build does not
/// need, since sema checks a library body only when the program reaches it.
/// A file with any error outside its bodies, or in its tokens, is parsed in
/// full, so that its errors are exactly [`parse_file`]'s.
pub fn parse_library_file(file: FileId, text: &std::sync::Arc<str>) -> (ast::File, Vec<SyntaxError>) {
    let (tokens, errors) = lex(file, text);
    if !errors.is_empty() {
        return parse_tokens(file, text, tokens, errors);
    }
    let (kept, bodies) = deferred::strip_bodies(tokens);
    let (mut ast, errors) = parse_tokens(file, text, kept, Vec::new());
    if !errors.is_empty() || !deferred::attach(&mut ast, &bodies, Vec::new(), file, text) {
        return parse_file(file, text);
    }
    (ast, errors)
}

/// Parses `tokens`, lexed from `text` with the errors `errors`.
fn parse_tokens(file: FileId, text: &str, tokens: Vec<(u32, Token, u32)>, mut errors: Vec<SyntaxError>) -> (ast::File, Vec<SyntaxError>) {
    let parser = grammar::SourceFileParser::new();
    let mut parse_errors = Vec::new();
    let result = parser.parse(file, text, &mut parse_errors, tokens.into_iter().map(Ok::<_, SyntaxError>));
    errors.extend(parse_errors);
    let end = lexer::to_u32(text.len());
    let ast = match result {
        Ok(f) => {
            if errors.is_empty() {
                errors.extend(branches::check_file(&f, text));
            }
            f
        }
        Err(e) => {
            errors.push(error::from_parse_error(file, text, e));
            ast::File {
                package: ast::Ident { name: String::new(), span: Span::new(file, 0, 0) },
                imports: Vec::new(),
                decls: Vec::new(),
                span: Span::new(file, 0, end),
            }
        }
    };
    // Stable: at one position, the lexer's error (the cause) stays first.
    errors.sort_by_key(|e| e.span().start);
    errors.dedup();
    (ast, one_per_line(text, errors))
}

/// Keeps the first error of each line, as the Go compiler does: after one
/// error, recovery often produces follow-up errors on the same line that only
/// repeat it. `errors` must be sorted by position.
fn one_per_line(text: &str, errors: Vec<SyntaxError>) -> Vec<SyntaxError> {
    let mut kept: Vec<SyntaxError> = Vec::with_capacity(errors.len());
    let mut last_line: Option<usize> = None;
    for e in errors {
        let offset = (e.span().start as usize).min(text.len());
        let line = text.as_bytes().get(..offset).map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count());
        if last_line != Some(line) {
            kept.push(e);
            last_line = Some(line);
        }
    }
    kept
}
