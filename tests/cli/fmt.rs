//! `g2n fmt` as a Go programmer uses gofmt: rewrite in place, `-l`, `-d`,
//! directories, exit code 1 (g2n's code for bad input; gofmt's is 2) for a file that does not parse. What the layout
//! is (gofmt's, byte for byte) is tested in crates/fmt against gofmt's
//! output; here the expected files are the same goldens.

use super::{g2n, repo_root, temp_dir, text};

fn golden(name: &str) -> String {
    std::fs::read_to_string(repo_root().join("crates/fmt/tests/golden").join(name)).expect("golden file")
}

#[test]
fn fmt_rewrites_files_in_place_and_leaves_formatted_ones_alone() {
    let dir = temp_dir("fmt-in-place");
    std::fs::write(dir.join("hop.go"), golden("hop.input.go")).expect("write");
    std::fs::write(dir.join("done.go"), golden("exprs.golden.go")).expect("write");
    std::fs::write(dir.join("hello.yaml"), golden("hello.input.yaml")).expect("write");
    let output = g2n().current_dir(&dir).args(["fmt", "hop.go", "done.go", "hello.yaml"]).output().expect("run g2n");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "");
    assert_eq!(std::fs::read_to_string(dir.join("hop.go")).expect("read"), golden("hop.golden.go"));
    assert_eq!(std::fs::read_to_string(dir.join("done.go")).expect("read"), golden("exprs.golden.go"));
    assert_eq!(std::fs::read_to_string(dir.join("hello.yaml")).expect("read"), golden("hello.golden.yaml"));
}

#[test]
fn fmt_l_lists_and_fmt_d_diffs_without_writing() {
    let dir = temp_dir("fmt-list");
    std::fs::create_dir_all(dir.join("pkg/.hidden")).expect("mkdir");
    std::fs::write(dir.join("pkg/a.go"), golden("align.input.go")).expect("write");
    std::fs::write(dir.join("pkg/b.go"), golden("align.golden.go")).expect("write");
    std::fs::write(dir.join("pkg/.hidden/c.go"), golden("align.input.go")).expect("write");
    // A YAML file that is not a nanoservice config is not Go's business.
    std::fs::write(dir.join("pkg/mesh.yaml"), "nanoservices: []\n").expect("write");
    let output = g2n().current_dir(&dir).args(["fmt", "-l", "pkg"]).output().expect("run g2n");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "pkg/a.go\n");
    let output = g2n().current_dir(&dir).args(["fmt", "-d", "pkg/a.go"]).output().expect("run g2n");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let diff = text(&output.stdout);
    assert!(diff.starts_with("diff pkg/a.go.orig pkg/a.go\n--- pkg/a.go.orig\n+++ pkg/a.go\n"), "{diff}");
    assert!(diff.contains("\n-X, Y int // coordinates\n"), "{diff}");
    assert!(diff.contains("\n+\tX, Y int    // coordinates\n"), "{diff}");
    assert_eq!(std::fs::read_to_string(dir.join("pkg/a.go")).expect("read"), golden("align.input.go"), "-l and -d write nothing");
}

#[test]
fn fmt_reports_syntax_errors_with_exit_code_1_and_formats_the_rest() {
    let dir = temp_dir("fmt-error");
    std::fs::write(dir.join("bad.go"), "package main\nfunc main() {\n\tx :=\n}\n").expect("write");
    std::fs::write(dir.join("good.go"), golden("hop.input.go")).expect("write");
    let output = g2n().current_dir(&dir).args(["fmt", "bad.go", "good.go"]).output().expect("run g2n");
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("bad.go:4:1"), "{stderr}");
    assert_eq!(std::fs::read_to_string(dir.join("bad.go")).expect("read"), "package main\nfunc main() {\n\tx :=\n}\n");
    assert_eq!(std::fs::read_to_string(dir.join("good.go")).expect("read"), golden("hop.golden.go"));
}
