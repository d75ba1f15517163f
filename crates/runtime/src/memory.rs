//! Memory for Go values: allocation, slices and their run-time panics.
//!
//! Every Go value is allocated from the garbage collector (see gc.rs), which
//! reclaims it once no stack, global or live object points to it.

fn runtime_error(message: &str) -> ! {
    // SAFETY: the message outlives the call, which never returns.
    unsafe { crate::ffi::g2n_panic_runtime_error(message.as_ptr(), message.len() as i64) }
}

fn allocate(size: u64) -> *mut u8 {
    // A zero-sized value still gets a distinct, valid address.
    let size = size.max(8);
    let Ok(size) = usize::try_from(size) else { runtime_error("out of memory") };
    // Zeroed and scanned: the element type is not known here, so any word
    // may be a pointer.
    crate::gc::malloc(size)
}

rt_export! { ALLOC =>
pub extern "C" fn g2n_alloc(size: i64) -> *mut u8 {
    allocate(size.max(0) as u64)
}
}

/// Go's limit on a slice's byte size (64-bit `maxAlloc`).
const MAX_ALLOC: u64 = 1 << 47;

rt_export! { MAKE_SLICE =>
pub extern "C" fn g2n_make_slice(elem_size: i64, len: i64, cap: i64) -> *mut u8 {
    let elem_size = elem_size.max(0) as u64;
    let too_big = |n: i64| n < 0 || (elem_size > 0 && (n as u64).saturating_mul(elem_size) > MAX_ALLOC);
    if too_big(len) {
        runtime_error("makeslice: len out of range");
    }
    if too_big(cap) || cap < len {
        runtime_error("makeslice: cap out of range");
    }
    allocate(elem_size * cap as u64)
}
}

/// The capacity Go 1.19's `growslice` picks (before rounding to size classes).
fn grown_capacity(old_cap: u64, needed: u64) -> u64 {
    let double = old_cap.saturating_mul(2);
    if needed > double {
        return needed;
    }
    const THRESHOLD: u64 = 256;
    if old_cap < THRESHOLD {
        return double;
    }
    let mut cap = old_cap;
    while cap < needed {
        cap = cap.saturating_add((cap + 3 * THRESHOLD) / 4);
    }
    cap
}

/// The byte sizes of Go 1.19's small-object size classes
/// (`runtime/sizeclasses.go`, class 1 on), up to `_MaxSmallSize`.
const SIZE_CLASSES: [u64; 67] = [
    8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320, 352, 384, 416, 448, 480, 512,
    576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144,
    6528, 6784, 6912, 8192, 9472, 9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264,
    28672, 32768,
];

/// Go's `roundupsize`: the size the allocator really gives for a request
/// of `size` bytes, the smallest size class that holds it, or whole 8 KiB
/// pages past the largest class.
fn round_up_size(size: u64) -> u64 {
    const PAGE: u64 = 8192;
    if size < 32768 {
        let class = SIZE_CLASSES.partition_point(|&c| c < size);
        return if size == 0 { 0 } else { SIZE_CLASSES[class] };
    }
    size.checked_next_multiple_of(PAGE).unwrap_or(size)
}

rt_export! { SLICE_RESERVE =>
/// # Safety
/// `ptr` must point to `len` elements of `elem_size` bytes (or be null with
/// `len == 0`), and `out` must be valid for two `i64` writes.
pub unsafe extern "C" fn g2n_slice_reserve(ptr: *mut u8, len: i64, cap: i64, extra: i64, elem_size: i64, out: *mut [i64; 2]) {
    let (len, cap, extra, elem_size) = (len.max(0) as u64, cap.max(0) as u64, extra.max(0) as u64, elem_size.max(0) as u64);
    let needed = len + extra;
    if needed > i64::MAX as u64 {
        runtime_error("growslice: cap out of range");
    }
    let (new_ptr, new_cap) = if needed <= cap {
        (ptr, cap)
    } else {
        let mut new_cap = if elem_size == 0 { needed } else { grown_capacity(cap, needed).min(i64::MAX as u64) };
        if elem_size > 0 && new_cap.saturating_mul(elem_size) > MAX_ALLOC {
            runtime_error("growslice: len out of range");
        }
        // Go allocates the new array from a size class and keeps all of
        // it: the capacity is what the rounded-up size holds.
        if let Some(rounded) = round_up_size(new_cap * elem_size).checked_div(elem_size) {
            new_cap = rounded;
        }
        let new_ptr = allocate(new_cap * elem_size);
        if len > 0 && !ptr.is_null() {
            // SAFETY: both regions hold `len` elements and do not overlap.
            unsafe { std::ptr::copy_nonoverlapping(ptr, new_ptr, (len * elem_size) as usize) };
        }
        (new_ptr, new_cap)
    };
    if !out.is_null() {
        // SAFETY: guaranteed by the caller.
        unsafe { out.write([new_ptr as i64, new_cap as i64]) };
    }
}
}

