//! A library function bound by `//go:linkname` to a runtime function g2n
//! does not provide is a build error at its declaration when the program
//! reaches it (Go's linker reports the missing symbol), and costs nothing
//! when it does not.

use g2n_base::{FileId, Span};
use g2n_codegen::{CodegenError, CodegenOptions};

/// Installs g2n's own packages and a source package `lnk` (file 1) with a
/// provided and an unprovided linkname.
fn install_lnk() {
    let text = "package lnk\n\nimport _ \"unsafe\"\n\n//go:linkname pid syscall.getpid\nfunc pid() int\n\n\
                //go:linkname pin runtime.procPin\nfunc pin() int\n\n\
                func Pid() int { return pid() }\n\nfunc Pinned() int { return pin() }\n";
    let (file, syntax) = g2n_syntax::parse_file(FileId(1), text);
    assert!(syntax.is_empty(), "{syntax:?}");
    let package = g2n_sema::stdlib::SourcePackage {
        path: "lnk".to_string(),
        files: vec![file],
        has_assembly: false,
        linknames: g2n_syntax::linknames(FileId(1), text),
    };
    g2n_sema::install_stdlib(Some(g2n_sema::hand_written().clone().with_source_packages([package])));
}

fn compile(text: &str) -> Result<(), CodegenError> {
    let (file, syntax) = g2n_syntax::parse_file(FileId(0), text);
    assert!(syntax.is_empty(), "{syntax:?}");
    let (plan, errors) = g2n_split::plan_program("main", Span::new(FileId(0), 0, 0), &file);
    assert!(errors.is_empty(), "{errors:?}");
    let plan = plan.expect("a plan");
    g2n_codegen::compile_unit(&plan.units[0], &CodegenOptions::default()).map(|_| ())
}

#[test]
fn an_unprovided_linkname_fails_the_build_only_when_reached() {
    install_lnk();
    compile("package main\n\nimport \"lnk\"\n\nfunc main() { println(lnk.Pid()) }\n").expect("the provided linkname compiles");
    match compile("package main\n\nimport \"lnk\"\n\nfunc main() { println(lnk.Pinned()) }\n") {
        Err(CodegenError::Unbound { message, span }) => {
            assert_eq!(message, "lnk.pin is bound by //go:linkname to runtime.procPin, which g2n's runtime does not provide");
            assert_eq!(span.file, FileId(1), "reported in the library file");
        }
        other => panic!("expected the unbound linkname's error, got {other:?}"),
    }
}
