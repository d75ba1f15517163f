//! Mutual TLS from the command line (issue 15, docs/protocol.md "TLS"):
//! `g2n certs` makes a deployment CA once and signs host certificates with
//! it, keys readable by their owner only; `g2n run --tls` runs a mesh over
//! loopback TCP with mutual TLS and prints exactly what the same mesh
//! prints over Unix sockets, each host logging the certificate that
//! connected and the key exchange (X25519MLKEM768); `g2n certs revoke`
//! writes the CA's revocation list. The runtime's own tests
//! (crates/runtime-tls/tests) refuse plaintext clients, certificates of
//! another CA and revoked ones.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("g2n-tls-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn g2n(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_g2n")).args(args).current_dir(repo_root()).output().expect("run g2n")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).permissions().mode() & 0o777
}

#[test]
fn certs_makes_a_ca_once_and_signs_hosts_with_it() {
    let dir = temp_dir("certs");
    let out = dir.join("deployment");
    let out_str = out.to_str().unwrap();
    let made = g2n(&["certs", "--out", out_str, "web-1=127.0.0.1,localhost", "db"]);
    assert_eq!(made.status.code(), Some(0), "{}", text(&made.stderr));
    assert!(text(&made.stdout).starts_with("made the deployment CA"), "{}", text(&made.stdout));
    for key in ["ca-key.pem", "web-1-key.pem", "db-key.pem"] {
        assert_eq!(mode(&out.join(key)), 0o600, "{key}");
    }
    let ca = std::fs::read(out.join("ca.pem")).unwrap();
    let again = g2n(&["certs", "--out", out_str, "web-2=10.0.0.2"]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));
    assert!(text(&again.stdout).starts_with("signing with the deployment CA"), "{}", text(&again.stdout));
    assert_eq!(std::fs::read(out.join("ca.pem")).unwrap(), ca, "the CA is made once");
    assert!(out.join("web-2.pem").exists());
    // A name that would leave the directory is refused.
    let bad = g2n(&["certs", "--out", out_str, "../escaped=127.0.0.1"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stderr).contains("is not a host name"), "{}", text(&bad.stderr));
    assert!(!dir.join("escaped.pem").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// `hop.send` addresses of a run's trace.
fn hop_addresses(trace: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(trace).unwrap_or_default();
    text.lines()
        .filter(|l| l.contains("\"hop.send\""))
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["fields"]["addr"].as_str().or(v["addr"].as_str()).map(str::to_string))
        .collect()
}

