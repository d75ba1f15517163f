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

/// The value of a string literal given its source text (quotes included):
/// Go strings are bytes, so `"\xff"` is the one byte 0xff, not UTF-8.
/// Raw strings drop carriage returns, as the specification says.
pub fn decode_string_bytes(src: &str) -> Vec<u8> {
    if src.starts_with('`') {
        return strip_quotes(src).replace('\r', "").into_bytes();
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
    bytes
}

/// The value of a string literal where only text makes sense (import paths,
/// struct tags, `goToNetwork` targets): bytes that do not form UTF-8 become
/// U+FFFD.
pub fn decode_string(src: &str) -> String {
    String::from_utf8_lossy(&decode_string_bytes(src)).into_owned()
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

/// What Go's scanner reads as one number literal starting at `text[0]`
/// (`syntax/scanner.go`, `number`): every digit of any base, `_`, a radix
/// point, an exponent and an `i` suffix, so that `0b102` is one malformed
/// literal rather than `0b10` followed by `2`. Returns the literal's length,
/// whether it is an integer (not a float or imaginary literal), and Go's
/// error with its byte offset in the literal, if any.
pub fn scan_go_number(text: &str) -> (usize, bool, Option<(usize, String)>) {
    let b = text.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let lower = |c: u8| c | 0x20;
    let mut i = 0;
    let mut ok = true;
    let mut error: Option<(usize, String)> = None;
    let fail = |error: &mut Option<(usize, String)>, offset: usize, msg: String| {
        if error.is_none() {
            *error = Some((offset, msg));
        }
    };
    let mut integer = true;
    let mut base = 10u32;
    let mut prefix = 0u8;
    let mut digsep = 0u8;
    let mut invalid: Option<usize> = None;
    let base_name = |base: u32| match base {
        2 => "binary",
        8 => "octal",
        16 => "hexadecimal",
        _ => "decimal",
    };
    let digits = |i: &mut usize, base: u32, invalid: &mut Option<usize>| -> u8 {
        let mut digsep = 0u8;
        if base <= 10 {
            let max = b'0' + base as u8;
            while at(*i).is_ascii_digit() || at(*i) == b'_' {
                if at(*i) == b'_' {
                    digsep |= 2;
                } else {
                    if at(*i) >= max && invalid.is_none() {
                        *invalid = Some(*i);
                    }
                    digsep |= 1;
                }
                *i += 1;
            }
        } else {
            while at(*i).is_ascii_hexdigit() || at(*i) == b'_' {
                digsep |= if at(*i) == b'_' { 2 } else { 1 };
                *i += 1;
            }
        }
        digsep
    };
    let mut seen_point = at(0) == b'.';
    if seen_point {
        i = 1;
    } else {
        if at(0) == b'0' {
            i = 1;
            match lower(at(1)) {
                b'x' => (base, prefix, i) = (16, b'x', 2),
                b'o' => (base, prefix, i) = (8, b'o', 2),
                b'b' => (base, prefix, i) = (2, b'b', 2),
                _ => {
                    (base, prefix) = (8, b'0');
                    digsep = 1;
                }
            }
        }
        digsep |= digits(&mut i, base, &mut invalid);
        if at(i) == b'.' {
            if prefix == b'o' || prefix == b'b' {
                fail(&mut error, i, format!("invalid radix point in {} literal", base_name(base)));
                ok = false;
            }
            i += 1;
            seen_point = true;
        }
    }
    if seen_point {
        integer = false;
        digsep |= digits(&mut i, base, &mut invalid);
    }
    if digsep & 1 == 0 && ok {
        fail(&mut error, 0, format!("{} literal has no digits", base_name(base)));
        ok = false;
    }
    let e = lower(at(i));
    if e == b'e' || e == b'p' {
        if ok {
            if e == b'e' && prefix != 0 && prefix != b'0' {
                fail(&mut error, i, format!("'{}' exponent requires decimal mantissa", at(i) as char));
                ok = false;
            } else if e == b'p' && prefix != b'x' {
                fail(&mut error, i, format!("'{}' exponent requires hexadecimal mantissa", at(i) as char));
                ok = false;
            }
        }
        i += 1;
        integer = false;
        if at(i) == b'+' || at(i) == b'-' {
            i += 1;
        }
        let mut none = None;
        digsep = digits(&mut i, 10, &mut none) | (digsep & 2);
        if digsep & 1 == 0 && ok {
            fail(&mut error, i, "exponent has no digits".to_string());
            ok = false;
        }
    } else if prefix == b'x' && !integer && ok {
        fail(&mut error, i, "hexadecimal mantissa requires a 'p' exponent".to_string());
        ok = false;
    }
    if at(i) == b'i' {
        integer = false;
        i += 1;
    }
    let literal = &text[..i];
    // Octal-looking floats (`09.5`) are decimal: only integers check digits.
    let imaginary = literal.ends_with('i');
    if integer && !imaginary && ok
        && let Some(index) = invalid
    {
        fail(&mut error, index, format!("invalid digit '{}' in {} literal", at(index) as char, base_name(base)));
        ok = false;
    }
    if digsep & 2 != 0 && ok
        && let Some(index) = invalid_separator(literal)
    {
        fail(&mut error, index, "'_' must separate successive digits".to_string());
    }
    (i, integer && !imaginary, error)
}

/// The index of the first `_` that does not separate two digits (Go's
/// `invalidSep`).
fn invalid_separator(x: &str) -> Option<usize> {
    let b = x.as_bytes();
    let mut x1 = b' ';
    let mut d = b'.';
    let mut i = 0;
    if b.len() >= 2 && b[0] == b'0' {
        x1 = b[1] | 0x20;
        if matches!(x1, b'x' | b'o' | b'b') {
            d = b'0';
            i = 2;
        }
    }
    while i < b.len() {
        let p = d;
        d = b[i];
        if d == b'_' {
            if p != b'0' {
                return Some(i);
            }
        } else if d.is_ascii_digit() || (x1 == b'x' && d.is_ascii_hexdigit()) {
            d = b'0';
        } else {
            if p == b'_' {
                return Some(i - 1);
            }
            d = b'.';
        }
        i += 1;
    }
    if d == b'_' { Some(b.len() - 1) } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_escapes() {
        assert_eq!(decode_string(r#""a\tb\n\x41\u00e9\101\"""#), "a\tb\nAéA\"");
        assert_eq!(decode_string("`a\\n\r`"), "a\\n");
        assert_eq!(decode_string_bytes(r#""\377\xff\x80é""#), b"\xff\xff\x80\xc3\xa9");
        assert_eq!(rune_value(r"'\n'"), Some(10));
        assert_eq!(rune_value("'ab'"), None);
        assert_eq!(rune_value("'é'"), Some(0xe9));
    }
}
