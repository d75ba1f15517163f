//! A deployment's certificates for mutual TLS between hosts on g2n's TCP
//! transport (docs/protocol.md, "TLS"): `g2n certs --out DIR HOST...` makes
//! (or reuses) the deployment's CA in DIR and signs one certificate per
//! host, naming the host's addresses; `g2n run --tls[=DIR]` signs one for
//! every process of a run. A host without a certificate of the CA cannot
//! connect to the mesh at all. Made with rcgen (ECDSA P-256 keys).
//! `g2n certs revoke --out DIR NAME...` revokes hosts: DIR/crl.pem, signed
//! by the CA, lists every host revoked so far (read back from the previous
//! list with x509-parser), for the hosts' `tls.crl_file`.

use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyIdMethod, KeyPair, KeyUsagePurpose,
    RevokedCertParams, SanType, SerialNumber,
};
use std::net::IpAddr;
use std::path::{Path, PathBuf};

/// The files of the deployment's CA in a directory.
const CA_CERT: &str = "ca.pem";
const CA_KEY: &str = "ca-key.pem";
/// The CA's certificate revocation list in the same directory.
pub const CRL: &str = "crl.pem";

/// How long certificates are valid, in years from the start of this year.
const CA_YEARS: i32 = 10;
const HOST_YEARS: i32 = 2;

pub struct Ca {
    issuer: Issuer<'static, KeyPair>,
    /// The PEM file of the CA certificate (what every host trusts).
    pub cert_file: PathBuf,
}

/// What a host presents: its certificate and key, and the CA it trusts
/// (the three fields of the runtime configuration's `tls`).
pub struct HostFiles {
    pub ca_file: PathBuf,
    pub cert_file: PathBuf,
    pub key_file: PathBuf,
    /// The CA's revocation list, when it has one (`g2n certs revoke`).
    pub crl_file: Option<PathBuf>,
}

impl HostFiles {
    /// The runtime configuration's `tls` object.
    pub fn runtime_json(&self) -> serde_json::Value {
        let mut tls = serde_json::json!({
            "ca_file": self.ca_file.to_string_lossy(),
            "cert_file": self.cert_file.to_string_lossy(),
            "key_file": self.key_file.to_string_lossy(),
        });
        if let Some(crl) = &self.crl_file {
            tls["crl_file"] = serde_json::Value::from(crl.to_string_lossy());
        }
        tls
    }
}

fn this_year() -> i32 {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    1970 + (secs / 31_556_952) as i32
}

