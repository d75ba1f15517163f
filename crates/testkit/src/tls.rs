//! A throwaway certificate authority for tests of TLS (docs/protocol.md,
//! "TLS"): a CA and one certificate, signed by it, that every node of a
//! test's nats-server cluster presents to clients and to the other nodes'
//! routes. The certificate names every loopback address the testkit puts
//! nodes on (127.0.0.1-4) and `localhost`, for both server and client
//! authentication (routes are TLS clients of each other). The keys are
//! made fresh by every test and live in its temporary directory.

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose, SanType};
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};

/// PEM files of a test CA and of the nodes' certificate and key.
#[derive(Clone, Debug)]
pub struct Certs {
    pub ca_file: PathBuf,
    pub cert_file: PathBuf,
    pub key_file: PathBuf,
}

fn write(path: &Path, text: &str) -> PathBuf {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    path.to_path_buf()
}

impl Certs {
    /// Makes a CA and a node certificate in `dir` (named `<label>-ca.pem`,
    /// `<label>-cert.pem`, `<label>-key.pem`).
    pub fn make(dir: &Path, label: &str) -> Certs {
        let fail = |e: rcgen::Error| -> ! { panic!("cannot make the test certificates: {e}") };
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap_or_else(|e| fail(e));
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name.push(DnType::CommonName, format!("g2n test CA {label}"));
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
        let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate().unwrap_or_else(|e| fail(e))).unwrap_or_else(|e| fail(e));

        let mut node = CertificateParams::new(vec!["localhost".to_string()]).unwrap_or_else(|e| fail(e));
        node.distinguished_name.push(DnType::CommonName, "g2n test nats-server");
        for last in 1..=4 {
            node.subject_alt_names.push(SanType::IpAddress(IpAddr::V4(Ipv4Addr::new(127, 0, 0, last))));
        }
        node.key_usages = vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::KeyEncipherment];
        node.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth, ExtendedKeyUsagePurpose::ClientAuth];
        let key = KeyPair::generate().unwrap_or_else(|e| fail(e));
        let cert = node.signed_by(&key, &ca).unwrap_or_else(|e| fail(e));
        Certs {
            ca_file: write(&dir.join(format!("{label}-ca.pem")), &ca.pem()),
            cert_file: write(&dir.join(format!("{label}-cert.pem")), &cert.pem()),
            key_file: write(&dir.join(format!("{label}-key.pem")), &key.serialize_pem()),
        }
    }

    /// A nats-server `tls { }` block presenting the node certificate and
    /// verifying peers against the CA (`verify` asks peers for theirs: on
    /// routes, where both ends are nodes).
    pub fn block(&self, verify: bool) -> String {
        format!(
            "tls {{\n    cert_file: \"{}\"\n    key_file: \"{}\"\n    ca_file: \"{}\"\n    verify: {verify}\n    timeout: 5\n  }}",
            self.cert_file.display(),
            self.key_file.display(),
            self.ca_file.display()
        )
    }
}
