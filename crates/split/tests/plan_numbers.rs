//! A plan numbers the program's locals apart from the library's: the same
//! `main` plans to the same text whether the program's imports bring no
//! library locals or hundreds (errors compiled from Go's source, with what
//! it imports).

#[path = "../../../tests/support/goroot_tree.rs"]
mod goroot_tree;

use g2n_base::{FileId, Span};

const MAIN: &str = r#"
func main() {
	greeting := "hello"
	count := 3
	xs := []int{1, 2}
	goToNetwork 'worker'
	println(greeting, count, len(xs))
	count++
	goToNetwork 'printer'
	println(count, xs[0])
}
"#;

fn parse(text: &str) -> g2n_syntax::ast::File {
    let (file, errors) = g2n_syntax::parse_file(FileId(0), text);
    assert!(errors.is_empty(), "{errors:?}");
    file
}

/// The plan's text and how many library locals its first unit holds.
fn plan_and_library_locals(file: &g2n_syntax::ast::File) -> (String, usize) {
    let (plan, errors) = g2n_split::plan_program("numbers", Span::new(FileId(0), 0, 0), file);
    assert!(errors.is_empty(), "{errors:?}");
    let plan = plan.expect("a plan");
    let library = plan.units[0].program.locals.iter().filter(|l| l.in_library).count();
    (g2n_split::plan_text(&plan), library)
}

#[test]
fn plans_do_not_change_with_the_library() {
    let alone = parse(&format!("package main\n{MAIN}"));
    let importing = parse(&format!("package main\n\nimport \"errors\"\n{MAIN}\nfunc failure() error {{ return errors.New(\"failed\") }}\n"));
    goroot_tree::install_library(&[&importing], 64);
    let (plan_alone, none) = plan_and_library_locals(&alone);
    let (plan_importing, many) = plan_and_library_locals(&importing);
    assert_eq!(none, 0);
    assert!(many > 0, "errors brings no library locals");
    assert_eq!(plan_importing, plan_alone);
    // The program's own locals count from 0, in declaration order.
    assert!(plan_alone.contains("send greeting string (wire string) from greeting#0"), "{plan_alone}");
}
