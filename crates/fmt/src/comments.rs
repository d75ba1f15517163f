//! Comment text rules: the common prefix of `/* */` comment lines (go/printer's
//! stripCommonPrefix) and Go 1.19's rewriting of doc comments.

use crate::source::Comment;

fn is_blank(s: &str) -> bool {
    s.bytes().all(|b| b <= b' ')
}

/// The longest common prefix of `a` and `b` made of white space and `*`.
fn common_prefix<'a>(a: &'a str, b: &str) -> &'a str {
    let (ab, bb) = (a.as_bytes(), b.as_bytes());
    let mut i = 0;
    while i < ab.len() && i < bb.len() && ab[i] == bb[i] && (ab[i] <= b' ' || ab[i] == b'*') {
        i += 1;
    }
    &a[..i]
}

/// Removes the indentation the lines of a `/* */` comment have in common
/// (after its first line), so that the printer can indent them anew.
pub(crate) fn strip_common_prefix(lines: &mut [String]) {
    if lines.len() <= 1 {
        return;
    }
    let n = lines.len();
    let mut prefix = String::new();
    let mut prefix_set = false;
    if n > 2 {
        for i in 1..n - 1 {
            if is_blank(&lines[i]) {
                lines[i] = String::new();
            } else {
                if !prefix_set {
                    prefix = lines[i].clone();
                    prefix_set = true;
                }
                prefix = common_prefix(&prefix, &lines[i]).to_owned();
            }
        }
    }
    if !prefix_set {
        let line = &lines[n - 1];
        prefix = common_prefix(line, line).to_owned();
    }
    let mut line_of_stars = false;
    if let Some((before, _)) = prefix.split_once('*') {
        prefix = before.strip_suffix(' ').unwrap_or(before).to_owned();
        line_of_stars = true;
    } else {
        let first = lines[0].as_bytes();
        if is_blank(lines[0].get(2..).unwrap_or("")) {
            let pb = prefix.as_bytes();
            let mut i = pb.len();
            let mut k = 0;
            while k < 3 && i > 0 && pb[i - 1] == b' ' {
                i -= 1;
                k += 1;
            }
            if i == pb.len() && i > 0 && pb[i - 1] == b'\t' {
                i -= 1;
            }
            prefix.truncate(i);
        } else {
            let mut suffix: Vec<u8> = vec![0; first.len()];
            let mut k = 2;
            while k < first.len() && first[k] <= b' ' {
                suffix[k] = first[k];
                k += 1;
            }
            let suffix: Vec<u8> = if k > 2 && suffix[2] == b'\t' {
                suffix[2..k].to_vec()
            } else {
                suffix[0] = b' ';
                suffix[1] = b' ';
                suffix[..k].to_vec()
            };
            let suffix = String::from_utf8_lossy(&suffix).into_owned();
            if let Some(p) = prefix.strip_suffix(suffix.as_str()) {
                prefix = p.to_owned();
            }
        }
    }
    let last = lines[n - 1].clone();
    let before = last.split_once("*/").map_or(last.as_str(), |(b, _)| b);
    if is_blank(before) {
        let closing = if line_of_stars { " */" } else { "*/" };
        lines[n - 1] = format!("{prefix}{closing}");
    } else {
        prefix = common_prefix(&prefix, &last).to_owned();
    }
    for line in lines.iter_mut().skip(1) {
        if !line.is_empty() {
            *line = line.get(prefix.len()..).unwrap_or("").to_owned();
        }
    }
}

/// Go 1.19's gofmt rewrites a doc comment (a comment group at column 1 just
/// before a declaration) through go/doc/comment. This handles doc comments of
/// `//` lines made of plain paragraphs, which the rewrite leaves as text:
/// `//text` gains its blank, runs of empty lines become one, empty lines at
/// either end go, and directives (`//go:…`) move to the end. Anything else
/// (`/* */` comments, indented code blocks, lists, headings) is kept as
/// written; crates/fmt/tests/known_failures.txt lists where that differs.
pub(crate) fn format_doc_comment(list: &[Comment]) -> Vec<Comment> {
    let Some(first) = list.first() else { return Vec::new() };
    let slash = first.start;
    if !list.iter().all(|c| c.text.starts_with("//")) {
        return list.to_vec();
    }
    let mut text_lines: Vec<&str> = Vec::new();
    let mut directives: Vec<&Comment> = Vec::new();
    for c in list {
        let body = &c.text[2..];
        if is_directive(body) {
            directives.push(c);
            continue;
        }
        text_lines.push(body.strip_prefix(' ').unwrap_or(body));
    }
    if text_lines.iter().all(|l| l.trim().is_empty()) && directives.is_empty() {
        return list.to_vec();
    }
    if !text_lines.iter().all(|l| is_plain_line(l)) || has_implicit_heading(&text_lines) {
        return list.to_vec();
    }
    let mut out: Vec<Comment> = Vec::new();
    let mut pending_blank = false;
    for line in &text_lines {
        let line = line.trim_end();
        if line.is_empty() {
            pending_blank = !out.is_empty();
            continue;
        }
        if pending_blank {
            out.push(Comment { start: slash, end: slash, text: "//".to_owned() });
            pending_blank = false;
        }
        out.push(Comment { start: slash, end: slash, text: format!("// {line}") });
    }
    if !directives.is_empty() {
        if !out.is_empty() {
            out.push(Comment { start: slash, end: slash, text: "//".to_owned() });
        }
        for d in directives {
            out.push(Comment { start: slash, end: slash, text: d.text.clone() });
        }
    }
    out
}

/// A paragraph line go/doc/comment prints as it is: not indented (code), not
/// a list item, not a heading.
fn is_plain_line(line: &str) -> bool {
    if line.trim().is_empty() {
        return true;
    }
    if line.starts_with([' ', '\t']) {
        return false;
    }
    let t = line.trim_start();
    if t.starts_with("# ") || t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ") || t.starts_with("• ") {
        return false;
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && matches!(t.as_bytes().get(digits), Some(b'.' | b')')) {
        return false;
    }
    // Link definitions `[text]: URL` are rewritten too.
    !(t.starts_with('[') && t.contains("]:"))
}

/// An old-style heading: a one-line paragraph starting with a capital, with
/// no punctuation but parentheses and commas, between two paragraphs. Go
/// 1.19 rewrites it to `# Heading`; those comments are left alone here.
fn has_implicit_heading(lines: &[&str]) -> bool {
    for i in 1..lines.len().saturating_sub(1) {
        let line = lines[i].trim_end();
        if line.is_empty() || !lines[i - 1].trim().is_empty() || !lines[i + 1].trim().is_empty() {
            continue;
        }
        let Some(first) = line.chars().next() else { continue };
        if !first.is_uppercase() {
            continue;
        }
        let last = line.chars().last().unwrap_or(' ');
        if !(last.is_alphanumeric()) {
            continue;
        }
        if line.contains(['.', ';', ':', '!', '?', '+', '*', '#', '`', '"']) {
            continue;
        }
        return true;
    }
    false
}

/// `//line `, `//extern `, `//export ` and `//word:word` comments are
/// directives, not text (go/printer's isDirective).
fn is_directive(c: &str) -> bool {
    if c.starts_with("line ") || c.starts_with("extern ") || c.starts_with("export ") {
        return true;
    }
    let b = c.as_bytes();
    let Some(colon) = c.find(':') else { return false };
    if colon == 0 || colon + 1 >= b.len() {
        return false;
    }
    (0..=colon + 1).filter(|&i| i != colon).all(|i| b[i].is_ascii_lowercase() || b[i].is_ascii_digit())
}
