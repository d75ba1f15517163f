//! Golden tests driven by the files under `test_data/`.
//!
//! `test_data/lexer/{ok,err}/*.go` are compared with a `.tokens` file next to
//! them, `test_data/parser/{ok,err}/*.go` with a `.ast` file. Files under `ok/`
//! must produce no error, files under `err/` at least one. Run with
//! `G2N_BLESS=1` to (re)write the golden files after checking the output.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use g2n_base::{FileId, SourceDb};
use g2n_syntax::{SyntaxError, dump_ast, dump_tokens, lex, parse_file};

fn go_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "go"));
    files.sort();
    files
}

fn render_errors(text: &str, errors: &[SyntaxError]) -> String {
    let mut db = SourceDb::new();
    let file = db.add("test.go", text.to_owned());
    let mut out = String::new();
    for e in errors {
        let (line, col) = db.line_col(file, e.span().start);
        let _ = writeln!(out, "{line}:{col}: {e}");
    }
    out
}

/// Compares or blesses every file of one folder; returns the failures.
fn check_dir(sub: &str, ext: &str, expect_errors: bool, run: fn(&str) -> (String, usize)) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data").join(sub);
    let bless = std::env::var_os("G2N_BLESS").is_some();
    let mut failures = Vec::new();
    let files = go_files(&dir);
    assert!(!files.is_empty(), "no test files in {}", dir.display());
    for path in files {
        let text = std::fs::read_to_string(&path).expect("readable test file");
        let (actual, n_errors) = run(&text);
        let name = path.display().to_string();
        if expect_errors && n_errors == 0 {
            failures.push(format!("{name}: expected at least one error, got none"));
        }
        if !expect_errors && n_errors > 0 {
            failures.push(format!("{name}: expected no errors, got {n_errors}:\n{actual}"));
        }
        let golden = path.with_extension(ext);
        if bless {
            std::fs::write(&golden, &actual).expect("writable golden file");
            continue;
        }
        let expected = std::fs::read_to_string(&golden).unwrap_or_default();
        if expected != actual {
            let diff = similar::TextDiff::from_lines(&expected, &actual);
            let mut msg = format!("{name}: output differs from {} (G2N_BLESS=1 to update)\n", golden.display());
            for change in diff.iter_all_changes() {
                let sign = match change.tag() {
                    similar::ChangeTag::Delete => "-",
                    similar::ChangeTag::Insert => "+",
                    similar::ChangeTag::Equal => " ",
                };
                let _ = write!(msg, "{sign}{change}");
            }
            failures.push(msg);
        }
    }
    failures
}

fn run_lexer(text: &str) -> (String, usize) {
    let (tokens, errors) = lex(FileId(0), text);
    let mut out = render_errors(text, &errors);
    out.push_str(&dump_tokens(text, &tokens));
    (out, errors.len())
}

fn run_parser(text: &str) -> (String, usize) {
    let (file, errors) = parse_file(FileId(0), text);
    let mut out = render_errors(text, &errors);
    if !errors.is_empty() {
        out.push('\n');
    }
    out.push_str(&dump_ast(&file));
    (out, errors.len())
}

fn report(failures: Vec<String>) {
    if !failures.is_empty() {
        panic!("{} golden failure(s):\n\n{}", failures.len(), failures.join("\n\n"));
    }
}

#[test]
fn lexer_ok() {
    report(check_dir("lexer/ok", "tokens", false, run_lexer));
}

#[test]
fn lexer_err() {
    report(check_dir("lexer/err", "tokens", true, run_lexer));
}

#[test]
fn parser_ok() {
    report(check_dir("parser/ok", "ast", false, run_parser));
}

#[test]
fn parser_err() {
    report(check_dir("parser/err", "ast", true, run_parser));
}

/// Every prefix of every test file, and every file with one byte removed at a
/// few positions, must parse without panicking (the parser promises that on
/// any input).
#[test]
fn truncated_inputs_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data");
    for sub in ["lexer/ok", "lexer/err", "parser/ok", "parser/err"] {
        for path in go_files(&root.join(sub)) {
            let text = std::fs::read_to_string(&path).expect("readable test file");
            for (i, _) in text.char_indices() {
                let prefix = text.get(..i).unwrap_or("");
                let _ = parse_file(FileId(0), prefix);
                let mut cut = String::from(prefix);
                cut.push_str(text.get(i..).and_then(|r| r.get(r.chars().next().map_or(0, char::len_utf8)..)).unwrap_or(""));
                let _ = parse_file(FileId(0), &cut);
            }
        }
    }
}

#[test]
fn seed_program_has_go_to_network_target_and_span() {
    let text = "package main\nfunc main() {\n  hello := \"Hello\"\n  goToNetwork 'print-hello-world'\n}\n";
    let (file, errors) = parse_file(FileId(3), text);
    assert!(errors.is_empty(), "{errors:?}");
    let Some(g2n_syntax::ast::Decl::Func(main)) = file.decls.first() else { panic!("no func") };
    let body = main.body.as_ref().expect("body");
    let Some(stmt) = body.stmts.get(1) else { panic!("second statement") };
    match &stmt.kind {
        g2n_syntax::ast::StmtKind::GoToNetwork { target, target_span } => {
            assert_eq!(target, "print-hello-world");
            assert_eq!(&text[target_span.start as usize..target_span.end as usize], "'print-hello-world'");
            assert_eq!(target_span.file, FileId(3));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn errors_are_miette_diagnostics_with_codes() {
    use miette::Diagnostic;
    let (_, errors) = parse_file(FileId(0), "package main\nx := 1\n");
    let first = errors.first().expect("an error");
    assert_eq!(first.code().map(|c| c.to_string()).as_deref(), Some("g2n::syntax::statement_outside_function"));
    assert!(first.labels().is_some_and(|mut l| l.next().is_some()));
}
