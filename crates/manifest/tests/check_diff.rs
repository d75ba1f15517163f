//! Tests of `check::check_build` and `diff::diff_builds` on in-memory build
//! directories: the seed mesh's shape as `g2n build` writes it, then one
//! corruption or one interface change at a time, so each message is pinned to
//! the fault that causes it.

use std::collections::BTreeMap;

use g2n_manifest::check::{self, CheckReport};
use g2n_manifest::diff::{self, Change};
use g2n_manifest::manifest::{
    self, ABI_VERSION, Artifact, Artifacts, CapturedVar, DeclaredType, Edge, Exit, MeshManifest, MeshUnit, ResumePoint,
    SentVar, SourceRef, UnitManifest,
};

/// A build directory in memory: relative path -> bytes.
type Files = BTreeMap<String, Vec<u8>>;

fn var(name: &str, ty: &str) -> SentVar {
    SentVar { name: name.into(), go_type: ty.into() }
}

fn artifacts(name: &str, files: &mut Files) -> Artifacts {
    let object = format!("{name}/{name}.o");
    let executable = format!("{name}/{name}");
    files.insert(object.clone(), format!("object of {name}").into_bytes());
    files.insert(executable.clone(), format!("executable of {name}").into_bytes());
    Artifacts {
        object: Artifact { sha256: manifest::content_hash(&files[&object]), path: object },
        executable: Some(Artifact { sha256: manifest::content_hash(&files[&executable]), path: executable }),
    }
}

/// The seed mesh: `hello` sends `hello string` to `print-hello-world` at
/// resume point 1.
fn seed_units(files: &mut Files) -> (UnitManifest, UnitManifest) {
    let hello = UnitManifest {
        generated_by: manifest::generated_by(),
        abi_version: ABI_VERSION,
        name: "hello".into(),
        content_hash: manifest::content_hash(b"hello code"),
        source: SourceRef { path: "examples/hello-world/hello.yaml".into(), lines: Some((2, 6)), other_files: Vec::new() },
        entry: true,
        resume_points: vec![ResumePoint { id: 0, line: None, captured: vec![] }],
        exits: vec![Exit {
            index: 0,
            target: "print-hello-world".into(),
            resume_point: 1,
            line: 5,
            sends: vec![var("hello", "string")],
        }],
        types: vec![],
        artifacts: artifacts("hello", files),
    };
    let print = UnitManifest {
        generated_by: manifest::generated_by(),
        abi_version: ABI_VERSION,
        name: "print-hello-world".into(),
        content_hash: manifest::content_hash(b"print code"),
        source: SourceRef { path: "examples/hello-world/print-hello-world.yaml".into(), lines: Some((2, 6)), other_files: Vec::new() },
        entry: false,
        resume_points: vec![ResumePoint {
            id: 1,
            line: None,
            captured: vec![CapturedVar { name: "hello".into(), go_type: "string".into(), provided_by: vec!["hello".into()] }],
        }],
        exits: vec![],
        types: vec![],
        artifacts: artifacts("print-hello-world", files),
    };
    (hello, print)
}

fn mesh_of(units: &[&UnitManifest]) -> MeshManifest {
    let mut edges = Vec::new();
    for unit in units {
        for exit in &unit.exits {
            edges.push(Edge {
                from: unit.name.clone(),
                to: exit.target.clone(),
                resume_point: exit.resume_point,
                vars: exit.sends.clone(),
            });
        }
    }
    MeshManifest {
        generated_by: manifest::generated_by(),
        abi_version: ABI_VERSION,
        entry: units.iter().find(|u| u.entry).map_or_else(String::new, |u| u.name.clone()),
        nanoservices: units
            .iter()
            .map(|u| MeshUnit {
                name: u.name.clone(),
                manifest: format!("{}/manifest.yaml", u.name),
                content_hash: u.content_hash.clone(),
            })
            .collect(),
        edges,
    }
}

