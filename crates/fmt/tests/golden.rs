//! Small unformatted inputs (`golden/NAME.input.go`, `NAME.input.yaml`) and
//! gofmt 1.19's output for them (`NAME.golden.*`, written by
//! `scripts/gofmt-expected`; for YAML, the code section replaced by gofmt's
//! output of the code).

use std::path::Path;

fn goldens(ext: &str) -> Vec<(String, String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut out = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&dir).expect("tests/golden").map(|e| e.expect("entry").path()).collect();
    names.sort();
    for path in names {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_owned();
        let Some(stem) = name.strip_suffix(&format!(".input.{ext}")) else { continue };
        let input = std::fs::read_to_string(&path).expect("input");
        let golden = std::fs::read_to_string(dir.join(format!("{stem}.golden.{ext}"))).expect("golden");
        out.push((stem.to_owned(), input, golden));
    }
    assert!(!out.is_empty(), "no golden .{ext} inputs");
    out
}

#[test]
fn go_inputs_are_formatted_as_gofmt_formats_them() {
    let mut failures = Vec::new();
    for (name, input, golden) in goldens("go") {
        let got = g2n_fmt::format_go(g2n_base::FileId(0), &input).expect("parses");
        if got != golden {
            failures.push(format!("{name}: got\n{got}\nwant\n{golden}"));
        }
        // Formatting gofmt's output changes nothing.
        let again = g2n_fmt::format_go(g2n_base::FileId(0), &golden).expect("parses");
        if again != golden {
            failures.push(format!("{name}: not idempotent:\n{again}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn configs_get_gofmt_code_and_keep_the_rest_of_their_yaml() {
    let mut failures = Vec::new();
    for (name, input, golden) in goldens("yaml") {
        let got = g2n_fmt::yaml::format_config(g2n_base::FileId(0), &input, &name).expect("formats");
        if got != golden {
            failures.push(format!("{name}: got\n{got}\nwant\n{golden}"));
        }
        let again = g2n_fmt::yaml::format_config(g2n_base::FileId(0), &golden, &name).expect("formats");
        if again != golden {
            failures.push(format!("{name}: not idempotent:\n{again}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn syntax_errors_are_returned_not_formatted() {
    let errors = g2n_fmt::format_go(g2n_base::FileId(0), "package main\nfunc main() {\n").expect_err("an error");
    assert!(!errors.is_empty());
    match g2n_fmt::yaml::format_config(g2n_base::FileId(0), "code:\n  - package main\n  - func main() {\n", "x") {
        Err(g2n_fmt::yaml::ConfigFormatError::Syntax(errors)) => {
            // Spans point into the YAML: the unclosed body is on its line 3.
            assert!(errors.iter().all(|e| e.span().start as usize >= "code:\n  - package main\n".len()));
        }
        other => panic!("expected syntax errors, got {other:?}"),
    }
}
