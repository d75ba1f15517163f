use super::*;
use crate::ffi::bytes;
use crate::types::Desc;
use g2n_abi::{GoAny, ProgramTable, TypeEntry, TypeTag};
use crate::fmt::value_tests::{basic, gs, iface, raw_desc, slice_of, strukt};
use g2n_abi::{FieldDesc, TypeDesc};

/// `type Node struct { V int; Next *Node }`, `[]int`, `any`, `string`, registered.
fn types() -> (Desc, Desc, Desc, Desc) {
    let int = basic(Kind::Int, "int");
    let string = basic(Kind::String, "string");
    let ptr: *mut TypeDesc = Box::leak(Box::new(raw_desc(Kind::Pointer, 8, "*main.Node")));
    // SAFETY: leaked, so valid forever; patched once before any use.
    let node: Desc = Box::leak(Box::new(strukt("main.Node", &[("V", int), ("Next", unsafe { &*ptr })])));
    unsafe { (*ptr).elem = node };
    let ptr: Desc = unsafe { &*ptr };
    let ints = slice_of(int, "[]int");
    let any = iface("interface {}");
    let byte = basic(Kind::Uint8, "uint8");
    let bytes = slice_of(byte, "[]uint8");
    let entries: Vec<TypeEntry> = [int, string, ptr, node, ints, any, byte, bytes]
        .iter()
        .map(|d| TypeEntry { desc: *d, underlying: d.name, wire_name: d.name })
        .collect();
    let entries = Box::leak(entries.into_boxed_slice());
    let table = Box::leak(Box::new(ProgramTable {
        types: entries.as_ptr(),
        ntypes: entries.len() as u64,
        funcs: std::ptr::null(),
        nfuncs: 0,
        globals: std::ptr::null(),
        nglobals: 0,
        library_vars: std::ptr::null(),
        nlibrary_vars: 0,
        library_vars_fixed: 0,
    }));
    // SAFETY: a static table of static descriptors.
    unsafe { g2n_register_program(table) };
    let _ = (FieldDesc { name: gs(""), ty: int, offset: 0, embedded: 0 }, string);
    // The registry keeps the first registration: use its descriptors.
    (resolve_type(b"*main.Node").unwrap(), resolve_type(b"[]int").unwrap(), resolve_type(b"interface {}").unwrap(), node)
}

/// A host's budget at the default `graph_memory_budget`.
fn budget() -> std::sync::Arc<GraphBudget> {
    GraphBudget::new(crate::config::RuntimeConfig::default().graph_memory_budget)
}

fn alloc(n: u64) -> *mut u8 {
    crate::memory::g2n_alloc(n as i64)
}

/// A two-node ring, a slice and a subslice of it, a string in an `any`.
pub(crate) fn sample() -> (Vec<u8>, Vec<Slot>) {
    let (ptr, ints, any, _) = types();
    // SAFETY: fresh memory laid out as the descriptors say.
    unsafe {
        let (a, b) = (alloc(16), alloc(16));
        a.cast::<[usize; 2]>().write([1, b as usize]);
        b.cast::<[usize; 2]>().write([2, a as usize]);
        let arr = alloc(24);
        arr.cast::<[i64; 3]>().write([10, 20, 30]);
        let s = [arr as u64, 3, 3];
        let t = [arr as u64 + 8, 2, 2];
        let text = "hi";
        let v = GoAny { tag: TypeTag::String as u64, word0: text.as_ptr() as u64, word1: 2 };
        let head = a as usize;
        let roots = [
            Root { desc: ptr, cell: false, ptr: (&head as *const usize).cast() },
            Root { desc: ints, cell: false, ptr: s.as_ptr().cast() },
            Root { desc: ints, cell: false, ptr: t.as_ptr().cast() },
            Root { desc: any, cell: false, ptr: (&v as *const GoAny).cast() },
        ];
        let (data, stats) = encode(&roots).unwrap();
        assert_eq!(stats.objects, 3, "two nodes and one backing array");
        let slots = roots.iter().map(|r| Slot { desc: r.desc, cell: false }).collect();
        (data, slots)
    }
}