fn write(files: &mut Files, mesh: &MeshManifest, units: &[&UnitManifest]) {
    files.insert(check::MESH_FILE.into(), mesh.to_yaml().into_bytes());
    for unit in units {
        files.insert(format!("{}/manifest.yaml", unit.name), unit.to_yaml().into_bytes());
    }
}

/// The seed build, consistent.
fn seed() -> Files {
    let mut files = Files::new();
    let (hello, print) = seed_units(&mut files);
    let mesh = mesh_of(&[&hello, &print]);
    write(&mut files, &mesh, &[&hello, &print]);
    files
}

fn run_check(files: &Files) -> CheckReport {
    let read = |path: &str| files.get(path).cloned().ok_or_else(|| "No such file or directory".to_string());
    check::check_build(&read)
}

fn problems(files: &Files) -> String {
    run_check(files).problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
}

/// Rewrites one file as text.
fn edit(files: &mut Files, path: &str, f: impl FnOnce(String) -> String) {
    let text = String::from_utf8(files[path].clone()).expect("utf-8");
    files.insert(path.into(), f(text).into_bytes());
}

#[test]
fn seed_build_is_ok() {
    let report = run_check(&seed());
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!((report.nanoservices, report.edges), (2, 1));
}

#[test]
fn missing_mesh_is_one_problem() {
    let report = run_check(&Files::new());
    assert_eq!(report.problems.len(), 1);
    assert_eq!(report.problems[0].to_string(), "mesh.yaml: cannot read: No such file or directory");
}

#[test]
fn tampered_artifact_is_reported_with_both_hashes() {
    let mut files = seed();
    files.insert("hello/hello.o".into(), b"patched".to_vec());
    let all = problems(&files);
    assert!(all.starts_with("hello/manifest.yaml: object hello/hello.o: sha256 is sha256:"), "{all}");
    assert!(all.contains("manifest records sha256:"), "{all}");
    assert_eq!(all.lines().count(), 1, "{all}");
}

#[test]
fn missing_artifact_and_unit_manifest_are_reported() {
    let mut files = seed();
    files.remove("print-hello-world/print-hello-world");
    let all = problems(&files);
    assert!(all.contains("executable print-hello-world/print-hello-world: cannot read"), "{all}");
    let mut files = seed();
    files.remove("print-hello-world/manifest.yaml");
    let all = problems(&files);
    assert!(all.contains("print-hello-world/manifest.yaml: cannot read"), "{all}");
}

#[test]
fn schema_violations_are_reported_per_field() {
    let mut files = seed();
    edit(&mut files, "hello/manifest.yaml", |t| t.replace(&format!("abi_version: {ABI_VERSION}"), "abi_version: -1"));
    let all = problems(&files);
    assert!(all.contains("hello/manifest.yaml: schema: /abi_version:"), "{all}");
    let mut files = seed();
    edit(&mut files, "mesh.yaml", |t| t + "extra: 1\n");
    let all = problems(&files);
    assert!(all.contains("mesh.yaml: schema: /: unknown field `extra`"), "{all}");
    let mut files = seed();
    files.insert("mesh.yaml".into(), b"{ not yaml: [".to_vec());
    assert_eq!(run_check(&files).problems.len(), 1);
}

#[test]
fn paths_leaving_the_build_directory_are_refused() {
    let mut files = seed();
    edit(&mut files, "hello/manifest.yaml", |t| t.replace("path: hello/hello.o", "path: ../hello.o"));
    let all = problems(&files);
    assert!(all.contains("object: path \"../hello.o\" leaves the build directory"), "{all}");
}

#[test]
fn edge_to_unknown_unit_and_mismatched_vars() {
    let mut files = Files::new();
    let (hello, print) = seed_units(&mut files);
    let mut mesh = mesh_of(&[&hello, &print]);
    mesh.edges.push(Edge { from: "hello".into(), to: "nowhere".into(), resume_point: 7, vars: vec![] });
    mesh.edges[0].vars = vec![var("hello", "int")];
    write(&mut files, &mesh, &[&hello, &print]);
    let all = problems(&files);
    assert!(all.contains("edge hello -> nowhere (resume point 7): `to` names unknown nanoservice `nowhere`"), "{all}");
    assert!(all.contains("edge hello -> nowhere (resume point 7): hello/manifest.yaml has no exit to nowhere"), "{all}");
    assert!(
        all.contains("edge hello -> print-hello-world (resume point 1) sends [hello int] but print-hello-world/manifest.yaml captures [hello string]"),
        "{all}"
    );
    assert!(all.contains("lists [hello int] but exit 0 of hello/manifest.yaml sends [hello string]"), "{all}");
}

