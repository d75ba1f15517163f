//! The syntax tree walk (`g2n_syntax::visit`) through its two users: the
//! package qualifiers of a declaration, and the expression at a span.

use g2n_base::{FileId, Span};
use g2n_syntax::ast::{Decl, ExprKind, File, Spec};
use g2n_syntax::print::{expr_string, find_expr};
use g2n_syntax::visit::{qualifiers_in_func, qualifiers_in_type};
use g2n_syntax::{parse_file, parse_library_file};
use std::sync::Arc;

fn parse(text: &str) -> File {
    let (file, errors) = parse_file(FileId(0), text);
    assert!(errors.is_empty(), "{errors:?}");
    file
}

/// Sorted and without repeats.
fn qualifiers(walk: impl FnOnce(&mut dyn FnMut(&str))) -> Vec<String> {
    let mut names = Vec::new();
    walk(&mut |name: &str| names.push(name.to_string()));
    names.sort();
    names.dedup();
    names
}

const QUALIFIED: &str = "package p

type L[T k.C] struct{ f l.T }

func (r *a.Recv) M(x [c.N]d.T, cb func(e.In) f.Out) g.Res {
	var v h.V = i.Make(j.Arg)
	_ = []m.Elem{n.Key: o.Value}
	_ = func() { p.Inner() }
	_ = v.(interface{ Do(q.Q) })
	for _, w := range r2.Items {
		defer s.Done(w)
	}
	return t.Zero
}

func G[T u.C](U w.U) {}
";

#[test]
fn qualifiers_are_found_in_receiver_signature_body_and_nested_types() {
    let file = parse(QUALIFIED);
    let funcs: Vec<_> = file.decls.iter().filter_map(|d| if let Decl::Func(f) = d { Some(f) } else { None }).collect();
    assert_eq!(
        qualifiers(|f| qualifiers_in_func(funcs[0], f)),
        ["a", "c", "d", "e", "f", "g", "h", "i", "j", "m", "n", "o", "p", "q", "r2", "s", "t"]
    );
    assert_eq!(qualifiers(|f| qualifiers_in_func(funcs[1], f)), ["u", "w"]);
}

#[test]
fn qualifiers_of_a_type_definition_are_those_of_its_type_only() {
    let file = parse(QUALIFIED);
    let Some(Decl::Gen(decl)) = file.decls.first() else { panic!("first declaration is the type") };
    let Some(Spec::Type { ty, .. }) = decl.specs.first() else { panic!("a type spec") };
    // The constraint `k.C` belongs to the type parameters, not the definition.
    assert_eq!(qualifiers(|f| qualifiers_in_type(ty, f)), ["l"]);
}

const NESTED: &str = "package p

var v = f((a + b) * z)

func main() {
	x := []int{1, 2}
	go func() { println(x[0] + y) }()
}
";

/// The span of the first occurrence of `needle` in [`NESTED`].
fn span_of(needle: &str) -> Span {
    let start = NESTED.find(needle).unwrap_or_else(|| panic!("{needle:?} in the source")) as u32;
    Span::new(FileId(0), start, start + needle.len() as u32)
}

#[test]
fn find_expr_finds_the_expression_with_exactly_the_span() {
    let file = parse(NESTED);
    for text in ["f((a + b) * z)", "(a + b) * z", "(a + b)", "a + b", "z", "[]int{1, 2}", "x[0] + y", "x[0]", "0", "y"] {
        let found = find_expr(&file, span_of(text)).unwrap_or_else(|| panic!("no expression at {text:?}"));
        assert_eq!(expr_string(found), text.replace("{1, 2}", "{…}"));
    }
    assert!(matches!(find_expr(&file, span_of("(a + b)")).map(|e| &e.kind), Some(ExprKind::Paren(_))));
}

#[test]
fn find_expr_finds_nothing_where_no_expression_has_the_span() {
    let file = parse(NESTED);
    for text in ["x := ", "a + b)", "go func", "main"] {
        assert!(find_expr(&file, span_of(text)).is_none(), "{text:?} is no expression");
    }
}

/// A library package merges its files into one AST, where the same byte
/// offsets occur once per file: the span's file decides, and a function of
/// another file is not walked (walking it would parse its deferred body).
#[test]
fn find_expr_looks_only_in_the_file_of_the_span() {
    let library = |id: u32, text: &str| {
        let (file, errors) = parse_library_file(FileId(id), &Arc::from(text));
        assert!(errors.is_empty(), "{errors:?}");
        file
    };
    let mut merged = library(1, "package p\n\nfunc f() { g(aa) }\n");
    merged.decls.extend(library(2, "package p\n\nfunc h() { k(bb) }\n").decls);
    let body_parsed = |file: &File, name: &str| {
        file.decls.iter().any(|d| matches!(d, Decl::Func(f) if f.name.name == name && f.deferred.as_ref().is_some_and(|b| b.is_parsed())))
    };
    let at = "package p\n\nfunc f() { g(".len() as u32;
    let found = find_expr(&merged, Span::new(FileId(2), at, at + 2)).expect("bb in the second file");
    assert_eq!(expr_string(found), "bb");
    assert!(body_parsed(&merged, "h"));
    assert!(!body_parsed(&merged, "f"), "f's body, in another file, was parsed");
    assert!(find_expr(&merged, Span::new(FileId(3), at, at + 2)).is_none(), "no file 3");
}
