//! The garbage collector as the runtime ships it (collection enabled; the
//! runtime's unit tests run with it disabled): garbage is reclaimed, and
//! nothing reachable from a stack, another thread's stack, a map or an
//! interior pointer is.

use g2n_abi::{GoString, Kind, TypeDesc};
use g2n_runtime::gc;
use g2n_runtime::maps::{g2n_map_assign, g2n_map_len, g2n_map_lookup, g2n_map_new};
use g2n_runtime::memory::{g2n_alloc, g2n_make_slice, g2n_slice_reserve};
use std::hint::black_box;

/// Allocates about `mb` megabytes of garbage in 64 KB blocks.
fn churn(mb: usize) {
    for _ in 0..mb * 16 {
        black_box(g2n_alloc(64 << 10));
    }
}

#[test]
fn short_lived_slices_are_reclaimed() {
    // 4 GB in 1 MB slices, each dropped at once.
    let (_, before) = gc::stats();
    for i in 0..4096i64 {
        let p = g2n_make_slice(1, 1 << 20, 1 << 20);
        // SAFETY: the slice has 1 MB.
        unsafe { p.add((i as usize * 7919) % (1 << 20)).write(1) };
        black_box(p);
    }
    let (heap, after) = gc::stats();
    assert!(
        after - before >= 4 << 30,
        "allocated only {} bytes",
        after - before
    );
    assert!(
        heap < 512 << 20,
        "the collector's heap grew to {heap} bytes"
    );
}

/// A list of `n` cells `[value, next]` where each `next` points to the
/// second word of the next cell (an interior pointer), values n-1 down to 0.
fn build_list(n: usize) -> *mut [usize; 2] {
    let mut head: *mut [usize; 2] = std::ptr::null_mut();
    for i in 0..n {
        let cell = g2n_alloc(16).cast::<[usize; 2]>();
        let next = if head.is_null() { 0 } else { head as usize + 8 };
        // SAFETY: a fresh 16-byte cell.
        unsafe { cell.write([i, next]) };
        head = cell;
    }
    head
}

fn check_list(head: *mut [usize; 2], n: usize) {
    let mut want = n;
    let mut p = head;
    while !p.is_null() {
        want -= 1;
        // SAFETY: the cells are alive, which is what is being tested.
        let [value, next] = unsafe { p.read() };
        assert_eq!(value, want, "a list cell was reclaimed and reused");
        p = if next == 0 {
            std::ptr::null_mut()
        } else {
            (next - 8) as *mut [usize; 2]
        };
    }
    assert_eq!(want, 0);
}

#[test]
fn reachable_values_survive_collections() {
    let head = black_box(build_list(20_000));
    for _ in 0..4 {
        gc::collect();
        churn(64);
    }
    check_list(head, 20_000);
}

