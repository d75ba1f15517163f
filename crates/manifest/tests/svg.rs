//! SVG goldens: every mesh manifest in `test_data/` (the seed mesh and a
//! program split per line, as `g2n build` wrote them) drawn by
//! `g2n_manifest::svg::mesh_svg`, compared with the `.svg` next to it
//! (`G2N_BLESS=1` rewrites them).

// The shared golden helpers; this test reads no directives.
#[path = "../../../tests/support/golden.rs"]
#[allow(dead_code)]
mod golden;

use g2n_manifest::manifest::MeshManifest;
use std::path::Path;

#[test]
fn mesh_svg_goldens() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data");
    let inputs = golden::files_with_extension(&dir, "yaml");
    assert!(inputs.len() >= 2, "test_data lost its mesh manifests");
    let cases: Vec<_> = inputs
        .iter()
        .map(|input| {
            let text = std::fs::read_to_string(input).unwrap_or_else(|e| panic!("{}: {e}", input.display()));
            let mesh = MeshManifest::from_yaml(&text).unwrap_or_else(|e| panic!("{}: {e}", input.display()));
            (input.with_extension("svg"), g2n_manifest::svg::mesh_svg(&mesh))
        })
        .collect();
    golden::check_goldens(&dir, "svg", &cases);
}
