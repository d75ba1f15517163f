//! Panics, type assertions, interface equality and builtin `println` of
//! descriptor values, against what Go 1.19.8 prints (`go_runtime_cases.txt`,
//! written by `gen_runtime_cases.go`; `{ADDR}` stands for an address).

use crate::builtin::format_print;
use crate::ffi::panic_value;
use crate::fmt::Arg;
use crate::fmt::value_tests::{V, alloc, basic, common_types, operand, put, raw_desc, strukt, with_methods};
use crate::types::{self, Desc, Uncomparable, any_eq, type_assert_message};
use g2n_abi::{GoAny, Kind, TypeDesc, TypeTag};

/// Go's first stderr line for a case, without the `panic: ` prefix.
fn go(name: &str) -> String {
    let line = include_str!("go_runtime_cases.txt")
        .lines()
        .find_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix('\t')))
        .unwrap_or_else(|| panic!("no Go case {name}"));
    line.strip_prefix("panic: ").unwrap_or(line).to_string()
}

fn leak(d: TypeDesc) -> Desc {
    Box::leak(Box::new(d))
}

fn boxed(d: Desc, v: &V) -> GoAny {
    let p = alloc(d.size.max(8));
    put(d, p, v, &mut Vec::new());
    // SAFETY: just written as a value of type `d`.
    let (word0, word1) = unsafe { types::box_words(d, p) };
    GoAny { tag: d as *const TypeDesc as u64, word0, word1 }
}

fn arg_of(a: &GoAny) -> Arg<'_> {
    // SAFETY: built by `boxed`.
    unsafe { crate::ffi::any_to_arg(a) }
}

fn text(b: Vec<u8>) -> String {
    String::from_utf8(b).unwrap()
}

extern "C" fn area(_w0: u64, _w1: u64) -> f64 {
    1.0
}

#[test]
fn panic_values_print_as_go_prints_them() {
    let t = common_types();
    let cases: Vec<(&str, GoAny)> = vec![
        ("panic_myint", boxed(basic(Kind::Int, "main.MyInt"), &V::I(5))),
        ("panic_float", boxed(basic(Kind::Float64, "main.F"), &V::F(1.5))),
        ("panic_name", boxed(basic(Kind::String, "main.Name"), &V::S("hi"))),
        ("panic_bool", boxed(basic(Kind::Bool, "main.B"), &V::B(true))),
        ("panic_u8", boxed(basic(Kind::Uint8, "main.U8"), &V::I(200))),
        ("panic_err", boxed(t.e, &V::L(vec![V::I(404)]))),
        ("panic_stringer", boxed(t.s, &V::L(vec![V::I(3)]))),
    ];
    for (name, a) in &cases {
        assert_eq!(text(panic_value(arg_of(a))), go(name), "{name}");
    }
    let p = boxed(t.point, &V::L(vec![V::I(1), V::I(2)]));
    assert_eq!(text(panic_value(arg_of(&p))), go("panic_struct").replace("{ADDR}", &format!("{:#x}", p.word0)));
    let pp = boxed(leak(crate::fmt::value_tests::ptr_to(t.point, "*main.Point")), &V::P(Box::new(V::L(vec![V::I(1), V::I(2)])), false));
    assert_eq!(text(panic_value(arg_of(&pp))), go("panic_ptr").replace("{ADDR}", &format!("{:#x}", pp.word0)));
}

#[test]
fn type_assertion_messages_match_go() {
    let t = common_types();
    let nil = GoAny { tag: 0, word0: 0, word1: 0 };
    let s = GoAny { tag: TypeTag::String as u64, word0: b"s".as_ptr() as u64, word1: 1 };
    let int = TypeTag::Int as u64;
    let msg = |v: &GoAny, target: u64, iface: &str| text(type_assert_message(v, target, iface.as_bytes()));
    assert_eq!(msg(&s, int, "interface {}"), go("assert_string_int"));
    assert_eq!(msg(&nil, int, "interface {}"), go("assert_nil_int"));
    let point = boxed(t.point, &V::L(vec![V::I(0), V::I(0)]));
    assert_eq!(msg(&point, int, "interface {}"), go("assert_struct_int"));
    // Interfaces list their methods (by name; a null wrapper) in their descriptor.
    let shape = leak(with_methods(raw_desc(Kind::Interface, 24, "main.Shape"), &[("Area", std::ptr::null())]));
    assert_eq!(msg(&point, shape as *const TypeDesc as u64, "interface {}"), go("assert_missing"));
    let perim = leak(with_methods(raw_desc(Kind::Interface, 24, "interface { Perim() int }"), &[("Perim", std::ptr::null())]));
    assert_eq!(msg(&nil, perim as *const TypeDesc as u64, "main.Shape"), go("assert_nil_iface"));
    let sq = leak(with_methods(strukt("main.Sq", &[]), &[("Area", area as *const _)]));
    let circle = leak(with_methods(strukt("main.Circle", &[]), &[("Area", area as *const _)]));
    let v = boxed(sq, &V::L(vec![]));
    assert_eq!(msg(&v, circle as *const TypeDesc as u64, "main.Shape"), go("assert_named"));
}

