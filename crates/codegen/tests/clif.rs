//! CLIF goldens: the Cranelift IR of chosen functions as codegen hands them
//! to Cranelift, after inlining (what `g2n build --emit clif` writes).
//! Every `test_data/NAME.go` names its functions in a `// clif: f g` line
//! (HIR function names; a method by its name alone; `g2n_unit_entry` for
//! the unit entry, which holds `main` and the package initialisers); their
//! IR, in the order the object defines them, is compared with
//! `test_data/NAME.clif` (`G2N_BLESS=1` rewrites them). A `// data: v w`
//! line adds the text form of package-level variables laid out as data,
//! with the objects they point to, or says that one has start-up code. The
//! IR is that of a 64-bit System V target, the only kind g2n builds for
//! today.

#[path = "../../../tests/support/golden.rs"]
mod golden;

use g2n_base::{FileId, Span};
use g2n_codegen::CodegenOptions;
use std::path::{Path, PathBuf};

fn test_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data")
}

/// The whole CLIF text of a program, as `g2n build --emit clif` writes it.
fn program_clif(name: &str, text: &str) -> Result<String, String> {
    let (file, syntax_errors) = g2n_syntax::parse_file(FileId(0), text);
    if !syntax_errors.is_empty() {
        return Err(format!("syntax errors: {syntax_errors:?}"));
    }
    let (plan, errors) = g2n_split::plan_program(name, Span::new(FileId(0), 0, 0), &file);
    let plan = match plan {
        Some(plan) if errors.is_empty() => plan,
        _ => return Err(format!("analysis errors: {errors:?}")),
    };
    let options = CodegenOptions { emit_clif: true, ..CodegenOptions::default() };
    let compiled = if plan.units.iter().all(|u| u.whole_program) {
        g2n_codegen::compile_split(&plan, &options)
    } else {
        g2n_codegen::compile_unit(&plan.units[0], &options)
    }
    .map_err(|e| format!("codegen: {e}"))?;
    compiled.clif.ok_or_else(|| "no CLIF text although asked for".to_string())
}

/// The functions of `clif` (each `; SYMBOL` then its IR) whose symbol is
/// `g2n_fnN_NAME` for a NAME in `names`.
fn select(clif: &str, names: &[&str]) -> Result<String, String> {
    let mut out = String::new();
    let mut found = Vec::new();
    let mut keep = false;
    for line in clif.lines() {
        if let Some(symbol) = line.strip_prefix("; ") {
            let name = symbol.strip_prefix("g2n_fn").and_then(|rest| rest.split_once('_')).map(|(_, name)| name);
            let name = name.or_else(|| names.contains(&symbol).then_some(symbol));
            keep = name.is_some_and(|n| names.contains(&n));
            if let Some(name) = name.filter(|_| keep) {
                found.push(name);
            }
        }
        if keep {
            out.push_str(line);
            out.push('\n');
        }
    }
    let missing: Vec<&&str> = names.iter().filter(|n| !found.contains(n)).collect();
    if !missing.is_empty() {
        return Err(format!("no function {missing:?} in the CLIF"));
    }
    Ok(out)
}

/// For each variable of `names`, the data blocks of `clif` (`; data
/// g2n_globalN_NAME` and its objects `...NAME.K`, each up to its blank
/// line), or a line saying that it has none: its initialiser is code.
fn select_data(clif: &str, names: &[&str]) -> String {
    let mut out = String::new();
    for name in names {
        let mut found = false;
        let mut keep = false;
        for line in clif.lines() {
            if let Some(header) = line.strip_prefix("; data g2n_global") {
                let symbol = header.split_once(' ').map_or(header, |(symbol, _)| symbol);
                let variable = symbol.split_once('_').map(|(_, rest)| rest.split('.').next().unwrap_or(rest));
                keep = variable == Some(*name);
                found |= keep;
            } else if !line.starts_with(";   ") && !line.is_empty() {
                keep = false;
            }
            if keep {
                out.push_str(line);
                out.push('\n');
            }
        }
        if !found {
            out.push_str(&format!("; {name}: no data, initialised by code\n\n"));
        }
    }
    out
}

#[test]
fn clif_goldens() {
    let dir = test_data();
    let inputs = golden::files_with_extension(&dir, "go");
    assert!(inputs.len() >= 2, "test_data has only {} programs", inputs.len());
    let mut cases = Vec::new();
    for input in inputs {
        let text = std::fs::read_to_string(&input).expect("read input");
        let names: Vec<String> =
            golden::directives(&text, "clif").iter().flat_map(|l| l.split_whitespace().map(str::to_string).collect::<Vec<_>>()).collect();
        assert!(!names.is_empty(), "{}: no `// clif: NAME...` line", input.display());
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let stem = input.file_stem().and_then(|s| s.to_str()).unwrap_or("main");
        let data: Vec<String> =
            golden::directives(&text, "data").iter().flat_map(|l| l.split_whitespace().map(str::to_string).collect::<Vec<_>>()).collect();
        let data: Vec<&str> = data.iter().map(String::as_str).collect();
        let actual = program_clif(stem, &text).and_then(|clif| Ok(select_data(&clif, &data) + &select(&clif, &names)?));
        let actual = actual.unwrap_or_else(|e| panic!("{}: {e}", input.display()));
        cases.push((input.with_extension("clif"), actual));
    }
    golden::check_goldens(&dir, "clif", &cases);
}
