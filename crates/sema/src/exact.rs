//! Exact values of floating-point constants.
//!
//! Go evaluates constant expressions exactly (Go spec, "Constant
//! expressions": "Constant expressions are always evaluated exactly") and
//! rounds only when a constant gets a floating-point type. `1e23 + 8.5e6` is
//! one rounding away from its float64 value, not three. An [`Exact`] is a
//! rational number, which holds every value a literal or `+ - * /` of
//! literals can produce.

use num_bigint::{BigInt, Sign};
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::borrow::Cow;

/// `rat * 10^exp10`. The decimal exponent is kept apart only for values of
/// astronomical magnitude (`1e646456992` is a valid Go constant, whose
/// digits would not fit in memory); otherwise it is folded into the
/// rational and `exp10` is 0.
#[derive(Clone, Debug)]
pub struct Exact {
    rat: BigRational,
    exp10: i64,
}

/// Decimal exponents up to this stay inside the rational (10^4000 has
/// 13,300 bits: cheap).
const FOLD_LIMIT: i64 = 4_000;
/// Terms whose magnitudes differ by more decimal digits than this are added
/// approximately: the smaller one cannot change the 512-bit mantissa Go's
/// own constant arithmetic keeps for such values.
const ALIGN_LIMIT: i64 = 20_000;

impl PartialEq for Exact {
    fn eq(&self, other: &Exact) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}

impl Eq for Exact {}

impl PartialOrd for Exact {
    fn partial_cmp(&self, other: &Exact) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Exact {
    fn cmp(&self, other: &Exact) -> std::cmp::Ordering {
        use std::cmp::Ordering;
        let (a, b) = (self.signum(), other.signum());
        if a != b || a == 0 {
            return a.cmp(&b);
        }
        let d = self.exp10 - other.exp10;
        let magnitude = if d.abs() <= ALIGN_LIMIT {
            let (x, y) = align(self, other);
            x.abs().cmp(&y.abs())
        } else if d > 0 {
            Ordering::Greater
        } else {
            Ordering::Less
        };
        if a > 0 { magnitude } else { magnitude.reverse() }
    }
}

/// Both values' rationals scaled to the smaller of their exponents.
fn align<'e>(a: &'e Exact, b: &'e Exact) -> (Cow<'e, BigRational>, Cow<'e, BigRational>) {
    let m = a.exp10.min(b.exp10);
    (scaled(&a.rat, a.exp10 - m), scaled(&b.rat, b.exp10 - m))
}

/// `rat` times 10^`e`: `rat` itself when `e` is 0, the usual case (a
/// product is reduced by GCDs, which cost thousands of steps for the long
/// rationals of float constants even when the factor is 1).
fn scaled(rat: &BigRational, e: i64) -> Cow<'_, BigRational> {
    if e == 0 { Cow::Borrowed(rat) } else { Cow::Owned(rat * pow10(e)) }
}

/// `n * 10^exp` in lowest terms, for `n` not zero: the factors 2 and 5
/// that `n` shares with a denominator 10^-exp cancelled directly (a
/// rational product or `BigRational::new` finds them by GCDs, which cost
/// tens of thousands of steps for a long literal such as math.Pi's).
fn decimal(n: BigInt, exp: i64) -> BigRational {
    let k = exp.unsigned_abs();
    if exp >= 0 {
        return BigRational::from_integer(n * num_traits::pow(BigInt::from(10), k as usize));
    }
    let twos = n.trailing_zeros().unwrap_or(0).min(k);
    let mut n = n >> twos as usize;
    let five = BigInt::from(5);
    let mut fives = 0;
    while fives < k {
        if !(&n % &five).is_zero() {
            break;
        }
        n /= &five;
        fives += 1;
    }
    let den = (BigInt::one() << (k - twos) as usize) * num_traits::pow(five, (k - fives) as usize);
    // In lowest terms: the denominator's only prime factors are 2 and 5,
    // and `n` keeps one of them only where the denominator has none left.
    BigRational::new_raw(n, den)
}

/// 10^e as an exact rational.
fn pow10(e: i64) -> BigRational {
    let p = BigRational::from_integer(num_traits::pow(BigInt::from(10), e.unsigned_abs() as usize));
    if e >= 0 { p } else { p.recip() }
}

/// Literals with exponents beyond this are refused (Go's limit is similar:
/// its exponents are 32-bit).
const MAX_DECIMAL_EXPONENT: i64 = 1 << 31;

