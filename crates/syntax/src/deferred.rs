//! Library function bodies parsed only when something asks for them.
//!
//! A package compiled from Go's source is parsed on every build, and most of
//! its text is function bodies that the program never reaches (sema checks a
//! plain library function's body only when checked code names it). So
//! [`crate::parse_library_file`] lexes the whole file, as [`crate::parse_file`]
//! does (semicolon insertion and the lexer's diagnostics are the file's), but
//! gives the parser each top-level function's body as an empty `{ }`: the
//! body's tokens become a [`DeferredBody`], a span of the file's text that
//! [`DeferredBody::block`] lexes again and parses the first time it is asked
//! for. Its syntax errors are the ones a full parse reports for that body, at
//! the same positions ([`DeferredBody::take_errors`] hands them over once).
//!
//! A body an earlier build parsed without errors may come back from the
//! build cache's pack already parsed ([`crate::cached`]): then it is the
//! pack's bytes for it, decoded instead of lexed and parsed when reached.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use g2n_base::{FileId, Span};

use crate::ast::{Block, Decl, File};
use crate::error::SyntaxError;
use crate::lexer::{Token, lex};

/// A token with its start and end offsets, as the lexer gives it.
type Spanned = (u32, Token, u32);

/// A top-level function's body, kept as text until it is parsed.
pub struct DeferredBody {
    file: FileId,
    /// The whole file: diagnostics describe tokens by the text around them.
    text: Arc<str>,
    /// From the body's `{` to just past its `}`.
    start: u32,
    end: u32,
    /// The body's parse as an earlier build kept it ([`crate::cached`]).
    kept: Option<crate::cached::Shared>,
    parsed: OnceLock<(Block, Vec<SyntaxError>)>,
    errors_taken: AtomicBool,
}

impl DeferredBody {
    /// The body's span, `{` to `}`.
    pub fn span(&self) -> Span {
        Span::new(self.file, self.start, self.end)
    }

    /// The parsed body (parsed now the first time). Empty if it does not
    /// parse.
    pub fn block(&self) -> &Block {
        &self.parsed().0
    }

    /// The body's syntax errors, to the first caller only (a generic
    /// function's body is checked once per instantiation; its errors are
    /// reported once).
    pub fn take_errors(&self) -> Vec<SyntaxError> {
        let errors = &self.parsed().1;
        if errors.is_empty() || self.errors_taken.swap(true, Ordering::Relaxed) {
            return Vec::new();
        }
        errors.clone()
    }

    /// Whether the body has been parsed yet (tests of what stays lazy).
    pub fn is_parsed(&self) -> bool {
        self.parsed.get().is_some()
    }

    /// Whether the body has syntax errors (reported or not).
    pub fn has_errors(&self) -> bool {
        !self.parsed().1.is_empty()
    }

    fn parsed(&self) -> &(Block, Vec<SyntaxError>) {
        self.parsed.get_or_init(|| {
            // Kept bytes that do not decode (not this format's) are parsed
            // from the text, as if they were not there.
            let kept = self.kept.as_ref().and_then(|kept| crate::cached::decode_body(kept.bytes(), self.file));
            kept.map_or_else(|| self.parse(), |block| (block, Vec::new()))
        })
    }

    /// The bytes to keep for this body in a pack: those it was read from,
    /// or its parse's if it has been parsed without errors (`None`: it is
    /// kept as text; a body with errors is parsed, and they are reported,
    /// on every build).
    pub(crate) fn kept_bytes(&self) -> Option<std::borrow::Cow<'_, [u8]>> {
        if let Some(kept) = &self.kept {
            return Some(std::borrow::Cow::Borrowed(kept.bytes()));
        }
        let (block, errors) = self.parsed.get()?;
        errors.is_empty().then(|| std::borrow::Cow::Owned(crate::cached::encode_body(block)))
    }

    /// Whether this body was parsed from its text without errors: a pack
    /// that kept it as text can now keep its parse.
    pub(crate) fn newly_parsed(&self) -> bool {
        self.kept.is_none() && self.parsed.get().is_some_and(|(_, errors)| errors.is_empty())
    }

    /// Whether the body came from a pack already parsed (tests).
    pub fn was_kept(&self) -> bool {
        self.kept.is_some()
    }

    /// Parses the body as the only function of a file of its own: the
    /// tokens of `package _; func _()` and then the body's, lexed again with
    /// their offsets in the file. The lexer's errors in the body were the
    /// file's (a file with any is parsed in full), so none are new here.
    fn parse(&self) -> (Block, Vec<SyntaxError>) {
        let (start, end) = (self.start, self.end);
        let empty = || Block { stmts: Vec::new(), span: self.span() };
        let Some(body_text) = self.text.get(start as usize..end as usize) else { return (empty(), Vec::new()) };
        let (body_tokens, _) = lex(self.file, body_text);
        let header = [
            Token::Package,
            Token::Ident("_".to_owned()),
            Token::Semi,
            Token::Func,
            Token::Ident("_".to_owned()),
            Token::LParen,
            Token::RParen,
        ];
        let mut tokens: Vec<Spanned> = Vec::with_capacity(header.len() + body_tokens.len() + 1);
        tokens.extend(header.into_iter().map(|tok| (start, tok, start)));
        // The lexer ends the body with a semicolon at its end (the `}`
        // allows one); the file had one there too, on the newline.
        tokens.extend(body_tokens.into_iter().map(|(s, tok, e)| (s + start, tok, e + start)).filter(|(s, tok, _)| !(*tok == Token::Semi && *s == end)));
        tokens.push((end, Token::Semi, end));
        let (file, errors) = crate::parse_tokens(self.file, &self.text, tokens, Vec::new());
        let block = file.decls.into_iter().find_map(|decl| match decl {
            Decl::Func(func) => func.body,
            Decl::Gen(_) => None,
        });
        (block.unwrap_or_else(empty), errors)
    }
}

