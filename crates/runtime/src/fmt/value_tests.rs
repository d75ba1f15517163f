//! fmt of descriptor-typed values against Go 1.19.8: `go_value_cases.txt` was
//! written by `gen_value_cases.go`, whose operands are rebuilt here by name
//! with hand-made descriptors laid out as Go lays the types out.

use super::*;
use crate::ffi::leak_string;
use crate::maps::GoMap;
use g2n_abi::{FieldDesc, GoAny, GoString, MethodDesc, TypeTag};
use std::ptr::null;

pub(crate) fn gs(s: &'static str) -> GoString {
    GoString { ptr: s.as_ptr(), len: s.len() as i64 }
}

pub(crate) fn raw_desc(kind: Kind, size: u64, name: &'static str) -> TypeDesc {
    TypeDesc {
        kind: kind as u32,
        reserved: 0,
        size,
        name: gs(name),
        elem: null(),
        key: null(),
        len: 0,
        fields: null(),
        nfields: 0,
        methods: null(),
        nmethods: 0,
        ext: std::ptr::null(),
    }
}

fn leak(d: TypeDesc) -> Desc {
    Box::leak(Box::new(d))
}

pub(crate) fn basic(kind: Kind, name: &'static str) -> Desc {
    let size = match kind {
        Kind::Bool | Kind::Int8 | Kind::Uint8 => 1,
        Kind::Int16 | Kind::Uint16 => 2,
        Kind::Int32 | Kind::Uint32 | Kind::Float32 => 4,
        Kind::String => 16,
        _ => 8,
    };
    leak(raw_desc(kind, size, name))
}

/// A descriptor with methods given by name; the `() string` methods fmt
/// calls get their whole key (g2n_abi::method_key), as codegen writes them.
pub(crate) fn with_methods(d: TypeDesc, methods: &[(&'static str, *const std::ffi::c_void)]) -> TypeDesc {
    let key = |name: &'static str| -> &'static str {
        match name {
            "Error" | "String" | "GoString" => Box::leak(g2n_abi::method_key(name, "func() string").into_boxed_str()),
            _ => name,
        }
    };
    let ms: Vec<MethodDesc> = methods.iter().map(|(n, f)| MethodDesc { name: gs(key(n)), func: *f }).collect();
    let ms = Box::leak(ms.into_boxed_slice());
    TypeDesc { methods: ms.as_ptr(), nmethods: ms.len() as u64, ..d }
}

pub(crate) fn slice_of(e: Desc, name: &'static str) -> Desc {
    leak(TypeDesc { elem: e, ..raw_desc(Kind::Slice, 24, name) })
}

pub(crate) fn array_of(e: Desc, n: u64, name: &'static str) -> Desc {
    leak(TypeDesc { elem: e, len: n, ..raw_desc(Kind::Array, e.size * n, name) })
}

pub(crate) fn ptr_to(e: *const TypeDesc, name: &'static str) -> TypeDesc {
    TypeDesc { elem: e, ..raw_desc(Kind::Pointer, 8, name) }
}

pub(crate) fn map_of(k: Desc, v: Desc, name: &'static str) -> Desc {
    leak(TypeDesc { key: k, elem: v, ..raw_desc(Kind::Map, 8, name) })
}

pub(crate) fn iface(name: &'static str) -> Desc {
    leak(raw_desc(Kind::Interface, 24, name))
}

fn align(d: Desc) -> u64 {
    match types::kind(d) {
        Kind::Array => align(types::elem(d)),
        Kind::Struct => types::fields(d).iter().map(|f| align(types::field_type(d, f))).max().unwrap_or(1),
        Kind::String | Kind::Slice | Kind::Interface => 8,
        _ => d.size.clamp(1, 8),
    }
}

/// A struct laid out as Go does; an embedded field is marked by a `*` prefix.
pub(crate) fn strukt(name: &'static str, fields: &[(&'static str, Desc)]) -> TypeDesc {
    let mut off = 0u64;
    let mut max_align = 1;
    let mut fs = Vec::new();
    for (n, t) in fields {
        let a = align(t);
        max_align = max_align.max(a);
        off = off.div_ceil(a) * a;
        let (n, embedded) = match n.strip_prefix('*') {
            Some(n) => (n, 1),
            None => (*n, 0),
        };
        fs.push(FieldDesc { name: gs(n), ty: *t, offset: off, embedded });
        off += t.size;
    }
    let fs = Box::leak(fs.into_boxed_slice());
    let size = off.div_ceil(max_align) * max_align;
    TypeDesc { fields: fs.as_ptr(), nfields: fs.len() as u64, ..raw_desc(Kind::Struct, size, name) }
}

