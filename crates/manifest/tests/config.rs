//! Integration tests of the nanoservice config reader and writer: the seed
//! files verbatim, spans of every error kind (rendered into golden files),
//! and the writer's strict-YAML round trip.

use std::path::PathBuf;

use g2n_base::{FileId, SourceDb, Span};
use g2n_manifest::config::{
    self, ConfigError, ConfigWarning, EndpointOut, NanoserviceConfig, NanoserviceConfigOut, Secret,
};

fn example(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/hello-world").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

fn load_ok(yaml: &str, stem: &str) -> NanoserviceConfig {
    let (config, errors) = config::load(FileId(0), yaml, stem);
    assert!(errors.is_empty(), "unexpected errors: {errors:#?}");
    config.expect("config")
}

fn load_err(yaml: &str) -> Vec<ConfigError> {
    let (_, errors) = config::load(FileId(0), yaml, "test");
    assert!(!errors.is_empty(), "expected errors for:\n{yaml}");
    errors
}

fn text(yaml: &str, span: Span) -> &str {
    &yaml[span.start as usize..span.end as usize]
}

/// Go text with the blanking collapsed: each non-blank line, trimmed at the end.
fn go_lines(config: &NanoserviceConfig) -> Vec<&str> {
    config.go_code.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()).collect()
}

#[test]
fn seed_hello_yaml() {
    let yaml = example("hello.yaml");
    let config = load_ok(&yaml, "hello");
    assert_eq!(config.name, "hello");
    assert_eq!(config.name_span, None);
    assert_eq!(config.go_code.len(), yaml.len());
    let at = yaml.find("hello :=").expect("hello := in yaml");
    assert_eq!(config.go_code.find("hello :="), Some(at));
    assert_eq!(
        go_lines(&config),
        [
            "    package main",
            "    func main() {",
            "      hello := \"Hello\"",
            "      goToNetwork 'print-hello-world'",
            "    }",
        ]
    );
    assert_eq!(
        config.source_text(),
        "package main\nfunc main() {\n  hello := \"Hello\"\n  goToNetwork 'print-hello-world'\n}\n"
    );
    // Go line numbers are YAML line numbers.
    let yaml_line = yaml[..at].matches('\n').count();
    assert_eq!(config.go_code[..at].matches('\n').count(), yaml_line);

    let endpoint = &config.go_to_networks["print-hello-world"];
    assert_eq!(endpoint.host.as_deref(), Some("104.22.50.212"));
    assert_eq!(endpoint.username.as_deref(), Some("hello-world-practice"));
    assert_eq!(endpoint.password, Some(Secret::Literal("monkey".into())));
    assert_eq!(endpoint.port, None);
    assert_eq!(text(&yaml, endpoint.name_span), "print-hello-world");
    assert_eq!(endpoint.host_span.map(|s| text(&yaml, s)), Some("104.22.50.212"));
    assert_eq!(endpoint.password_span.map(|s| text(&yaml, s)), Some("monkey"));
    assert!(text(&yaml, endpoint.span).starts_with("print-hello-world:"));
    assert!(text(&yaml, endpoint.span).ends_with("monkey"));

    assert_eq!(config.warnings.len(), 1);
    match &config.warnings[0] {
        ConfigWarning::PlainPassword { endpoint, span } => {
            assert_eq!(endpoint, "print-hello-world");
            assert_eq!(text(&yaml, *span), "monkey");
        }
        other => panic!("unexpected warning {other:?}"),
    }
    assert_eq!(
        config.warnings[0].to_string(),
        "the password for `print-hello-world` is in plain text: write `password_env: NAME` instead and export NAME=<password> where the caller runs"
    );
}

#[test]
fn seed_print_hello_world_yaml() {
    let yaml = example("print-hello-world.yaml");
    let config = load_ok(&yaml, "print-hello-world");
    assert_eq!(config.name, "print-hello-world");
    assert_eq!(config.go_code.len(), yaml.len());
    let at = yaml.find("fmt.Printf").expect("Printf in yaml");
    assert_eq!(config.go_code.find("fmt.Printf"), Some(at));
    assert_eq!(
        config.source_text(),
        "package main\nimport \"fmt\"\nfunc main() {\n  fmt.Printf(\"%s World!\", hello)\n}\n"
    );
    assert!(config.go_to_networks.is_empty());
    assert!(config.warnings.is_empty());
    assert!(text(&yaml, config.code_span).starts_with("code:"));
    assert!(text(&yaml, config.code_span).ends_with("- }"));
}

