//! The span of dates the service accepts from clients, and checked date arithmetic.
//!
//! chrono represents years from −262143 to +262142, PostgreSQL's `timestamp` starts in
//! 4713 BC, and SQLite stores times as text that only sorts correctly for four-digit
//! years. Rather than trust three different limits, every date or timestamp a client
//! sends must lie in years 2000–2100 (API.md, "Input bounds"): no appeal predates the
//! system's paper archive, and nothing is planned a century ahead. Inside that span all
//! arithmetic below is far from chrono's edges, but it is checked anyway, because a
//! panic in a handler drops the client's connection without an answer.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};

use crate::error::FieldError;

/// The first year a client may name.
pub const FIRST_YEAR: i32 = 2000;
/// The last year a client may name.
pub const LAST_YEAR: i32 = 2100;

/// The message of every out-of-bounds date, so that clients see one wording.
pub const RANGE_MESSAGE: &str = "must be within the years 2000 to 2100";

/// Whether `date` is in the accepted span.
pub fn in_bounds(date: NaiveDate) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&date.year())
}

/// Records a `range` error against `field` unless `date` is in the accepted span.
pub fn check_date(field: &str, date: NaiveDate, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    if in_bounds(date) {
        Some(date)
    } else {
        errors.push(FieldError::new(field, "range", RANGE_MESSAGE));
        None
    }
}

/// A client's timestamp as stored (naive UTC), if the year *as written* is in the
/// accepted span. Judging the written year keeps `2000-01-01T00:00:00+05:00` (which is
/// still 1999 in UTC) acceptable, as a person reading it would expect.
pub fn bounded_timestamp(t: DateTime<FixedOffset>) -> Option<NaiveDateTime> {
    if in_bounds(t.date_naive()) {
        Some(t.naive_utc())
    } else {
        None
    }
}

/// The moment (naive UTC) a local day starts at `offset`; `None` only at chrono's edges.
pub fn start_of_day(date: NaiveDate, offset: FixedOffset) -> Option<NaiveDateTime> {
    date.and_time(NaiveTime::MIN).checked_sub_offset(offset)
}

/// The moment (naive UTC) the local day after `date` starts: the exclusive end of `date`.
pub fn end_of_day(date: NaiveDate, offset: FixedOffset) -> Option<NaiveDateTime> {
    start_of_day(date.succ_opt()?, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn almaty() -> FixedOffset {
        FixedOffset::east_opt(5 * 3600).unwrap()
    }

    #[test]
    fn bounds_are_the_years_2000_to_2100_inclusive() {
        assert!(!in_bounds(d("1999-12-31")));
        assert!(in_bounds(d("2000-01-01")));
        assert!(in_bounds(d("2100-12-31")));
        assert!(!in_bounds(d("2101-01-01")));
        assert!(!in_bounds(NaiveDate::MIN) && !in_bounds(NaiveDate::MAX));
        let mut errors = Vec::new();
        assert_eq!(check_date("on", d("1999-12-31"), &mut errors), None);
        assert_eq!(errors[0].field, "on");
        assert_eq!(errors[0].code, "range");
    }

    #[test]
    fn timestamps_are_judged_by_the_year_as_written() {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap();
        assert_eq!(
            bounded_timestamp(t("2000-01-01T00:00:00+05:00")),
            Some(d("1999-12-31").and_hms_opt(19, 0, 0).unwrap())
        );
        assert_eq!(bounded_timestamp(t("1999-12-31T23:59:59Z")), None);
        assert_eq!(bounded_timestamp(t("2101-01-01T00:00:00Z")), None);
    }

    #[test]
    fn day_edges_are_checked_at_chronos_limits() {
        assert_eq!(
            start_of_day(d("2026-03-21"), almaty()),
            Some(d("2026-03-20").and_hms_opt(19, 0, 0).unwrap())
        );
        assert_eq!(
            end_of_day(d("2026-03-21"), almaty()),
            Some(d("2026-03-21").and_hms_opt(19, 0, 0).unwrap())
        );
        // These overflowed (and panicked) when the arithmetic was unchecked.
        assert_eq!(start_of_day(NaiveDate::MIN, almaty()), None);
        assert_eq!(end_of_day(NaiveDate::MAX, almaty()), None);
    }
}
