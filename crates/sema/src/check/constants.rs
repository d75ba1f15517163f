//! Constant values: exact folding of binary operations, literal decoding,
//! and constants spelled as Go's diagnostics spell them
//! ([Go spec: Constant expressions](https://go.dev/ref/spec#Constant_expressions)).

use super::*;


/// A constant's value as Go's `constant.Value.String` prints it.
pub(super) fn const_string(value: &ConstValue) -> String {
    match value {
        ConstValue::Bool(b) => b.to_string(),
        ConstValue::Int(v) => v.to_string(),
        ConstValue::Float(f) => {
            let rounded = f.to_f64();
            if (rounded.is_finite() && rounded != 0.0) || f.is_zero() {
                go_float(rounded)
            } else {
                // Beyond float64: six significant digits of the exact value.
                let (negative, digits, exp) = f.decimal_digits(6);
                let mantissa = if digits.len() > 1 { format!("{}.{}", &digits[..1], &digits[1..]) } else { digits };
                let mantissa = if mantissa.contains('.') { mantissa.trim_end_matches('0').trim_end_matches('.').to_string() } else { mantissa };
                format!("{}{mantissa}e{}{:02}", if negative { "-" } else { "" }, if exp < 0 { '-' } else { '+' }, exp.abs())
            }
        }
        ConstValue::Complex(r, i) => {
            format!("({} + {}i)", const_string(&ConstValue::Float(r.clone())), const_string(&ConstValue::Float(i.clone())))
        }
        ConstValue::String(s) => g2n_syntax::print::quote(s),
        ConstValue::Nil => "nil".to_string(),
    }
}

