//! The parts of Go's `strconv` and `unicode/utf8` that quoting needs: rune
//! counting and encoding, `IsPrint`, and `Quote`/`QuoteRune`/`CanBackquote`.

use super::*;

pub(super) fn rune_count(b: &[u8]) -> i64 {
    let mut n = 0;
    let mut i = 0;
    while i < b.len() {
        i += decode_rune(&b[i..]).1;
        n += 1;
    }
    n
}

/// Go's `utf8.EncodeRune` (invalid runes become U+FFFD).
pub(super) fn push_rune(buf: &mut Vec<u8>, r: u32) {
    let c = char::from_u32(r).unwrap_or('\u{FFFD}');
    let mut tmp = [0u8; 4];
    buf.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
}

fn valid_rune(r: u32) -> bool {
    char::from_u32(r).is_some()
}

/// Go's `strconv.IsPrint`. ASCII is exact. Beyond ASCII this runtime has no
/// Unicode tables yet (they would bloat every executable), so it approximates:
/// every assigned-looking code point is printable except the control, format,
/// separator, private-use and noncharacter ranges below, which covers what
/// programs print in practice.
pub(super) fn is_print(r: u32) -> bool {
    if r < 0x80 {
        return (0x20..0x7F).contains(&r);
    }
    !matches!(r,
        0x80..=0xA0 | 0xAD | 0x34F | 0x61C | 0x115F..=0x1160 | 0x1680 | 0x180E
        | 0x2000..=0x200F | 0x2028..=0x202F | 0x205F..=0x206F | 0x3000 | 0x3164
        | 0xD800..=0xDFFF | 0xE000..=0xF8FF | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFFB
        | 0xFFFE..=0xFFFF | 0xE0000..=0xE0FFF | 0xF0000..=0x10FFFF)
        && (r & 0xFFFE) != 0xFFFE
        && valid_rune(r)
}

/// Go's `strconv.appendEscapedRune` (graphicOnly is never used by fmt).
fn append_escaped_rune(buf: &mut Vec<u8>, r: u32, quote: u8, ascii_only: bool) {
    if r == quote as u32 || r == '\\' as u32 {
        buf.push(b'\\');
        buf.push(r as u8);
        return;
    }
    if ascii_only {
        if r < 0x80 && is_print(r) {
            buf.push(r as u8);
            return;
        }
    } else if is_print(r) {
        push_rune(buf, r);
        return;
    }
    match r {
        0x07 => buf.extend_from_slice(b"\\a"),
        0x08 => buf.extend_from_slice(b"\\b"),
        0x0C => buf.extend_from_slice(b"\\f"),
        0x0A => buf.extend_from_slice(b"\\n"),
        0x0D => buf.extend_from_slice(b"\\r"),
        0x09 => buf.extend_from_slice(b"\\t"),
        0x0B => buf.extend_from_slice(b"\\v"),
        _ => {
            let hex = |buf: &mut Vec<u8>, r: u32, n: u32| {
                for s in (0..n).rev() {
                    buf.push(LDIGITS[((r >> (4 * s)) & 0xF) as usize]);
                }
            };
            if r < 0x20 || r == 0x7F {
                buf.extend_from_slice(b"\\x");
                hex(buf, r, 2);
            } else {
                let r = if valid_rune(r) { r } else { RUNE_ERROR };
                if r < 0x10000 {
                    buf.extend_from_slice(b"\\u");
                    hex(buf, r, 4);
                } else {
                    buf.extend_from_slice(b"\\U");
                    hex(buf, r, 8);
                }
            }
        }
    }
}

/// Go's `strconv.Quote` / `QuoteToASCII`.
pub(super) fn quote(s: &[u8], ascii_only: bool) -> Vec<u8> {
    let mut buf = vec![b'"'];
    let mut i = 0;
    while i < s.len() {
        let (r, width) = decode_rune(&s[i..]);
        if width == 1 && r == RUNE_ERROR {
            buf.extend_from_slice(b"\\x");
            buf.push(LDIGITS[(s[i] >> 4) as usize]);
            buf.push(LDIGITS[(s[i] & 0xF) as usize]);
        } else {
            append_escaped_rune(&mut buf, r, b'"', ascii_only);
        }
        i += width;
    }
    buf.push(b'"');
    buf
}

/// Go's `strconv.QuoteRune` / `QuoteRuneToASCII`.
pub(super) fn quote_rune(r: u32, ascii_only: bool) -> Vec<u8> {
    let r = if valid_rune(r) { r } else { RUNE_ERROR };
    let mut buf = vec![b'\''];
    append_escaped_rune(&mut buf, r, b'\'', ascii_only);
    buf.push(b'\'');
    buf
}

/// Go's `strconv.CanBackquote`.
pub(super) fn can_backquote(s: &[u8]) -> bool {
    let mut i = 0;
    while i < s.len() {
        let (r, wid) = decode_rune(&s[i..]);
        i += wid;
        if wid > 1 {
            if r == 0xFEFF {
                return false;
            }
            continue;
        }
        if r == RUNE_ERROR {
            return false;
        }
        if (r < 0x20 && r != 0x09) || r == '`' as u32 || r == 0x7F {
            return false;
        }
    }
    true
}
