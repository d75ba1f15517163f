//! The printer's core, following go/printer's rules: tokens are written with
//! their source positions, white space is delayed in a buffer so that comments
//! can be interspersed at the right places, and line breaks of the source are
//! kept (at most one empty line). The result is text for the elastic tabstop
//! writer ([`crate::tabwriter`]): `\t`/`\v` end cells, `\f` ends a section,
//! and literal text is bracketed by [`ESCAPE`].

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::source::{Comment, CommentGroup, Pos, Source};

pub(crate) const ESCAPE: u8 = 0xff;
pub(crate) const MAX_NEWLINES: i64 = 2;
pub(crate) const INFINITY: i64 = 1 << 30;

/// Delayed white space (go/printer's whiteSpace).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ws {
    Ignore,
    Blank,
    Vtab,
    Newline,
    Formfeed,
    Indent,
    Unindent,
}

impl Ws {
    fn byte(self) -> u8 {
        match self {
            Ws::Blank => b' ',
            Ws::Vtab => 0x0b,
            Ws::Newline => b'\n',
            Ws::Formfeed => 0x0c,
            Ws::Ignore | Ws::Indent | Ws::Unindent => 0,
        }
    }
}

/// Printer modes toggled around some tokens.
pub(crate) const NO_EXTRA_BLANK: u8 = 1;
pub(crate) const NO_EXTRA_LINEBREAK: u8 = 2;

/// The kind of the last token written: its spelling for keywords and
/// operators, or one of the names below for identifiers and literals.
pub(crate) type Tok = &'static str;
pub(crate) const ILLEGAL: Tok = "ILLEGAL";
pub(crate) const IDENT: Tok = "IDENT";
pub(crate) const INT: Tok = "INT";
pub(crate) const STRING: Tok = "STRING";
pub(crate) const EOF: Tok = "EOF";

pub(crate) type SizeCache = Rc<RefCell<HashMap<(usize, u8), i64>>>;

pub(crate) struct Printer<'s> {
    pub src: &'s Source<'s>,
    pub output: Vec<u8>,
    pub indent: i64,
    pub level: i64,
    mode: u8,
    end_alignment: bool,
    implied_semi: bool,
    pub last_tok: Tok,
    prev_open: Tok,
    wsbuf: Vec<Ws>,
    /// Current position in source space.
    pub pos: Pos,
    /// Current position in output space.
    pub out: Pos,
    /// `pos` after the last string written.
    last: Pos,
    line_slot: Option<usize>,
    pub line_slots: Vec<i64>,
    comments: &'s [CommentGroup],
    cindex: usize,
    comment: Option<usize>,
    comment_offset: i64,
    comment_newline: bool,
    pub sizes: SizeCache,
    /// Output offsets of `//go:build` and `// +build` comments.
    pub go_build: Vec<usize>,
    pub plus_build: Vec<usize>,
}

