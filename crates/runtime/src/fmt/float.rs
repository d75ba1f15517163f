//! Go's `strconv` float formatting (`FormatFloat` with its `e`, `f`, `g`,
//! `b` and `x` forms) and the `print` builtin's float form.

use super::*;

/// Decimal digits of a float: `d` (no leading or trailing zeros; empty for 0)
/// with the decimal point `dp` digits from the left (Go's `decimalSlice`).
struct Digits {
    d: Vec<u8>,
    dp: i64,
}

impl Digits {
    /// From Rust's `{:e}` output, which is exact and correctly rounded (for a
    /// given precision) or the shortest round-tripping form (without one),
    /// exactly the digit strings Go's Ryu and big-decimal paths produce.
    fn from_sci(s: &str) -> Digits {
        let (mant, exp) = s.split_once('e').unwrap_or((s, "0"));
        let exp: i64 = exp.parse().unwrap_or(0);
        let mut d: Vec<u8> = mant.bytes().filter(|b| b.is_ascii_digit()).collect();
        while d.last() == Some(&b'0') {
            d.pop();
        }
        if d.is_empty() {
            return Digits { d, dp: 0 };
        }
        Digits { d, dp: exp + 1 }
    }

    /// From Rust's fixed `{:.N}` output.
    fn from_fixed(s: &str) -> Digits {
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        let mut d: Vec<u8> = int.bytes().chain(frac.bytes()).collect();
        let mut dp = int.len() as i64;
        while d.first() == Some(&b'0') {
            d.remove(0);
            dp -= 1;
        }
        while d.last() == Some(&b'0') {
            d.pop();
        }
        if d.is_empty() {
            dp = 0;
        }
        Digits { d, dp }
    }

    fn nd(&self) -> i64 {
        self.d.len() as i64
    }
}

/// Go's `strconv.FormatFloat(v, fmt, prec, 64)`.
pub fn format_float(v: f64, fmt: u8, prec: i64) -> Vec<u8> {
    format_float_size(v, fmt, prec, 64)
}

/// Go's `strconv.FormatFloat(v, fmt, prec, bit_size)`; with `bit_size` 32,
/// `v` must be a float32 value and the shortest digits are float32's.
pub fn format_float_size(v: f64, fmt: u8, prec: i64, bit_size: u32) -> Vec<u8> {
    if bit_size == 32 && fmt == b'b' {
        let bits = (v as f32).to_bits();
        let neg = bits >> 31 != 0;
        let raw_exp = ((bits >> 23) & 0xFF) as i64;
        let mut mant = (bits & ((1 << 23) - 1)) as u64;
        if raw_exp != 0xFF {
            let mut exp = raw_exp;
            if raw_exp == 0 {
                exp += 1;
            } else {
                mant |= 1 << 23;
            }
            return fmt_b(neg, mant, exp - 127 + 52 - 23);
        }
    }
    let bits = v.to_bits();
    let neg = bits >> 63 != 0;
    let raw_exp = ((bits >> 52) & 0x7FF) as i64;
    let mut mant = bits & ((1u64 << 52) - 1);
    if raw_exp == 0x7FF {
        return if mant != 0 {
            b"NaN".to_vec()
        } else if neg {
            b"-Inf".to_vec()
        } else {
            b"+Inf".to_vec()
        };
    }
    let mut exp = raw_exp;
    if raw_exp == 0 {
        exp += 1;
    } else {
        mant |= 1u64 << 52;
    }
    exp += -1023;
    if fmt == b'b' {
        return fmt_b(neg, mant, exp);
    }
    if fmt == b'x' || fmt == b'X' {
        return fmt_x(prec, fmt, neg, mant, exp);
    }
    let a = v.abs();
    let shortest = prec < 0;
    let mut prec = prec;
    let digs = if shortest {
        let digs = if bit_size == 32 {
            Digits::from_sci(&format!("{:e}", a as f32))
        } else {
            Digits::from_sci(&format!("{a:e}"))
        };
        prec = match fmt {
            b'e' | b'E' => (digs.nd() - 1).max(0),
            b'f' => (digs.nd() - digs.dp).max(0),
            b'g' | b'G' => digs.nd(),
            _ => prec,
        };
        digs
    } else {
        match fmt {
            b'e' | b'E' => Digits::from_sci(&format!("{:.*e}", prec as usize, a)),
            b'g' | b'G' => {
                if prec == 0 {
                    prec = 1;
                }
                Digits::from_sci(&format!("{:.*e}", (prec - 1) as usize, a))
            }
            b'f' => Digits::from_fixed(&format!("{:.*}", prec as usize, a)),
            _ => Digits::from_sci(&format!("{:.0e}", a)),
        }
    };
    format_digits(shortest, neg, &digs, prec, fmt)
}

