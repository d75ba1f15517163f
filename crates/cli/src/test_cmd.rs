//! `g2n test [PKG|DIR]`: a package's Example functions, run and checked
//! against their `// Output:` comments as `go test` does.
//!
//! The examples are those of the package's external test package
//! (`package NAME_test` files). Its `_test.go` files that define examples
//! are compiled (as copies in a scratch directory, since a program's inputs
//! leave `_test.go` files out) as one program with a generated `main` that runs the
//! example its first argument names; each example with an output comment
//! runs once. Files that import `testing` are left out (g2n has no testing
//! package yet), and with them their `Test` functions; so are the
//! package's internal test files (`package NAME`).

use crate::build_cmd;
use crate::link;
use g2n_syntax::ast;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// One `ExampleXxx` function and what it must print.
#[derive(Debug, PartialEq)]
struct Example {
    name: String,
    /// `None`: no output comment, so compiled but not run (as in Go).
    want: Option<String>,
    unordered: bool,
}

pub fn test(target: &str, run: Option<&str>, verbose: bool) -> i32 {
    let start = Instant::now();
    let (dir, label) = match package_dir(target) {
        Ok(found) => found,
        Err(message) => {
            eprintln!("error: {message}");
            return 1;
        }
    };
    let filter = match run.map(regex::Regex::new).transpose() {
        Ok(filter) => filter,
        Err(e) => {
            eprintln!("error: -run: {e}");
            return 2;
        }
    };
    let mut names: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries.flatten().map(|e| e.path()).filter(|p| p.to_string_lossy().ends_with("_test.go")).collect(),
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", dir.display());
            return 1;
        }
    };
    names.sort();
    let mut files = Vec::new();
    let mut examples = Vec::new();
    for path in &names {
        let Ok(text) = std::fs::read_to_string(path) else { continue };
        let (file, errors) = g2n_syntax::parse_file(g2n_base::FileId(0), &text);
        if !errors.is_empty() || !file.package.name.ends_with("_test") {
            continue;
        }
        let found = examples_in(&file, &text);
        if found.is_empty() {
            continue;
        }
        if file.imports.iter().any(|i| i.path == "testing") {
            if verbose {
                println!("g2n: skipping {} (imports testing)", path.display());
            }
            continue;
        }
        files.push(path.clone());
        examples.extend(found);
    }
    examples.retain(|e| filter.as_ref().is_none_or(|f| f.is_match(&e.name)));
    if examples.is_empty() {
        println!("ok  \t{label}\t{:.3}s [no tests to run]", start.elapsed().as_secs_f64());
        return 0;
    }
    let scratch = std::env::temp_dir().join(format!("g2n-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    if let Err(e) = std::fs::create_dir_all(&scratch) {
        eprintln!("error: cannot create {}: {e}", scratch.display());
        return 1;
    }
    let code = build_and_run(&scratch, &files, &examples, &label, verbose, start);
    let _ = std::fs::remove_dir_all(&scratch);
    code
}

fn build_and_run(scratch: &Path, files: &[PathBuf], examples: &[Example], label: &str, verbose: bool, start: Instant) -> i32 {
    // The generated main lives in its own file, with the test package's name.
    let package = files
        .first()
        .and_then(|f| std::fs::read_to_string(f).ok())
        .map(|text| g2n_syntax::parse_file(g2n_base::FileId(0), &text).0.package.name)
        .unwrap_or_else(|| "main".to_string());
    let main = scratch.join("g2n_test_main.go");
    if let Err(e) = std::fs::write(&main, main_source(&package, examples)) {
        eprintln!("error: cannot write {}: {e}", main.display());
        return 1;
    }
    // Copies named `.g2n`: a program's inputs exclude `_test.go` files.
    let mut inputs = Vec::new();
    for file in files {
        let copy = scratch.join(file.file_name().unwrap_or_default()).with_extension("g2n");
        if let Err(e) = std::fs::copy(file, &copy) {
            eprintln!("error: cannot copy {}: {e}", file.display());
            return 1;
        }
        inputs.push(copy);
    }
    inputs.push(main);
    let exe = scratch.join("examples");
    if build_cmd::build(&inputs, Some(&exe), false, link::Engine::Tcp, false) != 0 {
        println!("FAIL\t{label} [build failed]");
        return 1;
    }
    let mut failed = false;
    for example in examples {
        let Some(want) = &example.want else { continue };
        if verbose {
            println!("=== RUN   {}", example.name);
        }
        let began = Instant::now();
        let output = match std::process::Command::new(&exe).arg(&example.name).output() {
            Ok(output) => output,
            Err(e) => {
                eprintln!("error: cannot run {}: {e}", exe.display());
                return 1;
            }
        };
        let got = String::from_utf8_lossy(&output.stdout).into_owned();
        let seconds = began.elapsed().as_secs_f64();
        let passed = output.status.success() && output_matches(&got, want, example.unordered);
        if passed {
            if verbose {
                println!("--- PASS: {} ({seconds:.2}s)", example.name);
            }
            continue;
        }
        failed = true;
        println!("--- FAIL: {} ({seconds:.2}s)", example.name);
        if !output.status.success() {
            print!("{}", String::from_utf8_lossy(&output.stderr));
        }
        println!("got:\n{}\nwant:\n{}", got.trim(), want.trim());
    }
    let seconds = start.elapsed().as_secs_f64();
    if failed {
        println!("FAIL\nFAIL\t{label}\t{seconds:.3}s");
        1
    } else {
        if verbose {
            println!("PASS");
        }
        println!("ok  \t{label}\t{seconds:.3}s");
        0
    }
}

