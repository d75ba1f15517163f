//! The bodyless functions of g2n's `syscall` (stdlib/syscall): files,
//! the environment and signals through the C library. Each returns its
//! result, or minus the error number (`errno`), which the Go side turns
//! into a `syscall.Errno`.

#![allow(non_snake_case)]

use crate::ffi::{bytes, go_string_from, guard};
use g2n_abi::GoString;

/// `-errno` of the last failed C library call.
fn minus_errno() -> i64 {
    -i64::from(std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO))
}

/// # Safety
/// `ptr` must point to `len` bytes that stay valid and unchanged for the
/// call (a slice from generated code).
unsafe fn slice_mut<'a>(ptr: *mut u8, len: i64) -> &'a mut [u8] {
    if len <= 0 || ptr.is_null() {
        return &mut [];
    }
    // SAFETY: guaranteed by the caller.
    unsafe { std::slice::from_raw_parts_mut(ptr, len as usize) }
}

rt_export! { stdlib::syscall_open =>
/// `open(2)` of the path (EINVAL when it holds a NUL byte, as in Go).
///
/// # Safety
/// `ptr` must point to `len` readable bytes.
pub unsafe extern "C" fn g2n_std_syscall_open(ptr: *const u8, len: i64, mode: i64, perm: u32) -> i64 {
    // SAFETY: guaranteed by the caller.
    let path = unsafe { bytes(ptr, len) };
    let Ok(path) = std::ffi::CString::new(path) else { return -i64::from(libc::EINVAL) };
    // SAFETY: a NUL-terminated path; open reads nothing else.
    let fd = unsafe { libc::open(path.as_ptr(), mode as libc::c_int, perm as libc::c_uint) };
    if fd < 0 { minus_errno() } else { i64::from(fd) }
}
}

rt_export! { stdlib::syscall_read =>
/// `read(2)` into the slice.
///
/// # Safety
/// `ptr` must point to `len` writable bytes.
pub unsafe extern "C" fn g2n_std_syscall_read(fd: i64, ptr: *mut u8, len: i64, _cap: i64) -> i64 {
    // SAFETY: guaranteed by the caller.
    let buf = unsafe { slice_mut(ptr, len) };
    // SAFETY: buf is writable for its length.
    let n = unsafe { libc::read(fd as libc::c_int, buf.as_mut_ptr().cast(), buf.len()) };
    if n < 0 { minus_errno() } else { n as i64 }
}
}

rt_export! { stdlib::syscall_write =>
/// `write(2)` of the slice.
///
/// # Safety
/// `ptr` must point to `len` readable bytes.
pub unsafe extern "C" fn g2n_std_syscall_write(fd: i64, ptr: *const u8, len: i64, _cap: i64) -> i64 {
    // SAFETY: guaranteed by the caller.
    let buf = unsafe { bytes(ptr, len) };
    // SAFETY: buf is readable for its length.
    let n = unsafe { libc::write(fd as libc::c_int, buf.as_ptr().cast(), buf.len()) };
    if n < 0 { minus_errno() } else { n as i64 }
}
}

rt_export! { stdlib::syscall_seek =>
/// `lseek(2)`: the new offset.
pub extern "C" fn g2n_std_syscall_seek(fd: i64, offset: i64, whence: i64) -> i64 {
    // SAFETY: lseek takes no pointers.
    let off = unsafe { libc::lseek(fd as libc::c_int, offset, whence as libc::c_int) };
    if off < 0 { minus_errno() } else { off }
}
}

rt_export! { stdlib::syscall_closeFd =>
/// `close(2)`: 0 or minus the error number.
pub extern "C" fn g2n_std_syscall_closeFd(fd: i64) -> i64 {
    // SAFETY: close takes no pointers; the descriptor is the program's.
    if unsafe { libc::close(fd as libc::c_int) } < 0 { minus_errno() } else { 0 }
}
}

rt_export! { stdlib::syscall_getpid =>
pub extern "C" fn g2n_std_syscall_getpid() -> i64 {
    i64::from(std::process::id())
}
}

rt_export! { stdlib::syscall_kill =>
/// `kill(2)`: 0 or minus the error number.
pub extern "C" fn g2n_std_syscall_kill(pid: i64, sig: i64) -> i64 {
    // SAFETY: kill takes no pointers.
    if unsafe { libc::kill(pid as libc::pid_t, sig as libc::c_int) } < 0 { minus_errno() } else { 0 }
}
}

fn text<'a>(ptr: *const u8, len: i64) -> &'a str {
    // SAFETY: generated code passes valid strings.
    std::str::from_utf8(unsafe { bytes(ptr, len) }).unwrap_or("")
}

rt_export! { stdlib::syscall_getenv =>
pub extern "C" fn g2n_std_syscall_getenv(key: *const u8, key_len: i64) -> GoString {
    guard(|| go_string_from(std::env::var_os(text(key, key_len)).unwrap_or_default().as_encoded_bytes()))
}
}

rt_export! { stdlib::syscall_hasEnv =>
pub extern "C" fn g2n_std_syscall_hasEnv(key: *const u8, key_len: i64) -> u8 {
    guard(|| std::env::var_os(text(key, key_len)).is_some() as u8)
}
}

rt_export! { stdlib::syscall_errorText =>
/// The C library's message for an error number with its first letter
/// lowered: Go's table of messages was made from the same texts.
pub extern "C" fn g2n_std_syscall_errorText(errno: i64) -> GoString {
    guard(|| {
        let Ok(code) = i32::try_from(errno) else { return go_string_from(format!("errno {errno}").as_bytes()) };
        // Rust's message is strerror_r's with " (os error N)" after it.
        let text = std::io::Error::from_raw_os_error(code).to_string();
        let text = text.strip_suffix(&format!(" (os error {code})")).unwrap_or(&text).to_string();
        let text = if text.starts_with("Unknown error") { format!("errno {errno}") } else { text };
        let mut chars = text.chars();
        let lowered: String = chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default();
        go_string_from(lowered.as_bytes())
    })
}
}
