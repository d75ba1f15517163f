//! Escape checking and decoding of string and rune literals.
//!
//! The lexer checks escapes once and reports bad ones; decoding afterwards is
//! infallible (a bad escape decodes to its own text) so the parser never has to
//! fail on a literal.

use g2n_base::Span;

use crate::error::SyntaxError;

/// Reports every malformed escape in a quoted literal (source text with quotes).
pub(crate) fn check_escapes(src: &str, span: Span, errors: &mut Vec<SyntaxError>) {
    if src.starts_with('`') {
        return;
    }
    let quote = if src.starts_with('\'') { '\'' } else { '"' };
    let body = strip_quotes(src);
    let mut rest = body;
    while let Some(pos) = rest.find('\\') {
        let after = rest.get(pos + 1..).unwrap_or("");
        match parse_escape(after, quote) {
            Some((_, used)) => rest = after.get(used..).unwrap_or(""),
            None => {
                errors.push(SyntaxError::UnknownEscape { span });
                rest = after.get(after.chars().next().map_or(0, char::len_utf8)..).unwrap_or("");
            }
        }
    }
}

fn strip_quotes(src: &str) -> &str {
    let inner = src.get(1..).unwrap_or("");
    match inner.char_indices().last() {
        Some((i, c)) if c == '"' || c == '\'' || c == '`' => inner.get(..i).unwrap_or(""),
        _ => inner,
    }
}

/// A decoded escape: either a code point or a raw byte (`\xff`, `\377`).
#[derive(Clone, Copy)]
enum Escaped {
    Char(char),
    Byte(u8),
}

/// Parses the escape after a backslash; returns it and the bytes used.
fn parse_escape(after: &str, quote: char) -> Option<(Escaped, usize)> {
    let c = after.chars().next()?;
    let simple = match c {
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        'f' => Some('\u{c}'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        'v' => Some('\u{b}'),
        '\\' => Some('\\'),
        c if c == quote => Some(c),
        _ => None,
    };
    if let Some(ch) = simple {
        return Some((Escaped::Char(ch), 1));
    }
    let hex = |n: usize| -> Option<u32> {
        let digits = after.get(1..1 + n)?;
        if digits.chars().all(|d| d.is_ascii_hexdigit()) { u32::from_str_radix(digits, 16).ok() } else { None }
    };
    match c {
        'x' => hex(2).and_then(|v| u8::try_from(v).ok()).map(|b| (Escaped::Byte(b), 3)),
        'u' => hex(4).and_then(char::from_u32).map(|ch| (Escaped::Char(ch), 5)),
        'U' => hex(8).and_then(char::from_u32).map(|ch| (Escaped::Char(ch), 9)),
        '0'..='7' => {
            let digits = after.get(..3)?;
            if !digits.chars().all(|d| ('0'..='7').contains(&d)) {
                return None;
            }
            let v = u32::from_str_radix(digits, 8).ok()?;
            u8::try_from(v).ok().map(|b| (Escaped::Byte(b), 3))
        }
        _ => None,
    }
}

/// The value of a string literal given its source text (quotes included).
///
/// Byte escapes that do not form UTF-8 (`"\xff"`) cannot live in a Rust
/// `String`; they decode to U+FFFD. Raw strings drop carriage returns, as the
/// specification says.
pub fn decode_string(src: &str) -> String {
    if src.starts_with('`') {
        return strip_quotes(src).replace('\r', "");
    }
    let body = strip_quotes(src);
    let mut bytes: Vec<u8> = Vec::with_capacity(body.len());
    let mut rest = body;
    while let Some(pos) = rest.find('\\') {
        bytes.extend_from_slice(rest.get(..pos).unwrap_or("").as_bytes());
        let after = rest.get(pos + 1..).unwrap_or("");
        match parse_escape(after, '"') {
            Some((Escaped::Char(c), used)) => {
                let mut buf = [0u8; 4];
                bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                rest = after.get(used..).unwrap_or("");
            }
            Some((Escaped::Byte(b), used)) => {
                bytes.push(b);
                rest = after.get(used..).unwrap_or("");
            }
            None => {
                bytes.push(b'\\');
                rest = after;
            }
        }
    }
    bytes.extend_from_slice(rest.as_bytes());
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The code point of a rune literal (source text with quotes), if it is one
/// well-formed character.
pub fn rune_value(src: &str) -> Option<u32> {
    let body = strip_quotes(src);
    let mut chars = body.chars();
    let first = chars.next()?;
    if first != '\\' {
        return if chars.next().is_none() { Some(first as u32) } else { None };
    }
    let after = body.get(1..)?;
    let (esc, used) = parse_escape(after, '\'')?;
    if after.len() != used {
        return None;
    }
    Some(match esc {
        Escaped::Char(c) => c as u32,
        Escaped::Byte(b) => u32::from(b),
    })
}

/// Whether a single-quoted literal holds more than one character (an error in
/// expression position, fine as a `goToNetwork` target).
pub(crate) fn is_multi_char_rune(src: &str) -> bool {
    rune_value(src).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_escapes() {
        assert_eq!(decode_string(r#""a\tb\n\x41\u00e9\101\"""#), "a\tb\nAéA\"");
        assert_eq!(decode_string("`a\\n\r`"), "a\\n");
        assert_eq!(rune_value(r"'\n'"), Some(10));
        assert_eq!(rune_value("'ab'"), None);
        assert_eq!(rune_value("'é'"), Some(0xe9));
    }
}
