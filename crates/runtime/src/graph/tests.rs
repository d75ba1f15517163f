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
    let entries: Vec<TypeEntry> = [int, string, ptr, node, ints, any]
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
    }));
    // SAFETY: a static table of static descriptors.
    unsafe { g2n_register_program(table) };
    let _ = (FieldDesc { name: gs(""), ty: int, offset: 0, embedded: 0 }, string);
    // The registry keeps the first registration: use its descriptors.
    (resolve_type(b"*main.Node").unwrap(), resolve_type(b"[]int").unwrap(), resolve_type(b"interface {}").unwrap(), node)
}

fn alloc(n: u64) -> *mut u8 {
    crate::memory::g2n_alloc(n as i64)
}

/// A two-node ring, a slice and a subslice of it, a string in an `any`.
fn sample() -> (Vec<u8>, Vec<Slot>) {
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
    let Ok(mut r) = check(&slots, data) else { panic!("the sample graph checks") };
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
        assert!(check(&slots, data[..cut].to_vec()).is_err(), "cut at {cut}");
    }
    let mut out = [0u64; 8];
    for i in 0..data.len() {
        for flip in [0x01u8, 0x02, 0x10, 0x80, 0xFF] {
            let mut bad = data.clone();
            bad[i] ^= flip;
            // Whatever passes the check is well-typed: materializing it is safe.
            if let Ok(mut r) = check(&slots, bad) {
                for (k, s) in slots.iter().enumerate() {
                    r.load(k, s.desc, false, out.as_mut_ptr().cast()).unwrap();
                }
            }
        }
    }
    let mut long = data.clone();
    long.push(0);
    assert!(check(&slots, long).err().unwrap_or_default().contains("trailing"));
}
