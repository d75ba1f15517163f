//! Build constraint lines as gofmt 1.19 writes them (go/printer's
//! fixGoBuildLines): a `//go:build` line is derived from `// +build` lines
//! when missing, the `// +build` lines are rewritten from it, and both go
//! together at the end of the file's leading comments.

use crate::printer::ESCAPE;

#[derive(Clone, Debug)]
enum Expr {
    Tag(String),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
}

impl Expr {
    fn text(&self) -> String {
        match self {
            Expr::Tag(t) => t.clone(),
            Expr::Not(x) => match **x {
                Expr::And(..) | Expr::Or(..) => format!("!({})", x.text()),
                _ => format!("!{}", x.text()),
            },
            Expr::And(x, y) => format!("{} && {}", and_arg(x), and_arg(y)),
            Expr::Or(x, y) => format!("{} || {}", or_arg(x), or_arg(y)),
        }
    }
}

fn and_arg(x: &Expr) -> String {
    match x {
        Expr::Or(..) => format!("({})", x.text()),
        _ => x.text(),
    }
}

fn or_arg(x: &Expr) -> String {
    match x {
        Expr::And(..) => format!("({})", x.text()),
        _ => x.text(),
    }
}

fn is_tag(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.')
}

/// `// +build a,!b c`: words are ORed, comma-separated terms ANDed.
fn parse_plus(line: &str) -> Option<Expr> {
    let rest = line.strip_prefix("//")?.trim().strip_prefix("+build")?;
    let mut x: Option<Expr> = None;
    for word in rest.split_whitespace() {
        let mut y: Option<Expr> = None;
        for term in word.split(',') {
            let (neg, tag) = match term.strip_prefix('!') {
                Some(t) => (true, t),
                None => (false, term),
            };
            if !is_tag(tag) || tag.starts_with('!') {
                return None;
            }
            let mut z = Expr::Tag(tag.to_owned());
            if neg {
                z = Expr::Not(Box::new(z));
            }
            y = Some(match y {
                None => z,
                Some(y) => Expr::And(Box::new(y), Box::new(z)),
            });
        }
        let y = y?;
        x = Some(match x {
            None => y,
            Some(x) => Expr::Or(Box::new(x), Box::new(y)),
        });
    }
    x
}

/// `//go:build` expressions: `||`, `&&`, `!`, parentheses and tags.
struct GoParser<'a> {
    toks: Vec<&'a str>,
    at: usize,
}

impl<'a> GoParser<'a> {
    fn new(s: &'a str) -> GoParser<'a> {
        let mut toks = Vec::new();
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b' ' | b'\t' => i += 1,
                b'(' | b')' | b'!' => {
                    toks.push(&s[i..i + 1]);
                    i += 1;
                }
                b'&' | b'|' if i + 1 < b.len() && b[i + 1] == b[i] => {
                    toks.push(&s[i..i + 2]);
                    i += 2;
                }
                _ => {
                    let start = i;
                    while i < b.len() && !matches!(b[i], b' ' | b'\t' | b'(' | b')' | b'!' | b'&' | b'|') {
                        i += 1;
                    }
                    if start == i {
                        toks.push(&s[i..i + 1]);
                        i += 1;
                    } else {
                        toks.push(&s[start..i]);
                    }
                }
            }
        }
        GoParser { toks, at: 0 }
    }
    fn peek(&self) -> Option<&'a str> {
        self.toks.get(self.at).copied()
    }
    fn or(&mut self) -> Option<Expr> {
        let mut x = self.and()?;
        while self.peek() == Some("||") {
            self.at += 1;
            x = Expr::Or(Box::new(x), Box::new(self.and()?));
        }
        Some(x)
    }
    fn and(&mut self) -> Option<Expr> {
        let mut x = self.not()?;
        while self.peek() == Some("&&") {
            self.at += 1;
            x = Expr::And(Box::new(x), Box::new(self.not()?));
        }
        Some(x)
    }
    fn not(&mut self) -> Option<Expr> {
        if self.peek() == Some("!") {
            self.at += 1;
            return Some(Expr::Not(Box::new(self.not()?)));
        }
        self.atom()
    }
    fn atom(&mut self) -> Option<Expr> {
        let t = self.peek()?;
        self.at += 1;
        if t == "(" {
            let x = self.or()?;
            if self.peek() != Some(")") {
                return None;
            }
            self.at += 1;
            return Some(x);
        }
        is_tag(t).then(|| Expr::Tag(t.to_owned()))
    }
}