#[test]
fn exit_without_edge_and_wrong_providers() {
    let mut files = Files::new();
    let (hello, mut print) = seed_units(&mut files);
    print.resume_points[0].captured[0].provided_by = vec!["print-hello-world".into()];
    let mut mesh = mesh_of(&[&hello, &print]);
    mesh.edges.clear();
    write(&mut files, &mesh, &[&hello, &print]);
    let all = problems(&files);
    assert!(all.contains("hello/manifest.yaml: exit 0 to print-hello-world (resume point 1) has no edge in mesh.yaml"), "{all}");
    assert!(
        all.contains("resume point 1: `hello` is provided_by [print-hello-world] but mesh.yaml's edges bring it from [none]"),
        "{all}"
    );
}

#[test]
fn mesh_and_unit_disagreements() {
    let mut files = Files::new();
    let (mut hello, print) = seed_units(&mut files);
    let mut mesh = mesh_of(&[&hello, &print]);
    hello.entry = false;
    hello.content_hash = manifest::content_hash(b"other");
    mesh.entry = "ghost".into();
    write(&mut files, &mesh, &[&hello, &print]);
    let all = problems(&files);
    assert!(all.contains("mesh.yaml: entry `ghost` is not a listed nanoservice"), "{all}");
    assert!(all.contains("hello/manifest.yaml: content_hash sha256:"), "{all}");
    // Neither unit is the (nonexistent) entry, so only the marking is consistent.
    assert!(!all.contains("is marked entry"), "{all}");
}

// ---- diff -----------------------------------------------------------------

fn changes(old: &[UnitManifest], new: &[UnitManifest]) -> Vec<String> {
    diff::diff_builds(old, new).iter().map(ToString::to_string).collect()
}

#[test]
fn identical_builds_are_unchanged() {
    let (hello, print) = seed_units(&mut Files::new());
    let units = [hello, print];
    assert_eq!(changes(&units, &units), ["hello: unchanged", "print-hello-world: unchanged"]);
    assert!(diff::all_compatible(&diff::diff_builds(&units, &units)));
}

#[test]
fn new_code_with_same_interface_is_compatible() {
    let (hello, print) = seed_units(&mut Files::new());
    let mut new_hello = hello.clone();
    new_hello.content_hash = manifest::content_hash(b"hello code, new greeting");
    new_hello.artifacts.object.sha256 = manifest::content_hash(b"new object");
    new_hello.exits[0].line = 9;
    let d = diff::diff_builds(&[hello, print.clone()], &[new_hello, print]);
    assert_eq!(d[0].change, Change::Compatible);
    assert_eq!(d[1].change, Change::Unchanged);
    assert!(diff::all_compatible(&d));
}

#[test]
fn type_change_is_incompatible_on_both_sides() {
    let (hello, print) = seed_units(&mut Files::new());
    let mut new_hello = hello.clone();
    new_hello.content_hash = manifest::content_hash(b"hello := 42");
    new_hello.exits[0].sends = vec![var("hello", "int")];
    let mut new_print = print.clone();
    new_print.content_hash = manifest::content_hash(b"%d");
    new_print.resume_points[0].captured[0].go_type = "int".into();
    let d = changes(&[hello.clone(), print.clone()], &[new_hello, new_print]);
    assert_eq!(
        d,
        [
            "hello: incompatible: exit 0 (to print-hello-world): `hello` is int, was string",
            "print-hello-world: incompatible: resume point 1: `hello` is int, was string",
        ]
    );
}

