//! `g2n build`: where its output goes. A program of one nanoservice built
//! with `-o FILE` is one executable at FILE, as `go build -o` writes it, and
//! so is a directory of Go files built without `-o` (named after the
//! package, as `go build .` names it); everything else (a mesh, a split
//! program, `-o DIR/`, an existing directory, Go files named one by one
//! without `-o`) is an output directory with one folder per nanoservice and
//! the manifests. A directory that an earlier build wrote
//! loses the nanoservice folders of that build which this one no longer has.

use crate::driver::{self, BuiltUnit, Failed, Loaded};
use crate::link;
use crate::progress::Progress;
use g2n_split::MeshPlan;
use std::path::{Path, PathBuf};

/// The output directory when `-o` is not given.
const DEFAULT_OUT: &str = "out";

pub fn build(paths: &[PathBuf], out: Option<&Path>, emit_clif: bool, engine: link::Engine, verbose: bool) -> i32 {
    let progress = Progress::new(verbose);
    let result = progress.stage("loaded and parsed the inputs", || driver::load(paths)).and_then(|loaded| {
        let plan = progress.stage("analysed the program", || driver::analyse(&loaded))?;
        let named_after_package = match out {
            None => package_executable(paths, &loaded, &plan)?,
            Some(_) => None,
        };
        match out.filter(|out| names_a_file(out, &plan)).or(named_after_package.as_deref()) {
            Some(file) => build_executable(&loaded, &plan, file, emit_clif, engine, &progress),
            None => build_directory(&loaded, &plan, out.unwrap_or(Path::new(DEFAULT_OUT)), emit_clif, engine, &progress),
        }
    });
    progress.finish();
    match result {
        Ok(()) => 0,
        Err(Failed) => 1,
    }
}

/// `g2n build --one-host`: a mesh of separate configs as one executable
/// (`driver::build_one_host`), written to `out` or to the entry's name.
pub fn build_one_host(paths: &[PathBuf], out: Option<&Path>, emit_clif: bool, engine: link::Engine, verbose: bool) -> i32 {
    let progress = Progress::new(verbose);
    let result = progress.stage("loaded and parsed the inputs", || driver::load(paths)).and_then(|loaded| {
        let plan = progress.stage("analysed the program", || driver::analyse(&loaded))?;
        if !driver::is_config_mesh(&plan) {
            eprintln!("error: --one-host builds a mesh of several nanoservice configs; build a single program without it");
            return Err(Failed);
        }
        let entry = &plan.units[plan.entry].name;
        let file = match out {
            Some(out) => out.to_path_buf(),
            None => driver::name_path(Path::new("."), entry, "").map_err(|message| {
                eprintln!("error: {message}");
                Failed
            })?,
        };
        let parent = file.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let scratch = parent.join(format!(".{name}.g2n-build-{}", std::process::id()));
        let result = driver::build_one_host(&loaded, &plan, &scratch, emit_clif, engine, &progress).and_then(|built| {
            let executable = &built[plan.entry].executable;
            std::fs::rename(executable, &file).map_err(|e| {
                eprintln!("error: cannot write {}: {e}", file.display());
                Failed
            })?;
            if emit_clif {
                let clif = executable.with_file_name(format!("{entry}.clif"));
                let _ = std::fs::rename(&clif, file.with_file_name(format!("{name}.clif")));
            }
            Ok(())
        });
        let _ = std::fs::remove_dir_all(&scratch);
        result
    });
    progress.finish();
    match result {
        Ok(()) => 0,
        Err(Failed) => 1,
    }
}

/// Without `-o`, a directory of Go files that is one nanoservice (no
/// goToNetwork) is built as `go build` builds a package: one executable in
/// the current directory named after the package's import path (its
/// module's, the directory's below it) or, outside a module, after the
/// directory. Configs and split programs are written to `out/`. An error
/// when a directory has that name, as go build's.
fn package_executable(paths: &[PathBuf], loaded: &Loaded, plan: &MeshPlan) -> Result<Option<PathBuf>, Failed> {
    let is_package = paths.len() == 1 && paths[0].is_dir() && loaded.units.len() == 1 && loaded.units[0].config.is_none();
    if !is_package || plan.units.len() != 1 {
        return Ok(None);
    }
    let name = match &loaded.module {
        Some(module) => exec_name(&module.program_path).to_string(),
        None => loaded.units[0].name.clone(),
    };
    let file = PathBuf::from(&name);
    if file.is_dir() {
        eprintln!("error: build output \"{name}\" already exists and is a directory (give -o FILE, or -o DIR/ for the nanoservice folder and manifests)");
        return Err(Failed);
    }
    Ok(Some(file))
}

