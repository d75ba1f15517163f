//! The pipeline, stage by stage: read inputs, parse, analyse, generate code,
//! link, and write manifests. Every stage returns its diagnostics; the driver
//! renders them and decides to stop.

use crate::diagnostics;
use crate::link;
use g2n_base::{FileId, SourceDb, Span};
use g2n_manifest::config::NanoserviceConfig;
use g2n_split::{MeshPlan, UnitSource};
use g2n_syntax::ast;
use std::path::{Path, PathBuf};

/// One input file after reading.
pub struct LoadedUnit {
    pub name: String,
    /// The span naming the unit in diagnostics.
    pub span: Span,
    pub file: FileId,
    pub path: PathBuf,
    /// Present for YAML inputs.
    pub config: Option<NanoserviceConfig>,
}

pub struct Loaded {
    pub db: SourceDb,
    pub units: Vec<LoadedUnit>,
    pub asts: Vec<ast::File>,
}

/// Reported and counted failure: the diagnostics are already on stderr.
#[derive(Debug)]
pub struct Failed;

fn is_yaml(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
}

fn print_diagnostics<'a>(db: &SourceDb, diagnostics: impl IntoIterator<Item = &'a dyn miette::Diagnostic>) -> usize {
    let mut count = 0;
    for diagnostic in diagnostics {
        eprint!("{}", diagnostics::render(db, diagnostic));
        count += 1;
    }
    count
}

/// Reads every input (configs through the manifest crate) and parses it.
pub fn load(paths: &[PathBuf]) -> Result<Loaded, Failed> {
    let mut db = SourceDb::new();
    let mut units = Vec::new();
    let mut errors = 0;
    for path in paths {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", path.display());
                errors += 1;
                continue;
            }
        };
        let display = path.display().to_string();
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("main").to_string();
        if is_yaml(path) {
            // Register the YAML first so config diagnostics can point into it;
            // its analysed code is filled in once the config is read.
            let probe = db.add(display.clone(), text.clone());
            let (config, config_errors) = g2n_manifest::config::load(probe, &text, &stem);
            errors += print_diagnostics(&db, config_errors.iter().map(|e| e as &dyn miette::Diagnostic));
            let Some(config) = config else { continue };
            print_diagnostics(&db, config.warnings.iter().map(|w| w as &dyn miette::Diagnostic));
            let file = db.add_embedded(display, text, config.go_code.clone());
            let span = config.name_span.unwrap_or(config.code_span);
            let span = Span { file, ..span };
            units.push(LoadedUnit { name: config.name.clone(), span, file, path: path.clone(), config: Some(config) });
        } else {
            let file = db.add(display, text);
            units.push(LoadedUnit { name: stem, span: Span::new(file, 0, 0), file, path: path.clone(), config: None });
        }
    }
    let mut asts = Vec::new();
    for unit in &units {
        let (file, syntax_errors) = g2n_syntax::parse_file(unit.file, db.code(unit.file));
        errors += print_diagnostics(&db, syntax_errors.iter().map(|e| e as &dyn miette::Diagnostic));
        asts.push(file);
    }
    if errors > 0 {
        return Err(Failed);
    }
    Ok(Loaded { db, units, asts })
}

/// Type-checks and resolves the program or mesh.
pub fn analyse(loaded: &Loaded) -> Result<MeshPlan, Failed> {
    let single_program = loaded.units.len() == 1 && loaded.units[0].config.is_none();
    let (plan, errors) = if single_program {
        let unit = &loaded.units[0];
        g2n_split::plan_program(&unit.name, unit.span, &loaded.asts[0])
    } else {
        let sources: Vec<UnitSource<'_>> = loaded
            .units
            .iter()
            .zip(&loaded.asts)
            .map(|(unit, file)| UnitSource { name: unit.name.clone(), span: unit.span, file })
            .collect();
        g2n_split::plan_mesh(&sources)
    };
    let count = print_diagnostics(&loaded.db, errors.iter().map(|e| e as &dyn miette::Diagnostic));
    match plan {
        Some(plan) if count == 0 => Ok(plan),
        _ => {
            if count == 0 {
                eprintln!("error: analysis failed without a diagnostic (a g2n bug)");
            }
            Err(Failed)
        }
    }
}

/// `g2n check`.
pub fn check(paths: &[PathBuf]) -> i32 {
    match load(paths).and_then(|loaded| analyse(&loaded)) {
        Ok(_) => 0,
        Err(Failed) => 1,
    }
}

/// What a build wrote for one unit.
pub struct BuiltUnit {
    pub name: String,
    pub executable: PathBuf,
    pub object: PathBuf,
}

/// Generates, links and describes every unit of `plan` into `out`.
pub fn build_plan(loaded: &Loaded, plan: &MeshPlan, out: &Path, emit_clif: bool) -> Result<Vec<BuiltUnit>, Failed> {
    let runtime = link::find_runtime().map_err(|message| {
        eprintln!("error: {message}");
        Failed
    })?;
    let fail = |message: String| {
        eprintln!("error: {message}");
        Failed
    };
    let mut built = Vec::new();
    for unit in &plan.units {
        let compiled = g2n_codegen::compile_unit(unit, &g2n_codegen::CodegenOptions { emit_clif }).map_err(|e| {
            print_diagnostics(&loaded.db, [&e as &dyn miette::Diagnostic]);
            Failed
        })?;
        let dir = out.join(&unit.name);
        std::fs::create_dir_all(&dir).map_err(|e| fail(format!("cannot create {}: {e}", dir.display())))?;
        let object = dir.join(format!("{}.o", unit.name));
        std::fs::write(&object, &compiled.object).map_err(|e| fail(format!("cannot write {}: {e}", object.display())))?;
        if let Some(clif) = &compiled.clif {
            let path = dir.join(format!("{}.clif", unit.name));
            std::fs::write(&path, clif).map_err(|e| fail(format!("cannot write {}: {e}", path.display())))?;
        }
        let executable = dir.join(&unit.name);
        link::link(&object, &runtime, &executable).map_err(fail)?;
        built.push(BuiltUnit { name: unit.name.clone(), executable, object });
    }
    crate::mesh::write_manifests(loaded, plan, &built, out).map_err(fail)?;
    Ok(built)
}

/// `g2n build`.
pub fn build(paths: &[PathBuf], out: &Path, emit_clif: bool) -> i32 {
    let result = load(paths).and_then(|loaded| {
        let plan = analyse(&loaded)?;
        build_plan(&loaded, &plan, out, emit_clif)
    });
    match result {
        Ok(_) => 0,
        Err(Failed) => 1,
    }
}
