//! microgo2network: a mesh of N separate nanoservice configs in a chain, and
//! the Go program that does the same with N goroutines.
//!
//! Config `n00000` declares `v0 := 1` and hops to `n00001`; config `k`
//! declares `vK := v(K-1) + 1`, using the variable of the config before it
//! (a free variable, resolved from upstream), and hops to the next; the last
//! prints its variable. So the output is N exactly when every config ran
//! once and every hop carried its value. The Go program passes a value
//! through N goroutines joined by unbuffered channels, each adding one, and
//! prints N too.
//!
//! Shared by the benchmark (`g2n-bench --microgo2network`) and the test that
//! builds and runs the mesh (tests/microgo2network.rs, through `#[path]`).

use std::path::{Path, PathBuf};

/// The name of config `index` (names sort in chain order up to 100,000).
pub fn config_name(index: usize) -> String {
    format!("n{index:05}")
}

/// The YAML of config `index` of a chain of `n`.
pub fn config_text(index: usize, n: usize) -> String {
    let last = index + 1 == n;
    let mut lines = vec!["package main".to_string()];
    if last {
        lines.push("import \"fmt\"".to_string());
    }
    lines.push("func main() {".to_string());
    if index == 0 {
        lines.push("  v0 := 1".to_string());
    } else {
        lines.push(format!("  v{index} := v{} + 1", index - 1));
    }
    if last {
        lines.push(format!("  fmt.Println(v{index})"));
    } else {
        lines.push(format!("  goToNetwork '{}'", config_name(index + 1)));
    }
    lines.push("}".to_string());
    let mut text = String::from("code:\n");
    for line in lines {
        text.push_str("  - ");
        text.push_str(&line);
        text.push('\n');
    }
    text
}

/// Writes the `n` configs into `dir` (created); returns their paths in
/// chain order.
pub fn write_configs(dir: &Path, n: usize) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    (0..n)
        .map(|i| {
            let path = dir.join(format!("{}.yaml", config_name(i)));
            std::fs::write(&path, config_text(i, n))?;
            Ok(path)
        })
        .collect()
}

/// What the chain prints.
pub fn expected_output(n: usize) -> String {
    format!("{n}\n")
}

/// The same chain in Go: `n` goroutines, each receiving the value from the
/// one before on an unbuffered channel and sending it plus one to the next.
pub fn go_program(n: usize) -> String {
    format!(
        "package main

import \"fmt\"

func link(in <-chan int, out chan<- int) {{
	v := <-in
	out <- v + 1
}}

func main() {{
	const n = {n}
	first := make(chan int)
	in := first
	for i := 0; i < n; i++ {{
		out := make(chan int)
		go link(in, out)
		in = out
	}}
	first <- 0
	fmt.Println(<-in)
}}
"
    )
}