/// go build's executable name for import path `path`: its last element,
/// or the one before a major version suffix (`example.com/tool/v2` is
/// `tool`).
fn exec_name(path: &str) -> &str {
    let mut elements = path.rsplit('/');
    let last = elements.next().unwrap_or(path);
    let is_major_version = last.len() > 1 && last.starts_with('v') && last[1..].bytes().all(|b| b.is_ascii_digit()) && !last[1..].starts_with('0');
    match elements.next() {
        Some(before) if is_major_version && last != "v1" => before,
        _ => last,
    }
}

/// `-o PATH` names the executable itself: the program is one nanoservice,
/// and PATH is neither an existing directory nor written as one (`out/`).
fn names_a_file(out: &Path, plan: &MeshPlan) -> bool {
    let written_as_directory = out.as_os_str().to_string_lossy().ends_with(std::path::is_separator);
    plan.units.len() == 1 && !out.is_dir() && !written_as_directory
}

/// Builds the one nanoservice in a scratch directory beside `file`, then
/// moves its executable (and, with `--emit clif`, its IR as FILE.clif) there.
fn build_executable(loaded: &Loaded, plan: &MeshPlan, file: &Path, emit_clif: bool, engine: link::Engine, progress: &Progress) -> Result<(), Failed> {
    let fail = |message: String| {
        eprintln!("error: {message}");
        Failed
    };
    let name = file.file_name().ok_or_else(|| fail(format!("-o {}: not a file name", file.display())))?;
    let parent = file.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| fail(format!("cannot create {}: {e}", parent.display())))?;
    let scratch = parent.join(format!(".{}.g2n-build-{}", name.to_string_lossy(), std::process::id()));
    let result = driver::build_plan_for(loaded, plan, &scratch, emit_clif, true, engine, progress).and_then(|built| {
        let BuiltUnit { executable, name: unit, .. } = built.first().ok_or_else(|| fail("nothing was built".to_string()))?;
        std::fs::rename(executable, file).map_err(|e| fail(format!("cannot write {}: {e}", file.display())))?;
        if emit_clif {
            let clif = executable.with_file_name(format!("{unit}.clif"));
            let target = file.with_file_name(format!("{}.clif", name.to_string_lossy()));
            std::fs::rename(&clif, &target).map_err(|e| fail(format!("cannot write {}: {e}", target.display())))?;
        }
        Ok(())
    });
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

fn build_directory(loaded: &Loaded, plan: &MeshPlan, out: &Path, emit_clif: bool, engine: link::Engine, progress: &Progress) -> Result<(), Failed> {
    let stale = stale_folders(out, plan);
    driver::build_plan_for(loaded, plan, out, emit_clif, false, engine, progress)?;
    remove_stale(&stale);
    Ok(())
}

/// Removes the folders of [`stale_folders`]: called once the new build is
/// complete, so a failed build leaves the old output as it was.
pub fn remove_stale(stale: &[PathBuf]) {
    for folder in stale {
        if let Err(e) = std::fs::remove_dir_all(folder) {
            eprintln!("warning: cannot remove {}, left from an earlier build: {e}", folder.display());
        }
    }
}

/// The nanoservice folders that the build recorded in `out/mesh.yaml` wrote
/// and that `plan` does not have.
pub fn stale_folders(out: &Path, plan: &MeshPlan) -> Vec<PathBuf> {
    let Ok(text) = std::fs::read_to_string(out.join("mesh.yaml")) else { return Vec::new() };
    let Ok(mesh) = g2n_manifest::manifest::MeshManifest::from_yaml(&text) else { return Vec::new() };
    mesh.nanoservices
        .iter()
        .filter(|old| !plan.units.iter().any(|u| u.name == old.name))
        .filter_map(|old| driver::name_path(out, &old.name, "").ok())
        .filter(|folder| folder.is_dir())
        .collect()
}
