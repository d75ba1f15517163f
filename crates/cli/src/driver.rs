//! The pipeline, stage by stage: read inputs, parse, analyse, generate code,
//! link, and write manifests. Every stage returns its diagnostics; the driver
//! renders them and decides to stop.

use crate::diagnostics;
use crate::inputs::{self, is_yaml};
use crate::link;
use crate::progress::Progress;
use crate::timings;
use g2n_base::{FileId, SourceDb, Span};
use g2n_manifest::config::{ConfigWarning, NanoserviceConfig};
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
    /// The other files of a program of several Go files (this unit's `file`
    /// is the first), in the order they were read.
    pub other_files: Vec<(PathBuf, FileId)>,
}

pub struct Loaded {
    /// Shared with code generation (the line table of panic traces), which
    /// keeps it without copying the sources.
    pub db: std::sync::Arc<SourceDb>,
    pub units: Vec<LoadedUnit>,
    pub asts: Vec<ast::File>,
    /// The module the program belongs to (the nearest go.mod), if any.
    pub module: Option<crate::module_root::ModuleRoot>,
}

/// Reported and counted failure: the diagnostics are already on stderr.
#[derive(Debug)]
pub struct Failed;

fn print_diagnostics<'a>(db: &SourceDb, diagnostics: impl IntoIterator<Item = &'a dyn miette::Diagnostic>) -> usize {
    let mut count = 0;
    for diagnostic in diagnostics {
        if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            // Erase a build's status line (progress.rs) before a report.
            eprint!("\r\x1b[K");
        }
        eprint!("{}", diagnostics::render(db, diagnostic));
        count += 1;
    }
    count
}

/// How a single Go program is split (`--split`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SplitMode {
    /// At the program's own `goToNetwork` statements.
    #[default]
    Block,
    /// Every statement line of `main` is its own nanoservice `line-N`.
    PerLine,
}

/// Reads every input (configs through the manifest crate) and parses it.
pub fn load(paths: &[PathBuf]) -> Result<Loaded, Failed> {
    load_split(paths, SplitMode::Block)
}

/// [`load`], with the hops of `mode` inserted into a single Go program.
pub fn load_split(paths: &[PathBuf], mode: SplitMode) -> Result<Loaded, Failed> {
    load_split_in(paths, mode, None)
}

/// [`load_split`] of a program whose module is found from `program_dir`
/// rather than from the directory of its first file (`g2n split` reloads a
/// merged copy of a program from a temporary directory).
pub fn load_split_in(paths: &[PathBuf], mode: SplitMode, program_dir: Option<&Path>) -> Result<Loaded, Failed> {
    let loaded = load_split_in_unkept(paths, mode, program_dir);
    if loaded.is_err() {
        // No check follows: the library packs the load made are written now.
        crate::parse_cache::keep_reached_bodies();
    }
    loaded
}

