//! Issue 20: `g2n split` reads a program of several files as `run` and
//! `build` do, and manifests record every file of such a program. Expected
//! program output comes from Go 1.19 (`tests/cli/program/regenerate.sh`).

use super::{g2n, repo_root, temp_dir, text};

const GREETER: &str = "tests/cli/program/greeter";

#[test]
fn split_of_a_directory_writes_configs_that_run_as_the_program() {
    let stdout = std::fs::read_to_string(repo_root().join("tests/cli/program/greeter.stdout")).expect("expected stdout");
    let code: i32 = std::fs::read_to_string(repo_root().join("tests/cli/program/greeter.exitcode")).expect("exit code").trim().parse().expect("number");
    // A directory's program is named after it; a list of files', after the first.
    let splits: [(&[&str], &str, &str); 2] = [
        (&["split", GREETER], "split-dir", "greeter"),
        (&["split", "--per-line", "tests/cli/program/greeter/main.go", "tests/cli/program/greeter/util.go"], "split-files", "main"),
    ];
    for (args, tag, entry_name) in splits {
        let out = temp_dir(tag);
        let output = g2n().current_dir(repo_root()).args(args).arg("-o").arg(&out).output().expect("run g2n");
        assert_eq!(output.status.code(), Some(0), "{args:?}: {}", text(&output.stderr));
        let entry = std::fs::read_to_string(out.join(format!("{entry_name}.yaml"))).expect("the entry config is named after the program");
        assert!(
            entry.contains("\nsource: tests/cli/program/greeter/main.go, tests/cli/program/greeter/util.go\n"),
            "{args:?}: every file is the source:\n{entry}"
        );
        // The test file of the package is left out, as go build does.
        assert!(!entry.contains("testing"), "{entry}");
        let mut configs: Vec<_> = std::fs::read_dir(&out).expect("read").map(|e| e.expect("entry").path()).collect();
        configs.sort();
        let output = g2n().env("G2N_SPLIT_PASSWORD", "split-test").arg("run").args(&configs).output().expect("run g2n");
        assert_eq!(text(&output.stdout), stdout, "{args:?}: {}", text(&output.stderr));
        assert_eq!(output.status.code(), Some(code), "{args:?}");
    }
}

#[test]
fn split_refuses_clashing_import_names_it_cannot_merge() {
    let dir = temp_dir("split-clash");
    std::fs::write(dir.join("a.go"), "package main\n\nimport r \"math/rand\"\n\nfunc main() { println(r.Intn(1), s()) }\n").expect("write");
    std::fs::write(dir.join("b.go"), "package main\n\nimport r \"strings\"\n\nfunc s() string { return r.ToUpper(\"x\") }\n").expect("write");
    let output = g2n().current_dir(&dir).args(["split", "a.go", "b.go", "-o", "out"]).output().expect("run g2n");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        text(&output.stderr),
        "error: b.go imports \"strings\" as r, and a.go imports \"math/rand\" under that name; a split config holds the program as one file, so the names must not clash (rename one import)\n"
    );
}

#[test]
fn a_manifest_records_every_file_of_a_program() {
    let out = temp_dir("manifest-files");
    let output = g2n().current_dir(repo_root()).args(["build", GREETER, "-o"]).arg(format!("{}/", out.display())).output().expect("run g2n");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let manifest = std::fs::read_to_string(out.join("greeter/manifest.yaml")).expect("manifest");
    assert!(
        manifest.contains(
            "source:\n  path: tests/cli/program/greeter/main.go\n  lines:\n  - 1\n  - 15\n  other_files:\n  - path: tests/cli/program/greeter/util.go\n    lines:\n    - 1\n    - 21\n"
        ),
        "{manifest}"
    );
    // A change in the second file changes the unit.
    let copy = temp_dir("manifest-files-copy");
    for f in ["main.go", "util.go"] {
        std::fs::copy(repo_root().join(GREETER).join(f), copy.join(f)).expect("copy");
    }
    let hash = |dir: &std::path::Path| {
        let out = dir.join("out");
        let output = g2n().current_dir(dir).args(["build", "main.go", "util.go", "-o", "out/"]).output().expect("run g2n");
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        let m = std::fs::read_to_string(out.join("main/manifest.yaml")).expect("manifest");
        m.lines().find(|l| l.starts_with("content_hash:")).expect("hash").to_owned()
    };
    let before = hash(&copy);
    let util = std::fs::read_to_string(copy.join("util.go")).expect("read").replace("\"=\"", "\"-\"");
    std::fs::write(copy.join("util.go"), util).expect("write");
    assert_ne!(before, hash(&copy));
}