impl std::fmt::Debug for DeferredBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeferredBody").field("span", &self.span()).field("parsed", &self.parsed.get().is_some()).finish()
    }
}

/// Two deferred bodies are equal when they are the same text.
impl PartialEq for DeferredBody {
    fn eq(&self, other: &Self) -> bool {
        self.file == other.file && self.start == other.start && self.end == other.end && *self.text == *other.text
    }
}

/// `tokens` with the inside of every top-level function's body left out,
/// and the bodies' ranges (from `{` to past `}`). A top-level function
/// starts with `func` at the file's top level after a semicolon (a function
/// literal in a `var` follows `=`, `,` or `(`); its body is the first `{`
/// at the declaration's top level that does not open a `struct` or
/// `interface` type (a result type `struct{ ... }`); a `;` there first means
/// it has no body.
pub(crate) fn strip_bodies(tokens: Vec<Spanned>) -> (Vec<Spanned>, Vec<(u32, u32)>) {
    let mut kept = Vec::with_capacity(tokens.len() / 4);
    let mut bodies = Vec::new();
    let mut depth = 0u32;
    let mut after_semi = true;
    let mut tokens = tokens.into_iter().peekable();
    while let Some((start, tok, end)) = tokens.next() {
        let top_func = depth == 0 && after_semi && tok == Token::Func;
        match tok {
            Token::LParen | Token::LBrack | Token::LBrace => depth += 1,
            Token::RParen | Token::RBrack | Token::RBrace => depth = depth.saturating_sub(1),
            _ => {}
        }
        after_semi = tok == Token::Semi;
        kept.push((start, tok, end));
        if !top_func {
            continue;
        }
        // The signature, up to the body or the end of the declaration.
        let mut sig_depth = 0u32;
        let mut previous = Token::Func;
        while let Some((start, tok, end)) = tokens.next_if(|(_, tok, _)| !(sig_depth == 0 && *tok == Token::Semi)) {
            let opens_body = sig_depth == 0 && tok == Token::LBrace && !matches!(previous, Token::Struct | Token::Interface);
            if opens_body {
                // The body, balanced: only its braces count.
                let mut body_depth = 1u32;
                let mut close = None;
                for (s, t, e) in tokens.by_ref() {
                    match t {
                        Token::LBrace => body_depth += 1,
                        Token::RBrace => body_depth -= 1,
                        _ => {}
                    }
                    if body_depth == 0 {
                        close = Some((s, t, e));
                        break;
                    }
                }
                kept.push((start, tok, end));
                match close {
                    Some((s, t, e)) => {
                        bodies.push((start, e));
                        kept.push((s, t, e));
                    }
                    // Unbalanced to the end of the file: the full parse
                    // says where.
                    None => bodies.push((start, u32::MAX)),
                }
                break;
            }
            match tok {
                Token::LParen | Token::LBrack | Token::LBrace => sig_depth += 1,
                Token::RParen | Token::RBrack | Token::RBrace => sig_depth = sig_depth.saturating_sub(1),
                _ => {}
            }
            previous = tok.clone();
            kept.push((start, tok, end));
        }
    }
    (kept, bodies)
}

/// Gives each function of `file` whose body was left out (`bodies`) its
/// [`DeferredBody`], with the bytes `kept` has for it if any (`kept` is
/// empty or one entry per body); false if some body is not a function's
/// (the caller then parses the file in full).
pub(crate) fn attach(file: &mut File, bodies: &[(u32, u32)], kept: Vec<Option<crate::cached::Shared>>, id: FileId, text: &Arc<str>) -> bool {
    if !kept.is_empty() && kept.len() != bodies.len() {
        return false;
    }
    let mut kept = kept.into_iter();
    let mut attached = 0;
    for decl in &mut file.decls {
        let Decl::Func(func) = decl else { continue };
        let Some(body) = &func.body else { continue };
        let (start, end) = (body.span.start, body.span.end);
        if bodies.get(attached) != Some(&(start, end)) {
            continue;
        }
        func.deferred = Some(Arc::new(DeferredBody {
            file: id,
            text: text.clone(),
            start,
            end,
            kept: kept.next().flatten(),
            parsed: OnceLock::new(),
            errors_taken: AtomicBool::new(false),
        }));
        attached += 1;
    }
    attached == bodies.len()
}
