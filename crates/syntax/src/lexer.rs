//! Go tokens (a logos DFA) and Go's automatic semicolon insertion.
//!
//! Logos produces raw tokens including newlines and block comments; [`lex`]
//! runs the "Semicolons" rule of the Go specification over them and drops the
//! layout tokens, so the grammar only ever sees `;`. An inserted semicolon keeps
//! the span of the newline (or block comment) that caused it, and an empty span
//! at end of file, so diagnostics can say `newline` or `EOF` as Go does.

use g2n_base::{FileId, Span};
use logos::Logos;

use crate::error::SyntaxError;

/// What went wrong inside one token. Logos needs a `Default` for bytes that
/// match no rule at all.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum LexErrorKind {
    #[default]
    InvalidChar,
    NewlineInString,
    StringNotTerminated,
    RawStringNotTerminated,
    RuneNotTerminated,
    EmptyRune,
    CommentNotTerminated,
}

/// A Go token. Literal tokens carry their source text; string values are
/// decoded by the parser ([`crate::literal`]), after the lexer has checked
/// their escapes.
#[derive(Logos, Debug, Clone, PartialEq, Eq)]
#[logos(error = LexErrorKind)]
#[logos(skip r"[ \t\r]+")]
#[logos(skip(r"//[^\n]*", allow_greedy = true))]
pub enum Token {
    // Keywords.
    #[token("break")]
    Break,
    #[token("case")]
    Case,
    #[token("chan")]
    Chan,
    #[token("const")]
    Const,
    #[token("continue")]
    Continue,
    #[token("default")]
    Default,
    #[token("defer")]
    Defer,
    #[token("else")]
    Else,
    #[token("fallthrough")]
    Fallthrough,
    #[token("for")]
    For,
    #[token("func")]
    Func,
    #[token("go")]
    Go,
    #[token("goto")]
    Goto,
    #[token("if")]
    If,
    #[token("import")]
    Import,
    #[token("interface")]
    Interface,
    #[token("map")]
    Map,
    #[token("package")]
    Package,
    #[token("range")]
    Range,
    #[token("return")]
    Return,
    #[token("select")]
    Select,
    #[token("struct")]
    Struct,
    #[token("switch")]
    Switch,
    #[token("type")]
    Type,
    #[token("var")]
    Var,
    /// The dialect's statement keyword.
    #[token("goToNetwork")]
    GoToNetwork,

    #[regex(r"[\p{L}_][\p{L}\p{Nd}_]*", |lex| lex.slice().to_owned())]
    Ident(String),
    #[regex(r"[0-9](_?[0-9])*", |lex| lex.slice().to_owned())]
    #[regex(r"0[xX](_?[0-9a-fA-F])+", |lex| lex.slice().to_owned())]
    #[regex(r"0[oO](_?[0-7])+", |lex| lex.slice().to_owned())]
    #[regex(r"0[bB](_?[01])+", |lex| lex.slice().to_owned())]
    Int(String),
    #[regex(r"[0-9](_?[0-9])*\.([0-9](_?[0-9])*)?([eE][+-]?[0-9](_?[0-9])*)?", |lex| lex.slice().to_owned())]
    #[regex(r"[0-9](_?[0-9])*[eE][+-]?[0-9](_?[0-9])*", |lex| lex.slice().to_owned())]
    #[regex(r"\.[0-9](_?[0-9])*([eE][+-]?[0-9](_?[0-9])*)?", |lex| lex.slice().to_owned())]
    #[regex(r"0[xX](_?[0-9a-fA-F])*(\.([0-9a-fA-F](_?[0-9a-fA-F])*)?)?[pP][+-]?[0-9](_?[0-9])*", |lex| lex.slice().to_owned())]
    Float(String),
    #[regex(r"[0-9](_?[0-9])*i", |lex| lex.slice().to_owned())]
    #[regex(r"0[xX](_?[0-9a-fA-F])+i", |lex| lex.slice().to_owned())]
    #[regex(r"0[oO](_?[0-7])+i", |lex| lex.slice().to_owned())]
    #[regex(r"0[bB](_?[01])+i", |lex| lex.slice().to_owned())]
    #[regex(r"[0-9](_?[0-9])*\.([0-9](_?[0-9])*)?([eE][+-]?[0-9](_?[0-9])*)?i", |lex| lex.slice().to_owned())]
    #[regex(r"[0-9](_?[0-9])*[eE][+-]?[0-9](_?[0-9])*i", |lex| lex.slice().to_owned())]
    #[regex(r"\.[0-9](_?[0-9])*([eE][+-]?[0-9](_?[0-9])*)?i", |lex| lex.slice().to_owned())]
    #[regex(r"0[xX](_?[0-9a-fA-F])*(\.([0-9a-fA-F](_?[0-9a-fA-F])*)?)?[pP][+-]?[0-9](_?[0-9])*i", |lex| lex.slice().to_owned())]
    Imag(String),
    /// Any single-quoted literal on one line, quotes included. Go allows one
    /// character; the dialect's `goToNetwork 'name'` needs more, so the parser
    /// decides.
    #[token("'", rune_lit)]
    Char(String),
    /// An interpreted (`"..."`) or raw (`` `...` ``) string, quotes included.
    #[token("\"", interpreted_string)]
    #[token("`", raw_string)]
    Str(String),