#[test]
fn block_scalar_code() {
    let yaml = "name: block\ncode: |\n  package main\n\n  func main() {\n  \tprintln(\"}\")\n  }\nentry: true\nresume_points: [0, 2]\n";
    let config = load_ok(yaml, "ignored");
    assert_eq!(config.name, "block");
    assert_eq!(config.name_span.map(|s| text(yaml, s)), Some("block"));
    assert_eq!(config.entry, Some(true));
    assert_eq!(config.resume_points, [0, 2]);
    assert_eq!(config.source_text(), "package main\n\nfunc main() {\n\tprintln(\"}\")\n}\n");
    let at = yaml.find("println").expect("println");
    assert_eq!(config.go_code.find("println"), Some(at));
    assert_eq!(config.go_code.len(), yaml.len());
}

#[test]
fn name_overrides_stem_and_password_env_is_a_secret_name() {
    let yaml = "name: svc.a_1\ncode:\n- package main\ngoToNetworks:\n  next:\n    host: localhost\n    port: 7000\n    password_env: NEXT_PASSWORD\n";
    let config = load_ok(yaml, "file-stem");
    assert_eq!(config.name, "svc.a_1");
    let next = &config.go_to_networks["next"];
    assert_eq!(next.port, Some(7000));
    assert_eq!(next.port_span.map(|s| text(yaml, s)), Some("7000"));
    assert_eq!(next.password, Some(Secret::Env("NEXT_PASSWORD".into())));
    assert!(config.warnings.is_empty());
}

#[test]
fn crlf_and_bom_keep_offsets() {
    let yaml = "\u{FEFF}code:\r\n  - package main\r\n  - }\r\nname: x\r\n";
    let config = load_ok(yaml, "s");
    assert_eq!(config.name, "x");
    assert_eq!(config.go_code.len(), yaml.len());
    assert_eq!(config.source_text(), "package main\n}\n");
    assert_eq!(config.name_span.map(|s| text(yaml, s)), Some("x"));
}

#[test]
fn missing_code_points_at_file_start() {
    let errors = load_err("name: a\n");
    assert!(matches!(errors[..], [ConfigError::MissingCode { span }] if span == Span::new(FileId(0), 0, 0)));
    let errors = load_err("");
    assert!(matches!(errors[..], [ConfigError::MissingCode { .. }]));
}

#[test]
fn unknown_keys_have_spans_and_suggestions() {
    let yaml = "code:\n  - package main\ngoToNetwork:\n  x:\n    host: h\n";
    let errors = load_err(yaml);
    match &errors[..] {
        [ConfigError::UnknownKey { key, span, help, .. }] => {
            assert_eq!(key, "goToNetwork");
            assert_eq!(text(yaml, *span), "goToNetwork");
            assert!(help.contains("did you mean `goToNetworks`"), "{help}");
        }
        other => panic!("{other:#?}"),
    }
    let yaml = "code:\n  - package main\ngoToNetworks:\n  x:\n    hots: h\n";
    let errors = load_err(yaml);
    assert!(
        matches!(&errors[..], [ConfigError::UnknownKey { key, section, span, .. }]
            if key == "hots" && section == "goToNetworks.x" && text(yaml, *span) == "hots"),
        "{errors:#?}"
    );
}

