//! The runtime's definitions against `g2n_abi::symbols`, the table codegen
//! declares runtime functions from (see `export.rs`).

use crate::export::{Export, exports};
use g2n_abi::symbols::{self, AbiType, RtFn};

fn table() -> Vec<&'static RtFn> {
    symbols::RUNTIME.iter().chain(symbols::stdlib::ALL).collect()
}

/// The mismatches between the table and the definitions, one line each.
fn mismatches(table: &[&RtFn], defined: &[&Export]) -> Vec<String> {
    let mut problems = Vec::new();
    for entry in table {
        let defs: Vec<&&Export> = defined.iter().filter(|d| d.name == entry.name).collect();
        match defs.as_slice() {
            [] => problems.push(format!("{} has no rt_export! definition", entry.describe())),
            [def] => {
                let (params, returns) = (def.param_words(), def.returns);
                if params != entry.params || returns != entry.returns {
                    let found = RtFn { name: def.name, params: params.leak(), returns };
                    problems.push(format!("{} is defined as {}", entry.describe(), found.describe()));
                }
            }
            _ => problems.push(format!("{} is defined {} times", entry.name, defs.len())),
        }
    }
    for def in defined {
        if !table.iter().any(|e| e.name == def.name) {
            problems.push(format!("{} is defined but not in g2n_abi::symbols", def.name));
        }
    }
    problems
}

#[test]
fn every_table_entry_is_defined_once_with_its_signature() {
    let defined = exports();
    assert!(defined.len() > 100, "only {} definitions registered", defined.len());
    let problems = mismatches(&table(), &defined);
    assert!(problems.is_empty(), "runtime ABI mismatches:\n{}", problems.join("\n"));
    assert_eq!(defined.len(), table().len());
}

/// A narrow word's signedness is part of the signature: codegen extends
/// the argument by it, so a definition reading an `i8` where the table says
/// `U8` (zero-extended) is a mismatch.
#[test]
fn a_signedness_mismatch_is_reported() {
    static PTR: &[AbiType] = &[AbiType::Ptr];
    static SLOT: &[AbiType] = &[AbiType::U32];
    static SIGNED: &[AbiType] = &[AbiType::I8];
    static EXPORT: Export = Export { name: "g2n_scope_put_bool", entry: &symbols::SCOPE_PUT_BOOL, params: &[PTR, SLOT, SIGNED], returns: &[] };
    let problems = mismatches(&[&symbols::SCOPE_PUT_BOOL], &[&EXPORT]);
    assert_eq!(problems, ["g2n_scope_put_bool(Ptr, U32, U8) -> () is defined as g2n_scope_put_bool(Ptr, U32, I8) -> ()"]);
}

#[test]
fn a_signature_mismatch_is_reported() {
    static WIDE: &[AbiType] = &[AbiType::I64];
    static EXPORT: Export = Export { name: "g2n_scope_new", entry: &symbols::SCOPE_NEW, params: &[WIDE], returns: &[AbiType::Ptr] };
    let problems = mismatches(&[&symbols::SCOPE_NEW, &symbols::SCOPE_PUT_INT], &[&EXPORT]);
    assert_eq!(
        problems,
        [
            "g2n_scope_new() -> (Ptr) is defined as g2n_scope_new(I64) -> (Ptr)",
            "g2n_scope_put_int(Ptr, U32, I64) -> () has no rt_export! definition",
        ]
    );
}

/// `rt_export!` is the only way to export a symbol: no definition escapes
/// the check above.
#[test]
fn no_symbol_is_exported_outside_rt_export() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![src];
    let mut offenders = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("runtime sources") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("export.rs") && !path.ends_with("export_tests.rs") {
                let text = std::fs::read_to_string(&path).expect("runtime source");
                if text.contains("no_mangle") || text.contains("export_name") {
                    offenders.push(path.display().to_string());
                }
            }
        }
    }
    assert!(offenders.is_empty(), "exported outside rt_export!: {offenders:?}");
}
