//! How the runtime defines the functions generated code calls: each through
//! [`rt_export!`](crate::rt_export), under the name and with the signature of
//! its entry in `g2n_abi::symbols`, the one table the compiler declares them
//! from.
//!
//! The macro emits the `#[unsafe(no_mangle)] extern "C" fn` and checks at
//! compile time that its name is its entry's. In test builds it also records
//! the Rust signature, mapped to [`AbiType`] words through [`AbiWords`], in a
//! list ([`exports`]) that `export_tests` compares with the table: every
//! entry defined exactly once with the same words, every definition an
//! entry. A definition that the compiler's idea of the function does not
//! match thus fails a test instead of crashing a compiled program.

use g2n_abi::GoString;
use g2n_abi::symbols::AbiType::{self, F32, F64, I8, I32, I64, Ptr, U8, U32};
use g2n_abi::symbols::RtFn;

/// The machine words a Rust parameter or result type occupies in the C
/// calling convention, as [`AbiType`]s.
pub trait AbiWords {
    const WORDS: &'static [AbiType];
}

macro_rules! words {
    ($($ty:ty => [$($word:ident),*];)*) => {
        $(impl AbiWords for $ty {
            const WORDS: &'static [AbiType] = &[$($word),*];
        })*
    };
}

words! {
    // Narrow integers by signedness: the table's word says how codegen
    // extends it, and that must be how rustc expects it.
    u8 => [U8];
    i8 => [I8];
    bool => [U8];
    u32 => [U32];
    i32 => [I32];
    u64 => [I64];
    i64 => [I64];
    usize => [I64];
    isize => [I64];
    f32 => [F32];
    f64 => [F64];
    // A 16-byte struct of two integer words travels in two registers.
    GoString => [Ptr, I64];
    g2n_abi::UnitEntryFn => [Ptr];
}

impl<T: ?Sized> AbiWords for *const T {
    const WORDS: &'static [AbiType] = &[Ptr];
}

impl<T: ?Sized> AbiWords for *mut T {
    const WORDS: &'static [AbiType] = &[Ptr];
}

/// One function defined through [`rt_export!`](crate::rt_export), as
/// recorded in test builds.
#[derive(Debug)]
pub struct Export {
    /// The Rust function's name, which is its symbol.
    pub name: &'static str,
    /// The table entry the definition names.
    pub entry: &'static RtFn,
    /// The words of each parameter, in order.
    pub params: &'static [&'static [AbiType]],
    /// The words of the result (none for `()` and `!`).
    pub returns: &'static [AbiType],
}

impl Export {
    pub fn param_words(&self) -> Vec<AbiType> {
        self.params.iter().flat_map(|p| p.iter().copied()).collect()
    }
}

static EXPORTS: std::sync::Mutex<Vec<&'static Export>> = std::sync::Mutex::new(Vec::new());

/// Called at load time by each definition's constructor (test builds only).
pub fn register(export: &'static Export) {
    EXPORTS.lock().unwrap_or_else(|e| e.into_inner()).push(export);
}

/// Every definition recorded so far: in a test, all of them, since each
/// registers when the binary loads.
pub fn exports() -> Vec<&'static Export> {
    EXPORTS.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// Defines a function that generated code calls, under the name of a table
/// entry of `g2n_abi::symbols` (the path after `symbols::`):
///
/// ```ignore
/// rt_export! { SCOPE_NEW =>
/// /// A fresh, empty scope.
/// pub extern "C" fn g2n_scope_new() -> *mut c_void { ... }
/// }
/// ```
///
/// The function gets `#[unsafe(no_mangle)]`; a name other than the entry's
/// does not compile. See the module documentation for the signature check.
#[macro_export]
macro_rules! rt_export {
    ($($entry:ident)::+ => $(#[$attr:meta])* pub unsafe extern "C" fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> ! $body:block) => {
        $(#[$attr])*
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name($($arg: $ty),*) -> ! $body
        $crate::rt_export!(@record $($entry)::+, $name, [$($ty),*], &[]);
    };
    ($($entry:ident)::+ => $(#[$attr:meta])* pub extern "C" fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> ! $body:block) => {
        $(#[$attr])*
        #[unsafe(no_mangle)]
        pub extern "C" fn $name($($arg: $ty),*) -> ! $body
        $crate::rt_export!(@record $($entry)::+, $name, [$($ty),*], &[]);
    };
    ($($entry:ident)::+ => $(#[$attr:meta])* pub unsafe extern "C" fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $(-> $ret:ty)? $body:block) => {
        $(#[$attr])*
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name($($arg: $ty),*) $(-> $ret)? $body
        $crate::rt_export!(@record $($entry)::+, $name, [$($ty),*], &[$(<$ret as $crate::export::AbiWords>::WORDS)?]);
    };
    ($($entry:ident)::+ => $(#[$attr:meta])* pub extern "C" fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $(-> $ret:ty)? $body:block) => {
        $(#[$attr])*
        #[unsafe(no_mangle)]
        pub extern "C" fn $name($($arg: $ty),*) $(-> $ret)? $body
        $crate::rt_export!(@record $($entry)::+, $name, [$($ty),*], &[$(<$ret as $crate::export::AbiWords>::WORDS)?]);
    };
    (@record $($entry:ident)::+, $name:ident, [$($ty:ty),*], $returns:expr) => {
        const _: () = assert!(
            g2n_abi::symbols::same_name(g2n_abi::symbols::$($entry)::+.name, stringify!($name)),
            concat!("`", stringify!($name), "` is not the name of its entry in g2n_abi::symbols"),
        );
        #[cfg(test)]
        const _: () = {
            static EXPORT: $crate::export::Export = $crate::export::Export {
                name: stringify!($name),
                entry: &g2n_abi::symbols::$($entry)::+,
                params: &[$(<$ty as $crate::export::AbiWords>::WORDS),*],
                returns: {
                    let words: &[&[g2n_abi::symbols::AbiType]] = $returns;
                    match words {
                        [] => &[],
                        [one] => one,
                        _ => panic!("one result type at most"),
                    }
                },
            };
            extern "C" fn register() {
                $crate::export::register(&EXPORT);
            }
            // Runs when the test binary loads, like the collector's
            // initialization in gc.rs.
            #[used]
            #[unsafe(link_section = ".init_array")]
            static REGISTER: extern "C" fn() = register;
        };
    };
}
