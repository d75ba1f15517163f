//! What a server logs about the certificate a client presented: the
//! subject's common name, the subject alternative names (DNS names and IP
//! addresses) and the serial number, read from the certificate's DER.
//!
//! The certificate has passed verification against the deployment's CA by
//! the time it is described, but the reader still treats it as hostile:
//! every length is checked against what is left, nothing panics, and
//! whatever it cannot read is left out of the description rather than
//! refused (the handshake already decided).

use std::fmt::Write;
use std::net::IpAddr;

/// One DER element: its tag and its contents.
type Element<'a> = (u8, &'a [u8]);

/// Reads DER elements one after another from a slice.
struct Der<'a>(&'a [u8]);

impl<'a> Der<'a> {
    fn next(&mut self) -> Option<Element<'a>> {
        let (&tag, rest) = self.0.split_first()?;
        let (&first, rest) = rest.split_first()?;
        let (len, rest) = if first < 0x80 {
            (first as usize, rest)
        } else {
            // Long form: 1 to 4 length bytes (a certificate is never
            // larger), big-endian.
            let n = (first & 0x7f) as usize;
            if n == 0 || n > 4 || rest.len() < n {
                return None;
            }
            let len = rest[..n].iter().fold(0usize, |acc, &b| acc << 8 | b as usize);
            (len, &rest[n..])
        };
        if rest.len() < len {
            return None;
        }
        let (contents, rest) = rest.split_at(len);
        self.0 = rest;
        Some((tag, contents))
    }

    /// The next element if it has `tag`, else nothing consumed.
    fn next_if(&mut self, tag: u8) -> Option<&'a [u8]> {
        let saved = self.0;
        match self.next() {
            Some((t, contents)) if t == tag => Some(contents),
            _ => {
                self.0 = saved;
                None
            }
        }
    }
}

const SEQUENCE: u8 = 0x30;
const SET: u8 = 0x31;
const INTEGER: u8 = 0x02;
const OID: u8 = 0x06;
const BOOLEAN: u8 = 0x01;
const OCTET_STRING: u8 = 0x04;
/// `[0]` (the version), `[3]` (the extensions) of a TBSCertificate.
const VERSION: u8 = 0xa0;
const EXTENSIONS: u8 = 0xa3;
/// GeneralName `[2] dNSName` and `[7] iPAddress` (implicit, primitive).
const DNS_NAME: u8 = 0x82;
const IP_ADDRESS: u8 = 0x87;
/// id-at-commonName (2.5.4.3) and id-ce-subjectAltName (2.5.29.17).
const COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];
const SUBJECT_ALT_NAME: &[u8] = &[0x55, 0x1d, 0x11];

/// The parts of a certificate a log line names.
#[derive(Debug, Default, PartialEq)]
pub struct Identity {
    pub common_name: Option<String>,
    pub alt_names: Vec<String>,
    /// Hexadecimal, as `openssl x509 -serial` prints it.
    pub serial: String,
}

impl Identity {
    /// Reads a DER certificate; `None` if it is not one.
    pub fn of(der: &[u8]) -> Option<Identity> {
        let (tag, cert) = Der(der).next()?;
        if tag != SEQUENCE {
            return None;
        }
        let tbs = Der(cert).next_if(SEQUENCE)?;
        let mut fields = Der(tbs);
        fields.next_if(VERSION);
        let serial = fields.next_if(INTEGER)?;
        let _signature = fields.next_if(SEQUENCE)?;
        let _issuer = fields.next_if(SEQUENCE)?;
        let _validity = fields.next_if(SEQUENCE)?;
        let subject = fields.next_if(SEQUENCE)?;
        let _key = fields.next_if(SEQUENCE)?;
        let mut identity = Identity { common_name: common_name(subject), alt_names: Vec::new(), serial: hex(serial) };
        // Optional issuer and subject unique ids ([1], [2]), then [3].
        while let Some((tag, contents)) = fields.next() {
            if tag == EXTENSIONS {
                identity.alt_names = alt_names(contents);
            }
        }
        Some(identity)
    }

    /// `CN=web-1, SAN 10.0.0.2 web-1.example, serial 1f09…`.
    pub fn describe(&self) -> String {
        let mut out = format!("CN={}", self.common_name.as_deref().unwrap_or("(none)"));
        if !self.alt_names.is_empty() {
            let _ = write!(out, ", SAN {}", self.alt_names.join(" "));
        }
        let _ = write!(out, ", serial {}", self.serial);
        out
    }
}