fn format_digits(shortest: bool, neg: bool, digs: &Digits, prec: i64, fmt: u8) -> Vec<u8> {
    match fmt {
        b'e' | b'E' => fmt_e(neg, digs, prec, fmt),
        b'f' => fmt_f(neg, digs, prec),
        b'g' | b'G' => {
            let mut eprec = prec;
            if eprec > digs.nd() && digs.nd() >= digs.dp {
                eprec = digs.nd();
            }
            if shortest {
                eprec = 6;
            }
            let exp = digs.dp - 1;
            if exp < -4 || exp >= eprec {
                let mut prec = prec;
                if prec > digs.nd() {
                    prec = digs.nd();
                }
                return fmt_e(neg, digs, prec - 1, fmt + b'e' - b'g');
            }
            let mut prec = prec;
            if prec > digs.dp {
                prec = digs.nd();
            }
            fmt_f(neg, digs, (prec - digs.dp).max(0))
        }
        _ => {
            let mut out = vec![b'%'];
            out.push(fmt);
            out
        }
    }
}

fn fmt_e(neg: bool, d: &Digits, prec: i64, fmt: u8) -> Vec<u8> {
    let mut dst = Vec::new();
    if neg {
        dst.push(b'-');
    }
    dst.push(if d.nd() != 0 { d.d[0] } else { b'0' });
    if prec > 0 {
        dst.push(b'.');
        let mut i = 1;
        let m = d.nd().min(prec + 1);
        if i < m {
            dst.extend_from_slice(&d.d[i as usize..m as usize]);
            i = m;
        }
        while i <= prec {
            dst.push(b'0');
            i += 1;
        }
    }
    dst.push(fmt);
    let mut exp = d.dp - 1;
    if d.nd() == 0 {
        exp = 0;
    }
    if exp < 0 {
        dst.push(b'-');
        exp = -exp;
    } else {
        dst.push(b'+');
    }
    if exp < 10 {
        dst.extend_from_slice(&[b'0', b'0' + exp as u8]);
    } else if exp < 100 {
        dst.push(b'0' + (exp / 10) as u8);
        dst.push(b'0' + (exp % 10) as u8);
    } else {
        dst.push(b'0' + (exp / 100) as u8);
        dst.push(b'0' + ((exp / 10) % 10) as u8);
        dst.push(b'0' + (exp % 10) as u8);
    }
    dst
}

fn fmt_f(neg: bool, d: &Digits, prec: i64) -> Vec<u8> {
    let mut dst = Vec::new();
    if neg {
        dst.push(b'-');
    }
    if d.dp > 0 {
        let m = d.nd().min(d.dp);
        dst.extend_from_slice(&d.d[..m as usize]);
        dst.extend(std::iter::repeat_n(b'0', (d.dp - m) as usize));
    } else {
        dst.push(b'0');
    }
    if prec > 0 {
        dst.push(b'.');
        for i in 1..=prec {
            let j = d.dp + i - 1;
            dst.push(if 0 <= j && j < d.nd() { d.d[j as usize] } else { b'0' });
        }
    }
    dst
}

fn fmt_b(neg: bool, mant: u64, exp: i64) -> Vec<u8> {
    let mut s = String::new();
    if neg {
        s.push('-');
    }
    s.push_str(&mant.to_string());
    s.push('p');
    let exp = exp - 52;
    if exp >= 0 {
        s.push('+');
    }
    s.push_str(&exp.to_string());
    s.into_bytes()
}

