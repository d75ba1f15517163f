//! X25519MLKEM768, the hybrid post-quantum key exchange of TLS 1.3
//! (draft-ietf-tls-ecdhe-mlkem, code point 0x11EC), as a rustls key
//! exchange group: ML-KEM-768 (FIPS 203; RustCrypto's `ml-kem`) beside
//! X25519 (ring's, through rustls's own group). rustls's ring provider has
//! no post-quantum group and the provider that has one, aws-lc-rs, costs
//! 2.57 MB per executable (docs/protocol.md, "Post-quantum key exchange").
//!
//! The construction is the draft's: the client's share is the ML-KEM
//! encapsulation key (1184 bytes) followed by its X25519 public key (32),
//! the server's the ML-KEM ciphertext (1088) followed by its X25519 public
//! key, and the shared secret the ML-KEM shared key (32) followed by the
//! X25519 shared secret (32). The session is safe while either part is.

use ml_kem::kem::{Decapsulate, Encapsulate};
use ml_kem::{EncodedSizeUser, KemCore, MlKem768};
use rustls::crypto::ring::kx_group::X25519;
use rustls::crypto::{ActiveKeyExchange, CompletedKeyExchange, SharedSecret, SupportedKxGroup};
use rustls::{Error, NamedGroup, PeerMisbehaved, ProtocolVersion};

const ENCAPSULATION_KEY_LEN: usize = 1184;
const CIPHERTEXT_LEN: usize = 1088;
const X25519_LEN: usize = 32;

/// The group, for a provider's `kx_groups`.
pub static X25519MLKEM768: &dyn SupportedKxGroup = &X25519MlKem768;

#[derive(Debug)]
struct X25519MlKem768;

/// ML-KEM's randomness: the operating system's, through the runtime's
/// `random_bytes` (which stops the process if there is none, as for every
/// other key the runtime makes).
struct OsRandom;

impl rand_core::RngCore for OsRandom {
    fn next_u32(&mut self) -> u32 {
        rand_core::impls::next_u32_via_fill(self)
    }

    fn next_u64(&mut self) -> u64 {
        rand_core::impls::next_u64_via_fill(self)
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(32) {
            chunk.copy_from_slice(&g2n_runtime::wire::random_bytes::<32>()[..chunk.len()]);
        }
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl rand_core::CryptoRng for OsRandom {}

fn bad_share() -> Error {
    PeerMisbehaved::InvalidKeyShare.into()
}

/// The client's half, until the server's share comes.
struct ClientShare {
    decapsulation_key: <MlKem768 as KemCore>::DecapsulationKey,
    x25519: Box<dyn ActiveKeyExchange>,
    share: Vec<u8>,
}

impl SupportedKxGroup for X25519MlKem768 {
    fn start(&self) -> Result<Box<dyn ActiveKeyExchange>, Error> {
        let (decapsulation_key, encapsulation_key) = MlKem768::generate(&mut OsRandom);
        let x25519 = X25519.start()?;
        let mut share = encapsulation_key.as_bytes().to_vec();
        share.extend_from_slice(x25519.pub_key());
        Ok(Box::new(ClientShare { decapsulation_key, x25519, share }))
    }

    /// The server's side: encapsulate to the client's key, agree on X25519.
    fn start_and_complete(&self, client_share: &[u8]) -> Result<CompletedKeyExchange, Error> {
        if client_share.len() != ENCAPSULATION_KEY_LEN + X25519_LEN {
            return Err(bad_share());
        }
        let (encoded, client_x25519) = client_share.split_at(ENCAPSULATION_KEY_LEN);
        let key = ml_kem::array::Array::try_from(encoded).map_err(|_| bad_share())?;
        let encapsulation_key = <MlKem768 as KemCore>::EncapsulationKey::from_bytes(&key);
        // FIPS 203's encapsulation key check: decoding reduces every
        // coefficient modulo q, so a key that does not encode back to the
        // same bytes had one out of range.
        if encapsulation_key.as_bytes().as_slice() != encoded {
            return Err(bad_share());
        }
        let (ciphertext, ml_kem_secret) = encapsulation_key.encapsulate(&mut OsRandom).map_err(|_| Error::FailedToGetRandomBytes)?;
        let x25519 = X25519.start_and_complete(client_x25519)?;
        let mut pub_key = ciphertext.to_vec();
        pub_key.extend_from_slice(&x25519.pub_key);
        let mut secret = ml_kem_secret.to_vec();
        secret.extend_from_slice(x25519.secret.secret_bytes());
        Ok(CompletedKeyExchange { group: self.name(), pub_key, secret: SharedSecret::from(secret) })
    }

    fn name(&self) -> NamedGroup {
        NamedGroup::X25519MLKEM768
    }

    fn usable_for_version(&self, version: ProtocolVersion) -> bool {
        version == ProtocolVersion::TLSv1_3
    }
}

impl ActiveKeyExchange for ClientShare {
    fn complete(self: Box<Self>, server_share: &[u8]) -> Result<SharedSecret, Error> {
        if server_share.len() != CIPHERTEXT_LEN + X25519_LEN {
            return Err(bad_share());
        }
        let (ciphertext, server_x25519) = server_share.split_at(CIPHERTEXT_LEN);
        let ciphertext = ml_kem::Ciphertext::<MlKem768>::try_from(ciphertext).map_err(|_| bad_share())?;
        let ml_kem_secret = self.decapsulation_key.decapsulate(&ciphertext).map_err(|_| bad_share())?;
        let x25519 = self.x25519.complete(server_x25519)?;
        let mut secret = ml_kem_secret.to_vec();
        secret.extend_from_slice(x25519.secret_bytes());
        Ok(SharedSecret::from(secret))
    }

    fn pub_key(&self) -> &[u8] {
        &self.share
    }

    fn group(&self) -> NamedGroup {
        NamedGroup::X25519MLKEM768
    }
}
