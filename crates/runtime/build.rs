//! Links the Boehm-Demers-Weiser collector (bdwgc) into the runtime.
//!
//! The collector is Debian's `libgc-dev` static archive (`libgc.a`, bdwgc 8.2,
//! built thread-aware). It is copied into OUT_DIR and linked as a static
//! native library, so rustc bundles its objects into `libg2n_runtime.a`: an
//! executable that links the runtime archive gets the collector with it.
//! `G2N_LIBGC_DIR` names another directory holding `libgc.a`.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-env-changed=G2N_LIBGC_DIR");
    let mut dirs: Vec<PathBuf> = Vec::new();
    if let Some(dir) = std::env::var_os("G2N_LIBGC_DIR") {
        dirs.push(dir.into());
    }
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let multiarch = match arch.as_str() {
        "x86_64" => "x86_64-linux-gnu",
        "aarch64" => "aarch64-linux-gnu",
        other => other,
    };
    for d in [
        format!("/usr/lib/{multiarch}"),
        "/usr/local/lib".into(),
        "/usr/lib".into(),
        "/usr/lib64".into(),
    ] {
        dirs.push(d.into());
    }
    let Some(lib) = dirs.iter().map(|d| d.join("libgc.a")).find(|p| p.is_file()) else {
        panic!(
            "g2n-runtime needs the Boehm-Demers-Weiser collector's static library libgc.a \
             (Debian/Ubuntu: `apt-get install libgc-dev`; or set G2N_LIBGC_DIR to its directory); searched {dirs:?}"
        );
    };
    println!("cargo:rerun-if-changed={}", lib.display());
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    std::fs::copy(&lib, out.join("libgc.a")).expect("copy libgc.a into OUT_DIR");
    println!("cargo:rustc-link-search=native={}", out.display());
    println!("cargo:rustc-link-lib=static=gc");
}
