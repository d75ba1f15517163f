//! A fast, non-keyed hash for the checker's hottest tables: scopes (every
//! name looked up, scope by scope) and the type interning table. The
//! standard library's SipHash resists flooding by chosen keys, which a
//! compiler's own identifiers and types do not need, and was a tenth of
//! the check phase's instructions. Tables whose iteration order could
//! matter never depended on it: the standard hasher's order differs per
//! process.

use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` with [`WordHasher`].
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<WordHasher>>;

/// Folds its input a machine word at a time: rotate, xor the word in,
/// multiply by an odd constant with well-spread bits (the multiplication
/// carries each input bit into the high bits, which hashbrown's bucket
/// tags use; the rotation carries high bits down for the bucket index).
#[derive(Default, Clone, Copy)]
pub(crate) struct WordHasher {
    hash: u64,
}

/// 2^64 divided by the golden ratio, made odd.
const MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;

impl WordHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(26) ^ word).wrapping_mul(MULTIPLIER);
    }
}

impl Hasher for WordHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            // The length keeps "a" and "a\0" apart.
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u16(&mut self, i: u16) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // The last multiplication leaves the low bits, hashbrown's bucket
        // index, depending on the low input bits only: fold the high ones in.
        self.hash ^ (self.hash >> 32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    fn hash(text: &str) -> u64 {
        BuildHasherDefault::<WordHasher>::default().hash_one(text)
    }

    #[test]
    fn names_that_differ_hash_apart() {
        let names = ["a", "b", "ab", "ba", "a\0", "Println", "Printf", "Sprintf", "x1", "x2", "longer_than_eight", "longer_than_eighT"];
        let hashes: std::collections::HashSet<u64> = names.iter().map(|n| hash(n)).collect();
        assert_eq!(hashes.len(), names.len());
        assert_eq!(hash("Println"), hash("Println"));
    }

    #[test]
    fn bucket_bits_vary_across_similar_names() {
        // Sequential identifiers must not pile into a few buckets of a
        // table of 1024 (hashbrown indexes by the low bits).
        let buckets: std::collections::HashSet<u64> = (0..1000).map(|i| hash(&format!("name{i}")) & 1023).collect();
        assert!(buckets.len() > 500, "{} buckets of 1024 used", buckets.len());
    }
}
