//! Syntax diagnostics, worded like the Go compiler's, and the one mapping
//! from LALRPOP's parse errors to them.

use g2n_base::{FileId, Span};
use lalrpop_util::ParseError;

use crate::lexer::{Token, describe_token};

/// An error found while lexing or parsing one file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum SyntaxError {
    #[error("{msg}")]
    #[diagnostic(code(g2n::syntax::invalid_char))]
    InvalidChar {
        msg: String,
        #[label("here")]
        span: Span,
    },
    #[error("newline in string")]
    #[diagnostic(code(g2n::syntax::newline_in_string))]
    NewlineInString {
        #[label("string not closed on this line")]
        span: Span,
    },
    #[error("string literal not terminated")]
    #[diagnostic(code(g2n::syntax::string_not_terminated))]
    StringNotTerminated {
        #[label("string starts here")]
        span: Span,
    },
    #[error("raw string literal not terminated")]
    #[diagnostic(code(g2n::syntax::raw_string_not_terminated))]
    RawStringNotTerminated {
        #[label("raw string starts here")]
        span: Span,
    },
    #[error("rune literal not terminated")]
    #[diagnostic(code(g2n::syntax::rune_not_terminated))]
    RuneNotTerminated {
        #[label("rune literal starts here")]
        span: Span,
    },
    #[error("empty rune literal or unescaped ' in rune literal")]
    #[diagnostic(code(g2n::syntax::empty_rune))]
    EmptyRune {
        #[label("here")]
        span: Span,
    },
    #[error("more than one character in rune literal")]
    #[diagnostic(
        code(g2n::syntax::multi_char_rune),
        help("use double quotes for a string; only `goToNetwork 'name'` takes a multi-character single-quoted name")
    )]
    MultiCharRune {
        #[label("rune literal")]
        span: Span,
    },
    #[error("unknown escape")]
    #[diagnostic(code(g2n::syntax::unknown_escape))]
    UnknownEscape {
        #[label("in this literal")]
        span: Span,
    },
    #[error("comment not terminated")]
    #[diagnostic(code(g2n::syntax::comment_not_terminated))]
    CommentNotTerminated {
        #[label("comment starts here")]
        span: Span,
    },
    #[error("syntax error: {msg}")]
    #[diagnostic(code(g2n::syntax::unexpected))]
    Unexpected {
        msg: String,
        #[label("unexpected here")]
        span: Span,
    },
    #[error("syntax error: non-declaration statement outside function body")]
    #[diagnostic(code(g2n::syntax::statement_outside_function))]
    StatementOutsideFunction {
        #[label("statements belong inside a function")]
        span: Span,
    },
    /// A misplaced or unmatched label or branch statement (Go's parser
    /// checks these after parsing each function body).
    #[error("{msg}")]
    #[diagnostic(code(g2n::syntax::branch))]
    Branch {
        msg: String,
        #[label("here")]
        span: Span,
    },
    #[error("syntax error: {msg}")]
    #[diagnostic(code(g2n::syntax::invalid))]
    Invalid {
        msg: String,
        #[label("here")]
        span: Span,
    },
}

impl SyntaxError {
    pub fn span(&self) -> Span {
        match self {
            SyntaxError::InvalidChar { span, .. }
            | SyntaxError::NewlineInString { span }
            | SyntaxError::StringNotTerminated { span }
            | SyntaxError::RawStringNotTerminated { span }
            | SyntaxError::RuneNotTerminated { span }
            | SyntaxError::EmptyRune { span }
            | SyntaxError::MultiCharRune { span }
            | SyntaxError::UnknownEscape { span }
            | SyntaxError::CommentNotTerminated { span }
            | SyntaxError::Unexpected { span, .. }
            | SyntaxError::StatementOutsideFunction { span }
            | SyntaxError::Branch { span, .. }
            | SyntaxError::Invalid { span, .. } => *span,
        }
    }
}

/// Go's name for a terminal as LALRPOP spells it in `expected` lists
/// (the quoted terminal name from the grammar's `extern` block).
fn expected_name(terminal: &str) -> String {
    let t = terminal.trim_matches('"');
    match t {
        "," => "comma".to_owned(),
        ";" => "semicolon or newline".to_owned(),
        "Ident" => "name".to_owned(),
        "Int" | "Float" | "Imag" | "Char" | "Str" => "literal".to_owned(),
        other => other.to_owned(),
    }
}

fn expecting(expected: &[String]) -> String {
    let has = |t: &str| expected.iter().any(|e| e.trim_matches('"') == t);
    // Only `goToNetwork` expects exactly a rune or a string literal.
    if expected.len() == 2 && has("Char") && has("Str") {
        return ", expecting nanoservice name ('name' or \"name\")".to_owned();
    }
    // Go's own phrasing for the most common situations.
    if has(";") && has("}") {
        return " at end of statement".to_owned();
    }
    if has(",") {
        for closer in [")", "}", "]"] {
            if has(closer) {
                return format!(", expecting comma or {closer}");
            }
        }
    }
    let mut names: Vec<String> = Vec::new();
    for e in expected {
        let n = expected_name(e);
        if !names.contains(&n) {
            names.push(n);
        }
    }
    // Long lists (any expression could start here) help nobody; Go prints
    // only the short ones too.
    if names.is_empty() || names.len() > 3 {
        return String::new();
    }
    let list = match names.as_slice() {
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
        [] => String::new(),
    };
    format!(", expecting {list}")
}

/// Turns any LALRPOP parse error into a [`SyntaxError`]. `text` is the source,
/// needed to tell written semicolons from inserted ones.
pub fn from_parse_error(
    file: FileId,
    text: &str,
    err: ParseError<u32, Token, SyntaxError>,
) -> SyntaxError {
    match err {
        ParseError::InvalidToken { location } => SyntaxError::Unexpected {
            msg: "invalid token".to_owned(),
            span: Span::new(file, location, location),
        },
        ParseError::UnrecognizedEof { location, expected } => SyntaxError::Unexpected {
            msg: format!("unexpected EOF{}", expecting(&expected)),
            span: Span::new(file, location, location),
        },
        ParseError::UnrecognizedToken { token: (start, tok, end), expected } => {
            let span = Span::new(file, start, end);
            let has = |t: &str| expected.iter().any(|e| e.trim_matches('"') == t);
            let at_top_level = has("func") && has("var") && !has("return");
            let is_decl = matches!(tok, Token::Func | Token::Var | Token::Const | Token::Type | Token::Import);
            if at_top_level && !is_decl && !matches!(tok, Token::Semi) {
                return SyntaxError::StatementOutsideFunction { span };
            }
            SyntaxError::Unexpected {
                msg: format!("unexpected {}{}", describe_token(text, start, &tok, end), expecting(&expected)),
                span,
            }
        }
        ParseError::ExtraToken { token: (start, tok, end) } => SyntaxError::Unexpected {
            msg: format!("unexpected {} after top level declaration", describe_token(text, start, &tok, end)),
            span: Span::new(file, start, end),
        },
        ParseError::User { error } => error,
    }
}
