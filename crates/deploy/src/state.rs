//! The desired state of a deployed mesh and what hosts report, as stored
//! (JSON) in the mesh's key-value buckets, and the pure decisions over them.

use g2n_manifest::diff::{self, Change};
use g2n_manifest::manifest::UnitManifest;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One version of a nanoservice: its executable and its unit manifest, by
/// hash (`sha256:<hex>`, also their object names).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
    pub executable: String,
    pub manifest: String,
    /// The manifest's `content_hash` (the unit's Go code), for people.
    pub content_hash: String,
}

/// What should run of one nanoservice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitState {
    pub current: Version,
    /// The version `current` replaced: what `g2n rollback` puts back.
    pub previous: Option<Version>,
    /// Processes of it on every host that serves it.
    pub replicas: u32,
}

/// The desired state of a mesh: one value in its desired-state bucket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Desired {
    pub mesh: String,
    /// The nanoservice where flows start (`g2n start`).
    pub entry: String,
    /// The key every handoff of the mesh is tagged with (64 hex digits),
    /// made by the first deploy. Who can read this bucket can forge
    /// handoffs: protect it like the step stream (docs/deploy.md).
    pub handoff_key: String,
    /// How long a step may go unacknowledged before JetStream hands it to
    /// another replica; one value for the whole mesh, since the first
    /// process creates each consumer with it. None: the engine's default.
    #[serde(default)]
    pub ack_wait_ms: Option<u64>,
    pub units: BTreeMap<String, UnitState>,
}

/// What replacing one nanoservice did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Replaced {
    /// It was not deployed before.
    Added,
    /// Same executable and manifest: nothing to do but the replica count.
    Same,
    /// A new version; the old one is kept as `previous`.
    Replaced { old: Version },
}

impl Desired {
    /// Makes `version` the current one of `name`, keeping the old one for a
    /// rollback. `replicas`: None keeps the deployed count (1 for a new one).
    pub fn replace(&mut self, name: &str, version: Version, replicas: Option<u32>) -> Replaced {
        match self.units.get_mut(name) {
            None => {
                self.units.insert(name.to_string(), UnitState { current: version, previous: None, replicas: replicas.unwrap_or(1) });
                Replaced::Added
            }
            Some(unit) => {
                if let Some(r) = replicas {
                    unit.replicas = r;
                }
                if unit.current == version {
                    return Replaced::Same;
                }
                let old = std::mem::replace(&mut unit.current, version);
                unit.previous = Some(old.clone());
                Replaced::Replaced { old }
            }
        }
    }

    /// Puts the previous version of `name` back (and keeps the one it
    /// replaces as the new previous, so a second rollback undoes the first).
    /// Returns (the version now current, the one it replaced).
    pub fn rollback(&mut self, name: &str) -> Result<(Version, Version), String> {
        let unit = self.units.get_mut(name).ok_or_else(|| format!("mesh '{}' has no nanoservice '{name}'", self.mesh))?;
        let previous = unit.previous.take().ok_or_else(|| format!("nanoservice '{name}' has no previous version to roll back to"))?;
        let replaced = std::mem::replace(&mut unit.current, previous.clone());
        unit.previous = Some(replaced.clone());
        Ok((previous, replaced))
    }
}

/// Whether `new` may replace the deployed `old` while flows run: the
/// manifest diff's verdict (same resume points capturing the same
/// variables and types, same exits sending the same). Err: the reasons.
pub fn check_replacement(old: &UnitManifest, new: &UnitManifest) -> Result<Change, Vec<String>> {
    match diff::compare_unit(old, new) {
        Change::Incompatible(reasons) => Err(reasons),
        change => Ok(change),
    }
}

/// One process a host runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Process {
    pub pid: u32,
    /// The executable hash it runs.
    pub version: String,
    /// Started for the desired version but not ready yet, or draining.
    pub state: String,
}

/// What a host reports about itself (its key in the hosts bucket expires
/// when the reports stop).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostReport {
    pub host: String,
    pub pid: u32,
    /// Milliseconds since the Unix epoch of this report.
    pub at_ms: u64,
    /// The nanoservices it serves (None: every one).
    pub serves: Option<Vec<String>>,
    /// Its processes, by nanoservice.
    pub units: BTreeMap<String, Vec<Process>>,
    /// Versions it refused (hash mismatch, missing artifact), with reasons.
    #[serde(default)]
    pub refused: BTreeMap<String, String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(x: &str) -> Version {
        Version { executable: format!("sha256:{x}"), manifest: format!("sha256:m{x}"), content_hash: String::new() }
    }

    #[test]
    fn replace_keeps_the_previous_and_rollback_swaps() {
        let mut d = Desired { mesh: "m".into(), entry: "e".into(), handoff_key: String::new(), ack_wait_ms: None, units: BTreeMap::new() };
        assert_eq!(d.replace("a", v("1"), None), Replaced::Added);
        assert_eq!(d.replace("a", v("1"), Some(2)), Replaced::Same);
        assert_eq!(d.units["a"].replicas, 2);
        assert_eq!(d.replace("a", v("2"), None), Replaced::Replaced { old: v("1") });
        assert_eq!(d.units["a"].previous, Some(v("1")));
        assert_eq!(d.rollback("a").unwrap(), (v("1"), v("2")));
        assert_eq!(d.units["a"].current, v("1"));
        assert_eq!(d.units["a"].previous, Some(v("2")));
        assert!(d.rollback("b").is_err());
        d.units.get_mut("a").unwrap().previous = None;
        assert!(d.rollback("a").unwrap_err().contains("no previous version"));
    }
}