#[test]
fn values_on_other_threads_survive() {
    // Each thread registers itself on its first allocation; the collections
    // triggered by the others must scan its stack.
    let threads: Vec<_> = (0..4)
        .map(|t| {
            std::thread::spawn(move || {
                let n = 5000 + t * 100;
                let head = black_box(build_list(n));
                churn(128);
                check_list(head, n);
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    // Threads that exited unregistered themselves: collecting now must not
    // touch their stacks.
    for _ in 0..50 {
        std::thread::spawn(|| {
            black_box(build_list(100));
        })
        .join()
        .unwrap();
    }
    gc::collect();
    churn(16);
}

#[test]
fn appended_slices_keep_their_elements() {
    // A []*[2]usize grown by append: the backing array moves, its elements
    // must stay alive through the new array.
    let (mut ptr, mut len, mut cap) = (std::ptr::null_mut::<u8>(), 0i64, 0i64);
    for i in 0..50_000usize {
        let mut out = [0i64; 2];
        // SAFETY: (ptr, len) describes the slice; `out` is writable.
        unsafe { g2n_slice_reserve(ptr, len, cap, 1, 8, &mut out) };
        (ptr, cap) = (out[0] as *mut u8, out[1]);
        let elem = g2n_alloc(16).cast::<usize>();
        // SAFETY: fresh element; the slice has room for len + 1 pointers.
        unsafe {
            elem.write(i);
            ptr.cast::<*mut usize>().add(len as usize).write(elem);
        }
        len += 1;
        if i % 5000 == 0 {
            churn(8);
        }
    }
    gc::collect();
    churn(64);
    for i in 0..len as usize {
        // SAFETY: elements are alive.
        let v = unsafe { ptr.cast::<*mut usize>().add(i).read().read() };
        assert_eq!(v, i);
    }
}

fn desc(kind: Kind, size: u64, name: &'static str, elem: *const TypeDesc) -> &'static TypeDesc {
    Box::leak(Box::new(TypeDesc {
        kind: kind as u32,
        reserved: 0,
        size,
        name: GoString {
            ptr: name.as_ptr(),
            len: name.len() as i64,
        },
        elem,
        key: std::ptr::null(),
        len: 0,
        fields: std::ptr::null(),
        nfields: 0,
        methods: std::ptr::null(),
        nmethods: 0,
        ext: std::ptr::null(),
    }))
}

#[test]
fn map_entries_survive_collections() {
    // map[int]*int whose only reference is this stack frame: the map, its
    // entries and the values they point to must all survive.
    let int = desc(Kind::Int, 8, "int", std::ptr::null());
    let pint = desc(Kind::Pointer, 8, "*int", int);
    // SAFETY: static descriptors.
    let m = black_box(unsafe { g2n_map_new(int, pint, 0) });
    const N: i64 = 20_000;
    for k in 0..N {
        let v = g2n_alloc(8).cast::<i64>();
        // SAFETY: fresh value; the map's value slot holds one pointer.
        unsafe {
            v.write(k * 3);
            g2n_map_assign(m, (&k as *const i64).cast())
                .cast::<*mut i64>()
                .write(v);
        }
        if k % 2000 == 0 {
            churn(8);
        }
    }
    gc::collect();
    churn(64);
    // SAFETY: a live map.
    assert_eq!(unsafe { g2n_map_len(m) }, N);
    for k in 0..N {
        // SAFETY: a live map; every key is present.
        let v = unsafe {
            g2n_map_lookup(m, (&k as *const i64).cast())
                .cast::<*mut i64>()
                .read()
                .read()
        };
        assert_eq!(v, k * 3);
    }
}

#[test]
fn unreachable_maps_are_freed_with_their_rust_parts() {
    // 2000 maps of 1000 entries each, every one dropped: the heap stays small
    // (the finalizer frees each map's Rust-side index; this checks the
    // collected side).
    let int = desc(Kind::Int, 8, "int", std::ptr::null());
    for round in 0..2000i64 {
        // SAFETY: static descriptors.
        let m = unsafe { g2n_map_new(int, int, 0) };
        for k in 0..1000i64 {
            // SAFETY: a live map of int to int.
            unsafe {
                g2n_map_assign(m, (&k as *const i64).cast())
                    .cast::<i64>()
                    .write(k + round)
            };
        }
        black_box(m);
    }
    let (heap, _) = gc::stats();
    assert!(
        heap < 256 << 20,
        "the collector's heap grew to {heap} bytes"
    );
}

#[test]
fn boxed_runtime_values_are_dropped_once_unreachable() {
    // Maps are such values (their hash index lives in Rust memory): the
    // finalizer that drops them must run after ordinary, allocation-driven
    // collections, with no explicit collect.
    use std::sync::atomic::{AtomicUsize, Ordering};
    static DROPPED: AtomicUsize = AtomicUsize::new(0);
    struct Counted(#[allow(dead_code)] Vec<u8>);
    impl Drop for Counted {
        fn drop(&mut self) {
            DROPPED.fetch_add(1, Ordering::SeqCst);
        }
    }
    for _ in 0..10_000 {
        black_box(gc::boxed(Counted(vec![0; 100])));
        black_box(g2n_alloc(16 << 10));
    }
    let dropped = DROPPED.load(Ordering::SeqCst);
    assert!(dropped > 5_000, "only {dropped} of 10000 dropped");
}

/// A goroutine's closure object as generated code lays it out: its function,
/// then what it captures (here a channel to receive from, one to send to,
/// how many values to pass on and the length of the list it builds).
#[repr(C)]
struct RelayClosure {
    function: extern "C" fn(*const u8),
    input: *mut std::ffi::c_void,
    output: *mut std::ffi::c_void,
    rounds: usize,
    n: usize,
}

fn chan_send(c: *mut std::ffi::c_void, v: usize) {
    // SAFETY: `c` is a channel of words; `v` lives for the call.
    unsafe { g2n_runtime::chan::g2n_chan_send(c, (&v as *const usize).cast()) }
}

fn chan_recv(c: *mut std::ffi::c_void) -> usize {
    let mut v = 0usize;
    // SAFETY: `c` is a channel of words; `v` has room for one.
    unsafe { g2n_runtime::chan::g2n_chan_recv(c, (&mut v as *mut usize).cast()) };
    v
}

/// Builds a list only its own frame refers to, then passes values along
/// (allocating garbage between them, so that collections start at any point
/// of any goroutine on any thread) and checks the list at the end.
extern "C" fn relay(closure: *const u8) {
    // SAFETY: a `RelayClosure` built by `chain` below.
    let c = unsafe { &*(closure as *const RelayClosure) };
    let head = black_box(build_list(c.n));
    for _ in 0..c.rounds {
        let v = chan_recv(c.input);
        black_box(g2n_alloc(4 << 10));
        chan_send(c.output, v + 1);
    }
    check_list(head, c.n);
}

/// A chain of goroutines on this thread's scheduler, each passing `rounds`
/// values from its input channel to its output channel.
fn chain(goroutines: usize, rounds: usize) {
    let first = g2n_runtime::chan::g2n_chan_new(8, 0);
    let mut input = first;
    for i in 0..goroutines {
        let output = g2n_runtime::chan::g2n_chan_new(8, 0);
        // Closure objects live in collected memory, as generated code's do.
        let closure = g2n_alloc(std::mem::size_of::<RelayClosure>() as i64).cast::<RelayClosure>();
        // SAFETY: fresh memory of the closure's size.
        unsafe { closure.write(RelayClosure { function: relay, input, output, rounds, n: 200 + i }) };
        g2n_runtime::chan::g2n_go(closure.cast());
        input = output;
    }
    let head = black_box(build_list(3000));
    for r in 0..rounds {
        chan_send(first, r);
        assert_eq!(chan_recv(input), r + goroutines);
    }
    check_list(head, 3000);
}

#[test]
fn goroutines_survive_collections_started_by_other_threads() {
    // Each thread has its own scheduler; collections started by one thread
    // stop the others in the middle of goroutine switches, which take no
    // lock (sched.rs, `leave`).
    let threads: Vec<_> = (0..3).map(|t| std::thread::spawn(move || chain(20 + t, 1000))).collect();
    for t in threads {
        t.join().unwrap();
    }
}