    // Operators and punctuation.
    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("*")]
    Star,
    #[token("/")]
    Slash,
    #[token("%")]
    Percent,
    #[token("&")]
    Amp,
    #[token("|")]
    Pipe,
    #[token("^")]
    Caret,
    #[token("<<")]
    Shl,
    #[token(">>")]
    Shr,
    #[token("&^")]
    AndNot,
    #[token("+=")]
    PlusAssign,
    #[token("-=")]
    MinusAssign,
    #[token("*=")]
    StarAssign,
    #[token("/=")]
    SlashAssign,
    #[token("%=")]
    PercentAssign,
    #[token("&=")]
    AmpAssign,
    #[token("|=")]
    PipeAssign,
    #[token("^=")]
    CaretAssign,
    #[token("<<=")]
    ShlAssign,
    #[token(">>=")]
    ShrAssign,
    #[token("&^=")]
    AndNotAssign,
    #[token("&&")]
    AndAnd,
    #[token("||")]
    OrOr,
    #[token("<-")]
    Arrow,
    #[token("++")]
    Inc,
    #[token("--")]
    Dec,
    #[token("==")]
    EqEq,
    #[token("<")]
    Lt,
    #[token(">")]
    Gt,
    #[token("=")]
    Assign,
    #[token("!")]
    Not,
    #[token("~")]
    Tilde,
    #[token("!=")]
    NotEq,
    #[token("<=")]
    LtEq,
    #[token(">=")]
    GtEq,
    #[token(":=")]
    Define,
    #[token("...")]
    Ellipsis,
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("[")]
    LBrack,
    #[token("]")]
    RBrack,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token(",")]
    Comma,
    /// Written or inserted; see the module docs for telling them apart.
    #[token(";")]
    Semi,
    #[token(".")]
    Dot,
    #[token(":")]
    Colon,

    /// Layout only: removed by [`lex`].
    #[token("\n")]
    Newline,
    /// Layout only: `true` if the comment spans lines (it then acts as a newline).
    #[token("/*", block_comment)]
    BlockComment(bool),
}

fn block_comment(lex: &mut logos::Lexer<Token>) -> Result<bool, LexErrorKind> {
    let rest = lex.remainder();
    match rest.find("*/") {
        Some(end) => {
            let has_newline = rest.get(..end).is_some_and(|c| c.contains('\n'));
            lex.bump(end + 2);
            Ok(has_newline)
        }
        None => {
            lex.bump(rest.len());
            Err(LexErrorKind::CommentNotTerminated)
        }
    }
}

/// Scans a quoted literal body up to `quote`, honouring backslash escapes.
/// Returns the byte length consumed including the closing quote, or where it
/// stopped (before the newline, or at end of input) and why.
fn scan_quoted(rest: &str, quote: char) -> Result<usize, (usize, bool)> {
    let mut chars = rest.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == quote {
            return Ok(i + c.len_utf8());
        }
        if c == '\n' {
            return Err((i, true));
        }
        if c == '\\' {
            match chars.next() {
                Some((j, '\n')) => return Err((j, true)),
                Some(_) => {}
                None => return Err((rest.len(), false)),
            }
        }
    }
    Err((rest.len(), false))
}

fn interpreted_string(lex: &mut logos::Lexer<Token>) -> Result<String, LexErrorKind> {
    match scan_quoted(lex.remainder(), '"') {
        Ok(n) => {
            lex.bump(n);
            Ok(lex.slice().to_owned())
        }
        Err((n, newline)) => {
            lex.bump(n);
            Err(if newline { LexErrorKind::NewlineInString } else { LexErrorKind::StringNotTerminated })
        }
    }
}

