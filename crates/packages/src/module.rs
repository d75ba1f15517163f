//! A program's module: its `go.mod`, read as `go build` reads it, and the
//! packages of the module (import paths under its `module` path), which the
//! loader compiles from the module's directories as it compiles Go's
//! library from GOROOT.
//!
//! g2n builds a module from its own directory only: it does not fetch
//! modules, so a `require` of another module is refused where it is
//! written (a `replace` naming a local directory is refused too, for the
//! same reason: the packages it provides would have to be found and built
//! as another module). The caller finds `go.mod` (the nearest one above the
//! program's directory, as `go` does) and hands its text here; this module
//! does no IO.

use g2n_base::{FileId, Span};

/// A parsed `go.mod`: its module path and where the file is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoMod {
    /// The `module` line's path (`example.com/app`).
    pub path: String,
}

/// What is wrong in a `go.mod`, each at its line.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum GoModError {
    #[error("go.mod has no module line")]
    #[diagnostic(code(g2n::module::no_module), help("start go.mod with `module PATH` (for example `module example.com/app`), as `go mod init PATH` writes it"))]
    NoModule {
        #[label("in this file")]
        span: Span,
    },
    #[error("go.mod: {message}")]
    #[diagnostic(code(g2n::module::syntax))]
    Syntax {
        message: String,
        #[label("here")]
        span: Span,
    },
    #[error("go.mod requires module {module}, and g2n does not fetch modules")]
    #[diagnostic(
        code(g2n::module::requires_module),
        help("g2n builds a module from its own directory and the standard library only: remove the requirement (and the imports of its packages)")
    )]
    Requires {
        module: String,
        #[label("required here")]
        span: Span,
    },
    #[error("go.mod replaces module {module}, and g2n builds no module but this one")]
    #[diagnostic(code(g2n::module::replaces_module), help("move the packages into this module's directory and import them by its module path"))]
    Replaces {
        module: String,
        #[label("replaced here")]
        span: Span,
    },
}

/// Parses `text`, the `go.mod` registered as `file`. Directives g2n has no
/// use for (`go`, `exclude`, `retract`) are accepted as `go` accepts them.
pub fn parse_go_mod(file: FileId, text: &str) -> Result<GoMod, Vec<GoModError>> {
    let mut errors = Vec::new();
    let mut path = None;
    // The directive of an open `( ... )` block.
    let mut block: Option<String> = None;
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.split("//").next().unwrap_or("").trim();
        let span_of = |word: &str| {
            let at = raw.find(word).unwrap_or(0);
            Span::new(file, (start + at) as u32, (start + at + word.len()) as u32)
        };
        if line.is_empty() {
            continue;
        }
        let (verb, rest) = match &block {
            Some(_) if line == ")" => {
                block = None;
                continue;
            }
            Some(verb) => (verb.clone(), line),
            None => {
                let (verb, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
                let rest = rest.trim();
                if rest == "(" {
                    block = Some(verb.to_string());
                    continue;
                }
                (verb.to_string(), rest)
            }
        };
        let first = rest.split_whitespace().next().unwrap_or("");
        let unquoted = first.trim_matches('"').trim_matches('`');
        match verb.as_str() {
            "module" => {
                if unquoted.is_empty() {
                    errors.push(GoModError::Syntax { message: "usage: module module/path".to_string(), span: span_of(line) });
                } else if path.is_some() {
                    errors.push(GoModError::Syntax { message: "repeated module statement".to_string(), span: span_of(line) });
                } else {
                    path = Some(unquoted.to_string());
                }
            }
            "require" => errors.push(GoModError::Requires { module: unquoted.to_string(), span: span_of(first) }),
            "replace" => errors.push(GoModError::Replaces { module: unquoted.to_string(), span: span_of(first) }),
            "go" | "exclude" | "retract" | "toolchain" => {}
            other => errors.push(GoModError::Syntax { message: format!("unknown directive: {other}"), span: span_of(other) }),
        }
    }
    if let Some(verb) = block {
        errors.push(GoModError::Syntax { message: format!("unterminated {verb} block"), span: Span::new(file, text.len() as u32, text.len() as u32) });
    }
    match path {
        Some(path) if errors.is_empty() => Ok(GoMod { path }),
        Some(_) => Err(errors),
        None => {
            errors.insert(0, GoModError::NoModule { span: Span::new(file, 0, 0) });
            Err(errors)
        }
    }
}

/// The directory of package `import` below the root of module `module`
/// (`""` for the module's root package), `None` when `import` is not one of
/// the module's packages.
pub fn package_dir<'a>(module: &str, import: &'a str) -> Option<&'a str> {
    if import == module {
        return Some("");
    }
    import.strip_prefix(module)?.strip_prefix('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<GoMod, Vec<String>> {
        parse_go_mod(FileId(0), text).map_err(|errors| {
            errors
                .iter()
                .map(|e| {
                    let span = match e {
                        GoModError::NoModule { span } | GoModError::Syntax { span, .. } | GoModError::Requires { span, .. } | GoModError::Replaces { span, .. } => *span,
                    };
                    format!("{e} at {:?}", &text[span.start as usize..span.end as usize])
                })
                .collect()
        })
    }

    #[test]
    fn the_module_line_with_comments_and_go_directives() {
        let text = "// the app\nmodule example.com/app // ours\n\ngo 1.19\n";
        assert_eq!(parse(text), Ok(GoMod { path: "example.com/app".to_string() }));
        assert_eq!(parse("module \"example.com/q\"\n"), Ok(GoMod { path: "example.com/q".to_string() }));
    }

    #[test]
    fn requirements_and_replacements_are_refused_where_written() {
        let text = "module m\n\nrequire (\n\tgithub.com/x/y v1.2.3\n\t// none\n)\nreplace a.b/c => ../c\n";
        assert_eq!(
            parse(text),
            Err(vec![
                "go.mod requires module github.com/x/y, and g2n does not fetch modules at \"github.com/x/y\"".to_string(),
                "go.mod replaces module a.b/c, and g2n builds no module but this one at \"a.b/c\"".to_string(),
            ])
        );
        assert_eq!(parse("module m\nrequire z.org/w v0.1.0\n"), Err(vec!["go.mod requires module z.org/w, and g2n does not fetch modules at \"z.org/w\"".to_string()]));
    }

    #[test]
    fn malformed_files() {
        assert_eq!(parse("go 1.19\n"), Err(vec!["go.mod has no module line at \"\"".to_string()]));
        assert_eq!(parse("module m\nfrobnicate x\n"), Err(vec!["go.mod: unknown directive: frobnicate at \"frobnicate\"".to_string()]));
        assert_eq!(parse("module m\nmodule n\n"), Err(vec!["go.mod: repeated module statement at \"module n\"".to_string()]));
        assert_eq!(parse("module m\nexclude (\n"), Err(vec!["go.mod: unterminated exclude block at \"\"".to_string()]));
    }

    #[test]
    fn package_directories() {
        assert_eq!(package_dir("example.com/app", "example.com/app"), Some(""));
        assert_eq!(package_dir("example.com/app", "example.com/app/greet/deep"), Some("greet/deep"));
        assert_eq!(package_dir("example.com/app", "example.com/application"), None);
        assert_eq!(package_dir("example.com/app", "strings"), None);
    }
}