fn load_split_in_unkept(paths: &[PathBuf], mode: SplitMode, program_dir: Option<&Path>) -> Result<Loaded, Failed> {
    let started = std::time::Instant::now();
    let inputs = inputs::expand(paths)?;
    let paths = &inputs.paths;
    let mut db = SourceDb::new();
    db.set_library_sources(g2n_sema::stdlib::source_of_file);
    // The module of `g2n test`'s package, else of the program's directory.
    let program_dir = program_dir.map(Path::to_path_buf).or_else(crate::goroot::under_test_dir).or_else(|| {
        let parent = paths.first()?.parent()?;
        Some(if parent.as_os_str().is_empty() { PathBuf::from(".") } else { parent.to_path_buf() })
    });
    let module = match program_dir {
        Some(dir) => crate::module_root::find(&dir, &mut db).map_err(|_| Failed)?,
        None => None,
    };
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
            for warning in &config.warnings {
                match warning {
                    ConfigWarning::PlainPassword { span, .. } => eprint!("{}", diagnostics::render_line(&db, warning, *span)),
                    _ => {
                        print_diagnostics(&db, [warning as &dyn miette::Diagnostic]);
                    }
                }
            }
            let file = db.add_embedded(display, text, config.go_code.clone());
            let span = config.name_span.unwrap_or(config.code_span);
            let span = Span { file, ..span };
            units.push(LoadedUnit { name: config.name.clone(), span, file, path: path.clone(), config: Some(config), other_files: Vec::new() });
        } else {
            let text = if mode == SplitMode::PerLine {
                // The hops go on the lines they precede, so every line number
                // (and every diagnostic's line) is the original program's.
                let probe = db.add(display.clone(), text.clone());
                let (file, _) = g2n_syntax::parse_file(probe, &text);
                let hops = g2n_split::per_line_hops(&file, &text);
                g2n_split::insert_hops(&text, &hops)
            } else {
                text
            };
            let file = db.add(display, text);
            units.push(LoadedUnit { name: stem, span: Span::new(file, 0, 0), file, path: path.clone(), config: None, other_files: Vec::new() });
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
    if timings::enabled() {
        let lines: usize = units.iter().map(|u| db.code(u.file).lines().count()).sum();
        timings::record("read and parse the program", started.elapsed(), format!("{} file(s), {lines} lines", units.len()));
    }
    // The library packages compiled from Go's source, before any check.
    let program: Vec<&ast::File> = asts.iter().collect();
    crate::parse_cache::before_load();
    let mut library = crate::goroot::load_library(&program, &mut db, module.as_ref());
    crate::parse_cache::remember(std::mem::take(&mut library.kept_packs));
    errors += print_diagnostics(&db, library.syntax_errors.iter().map(|e| e as &dyn miette::Diagnostic));
    errors += print_diagnostics(&db, library.errors.iter().map(|e| e as &dyn miette::Diagnostic));
    if errors > 0 {
        return Err(Failed);
    }
    set_absolute_paths(&mut db);
    let one_program = units.iter().all(|u| u.config.is_none()) && (units.len() > 1 || inputs.program_name.is_some());
    // A Go file's stem names its (entry) nanoservice, the one name rule; a
    // program of several files is named after its directory or first file.
    let named_by_file = if one_program && inputs.program_name.is_none() { &units[..1] } else if one_program { &[] } else { &units[..] };
    for unit in named_by_file.iter().filter(|u| u.config.is_none()) {
        if let Err(reason) = g2n_base::check_nanoservice_name(&unit.name) {
            eprintln!("error: {}: invalid nanoservice name '{}' (from the file name): {reason}", unit.path.display(), unit.name.escape_debug());
            errors += 1;
        }
    }
    if errors > 0 {
        return Err(Failed);
    }
    if one_program {
        // Several Go files (or a directory of them): one program, one package.
        let names: Vec<String> = units.iter().map(|u| u.path.display().to_string()).collect();
        let mut asts = asts.into_iter();
        let first = asts.next().ok_or(Failed)?;
        let merged = inputs::merge_package(first, asts.collect(), &names).map_err(|e| {
            print_diagnostics(&db, [&e as &dyn miette::Diagnostic]);
            Failed
        })?;
        let mut rest = units.split_off(1);
        let mut unit = units.swap_remove(0);
        unit.other_files = rest.drain(..).map(|u| (u.path, u.file)).collect();
        if let Some(name) = inputs.program_name {
            if let Err(reason) = g2n_base::check_nanoservice_name(&name) {
                eprintln!("error: invalid nanoservice name '{}' (from the directory's name): {reason}", name.escape_debug());
                return Err(Failed);
            }
            unit.name = name;
        }
        return Ok(Loaded { db: std::sync::Arc::new(db), units: vec![unit], asts: vec![merged], module });
    }
    Ok(Loaded { db: std::sync::Arc::new(db), units, asts, module })
}

/// Type-checks and resolves the program or mesh.
pub fn analyse(loaded: &Loaded) -> Result<MeshPlan, Failed> {
    let started = std::time::Instant::now();
    let library_before = g2n_sema::library_check_time();
    let plan = analyse_untimed(loaded);
    if timings::enabled() {
        let library = g2n_sema::library_check_time().saturating_sub(library_before);
        timings::record("check the library packages", library, String::new());
        timings::record("check the program, plan the nanoservices", started.elapsed().saturating_sub(library), String::new());
    }
    // The library bodies the check parsed, kept parsed for the next build.
    let keeping = std::time::Instant::now();
    let reached = crate::parse_cache::keep_reached_bodies();
    if timings::enabled() {
        let what = format!("{} decoded from the build cache, {} parsed; {} packs written again", reached.decoded, reached.parsed, reached.written);
        timings::record("library bodies reached", keeping.elapsed(), what);
    }
    plan
}