/// `%.6g` of Go's fmt: `2.5`, `1e+39`, `100000`, `1e+06`.
fn go_float(f: f64) -> String {
    if f == 0.0 {
        return "0".to_string();
    }
    if !f.is_finite() {
        return if f.is_nan() { "NaN".into() } else if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    let sci = format!("{:.5e}", f);
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let trim = |m: &str| -> String {
        if m.contains('.') { m.trim_end_matches('0').trim_end_matches('.').to_string() } else { m.to_string() }
    };
    if !(-4..6).contains(&exp) {
        format!("{}e{}{:02}", trim(mantissa), if exp < 0 { '-' } else { '+' }, exp.abs())
    } else {
        let decimals = (5 - exp).max(0) as usize;
        trim(&format!("{:.*}", decimals, f))
    }
}

/// A numeric constant as a complex number (real, imaginary).
pub(super) fn complex_parts(value: &ConstValue) -> Option<(Exact, Exact)> {
    match value {
        ConstValue::Int(v) => Some((Exact::from_i128(*v), Exact::from_i128(0))),
        ConstValue::Float(f) => Some((f.clone(), Exact::from_i128(0))),
        ConstValue::Complex(r, i) => Some((r.clone(), i.clone())),
        _ => None,
    }
}

/// Folds + - * / == != of complex constants, exactly
/// ([Go spec: Constant expressions](https://go.dev/ref/spec#Constant_expressions)).
fn fold_complex(op: hir::BinaryOp, a: &ConstValue, b: &ConstValue) -> Option<ConstValue> {
    use hir::BinaryOp as H;
    let ((ar, ai), (br, bi)) = (complex_parts(a)?, complex_parts(b)?);
    Some(match op {
        H::Add => ConstValue::Complex(ar.add(&br), ai.add(&bi)),
        H::Sub => ConstValue::Complex(ar.sub(&br), ai.sub(&bi)),
        H::Mul => ConstValue::Complex(ar.mul(&br).sub(&ai.mul(&bi)), ar.mul(&bi).add(&ai.mul(&br))),
        H::Div => {
            // (a+bi)/(c+di) = ((ac+bd) + (bc-ad)i) / (c²+d²)
            let denom = br.mul(&br).add(&bi.mul(&bi));
            let re = ar.mul(&br).add(&ai.mul(&bi)).div(&denom)?;
            let im = ai.mul(&br).sub(&ar.mul(&bi)).div(&denom)?;
            ConstValue::Complex(re, im)
        }
        H::Eq => ConstValue::Bool(ar == br && ai == bi),
        H::Ne => ConstValue::Bool(ar != br || ai != bi),
        _ => return None,
    })
}

/// Bits an untyped integer constant may have, as Go's compiler limits them
/// (its `constant` values keep 512 bits).
pub(super) const MAX_CONST_INT_BITS: u64 = 512;

/// An integer constant's value, however large: one that fits an `i128` is
/// a [`ConstValue::Int`], a larger (necessarily untyped) one an integral
/// [`ConstValue::Float`] (exact, so nothing is lost).
pub(super) fn big_int_of(value: &ConstValue) -> Option<num_bigint::BigInt> {
    match value {
        ConstValue::Int(v) => Some(num_bigint::BigInt::from(*v)),
        ConstValue::Float(f) => f.to_bigint(),
        _ => None,
    }
}

/// The constant for an integer value (see [`big_int_of`]); `None` past
/// [`MAX_CONST_INT_BITS`], Go's "constant overflow".
pub(super) fn int_const(value: num_bigint::BigInt) -> Option<ConstValue> {
    use num_traits::ToPrimitive;
    if value.bits() > MAX_CONST_INT_BITS {
        return None;
    }
    Some(match value.to_i128() {
        Some(v) => ConstValue::Int(v),
        None => ConstValue::Float(Exact::from_bigint(value)),
    })
}

/// Integer arithmetic on constants of any size (`integer`: the operands'
/// type is an integer type, so `/` truncates).
fn fold_big_int(op: hir::BinaryOp, x: &num_bigint::BigInt, y: &num_bigint::BigInt) -> Option<ConstValue> {
    use hir::BinaryOp as H;
    use num_traits::Zero;
    Some(match op {
        H::Add => int_const(x + y)?,
        H::Sub => int_const(x - y)?,
        H::Mul => int_const(x * y)?,
        // Go's integer division truncates toward zero, like BigInt's.
        H::Div if !y.is_zero() => int_const(x / y)?,
        H::Rem if !y.is_zero() => int_const(x % y)?,
        H::And => int_const(x & y)?,
        H::Or => int_const(x | y)?,
        H::Xor => int_const(x ^ y)?,
        H::AndNot => int_const(x & !y)?,
        _ => ConstValue::Bool(compare(op, x, y)?),
    })
}

/// Folds a binary operation on two constants; `None` leaves it to run time.
pub(super) fn fold_binary(op: hir::BinaryOp, a: &ConstValue, b: &ConstValue, integer: bool) -> Option<ConstValue> {
    use hir::BinaryOp as H;
    use ConstValue as C;
    if matches!(a, C::Complex(..)) || matches!(b, C::Complex(..)) {
        return fold_complex(op, a, b);
    }
    // Integers past i128 (untyped constants are exact however large).
    if integer
        && !(matches!(a, C::Int(_)) && matches!(b, C::Int(_)))
        && let (Some(x), Some(y)) = (big_int_of(a), big_int_of(b))
    {
        return fold_big_int(op, &x, &y);
    }
    Some(match (a, b) {
        (C::Int(x), C::Int(y)) => match op {
            H::Add | H::Sub | H::Mul => {
                let small = match op {
                    H::Add => x.checked_add(*y),
                    H::Sub => x.checked_sub(*y),
                    _ => x.checked_mul(*y),
                };
                match small {
                    Some(v) => C::Int(v),
                    None => fold_big_int(op, &num_bigint::BigInt::from(*x), &num_bigint::BigInt::from(*y))?,
                }
            }
            // Go's integer division truncates toward zero, like Rust's.
            H::Div if integer => C::Int(x.checked_div(*y)?),
            H::Div => C::Float(Exact::from_i128(*x).div(&Exact::from_i128(*y))?),
            H::Rem => C::Int(x.checked_rem(*y)?),
            H::And => C::Int(x & y),
            H::Or => C::Int(x | y),
            H::Xor => C::Int(x ^ y),
            H::AndNot => C::Int(x & !y),
            _ => C::Bool(compare(op, x, y)?),
        },
        (C::Float(_) | C::Int(_), C::Float(_) | C::Int(_)) => {
            let exact = |v: &ConstValue| match v {
                C::Int(i) => Exact::from_i128(*i),
                C::Float(f) => f.clone(),
                _ => Exact::from_i128(0),
            };
            let (x, y) = (exact(a), exact(b));
            match op {
                H::Add => C::Float(x.add(&y)),
                H::Sub => C::Float(x.sub(&y)),
                H::Mul => C::Float(x.mul(&y)),
                H::Div => C::Float(x.div(&y)?),
                _ => C::Bool(compare(op, &x, &y)?),
            }
        }
        (C::String(x), C::String(y)) => match op {
            H::Add => C::String([x.as_slice(), y.as_slice()].concat()),
            _ => C::Bool(compare(op, x, y)?),
        },
        (C::Bool(x), C::Bool(y)) => match op {
            H::LogAnd => C::Bool(*x && *y),
            H::LogOr => C::Bool(*x || *y),
            H::Eq => C::Bool(x == y),
            H::Ne => C::Bool(x != y),
            _ => return None,
        },
        _ => return None,
    })
}

/// `x op y` for a comparison operator on two constants of one ordered
/// kind; `None` for any other operator.
fn compare<T: PartialOrd + ?Sized>(op: hir::BinaryOp, x: &T, y: &T) -> Option<bool> {
    use hir::BinaryOp as H;
    Some(match op {
        H::Eq => x == y,
        H::Ne => x != y,
        H::Lt => x < y,
        H::Le => x <= y,
        H::Gt => x > y,
        H::Ge => x >= y,
        _ => return None,
    })
}

/// Parses a Go integer literal (decimal, `0x`, `0o`, `0b`, legacy octal, `_`).
/// See [Go spec: Integer literals](https://go.dev/ref/spec#Integer_literals).
pub(super) fn parse_int_literal(text: &str) -> Option<i128> {
    let (radix, body) = int_literal_digits(text);
    i128::from_str_radix(&body, radix).ok()
}

/// An integer literal of any size, as a constant ([`int_const`]).
pub(super) fn parse_big_int_literal(text: &str) -> Option<ConstValue> {
    if let Some(value) = small_int_literal(text) {
        return Some(ConstValue::Int(value.into()));
    }
    let (radix, body) = int_literal_digits(text);
    int_const(num_bigint::BigInt::parse_bytes(body.as_bytes(), radix)?)
}

/// An integer literal without `_` that fits 64 bits, read without the
/// allocations of [`int_literal_digits`] and a `BigInt`: nearly every
/// literal (unicode's tables are thousands of them). `None`: any other,
/// for the general path.
fn small_int_literal(text: &str) -> Option<u64> {
    if text.contains('_') {
        return None;
    }
    let prefixed = |lower: &str, upper: &str| text.strip_prefix(lower).or_else(|| text.strip_prefix(upper));
    let (radix, digits) = if let Some(rest) = prefixed("0x", "0X") {
        (16, rest)
    } else if let Some(rest) = prefixed("0o", "0O") {
        (8, rest)
    } else if let Some(rest) = prefixed("0b", "0B") {
        (2, rest)
    } else if text.len() > 1 && text.starts_with('0') {
        (8, &text[1..])
    } else {
        (10, text)
    };
    // from_str_radix would take a sign, which a literal's digits never have.
    if digits.starts_with(['+', '-']) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// The radix and the digits of an integer literal.
fn int_literal_digits(text: &str) -> (u32, String) {
    let digits: String = text.chars().filter(|&c| c != '_').collect();
    let lower = digits.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("0x") {
        (16, rest.to_string())
    } else if let Some(rest) = lower.strip_prefix("0o") {
        (8, rest.to_string())
    } else if let Some(rest) = lower.strip_prefix("0b") {
        (2, rest.to_string())
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower[1..].to_string())
    } else {
        (10, lower)
    }
}

/// Decodes a rune literal's source text (with quotes) to its code point.
pub(super) fn decode_rune(text: &str) -> Option<u32> {
    let inner = text.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut chars = inner.chars();
    let first = chars.next()?;
    if first != '\\' {
        return if chars.next().is_none() { Some(first as u32) } else { None };
    }
    let escape = chars.next()?;
    let rest: String = chars.collect();
    let simple = match escape {
        'a' => Some(7),
        'b' => Some(8),
        'f' => Some(12),
        'n' => Some(10),
        'r' => Some(13),
        't' => Some(9),
        'v' => Some(11),
        '\\' => Some(92),
        '\'' => Some(39),
        '"' => Some(34),
        _ => None,
    };
    if let Some(value) = simple {
        return if rest.is_empty() { Some(value) } else { None };
    }
    match escape {
        'x' | 'u' | 'U' => u32::from_str_radix(&rest, 16).ok(),
        '0'..='7' => u32::from_str_radix(&format!("{escape}{rest}"), 8).ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_literals_in_every_base() {
        assert_eq!(parse_int_literal("42"), Some(42));
        assert_eq!(parse_int_literal("0x_1F"), Some(31));
        assert_eq!(parse_int_literal("0o17"), Some(15));
        assert_eq!(parse_int_literal("017"), Some(15));
        assert_eq!(parse_int_literal("0b101"), Some(5));
        assert_eq!(parse_int_literal("1_000_000"), Some(1_000_000));
    }

    /// The 64-bit fast path reads a literal as the general path does, and
    /// leaves the rest (too big, `_`, malformed) to it.
    #[test]
    fn small_int_literals_read_as_big_ones() {
        let literals = ["0", "7", "42", "017", "09", "0x1F", "0X1f", "0o17", "0O17", "0b101", "0B1", "0x", "1_000", "0xFFFFFFFFFFFFFFFF", "18446744073709551615", "18446744073709551616"];
        for text in literals {
            let (radix, body) = int_literal_digits(text);
            let general = num_bigint::BigInt::parse_bytes(body.as_bytes(), radix).and_then(int_const);
            assert_eq!(parse_big_int_literal(text), general, "{text}");
        }
        assert_eq!(small_int_literal("18446744073709551615"), Some(u64::MAX));
        assert_eq!(small_int_literal("18446744073709551616"), None);
        assert_eq!(small_int_literal("1_000"), None);
    }

    #[test]
    fn rune_literals() {
        assert_eq!(decode_rune("'a'"), Some(97));
        assert_eq!(decode_rune("'\\n'"), Some(10));
        assert_eq!(decode_rune("'\\x41'"), Some(65));
        assert_eq!(decode_rune("'世'"), Some(0x4e16));
        assert_eq!(decode_rune("'ab'"), None);
    }
}