impl Exact {
    fn new(rat: BigRational, exp10: i64) -> Exact {
        if rat.is_zero() {
            return Exact { rat, exp10: 0 };
        }
        if exp10 != 0 && exp10.abs() <= FOLD_LIMIT {
            return Exact { rat: rat * pow10(exp10), exp10: 0 };
        }
        Exact { rat, exp10 }
    }

    fn of(rat: BigRational) -> Exact {
        Exact { rat, exp10: 0 }
    }

    pub fn from_i128(v: i128) -> Exact {
        Exact::of(BigRational::from_integer(BigInt::from(v)))
    }

    pub fn from_bigint(v: BigInt) -> Exact {
        Exact::of(BigRational::from_integer(v))
    }

    /// The value as a `BigInt` when it is an integer of at most
    /// [`FOLD_LIMIT`] decimal digits.
    pub fn to_bigint(&self) -> Option<BigInt> {
        if !self.is_integer() {
            return None;
        }
        let rat = self.folded(FOLD_LIMIT).ok()?;
        rat.is_integer().then(|| rat.to_integer())
    }

    /// The exact value of a finite `f64`.
    pub fn from_f64(f: f64) -> Option<Exact> {
        BigRational::from_float(f).map(Exact::of)
    }

    /// A Go floating-point literal (`1.5`, `1e23`, `.5`, `0x1p-2`, digits
    /// with `_`), or `None` if it is malformed or absurdly large.
    pub fn parse(text: &str) -> Option<Exact> {
        let text: String = text.chars().filter(|c| *c != '_').collect();
        let lower = text.to_ascii_lowercase();
        if let Some(hex) = lower.strip_prefix("0x") {
            let (mantissa, exp) = match hex.split_once('p') {
                Some((m, e)) => (m, e.parse::<i64>().ok()?),
                None => (hex, 0),
            };
            let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
            let digits = format!("{int_part}{frac_part}");
            if digits.is_empty() {
                return None;
            }
            let n = BigInt::parse_bytes(digits.as_bytes(), 16)?;
            let exp = exp.checked_sub(4 * frac_part.len() as i64)?;
            if exp.abs() > 4 * ALIGN_LIMIT {
                return None;
            }
            return Some(Exact::of(BigRational::from_integer(n) * pow2(exp)));
        }
        let (mantissa, exp) = match lower.split_once('e') {
            Some((m, e)) => (m, e.parse::<i64>().ok()?),
            None => (lower.as_str(), 0),
        };
        let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let digits = format!("{int_part}{frac_part}");
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n = BigInt::parse_bytes(digits.as_bytes(), 10)?;
        let exp = exp.checked_sub(frac_part.len() as i64)?;
        if exp.abs() > MAX_DECIMAL_EXPONENT {
            return None;
        }
        if exp != 0 && exp.abs() <= FOLD_LIMIT && !n.is_zero() {
            return Some(Exact::of(decimal(n, exp)));
        }
        Some(Exact::new(BigRational::from_integer(n), exp))
    }

    pub fn is_zero(&self) -> bool {
        self.rat.is_zero()
    }

    pub fn is_integer(&self) -> bool {
        if self.exp10 == 0 {
            return self.rat.is_integer();
        }
        if self.exp10 < 0 {
            // Below 10^-4000 of a literal-sized rational: not an integer.
            return false;
        }
        // rat * 10^e is an integer when rat's denominator divides 10^e.
        let mut den = self.rat.denom().clone();
        let mut count = 0i64;
        for p in [2u32, 5] {
            let p = BigInt::from(p);
            while (&den % &p).is_zero() {
                den /= &p;
                count += 1;
            }
        }
        den.is_one() && count <= 2 * self.exp10
    }

    /// The value as an `i128` when it is an integer that fits.
    pub fn to_i128(&self) -> Option<i128> {
        if self.exp10 == 0 && self.rat.is_integer() { self.rat.to_integer().to_i128() } else { None }
    }

    pub fn neg(&self) -> Exact {
        Exact { rat: -self.rat.clone(), exp10: self.exp10 }
    }

    pub fn add(&self, other: &Exact) -> Exact {
        if self.is_zero() {
            return other.clone();
        }
        if other.is_zero() {
            return self.clone();
        }
        if (self.exp10 - other.exp10).abs() > ALIGN_LIMIT {
            // The smaller term is beyond any precision Go keeps.
            return if self.exp10 > other.exp10 { self.clone() } else { other.clone() };
        }
        let (x, y) = align(self, other);
        Exact::new(x.as_ref() + y.as_ref(), self.exp10.min(other.exp10))
    }

    pub fn sub(&self, other: &Exact) -> Exact {
        self.add(&other.neg())
    }