#[test]
fn sharing_and_cycles_survive_a_round_trip() {
    let (data, slots) = sample();
    let Ok(mut r) = check(&slots, data, &budget()) else { panic!("the sample graph checks") };
    let mut head = 0usize;
    let (mut s, mut t) = ([0u64; 3], [0u64; 3]);
    let mut v = GoAny { tag: 0, word0: 0, word1: 0 };
    r.load(0, slots[0].desc, false, (&mut head as *mut usize).cast()).unwrap();
    r.load(1, slots[1].desc, false, s.as_mut_ptr().cast()).unwrap();
    r.load(2, slots[2].desc, false, t.as_mut_ptr().cast()).unwrap();
    r.load(3, slots[3].desc, false, (&mut v as *mut GoAny).cast()).unwrap();
    // SAFETY: materialized as the descriptors say.
    unsafe {
        let a = (head as *const [usize; 2]).read();
        let b = (a[1] as *const [usize; 2]).read();
        assert_eq!((a[0], b[0], b[1]), (1, 2, head), "the ring is a ring again");
        assert_eq!((s[1], s[2], t[0], t[1], t[2]), (3, 3, s[0] + 8, 2, 2), "t still aliases s");
        assert_eq!((s[0] as *const [i64; 3]).read(), [10, 20, 30]);
        assert_eq!(bytes(v.word0 as *const u8, v.word1 as i64), b"hi");
    }
    assert!(r.load(1, slots[0].desc, false, (&mut head as *mut usize).cast()).is_err(), "wrong type");
}

#[test]
fn hostile_graphs_are_refused_not_crashed_on() {
    let (data, slots) = sample();
    for cut in 0..data.len() {
        assert!(check(&slots, data[..cut].to_vec(), &budget()).is_err(), "cut at {cut}");
    }
    let mut out = [0u64; 8];
    for i in 0..data.len() {
        for flip in [0x01u8, 0x02, 0x10, 0x80, 0xFF] {
            let mut bad = data.clone();
            bad[i] ^= flip;
            // Whatever passes the check is well-typed: materializing it is safe.
            if let Ok(mut r) = check(&slots, bad, &budget()) {
                for (k, s) in slots.iter().enumerate() {
                    r.load(k, s.desc, false, out.as_mut_ptr().cast()).unwrap();
                }
            }
        }
    }
    let mut long = data.clone();
    long.push(0);
    assert!(check(&slots, long, &budget()).err().map(|e| e.reason).unwrap_or_default().contains("trailing"));
}

/// A graph of one `[]byte` slot whose backing array of `n` bytes is a single
/// run of zeros: a few bytes on the wire, whatever `n` is.
pub(crate) fn zeros(n: u64) -> (Vec<u8>, Vec<Slot>) {
    types();
    let mut g = Vec::new();
    varint::put_varint(&mut g, 1);
    varint::put_varint(&mut g, 5);
    g.extend_from_slice(b"uint8");
    g.extend_from_slice(&[0, 0, 1, 0, 0]); // no funcs, no globals; 1 object: memory of type 0
    varint::put_varint(&mut g, n);
    varint::put_varint(&mut g, (n << 1) | 1);
    g.push(0);
    for v in [2, 0, n, n] {
        varint::put_varint(&mut g, v); // the slot: object 0, offset 0, len, cap
    }
    (g, vec![Slot { desc: resolve_type(b"[]uint8").unwrap(), cell: false }])
}

#[test]
fn a_few_bytes_that_declare_a_gigabyte_are_refused_before_allocating() {
    let (data, slots) = zeros(1 << 30);
    assert!(data.len() < 64, "{} bytes", data.len());
    let b = budget();
    let e = check(&slots, data, &b).err().expect("1 GiB from a few bytes is over the budget");
    let short = e.memory.expect("refused for memory");
    assert!(!short.transient() && e.reason.contains("graph_memory_budget"), "{}", e.reason);
    assert_eq!(b.in_use(), 0, "nothing held after a refusal");
}

#[test]
fn graphs_in_flight_share_one_budget_per_host() {
    let b = GraphBudget::new(300 << 20);
    let (data, slots) = zeros(200 << 20);
    let first = check(&slots, data.clone(), &b).unwrap_or_else(|e| panic!("{}", e.reason));
    assert!(first.charged() >= 200 << 20 && b.in_use() == first.charged());
    let e = check(&slots, data.clone(), &b).err().expect("a second one does not fit beside it");
    assert!(e.memory.is_some_and(|s| s.transient()), "{}", e.reason);
    drop(first);
    assert_eq!(b.in_use(), 0, "the first graph's share is given back with it");
    let again = check(&slots, data, &b).unwrap_or_else(|e| panic!("{}", e.reason));
    drop(again);
}

