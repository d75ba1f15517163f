//! Build constraints: which files of a package directory belong to a build.
//!
//! Go selects files by name (`_test.go` never; `_GOOS`, `_GOARCH` and
//! `_GOOS_GOARCH` suffixes only for that system) and by a `//go:build`
//! expression before the package clause ([go help buildconstraint]).
//! g2n builds for linux with the tags of [`BuildContext::g2n`].
//!
//! [go help buildconstraint]: https://pkg.go.dev/cmd/go#hdr-Build_constraints

use std::collections::BTreeSet;

/// The operating systems and architectures Go knows: a file name suffix
/// that is not one of these is part of the name, not a constraint.
const KNOWN_OS: &[&str] = &[
    "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js", "linux", "nacl", "netbsd", "openbsd",
    "plan9", "solaris", "windows", "zos",
];
const KNOWN_ARCH: &[&str] = &[
    "386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips", "mipsle", "mips64", "mips64le",
    "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le", "riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm",
];
/// Systems `unix` stands for (go/build's `unixOS`).
const UNIX_OS: &[&str] = &[
    "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "linux", "netbsd", "openbsd", "solaris",
];

/// The system and tags files are selected for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildContext {
    pub goos: String,
    /// `None`: an architecture without assembly (see [`BuildContext::without_arch`]).
    pub goarch: Option<String>,
    /// Extra tags that hold (`purego`, release tags `go1.N`, ...).
    pub tags: BTreeSet<String>,
}

impl BuildContext {
    /// What g2n compiles Go's source as: linux/amd64, Go 1.19's release tags,
    /// and the tags that choose pure Go over assembly or runtime hooks:
    /// `purego` (crypto and hash packages), `math_big_pure_go`, and
    /// `compiler_bootstrap` (Go's own bootstrap build, whose files avoid
    /// `internal/bytealg` and `//go:linkname` into the runtime, e.g.
    /// strconv's `bytealg_bootstrap.go` and math/bits's
    /// `bits_errors_bootstrap.go`), and `netgo` and `osusergo` (net's DNS
    /// resolver and os/user in Go, not the C library's: g2n has no cgo,
    /// which alone would choose them too). No compiler tag (`gc`, `gccgo`)
    /// holds.
    pub fn g2n() -> BuildContext {
        let mut tags: BTreeSet<String> =
            ["purego", "math_big_pure_go", "compiler_bootstrap", "netgo", "osusergo"].iter().map(|t| t.to_string()).collect();
        for minor in 1..=19 {
            tags.insert(format!("go1.{minor}"));
        }
        BuildContext { goos: "linux".to_string(), goarch: Some("amd64".to_string()), tags }
    }

    /// This context with the build tags a user asked for (`g2n test -tags
    /// timetzdata`, as go's `-tags`) holding too.
    pub fn with_tags<'t>(&self, tags: impl IntoIterator<Item = &'t str>) -> BuildContext {
        let mut context = self.clone();
        context.tags.extend(tags.into_iter().map(str::to_string));
        context
    }

    /// The context for a package that has assembly files: no architecture
    /// holds, so Go's generic fallbacks (`//go:build !amd64 && !arm64 ...`,
    /// `_generic.go`, `_noasm.go`) are chosen instead of the declarations
    /// that assembly implements.
    pub fn without_arch(&self) -> BuildContext {
        BuildContext { goarch: None, ..self.clone() }
    }

    fn has_tag(&self, tag: &str) -> bool {
        tag == self.goos
            || self.goarch.as_deref() == Some(tag)
            || (tag == "unix" && UNIX_OS.contains(&self.goos.as_str()))
            || self.tags.contains(tag)
    }

    /// Whether a file of this name is built: `_test.go` files never are
    /// (`g2n test` takes them separately), nor files whose name starts
    /// with `_` or `.`, nor those for another system or architecture.
    pub fn matches_file_name(&self, name: &str) -> bool {
        let Some(stem) = name.strip_suffix(".go") else { return false };
        if stem.starts_with('_') || stem.starts_with('.') || stem.ends_with("_test") {
            return false;
        }
        let parts: Vec<&str> = stem.split('_').collect();
        // `x_GOOS_GOARCH`, `x_GOOS`, `x_GOARCH` (with something before).
        let n = parts.len();
        if n >= 3 && KNOWN_OS.contains(&parts[n - 2]) && KNOWN_ARCH.contains(&parts[n - 1]) {
            return self.has_tag(parts[n - 2]) && self.has_tag(parts[n - 1]);
        }
        if n >= 2 {
            let last = parts[n - 1];
            if KNOWN_OS.contains(&last) || KNOWN_ARCH.contains(&last) {
                return self.has_tag(last);
            }
        }
        true
    }

    /// Whether a `_test.go` file belongs to the build of its package's tests:
    /// its name without `_test` passes [`Self::matches_file_name`], as `go
    /// test` takes `x_linux_test.go` on linux only.
    pub fn matches_test_file_name(&self, name: &str) -> bool {
        name.strip_suffix("_test.go").is_some_and(|stem| !stem.is_empty() && self.matches_file_name(&format!("{stem}.go")))
    }

    /// Whether the file's `//go:build` line (if any) holds. A malformed
    /// expression is an error, as in Go.
    pub fn matches_source(&self, text: &str) -> Result<bool, String> {
        match build_line(text) {
            None => Ok(true),
            Some(line) => Ok(parse(line)?.eval(&|tag| self.has_tag(tag))),
        }
    }
}

