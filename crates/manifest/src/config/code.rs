//! The raw-lines reader for the `code:` key of a nanoservice config.
//!
//! Strict YAML cannot read the seed's files (`- }` starts a plain scalar with a
//! flow indicator), so the `code:` section is found and read line by line here,
//! before any YAML parser sees the document. The reader only records byte
//! ranges: which bytes are Go code (kept at their offsets in the Go text) and
//! which bytes belong to the section (blanked before the rest of the document
//! goes to the YAML parser, so errors in Go lines can never be YAML errors).
//!
//! Accepted shapes (see docs/manifests.md):
//! - a block sequence: every item `- text` is one Go line, `text` taken
//!   verbatim after the one separator character that follows `-`;
//! - a literal block scalar `|` (with optional chomping and indentation
//!   indicators): every content line minus the block indentation is a Go line.

use std::ops::Range;

/// How the code was written, kept for reconstructing the Go source text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CodeStyle {
    Sequence,
    Block,
}

/// What the scanner found for the `code:` key.
#[derive(Clone, Debug)]
pub(crate) struct CodeSection {
    /// The bytes of the key `code` itself.
    pub key: Range<usize>,
    /// Bytes to blank before YAML parsing: everything after `code:` up to the
    /// end of the section's last line.
    pub blank: Range<usize>,
    /// One range per Go line (content only, no marker or indentation).
    pub lines: Vec<Range<usize>>,
    /// End of the last non-blank line of the section (for the section's span).
    pub end: usize,
    pub style: CodeStyle,
}

/// Problems the scanner reports; the caller turns them into `ConfigError`s.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ScanProblem {
    /// `code: >` folds lines.
    Folded(Range<usize>),
    /// `code:` with an inline value that is neither `|…` nor empty.
    Shape(Range<usize>),
    /// A line inside a `code:` sequence that is not an item.
    NotAnItem(Range<usize>),
    /// A code item that is entirely a quoted string (a warning).
    QuotedLine(Range<usize>),
}

pub(crate) struct Scan {
    pub section: Option<CodeSection>,
    pub problems: Vec<ScanProblem>,
}

/// One physical line: `start..end` excludes the line break (and a `\r`).
#[derive(Clone, Copy, Debug)]
struct Line {
    start: usize,
    end: usize,
    /// Leading spaces (tabs are not YAML indentation).
    indent: usize,
}

impl Line {
    fn text<'a>(&self, src: &'a str) -> &'a str {
        src.get(self.start..self.end).unwrap_or("")
    }

    /// Text after the indentation.
    fn rest<'a>(&self, src: &'a str) -> &'a str {
        src.get(self.start + self.indent..self.end).unwrap_or("")
    }

    fn is_blank(&self, src: &str) -> bool {
        self.text(src).chars().all(|c| c == ' ' || c == '\t')
    }

    fn is_comment(&self, src: &str) -> bool {
        self.text(src).trim_start_matches([' ', '\t']).starts_with('#')
    }

    /// `-` followed by a space, a tab or the end of the line.
    fn is_item(&self, src: &str) -> bool {
        let rest = self.rest(src).as_bytes();
        rest.first() == Some(&b'-') && matches!(rest.get(1), None | Some(b' ' | b'\t'))
    }
}

/// Splits `src` (from `from` on) into lines.
fn lines(src: &str, from: usize) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = from;
    let bytes = src.as_bytes();
    while start <= bytes.len() {
        let nl = bytes[start..].iter().position(|&b| b == b'\n').map(|p| start + p);
        let raw_end = nl.unwrap_or(bytes.len());
        // A CRLF file keeps `\r` out of the code: it is blanked like markup.
        let end = if raw_end > start && bytes[raw_end - 1] == b'\r' { raw_end - 1 } else { raw_end };
        let indent = bytes[start..end].iter().take_while(|&&b| b == b' ').count();
        out.push(Line { start, end, indent });
        match nl {
            Some(p) => start = p + 1,
            None => break,
        }
    }
    out
}