fn raw_string(lex: &mut logos::Lexer<Token>) -> Result<String, LexErrorKind> {
    let rest = lex.remainder();
    match rest.find('`') {
        Some(n) => {
            lex.bump(n + 1);
            Ok(lex.slice().to_owned())
        }
        None => {
            lex.bump(rest.len());
            Err(LexErrorKind::RawStringNotTerminated)
        }
    }
}

fn rune_lit(lex: &mut logos::Lexer<Token>) -> Result<String, LexErrorKind> {
    match scan_quoted(lex.remainder(), '\'') {
        Ok(1) => {
            lex.bump(1);
            Err(LexErrorKind::EmptyRune)
        }
        Ok(n) => {
            lex.bump(n);
            Ok(lex.slice().to_owned())
        }
        Err((n, _)) => {
            lex.bump(n);
            Err(LexErrorKind::RuneNotTerminated)
        }
    }
}

impl Token {
    /// Whether a newline after this token ends the statement (Go spec, "Semicolons").
    fn ends_statement(&self) -> bool {
        matches!(
            self,
            Token::Ident(_)
                | Token::Int(_)
                | Token::Float(_)
                | Token::Imag(_)
                | Token::Char(_)
                | Token::Str(_)
                | Token::Break
                | Token::Continue
                | Token::Fallthrough
                | Token::Return
                | Token::Inc
                | Token::Dec
                | Token::RParen
                | Token::RBrack
                | Token::RBrace
        )
    }
}

fn span_of(file: FileId, start: usize, end: usize) -> Span {
    Span::new(file, to_u32(start), to_u32(end))
}

/// Offsets beyond 4 GiB cannot be represented in a [`Span`]; they saturate
/// rather than wrap so a diagnostic still points somewhere near the end.
pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn lex_error(kind: &LexErrorKind, span: Span, text: &str) -> SyntaxError {
    match kind {
        LexErrorKind::InvalidChar => {
            let c = text.get(span.start as usize..).and_then(|s| s.chars().next()).unwrap_or('\u{FFFD}');
            SyntaxError::InvalidChar { msg: format!("invalid character U+{:04X} {:?}", c as u32, c), span }
        }
        LexErrorKind::NewlineInString => SyntaxError::NewlineInString { span },
        LexErrorKind::StringNotTerminated => SyntaxError::StringNotTerminated { span },
        LexErrorKind::RawStringNotTerminated => SyntaxError::RawStringNotTerminated { span },
        LexErrorKind::RuneNotTerminated => SyntaxError::RuneNotTerminated { span },
        LexErrorKind::EmptyRune => SyntaxError::EmptyRune { span },
        LexErrorKind::CommentNotTerminated => SyntaxError::CommentNotTerminated { span },
    }
}

/// Deepest bracket nesting accepted.
const MAX_NESTING: u32 = 500;
/// Most operators in one run of an expression (between `,`, `;`, `{`, `}`);
/// each one can add a level to the tree.
const MAX_OPERATOR_RUN: u32 = 1000;

#[derive(Default)]
struct Nesting {
    depth: u32,
    operators: u32,
    /// The last significant token was a string literal.
    after_string: bool,
    /// A `+` after a string literal, not counted yet: a `+` between two
    /// string literals adds no level, since the parser joins the literals
    /// (`build::bin`; time/tzdata's data is one constant of 7,000 of them).
    concat: bool,
}

impl Nesting {
    fn track(&mut self, tok: &Token) -> Result<(), &'static str> {
        if matches!(tok, Token::Newline | Token::BlockComment(_)) {
            return Ok(());
        }
        let concat = std::mem::take(&mut self.concat);
        let after_string = std::mem::replace(&mut self.after_string, matches!(tok, Token::Str(_)));
        if concat && !matches!(tok, Token::Str(_)) {
            self.count_operator()?;
        }
        if after_string && matches!(tok, Token::Plus) {
            self.concat = true;
            return Ok(());
        }
        match tok {
            Token::LParen | Token::LBrack | Token::LBrace => {
                self.depth += 1;
                if matches!(tok, Token::LBrace) {
                    self.operators = 0;
                }
                if self.depth > MAX_NESTING {
                    return Err("brackets nested too deeply");
                }
            }
            Token::RParen | Token::RBrack | Token::RBrace => {
                self.depth = self.depth.saturating_sub(1);
                if matches!(tok, Token::RBrace) {
                    self.operators = 0;
                }
            }
            Token::Comma | Token::Semi => self.operators = 0,
            Token::Newline | Token::BlockComment(_) => {}
            t if !t.spelling().is_empty() && t.keyword().is_none() => self.count_operator()?,
            _ => {}
        }
        Ok(())
    }

    fn count_operator(&mut self) -> Result<(), &'static str> {
        self.operators += 1;
        if self.operators > MAX_OPERATOR_RUN {
            return Err("expression too complex");
        }
        Ok(())
    }
}

