//! Meshes of separate nanoservice configs passing values of every kind
//! (issue 16): each folder of `tests/mesh_types/` is a chain of configs
//! (`*.yaml`, visited in file-name order) and `merged.go`, the same code
//! merged into one `main` by `scripts/merge-mesh`; `merged.stdout` is what
//! `go run merged.go` printed with Go 1.19 (written by `scripts/merge-mesh
//! DIR --run`, never by hand). `g2n run` of the configs must print exactly
//! that, on one host, on two hosts and with a process per nanoservice (every
//! hop over a socket, every graph encoded, checked and decoded), and over
//! NATS. `conflicts/` holds meshes that must be rejected, with their
//! diagnostics as goldens (`G2N_BLESS=1` rewrites them).

#[path = "support/golden.rs"]
#[allow(dead_code)] // the `// clif:` directives are codegen's
mod golden;

#[path = "support/bounded.rs"]
mod bounded;

use bounded::output_within;
use g2n_testkit::Nats;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

fn g2n() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_g2n"));
    command.current_dir(repo_root()).env_remove("G2N_RUNTIME");
    command
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The meshes that run: every folder with a `merged.stdout`, sorted.
fn meshes() -> Vec<PathBuf> {
    let dir = repo_root().join("tests/mesh_types");
    let mut meshes: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/mesh_types")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("merged.stdout").is_file())
        .collect();
    meshes.sort();
    assert!(meshes.len() >= 8, "the value meshes are missing from {}", dir.display());
    meshes
}