impl<'s> Printer<'s> {
    pub fn new(src: &'s Source<'s>, comments: &'s [CommentGroup], sizes: SizeCache) -> Printer<'s> {
        let mut p = Printer {
            src,
            output: Vec::new(),
            indent: 0,
            level: 0,
            mode: 0,
            end_alignment: false,
            implied_semi: false,
            last_tok: ILLEGAL,
            prev_open: ILLEGAL,
            wsbuf: Vec::new(),
            pos: Pos { offset: 0, line: 1, col: 1 },
            out: Pos { offset: 0, line: 1, col: 1 },
            last: Pos::default(),
            line_slot: None,
            line_slots: Vec::new(),
            comments,
            cindex: 0,
            comment: None,
            comment_offset: INFINITY,
            comment_newline: false,
            sizes,
            go_build: Vec::new(),
            plus_build: Vec::new(),
        };
        p.next_comment();
        p
    }

    pub fn pos_for(&self, offset: u32) -> Pos {
        self.src.pos(offset)
    }

    pub fn line_for(&self, offset: u32) -> i64 {
        self.src.line(offset)
    }

    // ------------------------------------------------------------ comments

    fn comments_have_newline(&self, list: &[Comment]) -> bool {
        let Some(first) = list.first() else { return false };
        let line = self.line_for(first.start);
        for (i, c) in list.iter().enumerate() {
            if i > 0 && self.line_for(c.start) != line {
                return true;
            }
            if c.text.as_bytes().get(1) == Some(&b'/') || c.text.contains('\n') {
                return true;
            }
        }
        false
    }

    fn next_comment(&mut self) {
        while self.cindex < self.comments.len() {
            let i = self.cindex;
            self.cindex += 1;
            let g = &self.comments[i];
            if let Some(first) = g.list.first() {
                self.comment = Some(i);
                self.comment_offset = i64::from(first.start);
                self.comment_newline = self.comments_have_newline(&g.list);
                return;
            }
        }
        self.comment_offset = INFINITY;
    }

    pub fn comment_before(&self, next: Pos) -> bool {
        self.comment_offset < next.offset && (!self.implied_semi || !self.comment_newline)
    }

    /// The size of the comments before `next`, without consuming them.
    pub fn comment_size_before(&mut self, next: Pos) -> i64 {
        let saved = (self.cindex, self.comment, self.comment_offset, self.comment_newline);
        let mut size = 0;
        while self.comment_before(next) {
            if let Some(g) = self.comment {
                for c in &self.comments[g].list {
                    size += c.text.len() as i64;
                }
            }
            self.next_comment();
        }
        (self.cindex, self.comment, self.comment_offset, self.comment_newline) = saved;
        size
    }

    pub fn record_line(&mut self) -> usize {
        self.line_slots.push(0);
        let slot = self.line_slots.len() - 1;
        self.line_slot = Some(slot);
        slot
    }

    pub fn lines_from(&self, line: i64) -> i64 {
        self.out.line - line
    }

    // ------------------------------------------------------------ writing

    fn write_indent(&mut self) {
        let n = self.indent;
        for _ in 0..n {
            self.output.push(b'\t');
        }
        self.pos.offset += n;
        self.pos.col += n;
        self.out.col += n;
    }

    fn write_byte(&mut self, ch: u8, n: i64) {
        let mut ch = ch;
        if self.end_alignment {
            match ch {
                b'\t' | 0x0b => ch = b' ',
                b'\n' | 0x0c => {
                    ch = 0x0c;
                    self.end_alignment = false;
                }
                _ => {}
            }
        }
        if self.out.col == 1 {
            self.write_indent();
        }
        for _ in 0..n {
            self.output.push(ch);
        }
        self.pos.offset += n;
        if ch == b'\n' || ch == 0x0c {
            self.pos.line += n;
            self.out.line += n;
            self.pos.col = 1;
            self.out.col = 1;
            return;
        }
        self.pos.col += n;
        self.out.col += n;
    }

    fn write_string(&mut self, pos: Pos, s: &str, is_lit: bool) {
        if self.out.col == 1 {
            self.write_indent();
        }
        if pos.is_valid() {
            self.pos = pos;
        }
        if is_lit {
            self.output.push(ESCAPE);
        }
        self.output.extend_from_slice(s.as_bytes());
        let mut nlines = 0;
        let mut li = 0;
        for (i, b) in s.bytes().enumerate() {
            if b == b'\n' || b == 0x0c {
                nlines += 1;
                li = i;
                self.end_alignment = true;
            }
        }
        let len = s.len() as i64;
        self.pos.offset += len;
        if nlines > 0 {
            self.pos.line += nlines;
            self.out.line += nlines;
            let c = len - li as i64;
            self.pos.col = c;
            self.out.col = c;
        } else {
            self.pos.col += len;
            self.out.col += len;
        }
        if is_lit {
            self.output.push(ESCAPE);
        }
        self.last = self.pos;
    }

    fn write_comment_prefix(&mut self, pos: Pos, next: Pos, prev: Option<&Comment>, tok: Tok) {
        if self.output.is_empty() {
            return;
        }
        let prev_is_line = prev.is_some_and(|c| c.text.as_bytes().get(1) == Some(&b'/'));
        if pos.line == self.last.line && !prev_is_line {
            // A comment on the same line as the last item.
            let mut has_sep = false;
            if prev.is_none() {
                let mut j = 0;
                for i in 0..self.wsbuf.len() {
                    match self.wsbuf[i] {
                        Ws::Blank => {
                            self.wsbuf[i] = Ws::Ignore;
                            continue;
                        }
                        Ws::Vtab => {
                            has_sep = true;
                            continue;
                        }
                        Ws::Indent => continue,
                        _ => {}
                    }
                    j = i;
                    break;
                }
                self.write_whitespace(j);
            }
            if !has_sep {
                let sep = if pos.line == next.line { b' ' } else { b'\t' };
                self.write_byte(sep, 1);
            }
        } else {
            // A comment on a line of its own.
            let mut dropped_linebreak = false;
            let mut j = 0;
            for i in 0..self.wsbuf.len() {
                match self.wsbuf[i] {
                    Ws::Blank | Ws::Vtab => {
                        self.wsbuf[i] = Ws::Ignore;
                        continue;
                    }
                    Ws::Indent => continue,
                    Ws::Unindent => {
                        if i + 1 < self.wsbuf.len() && self.wsbuf[i + 1] == Ws::Unindent {
                            continue;
                        }
                        if tok != "}" && pos.col == next.col {
                            continue;
                        }
                    }
                    Ws::Newline | Ws::Formfeed => {
                        self.wsbuf[i] = Ws::Ignore;
                        dropped_linebreak = prev.is_none();
                    }
                    Ws::Ignore => {}
                }
                j = i;
                break;
            }
            self.write_whitespace(j);
            let mut n = 0;
            if pos.is_valid() && self.last.is_valid() {
                n = (pos.line - self.last.line).max(0);
            }
            if self.indent == 0 && dropped_linebreak {
                n += 1;
            }
            if n == 0 && prev_is_line {
                n = 1;
            }
            if n > 0 {
                self.write_byte(0x0c, nlimit(n));
            }
        }
    }

    fn write_comment(&mut self, c: &Comment) {
        let text = c.text.as_str();
        let mut pos = self.pos_for(c.start);
        let saved_indent = self.indent;
        if text.starts_with("//line ") && pos.col == 1 {
            self.indent = 0;
        }
        if text.as_bytes().get(1) == Some(&b'/') {
            if crate::build_lines::is_go_build(text) {
                self.go_build.push(self.output.len());
            } else if crate::build_lines::is_plus_build(text) {
                self.plus_build.push(self.output.len());
            }
            self.write_string(pos, text.trim_end(), true);
            self.indent = saved_indent;
            return;
        }
        let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
        if pos.col == 1 && self.indent > 0 {
            for line in lines.iter_mut().skip(1) {
                *line = format!("   {line}");
            }
        }
        crate::comments::strip_common_prefix(&mut lines);
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                self.write_byte(0x0c, 1);
                pos = self.pos;
            }
            if !line.is_empty() {
                self.write_string(pos, line.trim_end(), true);
            }
        }
        self.indent = saved_indent;
    }

    fn write_comment_suffix(&mut self, mut needs_linebreak: bool) -> (bool, bool) {
        let mut wrote_newline = false;
        let mut dropped_ff = false;
        for i in 0..self.wsbuf.len() {
            match self.wsbuf[i] {
                Ws::Blank | Ws::Vtab => self.wsbuf[i] = Ws::Ignore,
                Ws::Indent | Ws::Unindent | Ws::Ignore => {}
                ch @ (Ws::Newline | Ws::Formfeed) => {
                    if needs_linebreak {
                        needs_linebreak = false;
                        wrote_newline = true;
                    } else {
                        if ch == Ws::Formfeed {
                            dropped_ff = true;
                        }
                        self.wsbuf[i] = Ws::Ignore;
                    }
                }
            }
        }
        self.write_whitespace(self.wsbuf.len());
        if needs_linebreak {
            self.write_byte(b'\n', 1);
            wrote_newline = true;
        }
        (wrote_newline, dropped_ff)
    }

    fn contains_linebreak(&self) -> bool {
        self.wsbuf.iter().any(|&w| w == Ws::Newline || w == Ws::Formfeed)
    }

    fn intersperse_comments(&mut self, next: Pos, tok: Tok) -> (bool, bool) {
        let mut last: Option<Comment> = None;
        while self.comment_before(next) {
            let Some(gi) = self.comment else { break };
            let comments = self.comments;
            let group = &comments[gi];
            let mut list = group.list.clone();
            let mut changed = false;
            if self.last_tok != "import"
                && self.pos_for(group.start()).col == 1
                && self.pos_for(group.end() + 1) == next
            {
                list = crate::comments::format_doc_comment(&group.list);
                changed = true;
            }
            for c in &list {
                self.write_comment_prefix(self.pos_for(c.start), next, last.as_ref(), tok);
                self.write_comment(c);
                last = Some(c.clone());
            }
            if changed && let Some(orig_last) = group.list.last() {
                last = Some(orig_last.clone());
                self.pos = self.pos_for(orig_last.end);
                self.last = self.pos;
            }
            self.next_comment();
        }
        let Some(last) = last else { return (false, false) };
        let mut needs_linebreak = false;
        let is_block = last.text.as_bytes().get(1) == Some(&b'*');
        if self.mode & NO_EXTRA_BLANK == 0
            && is_block
            && self.line_for(last.start) == next.line
            && tok != ","
            && (tok != ")" || self.prev_open == "(")
            && (tok != "]" || self.prev_open == "[")
        {
            if self.contains_linebreak() && self.mode & NO_EXTRA_LINEBREAK == 0 && self.level == 0 {
                needs_linebreak = true;
            } else {
                self.write_byte(b' ', 1);
            }
        }
        if !is_block || tok == EOF || (tok == "}" && self.mode & NO_EXTRA_LINEBREAK == 0) {
            needs_linebreak = true;
        }
        self.write_comment_suffix(needs_linebreak)
    }

    fn write_whitespace(&mut self, n: usize) {
        let mut i = 0;
        while i < n {
            match self.wsbuf[i] {
                Ws::Ignore => {}
                Ws::Indent => self.indent += 1,
                Ws::Unindent => self.indent = (self.indent - 1).max(0),
                ch @ (Ws::Newline | Ws::Formfeed) => {
                    if i + 1 < n && self.wsbuf[i + 1] == Ws::Unindent {
                        // An unindent right after a line break goes before
                        // it, and the break becomes a section break.
                        self.wsbuf[i] = Ws::Unindent;
                        self.wsbuf[i + 1] = Ws::Formfeed;
                        continue;
                    }
                    self.write_byte(ch.byte(), 1);
                }
                ch => self.write_byte(ch.byte(), 1),
            }
            i += 1;
        }
        self.wsbuf.drain(..n);
    }

    // ------------------------------------------------------------ print

    fn pre_arg(&mut self) {
        match self.last_tok {
            ILLEGAL => {}
            "(" | "[" => self.prev_open = self.last_tok,
            _ => self.prev_open = ILLEGAL,
        }
    }

    pub fn ws(&mut self, w: Ws) {
        self.pre_arg();
        if w == Ws::Ignore {
            return;
        }
        self.wsbuf.push(w);
        if w == Ws::Newline || w == Ws::Formfeed {
            self.implied_semi = false;
        }
        self.last_tok = ILLEGAL;
    }

    pub fn toggle(&mut self, mode: u8) {
        self.pre_arg();
        self.mode ^= mode;
    }

    /// The accurate source position of the next item.
    pub fn at(&mut self, offset: u32) {
        self.pre_arg();
        self.pos = self.pos_for(offset);
    }

    pub fn token(&mut self, tok: Tok) {
        self.pre_arg();
        let first = tok.as_bytes()[0];
        if may_combine(self.last_tok, first) {
            self.wsbuf.clear();
            self.wsbuf.push(Ws::Blank);
        }
        let implied = matches!(tok, "break" | "continue" | "fallthrough" | "return" | "++" | "--" | ")" | "]" | "}");
        self.last_tok = tok;
        self.emit(tok, false, implied);
    }

    pub fn ident(&mut self, name: &str) {
        self.pre_arg();
        self.last_tok = IDENT;
        self.emit(name, false, true);
    }

    /// A literal: its text goes through the tab writer unchanged.
    pub fn lit(&mut self, text: &str, kind: Tok) {
        self.pre_arg();
        self.last_tok = kind;
        self.emit(text, true, true);
    }

    fn emit(&mut self, data: &str, is_lit: bool, implied: bool) {
        let mut implied = implied;
        let next = self.pos;
        let (wrote_newline, dropped_ff) = self.flush(next, self.last_tok);
        if !self.implied_semi {
            let mut n = nlimit(next.line - self.pos.line);
            if wrote_newline && n == MAX_NEWLINES {
                n = MAX_NEWLINES - 1;
            }
            if n > 0 {
                let ch = if dropped_ff { 0x0c } else { b'\n' };
                self.write_byte(ch, n);
                implied = false;
            }
        }
        if let Some(slot) = self.line_slot.take() {
            self.line_slots[slot] = self.out.line;
        }
        self.write_string(next, data, is_lit);
        self.implied_semi = implied;
    }

    pub fn flush(&mut self, next: Pos, tok: Tok) -> (bool, bool) {
        if self.comment_before(next) {
            self.intersperse_comments(next, tok)
        } else {
            self.write_whitespace(self.wsbuf.len());
            (false, false)
        }
    }

    /// Writes what is left (comments at the end of the file).
    pub fn finish(&mut self) {
        self.implied_semi = false;
        self.flush(Pos { offset: INFINITY, line: INFINITY, col: 0 }, EOF);
    }

    /// Line breaks to reach `line` (at least `min`); see go/printer's linebreak.
    pub fn linebreak(&mut self, line: i64, min: i64, ws: Ws, new_section: bool) -> i64 {
        let mut n = nlimit(line - self.pos.line).max(min);
        let mut nbreaks = 0;
        if n > 0 {
            self.ws(ws);
            if new_section {
                self.ws(Ws::Formfeed);
                n -= 1;
                nbreaks = 2;
            }
            nbreaks += n;
            for _ in 0..n {
                self.ws(Ws::Newline);
            }
        }
        nbreaks
    }
}

pub(crate) fn nlimit(n: i64) -> i64 {
    n.min(MAX_NEWLINES)
}

/// Whether `prev` followed by a token starting with `next` would read as
/// another token without a blank between them.
fn may_combine(prev: Tok, next: u8) -> bool {
    match prev {
        INT => next == b'.',
        "+" => next == b'+',
        "-" => next == b'-',
        "/" => next == b'*',
        "<" => next == b'-' || next == b'<',
        "&" => next == b'&' || next == b'^',
        _ => false,
    }
}