fn analyse_untimed(loaded: &Loaded) -> Result<MeshPlan, Failed> {
    let single_program = loaded.units.len() == 1 && loaded.units[0].config.is_none();
    if let Some(source) = split_source(loaded)? {
        // Configs written by `g2n split`: the program they were split from.
        let unit = &loaded.units[0];
        let (plan, errors) = g2n_split::plan_program(&source, unit.span, &loaded.asts[0]);
        let count = print_diagnostics(&loaded.db, errors.iter().map(|e| e as &dyn miette::Diagnostic));
        let Some(plan) = plan.filter(|_| count == 0) else { return Err(Failed) };
        let mut planned: Vec<&str> = plan.units.iter().map(|u| u.name.as_str()).collect();
        let mut given: Vec<&str> = loaded.units.iter().map(|u| u.name.as_str()).collect();
        planned.sort();
        given.sort();
        if planned != given {
            eprintln!(
                "error: the configs split from {source} name the nanoservices {} but the program splits into {}",
                given.join(", "),
                planned.join(", ")
            );
            return Err(Failed);
        }
        return Ok(plan);
    }
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
        Some(plan) if count == 0 => {
            let warnings = crate::endpoints::warnings(loaded, &plan);
            print_diagnostics(&loaded.db, warnings.iter().map(|w| w as &dyn miette::Diagnostic));
            Ok(plan)
        }
        _ => {
            if count == 0 {
                eprintln!("error: analysis failed without a diagnostic (a g2n bug)");
            }
            Err(Failed)
        }
    }
}

/// The name of the program that the inputs were split from, when every
/// input is a config written by `g2n split` (a `source:` field) and all of
/// them hold the same code; `None` for any other input.
fn split_source(loaded: &Loaded) -> Result<Option<String>, Failed> {
    let configs: Vec<&NanoserviceConfig> = loaded.units.iter().filter_map(|u| u.config.as_ref()).collect();
    if configs.len() != loaded.units.len() || configs.iter().any(|c| c.source.is_none()) {
        return Ok(None);
    }
    let code_of = |unit: &LoadedUnit| -> Vec<String> {
        let text = loaded.db.code(unit.file);
        let config = unit.config.as_ref().map(|c| c.code_lines.clone()).unwrap_or_default();
        config.iter().map(|span| text[span.start as usize..span.end as usize].trim_end().to_string()).collect()
    };
    let first = code_of(&loaded.units[0]);
    for unit in &loaded.units[1..] {
        if code_of(unit) != first {
            eprintln!(
                "error: {} and {} were split from one program but hold different code; split the program again",
                loaded.units[0].path.display(),
                unit.path.display()
            );
            return Err(Failed);
        }
    }
    // The entry nanoservice carries the program's name (its directory's
    // or its first file's, as `g2n split` named it).
    if let Some(entry) = configs.iter().find(|c| c.entry == Some(true)) {
        return Ok(Some(entry.name.clone()));
    }
    let source = configs[0].source.clone().unwrap_or_default();
    let stem = Path::new(&source).file_stem().and_then(|s| s.to_str()).unwrap_or("main").to_string();
    Ok(Some(stem))
}

/// `g2n check`; `emit_hir` / `emit_plan` print the text forms of the
/// checked programs and of the plan on stdout.
pub fn check(paths: &[PathBuf], emit_hir: bool, emit_plan: bool) -> i32 {
    let plan = match load(paths).and_then(|loaded| analyse(&loaded)) {
        Ok(plan) => plan,
        Err(Failed) => return 1,
    };
    let mut out = String::new();
    if emit_hir {
        // The nanoservices of a split program share one program: printed once.
        // The entry first, so a split program is named after its entry.
        let entry_first = plan.units.get(plan.entry).into_iter().chain(plan.units.iter().enumerate().filter(|(i, _)| *i != plan.entry).map(|(_, u)| u));
        let mut printed: Vec<&std::sync::Arc<g2n_sema::hir::Program>> = Vec::new();
        for unit in entry_first {
            if printed.iter().any(|p| std::sync::Arc::ptr_eq(p, &unit.program)) {
                continue;
            }
            printed.push(&unit.program);
            let shared = if unit.whole_program { " (the whole program, shared by every nanoservice)" } else { "" };
            out.push_str(&format!("; hir of {}{shared}\n", unit.name));
            out.push_str(&g2n_sema::hir_text::program_text(&unit.program));
        }
    }
    if emit_plan {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&g2n_split::plan_text(&plan));
    }
    print!("{out}");
    0
}