/// Writes a file only its owner can read (private keys).
fn write_private(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let _ = std::fs::remove_file(path);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    file.write_all(text.as_bytes()).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn write_public(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

impl Ca {
    /// The CA in `dir`, or a new one written there (`ca.pem`, and
    /// `ca-key.pem` readable by its owner only). The bool says whether it
    /// was made now.
    pub fn open_or_create(dir: &Path, label: &str) -> Result<(Ca, bool), String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let (cert_file, key_file) = (dir.join(CA_CERT), dir.join(CA_KEY));
        let made = !(cert_file.exists() || key_file.exists());
        if made {
            Ca::create(&cert_file, &key_file, label)?;
        }
        let read = |p: &Path| std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()));
        let key = KeyPair::from_pem(&read(&key_file)?).map_err(|e| format!("{} is not a private key: {e}", key_file.display()))?;
        let issuer = Issuer::from_ca_cert_pem(&read(&cert_file)?, key).map_err(|e| format!("{} is not a CA certificate: {e}", cert_file.display()))?;
        Ok((Ca { issuer, cert_file }, made))
    }

    fn create(cert_file: &Path, key_file: &Path, label: &str) -> Result<(), String> {
        let fail = |e: rcgen::Error| format!("cannot make the CA: {e}");
        let mut params = CertificateParams::new(Vec::<String>::new()).map_err(fail)?;
        params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        params.distinguished_name.push(DnType::CommonName, format!("g2n deployment CA {label}"));
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        params.not_before = rcgen::date_time_ymd(this_year(), 1, 1);
        params.not_after = rcgen::date_time_ymd(this_year() + CA_YEARS, 1, 1);
        let issuer = CertifiedIssuer::self_signed(params, KeyPair::generate().map_err(fail)?).map_err(fail)?;
        write_private(key_file, &issuer.key().serialize_pem())?;
        write_public(cert_file, &issuer.pem())
    }

    /// Signs a certificate for host `name` at `addresses` (IP addresses or
    /// DNS names: what peers dial, and what they check) for both ends of a
    /// connection, and writes `dir/NAME.pem` and `dir/NAME-key.pem`.
    pub fn sign_host(&self, dir: &Path, name: &str, addresses: &[String]) -> Result<HostFiles, String> {
        check_host_name(name)?;
        let fail = |e: rcgen::Error| format!("cannot make the certificate of host '{name}': {e}");
        let mut params = CertificateParams::new(Vec::<String>::new()).map_err(fail)?;
        params.distinguished_name.push(DnType::CommonName, name);
        for address in addresses {
            let san = match address.parse::<IpAddr>() {
                Ok(ip) => SanType::IpAddress(ip),
                Err(_) => SanType::DnsName(address.clone().try_into().map_err(|e| format!("host '{name}': '{address}' is neither an IP address nor a DNS name: {e}"))?),
            };
            params.subject_alt_names.push(san);
        }
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth, ExtendedKeyUsagePurpose::ClientAuth];
        params.not_before = rcgen::date_time_ymd(this_year(), 1, 1);
        params.not_after = rcgen::date_time_ymd(this_year() + HOST_YEARS, 1, 1);
        let key = KeyPair::generate().map_err(fail)?;
        let cert = params.signed_by(&key, &self.issuer).map_err(fail)?;
        let (cert_file, key_file) = (dir.join(format!("{name}.pem")), dir.join(format!("{name}-key.pem")));
        write_private(&key_file, &key.serialize_pem())?;
        write_public(&cert_file, &cert.pem())?;
        // A run signed by a deployment CA that revoked hosts honours its list.
        let crl_file = self.cert_file.parent().map(|dir| dir.join(CRL)).filter(|crl| crl.exists());
        Ok(HostFiles { ca_file: self.cert_file.clone(), cert_file, key_file, crl_file })
    }
}

impl Ca {
    /// The CA already in `dir` (revoking needs the one that signed).
    fn open(dir: &Path) -> Result<Ca, String> {
        if !dir.join(CA_CERT).exists() {
            return Err(format!("{} has no deployment CA ({CA_CERT}): revoke with the directory `g2n certs --out` made", dir.display()));
        }
        Ca::open_or_create(dir, "").map(|(ca, _)| ca)
    }
}

/// A certificate's serial number from its PEM file.
fn serial_of(path: &Path) -> Result<Vec<u8>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let (_, pem) = x509_parser::pem::parse_x509_pem(&bytes).map_err(|e| format!("{} is not a PEM certificate: {e}", path.display()))?;
    let cert = pem.parse_x509().map_err(|e| format!("{} is not a certificate: {e}", path.display()))?;
    Ok(magnitude(cert.tbs_certificate.raw_serial()))
}

/// A DER integer's bytes without its sign padding (rcgen adds it back).
fn magnitude(raw: &[u8]) -> Vec<u8> {
    let start = raw.iter().position(|&b| b != 0).unwrap_or(raw.len().saturating_sub(1));
    raw[start..].to_vec()
}

/// A revoked certificate: its serial number and when it was revoked
/// (seconds since the Unix epoch).
type Revoked = (Vec<u8>, i64);

/// What a previous list says: its number and the hosts it revoked.
fn previous_list(path: &Path) -> Result<(u64, Vec<Revoked>), String> {
    let Ok(bytes) = std::fs::read(path) else { return Ok((0, Vec::new())) };
    let (_, pem) = x509_parser::pem::parse_x509_pem(&bytes).map_err(|e| format!("{} is not a PEM revocation list: {e}", path.display()))?;
    let (_, crl) = x509_parser::parse_x509_crl(&pem.contents).map_err(|e| format!("{} is not a certificate revocation list: {e}", path.display()))?;
    let number = crl.crl_number().map_or(0, |n| n.to_bytes_be().iter().fold(0u64, |acc, &b| acc.wrapping_shl(8) | b as u64));
    let revoked = crl.iter_revoked_certificates().map(|r| (magnitude(r.raw_serial()), r.revocation_date.timestamp())).collect();
    Ok((number, revoked))
}

/// `g2n certs revoke --out DIR [--days N] NAME...`.
pub fn revoke_command(out: &Path, names: &[String], days: u32) -> i32 {
    match revoke(out, names, days) {
        Ok(()) => 0,
        Err(message) => {
            eprintln!("error: {message}");
            1
        }
    }
}

