//! Mesh plan goldens (`g2n_split::plan_text`), under `G2N_BLESS=1` like
//! every golden of the project:
//! - `test_data/NAME.go`: a Go program split at its hops (`plan_program`),
//!   or at every statement line of `main` when it says `// split: per-line`;
//!   its plan in `test_data/NAME.plan`;
//! - `test_data/mesh-NAME/*.yaml`: a mesh of nanoservice configs
//!   (`plan_mesh`, units in file name order), its plan in
//!   `test_data/mesh-NAME.plan`.
//!
//! Every input must plan without diagnostics.

#[path = "../../../tests/support/golden.rs"]
mod golden;
#[path = "../../../tests/support/goroot_tree.rs"]
mod goroot_tree;

use g2n_base::{FileId, Span};
use g2n_split::{MeshPlan, UnitSource};
use std::path::{Path, PathBuf};

fn test_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data")
}

fn parse(file: FileId, text: &str) -> Result<g2n_syntax::ast::File, String> {
    let (ast, errors) = g2n_syntax::parse_file(file, text);
    if errors.is_empty() { Ok(ast) } else { Err(format!("syntax errors: {errors:?}")) }
}

fn planned(plan: Option<MeshPlan>, errors: Vec<g2n_split::AnalysisError>) -> Result<String, String> {
    if !errors.is_empty() {
        let messages: Vec<String> = errors.iter().map(|e| format!("{e}: {e:?}")).collect();
        return Err(messages.join("\n"));
    }
    plan.map(|plan| g2n_split::plan_text(&plan)).ok_or_else(|| "no plan and no diagnostic".to_string())
}

/// The library as `g2n check` installs it: the hand-written packages with
/// the source packages the inputs import (fmt's errors and io are compiled
/// from Go's source), once per test process. Library files take ids after
/// the inputs' (a mesh's configs are numbered from 0).
fn install_library() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let dir = test_data();
        let mut texts: Vec<String> = golden::files_with_extension(&dir, "go").iter().map(|p| std::fs::read_to_string(p).expect("read input")).collect();
        for entry in std::fs::read_dir(&dir).expect("test_data").flatten().filter(|e| e.path().is_dir()) {
            for path in golden::files_with_extension(&entry.path(), "yaml") {
                let text = std::fs::read_to_string(&path).expect("read config");
                let (config, _) = g2n_manifest::config::load(FileId(0), &text, "unit");
                texts.extend(config.map(|c| c.go_code));
            }
        }
        let files: Vec<_> = texts.iter().map(|text| g2n_syntax::parse_file(FileId(0), text).0).collect();
        goroot_tree::install_library(&files.iter().collect::<Vec<_>>(), 64);
    });
}

/// The plan of a single Go program.
fn program_plan(path: &Path) -> Result<String, String> {
    install_library();
    let mut text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let modes = golden::directives(&text, "split");
    if modes.iter().any(|m| m == "per-line") {
        let hops = g2n_split::per_line_hops(&parse(FileId(0), &text)?, &text);
        text = g2n_split::insert_hops(&text, &hops);
    }
    let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("main");
    let file = parse(FileId(0), &text)?;
    let (plan, errors) = g2n_split::plan_program(name, Span::new(FileId(0), 0, 0), &file);
    planned(plan, errors)
}

/// The plan of a directory of nanoservice configs.
fn mesh_plan(dir: &Path) -> Result<String, String> {
    install_library();
    let mut units = Vec::new();
    for (index, path) in golden::files_with_extension(dir, "yaml").iter().enumerate() {
        let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("unit");
        let file = FileId(index as u32);
        let (config, errors) = g2n_manifest::config::load(file, &text, stem);
        let config = config.filter(|_| errors.is_empty()).ok_or_else(|| format!("{}: {errors:?}", path.display()))?;
        let ast = parse(file, &config.go_code)?;
        let span = Span { file, ..config.name_span.unwrap_or(config.code_span) };
        units.push((config.name.clone(), span, ast));
    }
    if units.is_empty() {
        return Err(format!("{} holds no .yaml configs", dir.display()));
    }
    let sources: Vec<UnitSource<'_>> =
        units.iter().map(|(name, span, file)| UnitSource { name: name.clone(), span: *span, file }).collect();
    let (plan, errors) = g2n_split::plan_mesh(&sources);
    planned(plan, errors)
}

#[test]
fn plan_goldens() {
    let dir = test_data();
    let mut cases = Vec::new();
    for program in golden::files_with_extension(&dir, "go") {
        let actual = program_plan(&program).unwrap_or_else(|e| panic!("{}: {e}", program.display()));
        cases.push((program.with_extension("plan"), actual));
    }
    let mut meshes: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("test_data")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir() && p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("mesh-")))
        .collect();
    meshes.sort();
    for mesh in &meshes {
        let actual = mesh_plan(mesh).unwrap_or_else(|e| panic!("{}: {e}", mesh.display()));
        cases.push((mesh.with_extension("plan"), actual));
    }
    assert!(cases.len() >= 8 && !meshes.is_empty(), "test_data has {} inputs, {} meshes", cases.len(), meshes.len());
    golden::check_goldens(&dir, "plan", &cases);
}