#[test]
fn find_method_searches_the_sorted_method_set() {
    let t = common_types();
    let both = leak(with_methods(
        raw_desc(Kind::Int, 8, "main.Both"),
        &[("Area", area as *const _), ("Error", std::ptr::without_provenance(16)), ("String", std::ptr::without_provenance(32))],
    ));
    let find = |tag: u64, name: &str| {
        // SAFETY: valid tag and name.
        unsafe { types::g2n_find_method(tag, name.as_ptr(), name.len() as i64) }
    };
    let tag = both as *const TypeDesc as u64;
    assert_eq!(find(tag, "Area"), area as *const _);
    assert_eq!(find(tag, "Error") as usize, 16);
    assert_eq!(find(tag, "String") as usize, 32);
    assert!(find(tag, "Strin").is_null());
    assert!(find(tag, "Zed").is_null());
    assert!(find(TypeTag::Int as u64, "String").is_null());
    assert!(find(t.point as *const TypeDesc as u64, "String").is_null());
}

#[test]
fn a_call_site_slot_always_pairs_a_tag_with_its_own_method() {
    use g2n_abi::MethodCacheEntry;
    use std::sync::atomic::{AtomicPtr, Ordering};
    // Eight types whose `Area` wrappers are told apart by address.
    let descs: Vec<(u64, usize)> = (1..=8usize)
        .map(|i| {
            let d = leak(with_methods(raw_desc(Kind::Int, 8, "main.T"), &[("Area", std::ptr::without_provenance(i * 16))]));
            (d as *const TypeDesc as u64, i * 16)
        })
        .collect();
    let slot = AtomicPtr::<MethodCacheEntry>::new(std::ptr::null_mut());
    let name = "Area";
    let miss = |slot: &AtomicPtr<MethodCacheEntry>, tag: u64| {
        // SAFETY: a slot, a valid tag and name.
        unsafe { types::g2n_method_slot_miss(slot.as_ptr().cast(), tag, name.as_ptr(), name.len() as i64) as usize }
    };
    // A nil interface: null (the caller's nil panic), the slot left empty.
    assert_eq!(miss(&slot, TypeTag::Nil as u64), 0);
    assert!(slot.load(Ordering::Acquire).is_null());
    // Each miss points the slot at the new type's entry; a type seen before
    // gets the same entry back (entries are made once per type and name).
    let mut first = Vec::new();
    for &(tag, func) in &descs {
        assert_eq!(miss(&slot, tag), func);
        // SAFETY: the slot now holds an entry, never freed.
        let e = unsafe { &*slot.load(Ordering::Acquire) };
        assert_eq!((e.tag, e.func as usize), (tag, func));
        first.push(e as *const MethodCacheEntry);
    }
    for (&(tag, _), e) in descs.iter().zip(&first) {
        miss(&slot, tag);
        assert_eq!(slot.load(Ordering::Acquire).cast_const(), *e);
    }
    // A megamorphic site shared by threads: whatever a reader loads from
    // the slot is one entry, whose tag and method belong together.
    let funcs: std::collections::HashMap<u64, usize> = descs.iter().copied().collect();
    std::thread::scope(|s| {
        for t in 0..4 {
            let (slot, descs, funcs) = (&slot, &descs, &funcs);
            s.spawn(move || {
                for i in 0..20_000 {
                    let (tag, func) = descs[(i * 3 + t) % descs.len()];
                    assert_eq!(miss(slot, tag), func);
                    // SAFETY: the slot holds an entry (filled above).
                    let e = unsafe { &*slot.load(Ordering::Acquire) };
                    assert_eq!(funcs[&e.tag], e.func as usize);
                }
            });
        }
    });
}

