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
        for line in lines.iter_mut().take(n - 1).skip(1) {
            if is_blank(line) {
                *line = String::new();
            } else {
                if !prefix_set {
                    prefix = line.clone();
                    prefix_set = true;
                }
                prefix = common_prefix(&prefix, line).to_owned();
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
/// before a token at column 1) through go/doc/comment. This handles `//`
/// comments made of paragraphs and code blocks: the text is unindented,
/// `//text` gains its blank, code lines are written `//<tab>code`, one empty
/// line separates blocks, and directives (`//go:…`) move to the end. Lists,
/// headings and `/* */` comments are kept as written (their rewrite is not
/// implemented; the corpus has none).
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
    if text_lines.is_empty() {
        return list.to_vec();
    }
    let lines = unindent(&text_lines);
    let Some(blocks) = blocks(&lines) else { return list.to_vec() };
    let line = |text: String| Comment { start: slash, end: slash, text };
    let mut out: Vec<Comment> = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 {
            out.push(line("//".to_owned()));
        }
        match block {
            Block::Para(ls) => out.extend(ls.iter().map(|l| line(format!("// {l}")))),
            Block::Code(ls) => out.extend(ls.iter().map(|l| line(if l.is_empty() { "//".to_owned() } else { format!("//\t{l}") }))),
        }
    }
    if !directives.is_empty() {
        if !out.is_empty() {
            out.push(line("//".to_owned()));
        }
        out.extend(directives.iter().map(|d| line(d.text.clone())));
    }
    if out.is_empty() {
        return list.to_vec();
    }
    out
}

enum Block {
    Para(Vec<String>),
    Code(Vec<String>),
}

fn leading_space(s: &str) -> &str {
    &s[..s.len() - s.trim_start_matches([' ', '\t']).len()]
}

/// go/doc/comment's unindent: drops blank lines at both ends and the white
/// space every line starts with.
fn unindent(lines: &[&str]) -> Vec<String> {
    let mut lines = lines;
    while let [first, rest @ ..] = lines
        && first.is_empty()
    {
        lines = rest;
    }
    while let [rest @ .., last] = lines
        && last.is_empty()
    {
        lines = rest;
    }
    let Some(first) = lines.first() else { return Vec::new() };
    let mut prefix = leading_space(first);
    for l in &lines[1..] {
        if !l.is_empty() {
            let lp = leading_space(l);
            let n = prefix.bytes().zip(lp.bytes()).take_while(|(a, b)| a == b).count();
            prefix = &prefix[..n];
        }
    }
    let mut out: Vec<String> =
        lines.iter().map(|l| l.strip_prefix(prefix).unwrap_or(l)).map(|l| if l.trim().is_empty() { String::new() } else { l.to_owned() }).collect();
    while out.first().is_some_and(String::is_empty) {
        out.remove(0);
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

fn indented(l: &str) -> bool {
    l.starts_with([' ', '\t'])
}

/// Paragraphs and code blocks (go/doc/comment's parseSpans), or `None` for
/// text with lists or headings.
fn blocks(lines: &[String]) -> Option<Vec<Block>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        while i < lines.len() && lines[i].is_empty() {
            i += 1;
        }
        if i >= lines.len() {
            break;
        }
        let start = i;
        if indented(&lines[i]) {
            if is_list(&lines[i]) {
                return None;
            }
            i += 1;
            while i < lines.len() && (lines[i].is_empty() || indented(&lines[i])) {
                i += 1;
            }
            let mut end = i;
            while end > start && lines[end - 1].is_empty() {
                end -= 1;
            }
            if end < lines.len() && lines[end].starts_with('}') {
                end += 1;
            }
            let code: Vec<&str> = lines[start..end].iter().map(String::as_str).collect();
            out.push(Block::Code(unindent(&code)));
            i = end;
        } else {
            i += 1;
            while i < lines.len() && !lines[i].is_empty() && !indented(&lines[i]) {
                i += 1;
            }
            if i < lines.len() && !lines[i].is_empty() {
                // A paragraph running into an indented line: go/doc/comment
                // looks at lists and `{` endings here; not handled.
                if is_list(&lines[i]) || is_list(&lines[i - 1]) || lines[i - 1].ends_with('{') || lines[i - 1].ends_with('\\') {
                    return None;
                }
            }
            let para = &lines[start..i];
            if !para.iter().all(|l| is_plain_line(l)) || (para.len() == 1 && is_old_heading(lines, start)) {
                return None;
            }
            out.push(Block::Para(para.iter().map(|l| l.trim_end().to_owned()).collect()));
        }
    }
    Some(out)
}

fn is_list(line: &str) -> bool {
    let t = line.trim_start();
    if t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ") || t.starts_with("• ") {
        return true;
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && matches!(t.as_bytes().get(digits), Some(b'.' | b')')) && t.as_bytes().get(digits + 1).is_none_or(|b| *b == b' ' || *b == b'\t')
}

/// A paragraph line go/doc/comment prints as it is: not a list item, a
/// heading or a link definition.
fn is_plain_line(line: &str) -> bool {
    let t = line.trim_start();
    !(is_list(line) || t.starts_with("# ") || (t.starts_with('[') && t.contains("]:")))
}

/// An old-style heading: a one-line paragraph starting with a capital, with
/// no punctuation but parentheses and commas, between two paragraphs. Go
/// 1.19 rewrites it to `# Heading`; such comments are left alone here.
fn is_old_heading(lines: &[String], i: usize) -> bool {
    if i == 0 || i + 2 >= lines.len() || !lines[i - 1].is_empty() || !lines[i + 1].is_empty() || indented(&lines[i + 2]) {
        return false;
    }
    let line = lines[i].trim_end();
    let Some(first) = line.chars().next() else { return false };
    if !first.is_uppercase() {
        return false;
    }
    let last = line.chars().last().unwrap_or(' ');
    if !last.is_alphanumeric() {
        return false;
    }
    !line.contains(['.', ';', ':', '!', '?', '+', '*', '#', '`', '"'])
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
