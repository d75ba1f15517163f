//! `os`'s environment (stdlib/os: Getenv, LookupEnv, Setenv, Unsetenv).

use crate::ffi::{bytes, go_string_from, guard};
use g2n_abi::GoString;

fn text<'a>(ptr: *const u8, len: i64) -> &'a str {
    // SAFETY: generated code passes valid strings.
    std::str::from_utf8(unsafe { bytes(ptr, len) }).unwrap_or("")
}

rt_export! { stdlib::os_getenv =>
pub extern "C" fn g2n_std_os_getenv(key: *const u8, key_len: i64) -> GoString {
    guard(|| go_string_from(std::env::var_os(text(key, key_len)).unwrap_or_default().as_encoded_bytes()))
}
}

rt_export! { stdlib::os_hasEnv =>
pub extern "C" fn g2n_std_os_hasEnv(key: *const u8, key_len: i64) -> u8 {
    guard(|| std::env::var_os(text(key, key_len)).is_some() as u8)
}
}

rt_export! { stdlib::os_setenv =>
/// `os.Setenv`: false (an error) for a key Go refuses.
pub extern "C" fn g2n_std_os_setenv(key: *const u8, key_len: i64, value: *const u8, value_len: i64) -> u8 {
    let (key, value) = (text(key, key_len), text(value, value_len));
    if key.is_empty() || key.contains(['=', '\0']) || value.contains('\0') {
        return 0;
    }
    // SAFETY: a flow's goroutines are coroutines of one thread; a program
    // that changes its environment is one flow, and the runtime's other
    // threads (the network's) do not read the environment once started.
    guard(|| unsafe { std::env::set_var(key, value) });
    1
}
}

rt_export! { stdlib::os_unsetenv =>
/// `os.Unsetenv`: false (an error) for a key Go refuses.
pub extern "C" fn g2n_std_os_unsetenv(key: *const u8, key_len: i64) -> u8 {
    let key = text(key, key_len);
    if key.is_empty() || key.contains(['=', '\0']) {
        return 0;
    }
    // SAFETY: as in `g2n_std_os_setenv`.
    guard(|| unsafe { std::env::remove_var(key) });
    1
}
}
