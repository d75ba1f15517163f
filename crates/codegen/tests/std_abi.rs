//! The standard library's runtime functions in `g2n_abi::symbols::stdlib`
//! against their declarations in `stdlib/*.go` and in the packages compiled
//! from Go's source that are bound to the runtime (time, whose `now`,
//! `Sleep` and timer functions the runtime provides, and whose
//! `runtimeNano` is `//go:linkname`d to `runtime.nanotime`): each bodyless function (and
//! runtime-read variable), its Go signature lowered as codegen lowers a call
//! of it, must have an entry with exactly those words, and each entry must
//! have a declaration. The runtime's own test (`export_tests.rs`) checks the
//! same entries against the Rust definitions, so the three agree.

use g2n_abi::symbols::{AbiType, RtFn, stdlib};

#[path = "../../../tests/support/goroot_tree.rs"]
mod goroot_tree;

/// Generated code passes pointers as 64-bit integers.
fn as_generated(words: &[AbiType]) -> Vec<AbiType> {
    words.iter().map(|w| if *w == AbiType::Ptr { AbiType::I64 } else { *w }).collect()
}

/// g2n's own packages and time, os, os/signal and net (with syscall and
/// internal/poll) compiled from source, installed once for
/// the tests of this binary (the library is process-global).
fn install_library() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let (imports, _) = g2n_syntax::parse_file(g2n_base::FileId(0), "package main\nimport (\"net\"; \"os\"; \"os/signal\"; \"time\")\n");
        goroot_tree::install_library(&[&imports], 1);
    });
}

/// `g2n_abi::RuntimeTimer`, through which the runtime reads and writes the
/// timers of Go's time, has the layout codegen gives `time.runtimeTimer`.
#[test]
fn the_runtime_timer_layout_is_times() {
    install_library();
    let (mut program, _) = g2n_sema::runtime_declarations();
    let types = &mut program.types;
    let index = types
        .named
        .iter()
        .position(|n| n.name == "runtimeTimer" && n.package.as_deref() == Some("time"))
        .expect("time.runtimeTimer is declared");
    let timer = types.intern(g2n_sema::types::TypeKind::Named(index as u32));
    let offsets = types.field_offsets(timer);
    let layout = types.layout(timer);
    let expected = [
        std::mem::offset_of!(g2n_abi::RuntimeTimer, pp),
        std::mem::offset_of!(g2n_abi::RuntimeTimer, when),
        std::mem::offset_of!(g2n_abi::RuntimeTimer, period),
        std::mem::offset_of!(g2n_abi::RuntimeTimer, f),
        std::mem::offset_of!(g2n_abi::RuntimeTimer, arg),
        std::mem::offset_of!(g2n_abi::RuntimeTimer, seq),
        std::mem::offset_of!(g2n_abi::RuntimeTimer, nextwhen),
        std::mem::offset_of!(g2n_abi::RuntimeTimer, status),
    ];
    let expected: Vec<u64> = expected.iter().map(|o| *o as u64).collect();
    assert_eq!(offsets, expected, "field offsets of time.runtimeTimer, then of g2n_abi::RuntimeTimer");
    assert_eq!(layout.size, std::mem::size_of::<g2n_abi::RuntimeTimer>() as u64);
}

/// The type descriptors as g2n's Go code reads them have the layouts
/// codegen writes (g2n_abi's `TypeDesc`, `FieldDesc`, `MethodDesc`,
/// `TypeExt`): internal/typedesc's structs, which internal/reflectlite and
/// fmt read them through, and reflect's own copies under its names.
#[test]
fn the_go_mirrors_of_type_descriptors_have_g2n_abis_layouts() {
    use g2n_abi::{FIELD_DESC_OFFSETS, FieldDesc, METHOD_DESC_OFFSETS, MethodDesc, TYPE_DESC_OFFSETS, TYPE_EXT_OFFSETS, TypeDesc, TypeExt};
    use std::mem::size_of;
    install_library();
    let (mut program, _) = g2n_sema::runtime_declarations();
    let types = &mut program.types;
    let mut layout_of = |package: &str, name: &str| -> (Vec<u64>, u64) {
        let index = types
            .named
            .iter()
            .position(|n| n.name == name && n.package.as_deref() == Some(package))
            .unwrap_or_else(|| panic!("{package}.{name} is declared"));
        let ty = types.intern(g2n_sema::types::TypeKind::Named(index as u32));
        (types.field_offsets(ty), types.layout(ty).size)
    };
    let words = |offsets: &[usize], size: usize| -> (Vec<u64>, u64) { (offsets.iter().map(|o| *o as u64).collect(), size as u64) };
    let desc = words(&TYPE_DESC_OFFSETS, size_of::<TypeDesc>());
    let field = words(&FIELD_DESC_OFFSETS, size_of::<FieldDesc>());
    let method = words(&METHOD_DESC_OFFSETS, size_of::<MethodDesc>());
    let ext = words(&TYPE_EXT_OFFSETS, size_of::<TypeExt>());
    for (package, names) in [("internal/typedesc", ["Type", "Field", "Method", "Ext"]), ("reflect", ["rtype", "fieldDesc", "methodDesc", "typeExt"])] {
        for (name, expected) in names.iter().zip([&desc, &field, &method, &ext]) {
            assert_eq!(&layout_of(package, name), expected, "{package}.{name}: field offsets and size, then g2n_abi's");
        }
    }
}

#[test]
fn every_bodyless_stdlib_declaration_matches_its_table_entry() {
    // The packages compiled from Go's source whose bodyless functions the
    // runtime provides (time's clock, Sleep and timers; its `runtimeNano`
    // through `//go:linkname` to `runtime.nanotime`; syscall's raw system
    // call and fork hooks, os's arguments, internal/poll's poller,
    // os/signal's signal functions) besides g2n's own.
    install_library();
    let (program, decls) = g2n_sema::runtime_declarations();
    // 63 since unicode, unicode/utf8, strconv, strings, bytes and errors are
    // compiled from Go's source.
    assert!(decls.len() > 55, "only {} runtime declarations found", decls.len());
    let mut problems = Vec::new();
    for decl in &decls {
        let Some(words) = g2n_codegen::std_call_words(&program.types, &decl.signature) else {
            problems.push(format!("{}: codegen cannot lower its signature", decl.qualified));
            continue;
        };
        let Some(entry) = stdlib::find(&decl.symbol) else {
            // Lowered as a `hir::Intrinsic` (`os.Exit` calls `g2n_exit`);
            // only a variadic one is ever a call of its own symbol
            // (`fmt.Println(xs...)`).
            if decl.intrinsic && !decl.signature.variadic {
                continue;
            }
            problems.push(format!("{}: no entry {} in g2n_abi::symbols::stdlib", decl.qualified, decl.symbol));
            continue;
        };
        if words != (as_generated(entry.params), as_generated(entry.returns)) {
            let lowered = RtFn { name: entry.name, params: words.0.leak(), returns: words.1.leak() };
            problems.push(format!("{}: declared as {}, table has {}", decl.qualified, lowered.describe(), entry.describe()));
        }
    }
    for entry in stdlib::ALL {
        if !decls.iter().any(|d| d.symbol == entry.name) {
            problems.push(format!("{} has no bodyless declaration in stdlib/ nor in a package compiled from source", entry.name));
        }
    }
    assert!(problems.is_empty(), "stdlib ABI mismatches:\n{}", problems.join("\n"));
}
