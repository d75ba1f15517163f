//! Go's spelling of text: one place for the quoting the compiler's outputs
//! share (`%T` of a struct tag in codegen's type names, the generated
//! `main` of `g2n test`).

/// `s` as a Go interpreted string literal, as Go's `strconv.Quote` spells
/// the ASCII it escapes: `\"`, `\\`, `\n`, `\t`, `\r`, other control
/// characters and DEL as `\xNN`; everything else as is.
pub fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotes_as_go_does() {
        assert_eq!(super::go_quote("json:\"name\"\t\\\n\u{1}\u{7f}é"), "\"json:\\\"name\\\"\\t\\\\\\n\\x01\\x7fé\"");
    }
}
