//! The standard library's runtime functions in `g2n_abi::symbols::stdlib`
//! against their declarations in `stdlib/*.go`: each bodyless function (and
//! runtime-read variable), its Go signature lowered as codegen lowers a call
//! of it, must have an entry with exactly those words, and each entry must
//! have a declaration. The runtime's own test (`export_tests.rs`) checks the
//! same entries against the Rust definitions, so the three agree.

use g2n_abi::symbols::{AbiType, RtFn, stdlib};

/// Generated code passes pointers as 64-bit integers.
fn as_generated(words: &[AbiType]) -> Vec<AbiType> {
    words.iter().map(|w| if *w == AbiType::Ptr { AbiType::I64 } else { *w }).collect()
}

#[test]
fn every_bodyless_stdlib_declaration_matches_its_table_entry() {
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
            problems.push(format!("{} has no bodyless declaration in stdlib/", entry.name));
        }
    }
    assert!(problems.is_empty(), "stdlib ABI mismatches:\n{}", problems.join("\n"));
}