/// A value to write in memory as a given descriptor lays it out.
pub(crate) enum V {
    I(i64),
    F(f64),
    B(bool),
    S(&'static str),
    /// A slice (non-nil, even when empty), an array or a struct.
    L(Vec<V>),
    NilSlice,
    /// A pointer to a fresh copy of the value; `true`: record its address.
    P(Box<V>, bool),
    Nil,
    /// An interface holding a value of a descriptor type.
    Any(Desc, Box<V>),
    /// An interface holding an unnamed basic value.
    AnyB(GoAny),
    M(Vec<(V, V)>),
}

pub(crate) fn alloc(size: u64) -> *mut u8 {
    crate::memory::g2n_alloc(size as i64)
}

/// Writes `v` as a value of type `d` at `p`, recording marked addresses.
pub(crate) fn put(d: Desc, p: *mut u8, v: &V, rec: &mut Vec<u64>) {
    let k = types::kind(d);
    // SAFETY: `p` points to `d.size` writable bytes (allocated by the caller).
    unsafe {
        match (k, v) {
            (Kind::Float32, V::F(f)) => p.cast::<f32>().write_unaligned(*f as f32),
            (Kind::Float64, V::F(f)) => p.cast::<f64>().write_unaligned(*f),
            (Kind::Bool, V::B(b)) => p.write(*b as u8),
            (Kind::String, V::S(s)) => p.cast::<GoString>().write_unaligned(gs(s)),
            (Kind::Slice, V::NilSlice) => {}
            (Kind::Slice, V::L(items)) => {
                let e = types::elem(d);
                let data = alloc(e.size * items.len() as u64);
                for (i, item) in items.iter().enumerate() {
                    put(e, data.add(i * e.size as usize), item, rec);
                }
                p.cast::<[u64; 3]>().write_unaligned([data as u64, items.len() as u64, items.len() as u64]);
            }
            (Kind::Array, V::L(items)) => {
                let e = types::elem(d);
                for (i, item) in items.iter().enumerate() {
                    put(e, p.add(i * e.size as usize), item, rec);
                }
            }
            (Kind::Struct, V::L(items)) => {
                for (f, item) in types::fields(d).iter().zip(items) {
                    put(types::field_type(d, f), p.add(f.offset as usize), item, rec);
                }
            }
            (Kind::Pointer | Kind::Map | Kind::Interface, V::Nil) => {}
            (Kind::Pointer, V::P(target, record)) => {
                let e = types::elem(d);
                let t = alloc(e.size);
                put(e, t, target, rec);
                if *record {
                    rec.push(t as u64);
                }
                p.cast::<u64>().write_unaligned(t as u64);
            }
            (Kind::Interface, V::AnyB(a)) => p.cast::<GoAny>().write_unaligned(*a),
            (Kind::Interface, V::Any(dd, inner)) => {
                let tmp = alloc(dd.size);
                put(dd, tmp, inner, rec);
                let (w0, w1) = types::box_words(dd, tmp);
                p.cast::<GoAny>().write_unaligned(GoAny { tag: *dd as *const TypeDesc as u64, word0: w0, word1: w1 });
            }
            (Kind::Map, V::M(entries)) => {
                let mut m = GoMap::new(types::key(d), types::elem(d), 0);
                for (kv, vv) in entries {
                    let kp = alloc(types::key(d).size);
                    put(types::key(d), kp, kv, rec);
                    let slot = m.assign(kp);
                    put(types::elem(d), slot, vv, rec);
                }
                p.cast::<u64>().write_unaligned(crate::gc::boxed(m) as u64);
            }
            (_, V::I(n)) if types::int_kind(k).is_some() => {
                let (size, _) = types::int_kind(k).unwrap_or((8, true));
                std::ptr::copy_nonoverlapping(n.to_le_bytes().as_ptr(), p, size as usize);
            }
            _ => panic!("test value does not fit type {}", String::from_utf8_lossy(types::name(d))),
        }
    }
}

/// A top-level operand of a descriptor type, and the addresses it holds.
pub(crate) fn operand(d: Desc, v: &V) -> (Arg<'static>, Vec<u64>) {
    let mut rec = Vec::new();
    let p = alloc(d.size.max(8));
    put(d, p, v, &mut rec);
    if types::kind(d) == Kind::Pointer {
        // SAFETY: just written.
        let target = unsafe { types::read_uint(p, 8) };
        if target != 0 {
            rec.insert(0, target);
        }
    }
    (Arg::Val { desc: d, ptr: p }, rec)
}

extern "C" fn s_string(w0: u64, _w1: u64) -> GoString {
    // SAFETY: the receiver is a boxed S (word0 points to it) or a *S.
    let a = unsafe { (w0 as *const i64).read() };
    leak_string(format!("S<{a}>").into_bytes())
}

extern "C" fn e_error(w0: u64, _w1: u64) -> GoString {
    // SAFETY: the receiver is a boxed E.
    let code = unsafe { (w0 as *const i64).read() };
    leak_string(format!("error {code}").into_bytes())
}

extern "C" fn both_error(_w0: u64, _w1: u64) -> GoString {
    gs("err")
}

extern "C" fn both_string(_w0: u64, _w1: u64) -> GoString {
    gs("str")
}

pub(crate) struct Types {
    pub int: Desc,
    pub string: Desc,
    pub point: Desc,
    pub s: Desc,
    pub e: Desc,
    pub ints: Desc,
    pub any: Desc,
}

pub(crate) fn common_types() -> Types {
    let int = basic(Kind::Int, "int");
    let string = basic(Kind::String, "string");
    let point = leak(strukt("main.Point", &[("X", int), ("Y", int)]));
    let s = leak(with_methods(strukt("main.S", &[("A", int)]), &[("String", s_string as *const _)]));
    let e = leak(with_methods(strukt("main.E", &[("Code", int)]), &[("Error", e_error as *const _)]));
    Types { int, string, point, s, e, ints: slice_of(int, "[]int"), any: iface("interface {}") }
}

pub(crate) fn any_int(n: i64) -> V {
    V::AnyB(GoAny { tag: TypeTag::Int as u64, word0: n as u64, word1: 0 })
}

pub(crate) fn any_str(s: &'static str) -> V {
    V::AnyB(GoAny { tag: TypeTag::String as u64, word0: s.as_ptr() as u64, word1: s.len() as u64 })
}

/// The operand `name` of gen_value_cases.go.
fn build(name: &str) -> (Arg<'static>, Vec<u64>) {
    use V::*;
    let t = common_types();
    let (int, string, point) = (t.int, t.string, t.point);
    let u8_ = basic(Kind::Uint8, "uint8");
    let celsius = basic(Kind::Float64, "main.Celsius");
    let myint = basic(Kind::Int, "main.MyInt");
    let name_t = basic(Kind::String, "main.Name");
    let s_ptr = leak(with_methods(ptr_to(t.s, "*main.S"), &[("String", s_string as *const _)]));
    let pt = |x, y| L(vec![I(x), I(y)]);
    match name {
        "point" => operand(point, &pt(1, 2)),
        "pointp" => operand(leak(ptr_to(point, "*main.Point")), &P(Box::new(pt(1, -2)), false)),
        "pointnil" => operand(leak(ptr_to(point, "*main.Point")), &Nil),
        "intp" => operand(leak(ptr_to(int, "*int")), &P(Box::new(I(5)), false)),
        "ints" => operand(t.ints, &L(vec![I(1), I(2), I(3)])),
        "intsnil" => operand(t.ints, &NilSlice),
        "intsempty" => operand(t.ints, &L(vec![])),
        "arr" => operand(array_of(int, 3, "[3]int"), &L(vec![I(7), I(8), I(9)])),
        "bytes" => operand(slice_of(u8_, "[]uint8"), &L(vec![I(104), I(105), I(0)])),
        "namedbytes" => operand(slice_of(u8_, "main.Bytes"), &L(vec![I(1), I(255)])),
        "arru8" => operand(array_of(u8_, 3, "[3]uint8"), &L(vec![I(65), I(66), I(67)])),
        "celsius" => operand(celsius, &F(36.6)),
        "myint" => operand(myint, &I(-7)),
        "name" => operand(name_t, &S("bob")),
        "s" => operand(t.s, &L(vec![I(3)])),
        "sp" => operand(s_ptr, &P(Box::new(L(vec![I(4)])), false)),
        "snil" => operand(s_ptr, &Nil),
        "e" => operand(t.e, &L(vec![I(404)])),
        "both" => operand(
            leak(with_methods(raw_desc(Kind::Int, 8, "main.Both"), &[("Error", both_error as *const _), ("String", both_string as *const _)])),
            &I(1),
        ),
        "ss" => operand(slice_of(t.s, "[]main.S"), &L(vec![L(vec![I(1)]), L(vec![I(2)])])),
        "anys" => operand(
            slice_of(t.any, "[]interface {}"),
            &L(vec![
                any_int(1),
                any_str("a"),
                Nil,
                AnyB(GoAny { tag: TypeTag::Float64 as u64, word0: 2.5f64.to_bits(), word1: 0 }),
                Any(point, Box::new(pt(1, 2))),
                Any(t.s, Box::new(L(vec![I(5)]))),
                AnyB(GoAny { tag: TypeTag::Bool as u64, word0: 1, word1: 0 }),
                Any(myint, Box::new(I(3))),
            ]),
        ),
        "mixed" => {
            let inner = leak(strukt("main.Inner", &[("a", int), ("B", string)]));
            let mixed = leak(strukt(
                "main.Mixed",
                &[
                    ("I8", basic(Kind::Int8, "int8")),
                    ("U16", basic(Kind::Uint16, "uint16")),
                    ("F32", basic(Kind::Float32, "float32")),
                    ("F64", basic(Kind::Float64, "float64")),
                    ("B", basic(Kind::Bool, "bool")),
                    ("Str", string),
                    ("Sl", t.ints),
                    ("P", leak(ptr_to(int, "*int"))),
                    ("Any", t.any),
                    ("Arr", array_of(u8_, 2, "[2]uint8")),
                    ("In", inner),
                    ("hidden", t.s),
                    ("Shown", t.s),
                    ("Err", iface("error")),
                ],
            ));
            operand(
                mixed,
                &L(vec![
                    I(-3),
                    I(65535),
                    F(0.1),
                    F(1e21),
                    B(true),
                    S("q\"s"),
                    L(vec![I(4)]),
                    P(Box::new(I(6)), true),
                    any_str("in"),
                    L(vec![I(9), I(10)]),
                    L(vec![I(1), S("b")]),
                    L(vec![I(7)]),
                    L(vec![I(8)]),
                    Any(t.e, Box::new(L(vec![I(1)]))),
                ]),
            )
        }
        "temp" => operand(leak(strukt("main.Temp", &[("C", celsius), ("N", name_t)])), &L(vec![F(36.6), S("x")])),
        "node" => {
            let node = Box::into_raw(Box::new(raw_desc(Kind::Struct, 16, "main.Node")));
            let pnode = leak(ptr_to(node, "*main.Node"));
            let fields = strukt("main.Node", &[("V", int), ("Next", pnode)]);
            // SAFETY: no reference to the descriptor exists yet.
            unsafe { *node = fields };
            operand(pnode, &P(Box::new(L(vec![I(1), P(Box::new(L(vec![I(2), Nil])), true)])), false))
        }
        "msi" => operand(map_of(string, int, "map[string]int"), &M(vec![(S("b"), I(2)), (S("a"), I(1)), (S("c"), I(3))])),
        "mis" => operand(map_of(int, string, "map[int]string"), &M(vec![(I(3), S("c")), (I(-1), S("z")), (I(10), S("t"))])),
        "mnil" => operand(map_of(string, int, "map[string]int"), &Nil),
        "mfb" => operand(
            map_of(basic(Kind::Float64, "float64"), basic(Kind::Bool, "bool"), "map[float64]bool"),
            &M(vec![(F(2.5), B(true)), (F(-1.0), B(false)), (F(0.0), B(true))]),
        ),
        "mbool" => operand(map_of(basic(Kind::Bool, "bool"), int, "map[bool]int"), &M(vec![(B(true), I(1)), (B(false), I(0))])),
        "mpoint" => operand(
            map_of(point, string, "map[main.Point]string"),
            &M(vec![(pt(2, 1), S("b")), (pt(1, 2), S("a")), (pt(1, 1), S("c"))]),
        ),
        "mnested" => operand(map_of(string, t.ints, "map[string][]int"), &M(vec![(S("y"), NilSlice), (S("x"), L(vec![I(1), I(2)]))])),
        "many" => operand(map_of(t.any, int, "map[interface {}]int"), &M(vec![(any_str("b"), I(1)), (any_str("a"), I(2))])),
        "f32" => (Arg::Float32(0.1), vec![]),
        "u8" => (Arg::Sized { raw: 200, signed: false, name: "uint8" }, vec![]),
        "int" => (Arg::Int(42), vec![]),
        "str" => (Arg::Str(b"hey"), vec![]),
        "strs2" => {
            let strs = slice_of(string, "[]string");
            operand(slice_of(strs, "[][]string"), &L(vec![L(vec![S("a")]), L(vec![S("b"), S("c")])]))
        }
        "emb" => operand(leak(strukt("main.Emb", &[("*Point", point), ("Z", int)])), &L(vec![pt(1, 2), I(3)])),
        "anon" => operand(leak(strukt("struct { A int; b string }", &[("A", int), ("b", string)])), &L(vec![I(1), S("x")])),
        "errnil" => operand(leak(strukt("struct { Err error }", &[("Err", iface("error"))])), &L(vec![Nil])),
        "nested" => {
            let both = leak(with_methods(raw_desc(Kind::Int, 8, "main.Both"), &[("Error", both_error as *const _), ("String", both_string as *const _)]));
            let nested = leak(strukt(
                "main.Nested",
                &[("P", s_ptr), ("Q", s_ptr), ("L", slice_of(both, "[]main.Both")), ("M", map_of(string, t.s, "map[string]main.S"))],
            ));
            operand(
                nested,
                &L(vec![P(Box::new(L(vec![I(1)])), true), Nil, L(vec![I(1), I(2)]), M(vec![(S("k"), L(vec![I(2)]))])]),
            )
        }
        "anyptr" => {
            let pp = leak(ptr_to(point, "*main.Point"));
            let mut rec = Vec::new();
            let target = alloc(point.size);
            put(point, target, &pt(1, 2), &mut rec);
            let a = AnyB(GoAny { tag: pp as *const TypeDesc as u64, word0: target as u64, word1: 0 });
            let (arg, _) = operand(slice_of(t.any, "[]interface {}"), &L(vec![a]));
            (arg, vec![target as u64])
        }
        _ => panic!("unknown operand {name}"),
    }
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap()).collect()
}