#[test]
fn bad_names() {
    let yaml = "name: Hello World\ncode:\n  - package main\n";
    let errors = load_err(yaml);
    assert!(matches!(&errors[..], [ConfigError::BadName { span, .. }] if text(yaml, *span) == "Hello World"));
    let (_, errors) = config::load(FileId(0), "code:\n  - package main\n", "Hello");
    assert!(matches!(&errors[..], [ConfigError::BadName { name, .. }] if name == "Hello"));
    let long = "a".repeat(65);
    let yaml = format!("code:\n  - package main\ngoToNetworks:\n  {long}:\n    host: h\n");
    let errors = load_err(&yaml);
    assert!(matches!(&errors[..], [ConfigError::BadName { span, .. }] if text(&yaml, *span) == long));
    // Names become paths: no hidden or option-like names, no separators.
    for bad in [".hidden", "-x", "..", "\"../up\""] {
        let yaml = format!("name: {bad}\ncode:\n  - package main\n");
        let errors = load_err(&yaml);
        assert!(matches!(&errors[..], [ConfigError::BadName { span, .. }] if text(&yaml, *span) == bad), "{bad}: {errors:#?}");
    }
}

#[test]
fn a_user_without_a_password_is_refused() {
    for fields in ["username: mallory\n", "username: mallory\n    password: \"\"\n", "username: mallory\n    password_env: \"\"\n"] {
        let yaml = format!("code:\n  - package main\ngoToNetworks:\n  x:\n    host: h\n    {fields}");
        let errors = load_err(&yaml);
        assert!(
            matches!(&errors[..], [ConfigError::MissingPassword { user, span, .. }] if user == "mallory" && text(&yaml, *span) == "mallory"),
            "{fields}: {errors:#?}"
        );
    }
    // No username: the run's own secret is used, nothing to refuse.
    let yaml = "code:\n  - package main\ngoToNetworks:\n  x:\n    host: h\n";
    assert!(config::load(FileId(0), yaml, "start").1.is_empty());
}

#[test]
fn both_passwords() {
    let yaml = "code:\n  - package main\ngoToNetworks:\n  x:\n    password: p\n    password_env: P\n";
    let errors = load_err(yaml);
    match &errors[..] {
        [ConfigError::BothPasswords { span, password_span, .. }] => {
            assert_eq!(text(yaml, *span), "P");
            assert_eq!(text(yaml, *password_span), "p");
        }
        other => panic!("{other:#?}"),
    }
}

#[test]
fn bad_port() {
    let yaml = "code:\n  - package main\ngoToNetworks:\n  x:\n    port: 70000\n";
    let errors = load_err(yaml);
    assert!(matches!(&errors[..], [ConfigError::BadPort { span, .. }] if text(yaml, *span) == "70000"), "{errors:#?}");
}

#[test]
fn invalid_yaml_outside_code_has_a_span_and_code_errors_do_not_count() {
    // `- }` in the code is fine; the broken flow sequence below is not.
    let yaml = "code:\n  - }\n  - {[\ngoToNetworks:\n  x: [a, b\n";
    let errors = load_err(yaml);
    match &errors[..] {
        [ConfigError::Yaml { span, .. }] => assert!(span.start as usize > yaml.find("x:").unwrap_or(0)),
        other => panic!("{other:#?}"),
    }
    // Wrong value types are YAML errors at the value.
    let yaml = "code:\n  - package main\nentry: maybe\n";
    let errors = load_err(yaml);
    assert!(matches!(&errors[..], [ConfigError::Yaml { span, .. }] if span.start as usize == yaml.find("maybe").unwrap_or(0)), "{errors:#?}");
}

#[test]
fn code_shapes() {
    assert!(matches!(load_err("code: >\n  package main\n")[..], [ConfigError::FoldedCode { .. }]));
    assert!(matches!(load_err("code: [package main]\n")[..], [ConfigError::CodeShape { .. }]));
    assert!(matches!(load_err("code:\n  package main\n")[..], [ConfigError::CodeLine { .. }]));
    assert!(matches!(load_err("code:\n  - a\n    b\n")[..], [ConfigError::CodeLine { .. }]));
    assert!(matches!(load_err("code:\nname: x\n")[..], [ConfigError::EmptyCode { .. }]));
    assert!(matches!(load_err("\"code\":\n  - a\n")[..], [ConfigError::CodeKey { .. }]));
}

#[test]
fn quoted_code_line_warns() {
    let yaml = "code:\n  - package main\n  - \"}\"\n";
    let config = load_ok(yaml, "q");
    assert!(matches!(&config.warnings[..], [ConfigWarning::QuotedCodeLine { span }] if text(yaml, *span) == "\"}\""));
}

