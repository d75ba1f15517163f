//! What a build loads of the standard library, as `g2n build --timings`
//! reports it (the "find and install library packages" row lists every
//! package parsed). Every program that prints imports errors, which
//! imports internal/reflectlite: g2n's own is lean and does not import
//! reflect, whose parse and check would cost hello world more than the
//! rest of its library (docs/stdlib.md, "What it costs"; issue 19).

use super::{g2n, temp_dir, text};

/// The packages `g2n build --timings` of `source` reports as parsed.
fn parsed_packages(name: &str, source: &str) -> Vec<String> {
    let dir = temp_dir(name);
    let file = dir.join(format!("{name}.go"));
    std::fs::write(&file, source).expect("write the program");
    let output = g2n().arg("build").arg("--timings").arg("-o").arg(dir.join(name)).arg(&file).output().expect("run g2n");
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let row = stderr.lines().find(|l| l.trim_start().starts_with("find and install library packages")).unwrap_or_else(|| panic!("no install row: {stderr}"));
    let list = row.split_once(" packages: ").unwrap_or_else(|| panic!("no package list: {row}")).1;
    let _ = std::fs::remove_dir_all(&dir);
    list.split(", ").map(str::to_string).collect()
}

#[test]
fn hello_world_and_errors_do_not_load_reflect() {
    let hello = parsed_packages("hello", "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"Hello, world!\")\n}\n");
    for package in ["fmt", "errors", "io", "internal/reflectlite"] {
        assert!(hello.contains(&package.to_string()), "hello world parses {package}: {hello:?}");
    }
    assert!(!hello.contains(&"reflect".to_string()), "hello world parses reflect: {hello:?}");
    let errors_only = "package main\n\nimport \"errors\"\n\ntype e struct{}\n\nfunc (e) Error() string { return \"e\" }\n\nfunc main() {\n\tvar target e\n\tprintln(errors.Is(e{}, e{}), errors.As(e{}, &target))\n}\n";
    let parsed = parsed_packages("errors_only", errors_only);
    assert!(parsed.contains(&"internal/reflectlite".to_string()) && !parsed.contains(&"reflect".to_string()), "{parsed:?}");
    // The list names reflect when a program does import it.
    let with_reflect = parsed_packages("with_reflect", "package main\n\nimport \"reflect\"\n\nfunc main() {\n\tprintln(reflect.TypeOf(1).String())\n}\n");
    assert!(with_reflect.contains(&"reflect".to_string()), "{with_reflect:?}");
}
