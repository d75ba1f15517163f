//! HIR goldens: every `test_data/NAME.go` is checked and its HIR text form
//! (`g2n_sema::hir_text`) compared with `test_data/NAME.hir`
//! (`G2N_BLESS=1` rewrites them). A program whose code is a nanoservice's
//! names its free variables and their types in a `// free-vars: x=int`
//! line. Every program must check without errors.

#[path = "../../../tests/support/golden.rs"]
mod golden;
#[path = "../../../tests/support/goroot_tree.rs"]
mod goroot_tree;

use g2n_base::FileId;
use g2n_sema::FreeVars;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn test_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data")
}

/// The library as `g2n check` installs it: the hand-written packages with
/// the source packages that the test programs import (fmt's errors and io
/// are compiled from Go's source), once per test process.
fn install_library() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let files: Vec<_> = golden::files_with_extension(&test_data(), "go")
            .iter()
            .map(|path| g2n_syntax::parse_file(FileId(0), &std::fs::read_to_string(path).expect("read input")).0)
            .collect();
        goroot_tree::install_library(&files.iter().collect::<Vec<_>>(), 1);
    });
}

/// The HIR text of one program, or its diagnostics.
fn hir_text(text: &str) -> Result<String, String> {
    install_library();
    let (file, syntax_errors) = g2n_syntax::parse_file(FileId(0), text);
    if !syntax_errors.is_empty() {
        return Err(format!("syntax errors: {syntax_errors:?}"));
    }
    let free: BTreeMap<String, String> = golden::directives(text, "free-vars")
        .iter()
        .flat_map(|line| line.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .filter_map(|pair| pair.split_once('=').map(|(name, ty)| (name.to_string(), ty.to_string())))
        .collect();
    let free_vars = if free.is_empty() { FreeVars::Forbidden } else { FreeVars::Allowed(&free) };
    let (program, errors) = g2n_sema::check(&file, free_vars);
    if !errors.is_empty() {
        let messages: Vec<String> = errors.iter().map(|e| format!("{e} at {:?}", e)).collect();
        return Err(format!("check errors:\n{}", messages.join("\n")));
    }
    Ok(g2n_sema::hir_text::program_text(&program))
}

#[test]
fn hir_goldens() {
    let dir = test_data();
    let inputs = golden::files_with_extension(&dir, "go");
    assert!(inputs.len() >= 8, "test_data has only {} programs", inputs.len());
    let mut cases = Vec::new();
    for input in inputs {
        let text = std::fs::read_to_string(&input).expect("read input");
        let actual = hir_text(&text).unwrap_or_else(|e| panic!("{}: {e}", input.display()));
        cases.push((input.with_extension("hir"), actual));
    }
    golden::check_goldens(&dir, "hir", &cases);
}

/// The text form is a function of the program alone: checking the same
/// source twice prints the same text.
#[test]
fn hir_text_is_deterministic() {
    let text = std::fs::read_to_string(test_data().join("composite.go")).expect("read");
    assert_eq!(hir_text(&text), hir_text(&text));
}