fn parse_go(line: &str) -> Option<Expr> {
    let rest = line.strip_prefix("//go:build")?;
    let mut p = GoParser::new(rest.trim());
    let x = p.or()?;
    (p.at == p.toks.len()).then_some(x)
}

fn push_not(x: Expr, not: bool) -> Expr {
    match x {
        Expr::Not(y) => push_not(*y, !not),
        Expr::And(a, b) if not => Expr::Or(Box::new(push_not(*a, true)), Box::new(push_not(*b, true))),
        Expr::Or(a, b) if not => Expr::And(Box::new(push_not(*a, true)), Box::new(push_not(*b, true))),
        Expr::And(a, b) => Expr::And(Box::new(push_not(*a, false)), Box::new(push_not(*b, false))),
        Expr::Or(a, b) => Expr::Or(Box::new(push_not(*a, false)), Box::new(push_not(*b, false))),
        tag if not => Expr::Not(Box::new(tag)),
        tag => tag,
    }
}

fn split_and(x: &Expr, out: &mut Vec<Expr>) {
    match x {
        Expr::And(a, b) => {
            split_and(a, out);
            split_and(b, out);
        }
        _ => out.push(x.clone()),
    }
}

fn split_or(x: &Expr, out: &mut Vec<Expr>) {
    match x {
        Expr::Or(a, b) => {
            split_or(a, out);
            split_or(b, out);
        }
        _ => out.push(x.clone()),
    }
}

/// The `// +build` lines for `x` (go/build/constraint's PlusBuildLines).
fn plus_lines(x: &Expr) -> Option<Vec<String>> {
    let x = push_not(x.clone(), false);
    let mut split: Vec<Vec<Vec<Expr>>> = Vec::new();
    let mut ors = Vec::new();
    split_and(&x, &mut ors);
    for or in &ors {
        let mut ands = Vec::new();
        split_or(or, &mut ands);
        let mut clauses = Vec::new();
        for and in &ands {
            let mut lits = Vec::new();
            split_and(and, &mut lits);
            if !lits.iter().all(|l| matches!(l, Expr::Tag(_) | Expr::Not(_))) {
                return None;
            }
            clauses.push(lits);
        }
        split.push(clauses);
    }
    if split.iter().map(Vec::len).max().unwrap_or(0) == 1 {
        let lits: Vec<Expr> = split.iter().flat_map(|or| or[0].clone()).collect();
        split = vec![vec![lits]];
    }
    Some(
        split
            .iter()
            .map(|or| {
                let mut line = "// +build".to_owned();
                for and in or {
                    let clause: Vec<String> = and.iter().map(Expr::text).collect();
                    line.push(' ');
                    line.push_str(&clause.join(","));
                }
                line
            })
            .collect(),
    )
}

pub(crate) fn is_go_build(text: &str) -> bool {
    text.strip_prefix("//go:build").is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
}

pub(crate) fn is_plus_build(text: &str) -> bool {
    text.strip_prefix("//")
        .map(str::trim)
        .and_then(|r| r.strip_prefix("+build"))
        .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
}

fn is_nl(b: u8) -> bool {
    b == b'\n' || b == 0x0c
}

fn line_at(out: &[u8], start: usize) -> &[u8] {
    let mut pos = start;
    while pos < out.len() && !is_nl(out[pos]) {
        pos += 1;
    }
    if pos < out.len() {
        pos += 1;
    }
    &out[start..pos]
}