/// What a build wrote for one unit.
pub struct BuiltUnit {
    pub name: String,
    pub executable: PathBuf,
    pub object: PathBuf,
}

/// Generates, links and describes every unit of `plan` into `out`;
/// `for_run` (`g2n run`, into a temporary directory) skips
/// what only a deployment needs: the manifests, and a split program's copy of
/// its object and executable under every nanoservice's name (every
/// `BuiltUnit` then names the one executable; `g2n run` links the names it
/// starts processes as). `engine` picks the runtime archive.
/// `progress` hears of every nanoservice compiled and linked.
pub fn build_plan_for(
    loaded: &Loaded,
    plan: &MeshPlan,
    out: &Path,
    emit_clif: bool,
    for_run: bool,
    engine: link::Engine,
    progress: &Progress,
) -> Result<Vec<BuiltUnit>, Failed> {
    let runtime = link::find_runtime_for(engine).map_err(|message| {
        eprintln!("error: {message}");
        Failed
    })?;
    let fail = |message: String| {
        eprintln!("error: {message}");
        Failed
    };
    if !plan.units.is_empty() && plan.units.iter().all(|u| u.whole_program) {
        return build_split_plan(loaded, plan, out, emit_clif, &runtime, for_run, engine, progress);
    }
    let mut built = Vec::new();
    let options = codegen_options(loaded, emit_clif);
    for unit in &plan.units {
        let compiled = progress.stage(&format!("{}: generated code", unit.name), || g2n_codegen::compile_unit(unit, &options));
        note_cache_use(progress, &unit.name, &options, &compiled);
        record_codegen(&compiled);
        let compiled = compiled.map_err(|e| {
            print_diagnostics(&loaded.db, [&e as &dyn miette::Diagnostic]);
            Failed
        })?;
        let dir = name_path(out, &unit.name, "").map_err(fail)?;
        std::fs::create_dir_all(&dir).map_err(|e| fail(format!("cannot create {}: {e}", dir.display())))?;
        let object = dir.join(format!("{}.o", unit.name));
        timings::time("write the object", || std::fs::write(&object, &compiled.object))
            .map_err(|e| fail(format!("cannot write {}: {e}", object.display())))?;
        if let Some(clif) = &compiled.clif {
            let path = dir.join(format!("{}.clif", unit.name));
            std::fs::write(&path, clif).map_err(|e| fail(format!("cannot write {}: {e}", path.display())))?;
        }
        let executable = dir.join(&unit.name);
        timings::time("link", || progress.stage(&format!("{}: linked", unit.name), || link::link(&object, &runtime, &executable, engine)))
            .map_err(fail)?;
        built.push(BuiltUnit { name: unit.name.clone(), executable, object });
    }
    if !for_run {
        progress.stage("wrote the manifests", || crate::mesh::write_manifests(loaded, plan, &built, out)).map_err(fail)?;
    }
    Ok(built)
}

/// Code generation's options: the loaded sources go along, shared, for the
/// line table of panic traces (file:line, a config's YAML line for code
/// embedded in one), which names files by the absolute path the loader
/// gave them (`set_absolute_paths`). Compiled functions are kept in the build cache (`build_cache`).
fn codegen_options(loaded: &Loaded, emit_clif: bool) -> g2n_codegen::CodegenOptions {
    g2n_codegen::CodegenOptions { emit_clif, sources: Some(loaded.db.clone()), function_cache: crate::build_cache::function_cache() }
}

/// Gives every file of `db` its absolute path, cleaned, as Go's panic
/// traces name files (`/tmp/x/main.go:7`): a path given relative is made
/// absolute against the current directory, once, when the files are
/// loaded. Diagnostics keep the path as the user gave it.
fn set_absolute_paths(db: &mut SourceDb) {
    let paths: Vec<(FileId, String)> =
        db.files().map(|(id, file)| (id, std::path::absolute(&file.name).map_or_else(|_| file.name.clone(), |p| clean(&p).display().to_string()))).collect();
    for (id, path) in paths {
        db.set_path(id, path);
    }
}

