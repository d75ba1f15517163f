//! Compiler directives, which the grammar does not see (they are comments):
//! `//go:linkname localname [importpath.name]` lines.
//!
//! A directive is a line comment that starts at the beginning of a line,
//! with no space after `//`, as the Go compiler requires. Only linknames are
//! read here; `//go:build` lines are the package loader's.

use crate::ast::Linkname;
use g2n_base::{FileId, Span};

/// Every `//go:linkname` directive of the file, in order. A directive whose
/// form is not `//go:linkname local [target]` is skipped (Go's compiler
/// reports it; g2n binds only well-formed ones).
pub fn linknames(file: FileId, text: &str) -> Vec<Linkname> {
    let mut found = Vec::new();
    let mut offset = 0usize;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let Some(rest) = line.strip_prefix("//go:linkname") else { continue };
        if !rest.starts_with([' ', '\t']) {
            continue;
        }
        let words: Vec<&str> = rest.split_whitespace().collect();
        let (local, target) = match words.as_slice() {
            [local] => (*local, None),
            [local, target] => (*local, Some(*target)),
            _ => continue,
        };
        // The target is `importpath.name`: the name follows the last dot
        // after the last slash (`internal/poll.runtime_Semacquire`).
        let target = match target {
            Some(target) => {
                let slash = target.rfind('/').map_or(0, |i| i + 1);
                match target[slash..].rfind('.') {
                    Some(dot) if dot > 0 && slash + dot + 1 < target.len() => {
                        Some((target[..slash + dot].to_string(), target[slash + dot + 1..].to_string()))
                    }
                    _ => continue,
                }
            }
            None => None,
        };
        let end = start + line.trim_end().len();
        found.push(Linkname { local: local.to_string(), target, span: Span::new(file, to_u32(start), to_u32(end)) });
    }
    found
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_linknames_at_line_starts_only() {
        let text = "package time\n\nimport _ \"unsafe\"\n\n//go:linkname runtimeNano runtime.nanotime\nfunc runtimeNano() int64\n\
                    // //go:linkname notADirective runtime.x\n//go:linkname exported\n//go:linkname sem internal/poll.runtime_Semacquire\n\
                    //go:linknamex a b.c\n//go:linkname bad nodot\n";
        let found = linknames(FileId(0), text);
        let summary: Vec<(String, Option<(String, String)>)> = found.iter().map(|l| (l.local.clone(), l.target.clone())).collect();
        assert_eq!(
            summary,
            vec![
                ("runtimeNano".to_string(), Some(("runtime".to_string(), "nanotime".to_string()))),
                ("exported".to_string(), None),
                ("sem".to_string(), Some(("internal/poll".to_string(), "runtime_Semacquire".to_string()))),
            ]
        );
        let first = &found[0];
        assert_eq!(&text[first.span.start as usize..first.span.end as usize], "//go:linkname runtimeNano runtime.nanotime");
    }
}