/// The configs of a mesh, relative to the repository root, in flow order.
fn configs(mesh: &Path) -> Vec<String> {
    let root = repo_root();
    let mut configs: Vec<String> = std::fs::read_dir(mesh)
        .expect("mesh dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| p.strip_prefix(&root).unwrap_or(&p).to_string_lossy().into_owned())
        .collect();
    configs.sort();
    configs
}

fn expected(mesh: &Path) -> String {
    std::fs::read_to_string(mesh.join("merged.stdout")).expect("merged.stdout, from go run")
}

/// `g2n run ARGS CONFIGS` of every mesh prints what Go printed.
fn every_mesh_prints_what_go_prints(args: &[&str]) {
    let mut failures = Vec::new();
    for mesh in meshes() {
        let mut run = g2n();
        run.arg("run").args(args).args(configs(&mesh));
        let out = output_within(run, Duration::from_secs(120));
        let stdout = text(&out.stdout);
        if out.status.code() != Some(0) || stdout != expected(&mesh) {
            failures.push(format!(
                "{} {args:?}: exit {:?}\n--- stdout\n{stdout}\n--- expected\n{}\n--- stderr\n{}",
                mesh.display(),
                out.status.code(),
                expected(&mesh),
                text(&out.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_kind_of_value_travels_on_one_host() {
    every_mesh_prints_what_go_prints(&[]);
}

#[test]
fn every_kind_of_value_travels_between_processes() {
    every_mesh_prints_what_go_prints(&["--process-per-service"]);
}

#[test]
fn every_kind_of_value_travels_between_two_hosts() {
    every_mesh_prints_what_go_prints(&["--hosts", "2"]);
}

/// Over the NATS engine, the meshes whose graphs carry the most (sharing,
/// a cycle, dynamic types, func values, an upstream type with methods).
#[test]
fn every_kind_of_value_travels_over_nats() {
    let nats = Nats::single();
    for name in ["pointers", "cycle", "interfaces", "func_values", "upstream_methods"] {
        let mesh = repo_root().join("tests/mesh_types").join(name);
        let mut run = g2n();
        run.args(["run", "--engine", "nats", "--nats", &nats.urls()]).args(configs(&mesh));
        let out = output_within(run, Duration::from_secs(120));
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout), expected(&mesh), "{name}");
    }
}

/// Each folder of `conflicts/` is a mesh that `g2n check` rejects: a type
/// declared differently by two configs, two upstream configs sending one
/// variable with different types. The diagnostic names both configs and
/// shows both spans (its golden is `conflicts/NAME.stderr`).
#[test]
fn conflicting_declarations_are_rejected_with_both_spans() {
    let dir = repo_root().join("tests/mesh_types/conflicts");
    let mut cases = Vec::new();
    let mut folders: Vec<PathBuf> =
        std::fs::read_dir(&dir).expect("conflicts").filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_dir()).collect();
    folders.sort();
    assert!(folders.len() >= 2);
    for folder in folders {
        let mut check = g2n();
        check.arg("check").args(configs(&folder));
        let out = output_within(check, Duration::from_secs(60));
        assert_eq!(out.status.code(), Some(1), "{}: {}", folder.display(), text(&out.stderr));
        let stderr = text(&out.stderr);
        // Both configs of the conflict are quoted, each at its own line.
        assert_eq!(stderr.matches("╭─[tests/mesh_types/conflicts/").count(), 2, "{stderr}");
        cases.push((folder.with_extension("stderr"), stderr));
    }
    golden::check_goldens(&dir, "stderr", &cases);
}

/// Each folder of `closures/` is a mesh whose hop may send a function
/// literal or a method value made in the sending config, whose code the
/// receiving config does not have (crates/split/src/closures.rs): `g2n
/// check` refuses it (exit 1) at the closure and at the hop, instead of a
/// handoff that the receiving runtime refuses. Goldens: `closures/NAME.stderr`.
#[test]
fn closures_that_would_travel_between_configs_are_refused_at_the_closure() {
    let dir = repo_root().join("tests/mesh_types/closures");
    let mut folders: Vec<PathBuf> =
        std::fs::read_dir(&dir).expect("closures").filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_dir()).collect();
    folders.sort();
    assert!(folders.len() >= 3);
    let mut cases = Vec::new();
    for folder in folders {
        let mut check = g2n();
        check.arg("check").args(configs(&folder));
        let out = output_within(check, Duration::from_secs(60));
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{}: {stderr}", folder.display());
        assert!(stderr.contains("g2n::split::closure_between_configs"), "{stderr}");
        assert!(stderr.contains("this closure") && stderr.contains("may be sent to 'use' here"), "{stderr}");
        cases.push((folder.with_extension("stderr"), stderr));
    }
    golden::check_goldens(&dir, "stderr", &cases);
}

/// `g2n manifest diff` judges a replaced config by its types: the same
/// variable names with a changed type declaration is an incompatible
/// replacement, for the config that declares it and for those downstream.
#[test]
fn manifest_diff_sees_a_changed_upstream_type() {
    let temp = std::env::temp_dir().join(format!("g2n-mesh-types-diff-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&temp);
    let mesh = repo_root().join("tests/mesh_types/upstream_methods");
    let changed = temp.join("changed");
    std::fs::create_dir_all(&changed).expect("temp dir");
    for config in configs(&mesh) {
        let from = repo_root().join(&config);
        let code = std::fs::read_to_string(&from).expect("config");
        // The same names, the fields in another order: a Vec sent by the
        // old config would be read the wrong way round by the new one.
        let code = code.replace("type Vec struct{ X, Y int }", "type Vec struct{ Y, X int }");
        std::fs::write(changed.join(from.file_name().expect("name")), code).expect("write config");
    }
    let build = |configs: Vec<String>, out: &Path| {
        let mut build = g2n();
        build.arg("build").args(configs).arg("-o").arg(out);
        let result = output_within(build, Duration::from_secs(120));
        assert_eq!(result.status.code(), Some(0), "{}", text(&result.stderr));
    };
    build(configs(&mesh), &temp.join("old"));
    let changed_configs: Vec<String> =
        configs(&changed).into_iter().map(|c| changed.join(Path::new(&c).file_name().expect("name")).to_string_lossy().into_owned()).collect();
    build(changed_configs, &temp.join("new"));

    let unit = std::fs::read_to_string(temp.join("old/grow/manifest.yaml")).expect("manifest");
    assert!(unit.contains("types:\n- name: Vec\n  underlying: struct{X int; Y int}\n"), "{unit}");
    assert!(unit.contains("  - func (*Vec) Grow()\n"), "{unit}");
    assert!(unit.contains("  declared_in: define\n"), "{unit}");

    let mut diff = g2n();
    diff.args(["manifest", "diff"]).arg(temp.join("old")).arg(temp.join("new"));
    let out = output_within(diff, Duration::from_secs(30));
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    for unit in ["define", "move", "grow"] {
        assert!(
            stdout.contains(&format!("{unit}: incompatible\n  - type `Vec` is struct{{Y int; X int}}, was struct{{X int; Y int}}\n")),
            "{unit}: {stdout}"
        );
    }
    let _ = std::fs::remove_dir_all(&temp);
}
