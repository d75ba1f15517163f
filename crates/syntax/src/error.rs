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
    /// A malformed number literal, in the words of Go's scanner.
    #[error("{msg}")]
    #[diagnostic(code(g2n::syntax::invalid_literal))]
    InvalidLiteral {
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
    #[error("string not terminated")]
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
    /// A `goToNetwork` target that breaks the nanoservice name rule
    /// (`g2n_base::check_nanoservice_name`).
    #[error("{msg}")]
    #[diagnostic(
        code(g2n::syntax::invalid_nanoservice_name),
        help("names are 1 to 64 characters of lowercase letters, digits, `-`, `_` and `.`, not starting with `.` or `-`")
    )]
    InvalidNanoserviceName {
        msg: String,
        #[label("this nanoservice name")]
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
    /// The message `go build` gives (from go/parser) for a file that does
    /// not start with its package clause.
    #[error("expected 'package', found {found}")]
    #[diagnostic(code(g2n::syntax::missing_package))]
    MissingPackage {
        found: String,
        #[label("a Go file starts with `package NAME`")]
        span: Span,
    },
    /// `go` or `defer` of something other than a call.
    #[error("{msg}")]
    #[diagnostic(code(g2n::syntax::not_a_call))]
    NotACall {
        msg: String,
        #[label("a call is needed here")]
        span: Span,
    },
    #[error("missing init expr for {name}")]
    #[diagnostic(code(g2n::syntax::missing_init))]
    MissingInit {
        name: String,
        #[label("a constant needs a value")]
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
            | SyntaxError::InvalidLiteral { span, .. }
            | SyntaxError::NewlineInString { span }
            | SyntaxError::StringNotTerminated { span }
            | SyntaxError::RawStringNotTerminated { span }
            | SyntaxError::RuneNotTerminated { span }
            | SyntaxError::EmptyRune { span }
            | SyntaxError::MultiCharRune { span }
            | SyntaxError::InvalidNanoserviceName { span, .. }
            | SyntaxError::UnknownEscape { span }
            | SyntaxError::CommentNotTerminated { span }
            | SyntaxError::Unexpected { span, .. }
            | SyntaxError::StatementOutsideFunction { span }
            | SyntaxError::MissingPackage { span, .. }
            | SyntaxError::MissingInit { span, .. }
            | SyntaxError::NotACall { span, .. }
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
    let significant: Vec<String> =
        expected.iter().filter(|e| !CONTINUATIONS.contains(&e.trim_matches('"'))).cloned().collect();
    let expected = if significant.is_empty() { expected } else { &significant[..] };
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

/// Tokens that only continue an expression or statement already begun:
/// Go's messages never list them among what was expected.
const CONTINUATIONS: &[&str] = &[
    "+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>", "&^", "&&", "||", "==", "!=", "<", "<=", ">", ">=", ".", "[",
    "(", "++", "--", "=", ":=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", "&^=", "<-", "...",
];

/// Whether Go's `stmtOrNil` would start a statement at this token; at the
/// start of a statement any other token ends the statement list, and the
/// block then wants its `}`.
fn starts_statement(tok: &Token) -> bool {
    !matches!(
        tok,
        Token::Case
            | Token::Default
            | Token::Else
            | Token::Import
            | Token::Package
            | Token::Comma
            | Token::Semi
    ) && !matches!(
        tok.spelling(),
        ")" | "]" | "}" | ":" | "=" | ":=" | "." | "..." | "/" | "%" | "|" | "<<" | ">>" | "&^" | "&&" | "||" | "==" | "!="
            | "<" | "<=" | ">" | ">=" | "++" | "--" | "+=" | "-=" | "*=" | "/=" | "%=" | "&=" | "|=" | "^=" | "<<=" | ">>="
            | "&^="
    )
}

/// What surrounds a parse error, read from the file's tokens: the token
/// before it, and the tokens of the statement or header it is in.
struct Context {
    previous: Option<Token>,
    /// Tokens since the innermost `{` or `}` before the error.
    since_brace: Vec<(u32, Token, u32)>,
}

/// `at_eof`: the error is the end of input, and every token came before it
/// (an inserted final semicolon starts where the input ends).
fn context(file: FileId, text: &str, location: u32, at_eof: bool) -> Context {
    let (tokens, _) = crate::lexer::lex(file, text);
    let before: Vec<(u32, Token, u32)> =
        tokens.into_iter().take_while(|(start, _, _)| *start < location || (at_eof && *start <= location)).collect();
    let previous = before.last().map(|(_, t, _)| t.clone());
    let brace = before.iter().rposition(|(_, t, _)| matches!(t.spelling(), "{" | "}")).map_or(0, |i| i + 1);
    Context { previous, since_brace: before[brace..].to_vec() }
}

/// How a Go parser message continues or replaces `unexpected X`.
enum Phrase {
    /// Follows `unexpected X`: `, expecting }`, ` in composite literal; ...`.
    After(String),
    /// A whole syntax error of its own: `missing { after switch clause`.
    Syntax(String),
    /// `const c T` without a value: Go's type checker reports it.
    MissingInit(String),
}

/// Go's phrase after `unexpected X` for the parser's situation, following
/// the Go 1.19 parser (`syntax/parser.go`): its `want`, `list` and
/// `stmtList` messages. `None` leaves the generic `expecting` list.
fn go_phrase(text: &str, tok: Option<&Token>, start: u32, expected: &[String], ctx: &Context) -> Option<Phrase> {
    let has = |t: &str| expected.iter().any(|e| e.trim_matches('"') == t);
    let significant: Vec<&str> =
        expected.iter().map(|e| e.trim_matches('"')).filter(|e| !CONTINUATIONS.contains(e)).collect();
    // The end of a statement list: `case`, `else`, EOF... where a statement
    // would start.
    let at_statement_start = matches!(ctx.previous.as_ref().map(Token::spelling), Some(";" | "{")) || matches!(ctx.previous, Some(Token::Semi));
    if at_statement_start && has("}") && tok.is_none_or(|t| !starts_statement(t)) {
        return Some(Phrase::After(", expecting }".to_owned()));
    }
    // Lists: `p.list(context, comma, close)`.
    if has(",") && !has(";") {
        if has("}") {
            return Some(Phrase::After(" in composite literal; possibly missing comma or }".to_owned()));
        }
        if has(")") {
            // After an argument, `...` may follow; after a parameter, not.
            let context = if has("+") || has("...") { "argument list" } else { "parameter list" };
            return Some(Phrase::After(format!(" in {context}; possibly missing comma or )")));
        }
        if has("]") {
            return Some(Phrase::After(if has(":") { ", expecting comma, : or ]" } else { ", expecting comma or ]" }.to_owned()));
        }
    }
    // An operand is required.
    if has("Int") && !has(";") && !has(")") && !has("}") && !has("]") && !has(",") {
        return Some(Phrase::After(", expecting expression".to_owned()));
    }
    // A parameter list that is neither continued nor closed.
    if has(")") && has("...") && !has(",") {
        return Some(Phrase::After(", expecting )".to_owned()));
    }
    // Statement headers: `if`, `for` and `switch` want their block.
    let header = ctx.since_brace.iter().rposition(|(_, t, _)| matches!(t, Token::If | Token::For | Token::Switch));
    if let Some(index) = header {
        let keyword = &ctx.since_brace[index].1;
        let semis = ctx.since_brace[index..].iter().filter(|(_, t, _)| matches!(t, Token::Semi)).count();
        if significant == ["{"] {
            return Some(match keyword {
                Token::Switch => Phrase::Syntax("missing { after switch clause".to_owned()),
                Token::If => Phrase::After(", expecting { after if clause".to_owned()),
                _ => Phrase::After(", expecting { after for clause".to_owned()),
            });
        }
        // `if x := 1 {`: the init statement taken for the condition.
        if significant == [";"] && semis == 0 && matches!(tok, Some(t) if t.spelling() == "{") {
            let from = ctx.since_brace[index].2 as usize;
            let statement = text.get(from..start as usize).unwrap_or("").trim();
            return Some(Phrase::Syntax(format!("cannot use {statement} as value")));
        }
    }
    // Declarations: `var x :=`, `var x` + newline, `type T` + newline.
    let first = ctx.since_brace.iter().rposition(|(_, t, _)| matches!(t, Token::Semi)).map_or(0, |i| i + 1);
    match ctx.since_brace.get(first).map(|(_, t, _)| t) {
        // Go's parser takes `const c int` and its type checker wants a value.
        Some(Token::Const) if has("=") && matches!(tok, Some(Token::Semi)) => {
            if let Some((_, Token::Ident(name), _)) = ctx.since_brace.get(first + 1) {
                return Some(Phrase::MissingInit(name.clone()));
            }
        }
        Some(Token::Var | Token::Const) if has("=") => {
            return Some(Phrase::After(if matches!(tok, Some(t) if t.spelling() == ":=") { ", expecting =" } else { ", expecting type" }.to_owned()));
        }
        Some(Token::Type) if ctx.since_brace.len() - first == 2 => return Some(Phrase::After(" in type declaration".to_owned())),
        _ => {}
    }
    if significant == ["Ident", "("] || significant == ["(", "Ident"] {
        return Some(Phrase::After(", expecting name".to_owned()));
    }
    None
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
        ParseError::UnrecognizedEof { location, expected } => {
            let span = Span::new(file, location, location);
            let ctx = context(file, text, location, true);
            match go_phrase(text, None, location, &expected, &ctx) {
                Some(Phrase::After(phrase)) => SyntaxError::Unexpected { msg: format!("unexpected EOF{phrase}"), span },
                Some(Phrase::Syntax(msg)) => SyntaxError::Invalid { msg, span },
                Some(Phrase::MissingInit(name)) => SyntaxError::MissingInit { name, span },
                None => SyntaxError::Unexpected { msg: format!("unexpected EOF{}", expecting(&expected)), span },
            }
        }
        ParseError::UnrecognizedToken { token: (start, tok, end), expected } => {
            let span = Span::new(file, start, end);
            let has = |t: &str| expected.iter().any(|e| e.trim_matches('"') == t);
            if expected.len() == 1 && has("package") {
                let found = match &tok {
                    Token::Ident(name) => name.clone(),
                    Token::Semi => "newline".to_owned(),
                    other => format!("'{}'", describe_token(text, start, other, end)),
                };
                return SyntaxError::MissingPackage { found, span };
            }
            let at_top_level = has("func") && has("var") && !has("return");
            let is_decl = matches!(tok, Token::Func | Token::Var | Token::Const | Token::Type);
            if at_top_level && !is_decl && !matches!(tok, Token::Semi) {
                return SyntaxError::StatementOutsideFunction { span };
            }
            let ctx = context(file, text, start, false);
            let phrase = match go_phrase(text, Some(&tok), start, &expected, &ctx) {
                Some(Phrase::After(phrase)) => phrase,
                Some(Phrase::Syntax(msg)) => return SyntaxError::Invalid { msg, span },
                Some(Phrase::MissingInit(name)) => return SyntaxError::MissingInit { name, span },
                None => expecting(&expected),
            };
            SyntaxError::Unexpected { msg: format!("unexpected {}{phrase}", describe_token(text, start, &tok, end)), span }
        }
        ParseError::ExtraToken { token: (start, tok, end) } => SyntaxError::Unexpected {
            msg: format!("unexpected {} after top level declaration", describe_token(text, start, &tok, end)),
            span: Span::new(file, start, end),
        },
        ParseError::User { error } => error,
    }
}