#[test]
fn a_mesh_over_tls_prints_what_it_prints_over_unix_sockets() {
    let dir = temp_dir("mesh");
    let program = dir.join("prog.go");
    std::fs::write(&program, "package main\n\nimport \"fmt\"\n\nfunc main() {\n\txs := []int{1, 2, 3}\n\tgoToNetwork 'b'\n\txs = append(xs, 4)\n\tgoToNetwork 'c'\n\tfmt.Println(xs, len(xs))\n}\n").unwrap();
    let ca_dir = dir.join("deployment");
    let made = g2n(&["certs", "--out", ca_dir.to_str().unwrap(), "ops=127.0.0.1"]);
    assert_eq!(made.status.code(), Some(0), "{}", text(&made.stderr));
    let tls_with_ca = format!("--tls={}", ca_dir.display());
    let cases: [(&str, Vec<&str>); 2] = [
        // Separate configs share one host by default (in-memory hops): one
        // process per config, so the hop crosses TLS.
        ("seed", vec!["--process-per-service", "examples/hello-world/hello.yaml", "examples/hello-world/print-hello-world.yaml"]),
        ("split", vec!["--process-per-service", program.to_str().unwrap()]),
    ];
    for (name, inputs) in cases {
        let plain_trace = dir.join(format!("{name}-plain.jsonl"));
        let mut plain_args = vec!["run", "--trace", plain_trace.to_str().unwrap()];
        plain_args.extend(&inputs);
        let plain = g2n(&plain_args);
        assert_eq!(plain.status.code(), Some(0), "{name}: {}", text(&plain.stderr));
        for tls_flag in ["--tls", tls_with_ca.as_str()] {
            let trace = dir.join(format!("{name}-tls.jsonl"));
            let _ = std::fs::remove_file(&trace);
            let mut args = vec!["run", tls_flag, "--trace", trace.to_str().unwrap()];
            args.extend(&inputs);
            let tls = g2n(&args);
            assert_eq!((tls.status.code(), text(&tls.stdout)), (plain.status.code(), text(&plain.stdout)), "{name} {tls_flag}: {}", text(&tls.stderr));
            // Each host logs which host's certificate connected to it.
            let stderr = text(&tls.stderr);
            let logged: Vec<&str> = stderr.lines().filter(|l| l.contains(": TLS connection from 127.0.0.1:")).collect();
            assert!(!logged.is_empty(), "{name} {tls_flag}: no connection logged: {stderr}");
            for line in logged {
                assert!(line.starts_with("g2n[") && line.contains(": certificate CN=host-") && line.contains(", SAN 127.0.0.1 localhost, serial "), "{name} {tls_flag}: {line}");
                // Two g2n processes agree on the hybrid post-quantum group.
                assert!(line.ends_with(", key exchange X25519MLKEM768"), "{name} {tls_flag}: {line}");
            }
            // The hops went over loopback TCP (TLS), not Unix sockets.
            let addresses = hop_addresses(&trace);
            assert!(!addresses.is_empty() && addresses.iter().all(|a| a.starts_with("127.0.0.1:")), "{name} {tls_flag}: {addresses:?}");
        }
        let addresses = hop_addresses(&plain_trace);
        assert!(!addresses.is_empty() && addresses.iter().all(|a| a.contains('/')), "{name} over Unix sockets: {addresses:?}");
    }
    // The run's host certificates live in its own directory, not the CA's.
    let mut files: Vec<String> = std::fs::read_dir(&ca_dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    assert_eq!(files, ["ca-key.pem", "ca.pem", "ops-key.pem", "ops.pem"]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The serial numbers a PEM file's certificate or revocation list names.
fn serials(path: &Path) -> Vec<Vec<u8>> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (_, pem) = x509_parser::pem::parse_x509_pem(&bytes).unwrap();
    let strip = |raw: &[u8]| raw.iter().skip_while(|&&b| b == 0).copied().collect::<Vec<u8>>();
    if pem.label == "X509 CRL" {
        let (_, crl) = x509_parser::parse_x509_crl(&pem.contents).unwrap();
        crl.iter_revoked_certificates().map(|r| strip(r.raw_serial())).collect()
    } else {
        vec![strip(pem.parse_x509().unwrap().tbs_certificate.raw_serial())]
    }
}

/// `g2n certs revoke` writes the CA's revocation list with every host
/// revoked so far; the runtime's refusal of a listed certificate is
/// crates/runtime-tls/tests/revocation.rs.
#[test]
fn certs_revoke_lists_every_revoked_host_in_the_cas_crl() {
    let dir = temp_dir("revoke");
    let out = dir.join("deployment");
    let out_str = out.to_str().unwrap();
    let made = g2n(&["certs", "--out", out_str, "web-1=127.0.0.1", "web-2=127.0.0.2", "web-3=127.0.0.3"]);
    assert_eq!(made.status.code(), Some(0), "{}", text(&made.stderr));
    let first = g2n(&["certs", "revoke", "--out", out_str, "web-1"]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    assert!(text(&first.stdout).starts_with("revoked host web-1 (serial "), "{}", text(&first.stdout));
    let crl = out.join("crl.pem");
    assert_eq!(serials(&crl), serials(&out.join("web-1.pem")));
    // A second revocation keeps the first; revoking again changes nothing.
    let second = g2n(&["certs", "revoke", "--out", out_str, "--days", "7", "web-2", "web-1"]);
    assert_eq!(second.status.code(), Some(0), "{}", text(&second.stderr));
    assert!(text(&second.stdout).contains("host web-1 (serial ") && text(&second.stdout).contains("was revoked already"), "{}", text(&second.stdout));
    assert!(text(&second.stdout).contains("(2 revoked, number 2, valid 7 days)"), "{}", text(&second.stdout));
    let mut expected = [serials(&out.join("web-1.pem")), serials(&out.join("web-2.pem"))].concat();
    let mut listed = serials(&crl);
    expected.sort();
    listed.sort();
    assert_eq!(listed, expected);
    assert!(!listed.contains(&serials(&out.join("web-3.pem"))[0]), "web-3 is not revoked");
    // Refused: an unknown host, a name that leaves the directory, a
    // directory without a CA, zero days.
    for (args, says) in [
        (vec!["certs", "revoke", "--out", out_str, "web-9"], "cannot read"),
        (vec!["certs", "revoke", "--out", out_str, "../x"], "is not a host name"),
        (vec!["certs", "revoke", "--out", dir.to_str().unwrap(), "web-1"], "has no deployment CA"),
        (vec!["certs", "revoke", "--out", out_str, "--days", "0"], "0 is not in 1..=3650"),
    ] {
        let refused = g2n(&args);
        assert_ne!(refused.status.code(), Some(0), "{args:?}");
        assert!(text(&refused.stderr).contains(says), "{args:?}: {}", text(&refused.stderr));
    }
    assert_eq!(serials(&crl).len(), 2, "a refused revocation leaves the list as it was");
    // `g2n run --tls=DIR` gives its hosts the CA's list: its own (fresh)
    // certificates pass it; a list that cannot be used stops the run.
    let seed = ["examples/hello-world/hello.yaml", "examples/hello-world/print-hello-world.yaml"];
    let tls_flag = format!("--tls={out_str}");
    let run = g2n(&[&["run", tls_flag.as_str()][..], &seed].concat());
    assert_eq!((run.status.code(), text(&run.stdout).as_str()), (Some(0), "Hello World!"), "{}", text(&run.stderr));
    std::fs::write(&crl, "-----BEGIN X509 CRL-----\nbm90IGEgQ1JM\n-----END X509 CRL-----\n").unwrap();
    let run = g2n(&[&["run", tls_flag.as_str()][..], &seed].concat());
    assert_eq!(run.status.code(), Some(1));
    assert!(text(&run.stderr).contains("tls.crl_file"), "{}", text(&run.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}