/// Finds and reads the top-level `code:` key. `from` skips a byte-order mark.
pub(crate) fn scan(src: &str, from: usize) -> Scan {
    let mut problems = Vec::new();
    let all = lines(src, from);

    // The indentation of the top-level mapping is that of its first key: the
    // first line that is not blank, a comment, a directive or a `---` marker.
    let Some(top) = all
        .iter()
        .find(|l| {
            let rest = l.rest(src);
            !l.is_blank(src) && !l.is_comment(src) && !rest.starts_with('%') && rest.trim_end() != "---"
        })
        .map(|l| l.indent)
    else {
        return Scan { section: None, problems };
    };

    let Some(key_index) = all.iter().position(|l| {
        l.indent == top && {
            let rest = l.rest(src);
            rest.strip_prefix("code:")
                .is_some_and(|after| after.is_empty() || after.starts_with([' ', '\t']))
        }
    }) else {
        return Scan { section: None, problems };
    };
    let key_line = all[key_index];
    let key_start = key_line.start + key_line.indent;
    let key = key_start..key_start + "code".len();
    let after_colon = key_start + "code:".len();
    let header = src.get(after_colon..key_line.end).unwrap_or("");
    let header_trimmed = header.trim_start_matches([' ', '\t']);
    let header_start = key_line.end - header_trimmed.len();
    let following = &all[key_index + 1..];

    let mut section = CodeSection {
        key: key.clone(),
        blank: after_colon..key_line.end,
        lines: Vec::new(),
        end: key_line.end,
        style: CodeStyle::Sequence,
    };

    if header_trimmed.is_empty() || header_trimmed.starts_with('#') {
        read_sequence(src, top, following, &mut section, &mut problems);
    } else if let Some(indicators) = header_trimmed.strip_prefix('|') {
        match block_header(indicators) {
            Some((indent, keep)) => {
                section.style = CodeStyle::Block;
                read_block(src, top, indent, keep, following, &mut section);
            }
            None => {
                problems.push(ScanProblem::Shape(header_start..key_line.end));
                skip_nested(src, top, following, &mut section);
            }
        }
    } else {
        let problem_range = header_start..key_line.end;
        if header_trimmed.starts_with('>') {
            problems.push(ScanProblem::Folded(problem_range));
        } else {
            problems.push(ScanProblem::Shape(problem_range));
        }
        skip_nested(src, top, following, &mut section);
    }
    Scan { section: Some(section), problems }
}

/// Parses what follows `|`: an optional indentation digit and an optional
/// chomping indicator in either order, then an optional comment. Returns the
/// explicit indentation and whether trailing empty lines are kept (`+`).
fn block_header(indicators: &str) -> Option<(Option<usize>, bool)> {
    let mut indent = None;
    let mut chomp = None;
    let mut rest = indicators;
    for _ in 0..2 {
        let Some(c) = rest.chars().next() else { break };
        match c {
            '1'..='9' if indent.is_none() => indent = Some(c as usize - '0' as usize),
            '+' | '-' if chomp.is_none() => chomp = Some(c),
            _ => break,
        }
        rest = &rest[1..];
    }
    let rest_trimmed = rest.trim_start_matches([' ', '\t']);
    let separated = rest.len() != rest_trimmed.len() || rest.is_empty();
    if rest_trimmed.is_empty() || (separated && rest_trimmed.starts_with('#')) {
        Some((indent, chomp == Some('+')))
    } else {
        None
    }
}