/// Adds the certificates of hosts `names` (DIR/NAME.pem) to the CA's list
/// and writes it, valid `days` from now, to DIR/crl.pem. Without names, a
/// fresh list of the same hosts (to replace one about to expire).
pub fn revoke(out: &Path, names: &[String], days: u32) -> Result<(), String> {
    let ca = Ca::open(out)?;
    let crl_file = out.join(CRL);
    let (number, mut revoked) = previous_list(&crl_file)?;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    for name in names {
        check_host_name(name)?;
        let serial = serial_of(&out.join(format!("{name}.pem")))?;
        let hex: String = serial.iter().map(|b| format!("{b:02x}")).collect();
        if revoked.iter().any(|(s, _)| *s == serial) {
            println!("host {name} (serial {hex}) was revoked already");
        } else {
            revoked.push((serial, now as i64));
            println!("revoked host {name} (serial {hex})");
        }
    }
    let time = |secs: u64| rcgen::date_time_ymd(1970, 1, 1) + std::time::Duration::from_secs(secs);
    let params = CertificateRevocationListParams {
        this_update: time(now),
        next_update: time(now + u64::from(days) * 86_400),
        crl_number: SerialNumber::from(number + 1),
        issuing_distribution_point: None,
        revoked_certs: revoked
            .iter()
            .map(|(serial, when)| RevokedCertParams { serial_number: SerialNumber::from_slice(serial), revocation_time: time((*when).max(0) as u64), reason_code: None, invalidity_date: None })
            .collect(),
        key_identifier_method: KeyIdMethod::Sha256,
    };
    let fail = |e: rcgen::Error| format!("cannot make the revocation list: {e}");
    let crl = params.signed_by(&ca.issuer).map_err(fail)?;
    write_public(&crl_file, &crl.pem().map_err(fail)?)?;
    println!(
        "wrote {} ({} revoked, number {}, valid {days} days): copy it to every host as its tls.crl_file; run `g2n certs revoke --out {}` again before it expires",
        crl_file.display(),
        revoked.len(),
        number + 1,
        out.display()
    );
    Ok(())
}

/// A host's name becomes a file name: letters, digits, `.`, `_`, `-`, not
/// starting with `.` (no path can leave the directory).
fn check_host_name(name: &str) -> Result<(), String> {
    let reserved = [CA_CERT, CRL].iter().any(|f| name == f.trim_end_matches(".pem"));
    let ok = !name.is_empty() && !name.starts_with('.') && !reserved && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
    if ok { Ok(()) } else { Err(format!("'{name}' is not a host name for a certificate: use letters, digits, '.', '_' and '-', not starting with '.' (and not 'ca' or 'crl')")) }
}

/// `g2n certs --out DIR NAME[=ADDR,...]...`: the deployment's CA (made
/// once, reused after) and a certificate per host. A host given without
/// addresses is named by its own name (a DNS name).
pub fn command(out: &Path, hosts: &[String]) -> i32 {
    match certs(out, hosts) {
        Ok(()) => 0,
        Err(message) => {
            eprintln!("error: {message}");
            1
        }
    }
}

fn certs(out: &Path, hosts: &[String]) -> Result<(), String> {
    let (ca, made) = Ca::open_or_create(out, &out.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned()))?;
    println!("{} {}", if made { "made the deployment CA" } else { "signing with the deployment CA" }, ca.cert_file.display());
    for host in hosts {
        let (name, addresses) = match host.split_once('=') {
            Some((name, list)) => (name, list.split(',').filter(|a| !a.is_empty()).map(str::to_string).collect::<Vec<_>>()),
            None => (host.as_str(), vec![host.clone()]),
        };
        if addresses.is_empty() {
            return Err(format!("host '{name}' has no address after '='"));
        }
        let files = ca.sign_host(out, name, &addresses)?;
        println!("host {name} ({}): {} {}", addresses.join(", "), files.cert_file.display(), files.key_file.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_cannot_leave_the_directory() {
        for bad in ["", ".hidden", "../x", "a/b", "a b", "ca", "crl"] {
            assert!(check_host_name(bad).is_err(), "{bad}");
        }
        for good in ["host-1", "web.eu_2", "print-hello-world"] {
            assert!(check_host_name(good).is_ok(), "{good}");
        }
    }
}