fn comment_text_at(out: &[u8], start: usize) -> String {
    let mut start = start;
    if start < out.len() && out[start] == ESCAPE {
        start += 1;
    }
    let mut pos = start;
    while pos < out.len() && out[pos] != ESCAPE && !is_nl(out[pos]) {
        pos += 1;
    }
    String::from_utf8_lossy(&out[start..pos]).into_owned()
}

fn append_lines(x: &mut Vec<u8>, y: &[u8]) {
    let mut y = y;
    let n = x.len();
    if !y.is_empty() && is_nl(y[0]) && (n == 0 || n >= 2 && is_nl(x[n - 1]) && is_nl(x[n - 2])) {
        y = &y[1..];
    }
    x.extend_from_slice(y);
}

/// Rewrites the printer's output; `go_build` and `plus_build` are the output
/// offsets of those comments.
pub(crate) fn fix(out: &mut Vec<u8>, go_build: &[usize], plus_build: &[usize]) {
    if go_build.is_empty() && plus_build.is_empty() {
        return;
    }
    // Where the block goes: after the last blank line of the leading comments.
    let mut insert = 0;
    let mut pos = 0;
    loop {
        let mut blank = true;
        while pos < out.len() && (out[pos] == b' ' || out[pos] == b'\t') {
            pos += 1;
        }
        if pos + 3 < out.len() && out[pos] == ESCAPE && out[pos + 1] == b'/' && out[pos + 2] == b'/' {
            blank = false;
            while pos < out.len() && !is_nl(out[pos]) {
                pos += 1;
            }
        }
        if pos >= out.len() || !is_nl(out[pos]) {
            break;
        }
        pos += 1;
        if blank {
            insert = pos;
        }
    }
    if let Some(&g) = go_build.first()
        && g < insert
    {
        insert = g;
    } else if let Some(&p) = plus_build.first()
        && p < insert
    {
        insert = p;
    }
    let x: Option<Expr> = match go_build.len() {
        0 => {
            let mut x: Option<Expr> = None;
            let mut ok = true;
            for &p in plus_build {
                match parse_plus(&comment_text_at(out, p)) {
                    Some(y) => {
                        x = Some(match x {
                            None => y,
                            Some(x) => Expr::And(Box::new(x), Box::new(y)),
                        })
                    }
                    None => ok = false,
                }
            }
            if ok { x } else { None }
        }
        1 => parse_go(&comment_text_at(out, go_build[0])),
        _ => None,
    };
    let mut block: Vec<u8> = Vec::new();
    match &x {
        None => {
            for &p in go_build.iter().chain(plus_build) {
                block.extend_from_slice(line_at(out, p));
            }
        }
        Some(x) => {
            block.push(ESCAPE);
            block.extend_from_slice(format!("//go:build {}", x.text()).as_bytes());
            block.push(ESCAPE);
            block.push(b'\n');
            if !plus_build.is_empty() {
                let lines = plus_lines(x).unwrap_or_else(|| vec!["// +build error: expression too complex for // +build lines".to_owned()]);
                for line in lines {
                    block.push(ESCAPE);
                    block.extend_from_slice(line.as_bytes());
                    block.push(ESCAPE);
                    block.push(b'\n');
                }
            }
        }
    }
    block.push(b'\n');
    let mut to_delete: Vec<usize> = go_build.iter().chain(plus_build).copied().collect();
    to_delete.sort_unstable();
    let mut after: Vec<u8> = Vec::new();
    let mut start = insert;
    for end in to_delete {
        if end < start {
            continue;
        }
        append_lines(&mut after, &out[start..end]);
        start = end + line_at(out, end).len();
    }
    append_lines(&mut after, &out[start..]);
    let n = after.len();
    if n >= 2 && is_nl(after[n - 1]) && is_nl(after[n - 2]) {
        after.truncate(n - 1);
    }
    out.truncate(insert);
    out.extend_from_slice(&block);
    out.extend_from_slice(&after);
}
