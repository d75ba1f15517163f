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
//!
//! A pack is written when a load parses a file of the package afresh, and
//! again after a check that reached function bodies the pack keeps as text
//! ([`KeptPack`]): a warm build then decodes the bodies it reaches instead
//! of parsing them.

use g2n_syntax::cached::{KeptFile, Shared};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

pub(crate) type TextDigest = [u8; 32];

pub(crate) fn digest(text: &str) -> TextDigest {
    Sha256::digest(text.as_bytes()).into()
}

/// A pack read back: encodings by digest, sharing the pack's bytes (a
/// file's deferred bodies are decoded from them when reached).
pub(crate) struct Pack {
    entries: HashMap<TextDigest, Shared>,
}

impl Pack {
    /// The pack `bytes` lay out, `None` if they are not one.
    pub(crate) fn read(bytes: Vec<u8>) -> Option<Pack> {
        let shared = Shared::new(bytes);
        let mut entries = HashMap::new();
        let mut rest = shared.bytes();
        while !rest.is_empty() {
            let (digest, after) = rest.split_first_chunk::<32>()?;
            let (len, after) = after.split_first_chunk::<4>()?;
            let len = usize::try_from(u32::from_le_bytes(*len)).ok()?;
            let at = shared.bytes().len() - after.len();
            entries.insert(*digest, shared.slice(at, at + len)?);
            rest = after.get(len..)?;
        }
        Some(Pack { entries })
    }

    pub(crate) fn get(&self, digest: &TextDigest) -> Option<&Shared> {
        self.entries.get(digest)
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

/// A library package's pack as a load read or made it, with the files'
/// deferred bodies: after a check, [`KeptPack::keep_reached`] writes it
/// again if the check parsed bodies that it keeps as text.
pub struct KeptPack {
    pub(crate) path: String,
    pub(crate) files: Vec<(TextDigest, KeptFile)>,
    /// It has entries no kept pack has yet, and was not kept by the load
    /// (which keeps a pack with new entries at once, unless some of its
    /// other files were still being decoded in the background).
    pub(crate) fresh: bool,
}

impl std::fmt::Debug for KeptPack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeptPack").field("path", &self.path).field("files", &self.files.len()).finish()
    }
}

impl KeptPack {
    /// Whether the check parsed a body that the pack keeps as text, or
    /// the pack is [fresh](KeptPack::fresh).
    pub fn gained(&self) -> bool {
        self.fresh || self.files.iter().any(|(_, file)| file.gained())
    }

    /// Of its files' bodies reached so far: how many were decoded from the
    /// pack, and how many parsed from their text.
    pub fn reached(&self) -> (usize, usize) {
        self.files.iter().map(|(_, file)| file.reached()).fold((0, 0), |(d, p), (file_d, file_p)| (d + file_d, p + file_p))
    }

    /// Gives the pack again to `keep` (as [`crate::SourceTree::keep_parsed`]
    /// takes it: the package's path, the pack) if it
    /// [gained](KeptPack::gained) bodies; true if it did.
    pub fn keep_reached(&self, keep: impl FnOnce(&str, &[u8])) -> bool {
        if !self.gained() {
            return false;
        }
        keep(&self.path, &self.encode());
        true
    }

    /// The pack's bytes, with every body its files have parsed so far.
    pub(crate) fn encode(&self) -> Vec<u8> {
        let encoded: Vec<(&TextDigest, Vec<u8>)> = self.files.iter().map(|(digest, file)| (digest, file.encode())).collect();
        write(encoded.iter().map(|(digest, bytes)| (*digest, bytes.as_slice())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pack_reads_back_its_entries_and_nothing_from_cut_bytes() {
        let (a, b) = (digest("package a\n"), digest("package b\n"));
        let bytes = write([(&a, b"first".as_slice()), (&b, b"".as_slice())]);
        let pack = Pack::read(bytes.clone()).expect("a pack");
        assert_eq!(pack.get(&a).map(Shared::bytes), Some(b"first".as_slice()));
        assert_eq!(pack.get(&b).map(Shared::bytes), Some(b"".as_slice()));
        assert!(pack.get(&digest("package c\n")).is_none());
        for cut in [1, 32, 35, 40, bytes.len() - 1] {
            assert!(Pack::read(bytes[..cut].to_vec()).is_none(), "cut at {cut}");
        }
    }
}
