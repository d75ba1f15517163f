//! `g2n split`: writes one nanoservice config per nanoservice of a split
//! program (docs/split.md).

use crate::driver::{self, Failed, SplitMode};
use g2n_manifest::config::{self, EndpointOut, NanoserviceConfigOut, Secret};
use std::collections::BTreeMap;
use std::path::Path;

/// The environment variable that split configs name as every target's
/// password; `g2n run` of the configs needs it set.
pub const PASSWORD_ENV: &str = "G2N_SPLIT_PASSWORD";

pub fn split(file: &Path, out: &Path, per_line: bool) -> i32 {
    match split_inner(file, out, per_line) {
        Ok(()) => 0,
        Err(Failed) => 1,
    }
}

fn split_inner(file: &Path, out: &Path, per_line: bool) -> Result<(), Failed> {
    let fail = |message: String| {
        eprintln!("error: {message}");
        Failed
    };
    if driver_is_yaml(file) {
        return Err(fail(format!("{} is a nanoservice config; g2n split takes a Go program", file.display())));
    }
    let mode = if per_line { SplitMode::PerLine } else { SplitMode::Block };
    let loaded = driver::load_split(&[file.to_path_buf()], mode)?;
    let plan = driver::analyse(&loaded)?;
    let code = loaded.db.code(loaded.units[0].file).to_string();
    let source = file.file_name().and_then(|n| n.to_str()).unwrap_or("main.go").to_string();
    std::fs::create_dir_all(out).map_err(|e| fail(format!("cannot create {}: {e}", out.display())))?;
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

fn driver_is_yaml(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
}