/// `path` without `.` components and with `dir/..` pairs folded, as Go's
/// filepath.Clean leaves it (the path's text only: symbolic links are not
/// followed, as Go does not follow them for its traces either).
fn clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// With `-v`, how much of a unit's library code came from the build cache
/// (nothing for a unit that reaches no library function).
fn note_cache_use(progress: &Progress, unit: &str, options: &g2n_codegen::CodegenOptions, compiled: &Result<g2n_codegen::CompiledUnit, g2n_codegen::CodegenError>) {
    if let (Ok(compiled), Some(_)) = (compiled, &options.function_cache) {
        let used = compiled.cache_use;
        if used.functions > 0 {
            progress.note(&format!("{unit}: {} of {} library functions from the build cache", used.from_cache, used.functions));
            progress.note(&format!("{unit}: {} library functions taken from the build cache without lowering", used.not_lowered));
        }
    }
}

/// With `--timings`, code generation's phases (summed over nanoservices).
fn record_codegen(compiled: &Result<g2n_codegen::CompiledUnit, g2n_codegen::CodegenError>) {
    let Ok(compiled) = compiled else { return };
    let phases = compiled.phases;
    let used = compiled.cache_use;
    timings::record("lower to Cranelift IR", phases.lower, String::new());
    let cached = if used.functions > 0 {
        format!("{} of {} library functions from the build cache, {} of them not lowered", used.from_cache, used.functions, used.not_lowered)
    } else {
        String::new()
    };
    timings::record("compile to machine code", phases.compile, cached);
    timings::record("emit the object", phases.emit, format!("{} bytes", compiled.object.len()));
}

/// A split program's nanoservices share one object and one executable,
/// which picks its nanoservice by its file name (docs/split.md): compiled
/// and linked once, then written under every nanoservice's name.
#[allow(clippy::too_many_arguments)]
fn build_split_plan(
    loaded: &Loaded,
    plan: &MeshPlan,
    out: &Path,
    emit_clif: bool,
    runtime: &Path,
    for_run: bool,
    engine: link::Engine,
    progress: &Progress,
) -> Result<Vec<BuiltUnit>, Failed> {
    let fail = |message: String| {
        eprintln!("error: {message}");
        Failed
    };
    let what = format!("generated code of the split program ({} nanoservices)", plan.units.len());
    let options = codegen_options(loaded, emit_clif);
    let compiled = progress.stage(&what, || g2n_codegen::compile_split(plan, &options));
    note_cache_use(progress, &plan.units[plan.entry].name, &options, &compiled);
    record_codegen(&compiled);
    let compiled = compiled.map_err(|e| {
        print_diagnostics(&loaded.db, [&e as &dyn miette::Diagnostic]);
        Failed
    })?;
    let mut built: Vec<BuiltUnit> = Vec::new();
    for unit in &plan.units {
        let dir = name_path(out, &unit.name, "").map_err(fail)?;
        let object = dir.join(format!("{}.o", unit.name));
        let executable = dir.join(&unit.name);
        match built.first() {
            None => {
                std::fs::create_dir_all(&dir).map_err(|e| fail(format!("cannot create {}: {e}", dir.display())))?;
                timings::time("write the object", || std::fs::write(&object, &compiled.object))
                    .map_err(|e| fail(format!("cannot write {}: {e}", object.display())))?;
                if let Some(clif) = &compiled.clif {
                    let path = dir.join(format!("{}.clif", unit.name));
                    std::fs::write(&path, clif).map_err(|e| fail(format!("cannot write {}: {e}", path.display())))?;
                }
                timings::time("link", || progress.stage("linked the split program", || link::link(&object, runtime, &executable, engine)))
                    .map_err(fail)?;
            }
            Some(first) if for_run => {
                built.push(BuiltUnit { name: unit.name.clone(), executable: first.executable.clone(), object: first.object.clone() });
                continue;
            }
            Some(first) => {
                std::fs::create_dir_all(&dir).map_err(|e| fail(format!("cannot create {}: {e}", dir.display())))?;
                // The same object and executable under every name: hard
                // links (copies where links are impossible), not rewrites,
                // so a per-line split of a long program stays small.
                link_or_copy(&first.object, &object).map_err(fail)?;
                link_or_copy(&first.executable, &executable).map_err(fail)?;
                if let Some(clif) = &compiled.clif {
                    let path = dir.join(format!("{}.clif", unit.name));
                    std::fs::write(&path, clif).map_err(|e| fail(format!("cannot write {}: {e}", path.display())))?;
                }
            }
        }
        built.push(BuiltUnit { name: unit.name.clone(), executable, object });
    }
    if !for_run {
        progress.stage("wrote the manifests", || crate::mesh::write_manifests(loaded, plan, &built, out)).map_err(fail)?;
    }
    Ok(built)
}

