//! End-to-end tests of `g2n manifest schema|check|diff` on real builds of the
//! seed mesh (examples/hello-world/*.yaml): a fresh build, tampered copies of
//! it, and builds of edited copies of the seed (a compatible edit and a type
//! change). Outputs are compared with goldens under `tests/manifest_cmd/`;
//! `G2N_BLESS=1` rewrites them.

#[path = "support/files.rs"]
mod files;

use files::copy_dir;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

/// `g2n` run inside `dir`, so that outputs name directories relatively and
/// goldens do not depend on where the temp dir is.
fn g2n_in(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_g2n"));
    command.current_dir(dir).env("NO_COLOR", "1").env_remove("G2N_RUNTIME");
    command
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("g2n-manifest-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn golden_path(name: &str) -> PathBuf {
    repo_root().join("tests/manifest_cmd").join(name)
}

/// Compares `actual` with the golden file, or rewrites it under `G2N_BLESS=1`.
fn assert_golden(name: &str, actual: &str) {
    let golden = golden_path(name);
    if std::env::var_os("G2N_BLESS").is_some() {
        std::fs::create_dir_all(golden.parent().expect("parent")).expect("golden dir");
        std::fs::write(&golden, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(&golden)
        .unwrap_or_else(|_| panic!("missing golden {}; run with G2N_BLESS=1 to create it", golden.display()));
    if expected != actual {
        let diff = similar::TextDiff::from_lines(expected.as_str(), actual);
        panic!("{} differs (G2N_BLESS=1 rewrites it):\n{}", golden.display(), diff.unified_diff().header("expected", "actual"));
    }
}

/// Replaces every `sha256:<64 hex>` (objects depend on the code generator and
/// the runtime, which change often) with `sha256:<hash>`.
fn redact_hashes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find("sha256:") {
        out.push_str(&rest[..at + "sha256:".len()]);
        rest = &rest[at + "sha256:".len()..];
        let hex = rest.bytes().take_while(u8::is_ascii_hexdigit).count();
        if hex == 64 {
            out.push_str("<hash>");
            rest = &rest[64..];
        }
    }
    out.push_str(rest);
    out
}

/// The seed's two configs copied into `dir/name/`, each passed through `edit`.
fn seed_copy(dir: &Path, name: &str, edit: impl Fn(&str, String) -> String) -> Vec<PathBuf> {
    let target = dir.join(name);
    std::fs::create_dir_all(&target).expect("source dir");
    ["hello.yaml", "print-hello-world.yaml"]
        .iter()
        .map(|file| {
            let original = std::fs::read_to_string(repo_root().join("examples/hello-world").join(file)).expect("seed");
            let edited = edit(file, original.clone());
            let path = target.join(file);
            std::fs::write(&path, edited).expect("write config");
            path.strip_prefix(dir).expect("inside").to_path_buf()
        })
        .collect()
}

/// Builds `configs` (relative to `dir`) into `dir/out`.
fn build(dir: &Path, configs: &[PathBuf], out: &str) {
    let output = g2n_in(dir).arg("build").args(configs).args(["-o", out]).output().expect("run g2n build");
    assert_eq!(output.status.code(), Some(0), "g2n build failed: {}", text(&output.stderr));
}

fn seed_build(dir: &Path, out: &str) {
    let configs = seed_copy(dir, &format!("{out}-src"), |_, s| s);
    build(dir, &configs, out);
}

fn edit_file(path: &Path, from: &str, to: &str) {
    let original = std::fs::read_to_string(path).expect("read");
    assert!(original.contains(from), "{} does not contain {from:?}", path.display());
    std::fs::write(path, original.replacen(from, to, 1)).expect("write");
}

/// Exit code, stdout and stderr in one text, hashes redacted.
fn transcript(output: &Output) -> String {
    redact_hashes(&format!(
        "exit code: {:?}\n--- stdout\n{}--- stderr\n{}",
        output.status.code(),
        text(&output.stdout),
        text(&output.stderr)
    ))
}

#[test]
fn schema_prints_the_published_schemas() {
    let dir = TempDir::new("schema");
    for (kind, file) in [("unit", "unit.schema.json"), ("mesh", "mesh.schema.json")] {
        let output = g2n_in(&dir.0).args(["manifest", "schema", kind]).output().expect("run g2n");
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        let published = std::fs::read_to_string(repo_root().join("docs/schema").join(file)).expect("published schema");
        assert!(text(&output.stdout) == published, "`g2n manifest schema {kind}` differs from docs/schema/{file}");
        let parsed: serde_json::Value = serde_json::from_slice(&output.stdout).expect("schema is JSON");
        assert_eq!(parsed["$schema"], "https://json-schema.org/draft/2020-12/schema");
    }
    let output = g2n_in(&dir.0).args(["manifest", "schema", "bogus"]).stderr(Stdio::piped()).output().expect("run g2n");
    assert_eq!(output.status.code(), Some(2), "clap rejects an unknown kind");
    assert!(text(&output.stderr).contains("unit") && text(&output.stderr).contains("mesh"));
}

#[test]
fn help_texts() {
    let dir = TempDir::new("help");
    let mut all = String::new();
    for args in [&["manifest", "--help"][..], &["manifest", "schema", "--help"], &["manifest", "check", "--help"], &["manifest", "diff", "--help"]] {
        let output = g2n_in(&dir.0).args(args).output().expect("run g2n");
        assert_eq!(output.status.code(), Some(0));
        all.push_str(&format!("$ g2n {}\n{}\n", args.join(" "), text(&output.stdout)));
    }
    assert_golden("help.txt", &all);
}

#[test]
fn check_accepts_a_fresh_build() {
    let dir = TempDir::new("check-ok");
    seed_build(&dir.0, "out");
    let output = g2n_in(&dir.0).args(["manifest", "check", "out"]).output().expect("run g2n");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_golden("check-ok.txt", &transcript(&output));
}

/// A build whose object was modified, whose executable was deleted and whose
/// mesh.yaml was edited so that an edge disagrees with the units.
#[test]
fn check_reports_tampering() {
    let dir = TempDir::new("check-tampered");
    seed_build(&dir.0, "out");
    copy_dir(&dir.0.join("out"), &dir.0.join("tampered"));
    let tampered = dir.0.join("tampered");
    let mut object = std::fs::read(tampered.join("hello/hello.o")).expect("object");
    object.push(0);
    std::fs::write(tampered.join("hello/hello.o"), object).expect("tamper object");
    std::fs::remove_file(tampered.join("print-hello-world/print-hello-world")).expect("remove executable");
    edit_file(&tampered.join("mesh.yaml"), "go_type: string", "go_type: int");

    let output = g2n_in(&dir.0).args(["manifest", "check", "tampered"]).output().expect("run g2n");
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("g2n::manifest::artifact_hash"), "{stderr}");
    assert!(stderr.contains("cannot read: no such file"), "{stderr}");
    assert!(stderr.contains("captures [hello string]"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_golden("check-tampered.txt", &transcript(&output));

    // The untouched build still checks clean.
    let output = g2n_in(&dir.0).args(["manifest", "check", "out"]).output().expect("run g2n");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
}

#[test]
fn check_reports_schema_violations_and_missing_builds() {
    let dir = TempDir::new("check-schema");
    seed_build(&dir.0, "out");
    edit_file(&dir.0.join("out/print-hello-world/manifest.yaml"), &format!("abi_version: {}", g2n_abi::ABI_VERSION), "abi_version: one");
    edit_file(&dir.0.join("out/hello/manifest.yaml"), "name: hello\n", "name: hello\ncolour: blue\n");
    let output = g2n_in(&dir.0).args(["manifest", "check", "out"]).output().expect("run g2n");
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    assert!(text(&output.stderr).contains("g2n::manifest::schema"));
    assert_golden("check-schema.txt", &transcript(&output));

    let output = g2n_in(&dir.0).args(["manifest", "check", "no-such-dir"]).output().expect("run g2n");
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    assert_golden("check-missing.txt", &transcript(&output));
}

#[test]
fn diff_tells_compatible_from_incompatible_replacements() {
    let dir = TempDir::new("diff");
    seed_build(&dir.0, "old");
    // Same interface, different code.
    let compatible = seed_copy(&dir.0, "compatible-src", |file, s| {
        if file == "hello.yaml" { s.replace("hello := \"Hello\"", "hello := \"Hi\"") } else { s }
    });
    build(&dir.0, &compatible, "compatible");
    // `hello` becomes an int: both units' interfaces change.
    let retyped = seed_copy(&dir.0, "retyped-src", |file, s| match file {
        "hello.yaml" => s.replace("hello := \"Hello\"", "hello := 42"),
        _ => s.replace("%s World!", "%d World!"),
    });
    build(&dir.0, &retyped, "retyped");

    let diff = |old: &str, new: &str| g2n_in(&dir.0).args(["manifest", "diff", old, new]).output().expect("run g2n");

    let same = diff("old", "old");
    assert_eq!(same.status.code(), Some(0), "{}", transcript(&same));
    assert_golden("diff-same.txt", &transcript(&same));

    let ok = diff("old", "compatible");
    assert_eq!(ok.status.code(), Some(0), "{}", transcript(&ok));
    assert!(text(&ok.stdout).contains("hello: compatible"), "{}", transcript(&ok));
    assert_golden("diff-compatible.txt", &transcript(&ok));

    let bad = diff("old", "retyped");
    assert_eq!(bad.status.code(), Some(1), "{}", transcript(&bad));
    let stdout = text(&bad.stdout);
    assert!(stdout.contains("print-hello-world: incompatible"), "{stdout}");
    assert!(stdout.contains("resume point 1: `hello` is int, was string"), "{stdout}");
    assert_golden("diff-incompatible.txt", &transcript(&bad));

    let missing = diff("old", "no-such-dir");
    assert_eq!(missing.status.code(), Some(2), "{}", transcript(&missing));
    assert_golden("diff-missing.txt", &transcript(&missing));
}

#[test]
fn diff_reports_added_and_removed_nanoservices() {
    let dir = TempDir::new("diff-units");
    seed_build(&dir.0, "seed");
    // A one-unit program named `solo`: every seed unit is removed, solo added.
    // (`solo/`: written as a directory, the output is a directory, not the executable.)
    std::fs::write(dir.0.join("solo.go"), "package main\n\nfunc main() {\n\tprintln(\"solo\")\n}\n").expect("write");
    build(&dir.0, &[PathBuf::from("solo.go")], "solo/");
    let output = g2n_in(&dir.0).args(["manifest", "diff", "seed", "solo"]).output().expect("run g2n");
    assert_eq!(output.status.code(), Some(0), "added/removed units do not fail the verdict: {}", transcript(&output));
    assert_golden("diff-added-removed.txt", &transcript(&output));
}

/// `g2n mesh svg` draws the seed's build: both nanoservices, the entry marked,
/// the edge labelled with `hello string`; to stdout or to a file, and a
/// directory without a build is an error (exit 1), not an empty drawing.
/// The drawing itself has goldens in crates/manifest/test_data.
#[test]
fn mesh_svg_draws_a_build() {
    let dir = TempDir::new("svg");
    seed_build(&dir.0, "out");
    let output = g2n_in(&dir.0).args(["mesh", "svg", "out"]).output().expect("run g2n");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let svg = text(&output.stdout);
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{svg}");
    assert!(svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains("<g class=\"node entry\"><title>hello</title>"), "{svg}");
    assert!(svg.contains("<title>print-hello-world</title>"), "{svg}");
    assert!(svg.contains(">hello string</tspan>"), "{svg}");

    let output = g2n_in(&dir.0).args(["mesh", "svg", "out", "-o", "mesh.svg"]).output().expect("run g2n");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(output.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(dir.0.join("mesh.svg")).expect("mesh.svg"), svg);

    std::fs::create_dir_all(dir.0.join("empty")).expect("mkdir");
    let output = g2n_in(&dir.0).args(["mesh", "svg", "empty"]).output().expect("run g2n");
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    assert!(text(&output.stderr).contains("no usable mesh.yaml"), "{}", text(&output.stderr));
}

/// A config that uses a type declared upstream holds its own compiled copy
/// of the type's methods: a changed method body upstream changes its
/// `content_hash` too (`compatible`, not `unchanged`), while a change in the
/// upstream `main` alone, which it does not compile, leaves it unchanged.
#[test]
fn diff_sees_an_upstream_method_body_in_the_config_that_uses_it() {
    let dir = TempDir::new("diff-upstream");
    let write = |name: &str, norm_body: &str, greeting: &str| -> Vec<PathBuf> {
        let src = dir.0.join(name);
        std::fs::create_dir_all(&src).expect("source dir");
        let up = format!(
            "name: up\ncode: |\n  package main\n\n  import \"fmt\"\n\n  type Point struct{{ X, Y int }}\n\n  \
             func (p Point) Norm() int {{ {norm_body} }}\n\n  func main() {{\n  \tp := Point{{3, 4}}\n  \
             \tfmt.Println(\"{greeting}\")\n  \tgoToNetwork 'down'\n  }}\n"
        );
        let down = "name: down\ncode: |\n  package main\n\n  import \"fmt\"\n\n  func main() {\n  \tfmt.Println(p.Norm())\n  }\n";
        std::fs::write(src.join("1-up.yaml"), up).expect("write up");
        std::fs::write(src.join("2-down.yaml"), down).expect("write down");
        vec![PathBuf::from(name).join("1-up.yaml"), PathBuf::from(name).join("2-down.yaml")]
    };
    build(&dir.0, &write("old-src", "return p.X + p.Y", "up"), "old");
    build(&dir.0, &write("body-src", "return p.X * p.Y", "up"), "body");
    build(&dir.0, &write("main-src", "return p.X + p.Y", "up again"), "main");
    let diff = |old: &str, new: &str| g2n_in(&dir.0).args(["manifest", "diff", old, new]).output().expect("run g2n");

    let body = diff("old", "body");
    assert_eq!(body.status.code(), Some(0), "{}", transcript(&body));
    let stdout = text(&body.stdout);
    assert!(stdout.contains("up: compatible"), "{stdout}");
    assert!(stdout.contains("down: compatible"), "the method body is compiled into down too: {stdout}");

    let main = diff("old", "main");
    assert_eq!(main.status.code(), Some(0), "{}", transcript(&main));
    let stdout = text(&main.stdout);
    assert!(stdout.contains("up: compatible"), "{stdout}");
    assert!(stdout.contains("down: unchanged"), "up's main is not part of down: {stdout}");
}
