//! Kazakhstan time, used by the server and the dashboard alike.
//!
//! Kazakhstan has had one time zone, UTC+5, since 1 March 2024. Times are stored and sent
//! in UTC; a *date* with legal meaning (the day an appeal was received, a deadline, the
//! day of a mobile reception) is decided on this clock, here and nowhere else.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};

/// UTC+5.
pub fn almaty() -> FixedOffset {
    FixedOffset::east_opt(5 * 3600).expect("UTC+5 is a valid offset")
}

/// The calendar date in Kazakhstan at the instant `at`. Checked, because chrono's own
/// conversion panics at the edge of its range; there the UTC date is as good as any.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.naive_utc()
        .checked_add_offset(almaty())
        .map_or(at.date_naive(), |local| local.date())
}

/// The wall-clock time in Kazakhstan at the instant `at` (spreadsheet cells carry no zone).
pub fn local_datetime(at: DateTime<Utc>) -> NaiveDateTime {
    at.with_timezone(&almaty()).naive_local()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_late_utc_evening_is_the_next_day_in_kazakhstan() {
        let at = DateTime::parse_from_rfc3339("2026-03-20T19:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(local_date(at).to_string(), "2026-03-21");
        assert_eq!(local_datetime(at).to_string(), "2026-03-21 00:30:00");
    }
}