/// Lexes `text` into tokens with Go's semicolons inserted. Invalid input never
/// panics: bad bytes are reported and skipped, and unterminated literals are
/// reported and dropped, so the parser can still run.
pub fn lex(file: FileId, text: &str) -> (Vec<(u32, Token, u32)>, Vec<SyntaxError>) {
    // Go's library has a token for every 5 to 6 bytes of source, comments
    // included (unicode's tables one for every 3): reserving about that up
    // front saves growing the vector a dozen times per file, each a copy of
    // all its tokens (the part reserved and not used is never touched).
    let mut tokens: Vec<(u32, Token, u32)> = Vec::with_capacity(text.len() / 4);
    let mut errors = Vec::new();
    let mut lexer = Token::lexer(text);
    // Whether the previous significant token allows a semicolon at a line end.
    let mut pending = false;
    let mut nesting = Nesting::default();
    while let Some(result) = lexer.next() {
        let range = lexer.span();
        let (start, end) = (to_u32(range.start), to_u32(range.end));
        if let Ok(tok) = &result
            && let Err(msg) = nesting.track(tok)
        {
            // Later stages walk the tree recursively; refusing absurdly deep
            // input here keeps every one of them within its stack.
            errors.push(SyntaxError::Invalid { msg: msg.to_owned(), span: span_of(file, range.start, range.end) });
            return (tokens, errors);
        }
        match result {
            Ok(Token::Newline) | Ok(Token::BlockComment(true)) => {
                if pending {
                    // An inserted semicolon ends the statement like a written
                    // one: the operator run starts again (long mains of short
                    // lines are not one complex expression).
                    nesting.operators = 0;
                    tokens.push((start, Token::Semi, if matches!(result, Ok(Token::Newline)) { end } else { start.saturating_add(2) }));
                    pending = false;
                }
            }
            Ok(Token::BlockComment(false)) => {}
            Ok(tok) => {
                if let Token::Str(s) | Token::Char(s) = &tok {
                    crate::literal::check_escapes(s, span_of(file, range.start, range.end), &mut errors);
                }
                // A number reads as Go's scanner reads it: a malformed literal
                // is one token with Go's error, not several tokens.
                let tok = match tok {
                    Token::Int(_) | Token::Float(_) | Token::Imag(_) => {
                        let (len, integer, error) = crate::literal::scan_go_number(&text[range.start..]);
                        let have = range.end - range.start;
                        if let Some((offset, msg)) = error {
                            let at = range.start + offset;
                            errors.push(SyntaxError::InvalidLiteral { msg, span: span_of(file, at, (at + 1).min(text.len())) });
                        }
                        if len > have {
                            lexer.bump(len - have);
                            let slice = text[range.start..range.start + len].to_owned();
                            let end = to_u32(range.start + len);
                            let tok = if slice.ends_with('i') {
                                Token::Imag(slice)
                            } else if integer {
                                Token::Int(slice)
                            } else {
                                Token::Float(slice)
                            };
                            pending = tok.ends_statement();
                            tokens.push((start, tok, end));
                            continue;
                        }
                        tok
                    }
                    tok => tok,
                };
                pending = tok.ends_statement();
                tokens.push((start, tok, end));
            }
            Err(kind) => {
                errors.push(lex_error(&kind, span_of(file, range.start, range.end), text));
                // A broken literal still stands in the token stream as a literal,
                // so the parser does not pile a second error on the first one.
                let slice = lexer.slice().to_owned();
                let placeholder = match kind {
                    LexErrorKind::InvalidChar | LexErrorKind::CommentNotTerminated => None,
                    LexErrorKind::NewlineInString
                    | LexErrorKind::StringNotTerminated
                    | LexErrorKind::RawStringNotTerminated => Some(Token::Str(slice)),
                    LexErrorKind::RuneNotTerminated | LexErrorKind::EmptyRune => Some(Token::Char(slice)),
                };
                if let Some(tok) = placeholder {
                    pending = true;
                    tokens.push((start, tok, end));
                }
            }
        }
    }
    if pending {
        let end = to_u32(text.len());
        tokens.push((end, Token::Semi, end));
    }
    (tokens, errors)
}