/// A directory as given, else an import path in Go's source tree.
fn package_dir(target: &str) -> Result<(PathBuf, String), String> {
    let as_dir = Path::new(target);
    if as_dir.is_dir() {
        return Ok((as_dir.to_path_buf(), target.trim_end_matches('/').to_string()));
    }
    let root = crate::goroot::find().map_err(|reason| format!("{target} is not a directory, and {reason}"))?;
    let dir = root.join("src").join(target);
    if dir.is_dir() {
        Ok((dir, target.to_string()))
    } else {
        Err(format!("{target} is neither a directory nor a package of {}", root.join("src").display()))
    }
}

fn main_source(package: &str, examples: &[Example]) -> String {
    let mut text = format!("// Generated by g2n test: runs the example its argument names.\npackage {package}\n\nimport \"os\"\n\nfunc main() {{\n\tswitch os.Args[1] {{\n");
    for example in examples.iter().filter(|e| e.want.is_some()) {
        text.push_str(&format!("\tcase \"{0}\":\n\t\t{0}()\n", example.name));
    }
    text.push_str("\t}\n}\n");
    text
}

/// The examples a file declares: `func ExampleXxx()` without receiver,
/// parameters or results, with the output their last comment promises.
fn examples_in(file: &ast::File, text: &str) -> Vec<Example> {
    let mut examples = Vec::new();
    for decl in &file.decls {
        let ast::Decl::Func(func) = decl else { continue };
        let name = &func.name.name;
        let suffix_ok = name.strip_prefix("Example").is_some_and(|rest| rest.is_empty() || !rest.starts_with(|c: char| c.is_lowercase()));
        if func.recv.is_some() || !func.sig.params.is_empty() || !func.sig.results.is_empty() || !suffix_ok {
            continue;
        }
        let Some(body) = &func.body else { continue };
        let body_text = text.get(body.span.start as usize..body.span.end as usize).unwrap_or("");
        let (want, unordered) = output_comment(body_text).map_or((None, false), |(w, u)| (Some(w), u));
        examples.push(Example { name: name.clone(), want, unordered });
    }
    examples
}

/// The expected output of an example body: the text of its last comment
/// group when that starts with `Output:` or `Unordered output:` (any case),
/// comment markers and the first space of each line removed.
fn output_comment(body: &str) -> Option<(String, bool)> {
    let lines: Vec<&str> = body.lines().collect();
    // The last group of consecutive `//` lines.
    let end = lines.iter().rposition(|l| l.trim_start().starts_with("//"))?;
    if lines[end + 1..].iter().any(|l| !matches!(l.trim(), "" | "}")) {
        return None;
    }
    let mut start = end;
    while start > 0 && lines[start - 1].trim_start().starts_with("//") {
        start -= 1;
    }
    let text: Vec<&str> = lines[start..=end]
        .iter()
        .map(|l| {
            let rest = l.trim_start().trim_start_matches("//");
            rest.strip_prefix(' ').unwrap_or(rest)
        })
        .collect();
    let joined = text.join("\n");
    let trimmed = joined.trim_start();
    let lower = trimmed.to_lowercase();
    let (rest, unordered) = if lower.starts_with("output:") {
        (&trimmed["output:".len()..], false)
    } else if lower.starts_with("unordered output:") {
        (&trimmed["unordered output:".len()..], true)
    } else {
        return None;
    };
    Some((rest.to_string(), unordered))
}

/// Go compares outputs with surrounding space trimmed (and, for unordered
/// output, as sorted lines).
fn output_matches(got: &str, want: &str, unordered: bool) -> bool {
    let normalize = |s: &str| s.replace("\r\n", "\n").trim().to_string();
    let (got, want) = (normalize(got), normalize(want));
    if unordered {
        let mut a: Vec<&str> = got.lines().map(str::trim).collect();
        let mut b: Vec<&str> = want.lines().map(str::trim).collect();
        a.sort_unstable();
        b.sort_unstable();
        a == b
    } else {
        got == want
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_examples_and_their_output() {
        let text = "package p_test\n\nimport \"fmt\"\n\nfunc ExampleA() {\n\tfmt.Println(1)\n\t// Output:\n\t// 1\n\t//  two\n}\n\nfunc ExampleB() {\n\tfmt.Println(2)\n}\n\nfunc ExampleC() {\n\t// Unordered output: x\n\t// y\n}\n\nfunc Examplelower() {}\n\nfunc ExampleD() {\n\t// Output: late\n\tfmt.Println()\n}\n";
        let (file, errors) = g2n_syntax::parse_file(g2n_base::FileId(0), text);
        assert!(errors.is_empty(), "{errors:?}");
        let examples = examples_in(&file, text);
        assert_eq!(
            examples,
            [
                Example { name: "ExampleA".to_string(), want: Some("\n1\n two".to_string()), unordered: false },
                Example { name: "ExampleB".to_string(), want: None, unordered: false },
                Example { name: "ExampleC".to_string(), want: Some(" x\ny".to_string()), unordered: true },
                Example { name: "ExampleD".to_string(), want: None, unordered: false },
            ]
        );
        assert!(output_matches("1\n two\n", "\n1\n two", false));
        assert!(!output_matches("1\ntwo\n", "\n1\n two", false));
        assert!(output_matches("y\nx\n", " x\ny", true));
    }
}
