//! The bodyless functions of g2n's `syscall` memory mappings
//! (stdlib/syscall/mmap.go): `mmap(2)`, `munmap(2)`, `mprotect(2)` and the
//! page size. Each returns its result, or minus the error number.

#![allow(non_snake_case)]

/// `-errno` of the last failed C library call.
fn minus_errno() -> i64 {
    -i64::from(std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO))
}

rt_export! { stdlib::syscall_mmap =>
/// `mmap(2)` at an address the kernel chooses: the address, or minus the
/// error number.
pub extern "C" fn g2n_std_syscall_mmap(fd: i64, offset: i64, length: i64, prot: i64, flags: i64) -> i64 {
    let Ok(length) = usize::try_from(length) else { return -i64::from(libc::EINVAL) };
    // SAFETY: no address is given (the kernel picks one), so no existing
    // memory is replaced; the program reads the mapping only through the
    // slice of `length` bytes the Go side makes.
    let addr = unsafe { libc::mmap(std::ptr::null_mut(), length, prot as libc::c_int, flags as libc::c_int, fd as libc::c_int, offset) };
    if addr == libc::MAP_FAILED { minus_errno() } else { addr as i64 }
}
}

rt_export! { stdlib::syscall_munmap =>
/// `munmap(2)` of a slice's memory up to its capacity: 0 or minus the
/// error number.
pub extern "C" fn g2n_std_syscall_munmap(ptr: *mut u8, _len: i64, cap: i64) -> i64 {
    // SAFETY: the Go side passes a slice Mmap returned; the kernel checks the
    // range, and a range that is not mapped is an error, not a fault.
    if unsafe { libc::munmap(ptr.cast(), cap.max(0) as usize) } < 0 { minus_errno() } else { 0 }
}
}

rt_export! { stdlib::syscall_mprotect =>
/// `mprotect(2)` of the pages a slice covers: 0 or minus the error number.
pub extern "C" fn g2n_std_syscall_mprotect(ptr: *mut u8, len: i64, _cap: i64, prot: i64) -> i64 {
    // SAFETY: changes only the protection of the slice's pages; the kernel
    // checks the range.
    if unsafe { libc::mprotect(ptr.cast(), len.max(0) as usize, prot as libc::c_int) } < 0 { minus_errno() } else { 0 }
}
}

rt_export! { stdlib::syscall_getpagesize =>
pub extern "C" fn g2n_std_syscall_getpagesize() -> i64 {
    // SAFETY: sysconf takes no pointers.
    i64::from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as i32)
}
}
