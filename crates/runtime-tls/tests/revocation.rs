//! Certificate revocation (issue 15, docs/protocol.md "Revoking a host"):
//! with `tls.crl_file`, a host whose certificate the deployment CA's CRL
//! lists is refused in the handshake whichever end it is (a revoked client
//! by a server, a revoked server by a client), an unrevoked one goes on
//! working, a CRL written while the hosts run takes effect without a
//! restart, and a CRL that is expired, malformed, of another CA or revokes
//! the host itself stops the process at start-up with the reason. Real
//! servers and origins in one process, on 127.0.0.1 only.

use g2n_runtime::config::{Credential, Role, Route, TlsConfig};
use g2n_runtime::{RuntimeConfig, run_origin_captured, serve};
use std::path::PathBuf;
use std::time::Duration;

#[path = "support/pki.rs"]
mod pki;
use pki::{Deployment, Host, path};

#[path = "../../runtime/tests/support/seed.rs"]
mod seed;
use seed::{print_desc, print_entry, hello_desc, hello_entry};

const KEY_HEX: &str = "7a1c0e4b7a2d9c3e8f6a1b0d4c7e2f9a3b6d8e1f0a2c4e6b8d0f1a3c5e7b9d2f";

fn with_crl(host: &Host, crl: &str) -> TlsConfig {
    TlsConfig { crl_file: Some(crl.to_string()), ..host.tls.clone() }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("g2n-crl-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn credential() -> Credential {
    Credential { username: "crl-user".into(), password: None, password_env: None, key: Some(KEY_HEX.into()) }
}

fn server_config(tls: TlsConfig) -> RuntimeConfig {
    RuntimeConfig { role: Role::Serve, accept: vec![credential()], tls: Some(tls), ..RuntimeConfig::default() }
}

fn origin_config(addr: std::net::SocketAddr, tls: TlsConfig) -> RuntimeConfig {
    // A deadline long enough that, on a loaded machine, the last attempt
    // fails for its certificate rather than for time.
    let mut c = RuntimeConfig { handoff_deadline_ms: 4000, liveness_timeout_ms: 10000, tls: Some(tls), ..RuntimeConfig::default() };
    c.routes.insert("print-hello-world".into(), Route { addr: addr.to_string(), credential: credential() });
    c
}

/// Runs the hello flow from an origin with `tls` against `addr`: its exit
/// code, stdout and stderr.
fn hello(addr: std::net::SocketAddr, tls: TlsConfig) -> (i32, String, String) {
    let out = run_origin_captured(origin_config(addr, tls), hello_desc(), hello_entry).unwrap();
    (out.exit_code, String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_revoked_certificate_is_refused_at_either_end_and_an_unrevoked_one_accepted() {
    g2n_runtime_tls::register();
    let dir = temp_dir("either-end");
    let deployment = Deployment::new(&dir, "d");
    let (server_host, good, revoked) = (deployment.host("host-1", 1), deployment.host("host-0", 2), deployment.host("host-9", 9));
    let crl = deployment.crl("crl.pem", &[&revoked.serial], 0, 30);
    let server = serve(server_config(with_crl(&server_host, &crl)), print_desc(), print_entry).unwrap();
    // An unrevoked client, checking the server against the same CRL.
    assert_eq!(hello(server.addr, with_crl(&good, &crl)), (0, "Hello World!".to_string(), String::new()));
    assert_eq!(server.flows_started(), 1);
    // A revoked client (which knows no CRL itself) is refused by the server.
    let (code, stdout, stderr) = hello(server.addr, revoked.tls.clone());
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert_eq!(server.flows_started(), 1, "the revoked host ran nothing");
    server.stop();

    // A revoked server (which knows no CRL itself) is refused by a client
    // that has the CRL; a client without it still talks to it (the test
    // can fail), so the refusal is the CRL's.
    let revoked_server = serve(server_config(revoked.tls.clone()), print_desc(), print_entry).unwrap();
    let (code, stdout, stderr) = hello(revoked_server.addr, with_crl(&good, &crl));
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(stderr.contains("revoked") || stderr.contains("Revoked"), "the client says the server's certificate is revoked: {stderr}");
    assert_eq!(revoked_server.flows_started(), 0);
    assert_eq!(hello(revoked_server.addr, good.tls.clone()).0, 0);
    revoked_server.stop();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_crl_written_while_the_host_runs_takes_effect_without_a_restart() {
    g2n_runtime_tls::register();
    let dir = temp_dir("reload");
    let deployment = Deployment::new(&dir, "d");
    let (server_host, leaked) = (deployment.host("host-1", 1), deployment.host("host-5", 5));
    let crl = deployment.crl("crl.pem", &[], 0, 30);
    let server = serve(server_config(with_crl(&server_host, &crl)), print_desc(), print_entry).unwrap();
    assert_eq!(hello(server.addr, leaked.tls.clone()).0, 0, "not revoked yet");
    // The operator revokes host-5 and copies the new CRL over the old one.
    deployment.crl("crl.pem", &[&leaked.serial], 0, 30);
    std::thread::sleep(Duration::from_millis(1100));
    let (code, _, stderr) = hello(server.addr, leaked.tls.clone());
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(server.flows_started(), 1);
    server.stop();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_expired_malformed_foreign_or_self_revoking_crl_stops_the_host_with_the_reason() {
    g2n_runtime_tls::register();
    let dir = temp_dir("bad");
    let (deployment, other) = (Deployment::new(&dir, "d"), Deployment::new(&dir, "other"));
    let host = deployment.host("host-1", 1);
    let start = |crl: &str| serve(server_config(with_crl(&host, crl)), print_desc(), print_entry).err().expect("refused at start-up");

    let expired = deployment.crl("expired.pem", &[], -30, -1);
    let err = start(&expired);
    assert!(err.contains(&format!("tls.crl_file {expired} has expired")) && err.contains("g2n certs revoke"), "{err}");

    let garbage = dir.join("garbage.pem");
    std::fs::write(&garbage, "-----BEGIN X509 CRL-----\nbm90IGEgQ1JM\n-----END X509 CRL-----\n").unwrap();
    let err = start(&path(&garbage));
    assert!(err.contains(&format!("tls.crl_file {}", path(&garbage))), "{err}");

    let empty = dir.join("empty.pem");
    std::fs::write(&empty, "no PEM here\n").unwrap();
    let err = start(&path(&empty));
    assert!(err.contains("holds no certificate revocation list"), "{err}");

    let missing = path(&dir.join("missing.pem"));
    let err = start(&missing);
    assert!(err.contains(&format!("cannot read the certificate revocation list tls.crl_file {missing}")), "{err}");

    let foreign = other.crl("foreign.pem", &[], 0, 30);
    let err = start(&foreign);
    assert!(err.contains("is not one of the CA in tls.ca_file"), "{err}");

    let self_revoking = deployment.crl("self.pem", &[&host.serial], 0, 30);
    let err = start(&self_revoking);
    assert!(err.contains("this host's own certificate") && err.contains("is revoked"), "{err}");

    // A good CRL starts (the test can fail).
    let good = deployment.crl("good.pem", &[], 0, 30);
    serve(server_config(with_crl(&host, &good)), print_desc(), print_entry).unwrap().stop();
    let _ = std::fs::remove_dir_all(&dir);
}
