//! Bucket and object names of a deployed mesh. The mesh name is a NATS
//! token (`g2n_abi::nats::token`), which is also a valid bucket name.

use g2n_abi::nats::token;

/// The object store of a mesh's artifacts.
pub fn artifacts_bucket(mesh: &str) -> String {
    format!("g2n-artifacts-{}", token(mesh))
}

/// The key-value bucket of a mesh's desired state.
pub fn desired_bucket(mesh: &str) -> String {
    format!("g2n-desired-{}", token(mesh))
}

/// The key-value bucket where the hosts of a mesh report themselves.
pub fn hosts_bucket(mesh: &str) -> String {
    format!("g2n-hosts-{}", token(mesh))
}

/// The stream behind a desired-state bucket (how deployed meshes are found).
pub const DESIRED_STREAM_PREFIX: &str = "KV_g2n-desired-";

/// The one key of the desired-state bucket: the whole state is one value,
/// so a deploy changes it with one compare-and-set.
pub const DESIRED_KEY: &str = "desired";

/// The object name of an artifact whose hash is `sha256:<hex>`: the hex.
pub fn object_name(hash: &str) -> &str {
    hash.strip_prefix("sha256:").unwrap_or(hash)
}

/// A host's key in the hosts bucket.
pub fn host_key(host: &str) -> String {
    format!("host.{}", token(host))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(desired_bucket("lines"), "g2n-desired-lines");
        assert_eq!(format!("KV_{}", desired_bucket("m")), format!("{DESIRED_STREAM_PREFIX}m"));
        assert_eq!(object_name("sha256:ab"), "ab");
        assert_eq!(host_key("a.b"), "host.a_b");
    }
}
