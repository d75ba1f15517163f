//! The bodyless function of g2n's `crypto/rand` (stdlib/crypto/rand):
//! the kernel's random bytes.

#![allow(non_snake_case)]

rt_export! { stdlib::crypto_rand_getRandom =>
/// Fills the slice from getrandom(2), in as many calls as the kernel needs
/// (it returns at most 32 MiB at a time, and fewer when a signal interrupts
/// it); blocks until the kernel's pool is initialised, as Go's does.
/// Returns 0, or minus the error number.
///
/// # Safety
/// `ptr` must point to `len` writable bytes.
pub unsafe extern "C" fn g2n_std_crypto_rand_getRandom(ptr: *mut u8, len: i64, _cap: i64) -> i64 {
    let mut done = 0usize;
    let len = len.max(0) as usize;
    while done < len {
        // SAFETY: `ptr + done` has `len - done` writable bytes (the caller's slice).
        let n = unsafe { libc::getrandom(ptr.add(done).cast(), len - done, 0) };
        if n < 0 {
            let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO);
            if errno == libc::EINTR {
                continue;
            }
            return -i64::from(errno);
        }
        done += n as usize;
    }
    0
}
}