#[test]
fn empty_objects_are_charged_and_refused_before_their_table_is_allocated() {
    types();
    // 16 MiB of objects that hold nothing: `0 int 0`, three bytes each.
    let n: u64 = (16 << 20) / 3 - 8;
    let mut g = Vec::new();
    g.extend_from_slice(&[1, 3]);
    g.extend_from_slice(b"int");
    g.extend_from_slice(&[0, 0]);
    varint::put_varint(&mut g, n);
    for _ in 0..n {
        g.extend_from_slice(&[0, 0, 0]);
    }
    g.push(0); // the slot: a nil []byte
    let slots = vec![Slot { desc: resolve_type(b"[]uint8").unwrap(), cell: false }];
    let e = check(&slots, g, &budget()).err().expect("5.6 million objects are over the default budget");
    assert!(e.memory.is_some(), "{}", e.reason);
    // The same objects fit a budget big enough for their fixed cost.
    let small: u64 = 1000;
    let mut g = vec![1, 3];
    g.extend_from_slice(b"int");
    g.extend_from_slice(&[0, 0]);
    varint::put_varint(&mut g, small);
    for _ in 0..small {
        g.extend_from_slice(&[0, 0, 0]);
    }
    g.push(0);
    let r = check(&slots, g, &budget()).unwrap_or_else(|e| panic!("{}", e.reason));
    assert!(r.charged() >= small * 96, "every object is charged, empty or not: {}", r.charged());
}

#[test]
fn an_object_count_the_input_cannot_hold_is_refused() {
    types();
    let mut g = vec![1, 3];
    g.extend_from_slice(b"int");
    g.extend_from_slice(&[0, 0]);
    varint::put_varint(&mut g, 40); // 40 objects declared in 20 bytes
    g.extend_from_slice(&[0; 20]);
    let slots = vec![Slot { desc: resolve_type(b"[]uint8").unwrap(), cell: false }];
    let e = check(&slots, g, &budget()).err().expect("refused");
    assert!(e.reason.contains("declares 40 objects in 20 bytes"), "{}", e.reason);
}

#[test]
fn a_reference_whose_offset_and_count_overflow_is_refused() {
    // A []byte slot into a 4-byte object at offset 2^64 - 1 with capacity 2:
    // offset + capacity wraps to 1, inside the object (found by fuzz_tests).
    types();
    let mut g = vec![1, 5];
    g.extend_from_slice(b"uint8");
    g.extend_from_slice(&[0, 0, 1, 0, 0, 4, 8, 1, 2, 3, 4]);
    for v in [2, u64::MAX, 2, 2] {
        varint::put_varint(&mut g, v);
    }
    let slots = vec![Slot { desc: resolve_type(b"[]uint8").unwrap(), cell: false }];
    let e = check(&slots, g, &budget()).err().expect("refused");
    assert!(e.reason.contains("refers to object 0"), "{}", e.reason);
}

/// A program table naming `desc` under `wire` (and nothing else).
fn one_type_table(desc: Desc, wire: &'static str) -> usize {
    let entries = Box::leak(Box::new([TypeEntry { desc, underlying: gs(wire), wire_name: gs(wire) }]));
    let table = Box::leak(Box::new(ProgramTable {
        types: entries.as_ptr(),
        ntypes: 1,
        funcs: std::ptr::null(),
        nfuncs: 0,
        globals: std::ptr::null(),
        nglobals: 0,
        library_vars: std::ptr::null(),
        nlibrary_vars: 0,
        library_vars_fixed: 0,
    }));
    table as *const ProgramTable as usize
}

#[test]
fn each_config_of_a_host_resolves_types_in_its_own_program() {
    // Two configs of one executable, each with a `main.T` of its own.
    let a: Desc = Box::leak(Box::new(strukt("main.T", &[("X", basic(Kind::Int, "int"))])));
    let b: Desc = Box::leak(Box::new(strukt("main.T", &[("S", basic(Kind::String, "string"))])));
    let (table_a, table_b) = (one_type_table(a, "main.T#1"), one_type_table(b, "main.T#1"));
    let found = |program| with_program(program, || resolve_type(b"main.T#1").map(|d| d as *const TypeDesc));
    assert_eq!(found(table_a), Some(a as *const TypeDesc));
    assert_eq!(found(table_b), Some(b as *const TypeDesc));
    // Nested: the outer program is back in use afterwards.
    with_program(table_a, || {
        assert_eq!(with_program(table_b, || wire_name(b)), b"main.T#1");
        assert_eq!(resolve_type(b"main.T#1").map(|d| d as *const TypeDesc), Some(a as *const TypeDesc));
    });
    // Runtime-made types are known to every program.
    assert!(with_program(table_b, || resolve_type(b"string")).is_some());
}
