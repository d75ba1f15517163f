//! Packages compiled from Go's source tree: finding GOROOT (`--goroot`,
//! `GOROOT`, Debian's /usr/share/go-1.19), the files a build takes from a
//! package directory, and diagnostics inside library files. The packages
//! themselves are exercised by tests/cli/run (expected output from Go).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn g2n() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_g2n"));
    command.env_remove("G2N_RUNTIME").env_remove("GOROOT").env("NO_COLOR", "1");
    command
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("g2n-goroot-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A Go tree at `root` with the packages g2n's fmt imports (errors and io,
/// compiled from source like Go's), copied from Debian's tree; a test adds
/// the package it is about.
fn tree_for_fmt(root: &Path) {
    for package in ["errors", "io"] {
        let from = Path::new(g2n_packages::DEBIAN_GOROOT).join("src").join(package);
        let to = root.join("src").join(package);
        std::fs::create_dir_all(&to).expect("dir");
        for entry in std::fs::read_dir(&from).expect("Debian's golang-1.19-src").flatten() {
            if entry.path().is_file() {
                std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
            }
        }
    }
}

/// A Go tree at `root` whose packages are Debian's (symbolic links), but
/// for the directory `package`, left for the test to write (`g2n test`
/// links `testing`, whose imports change as packages come from source).
fn tree_of_debian_but(root: &Path, package: &str) {
    let mut from = Path::new(g2n_packages::DEBIAN_GOROOT).join("src");
    let mut to = root.join("src");
    for element in package.split('/') {
        std::fs::create_dir_all(&to).expect("dir");
        for entry in std::fs::read_dir(&from).expect("Debian's golang-1.19-src").flatten() {
            if entry.file_name() != element {
                std::os::unix::fs::symlink(entry.path(), to.join(entry.file_name())).expect("symlink");
            }
        }
        from = from.join(element);
        to = to.join(element);
    }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
    std::fs::write(path, text).expect("write");
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const USES_UTF8: &str = "package main\n\nimport (\n\t\"fmt\"\n\t\"unicode/utf8\"\n)\n\nfunc main() {\n\tfmt.Println(utf8.RuneLen('é'))\n}\n";

#[test]
fn without_a_source_tree_the_import_says_what_to_install() {
    let dir = temp_dir("missing");
    let program = dir.join("main.go");
    write(&program, USES_UTF8);
    let output = g2n().args(["check"]).arg(&program).env("GOROOT", dir.join("nowhere")).output().expect("run g2n");
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("package unicode/utf8 is compiled from Go's source, and GOROOT names"), "{text}");
    assert!(text.contains("golang-1.19-src"), "{text}");
    assert!(text.contains("main.go:5:2"), "points at the import: {text}");
    // fmt imports errors and io, compiled from source as Go's: hello world
    // needs the tree too, and is told so at its import of fmt.
    let hello = dir.join("hello.go");
    write(&hello, "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hi\")\n}\n");
    let output = g2n().args(["check"]).arg(&hello).env("GOROOT", dir.join("nowhere")).output().expect("run g2n");
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("package errors is compiled from Go's source, and GOROOT names"), "{text}");
    assert!(text.contains("hello.go:3:8"), "points at the import of fmt: {text}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--goroot` wins over `GOROOT`; of a package directory only the files
/// for linux without tests, generators or ignored files are compiled.
#[test]
fn a_named_tree_is_used_with_go_build_constraints() {
    let dir = temp_dir("constraints");
    let root = dir.join("goroot");
    tree_for_fmt(&root);
    let utf8 = root.join("src/unicode/utf8");
    write(&utf8.join("utf8.go"), "package utf8\n\nfunc RuneLen(r rune) int { return lenOf(r) + 40 }\n");
    write(&utf8.join("len_linux.go"), "package utf8\n\nfunc lenOf(r rune) int { return 2 }\n");
    write(&utf8.join("len_windows.go"), "package utf8\n\nfunc lenOf(r rune) int { return 3 }\n");
    write(&utf8.join("len_other.go"), "//go:build !linux && !windows\n\npackage utf8\n\nfunc lenOf(r rune) int { return 4 }\n");
    write(&utf8.join("gen.go"), "//go:build ignore\n\npackage main\n\nthis is not Go\n");
    write(&utf8.join("utf8_test.go"), "package utf8\n\nfunc lenOf() {}\n");
    let program = dir.join("main.go");
    write(&program, USES_UTF8);
    let output =
        g2n().arg("--goroot").arg(&root).arg("run").arg(&program).env("GOROOT", dir.join("nowhere")).output().expect("run g2n");
    assert_eq!(String::from_utf8_lossy(&output.stdout), "42\n", "{}", stderr(&output));
    let _ = std::fs::remove_dir_all(&dir);
}

/// An error inside a library file is rendered in that file, like one in
/// the program.
#[test]
fn diagnostics_render_inside_library_files() {
    let dir = temp_dir("library-error");
    let root = dir.join("goroot");
    tree_for_fmt(&root);
    let file = root.join("src/unicode/utf8/utf8.go");
    write(&file, "package utf8\n\nfunc RuneLen(r rune) int {\n\treturn \"four\"\n}\n");
    let program = dir.join("main.go");
    write(&program, USES_UTF8);
    let output = g2n().arg("check").arg(&program).env("GOROOT", &root).output().expect("run g2n");
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains(&format!("{}:4:9", file.display())), "{text}");
    assert!(text.contains("return \"four\""), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// In a package compiled from source, a variable without initializer is
/// an ordinary zeroed variable (hand-written packages bind such variables
/// to the runtime), and a function without body that g2n's runtime does not
/// provide (Go's assembly) is an error in the library file.
#[test]
fn source_packages_have_go_variables_and_no_implicit_runtime_functions() {
    let dir = temp_dir("variables");
    let root = dir.join("goroot");
    tree_for_fmt(&root);
    let file = root.join("src/unicode/utf8/utf8.go");
    write(&file, "package utf8\n\nvar calls int\n\nfunc RuneLen(r rune) int {\n\tcalls++\n\treturn calls\n}\n");
    let program = dir.join("main.go");
    write(&program, "package main\n\nimport (\n\t\"fmt\"\n\t\"unicode/utf8\"\n)\n\nfunc main() {\n\tfmt.Println(utf8.RuneLen('a'), utf8.RuneLen('b'))\n}\n");
    let output = g2n().arg("run").arg(&program).env("GOROOT", &root).output().expect("run g2n");
    assert_eq!(String::from_utf8_lossy(&output.stdout), "1 2\n", "{}", stderr(&output));
    write(&file, "package utf8\n\nfunc RuneLen(r rune) int\n");
    let output = g2n().arg("check").arg(&program).env("GOROOT", &root).output().expect("run g2n");
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("missing function body"), "{text}");
    assert!(text.contains(&format!("{}:3:6", file.display())), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A GOROOT copy in a temporary directory whose unicode/utf8 is `RuneLen`
/// (returning 2), `Broken` with the body `broken` (its line 8 is the
/// body's first line), `Calls` (calls `Broken`) and a test of `RuneLen`;
/// and a program that calls only `RuneLen`, which runs and prints 2:
/// (the directory, the GOROOT, utf8.go, the program).
fn utf8_with_broken_body(tag: &str, broken: &str) -> (PathBuf, PathBuf, PathBuf, PathBuf) {
    let dir = temp_dir(tag);
    let root = dir.join("goroot");
    tree_of_debian_but(&root, "unicode/utf8");
    let file = root.join("src/unicode/utf8/utf8.go");
    write(&file, &format!("package utf8\n\nfunc RuneLen(r rune) int {{\n\treturn 2\n}}\n\nfunc Broken() int {{\n{broken}}}\n\nfunc Calls() int {{\n\treturn Broken()\n}}\n"));
    write(&root.join("src/unicode/utf8/utf8_test.go"), "package utf8\n\nimport \"testing\"\n\nfunc TestRuneLen(t *testing.T) {\n\tif RuneLen('a') != 2 {\n\t\tt.Fatal(\"RuneLen\")\n\t}\n}\n");
    let program = dir.join("main.go");
    write(&program, USES_UTF8);
    let output = g2n().arg("run").arg(&program).env("GOROOT", &root).output().expect("run g2n");
    assert_eq!(String::from_utf8_lossy(&output.stdout), "2\n", "{}", stderr(&output));
    (dir, root, file, program)
}

/// Of a package compiled from source, a plain function's body is checked
/// only when the program reaches it (docs/stdlib.md, "Library bodies are
/// checked when reached"): a program that calls `RuneLen` builds and runs
/// past a broken function it never calls, and reports one it calls through
/// another; `g2n test` of the package checks every body, as `go test`
/// compiles all of it.
#[test]
fn library_bodies_are_checked_when_reached_and_in_full_under_test() {
    let (dir, root, file, program) = utf8_with_broken_body("reached", "\treturn \"four\"\n");

    write(&program, &USES_UTF8.replace("utf8.RuneLen('é')", "utf8.Calls()"));
    let output = g2n().arg("check").arg(&program).env("GOROOT", &root).output().expect("run g2n");
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains(&format!("{}:8:9", file.display())), "{text}");

    let output = g2n().args(["test", "unicode/utf8"]).env("GOROOT", &root).output().expect("run g2n");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), stderr(&output));
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains(&format!("{}:8:9", file.display())) && text.contains("[build failed]"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Of a package compiled from source, a function's body is parsed when it
/// is checked (docs/stdlib.md, "What it costs"): a syntax error in a body
/// the program never reaches stays unread; one in a body it reaches is
/// reported where it is, as the full parse under `g2n test` reports it.
#[test]
fn library_body_syntax_errors_are_reported_when_the_body_is_parsed() {
    let (dir, root, file, program) = utf8_with_broken_body("deferred", "\tn := := 4\n\treturn n\n");

    let at = format!("{}:8:7", file.display());
    write(&program, &USES_UTF8.replace("utf8.RuneLen('é')", "utf8.Calls()"));
    // The second check has the package kept parsed, `Calls`'s body parsed
    // too (crates/cli/src/parse_cache.rs): the broken body is still
    // parsed, and its error reported, as the first check reported it.
    let cache = dir.join("cache");
    let check = || g2n().arg("check").arg(&program).env("GOROOT", &root).env("G2N_CACHE", &cache).output().expect("run g2n");
    let output = check();
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains(&at) && text.contains("syntax error: unexpected :="), "{text}");
    assert_eq!(text.matches("syntax error").count(), 1, "{text}");
    let warm = check();
    assert_eq!((warm.status.code(), stderr(&warm)), (Some(1), text), "the check from a warm cache");

    let output = g2n().args(["test", "unicode/utf8"]).env("GOROOT", &root).output().expect("run g2n");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), stderr(&output));
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains(&at) && text.contains("syntax error: unexpected :="), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Of a package compiled from source, a variable whose initializer cannot
/// have an effect is checked and initialized only when used (docs/stdlib.md,
/// "Library variables are checked when used"): one with a call runs, in
/// Go's order (before the package's `init`; output from `go run` of the
/// same package as a module's); an unused one with an error builds and
/// runs; the program naming it reports the error, as `g2n test` of the
/// package does.
#[test]
fn library_variables_are_checked_when_used_and_effects_run() {
    let dir = temp_dir("variables-used");
    let root = dir.join("goroot");
    tree_of_debian_but(&root, "unicode/utf8");
    let file = root.join("src/unicode/utf8/utf8.go");
    write(
        &file,
        "package utf8\n\nvar order []string\n\nfunc note(s string) int {\n\torder = append(order, s)\n\tprintln(\"init\", s)\n\treturn len(order)\n}\n\n\
         var first = note(\"first\")\n\nvar Broken = [1]int{\"four\"}\n\nvar table = []int{2, 40}\n\nfunc init() { note(\"init func\") }\n\n\
         func RuneLen(r rune) int { return table[0] + len(order)*10 + first }\n",
    );
    let program = dir.join("main.go");
    write(&program, USES_UTF8);
    let output = g2n().arg("run").arg(&program).env("GOROOT", &root).output().expect("run g2n");
    assert_eq!(String::from_utf8_lossy(&output.stdout), "23\n", "{}", stderr(&output));
    assert_eq!(stderr(&output), "init first\ninit init func\n");

    write(&program, &USES_UTF8.replace("utf8.RuneLen('é')", "utf8.Broken"));
    let output = g2n().arg("check").arg(&program).env("GOROOT", &root).output().expect("run g2n");
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains(&format!("{}:13:21", file.display())), "{text}");

    write(&root.join("src/unicode/utf8/utf8_test.go"), "package utf8\n\nimport \"testing\"\n\nfunc TestRuneLen(t *testing.T) {\n\tif RuneLen('a') != 23 {\n\t\tt.Fatal(\"RuneLen\")\n\t}\n}\n");
    let output = g2n().args(["test", "unicode/utf8"]).env("GOROOT", &root).output().expect("run g2n");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), stderr(&output));
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains(&format!("{}:13:21", file.display())) && text.contains("[build failed]"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `g2n test` runs a package's examples against their output comments:
/// Go's own (container/ring from GOROOT) pass; a wrong output fails with
/// what was printed and exit code 1; `-run` selects examples.
#[test]
fn g2n_test_checks_examples_against_their_output() {
    let output = g2n().args(["test", "-v", "container/ring"]).output().expect("run g2n");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(output.status.code(), Some(0), "{stdout}{}", stderr(&output));
    assert_eq!(stdout.matches("--- PASS: Example").count(), 7, "{stdout}");
    assert!(stdout.contains("ok  \tcontainer/ring\t"), "{stdout}");

    let dir = temp_dir("examples");
    write(
        &dir.join("p_test.go"),
        "package p_test\n\nimport \"fmt\"\n\nfunc ExampleRight() {\n\tfmt.Println(\"a\")\n\tfmt.Println(\"b\")\n\t// Output:\n\t// a\n\t// b\n}\n\nfunc ExampleWrong() {\n\tfmt.Println(1 + 1)\n\t// Output: 3\n}\n\nfunc ExampleUnordered() {\n\tfmt.Println(\"y\")\n\tfmt.Println(\"x\")\n\t// Unordered output:\n\t// x\n\t// y\n}\n",
    );
    let output = g2n().arg("test").arg(&dir).output().expect("run g2n");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(output.status.code(), Some(1), "{stdout}{}", stderr(&output));
    assert!(stdout.contains("--- FAIL: ExampleWrong"), "{stdout}");
    assert!(stdout.contains("got:\n2\nwant:\n3"), "{stdout}");
    assert!(!stdout.contains("--- FAIL: ExampleRight") && !stdout.contains("--- FAIL: ExampleUnordered"), "{stdout}");
    assert!(stdout.contains("\nFAIL\t"), "{stdout}");
    let output = g2n().arg("test").arg("-run").arg("Right|Unordered").arg(&dir).output().expect("run g2n");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(output.status.code(), Some(0), "{stdout}{}", stderr(&output));
    assert!(stdout.starts_with("ok  \t"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}