#[test]
fn never_panics_on_odd_input() {
    let inputs = [
        "", "\n", "-", "- }", "code", "code:", "code: |", "code: |9", "code: |\n", "code:\n-", "code:\n- ",
        "\u{FEFF}", "\u{FEFF}code:\n- x", "code:\n  - é\n  é: 1\n", "code:\n\t- x\n", "code:\n- x\n\tname: y\n",
        "code: |\n  é\n ü\n", ": :\n", "code:\n- x\n---\nname: y\n", "code:\n- x\ngoToNetworks: 3\n",
        "code:\n- x\ngoToNetworks:\n  x: 3\n", "code:\n- x\ngoToNetworks:\n  x:\n", "code:\n- x\nname:\n",
        "code:\n- x\nname: [1]\n", "code:\n- x\n&a name: *a\n", "code:\r- x\r", "code: |-2\n   x\n",
    ];
    for input in inputs {
        let (config, _errors) = config::load(FileId(3), input, "stem");
        if let Some(config) = config {
            assert_eq!(config.go_code.len(), input.len(), "{input:?}");
        }
    }
}

// ---- writer -----------------------------------------------------------------

fn sample_out() -> NanoserviceConfigOut {
    let mut out = NanoserviceConfigOut {
        name: "hello".into(),
        description: Some("first half: sets hello".into()),
        entry: true,
        source: Some("examples/hello-world/hello.go".into()),
        resume_points: vec![0],
        code: "package main\nfunc main() {\n  hello := \"Hello\"\n  goToNetwork 'print-hello-world'\n}\n".into(),
        ..Default::default()
    };
    out.go_to_networks.insert(
        "print-hello-world".into(),
        EndpointOut {
            host: Some("127.0.0.1".into()),
            port: Some(7001),
            username: Some("hello-world-practice".into()),
            password: Some(Secret::Env("G2N_PASSWORD".into())),
        },
    );
    out
}

#[test]
fn writer_output_is_strict_yaml_and_round_trips() {
    let cases = [
        sample_out(),
        NanoserviceConfigOut { name: "x".into(), code: "  indented first\n}\n\n\n".into(), ..Default::default() },
        NanoserviceConfigOut { name: "tabs".into(), code: "\tx := 1 // # not a comment\r\n}".into(), ..Default::default() },
        NanoserviceConfigOut { name: "e".into(), code: String::new(), ..Default::default() },
    ];
    for out in cases {
        let yaml = config::write(&out);
        assert!(yaml.starts_with("# generated by g2n \u{2014} do not edit\n"), "{yaml}");
        // A strict YAML parser accepts it, with `code` as one string.
        let strict: serde_json::Value = serde_saphyr::from_str(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
        let normalized = config::normalize_code(&out.code);
        let strict_code = strict["code"].as_str().unwrap_or_default();
        assert_eq!(strict_code.trim_end_matches('\n'), normalized.trim_end_matches('\n'), "{yaml}");

        let (loaded, errors) = config::load(FileId(0), &yaml, "stem");
        if out.code.trim().is_empty() {
            assert!(matches!(errors[..], [ConfigError::EmptyCode { .. }]), "{errors:?}");
            continue;
        }
        assert!(errors.is_empty(), "{errors:#?}\n{yaml}");
        let loaded = loaded.expect("config");
        assert_eq!(loaded.name, out.name);
        assert_eq!(loaded.source_text(), normalized, "{yaml}");
        assert_eq!(loaded.entry.unwrap_or(false), out.entry);
        assert_eq!(loaded.resume_points, out.resume_points);
        assert_eq!(loaded.description, out.description);
        assert_eq!(loaded.source, out.source);
        assert_eq!(loaded.go_to_networks.len(), out.go_to_networks.len());
        for (name, e) in &out.go_to_networks {
            let l = &loaded.go_to_networks[name];
            assert_eq!((&l.host, l.port, &l.username, &l.password), (&e.host, e.port, &e.username, &e.password));
        }
    }
}

#[test]
fn writer_is_deterministic_and_in_seed_shape() {
    let a = config::write(&sample_out());
    let b = config::write(&sample_out());
    assert_eq!(a, b);
    check_golden("written-hello.yaml", &a);
}

// ---- rendered diagnostics ---------------------------------------------------

fn render(name: &str, yaml: &str, stem: &str) -> String {
    let mut db = SourceDb::new();
    let file = db.add_embedded(format!("{name}.yaml"), yaml.to_string(), String::new());
    let (config, errors) = config::load(file, yaml, stem);
    let handler = miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .with_width(80)
        .with_links(false);
    let mut out = String::new();
    let warnings = config.map(|c| c.warnings).unwrap_or_default();
    let reports = errors
        .into_iter()
        .map(miette::Report::new)
        .chain(warnings.into_iter().map(miette::Report::new));
    for report in reports {
        let report = report.with_source_code(db.clone());
        if let Err(e) = handler.render_report(&mut out, report.as_ref()) {
            out.push_str(&format!("<render error {e}>"));
        }
        out.push('\n');
    }
    out
}

fn check_golden(file: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots").join(file);
    if std::env::var_os("G2N_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {} ({e}); run with G2N_BLESS=1 to create it", path.display()));
    if expected != actual {
        let diff = similar::TextDiff::from_lines(expected.as_str(), actual);
        panic!("{} differs (G2N_BLESS=1 to accept):\n{}", path.display(), diff.unified_diff());
    }
}