/// Go's message for a failed slice expression `s[lo:hi:max]` (kind 2), `s[lo:hi]`
/// of a slice (1) or of a string (0), where `cap` is the capacity (length
/// for a string); or for a slice of length `cap` converted to a pointer to
/// an array of length `hi` (kind 3).
pub fn slice_panic_message(lo: i64, hi: i64, max: i64, cap: i64, kind: i64) -> String {
    let (lo, hi, max, cap) = (lo as u64, hi as u64, max as u64, cap as u64);
    let signed = |v: u64| v as i64;
    match kind {
        3 => format!("cannot convert slice with length {} to pointer to array with length {}", signed(cap), signed(hi)),
        2 => {
            if max > cap {
                format!("slice bounds out of range [::{}] with capacity {}", signed(max), cap)
            } else if hi > max {
                format!("slice bounds out of range [:{}:{}]", signed(hi), max)
            } else {
                format!("slice bounds out of range [{}:{}:]", signed(lo), hi)
            }
        }
        _ => {
            let what = if kind == 0 { "length" } else { "capacity" };
            if hi > cap {
                format!("slice bounds out of range [:{}] with {} {}", signed(hi), what, cap)
            } else {
                format!("slice bounds out of range [{}:{}]", signed(lo), hi)
            }
        }
    }
}

rt_export! { PANIC_SLICE =>
pub extern "C" fn g2n_panic_slice(lo: i64, hi: i64, max: i64, cap: i64, kind: i64) -> ! {
    runtime_error(&slice_panic_message(lo, hi, max, cap, kind))
}
}

rt_export! { PANIC_NIL =>
pub extern "C" fn g2n_panic_nil() -> ! {
    runtime_error("invalid memory address or nil pointer dereference")
}
}

rt_export! { DECODE_RUNE =>
/// # Safety
/// `ptr` must point to `len` bytes and `out` be valid for two `i64` writes.
pub unsafe extern "C" fn g2n_decode_rune(ptr: *const u8, len: i64, index: i64, out: *mut [i64; 2]) {
    let bytes: &[u8] = if ptr.is_null() || len <= 0 {
        &[]
    } else {
        // SAFETY: guaranteed by the caller.
        unsafe { std::slice::from_raw_parts(ptr, len as usize) }
    };
    let rest = bytes.get(index.max(0) as usize..).unwrap_or(&[]);
    let (rune, width) = decode_rune(rest);
    if !out.is_null() {
        // SAFETY: guaranteed by the caller.
        unsafe { out.write([rune as i64, width as i64]) };
    }
}
}