#[test]
fn descriptor_values_match_go_1_19() {
    let text = include_str!("go_value_cases.txt");
    let mut failures = Vec::new();
    let mut n = 0;
    for line in text.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (kind, names, format, want) = (cols[0], cols[1], unhex(cols[2]), unhex(cols[3]));
        let mut args = Vec::new();
        let mut ptrs = Vec::new();
        for name in names.split(',') {
            let (arg, p) = build(name);
            args.push(arg);
            ptrs.extend(p);
        }
        let mut want = String::from_utf8_lossy(&want).into_owned();
        for (i, p) in ptrs.iter().enumerate() {
            want = want
                .replace(&format!("{{P{i}}}"), &format!("{p:x}"))
                .replace(&format!("{{PX{i}}}"), &format!("{p:X}"))
                .replace(&format!("{{PO{i}}}"), &format!("{p:o}"))
                .replace(&format!("{{D{i}}}"), &format!("{p}"));
        }
        let got = match kind {
            "printf" => sprintf(&format, &args),
            "print" => sprint(&args),
            "println" => sprintln(&args),
            _ => panic!("bad kind {kind}"),
        };
        n += 1;
        let got = String::from_utf8_lossy(&got).into_owned();
        if got != want {
            failures.push(format!("{kind} {names} {:?}:\n   want {want:?}\n    got {got:?}", String::from_utf8_lossy(&format)));
        }
    }
    assert!(n > 900, "too few cases: {n}");
    assert!(failures.is_empty(), "{} of {n} cases differ from Go:\n{}", failures.len(), failures.join("\n"));
}
