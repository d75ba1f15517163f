//! What the printer needs to know about the original text beyond the syntax
//! tree: line and column of every offset, the tokens (to find the positions of
//! punctuation the tree does not record), and the comments grouped as
//! go/parser groups them.

use g2n_syntax::Token;

/// A position in source space, as go/token.Position: `line == 0` is invalid.
/// Offsets and columns count bytes; columns start at 1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Pos {
    pub offset: i64,
    pub line: i64,
    pub col: i64,
}

impl Pos {
    pub fn is_valid(self) -> bool {
        self.line > 0
    }
}

/// One `//` or `/* */` comment: its text exactly as written.
#[derive(Clone, Debug)]
pub(crate) struct Comment {
    pub start: u32,
    pub end: u32,
    pub text: String,
}

/// Adjacent comments with nothing but white space between them (go/ast.CommentGroup).
#[derive(Clone, Debug)]
pub(crate) struct CommentGroup {
    pub list: Vec<Comment>,
    /// go/parser's line comment: starts on the line of the token before it,
    /// and the next token is on a later line.
    pub is_line_comment: bool,
}

impl CommentGroup {
    pub fn start(&self) -> u32 {
        self.list.first().map_or(0, |c| c.start)
    }
    pub fn end(&self) -> u32 {
        self.list.last().map_or(0, |c| c.end)
    }
}

pub(crate) struct Source<'a> {
    pub text: &'a str,
    line_starts: Vec<u32>,
    /// Real tokens (no inserted semicolons): start, end.
    tokens: Vec<(u32, u32)>,
    pub groups: Vec<CommentGroup>,
}

