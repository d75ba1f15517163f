//! Generates the parser from `grammar/go.lalrpop` into `OUT_DIR`.

fn main() {
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".to_owned());
    if let Err(e) = lalrpop::Configuration::new()
        .set_out_dir(out_dir)
        .emit_rerun_directives(true)
        .process_file("../../grammar/go.lalrpop")
    {
        // Build scripts report through cargo; a broken grammar must stop the build.
        panic!("lalrpop failed on grammar/go.lalrpop: {e}");
    }
}
