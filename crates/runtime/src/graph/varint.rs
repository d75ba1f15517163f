//! Wire primitives of a scope graph: varints, zigzag integers, run-length
//! encoded bytes, and the bounds-checked reader over a received graph.

pub(super) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// Bytes of a `[N]byte` or `[]byte` backing array, run-length encoded: a
/// varint `h`, then `h >> 1` literal bytes when `h` is even, or when it is
/// odd one byte repeated `h >> 1` times; until the length is reached.
pub(super) fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    let mut i = 0;
    let mut lit_start = 0;
    while i < b.len() {
        let mut j = i + 1;
        while j < b.len() && b[j] == b[i] {
            j += 1;
        }
        if j - i >= 8 {
            if lit_start < i {
                put_varint(out, ((i - lit_start) as u64) << 1);
                out.extend_from_slice(&b[lit_start..i]);
            }
            put_varint(out, (((j - i) as u64) << 1) | 1);
            out.push(b[i]);
            lit_start = j;
        }
        i = j;
    }
    if lit_start < b.len() {
        put_varint(out, ((b.len() - lit_start) as u64) << 1);
        out.extend_from_slice(&b[lit_start..]);
    }
}

pub(super) fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

pub(super) fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

pub(super) struct Reader<'a> {
    pub(super) data: &'a [u8],
    pub(super) pos: usize,
}

impl<'a> Reader<'a> {
    pub(super) fn left(&self) -> usize {
        self.data.len() - self.pos
    }
    pub(super) fn byte(&mut self) -> Result<u8, String> {
        let b = *self.data.get(self.pos).ok_or("scope graph ends early")?;
        self.pos += 1;
        Ok(b)
    }
    pub(super) fn take(&mut self, n: u64) -> Result<&'a [u8], String> {
        if n > self.left() as u64 {
            return Err("scope graph ends early".into());
        }
        let s = &self.data[self.pos..self.pos + n as usize];
        self.pos += n as usize;
        Ok(s)
    }
    pub(super) fn varint(&mut self) -> Result<u64, String> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                if shift == 63 && b > 1 {
                    return Err("scope graph has an overlong number".into());
                }
                return Ok(v);
            }
        }
        Err("scope graph has an overlong number".into())
    }
    /// `n` bytes from [`put_bytes`]'s encoding, copied to `out` unless null.
    pub(super) fn bytes(&mut self, n: u64, out: *mut u8) -> Result<(), String> {
        let mut done: u64 = 0;
        while done < n {
            let h = self.varint()?;
            let run = h >> 1;
            if run == 0 || run > n - done {
                return Err("scope graph has a bad byte run".into());
            }
            if h & 1 == 0 {
                let b = self.take(run)?;
                if !out.is_null() {
                    // SAFETY: the caller's `out` has room for `n` bytes.
                    unsafe { std::ptr::copy_nonoverlapping(b.as_ptr(), out.add(done as usize), b.len()) };
                }
            } else {
                let b = self.byte()?;
                if !out.is_null() {
                    // SAFETY: as above.
                    unsafe { std::ptr::write_bytes(out.add(done as usize), b, run as usize) };
                }
            }
            done += run;
        }
        Ok(())
    }

    pub(super) fn index(&mut self, len: usize, what: &str) -> Result<usize, String> {
        let v = self.varint()?;
        if v >= len as u64 {
            return Err(format!("scope graph refers to {what} {v} of {len}"));
        }
        Ok(v as usize)
    }
}
