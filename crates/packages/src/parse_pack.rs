//! The parsed files of one library package, kept between builds: a pack of
//! [`g2n_syntax::cached`] encodings, each under the SHA-256 of the text it
//! was parsed from. A build looks each of its files up by its text's digest,
//! so an edited file is parsed again (its digest is new) and an entry is
//! never another file's. The loader makes and reads packs; where they are
//! kept is the [`crate::SourceTree`]'s (the command line's build cache,
//! which also checks that a pack comes back whole).
//!
//! Layout: entries one after the other, each the text's 32-byte digest, the
//! encoding's length (4 bytes, little-endian), then the encoding.

use sha2::{Digest, Sha256};
use std::collections::HashMap;

pub(crate) type TextDigest = [u8; 32];

pub(crate) fn digest(text: &str) -> TextDigest {
    Sha256::digest(text.as_bytes()).into()
}

/// A pack read back: encodings by digest.
pub(crate) struct Pack<'a> {
    entries: HashMap<TextDigest, &'a [u8]>,
}

impl<'a> Pack<'a> {
    /// The pack `bytes` lay out, `None` if they are not one.
    pub(crate) fn read(mut bytes: &'a [u8]) -> Option<Pack<'a>> {
        let mut entries = HashMap::new();
        while !bytes.is_empty() {
            let (digest, rest) = bytes.split_first_chunk::<32>()?;
            let (len, rest) = rest.split_first_chunk::<4>()?;
            let len = usize::try_from(u32::from_le_bytes(*len)).ok()?;
            let (encoding, rest) = rest.split_at_checked(len)?;
            entries.insert(*digest, encoding);
            bytes = rest;
        }
        Some(Pack { entries })
    }

    pub(crate) fn get(&self, digest: &TextDigest) -> Option<&'a [u8]> {
        self.entries.get(digest).copied()
    }
}

/// The pack of `entries`.
pub(crate) fn write<'e>(entries: impl IntoIterator<Item = (&'e TextDigest, &'e [u8])>) -> Vec<u8> {
    let mut bytes = Vec::new();
    for (digest, encoding) in entries {
        // An encoding of 4 GiB is not a source file's: left out.
        let Ok(len) = u32::try_from(encoding.len()) else { continue };
        bytes.extend_from_slice(digest);
        bytes.extend_from_slice(&len.to_le_bytes());
        bytes.extend_from_slice(encoding);
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pack_reads_back_its_entries_and_nothing_from_cut_bytes() {
        let (a, b) = (digest("package a\n"), digest("package b\n"));
        let bytes = write([(&a, b"first".as_slice()), (&b, b"".as_slice())]);
        let pack = Pack::read(&bytes).expect("a pack");
        assert_eq!(pack.get(&a), Some(b"first".as_slice()));
        assert_eq!(pack.get(&b), Some(b"".as_slice()));
        assert_eq!(pack.get(&digest("package c\n")), None);
        for cut in [1, 32, 35, 40, bytes.len() - 1] {
            assert!(Pack::read(&bytes[..cut]).is_none(), "cut at {cut}");
        }
    }
}