    pub fn mul(&self, other: &Exact) -> Exact {
        Exact::new(&self.rat * &other.rat, self.exp10.saturating_add(other.exp10))
    }

    /// `None` for a zero divisor.
    pub fn div(&self, other: &Exact) -> Option<Exact> {
        if other.rat.is_zero() {
            None
        } else {
            Some(Exact::new(&self.rat / &other.rat, self.exp10.saturating_sub(other.exp10)))
        }
    }

    /// The value as one rational, when its magnitude is within `limit`
    /// decimal digits of 1; `Err(true)` when above, `Err(false)` when below.
    fn folded(&self, limit: i64) -> Result<BigRational, bool> {
        if self.exp10 == 0 {
            return Ok(self.rat.clone());
        }
        let digits = (self.rat.numer().bits() as f64 - self.rat.denom().bits() as f64) * std::f64::consts::LOG10_2;
        let magnitude = self.exp10 as f64 + digits;
        if magnitude > limit as f64 {
            Err(true)
        } else if magnitude < -(limit as f64) {
            Err(false)
        } else {
            Ok(&self.rat * pow10(self.exp10))
        }
    }

    /// The nearest `float64` (ties to even); infinite beyond its range.
    pub fn to_f64(&self) -> f64 {
        self.round_binary(53, -1074, 1023)
    }

    /// The nearest `float32`, as an `f64` (which holds it exactly).
    pub fn to_f32(&self) -> f64 {
        self.round_binary(24, -149, 127)
    }

    /// Rounds to the binary format with `precision` significand bits, whose
    /// smallest (subnormal) step is 2^`min_exp` and largest exponent `max_exp`.
    fn round_binary(&self, precision: u32, min_exp: i64, max_exp: i64) -> f64 {
        if self.rat.is_zero() {
            return 0.0;
        }
        let negative = self.rat.is_negative();
        let rat = match self.folded(FOLD_LIMIT) {
            Ok(rat) => rat,
            Err(above) => {
                let value = if above { f64::INFINITY } else { 0.0 };
                return if negative { -value } else { value };
            }
        };
        let (num, den) = (rat.numer().abs(), rat.denom().clone());
        // e with 2^e <= |x| < 2^(e+1), from the bit lengths, corrected once.
        let mut e = num.bits() as i64 - den.bits() as i64;
        let at_least = |e: i64| -> bool {
            // |x| >= 2^e ?
            if e >= 0 { num >= &den << e as usize } else { (&num << (-e) as usize) >= den }
        };
        if !at_least(e) {
            e -= 1;
        }
        // The unit of the last significand bit, not below the subnormal step.
        let unit = (e - (precision as i64 - 1)).max(min_exp);
        // q = |x| / 2^unit, split into integer part and remainder.
        let (scaled_num, scaled_den) = if unit >= 0 { (num.clone(), &den << unit as usize) } else { (&num << (-unit) as usize, den.clone()) };
        let q = &scaled_num / &scaled_den;
        let r = &scaled_num - &q * &scaled_den;
        let twice_r = &r << 1usize;
        let round_up = match twice_r.cmp(&scaled_den) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Less => false,
            std::cmp::Ordering::Equal => (&q & BigInt::one()) == BigInt::one(),
        };
        let q = if round_up { q + 1 } else { q };
        // q * 2^unit, with q < 2^(precision+1): exact in f64 arithmetic
        // unless it overflows the format.
        let Some(q) = q.to_f64() else { return if negative { f64::NEG_INFINITY } else { f64::INFINITY } };
        let value = q * pow2_f64(unit);
        let limit = (2.0 - 2f64.powi(-(precision as i32 - 1))) * pow2_f64(max_exp);
        let value = if value > limit || value.is_infinite() { f64::INFINITY } else { value };
        if negative { -value } else { value }
    }

    /// The value as `n` significant decimal digits (rounded half up) and the
    /// decimal exponent of the first: (negative, "100000", 400) for 1e400.
    /// Zero gives ("0", 0).
    pub fn decimal_digits(&self, n: u32) -> (bool, String, i64) {
        if self.rat.is_zero() {
            return (false, "0".to_string(), 0);
        }
        let negative = self.rat.is_negative();
        let x = self.rat.abs();
        // An estimate of floor(log10 x) from the bit lengths, then corrected.
        let bits = x.numer().bits() as i64 - x.denom().bits() as i64;
        let mut e = (bits as f64 * std::f64::consts::LOG10_2).floor() as i64;
        while x >= pow10(e + 1) {
            e += 1;
        }
        while x < pow10(e) {
            e -= 1;
        }
        let scaled = &x / pow10(e - (n as i64 - 1));
        let mut m = (scaled + BigRational::new(BigInt::one(), BigInt::from(2))).floor().to_integer();
        if m >= num_traits::pow(BigInt::from(10), n as usize) {
            m /= BigInt::from(10);
            e += 1;
        }
        (negative, m.to_string(), e + self.exp10)
    }

    /// The sign: -1, 0 or 1.
    pub fn signum(&self) -> i32 {
        match self.rat.numer().sign() {
            Sign::Minus => -1,
            Sign::NoSign => 0,
            Sign::Plus => 1,
        }
    }
}

