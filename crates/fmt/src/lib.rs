//! `g2n fmt`: Go source laid out exactly as gofmt (Go 1.19) lays it out, for
//! Go files and for the Go code inside nanoservice YAML configs.
//!
//! The printer follows go/printer's rules on g2n's syntax tree: positions of
//! the tokens the tree does not keep come from the token stream, comments
//! from the text between tokens. No IO here; the CLI reads and writes files.

mod build_lines;
mod comments;
mod decls;
mod exprs;
mod fields;
mod imports;
mod printer;
mod source;
mod stmts;
mod tabwriter;
pub mod yaml;

use g2n_base::FileId;
use g2n_syntax::SyntaxError;

use crate::printer::Printer;
use crate::source::Source;

/// Formats one Go source file. Syntax errors are returned as the parser
/// reports them; nothing is formatted then.
pub fn format_go(file: FileId, text: &str) -> Result<String, Vec<SyntaxError>> {
    let (ast, errors) = g2n_syntax::parse_file(file, text);
    if !errors.is_empty() {
        return Err(errors);
    }
    let (tokens, _) = g2n_syntax::lex(file, text);
    let src = Source::new(text, &tokens);
    if let Some(sorted) = imports::sort(&src, &ast) {
        // Sorting moved whole lines of specs: the text still parses.
        return format_go(file, &sorted);
    }
    let mut p = Printer::new(&src, &src.groups, Default::default());
    p.file(&ast);
    p.finish();
    build_lines::fix(&mut p.output, &p.go_build, &p.plus_build);
    let out = tabwriter::finish(&p.output, true);
    Ok(String::from_utf8_lossy(&out).into_owned())
}
