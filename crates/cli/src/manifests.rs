//! Conversion of the analysed mesh and the build's artifacts into the
//! manifest types of `g2n-manifest`, done by hand so that the written format
//! never changes by accident when an internal type does.

use crate::driver::{BuiltUnit, Loaded};
use g2n_manifest::manifest::{
    Artifact, Artifacts, CapturedVar, Edge, Exit, MeshManifest, MeshUnit, ResumePoint, SentVar, SourceFile, SourceRef, UnitManifest,
};
use g2n_manifest::sha256_hex;
use g2n_split::MeshPlan;
use std::path::Path;

fn generated_by() -> String {
    format!("g2n {}", env!("CARGO_PKG_VERSION"))
}

/// A path relative to `base` with `/` separators, as manifests record paths.
fn relative(path: &Path, base: &Path) -> String {
    let relative = path.strip_prefix(base).unwrap_or(path);
    relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/")
}

/// The source path a manifest records: relative (the schema requires it), with
/// `/` separators. An absolute input is written relative to the current
/// directory, with `..` steps when it lies outside it.
fn source_path(path: &Path) -> String {
    let joined = |components: Vec<String>| components.join("/");
    if path.is_relative() {
        return joined(path.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect());
    }
    let Ok(cwd) = std::env::current_dir() else {
        return joined(path.components().skip(1).map(|c| c.as_os_str().to_string_lossy().into_owned()).collect());
    };
    let target: Vec<_> = path.components().collect();
    let base: Vec<_> = cwd.components().collect();
    let common = target.iter().zip(&base).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = std::iter::repeat_n("..".to_string(), base.len() - common).collect();
    parts.extend(target[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    joined(parts)
}

fn artifact(path: &Path, out: &Path) -> Result<Artifact, String> {
    // The nanoservices of a split program share one executable (hard links
    // of one file): hash each file once.
    thread_local! {
        static HASHES: std::cell::RefCell<std::collections::HashMap<(u64, u64, u64), String>> = Default::default();
    }
    #[cfg(unix)]
    let key = {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().filter(|m| m.nlink() > 1).map(|m| (m.dev(), m.ino(), m.mtime() as u64))
    };
    #[cfg(not(unix))]
    let key: Option<(u64, u64, u64)> = None;
    if let Some(hash) = key.and_then(|k| HASHES.with(|h| h.borrow().get(&k).cloned())) {
        return Ok(Artifact { path: relative(path, out), sha256: hash });
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let sha256 = format!("sha256:{}", sha256_hex(&bytes));
    if let Some(k) = key {
        HASHES.with(|h| h.borrow_mut().insert(k, sha256.clone()));
    }
    Ok(Artifact { path: relative(path, out), sha256 })
}

/// The unit's Go code with trailing blanks removed from every line, so the
/// hash does not depend on how a YAML config indents its items.
fn normalized_code(code: &str) -> String {
    let lines: Vec<&str> = code.lines().map(|l| l.trim_end()).collect();
    lines.join("\n").trim().to_string()
}

/// The first and last line of `code` that are not blank (1-based).
fn code_lines(code: &str) -> Option<(u32, u32)> {
    let first = code.lines().position(|l| !l.trim().is_empty()).map(|p| p as u32 + 1);
    let last = code.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).last().map(|(p, _)| p as u32 + 1);
    first.zip(last)
}

pub fn write(loaded: &Loaded, plan: &MeshPlan, built: &[BuiltUnit], out: &Path) -> Result<(), String> {
    let mut mesh_units = Vec::new();
    let mut edges = Vec::new();
    for (index, unit) in plan.units.iter().enumerate() {
        // The nanoservices of a split program all come from its one input.
        let loaded_unit = loaded
            .units
            .iter()
            .find(|u| u.name == unit.name)
            .or_else(|| if unit.whole_program { loaded.units.first() } else { None })
            .ok_or_else(|| format!("no input for nanoservice {}", unit.name))?;
        let code = loaded.db.code(loaded_unit.file);
        // Every file of a program of several files counts: a change in any
        // of them changes the unit.
        let mut hashed = normalized_code(code);
        for (_, file) in &loaded_unit.other_files {
            hashed.push_str("\n\0\n");
            hashed.push_str(&normalized_code(loaded.db.code(*file)));
        }
        // The upstream declarations merged into the unit (a type it
        // receives, that type's methods, ...) are compiled into it as its
        // own code is: a changed method body upstream changes this unit too.
        for span in &unit.upstream_decls {
            let text = loaded.db.code(span.file);
            hashed.push_str("\n\0upstream\0\n");
            hashed.push_str(&normalized_code(text.get(span.start as usize..span.end as usize).unwrap_or_default()));
        }
        let content_hash = format!("sha256:{}", sha256_hex(hashed.as_bytes()));
        let line_of = |span: g2n_base::Span| loaded.db.line_col(span.file, span.start).0;
        let built_unit = built.iter().find(|b| b.name == unit.name).ok_or_else(|| format!("{} was not built", unit.name))?;
        let manifest = UnitManifest {
            generated_by: generated_by(),
            abi_version: g2n_abi::ABI_VERSION,
            name: unit.name.clone(),
            content_hash: content_hash.clone(),
            source: SourceRef {
                path: source_path(&loaded_unit.path),
                lines: code_lines(code),
                other_files: loaded_unit
                    .other_files
                    .iter()
                    .map(|(path, file)| SourceFile { path: source_path(path), lines: code_lines(loaded.db.code(*file)) })
                    .collect(),
            },
            entry: index == plan.entry,
            resume_points: unit
                .entries
                .iter()
                .map(|entry| ResumePoint {
                    id: entry.resume_point,
                    // A split program resumes after the hop on this line.
                    line: entry.resume_after.and_then(|site| unit.program.hops.get(site as usize)).map(|hop| line_of(hop.span)),
                    captured: entry
                        .vars
                        .iter()
                        .map(|v| CapturedVar { name: v.name.clone(), go_type: v.go_type.clone(), provided_by: v.provided_by.clone() })
                        .collect(),
                })
                .collect(),
            exits: unit
                .exits
                .iter()
                .map(|exit| Exit {
                    index: exit.index,
                    target: exit.target.clone(),
                    resume_point: exit.resume_point,
                    line: line_of(exit.span),
                    sends: exit.vars.iter().map(|v| SentVar { name: v.name.clone(), go_type: v.go_type.clone() }).collect(),
                })
                .collect(),
            types: crate::manifest_types::declared_types(unit),
            artifacts: Artifacts {
                object: artifact(&built_unit.object, out)?,
                executable: Some(artifact(&built_unit.executable, out)?),
            },
        };
        let dir = crate::driver::name_path(out, &unit.name, "")?;
        let manifest_path = dir.join("manifest.yaml");
        std::fs::write(&manifest_path, manifest.to_yaml()).map_err(|e| format!("cannot write {}: {e}", manifest_path.display()))?;
        mesh_units.push(MeshUnit { name: unit.name.clone(), manifest: relative(&manifest_path, out), content_hash });
        for exit in &unit.exits {
            edges.push(Edge {
                from: unit.name.clone(),
                to: exit.target.clone(),
                resume_point: exit.resume_point,
                vars: exit.vars.iter().map(|v| SentVar { name: v.name.clone(), go_type: v.go_type.clone() }).collect(),
            });
        }
    }
    mesh_units.sort_by(|a, b| a.name.cmp(&b.name));
    edges.sort_by(|a, b| (&a.from, &a.to, a.resume_point).cmp(&(&b.from, &b.to, b.resume_point)));
    let mesh = MeshManifest {
        generated_by: generated_by(),
        abi_version: g2n_abi::ABI_VERSION,
        entry: plan.units[plan.entry].name.clone(),
        nanoservices: mesh_units,
        edges,
    };
    let mesh_path = out.join("mesh.yaml");
    std::fs::write(&mesh_path, mesh.to_yaml()).map_err(|e| format!("cannot write {}: {e}", mesh_path.display()))
}