/// 2^e as an exact rational.
fn pow2(e: i64) -> BigRational {
    let p = BigInt::one() << e.unsigned_abs() as usize;
    if e >= 0 { BigRational::from_integer(p) } else { BigRational::new(BigInt::one(), p) }
}

/// 2^e as an `f64`, exact for the exponents of f64 and f32 values (down to
/// the subnormals, which `powi` would flush through an intermediate).
fn pow2_f64(e: i64) -> f64 {
    if e >= -1022 {
        2f64.powi(e as i32)
    } else {
        2f64.powi(-1022) * 2f64.powi((e + 1022) as i32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(text: &str) -> f64 {
        Exact::parse(text).unwrap().to_f64()
    }

    #[test]
    fn literals_round_once_like_go() {
        for text in ["123.5", "456.7", "0.1", "1e23", "2.5e-300", "4.9e-324", "2.2250738585072011e-308", "1.7976931348623157e308", "1_000.5"] {
            assert_eq!(f(text), text.replace('_', "").parse::<f64>().unwrap(), "{text}");
        }
        assert_eq!(f("0x1p-2"), 0.25);
        assert_eq!(f("0x1.8p1"), 3.0);
        assert_eq!(f("0X_1FFFP-16"), 8191.0 / 65536.0);
        let sum = Exact::parse("1e23").unwrap().add(&Exact::parse("8.5e6").unwrap());
        assert_eq!(format!("{:e}", sum.to_f64()), "1.0000000000000001e23");
        assert_eq!(f("1e309"), f64::INFINITY);
        assert_eq!(f("1e-400"), 0.0);
        assert_eq!(Exact::parse("1e400").unwrap().decimal_digits(6), (false, "100000".to_string(), 400));
        assert_eq!(Exact::parse("1.2345678e-400").unwrap().neg().decimal_digits(6), (true, "123457".to_string(), -400));
        assert_eq!(Exact::parse("9.9999999e500").unwrap().decimal_digits(6), (false, "100000".to_string(), 501));
        // Astronomical exponents keep their decimal exponent apart.
        let n = Exact::parse("1e646456992").unwrap();
        let d = Exact::parse("1e646456991").unwrap();
        assert_eq!(n.div(&d).unwrap().to_f64(), 10.0);
        assert_eq!(n.to_f64(), f64::INFINITY);
        assert_eq!(n.decimal_digits(6).2, 646456992);
        assert!(n > d && n.is_integer() );
        assert_eq!(n.add(&Exact::from_i128(1)), n);
    }

    #[test]
    fn decimal_literals_are_in_lowest_terms() {
        for (digits, exp) in [("1", -1), ("15", -1), ("250", -3), ("3141592653589793238462643383279502884197169399375105820974944", -60), ("-40", -2), ("7", 3), ("1000", -3), ("625", -4), ("12", -4000)] {
            let n: BigInt = digits.parse().unwrap();
            let reduced = decimal(n.clone(), exp);
            let expected = BigRational::from_integer(n) * pow10(exp);
            assert_eq!((reduced.numer(), reduced.denom()), (expected.numer(), expected.denom()), "{digits}e{exp}");
        }
    }

    #[test]
    fn float32_rounding_is_direct() {
        // max32 - ulp32/2 + ulp32/2^64 rounds up to max32 in one step.
        let max32 = Exact::from_f64(f32::MAX as f64).unwrap();
        let ulp = Exact::from_f64(2f64.powi(104)).unwrap();
        let half = ulp.div(&Exact::from_i128(2)).unwrap();
        let tiny = ulp.div(&Exact::from_i128(1 << 64)).unwrap();
        assert_eq!(max32.sub(&half).add(&tiny).to_f32(), f32::MAX as f64);
        assert_eq!(max32.add(&half).to_f32(), f64::INFINITY);
        assert_eq!(Exact::parse("0.1").unwrap().to_f32(), 0.1f32 as f64);
    }
}
