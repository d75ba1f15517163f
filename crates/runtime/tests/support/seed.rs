//! The seed mesh's two nanoservices as generated code would define them:
//! their descriptors and unit entries, for tests that run real hosts and
//! origins in one process. Included with
//! `#[path = ".../support/seed.rs"] mod seed;` by the runtime's tests and by
//! g2n-runtime-tls's (which link the same runtime).
// Each test uses one nanoservice or both.
#![allow(dead_code)]

use g2n_abi::{ABI_VERSION, EntryDesc, ExitDesc, GoAny, GoString, ScopeVar, TypeTag, UnitDescriptor};
use g2n_runtime::ffi::*;
use std::ffi::c_void;

/// The seed's nanoservice 2: `fmt.Printf("%s World!", hello)`.
pub fn print_desc() -> UnitDescriptor {
    UnitDescriptor {
        abi_version: ABI_VERSION,
        unit: "print-hello-world".into(),
        entries: vec![EntryDesc { resume_point: 1, vars: vec![ScopeVar::basic("hello", TypeTag::String)] }],
        exits: vec![],
    }
}

/// `fmt.Printf("%s World!", hello)`, as generated code calls it.
pub unsafe extern "C" fn print_entry(_rp: u32, scope: *mut c_void) {
    let mut hello = GoString { ptr: std::ptr::null(), len: 0 };
    unsafe {
        g2n_scope_get_string(scope, 0, &mut hello);
        let f = "%s World!";
        let args = [GoAny { tag: TypeTag::String as u64, word0: hello.ptr as u64, word1: hello.len as u64 }];
        g2n_fmt_printf(f.as_ptr(), f.len() as i64, args.as_ptr(), 1);
    }
}

/// The seed's nanoservice 1: `hello := "Hello"; goToNetwork 'print-hello-world'`.
pub fn hello_desc() -> UnitDescriptor {
    UnitDescriptor {
        abi_version: ABI_VERSION,
        unit: "hello".into(),
        entries: vec![EntryDesc { resume_point: 0, vars: vec![] }],
        exits: vec![ExitDesc { index: 0, target: "print-hello-world".into(), resume_point: 1, vars: vec![ScopeVar::basic("hello", TypeTag::String)] }],
    }
}

pub unsafe extern "C" fn hello_entry(_rp: u32, _scope: *mut c_void) {
    let hello = "Hello";
    unsafe {
        let out = g2n_scope_new();
        g2n_scope_put_string(out, 0, hello.as_ptr(), hello.len() as i64);
        g2n_go_to_network(0, out);
    }
}
