//! `parse_library_file` against `parse_file`: the same tree once every
//! deferred body is parsed, the same errors, reported by the body when its
//! error is in a body.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use g2n_base::FileId;
use g2n_syntax::ast::{Decl, File};
use g2n_syntax::cached::{Shared, decode_library_file, encode_library_file};
use g2n_syntax::{parse_file, parse_library_file};

/// `file` with every deferred body parsed and put where a full parse has it.
fn expanded(mut file: File) -> File {
    for decl in &mut file.decls {
        if let Decl::Func(func) = decl
            && let Some(deferred) = func.deferred.take()
        {
            func.body = Some(deferred.block().clone());
        }
    }
    file
}

fn deferred_count(file: &File) -> usize {
    file.decls.iter().filter(|d| matches!(d, Decl::Func(f) if f.deferred.is_some())).count()
}

fn same_as_full_parse(text: &str) -> usize {
    let (full, full_errors) = parse_file(FileId(3), text);
    let (lazy, lazy_errors) = parse_library_file(FileId(3), &Arc::from(text));
    assert_eq!(lazy_errors, full_errors);
    let count = deferred_count(&lazy);
    if lazy_errors.is_empty() {
        read_back_is_the_same(&lazy, text);
    }
    assert_eq!(expanded(lazy), full);
    count
}

/// `file` (a library parse of `text`) with every body parsed, kept as a
/// pack entry keeps it and read back as file 5 (the bodies without errors
/// decoded, not parsed), is file 5's parse.
fn read_back_is_the_same(file: &File, text: &str) {
    for decl in &file.decls {
        if let Decl::Func(func) = decl
            && let Some(deferred) = &func.deferred
        {
            deferred.block();
        }
    }
    let bytes = Shared::new(encode_library_file(file).encode());
    let (read, _) = decode_library_file(&bytes, FileId(5), &Arc::from(text)).expect("decodes");
    for decl in &read.decls {
        if let Decl::Func(func) = decl
            && let Some(deferred) = &func.deferred
        {
            assert_eq!(deferred.was_kept(), !deferred.has_errors(), "a body without errors comes back parsed");
        }
    }
    let (again, _) = parse_library_file(FileId(5), &Arc::from(text));
    assert_eq!(expanded(read), expanded(again), "decoded from a pack entry");
}

#[test]
fn tricky_declarations_defer_only_function_bodies() {
    let text = "package p\n\nimport \"fmt\"\n\n\
        func f() struct{ x int } { return struct{ x int }{1} }\n\
        var g = func() int { return 1 }\n\
        var (\n\th = func() {}\n\tk, l = 1, func() { fmt.Println() }\n)\n\
        func F[T interface{ ~int }](x T) T {\n\tif x > 0 { return x }\n\treturn -x\n}\n\
        func (r *R) M(f func() interface{ M() }) map[string]struct{} { return nil }\n\
        func asm(x int) int\n\
        type R struct{ f func() }\n\
        func /* comment */ lit() func() { return func() {} }\n\
        func label() {\nL:\n\tfor {\n\t\tbreak L\n\t}\n}\n";
    assert_eq!(same_as_full_parse(text), 5);
}

#[test]
fn an_error_in_a_body_is_reported_by_the_body_where_a_full_parse_reports_it() {
    let text = "package p\n\nfunc ok() int { return 1 }\n\nfunc broken() {\n\tx := \n\tif {\n\t}\n}\n\nfunc after() {}\n";
    let (_, full_errors) = parse_file(FileId(1), text);
    assert!(!full_errors.is_empty());
    let (lazy, lazy_errors) = parse_library_file(FileId(1), &Arc::from(text));
    assert!(lazy_errors.is_empty(), "{lazy_errors:?}");
    let body_errors: Vec<_> = lazy
        .decls
        .iter()
        .filter_map(|d| match d {
            Decl::Func(f) => f.deferred.as_ref(),
            Decl::Gen(_) => None,
        })
        .flat_map(|d| d.take_errors())
        .collect();
    assert_eq!(body_errors.first(), full_errors.first(), "{body_errors:?} against {full_errors:?}");
    // Once only: a generic body checked per instantiation reports once.
    let again: usize = lazy.decls.iter().filter_map(|d| if let Decl::Func(f) = d { f.deferred.as_ref() } else { None }).map(|d| d.take_errors().len()).sum();
    assert_eq!(again, 0);
}

#[test]
fn a_misplaced_label_in_a_body_is_reported_by_the_body() {
    let text = "package p\n\nfunc f() {\n\tfor {\n\t\tbreak L\n\t}\n}\n";
    let (_, full_errors) = parse_file(FileId(1), text);
    assert_eq!(full_errors.len(), 1);
    let (lazy, lazy_errors) = parse_library_file(FileId(1), &Arc::from(text));
    assert!(lazy_errors.is_empty());
    let Some(Decl::Func(f)) = lazy.decls.first() else { panic!("no function") };
    assert_eq!(f.deferred.as_ref().expect("deferred").take_errors(), full_errors);
}

#[test]
fn errors_outside_bodies_are_a_full_parse() {
    for text in ["package p\n\nfunc f() {\n\tx := \"unterminated\n}\n", "package p\n\nvar x = \n\nfunc f() { g() }\n", "package p\n\nfunc f() {\n"] {
        let (full, full_errors) = parse_file(FileId(1), text);
        let (lazy, lazy_errors) = parse_library_file(FileId(1), &Arc::from(text));
        assert!(!full_errors.is_empty());
        assert_eq!((lazy, lazy_errors), (full, full_errors));
    }
}

fn go_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { panic!("cannot read {}", dir.display()) };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    out.extend(paths.into_iter().filter(|p| p.extension().is_some_and(|e| e == "go")));
}

/// Go's own library (test files too: they are parsed under `g2n test`'s
/// other packages), every deferred body against the full parse.
#[test]
fn go_library_files_parse_the_same() {
    let goroot = std::env::var_os("GOROOT").map_or_else(|| PathBuf::from("/usr/share/go-1.19"), PathBuf::from);
    let mut files = Vec::new();
    for package in ["fmt", "strconv", "strings", "sort", "os", "time", "unicode/utf8", "reflect", "sync", "internal/poll", "go/types", "math/big"] {
        go_files(&goroot.join("src").join(package), &mut files);
    }
    assert!(files.len() > 300, "{} files", files.len());
    let mut deferred = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        deferred += same_as_full_parse(&text);
    }
    assert!(deferred > 3000, "{deferred} bodies deferred");
}
