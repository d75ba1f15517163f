//! gofmt sorts the imports of each parenthesised import declaration
//! (go/ast.SortImports): every run of specs not separated by an empty line is
//! ordered by path, then name. Done here on the text, before printing: the
//! lines of a run are permuted, each spec keeping its line comment.

use g2n_syntax::ast::File;

use crate::source::Source;

/// The text with its import runs sorted, or `None` when they already are (or
/// a run is laid out in a way this does not rewrite: several specs on a line,
/// a spec over several lines, or comment lines inside the run).
pub(crate) fn sort(src: &Source<'_>, file: &File) -> Option<String> {
    let text = src.text;
    // Each spec as (line number, path, alias) in source order.
    let specs: Vec<(i64, &str, &str)> = file
        .imports
        .iter()
        .map(|s| (src.line(s.span.start), s.path.as_str(), s.alias.as_ref().map_or("", |a| a.name.as_str())))
        .collect();
    let mut line_starts = vec![0usize];
    line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    let line_text = |l: i64| {
        let start = line_starts[(l - 1) as usize];
        let end = line_starts.get(l as usize).copied().unwrap_or(text.len());
        &text[start..end]
    };
    let mut replacements: Vec<(usize, usize, String)> = Vec::new();
    let mut i = 0;
    while i < specs.len() {
        // A run: consecutive lines, inside one parenthesised declaration.
        let mut j = i + 1;
        while j < specs.len() && specs[j].0 == specs[j - 1].0 + 1 && in_same_group(src, file, j - 1, j) {
            j += 1;
        }
        let run = &specs[i..j];
        let mut sorted = run.to_vec();
        sorted.sort_by(|a, b| (a.1, a.2).cmp(&(b.1, b.2)));
        if sorted != run {
            let one_per_line = run.windows(2).all(|w| w[0].0 != w[1].0);
            let lines_hold_one_spec = run.iter().all(|s| {
                let l = line_text(s.0).trim_start();
                !l.starts_with("import") && !l.starts_with('(') && !l.trim_end().ends_with(')')
            });
            if !one_per_line || !lines_hold_one_spec {
                return None;
            }
            let start = line_starts[(run[0].0 - 1) as usize];
            let last = run[run.len() - 1].0;
            let end = line_starts.get(last as usize).copied().unwrap_or(text.len());
            let mut body = String::new();
            for s in &sorted {
                let l = line_text(s.0);
                body.push_str(l);
                if !l.ends_with('\n') {
                    body.push('\n');
                }
            }
            if !text[start..end].ends_with('\n') {
                body.pop();
            }
            replacements.push((start, end, body));
        }
        i = j;
    }
    if replacements.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end, body) in replacements {
        out.push_str(&text[at..start]);
        out.push_str(&body);
        at = end;
    }
    out.push_str(&text[at..]);
    Some(out)
}

/// Whether specs `i` and `j` sit in one parenthesised import declaration,
/// with nothing but white space and comments between them.
fn in_same_group(src: &Source<'_>, file: &File, i: usize, j: usize) -> bool {
    let (a, b) = (&file.imports[i], &file.imports[j]);
    in_parens(src, a.span.start) && src.next_token(a.span.end).is_some_and(|(s, _)| s == b.span.start)
}

fn in_parens(src: &Source<'_>, at: u32) -> bool {
    let mut from = at;
    while let Some((s, e)) = src.prev_token(from) {
        match src.slice(s, e) {
            "(" => return true,
            "import" | ")" => return false,
            _ => from = s,
        }
    }
    false
}
