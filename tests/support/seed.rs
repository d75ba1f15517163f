//! The seed mesh (examples/hello-world) copied into a test's directory,
//! for tests that edit or trace it without touching the repository's copy.

use std::path::{Path, PathBuf};

/// The two configs of the seed mesh as copied: their paths and texts.
pub struct SeedCopy {
    pub hello: PathBuf,
    pub hello_text: String,
    pub print: PathBuf,
    pub print_text: String,
}

/// Copies `hello.yaml` and `print-hello-world.yaml` of the seed into `dir`.
pub fn copy_seed(dir: &Path) -> SeedCopy {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/hello-world");
    let copy = |name: &str| {
        let text = std::fs::read_to_string(seed.join(name)).unwrap_or_else(|e| panic!("the seed's {name}: {e}"));
        let path = dir.join(name);
        std::fs::write(&path, &text).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        (path, text)
    };
    let (hello, hello_text) = copy("hello.yaml");
    let (print, print_text) = copy("print-hello-world.yaml");
    SeedCopy { hello, hello_text, print, print_text }
}
