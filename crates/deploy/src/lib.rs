//! Deployed meshes on the NATS engine (docs/deploy.md): what `g2n deploy`,
//! `g2n rollback`, `g2n host`, `g2n start` and `g2n status` share.
//!
//! A deployed mesh lives on the same JetStream as its hops, in three
//! buckets ([`names`]): an object store of artifacts (executables and unit
//! manifests, each named by its SHA-256, so a name says what it holds), a
//! key-value bucket with the mesh's desired state ([`state::Desired`]: per
//! nanoservice the version that should run, the one before it, how many
//! replicas), and a key-value bucket where hosts report themselves with a
//! time to live ([`state::HostReport`]). [`store::Store`] reads and writes
//! them; [`state`] holds the pure decisions (replace, roll back, check a
//! replacement with the manifest diff). Nothing here prints: the CLI does.

pub mod names;
pub mod state;
pub mod store;

pub use state::{Desired, HostReport, UnitState, Version};
pub use store::Store;