/// The first rune of `bytes` as Go's `utf8.DecodeRune` gives it: an invalid
/// or short sequence is one `RuneError` (U+FFFD) byte. The runtime's one
/// UTF-8 decoder (fmt, conversions and the strings functions use it).
pub fn decode_rune(bytes: &[u8]) -> (u32, usize) {
    let Some(&first) = bytes.first() else { return (0xFFFD, 0) };
    if first < 0x80 {
        return (first as u32, 1);
    }
    let width = match first {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return (0xFFFD, 1),
    };
    // Rust's validator applies exactly Go's rules (no overlongs, no surrogates,
    // nothing above U+10FFFF), so it decides validity for us.
    match bytes.get(..width).and_then(|b| std::str::from_utf8(b).ok()).and_then(|s| s.chars().next()) {
        Some(c) => (c as u32, width),
        None => (0xFFFD, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growth_follows_go() {
        assert_eq!(grown_capacity(0, 1), 1);
        assert_eq!(grown_capacity(1, 2), 2);
        assert_eq!(grown_capacity(4, 5), 8);
        assert_eq!(grown_capacity(0, 5), 5);
    }

    /// Capacities Go 1.19 prints after `append` (measured with go1.19.8).
    #[test]
    fn sizes_round_up_to_go_size_classes() {
        assert_eq!(round_up_size(0), 0);
        assert_eq!(round_up_size(1), 8);
        assert_eq!(round_up_size(4), 8);
        assert_eq!(round_up_size(24), 24);
        assert_eq!(round_up_size(25), 32);
        assert_eq!(round_up_size(1025), 1152);
        assert_eq!(round_up_size(32768), 32768);
        assert_eq!(round_up_size(32769), 40960);
    }

    #[test]
    fn decodes_runes_like_utf8_decoderune() {
        assert_eq!(decode_rune("é!".as_bytes()), (0xE9, 2));
        assert_eq!(decode_rune(&[0xFF, b'a']), (0xFFFD, 1));
        assert_eq!(decode_rune(&[0xE2, 0x82]), (0xFFFD, 1));
        assert_eq!(decode_rune(b"a"), (97, 1));
    }

    #[test]
    fn slice_messages_match_go() {
        assert_eq!(slice_panic_message(0, 5, 5, 3, 1), "slice bounds out of range [:5] with capacity 3");
        assert_eq!(slice_panic_message(0, 5, 5, 3, 0), "slice bounds out of range [:5] with length 3");
        assert_eq!(slice_panic_message(3, 2, 3, 3, 1), "slice bounds out of range [3:2]");
    }
}

/// `panic(message)` with a string value, as library code panics.
pub fn panic_message(message: &str) -> ! {
    let value = g2n_abi::GoAny { tag: g2n_abi::TypeTag::String as u64, word0: message.as_ptr() as u64, word1: message.len() as u64 };
    // SAFETY: the value outlives the call, which never returns.
    unsafe { crate::ffi::g2n_panic(&value) }
}

rt_export! { STRING_TO_SLICE =>
/// # Safety
/// `ptr` must point to `len` bytes; `out` be valid for three `i64` writes.
pub unsafe extern "C" fn g2n_string_to_slice(ptr: *const u8, len: i64, rune_elems: u8, out: *mut [i64; 3]) {
    let bytes: &[u8] = if ptr.is_null() || len <= 0 {
        &[]
    } else {
        // SAFETY: guaranteed by the caller.
        unsafe { std::slice::from_raw_parts(ptr, len as usize) }
    };
    let (data, count) = if rune_elems != 0 {
        let mut runes: Vec<i32> = Vec::new();
        let mut rest = bytes;
        while !rest.is_empty() {
            let (r, w) = decode_rune(rest);
            runes.push(r as i32);
            rest = &rest[w.max(1)..];
        }
        let storage = allocate(runes.len() as u64 * 4);
        // SAFETY: the storage holds every rune.
        unsafe { std::ptr::copy_nonoverlapping(runes.as_ptr() as *const u8, storage, runes.len() * 4) };
        (storage, runes.len())
    } else {
        let storage = allocate(bytes.len() as u64);
        // SAFETY: the storage holds every byte.
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), storage, bytes.len()) };
        (storage, bytes.len())
    };
    if !out.is_null() {
        // SAFETY: guaranteed by the caller.
        unsafe { out.write([data as i64, count as i64, count as i64]) };
    }
}
}

rt_export! { SLICE_TO_STRING =>
/// # Safety
/// `ptr` must point to `len` elements (bytes, or runes when `rune_elems` is 1).
pub unsafe extern "C" fn g2n_slice_to_string(ptr: *const u8, len: i64, rune_elems: u8) -> g2n_abi::GoString {
    let len = len.max(0) as usize;
    let text = if ptr.is_null() || len == 0 {
        Vec::new()
    } else if rune_elems != 0 {
        // SAFETY: guaranteed by the caller.
        let runes = unsafe { std::slice::from_raw_parts(ptr as *const i32, len) };
        let mut out = String::new();
        for r in runes {
            out.push(char::from_u32(*r as u32).unwrap_or('\u{FFFD}'));
        }
        out.into_bytes()
    } else {
        // SAFETY: guaranteed by the caller.
        unsafe { std::slice::from_raw_parts(ptr, len) }.to_vec()
    };
    crate::ffi::leak_string(text)
}
}