/// Whether `plan` is a mesh of several separately compiled configs, which
/// [`build_one_host`] can link into one executable.
pub fn is_config_mesh(plan: &MeshPlan) -> bool {
    plan.units.len() > 1 && plan.units.iter().all(|u| !u.whole_program)
}

/// Builds every config of a mesh of separate configs into one executable,
/// `out/NAME` (NAME: the entry's), that hosts them all (docs/split.md,
/// "Meshes of configs on one host"): each config is checked and compiled on
/// its own, as for its own executable, with its symbols under a prefix of
/// its own, into one object with a table of every config; one link. Every
/// `BuiltUnit` names that executable, which runs as the nanoservice its
/// file is named after (else as the entry), as a split program's does.
pub fn build_one_host(
    loaded: &Loaded,
    plan: &MeshPlan,
    out: &Path,
    emit_clif: bool,
    engine: link::Engine,
    progress: &Progress,
) -> Result<Vec<BuiltUnit>, Failed> {
    let fail = |message: String| {
        eprintln!("error: {message}");
        Failed
    };
    let runtime = link::find_runtime_for(engine).map_err(fail)?;
    let entry = &plan.units[plan.entry].name;
    let what = format!("generated code of {} configs for one host", plan.units.len());
    let compiled = timings::time("generate code (every config)", || {
        progress.stage(&what, || {
            let mut object = g2n_codegen::MeshObject::new(entry, &codegen_options(loaded, emit_clif))?;
            for unit in &plan.units {
                object.add(unit)?;
            }
            object.finish(plan.entry)
        })
    });
    let (object_bytes, clif) = compiled.map_err(|e| {
        print_diagnostics(&loaded.db, [&e as &dyn miette::Diagnostic]);
        Failed
    })?;
    std::fs::create_dir_all(out).map_err(|e| fail(format!("cannot create {}: {e}", out.display())))?;
    let object = name_path(out, entry, ".o").map_err(fail)?;
    std::fs::write(&object, &object_bytes).map_err(|e| fail(format!("cannot write {}: {e}", object.display())))?;
    if let Some(clif) = clif {
        let path = name_path(out, entry, ".clif").map_err(fail)?;
        std::fs::write(&path, clif).map_err(|e| fail(format!("cannot write {}: {e}", path.display())))?;
    }
    let executable = name_path(out, entry, "").map_err(fail)?;
    timings::time("link", || progress.stage("linked the configs into one executable", || link::link(&object, &runtime, &executable, engine)))
        .map_err(fail)?;
    Ok(plan.units.iter().map(|u| BuiltUnit { name: u.name.clone(), executable: executable.clone(), object: object.clone() }).collect())
}

/// `dir/NAME+suffix` for a nanoservice name. Names are checked where they
/// enter (`g2n_base::check_nanoservice_name`); this checks again, as defence
/// in depth, that a path built from a name is one plain component inside
/// `dir`, whatever let the name through.
pub fn name_path(dir: &Path, name: &str, suffix: &str) -> Result<PathBuf, String> {
    g2n_base::check_nanoservice_name(name).map_err(|reason| format!("invalid nanoservice name '{}': {reason}", name.escape_debug()))?;
    let file = format!("{name}{suffix}");
    let mut components = Path::new(&file).components();
    match (components.next(), components.next()) {
        (Some(std::path::Component::Normal(_)), None) => Ok(dir.join(file)),
        _ => Err(format!("nanoservice name '{}' would make a path outside {}", name.escape_debug(), dir.display())),
    }
}

/// `to` becomes a hard link to `from`, or a copy where links are impossible.
pub fn link_or_copy(from: &Path, to: &Path) -> Result<(), String> {
    let _ = std::fs::remove_file(to);
    if std::fs::hard_link(from, to).is_err() {
        std::fs::copy(from, to).map_err(|e| format!("cannot write {}: {e}", to.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::name_path;
    use std::path::Path;

    #[test]
    fn paths_from_names_stay_in_their_directory() {
        let out = Path::new("out");
        assert_eq!(name_path(out, "hello", ".yaml"), Ok(out.join("hello.yaml")));
        assert_eq!(name_path(out, "line-3", ""), Ok(out.join("line-3")));
        for bad in ["../../escaped", "..", ".", "", "a/b", "/abs", "Worker Node"] {
            assert!(name_path(out, bad, "").is_err(), "{bad:?}");
            assert!(name_path(out, bad, ".yaml").is_err(), "{bad:?}");
        }
    }
}
