//! A test PKI for the TLS tests: a deployment CA written as PEM, host
//! certificates for 127.0.0.1 it signs (with chosen serials, so a CRL can
//! name them) and CRLs. Included with `#[path]` by tests/tls.rs and
//! tests/revocation.rs.

use g2n_runtime::config::TlsConfig;
use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa, KeyIdMethod, KeyPair, KeyUsagePurpose,
    RevokedCertParams, SanType, SerialNumber,
};
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A deployment CA, the directory its files go to, and its PEM file.
pub struct Deployment {
    ca: CertifiedIssuer<'static, KeyPair>,
    dir: PathBuf,
    ca_file: String,
}

/// A host's files, and the serial its certificate was signed with.
pub struct Host {
    pub tls: TlsConfig,
    #[allow(dead_code)]
    pub serial: SerialNumber,
}

pub fn path(p: &Path) -> String {
    p.to_str().unwrap().to_string()
}

impl Deployment {
    pub fn new(dir: &Path, name: &str) -> Deployment {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, format!("g2n test deployment {name}"));
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
        let ca = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();
        let ca_file = dir.join(format!("{name}-ca.pem"));
        std::fs::write(&ca_file, ca.pem()).unwrap();
        Deployment { ca, dir: dir.to_path_buf(), ca_file: path(&ca_file) }
    }

    /// A certificate for 127.0.0.1 with serial `serial`, trusting this
    /// deployment's CA.
    pub fn host(&self, name: &str, serial: u8) -> Host {
        let mut params = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
        params.distinguished_name.push(DnType::CommonName, name);
        params.subject_alt_names.push(SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth, ExtendedKeyUsagePurpose::ClientAuth];
        let serial = SerialNumber::from_slice(&[0x10, serial]);
        params.serial_number = Some(serial.clone());
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.ca).unwrap();
        let (cert_file, key_file) = (self.dir.join(format!("{name}.pem")), self.dir.join(format!("{name}-key.pem")));
        std::fs::write(&cert_file, cert.pem()).unwrap();
        std::fs::write(&key_file, key.serialize_pem()).unwrap();
        Host { tls: TlsConfig { ca_file: self.ca_file.clone(), cert_file: path(&cert_file), key_file: path(&key_file), crl_file: None }, serial }
    }

    /// Writes a CRL revoking `serials`, valid from `from_days` to
    /// `until_days` (days from now), to `file`.
    #[allow(dead_code)]
    pub fn crl(&self, file: &str, serials: &[&SerialNumber], from_days: i64, until_days: i64) -> String {
        let at = |days: i64| {
            let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
            rcgen::date_time_ymd(1970, 1, 1) + Duration::from_secs((now + days * 86_400) as u64)
        };
        let params = CertificateRevocationListParams {
            this_update: at(from_days),
            next_update: at(until_days),
            crl_number: SerialNumber::from(1u64),
            issuing_distribution_point: None,
            revoked_certs: serials
                .iter()
                .map(|s| RevokedCertParams { serial_number: (*s).clone(), revocation_time: at(from_days), reason_code: None, invalidity_date: None })
                .collect(),
            key_identifier_method: KeyIdMethod::Sha256,
        };
        let crl = params.signed_by(&self.ca).unwrap();
        let file = self.dir.join(file);
        std::fs::write(&file, crl.pem().unwrap()).unwrap();
        path(&file)
    }
}

impl Host {
    /// The host's files, trusting `deployment`'s CA instead of its own.
    #[allow(dead_code)]
    pub fn trusting(self, deployment: &Deployment) -> TlsConfig {
        TlsConfig { ca_file: deployment.ca_file.clone(), ..self.tls }
    }
}