/// The first common name in a Name (SEQUENCE OF SET OF AttributeTypeAndValue).
fn common_name(name: &[u8]) -> Option<String> {
    let mut rdns = Der(name);
    while let Some((tag, rdn)) = rdns.next() {
        if tag != SET {
            continue;
        }
        let mut attributes = Der(rdn);
        while let Some(attribute) = attributes.next_if(SEQUENCE) {
            let mut parts = Der(attribute);
            if parts.next_if(OID) == Some(COMMON_NAME)
                && let Some((_, value)) = parts.next()
            {
                return Some(printable(value));
            }
        }
    }
    None
}

/// DNS names and IP addresses of the subjectAltName extension, in order.
fn alt_names(extensions: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    let Some(list) = Der(extensions).next_if(SEQUENCE) else { return names };
    let mut list = Der(list);
    while let Some(extension) = list.next_if(SEQUENCE) {
        let mut parts = Der(extension);
        if parts.next_if(OID) != Some(SUBJECT_ALT_NAME) {
            continue;
        }
        parts.next_if(BOOLEAN);
        let Some(value) = parts.next_if(OCTET_STRING) else { continue };
        let Some(general_names) = Der(value).next_if(SEQUENCE) else { continue };
        let mut general_names = Der(general_names);
        while let Some((tag, contents)) = general_names.next() {
            match tag {
                DNS_NAME => names.push(printable(contents)),
                IP_ADDRESS => {
                    let ip = match contents.len() {
                        4 => <[u8; 4]>::try_from(contents).ok().map(IpAddr::from),
                        16 => <[u8; 16]>::try_from(contents).ok().map(IpAddr::from),
                        _ => None,
                    };
                    names.push(ip.map_or_else(|| format!("ip:{}", hex(contents)), |ip| ip.to_string()));
                }
                _ => {}
            }
        }
    }
    names
}

/// A certificate's text as a log line may hold it: printable ASCII, other
/// bytes as `?` (no control characters reach the log), at most 128 bytes.
fn printable(bytes: &[u8]) -> String {
    bytes.iter().take(128).map(|&b| if b.is_ascii_graphic() || b == b' ' { b as char } else { '?' }).collect()
}

fn hex(bytes: &[u8]) -> String {
    // DER integers carry a leading zero byte when the high bit is set.
    let bytes = match bytes {
        [0, rest @ ..] if !rest.is_empty() => rest,
        _ => bytes,
    };
    bytes.iter().take(32).map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcgen::{CertificateParams, DnType, KeyPair, SanType, SerialNumber};

    #[test]
    fn a_certificate_is_described_by_its_name_addresses_and_serial() {
        let mut params = CertificateParams::new(vec!["web-1.example".to_string()]).unwrap();
        params.distinguished_name.push(DnType::OrganizationName, "g2n");
        params.distinguished_name.push(DnType::CommonName, "web-1");
        params.subject_alt_names.push(SanType::IpAddress("10.0.0.2".parse().unwrap()));
        params.subject_alt_names.push(SanType::IpAddress("::1".parse().unwrap()));
        params.serial_number = Some(SerialNumber::from_slice(&[0x9f, 0x01, 0x02]));
        let cert = params.self_signed(&KeyPair::generate().unwrap()).unwrap();
        let identity = Identity::of(cert.der()).unwrap();
        assert_eq!(identity.common_name.as_deref(), Some("web-1"));
        assert_eq!(identity.alt_names, ["web-1.example", "10.0.0.2", "::1"]);
        assert_eq!(identity.serial, "9f0102");
        assert_eq!(identity.describe(), "CN=web-1, SAN web-1.example 10.0.0.2 ::1, serial 9f0102");
    }

    #[test]
    fn truncated_or_garbage_der_is_no_identity_and_no_panic() {
        let cert = CertificateParams::new(vec!["a".to_string()]).unwrap().self_signed(&KeyPair::generate().unwrap()).unwrap();
        let der = cert.der().to_vec();
        for cut in 0..der.len() {
            // A cut certificate may still describe its first fields; it never panics.
            let _ = Identity::of(&der[..cut]);
        }
        for i in 0..der.len() {
            let mut bad = der.clone();
            bad[i] ^= 0xff;
            let _ = Identity::of(&bad);
        }
        assert_eq!(Identity::of(&[]), None);
        assert_eq!(Identity::of(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]), None);
        assert_eq!(printable(b"a\nb\x1b"), "a?b?");
    }
}