/// `hello` sends `p Point` (declared in `hello`) to `print-hello-world`.
fn point_units() -> (UnitManifest, UnitManifest) {
    let (mut hello, mut print) = seed_units(&mut Files::new());
    let point = DeclaredType {
        name: "Point".into(),
        underlying: "struct{X int; Y int}".into(),
        methods: vec!["func (Point) Norm() int".into()],
        declared_in: "hello".into(),
    };
    hello.exits[0].sends = vec![var("p", "Point")];
    hello.types = vec![point.clone()];
    print.resume_points[0].captured = vec![CapturedVar { name: "p".into(), go_type: "Point".into(), provided_by: vec!["hello".into()] }];
    print.types = vec![point];
    (hello, print)
}

#[test]
fn a_type_changed_under_the_same_name_is_incompatible() {
    let (hello, print) = point_units();
    let mut new_hello = hello.clone();
    new_hello.content_hash = manifest::content_hash(b"float Point");
    new_hello.types[0].underlying = "struct{X float64; Y float64}".into();
    let d = changes(&[hello.clone(), print.clone()], &[new_hello, print.clone()]);
    assert_eq!(
        d,
        [
            "hello: incompatible: type `Point` is struct{X float64; Y float64}, was struct{X int; Y int}",
            "print-hello-world: unchanged",
        ]
    );
    // Its methods count too: the receiver holds its own copy of them.
    let mut new_print = print.clone();
    new_print.content_hash = manifest::content_hash(b"other methods");
    new_print.types[0].methods = vec!["func (*Point) Scale(int)".into()];
    let d = changes(std::slice::from_ref(&print), &[new_print]);
    assert_eq!(
        d,
        [
            "print-hello-world: incompatible: type `Point` no longer has method `func (Point) Norm() int`; type `Point` gained method `func (*Point) Scale(int)`"
        ]
    );
    // The same type declared in another config is the same type.
    let mut moved = print.clone();
    moved.types[0].declared_in = "elsewhere".into();
    moved.content_hash = manifest::content_hash(b"moved");
    assert_eq!(changes(std::slice::from_ref(&print), &[moved]), ["print-hello-world: compatible"]);
}

#[test]
fn same_code_with_a_different_interface_is_incompatible() {
    // A unit forwards what its downstream needs, so its interface can change
    // while its own code does not.
    let (hello, _) = seed_units(&mut Files::new());
    let mut new_hello = hello.clone();
    new_hello.exits[0].sends.push(var("world", "[]string"));
    let d = changes(std::slice::from_ref(&hello), &[new_hello]);
    assert_eq!(d, ["hello: incompatible: exit 0 (to print-hello-world): now sends `world` ([]string)"]);
}

#[test]
fn structural_changes_are_listed() {
    let (hello, print) = seed_units(&mut Files::new());
    let mut new_hello = hello.clone();
    new_hello.exits[0].target = "elsewhere".into();
    new_hello.exits.push(Exit { index: 1, target: "x".into(), resume_point: 4, line: 8, sends: vec![] });
    new_hello.resume_points.push(ResumePoint { id: 3, line: Some(2), captured: vec![] });
    new_hello.entry = false;
    let mut new_print = print.clone();
    new_print.resume_points[0].captured.clear();
    let d = changes(&[hello, print], &[new_hello, new_print]);
    assert_eq!(
        d,
        [
            "hello: incompatible: is no longer the entry; resume point 3 added; \
             exit 0: goes to elsewhere at resume point 1, was print-hello-world at resume point 1; \
             exit 1 (to x) added",
            "print-hello-world: incompatible: resume point 1: no longer captures `hello` (string)",
        ]
    );
}

#[test]
fn added_and_removed_do_not_fail_the_verdict() {
    let (hello, print) = seed_units(&mut Files::new());
    let d = diff::diff_builds(std::slice::from_ref(&hello), std::slice::from_ref(&print));
    assert_eq!(d.iter().map(ToString::to_string).collect::<Vec<_>>(), ["hello: removed", "print-hello-world: added"]);
    assert!(diff::all_compatible(&d));
}