#[test]
fn interface_equality_follows_go() {
    let t = common_types();
    let eq = |a: &GoAny, b: &GoAny| match unsafe { any_eq(a, b) } {
        Ok(e) => Ok(e),
        Err(Uncomparable(n)) => Err(format!("runtime error: comparing uncomparable type {}", String::from_utf8_lossy(n))),
    };
    let int = |n: u64| GoAny { tag: TypeTag::Int as u64, word0: n, word1: 0 };
    let f = |x: f64| GoAny { tag: TypeTag::Float64 as u64, word0: x.to_bits(), word1: 0 };
    let (s1, s2) = (String::from("abc"), String::from("abc"));
    let s = |x: &String| GoAny { tag: TypeTag::String as u64, word0: x.as_ptr() as u64, word1: x.len() as u64 };
    let nil = GoAny { tag: 0, word0: 0, word1: 0 };
    assert_eq!(eq(&int(1), &int(1)), Ok(true));
    assert_eq!(eq(&int(1), &int(2)), Ok(false));
    assert_eq!(eq(&int(1), &GoAny { tag: TypeTag::Int64 as u64, word0: 1, word1: 0 }), Ok(false));
    assert_eq!(eq(&s(&s1), &s(&s2)), Ok(true), "strings compare by content");
    assert_eq!(eq(&f(f64::NAN), &f(f64::NAN)), Ok(false));
    assert_eq!(eq(&f(0.0), &f(-0.0)), Ok(true));
    assert_eq!(eq(&nil, &nil), Ok(true));
    assert_eq!(eq(&nil, &int(0)), Ok(false));
    // Structs field by field, through nested interfaces and strings.
    let pair = leak(strukt("main.Pair", &[("A", t.any), ("B", t.string)]));
    let p1 = boxed(pair, &V::L(vec![crate::fmt::value_tests::any_str("x"), V::S("y")]));
    let p2 = boxed(pair, &V::L(vec![crate::fmt::value_tests::any_str("x"), V::S("y")]));
    let p3 = boxed(pair, &V::L(vec![crate::fmt::value_tests::any_int(1), V::S("y")]));
    assert_eq!(eq(&p1, &p2), Ok(true));
    assert_eq!(eq(&p1, &p3), Ok(false));
    // Pointers by address.
    let pt = leak(crate::fmt::value_tests::ptr_to(t.int, "*int"));
    let a = boxed(pt, &V::P(Box::new(V::I(1)), false));
    let b = boxed(pt, &V::P(Box::new(V::I(1)), false));
    assert_eq!(eq(&a, &a), Ok(true));
    assert_eq!(eq(&a, &b), Ok(false));
    // Uncomparable dynamic types.
    let s1 = boxed(t.ints, &V::L(vec![V::I(1)]));
    assert_eq!(eq(&s1, &s1), Err(go("eq_slice")));
    let u = leak(strukt("main.U", &[("S", t.ints)]));
    let u1 = boxed(u, &V::L(vec![V::NilSlice]));
    assert_eq!(eq(&u1, &u1), Err(go("eq_struct")));
    // Different dynamic types are unequal even when uncomparable.
    assert_eq!(eq(&s1, &int(1)), Ok(false));
}

#[test]
fn builtin_println_of_descriptor_values_matches_go() {
    let t = common_types();
    let vals = [
        boxed(basic(Kind::Int, "main.MyInt"), &V::I(5)),
        boxed(basic(Kind::String, "main.Name"), &V::S("x")),
        boxed(basic(Kind::Float64, "main.F"), &V::F(1.5)),
        boxed(basic(Kind::Bool, "main.B"), &V::B(true)),
        boxed(basic(Kind::Uint8, "main.U8"), &V::I(7)),
        boxed(leak(crate::fmt::value_tests::ptr_to(t.int, "*int")), &V::Nil),
        boxed(t.ints, &V::NilSlice),
        boxed(crate::fmt::value_tests::map_of(t.string, t.int, "map[string]int"), &V::Nil),
    ];
    let args: Vec<Arg> = vals.iter().map(arg_of).collect();
    let want = go("println_named").replace("{ADDR}", "0x0") + "\n";
    assert_eq!(text(format_print(&args, true)), want);
    // Non-nil pointers and slices print their addresses.
    let s = boxed(t.ints, &V::L(vec![V::I(1), V::I(2)]));
    // SAFETY: word0 points to the slice header.
    let h = unsafe { types::read_slice(s.word0 as *const u8) };
    assert_eq!(text(format_print(&[arg_of(&s)], false)), format!("[2/2]{:#x}", h.ptr as u64));
}

#[test]
fn fmt_goes_through_interface_values() {
    // The path generated code takes: GoAny -> Arg -> fmt.
    let t = common_types();
    let p = boxed(t.point, &V::L(vec![V::I(1), V::I(2)]));
    let pp = boxed(leak(crate::fmt::value_tests::ptr_to(t.point, "*main.Point")), &V::P(Box::new(V::L(vec![V::I(3), V::I(4)])), false));
    let s = boxed(t.s, &V::L(vec![V::I(9)]));
    let args = [arg_of(&p), arg_of(&pp), arg_of(&s)];
    assert_eq!(text(crate::fmt::sprintf(b"%v %+v %s %T %T", &[args[0], args[1], args[2], args[1], args[2]])), "{1 2} &{X:3 Y:4} S<9> *main.Point main.S");
    let (arg, _) = operand(t.point, &V::L(vec![V::I(5), V::I(6)]));
    assert_eq!(text(crate::fmt::sprintln(&[arg])), "{5 6}\n");
}
