//! `g2n split`: writes one nanoservice config per nanoservice of a split
//! program (docs/split.md).

use crate::driver::{self, Failed, SplitMode};
use g2n_manifest::config::{self, EndpointOut, NanoserviceConfigOut, Secret};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::program_merge;

/// The environment variable that split configs name as every target's
/// password; `g2n run` of the configs needs it set.
pub const PASSWORD_ENV: &str = "G2N_SPLIT_PASSWORD";

pub fn split(files: &[PathBuf], out: &Path, per_line: bool) -> i32 {
    match split_inner(files, out, per_line) {
        Ok(()) => 0,
        Err(Failed) => 1,
    }
}

fn split_inner(files: &[PathBuf], out: &Path, per_line: bool) -> Result<(), Failed> {
    let fail = |message: String| {
        eprintln!("error: {message}");
        Failed
    };
    if let Some(file) = files.iter().find(|f| driver_is_yaml(f)) {
        return Err(fail(format!("{} is a nanoservice config; g2n split takes a Go program", file.display())));
    }
    let mode = if per_line { SplitMode::PerLine } else { SplitMode::Block };
    // The program as the other commands read it: diagnostics point into
    // its files, and several files or a directory are one program.
    let loaded = driver::load_split(files, mode)?;
    let program = &loaded.units[0];
    let (loaded, source) = if program.other_files.is_empty() {
        let source = program.path.file_name().and_then(|n| n.to_str()).unwrap_or("main.go").to_string();
        (loaded, source)
    } else {
        // A config holds one Go text: the files are merged into one and the
        // merged program is split, so that the resume points the configs
        // name are those of the code they hold.
        let mut paths = vec![program.path.clone()];
        paths.extend(program.other_files.iter().map(|(p, _)| p.clone()));
        let texts: Vec<(String, String)> = paths.iter().map(|p| (p.display().to_string(), loaded.db.code(file_of(&loaded, p)).to_string())).collect();
        let merged = program_merge::merge(&texts).map_err(fail)?;
        let dir = std::env::temp_dir().join(format!("g2n-split-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| fail(format!("cannot create {}: {e}", dir.display())))?;
        let merged_path = dir.join(format!("{}.go", program.name));
        std::fs::write(&merged_path, merged).map_err(|e| fail(format!("cannot write {}: {e}", merged_path.display())))?;
        let program_dir = program.path.parent().map(|p| if p.as_os_str().is_empty() { Path::new(".") } else { p });
        let reloaded = driver::load_split_in(std::slice::from_ref(&merged_path), SplitMode::Block, program_dir);
        let _ = std::fs::remove_dir_all(&dir);
        let source = paths.iter().map(|p| manifest_path(p)).collect::<Vec<_>>().join(", ");
        (reloaded?, source)
    };
    let plan = driver::analyse(&loaded)?;
    let code = loaded.db.code(loaded.units[0].file).to_string();
    std::fs::create_dir_all(out).map_err(|e| fail(format!("cannot create {}: {e}", out.display())))?;
    if let Some(module) = &loaded.module {
        // The configs import the module's packages: `g2n build OUT` finds
        // them through the go.mod above OUT, as it does for the program.
        let imports_module = loaded.asts.iter().flat_map(|f| &f.imports).any(|i| module.package_dir(&i.path).is_some());
        let inside = out.canonicalize().is_ok_and(|o| o.starts_with(&module.dir));
        if imports_module && !inside {
            return Err(fail(format!(
                "the program imports packages of module {} ({}): write its configs inside the module's directory (-o {}/...), where g2n build and g2n run find those packages",
                module.path,
                module.dir.join("go.mod").display(),
                module.dir.display()
            )));
        }
    }
    for (index, unit) in plan.units.iter().enumerate() {
        let mut go_to_networks = BTreeMap::new();
        for exit in &unit.exits {
            go_to_networks.insert(
                exit.target.clone(),
                EndpointOut {
                    host: Some("127.0.0.1".to_string()),
                    port: None,
                    username: Some(unit.name.clone()),
                    password: Some(Secret::Env(PASSWORD_ENV.to_string())),
                },
            );
        }
        let config = NanoserviceConfigOut {
            name: unit.name.clone(),
            description: Some(format!(
                "nanoservice of {source}; it holds the whole program and runs it from its resume points until the next goToNetwork"
            )),
            entry: index == plan.entry,
            source: Some(source.clone()),
            resume_points: unit.entries.iter().map(|e| e.resume_point).collect(),
            code: code.clone(),
            go_to_networks,
        };
        let path = driver::name_path(out, &unit.name, ".yaml").map_err(fail)?;
        std::fs::write(&path, config::write(&config)).map_err(|e| fail(format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(())
}

/// The file of `path` among the loaded program's files.
fn file_of(loaded: &driver::Loaded, path: &Path) -> g2n_base::FileId {
    let unit = &loaded.units[0];
    unit.other_files.iter().find(|(p, _)| p == path).map_or(unit.file, |(_, f)| *f)
}

/// A path as configs record it: `/` separators.
fn manifest_path(path: &Path) -> String {
    path.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/")
}

fn driver_is_yaml(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
}