/// How Go 1.19's syntax errors name a token: `x`, `literal "x"`, `func`,
/// `newline` for an inserted semicolon, `EOF`, or the operator itself.
pub fn describe_token(text: &str, start: u32, tok: &Token, end: u32) -> String {
    match tok {
        // Go 1.19 names a name by itself and a keyword by its spelling.
        Token::Ident(s) => s.clone(),
        Token::Int(s) | Token::Float(s) | Token::Imag(s) | Token::Char(s) | Token::Str(s) => {
            format!("literal {s}")
        }
        Token::Semi => match text.get(start as usize..end as usize) {
            Some(";") => "semicolon".to_owned(),
            _ if start == end => "EOF".to_owned(),
            _ => "newline".to_owned(),
        },
        Token::Comma => "comma".to_owned(),
        other => match other.keyword() {
            Some(k) => k.to_owned(),
            None => other.spelling().to_owned(),
        },
    }
}

impl Token {
    /// The keyword's spelling, if this token is a keyword.
    pub fn keyword(&self) -> Option<&'static str> {
        Some(match self {
            Token::Break => "break",
            Token::Case => "case",
            Token::Chan => "chan",
            Token::Const => "const",
            Token::Continue => "continue",
            Token::Default => "default",
            Token::Defer => "defer",
            Token::Else => "else",
            Token::Fallthrough => "fallthrough",
            Token::For => "for",
            Token::Func => "func",
            Token::Go => "go",
            Token::Goto => "goto",
            Token::If => "if",
            Token::Import => "import",
            Token::Interface => "interface",
            Token::Map => "map",
            Token::Package => "package",
            Token::Range => "range",
            Token::Return => "return",
            Token::Select => "select",
            Token::Struct => "struct",
            Token::Switch => "switch",
            Token::Type => "type",
            Token::Var => "var",
            Token::GoToNetwork => "goToNetwork",
            _ => return None,
        })
    }

    /// The fixed spelling of a keyword or operator; literals and names have none.
    pub fn spelling(&self) -> &'static str {
        if let Some(k) = self.keyword() {
            return k;
        }
        match self {
            Token::Plus => "+",
            Token::Minus => "-",
            Token::Star => "*",
            Token::Slash => "/",
            Token::Percent => "%",
            Token::Amp => "&",
            Token::Pipe => "|",
            Token::Caret => "^",
            Token::Shl => "<<",
            Token::Shr => ">>",
            Token::AndNot => "&^",
            Token::PlusAssign => "+=",
            Token::MinusAssign => "-=",
            Token::StarAssign => "*=",
            Token::SlashAssign => "/=",
            Token::PercentAssign => "%=",
            Token::AmpAssign => "&=",
            Token::PipeAssign => "|=",
            Token::CaretAssign => "^=",
            Token::ShlAssign => "<<=",
            Token::ShrAssign => ">>=",
            Token::AndNotAssign => "&^=",
            Token::AndAnd => "&&",
            Token::OrOr => "||",
            Token::Arrow => "<-",
            Token::Inc => "++",
            Token::Dec => "--",
            Token::EqEq => "==",
            Token::Lt => "<",
            Token::Gt => ">",
            Token::Assign => "=",
            Token::Not => "!",
            Token::Tilde => "~",
            Token::NotEq => "!=",
            Token::LtEq => "<=",
            Token::GtEq => ">=",
            Token::Define => ":=",
            Token::Ellipsis => "...",
            Token::LParen => "(",
            Token::RParen => ")",
            Token::LBrack => "[",
            Token::RBrack => "]",
            Token::LBrace => "{",
            Token::RBrace => "}",
            Token::Comma => ",",
            Token::Semi => ";",
            Token::Dot => ".",
            Token::Colon => ":",
            Token::Newline => "newline",
            Token::BlockComment(_) => "comment",
            _ => "",
        }
    }
}

/// One token per line, `start..end Kind "text"`, for golden tests.
pub fn dump_tokens(text: &str, tokens: &[(u32, Token, u32)]) -> String {
    let mut out = String::new();
    for (start, tok, end) in tokens {
        let line = match tok {
            Token::Ident(s) => format!("Ident {s:?}"),
            Token::Int(s) => format!("Int {s:?}"),
            Token::Float(s) => format!("Float {s:?}"),
            Token::Imag(s) => format!("Imag {s:?}"),
            Token::Char(s) => format!("Char {s:?}"),
            Token::Str(s) => format!("Str {s:?}"),
            Token::Semi => format!("Semi ({})", describe_token(text, *start, tok, *end)),
            other => match other.keyword() {
                Some(k) => format!("Keyword {k}"),
                None => format!("Op {}", other.spelling()),
            },
        };
        out.push_str(&format!("{start}..{end} {line}\n"));
    }
    out
}
