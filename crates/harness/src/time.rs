//! Calendar arithmetic and the timestamp forms the project writes, in one
//! place: the proleptic Gregorian calendar in UTC, as AWS's services count
//! it (CloudWatch log stream names, Step Functions history timestamps, IAM
//! date conditions, the workshop's progress file). No time zones are needed:
//! Lambda runs in UTC.
//!
//! The conversions between a date and a day number are Howard Hinnant's
//! `days_from_civil` and `civil_from_days`
//! (<https://howardhinnant.github.io/date_algorithms.html>), exact for every
//! year a signed 64-bit day number holds.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Now, on the machine's clock, since 1970.
pub fn since_epoch() -> Duration {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default()
}

/// Days since 1970-01-01 to a (year, month, day).
pub fn civil_date(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A (year, month, day) to days since 1970-01-01 (negative before it). The
/// day is not checked against the month: see [`days_in_month`].
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// How many days `month` (1 to 12) of `year` has.
pub fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A moment since the epoch as UTC fields: (year, month, day, hour, minute,
/// second).
pub fn utc_fields(since_epoch: Duration) -> (i64, u32, u32, u32, u32, u32) {
    let seconds = since_epoch.as_secs();
    let (year, month, day) = civil_date((seconds / 86_400) as i64);
    let rest = seconds % 86_400;
    (year, month, day, (rest / 3600) as u32, (rest % 3600 / 60) as u32, (rest % 60) as u32)
}

/// `2026-11-27T12:00:03.123Z`: ISO 8601 in UTC with milliseconds, as Step
/// Functions writes history timestamps.
pub fn iso_timestamp(since_epoch: Duration) -> String {
    let (year, month, day, hour, minute, second) = utc_fields(since_epoch);
    let millis = since_epoch.subsec_millis();
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{millis:03}Z")
}

/// `2025-03-04T09:12:30Z`: RFC 3339 in UTC, whole seconds.
pub fn rfc3339(time: SystemTime) -> String {
    let (year, month, day, hour, minute, second) = utc_fields(time.duration_since(UNIX_EPOCH).unwrap_or_default());
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
}

/// `2025/03/04`: the date part of a Lambda log stream name.
pub fn slash_date(since_epoch: Duration) -> String {
    let (year, month, day, ..) = utc_fields(since_epoch);
    format!("{year:04}/{month:02}/{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_and_dates_agree_on_known_days() {
        // Checked by hand: 2026-11-27 is day 20,784 since the epoch, and
        // 2000-02-29 day 11,016; 1969-12-31 is day -1.
        for (days, date) in [(0, (1970, 1, 1)), (20_784, (2026, 11, 27)), (11_016, (2000, 2, 29)), (-1, (1969, 12, 31))]
        {
            assert_eq!(civil_date(days), date);
            assert_eq!(days_from_civil(date.0, i64::from(date.1), i64::from(date.2)), days);
        }
    }

    #[test]
    fn every_day_of_four_centuries_round_trips() {
        let start = days_from_civil(1900, 1, 1);
        let mut expected = (1900, 1, 1);
        for days in start..days_from_civil(2300, 1, 1) {
            assert_eq!(civil_date(days), expected);
            let (y, m, d) = expected;
            expected = if i64::from(d) < days_in_month(y, i64::from(m)) {
                (y, m, d + 1)
            } else if m < 12 {
                (y, m + 1, 1)
            } else {
                (y + 1, 1, 1)
            };
        }
    }

    #[test]
    fn leap_years_follow_the_gregorian_rule() {
        assert!(is_leap_year(2000) && is_leap_year(2024));
        assert!(!is_leap_year(1900) && !is_leap_year(2100) && !is_leap_year(2026));
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2100, 2), 28);
    }

    #[test]
    fn timestamps_are_written_in_utc() {
        let leap_day = Duration::from_millis((951_782_400 + 3661) * 1000 + 7);
        assert_eq!(iso_timestamp(leap_day), "2000-02-29T01:01:01.007Z");
        assert_eq!(rfc3339(UNIX_EPOCH + leap_day), "2000-02-29T01:01:01Z");
        assert_eq!(slash_date(leap_day), "2000/02/29");
        let in_the_course = Duration::from_millis(1_795_780_803_123);
        assert_eq!(iso_timestamp(in_the_course), "2026-11-27T12:00:03.123Z");
    }
}