impl<'a> Source<'a> {
    pub fn new(text: &'a str, lexed: &[(u32, Token, u32)]) -> Source<'a> {
        let mut line_starts = vec![0u32];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(to_u32(i + 1));
            }
        }
        // An inserted semicolon stands on a newline, a comment or the end of
        // the text; a written one is `;` itself.
        let tokens: Vec<(u32, u32)> = lexed
            .iter()
            .filter(|(s, t, e)| !matches!(t, Token::Semi) || text.get(*s as usize..*e as usize) == Some(";"))
            .map(|(s, _, e)| (*s, *e))
            .collect();
        let mut src = Source { text, line_starts, tokens, groups: Vec::new() };
        src.groups = src.collect_comments();
        src
    }

    pub fn line(&self, offset: u32) -> i64 {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i as i64 + 1,
            Err(i) => i as i64,
        }
    }

    pub fn pos(&self, offset: u32) -> Pos {
        let line = self.line(offset);
        let start = self.line_starts[(line - 1) as usize];
        Pos { offset: i64::from(offset), line, col: i64::from(offset - start) + 1 }
    }

    pub fn slice(&self, start: u32, end: u32) -> &'a str {
        self.text.get(start as usize..end as usize).unwrap_or("")
    }

    /// The start of the first token at or after `from` spelled `what`.
    pub fn find(&self, from: u32, what: &str) -> u32 {
        let i = self.tokens.partition_point(|&(s, _)| s < from);
        for &(s, e) in &self.tokens[i..] {
            if self.slice(s, e) == what {
                return s;
            }
        }
        from
    }

    /// Whether a line comment (go/parser's `Comment` of a spec or field)
    /// follows the token that ends at `end`.
    pub fn has_line_comment(&self, end: u32) -> bool {
        let i = self.groups.partition_point(|g| g.start() < end);
        let Some(g) = self.groups.get(i) else { return false };
        let next = self.next_token(end).map_or(u32::MAX, |t| t.0);
        g.start() < next && g.is_line_comment
    }

    /// The offset of the token that closes the bracket opened at `open`.
    pub fn matching(&self, open: u32) -> u32 {
        let i = self.tokens.partition_point(|&(s, _)| s < open);
        let mut depth = 0i64;
        for &(s, e) in &self.tokens[i..] {
            match self.slice(s, e) {
                "(" | "[" | "{" => depth += 1,
                ")" | "]" | "}" => {
                    depth -= 1;
                    if depth == 0 {
                        return s;
                    }
                }
                _ => {}
            }
        }
        open
    }

    /// The start of the first token at or after `from`.
    pub fn next_token(&self, from: u32) -> Option<(u32, u32)> {
        let i = self.tokens.partition_point(|&(s, _)| s < from);
        self.tokens.get(i).copied()
    }

    /// The last token that ends at or before `to`.
    pub fn prev_token(&self, to: u32) -> Option<(u32, u32)> {
        let i = self.tokens.partition_point(|&(_, e)| e <= to);
        if i == 0 { None } else { self.tokens.get(i - 1).copied() }
    }

    /// The text between tokens holds only white space and comments; they are
    /// grouped as go/parser does: after a token, the comments that start on its
    /// line form one group (a line comment); after that, comments on adjacent
    /// lines form a group each.
    fn collect_comments(&self) -> Vec<CommentGroup> {
        let mut groups: Vec<CommentGroup> = Vec::new();
        let mut gaps: Vec<(u32, u32, Option<u32>)> = Vec::new();
        // (gap start, gap end, start of the token before the gap)
        let mut prev: Option<(u32, u32)> = None;
        for &(s, e) in &self.tokens {
            gaps.push((prev.map_or(0, |p| p.1), s, prev.map(|p| p.0)));
            prev = Some((s, e));
        }
        gaps.push((prev.map_or(0, |p| p.1), to_u32(self.text.len()), prev.map(|p| p.0)));
        for (from, to, after) in gaps {
            let comments = scan_comments(self.text, from, to);
            let mut current: Vec<Comment> = Vec::new();
            let mut end_line = 0;
            // Whether the group being built is the line comment of `after`.
            let mut same_line_group = false;
            for c in comments {
                let line = self.line(c.start);
                let starts_new = if current.is_empty() {
                    true
                } else if same_line_group {
                    line > end_line
                } else {
                    line > end_line + 1
                };
                if starts_new && !current.is_empty() {
                    let is_line_comment = same_line_group && end_line < self.line(to);
                    groups.push(CommentGroup { list: std::mem::take(&mut current), is_line_comment });
                    same_line_group = false;
                }
                if current.is_empty() && first_in_gap(&groups, from) {
                    same_line_group = after.is_some_and(|a| self.line(a) == line);
                }
                end_line = self.line(c.end.saturating_sub(1).max(c.start));
                current.push(c);
            }
            if !current.is_empty() {
                let at_eof = to as usize >= self.text.len();
                let is_line_comment = same_line_group && (at_eof || end_line < self.line(to));
                groups.push(CommentGroup { list: current, is_line_comment });
            }
        }
        groups
    }
}

/// Whether no group has been made yet in the gap that starts at `from`.
fn first_in_gap(groups: &[CommentGroup], from: u32) -> bool {
    groups.last().is_none_or(|g| g.end() <= from)
}

/// The comments in `text[from..to]`, which holds only white space and comments.
fn scan_comments(text: &str, from: u32, to: u32) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = from as usize;
    let to = (to as usize).min(bytes.len());
    while i + 1 < to {
        if bytes[i] == b'/' && bytes[i + 1] == b'/' {
            let end = bytes[i..to].iter().position(|&b| b == b'\n').map_or(to, |p| i + p);
            // go/scanner drops a `\r` before the newline of a line comment.
            let text_end = if end > i && bytes[end - 1] == b'\r' { end - 1 } else { end };
            out.push(Comment { start: to_u32(i), end: to_u32(text_end), text: text[i..text_end].to_owned() });
            i = end;
        } else if bytes[i] == b'/' && bytes[i + 1] == b'*' {
            let end = text[i + 2..to].find("*/").map_or(to, |p| i + 2 + p + 2);
            out.push(Comment { start: to_u32(i), end: to_u32(end), text: text[i..end].replace('\r', "") });
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
