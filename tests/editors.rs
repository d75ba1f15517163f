//! The VS Code extension (editors/vscode), checked without VS Code: its
//! manifest is valid JSON that contributes what the extension uses, and its
//! grammar parses and highlights `goToNetwork 'name'` in Go and in a config.

use serde_json::Value;
use std::path::{Path, PathBuf};

fn extension_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../editors/vscode")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

#[test]
fn the_manifest_contributes_the_server_path_and_the_grammar() {
    let dir = extension_dir();
    let manifest = read_json(&dir.join("package.json"));
    assert_eq!(manifest["name"], "g2n");
    assert_eq!(manifest["main"], "./extension.js");
    assert!(dir.join("extension.js").is_file());
    assert!(manifest["engines"]["vscode"].as_str().is_some_and(|v| v.starts_with('^')), "{}", manifest["engines"]);
    let events: Vec<&str> = manifest["activationEvents"].as_array().expect("activationEvents").iter().filter_map(Value::as_str).collect();
    assert_eq!(events, ["onLanguage:go", "onLanguage:yaml"]);
    assert!(manifest["dependencies"]["vscode-languageclient"].is_string());
    let path = &manifest["contributes"]["configuration"]["properties"]["g2n.path"];
    assert_eq!(path["type"], "string");
    assert_eq!(path["default"], "g2n");
    // The extension reads the setting it declares and starts `lsp`.
    let source = std::fs::read_to_string(dir.join("extension.js")).expect("extension.js");
    assert!(source.contains("getConfiguration('g2n').get('path')"), "extension.js does not read g2n.path");
    assert!(source.contains("args: ['lsp']"), "extension.js does not start `g2n lsp`");
    let commands = manifest["contributes"]["commands"].as_array().expect("commands");
    for command in commands {
        let name = command["command"].as_str().expect("a command name");
        assert!(source.contains(&format!("'{name}'")), "{name} is contributed but not registered");
    }
    let grammars = manifest["contributes"]["grammars"].as_array().expect("grammars");
    assert_eq!(grammars.len(), 1);
    let inject: Vec<&str> = grammars[0]["injectTo"].as_array().expect("injectTo").iter().filter_map(Value::as_str).collect();
    assert_eq!(inject, ["source.go", "source.yaml"]);
    let grammar = read_json(&dir.join(grammars[0]["path"].as_str().expect("grammar path")));
    assert_eq!(grammar["scopeName"], grammars[0]["scopeName"]);
}

/// Every `match` of the grammar, with its captures' scope names.
fn rules(grammar: &Value) -> Vec<(regex::Regex, Vec<(usize, String)>)> {
    let mut out = Vec::new();
    for (name, rule) in grammar["repository"].as_object().expect("repository") {
        let pattern = rule["match"].as_str().unwrap_or_else(|| panic!("rule {name} has no match"));
        let regex = regex::Regex::new(pattern).unwrap_or_else(|e| panic!("rule {name}: {e}"));
        let captures = rule["captures"]
            .as_object()
            .expect("captures")
            .iter()
            .map(|(index, capture)| (index.parse().expect("capture index"), capture["name"].as_str().expect("scope").to_string()))
            .collect();
        out.push((regex, captures));
    }
    let included: Vec<&str> = grammar["patterns"].as_array().expect("patterns").iter().filter_map(|p| p["include"].as_str()).collect();
    assert_eq!(included.len(), out.len(), "every rule is included");
    out
}

/// The scopes the grammar gives the text's pieces, as (piece, scope).
/// TextMate grammars match line by line (`^` is a line's start), so does this.
fn highlight(grammar: &Value, text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let rules = rules(grammar);
    for (line, (regex, captures)) in text.lines().flat_map(|line| rules.iter().map(move |rule| (line, rule))) {
        for found in regex.captures_iter(line) {
            for (index, scope) in captures {
                if let Some(piece) = found.get(*index) {
                    out.push((piece.as_str().to_string(), scope.clone()));
                }
            }
        }
    }
    out
}

#[test]
fn the_grammar_highlights_hops_in_go_and_in_configs() {
    let dir = extension_dir();
    let grammar = read_json(&dir.join("syntaxes/g2n.injection.tmLanguage.json"));
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/hello-world/hello.yaml");
    let config = std::fs::read_to_string(seed).expect("the seed");
    let pieces = highlight(&grammar, &config);
    assert!(pieces.contains(&("goToNetwork".into(), "keyword.control.gotonetwork.g2n".into())), "{pieces:?}");
    assert!(pieces.contains(&("'print-hello-world'".into(), "entity.name.namespace.nanoservice.g2n".into())), "{pieces:?}");
    assert!(pieces.contains(&("goToNetworks".into(), "keyword.other.gotonetworks.g2n".into())), "{pieces:?}");
    let go = "func main() {\n\tx := 1\n\tgoToNetwork 'next'\n\tprintln(x)\n}\n";
    let pieces = highlight(&grammar, go);
    assert_eq!(
        pieces,
        [("goToNetwork".to_string(), "keyword.control.gotonetwork.g2n".to_string()), ("'next'".to_string(), "entity.name.namespace.nanoservice.g2n".to_string())]
    );
    // A name that merely starts like the keyword is not one.
    assert_eq!(highlight(&grammar, "goToNetworkish 'x'"), []);
}
