//! Unix times as UTC calendar dates, for the few places that print a date
//! (a traced run's label, a benchmark report's header). One copy of the
//! days-to-date arithmetic, so the two cannot disagree.

/// A moment in UTC, to the second, on the proleptic Gregorian calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UtcTime {
    pub year: i64,
    /// 1..=12
    pub month: u32,
    /// 1..=31
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl UtcTime {
    /// The UTC date and time `seconds` after 1970-01-01 00:00:00 UTC.
    pub fn from_unix_seconds(seconds: u64) -> UtcTime {
        let days = i64::try_from(seconds / 86_400).unwrap_or(i64::MAX / 2);
        let (year, month, day) = civil_from_days(days);
        // Below 86,400, so each part fits a u32.
        let rest = (seconds % 86_400) as u32;
        UtcTime {
            year,
            month,
            day,
            hour: rest / 3600,
            minute: rest % 3600 / 60,
            second: rest % 60,
        }
    }
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day), after
/// Howard Hinnant's `civil_from_days`: years are counted from March so that the
/// leap day ends a year, in 400-year eras of 146,097 days.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468; // days from 0000-03-01 to 1970-01-01
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let march_month = (5 * day_of_year + 2) / 153; // 0 = March .. 11 = February
    let day = day_of_year - (153 * march_month + 2) / 5 + 1;
    let month = if march_month < 10 {
        march_month + 3
    } else {
        march_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    // day is 1..=31 and month 1..=12 by construction.
    (year, month as u32, day as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_since_epoch_are_known_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(-719_468), (0, 3, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29)); // a leap day of a year divisible by 400
        assert_eq!(civil_from_days(11_017), (2000, 3, 1));
        assert_eq!(civil_from_days(47_540), (2100, 2, 28)); // 2100 is not a leap year
        assert_eq!(civil_from_days(47_541), (2100, 3, 1));
        assert_eq!(civil_from_days(20_818), (2026, 12, 31));
        assert_eq!(civil_from_days(24_855), (2038, 1, 19)); // where a signed 32-bit time_t ends
    }

    #[test]
    fn unix_seconds_are_utc_times() {
        let t = |y, mo, d, h, mi, s| UtcTime {
            year: y,
            month: mo,
            day: d,
            hour: h,
            minute: mi,
            second: s,
        };
        assert_eq!(UtcTime::from_unix_seconds(0), t(1970, 1, 1, 0, 0, 0));
        assert_eq!(
            UtcTime::from_unix_seconds(951_782_400),
            t(2000, 2, 29, 0, 0, 0)
        );
        assert_eq!(
            UtcTime::from_unix_seconds(1_796_310_000),
            t(2026, 12, 3, 15, 0, 0)
        );
        assert_eq!(
            UtcTime::from_unix_seconds(2_147_483_647),
            t(2038, 1, 19, 3, 14, 7)
        );
        assert_eq!(
            UtcTime::from_unix_seconds(1_798_675_200 + 86_399),
            t(2026, 12, 31, 23, 59, 59)
        );
    }
}