/// The expression of the `//go:build` line in the file's header (the
/// comments and blank lines before the package clause).
pub fn build_line(text: &str) -> Option<&str> {
    let mut in_block_comment = false;
    for line in text.lines() {
        let line = line.trim();
        if in_block_comment {
            if line.contains("*/") {
                in_block_comment = false;
            }
            continue;
        }
        if line.is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix("//") {
            if let Some(expr) = rest.strip_prefix("go:build")
                && (expr.is_empty() || expr.starts_with([' ', '\t']))
            {
                return Some(expr.trim());
            }
            continue;
        }
        if line.starts_with("/*") {
            in_block_comment = !line.contains("*/");
            continue;
        }
        // The package clause (or any code) ends the header.
        return None;
    }
    None
}

/// A `//go:build` expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    Tag(String),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
}

impl Expr {
    pub fn eval(&self, has: &dyn Fn(&str) -> bool) -> bool {
        match self {
            Expr::Tag(tag) => has(tag),
            Expr::Not(x) => !x.eval(has),
            Expr::And(a, b) => a.eval(has) && b.eval(has),
            Expr::Or(a, b) => a.eval(has) || b.eval(has),
        }
    }
}

/// Parses `a && (b || !c)`: `||` binds looser than `&&`, `!` tightest.
pub fn parse(text: &str) -> Result<Expr, String> {
    let tokens = tokenize(text)?;
    let mut parser = Parser { tokens, pos: 0 };
    let expr = parser.or()?;
    match parser.tokens.get(parser.pos) {
        None => Ok(expr),
        Some(token) => Err(format!("unexpected {token:?} in build constraint")),
    }
}

fn tokenize(text: &str) -> Result<Vec<String>, String> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            ' ' | '\t' => {}
            '(' | ')' | '!' => tokens.push(c.to_string()),
            '&' | '|' => {
                if chars.next().map(|(_, d)| d) != Some(c) {
                    return Err(format!("expected {c}{c} in build constraint"));
                }
                tokens.push(format!("{c}{c}"));
            }
            c if c.is_alphanumeric() || c == '_' || c == '.' => {
                let mut end = i + c.len_utf8();
                while let Some(&(j, d)) = chars.peek() {
                    if d.is_alphanumeric() || d == '_' || d == '.' {
                        end = j + d.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                tokens.push(text[i..end].to_string());
            }
            _ => return Err(format!("unexpected {c:?} in build constraint")),
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<String>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.pos).map(String::as_str)
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while self.peek() == Some("||") {
            self.pos += 1;
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.not()?;
        while self.peek() == Some("&&") {
            self.pos += 1;
            left = Expr::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Expr, String> {
        match self.peek() {
            Some("!") => {
                self.pos += 1;
                Ok(Expr::Not(Box::new(self.not()?)))
            }
            Some("(") => {
                self.pos += 1;
                let inner = self.or()?;
                if self.peek() != Some(")") {
                    return Err("missing ) in build constraint".to_string());
                }
                self.pos += 1;
                Ok(inner)
            }
            Some(tag) if !matches!(tag, ")" | "&&" | "||") => {
                let tag = tag.to_string();
                self.pos += 1;
                Ok(Expr::Tag(tag))
            }
            Some(other) => Err(format!("unexpected {other} in build constraint")),
            None => Err("unexpected end of build constraint".to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        let ctx = BuildContext::g2n();
        assert!(ctx.matches_file_name("utf8.go"));
        assert!(!ctx.matches_file_name("utf8_test.go"));
        assert!(!ctx.matches_file_name("example_test.go"));
        assert!(ctx.matches_file_name("zsyscall_linux_amd64.go"));
        assert!(!ctx.matches_file_name("zsyscall_linux_arm64.go"));
        assert!(!ctx.matches_file_name("file_windows.go"));
        assert!(ctx.matches_file_name("file_linux.go"));
        assert!(ctx.matches_file_name("sort_amd64.go"));
        assert!(!ctx.without_arch().matches_file_name("sort_amd64.go"));
        // Only a known name is a constraint; `linux.go` alone is a name.
        assert!(ctx.matches_file_name("linux.go"));
        assert!(ctx.matches_file_name("bits_errors.go"));
        assert!(!ctx.matches_file_name("_gen.go"));
        assert!(!ctx.matches_file_name("notes.txt"));
    }

    #[test]
    fn expressions() {
        let ctx = BuildContext::g2n();
        let holds = |line: &str| ctx.matches_source(&format!("// Copyright\n\n//go:build {line}\n\npackage p\n")).unwrap();
        assert!(holds("linux"));
        assert!(holds("unix && amd64"));
        assert!(!holds("windows || darwin"));
        assert!(holds("!gc"));
        assert!(!holds("ignore"));
        assert!(holds("purego || !amd64"));
        assert!(holds("go1.18 && !go1.20"));
        assert!(holds("(linux || darwin) && !(arm || 386)"));
        assert!(!holds("!compiler_bootstrap"));
        let generic = ctx.without_arch();
        assert!(generic.matches_source("//go:build !386 && !amd64 && !arm\n\npackage p").unwrap());
        assert!(ctx.matches_source("// +build ignore\n\npackage p\n//go:build ignore\n").unwrap(), "only the header counts");
        assert!(ctx.matches_source("/* a\n b */\n//go:build linux\npackage p").unwrap());
        assert!(ctx.matches_source("//go:build linux &&\npackage p").is_err());
        assert!(ctx.matches_source("//go:build (linux\npackage p").is_err());
        assert!(ctx.matches_source("//go:build linux & amd64\npackage p").is_err());
    }
}