#[test]
fn golden_diagnostics() {
    let cases: &[(&str, &str, &str)] = &[
        ("missing-code", "name: lonely\ngoToNetworks: {}\n", "lonely"),
        ("unknown-key", "code:\n  - package main\ngoToNetwork:\n  x:\n    host: h\n", "typo"),
        ("bad-name", "name: Hello_World!\ncode:\n  - package main\n", "x"),
        (
            "both-passwords",
            "code:\n  - package main\ngoToNetworks:\n  next:\n    host: 127.0.0.1\n    password: monkey\n    password_env: NEXT_PASSWORD\n",
            "svc",
        ),
        ("invalid-yaml", "code:\n  - }\ngoToNetworks:\n  next:\n    host: a\n   port: 1\n", "svc"),
        ("wrong-shape", "code:\n  - }\ngoToNetworks:\n  next: [a, b]\n", "svc"),
        ("seed-hello-warning", &example("hello.yaml"), "hello"),
    ];
    for (name, yaml, stem) in cases {
        check_golden(&format!("{name}.txt"), &render(name, yaml, stem));
    }
}

/// Mutation smoke test: thousands of small edits of the seed never panic and
/// always keep the Go text as long as the YAML.
#[test]
fn mutated_seeds_never_panic() {
    let seeds = [example("hello.yaml"), example("print-hello-world.yaml")];
    let alphabet: Vec<char> = "- :|>#\"'{}[]\n\t\rab0é\u{FEFF}".chars().collect();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |n: usize| {
        // xorshift64: deterministic, no dependency.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    };
    for round in 0..3000 {
        let mut chars: Vec<char> = seeds[round % 2].chars().collect();
        for _ in 0..1 + next(4) {
            let at = next(chars.len() + 1);
            match next(3) {
                0 if at < chars.len() => {
                    chars.remove(at);
                }
                1 if at < chars.len() => chars[at] = alphabet[next(alphabet.len())],
                _ => chars.insert(at, alphabet[next(alphabet.len())]),
            }
        }
        let text: String = chars.into_iter().collect();
        let (config, errors) = config::load(FileId(1), &text, "stem");
        if let Some(config) = config {
            assert_eq!(config.go_code.len(), text.len(), "{text:?}");
            for span in config.code_lines.iter().chain(errors.iter().map(|e| e.span()).collect::<Vec<_>>().iter()) {
                assert!(span.start <= span.end && span.end as usize <= text.len(), "{span:?} in {text:?}");
                assert!(text.is_char_boundary(span.start as usize) && text.is_char_boundary(span.end as usize));
            }
        }
    }
}