fn fmt_x(prec: i64, fmt: u8, neg: bool, mut mant: u64, mut exp: i64) -> Vec<u8> {
    if mant == 0 {
        exp = 0;
    }
    mant <<= 60 - 52;
    while mant != 0 && mant & (1 << 60) == 0 {
        mant <<= 1;
        exp -= 1;
    }
    if (0..15).contains(&prec) {
        let shift = (prec * 4) as u32;
        let extra = (mant << shift) & ((1u64 << 60) - 1);
        mant >>= 60 - shift;
        if extra | (mant & 1) > 1 << 59 {
            mant += 1;
        }
        mant <<= 60 - shift;
        if mant & (1 << 61) != 0 {
            mant >>= 1;
            exp += 1;
        }
    }
    let hex = if fmt == b'X' { UDIGITS } else { LDIGITS };
    let mut dst = Vec::new();
    if neg {
        dst.push(b'-');
    }
    dst.push(b'0');
    dst.push(fmt);
    dst.push(b'0' + ((mant >> 60) & 1) as u8);
    mant <<= 4;
    if prec < 0 && mant != 0 {
        dst.push(b'.');
        while mant != 0 {
            dst.push(hex[((mant >> 60) & 15) as usize]);
            mant <<= 4;
        }
    } else if prec > 0 {
        dst.push(b'.');
        for _ in 0..prec {
            dst.push(hex[((mant >> 60) & 15) as usize]);
            mant <<= 4;
        }
    }
    dst.push(if fmt == b'X' { b'P' } else { b'p' });
    if exp < 0 {
        dst.push(b'-');
        exp = -exp;
    } else {
        dst.push(b'+');
    }
    if exp < 100 {
        dst.push(b'0' + (exp / 10) as u8);
        dst.push(b'0' + (exp % 10) as u8);
    } else if exp < 1000 {
        dst.push(b'0' + (exp / 100) as u8);
        dst.push(b'0' + ((exp / 10) % 10) as u8);
        dst.push(b'0' + (exp % 10) as u8);
    } else {
        dst.push(b'0' + (exp / 1000) as u8);
        dst.push(b'0' + ((exp / 100) % 10) as u8);
        dst.push(b'0' + ((exp / 10) % 10) as u8);
        dst.push(b'0' + (exp % 10) as u8);
    }
    dst
}

/// How the Go runtime's `print` shows a float64 (used for `panic(1.5)`):
/// `+1.500000e+000`. A port of `runtime.printfloat`, including its
/// deliberately naive digit generation.
pub fn runtime_print_float(mut v: f64) -> Vec<u8> {
    if v.is_nan() {
        return b"NaN".to_vec();
    }
    if v + v == v && v > 0.0 {
        return b"+Inf".to_vec();
    }
    if v + v == v && v < 0.0 {
        return b"-Inf".to_vec();
    }
    const N: usize = 7;
    let mut buf = [0u8; N + 7];
    buf[0] = b'+';
    let mut e: i64 = 0;
    if v == 0.0 {
        if (1.0 / v) < 0.0 {
            buf[0] = b'-';
        }
    } else {
        if v < 0.0 {
            v = -v;
            buf[0] = b'-';
        }
        while v >= 10.0 {
            e += 1;
            v /= 10.0;
        }
        while v < 1.0 {
            e -= 1;
            v *= 10.0;
        }
        let mut h = 5.0;
        for _ in 0..N {
            h /= 10.0;
        }
        v += h;
        if v >= 10.0 {
            e += 1;
            v /= 10.0;
        }
    }
    for i in 0..N {
        let s = v as i64;
        buf[i + 2] = (s as u8).wrapping_add(b'0');
        v -= s as f64;
        v *= 10.0;
    }
    buf[1] = buf[2];
    buf[2] = b'.';
    buf[N + 2] = b'e';
    buf[N + 3] = b'+';
    if e < 0 {
        e = -e;
        buf[N + 3] = b'-';
    }
    buf[N + 4] = (e / 100) as u8 + b'0';
    buf[N + 5] = ((e / 10) % 10) as u8 + b'0';
    buf[N + 6] = (e % 10) as u8 + b'0';
    buf.to_vec()
}