/// Reads `- text` items. Blank and comment lines are part of the section but
/// not code; the first line that is neither an item at the item indentation
/// nor more indented ends the section.
fn read_sequence(src: &str, top: usize, following: &[Line], section: &mut CodeSection, problems: &mut Vec<ScanProblem>) {
    let mut item_indent: Option<usize> = None;
    let mut reported_stray = false;
    for line in following {
        if line.is_blank(src) || line.is_comment(src) {
            continue;
        }
        let is_item = line.is_item(src);
        match item_indent {
            None if is_item && line.indent >= top => item_indent = Some(line.indent),
            None if line.indent > top => {
                // `code:` followed by indented plain text: a YAML multi-line
                // scalar, which would join the lines; refuse it clearly.
                if !reported_stray {
                    problems.push(ScanProblem::NotAnItem(line.start + line.indent..line.end));
                    reported_stray = true;
                }
                section.end = line.end;
                section.blank.end = line.end;
                continue;
            }
            None => break,
            Some(i) if line.indent == i && is_item => {}
            Some(i) if line.indent > i => {
                // YAML would fold this line into the previous item; taking it
                // as a separate Go line would make other YAML readers see a
                // different program, so it is an error instead.
                if !reported_stray {
                    problems.push(ScanProblem::NotAnItem(line.start + line.indent..line.end));
                    reported_stray = true;
                }
                section.end = line.end;
                section.blank.end = line.end;
                continue;
            }
            Some(_) => break,
        }
        reported_stray = false;
        // Content starts after `-` and its one separator character.
        let dash = line.start + line.indent;
        let content_start = (dash + 2).min(line.end);
        let content = content_start..line.end;
        let text = src.get(content.clone()).unwrap_or("").trim();
        if text.len() >= 2
            && ((text.starts_with('"') && text.ends_with('"')) || (text.starts_with('\'') && text.ends_with('\'')))
        {
            problems.push(ScanProblem::QuotedLine(content.clone()));
        }
        section.lines.push(content);
        section.end = line.end;
        section.blank.end = line.end;
    }
}

/// Reads a literal block scalar's content lines.
fn read_block(src: &str, top: usize, explicit: Option<usize>, keep: bool, following: &[Line], section: &mut CodeSection) {
    let block_indent = match explicit {
        Some(n) => top + n,
        None => match following.iter().find(|l| !l.is_blank(src)) {
            Some(first) if first.indent > top => first.indent,
            // No more-indented line: the block is empty.
            _ => return,
        },
    };
    let mut trailing_blank = 0usize;
    for line in following {
        let blank = line.is_blank(src);
        if !blank && line.indent < block_indent {
            break;
        }
        let start = (line.start + block_indent).min(line.end);
        section.lines.push(start..line.end);
        section.blank.end = line.end;
        if blank {
            trailing_blank += 1;
        } else {
            trailing_blank = 0;
            section.end = line.end;
        }
    }
    // Clip and strip chomping drop trailing empty lines; `|+` keeps them.
    if !keep {
        let keep_len = section.lines.len() - trailing_blank;
        section.lines.truncate(keep_len);
    }
}

/// After a malformed `code:` header, treats every more-indented line (and
/// items at the key's indentation) as part of the section, so that the YAML
/// parser does not report the same mistake again.
fn skip_nested(src: &str, top: usize, following: &[Line], section: &mut CodeSection) {
    for line in following {
        if line.is_blank(src) || line.is_comment(src) {
            continue;
        }
        if line.indent > top || (line.indent == top && line.is_item(src)) {
            section.end = line.end;
            section.blank.end = line.end;
        } else {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code_lines(src: &str) -> Vec<&str> {
        let scan = scan(src, 0);
        let section = scan.section.expect("code section");
        section.lines.iter().map(|r| &src[r.clone()]).collect()
    }

    #[test]
    fn sequence_items_are_raw() {
        let src = "code:\n  - package main\n  - }\n  -\n  -   x := 1\ngoToNetworks:\n";
        assert_eq!(code_lines(src), ["package main", "}", "", "  x := 1"]);
    }

    #[test]
    fn block_scalar_lines_lose_block_indent() {
        let src = "name: a\ncode: |\n  package main\n\n  \tx\nentry: true\n";
        assert_eq!(code_lines(src), ["package main", "", "\tx"]);
    }

    #[test]
    fn block_header_forms() {
        assert_eq!(block_header(""), Some((None, false)));
        assert_eq!(block_header("2-"), Some((Some(2), false)));
        assert_eq!(block_header("+1 # c"), Some((Some(1), true)));
        assert_eq!(block_header("x"), None);
        assert_eq!(block_header("#c"), None);
    }

    #[test]
    fn stray_line_is_reported_once() {
        let src = "code:\n  - a\n     b\n     c\n  - d\n";
        let scan = scan(src, 0);
        assert_eq!(scan.problems.len(), 1);
        assert_eq!(scan.section.map(|s| s.lines.len()), Some(2));
    }
}
