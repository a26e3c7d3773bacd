//! The Kazakh working-day calendar used for legal deadlines on appeals.
//!
//! # Legal basis (see `shared/data/deadlines.md`)
//!
//! The Administrative Procedural and Process-related Code (АППК / ӘРПК, Code No. 350-VI of
//! 29.06.2020) counts its terms in *working days* (рабочие дни):
//!
//! * art. 76 p. 1 — an administrative procedure started on an appeal lasts
//!   **15 working days** from receipt of the appeal ([`CONSIDERATION_WORKING_DAYS`]);
//! * art. 76 p. 2 — it may be extended by a reasoned decision "for a reasonable term, but not
//!   more than up to **2 months**" ([`EXTENSION_MAX_MONTHS`], see [`add_months_clamped`]); the
//!   applicant is notified **within 3 working days** ([`EXTENSION_NOTICE_WORKING_DAYS`]);
//! * art. 76 (art. 65 in a Kazakh summary) — an appeal outside the body's competence is
//!   forwarded **not later than 3 working days** from receipt ([`FORWARDING_WORKING_DAYS`]);
//! * art. 63 p. 2 — an appeal received on a non-working day is registered on the next working
//!   day, and the count starts from registration.
//!
//! A party reception is not an administrative body, but Baqylau mirrors these numbers as its
//! internal service levels (deadlines.md, "Notes for the Amanat appeals system").
//!
//! # Known limit: working weekends
//!
//! A transfer decree also turns a weekend day into a working day (2025: Sun 5 Jan was worked
//! in exchange for Fri 3 Jan). This calendar has no notion of a working weekend, so counting
//! across such a day gives a deadline one working day later than the strict one. Only
//! 5 Jan 2025 is affected in the data we hold.
//!
//! The days off themselves are data: see [`days_off`].

pub mod days_off;

use std::collections::BTreeSet;
use std::ops::RangeInclusive;

use chrono::{Datelike, Months, NaiveDate, Weekday};

pub use days_off::{parse_days_off, CalendarError, DayKind, DayOff, DAYS_OFF_CSV};

/// АППК art. 76 p. 1: general term of an administrative procedure on an appeal.
pub const CONSIDERATION_WORKING_DAYS: u32 = 15;
/// АППК art. 76 (art. 65 per a Kazakh summary): forwarding to the competent body.
pub const FORWARDING_WORKING_DAYS: u32 = 3;
/// АППК art. 76 p. 2: notifying the applicant of an extension.
pub const EXTENSION_NOTICE_WORKING_DAYS: u32 = 3;
/// АППК art. 76 p. 2: an extended term is "not more than up to two months".
pub const EXTENSION_MAX_MONTHS: u32 = 2;

/// Saturday or Sunday: the Labour Code's five-day week, which APPK working days follow.
pub fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// `date` plus `months` calendar months, clamped to the last day of the target month
/// (2026-12-31 + 2 months = 2027-02-28; 2027-12-31 + 2 months = 2028-02-29).
///
/// Used for the АППК art. 76 p. 2 ceiling: an extended term ends "not more than up to two
/// months" — read here as two months from receipt (registration) of the appeal, the stricter
/// reading; the article does not say "two more months". Clamping is the usual civil-law
/// convention when the target month is shorter. Saturates at [`NaiveDate::MAX`], which no
/// real date reaches.
pub fn add_months_clamped(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// Working days: not a weekend and not a listed day off.
///
/// `covered_years` records the years whose days off are actually loaded. Outside them only
/// weekends are known. The methods still answer there (a deadline must be computable even if
/// next year's decree is not out yet), but the answer may be a day or two early; callers
/// check [`covers`](Self::covers) / [`covers_span`](Self::covers_span) and warn or flag the
/// deadline as provisional. Returning an error instead would block registering an appeal in
/// late December for want of a decree, which is worse than a flagged estimate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingCalendar {
    days_off: BTreeSet<NaiveDate>,
    covered_years: RangeInclusive<i32>,
}

impl WorkingCalendar {
    /// A calendar with the given weekday days off. Days off outside `covered_years` are still
    /// honoured; weekend dates in `days_off` are harmless.
    pub fn new(
        days_off: impl IntoIterator<Item = NaiveDate>,
        covered_years: RangeInclusive<i32>,
    ) -> Self {
        Self {
            days_off: days_off.into_iter().collect(),
            covered_years,
        }
    }

    /// A calendar from parsed rows, covering every year from the first row's to the last
    /// row's. Every real year has at least one weekday day off (New Year or its transfer), so
    /// a gap inside that range would be a data error, not a year without holidays.
    pub fn from_days_off(days: &[DayOff]) -> Self {
        let years = days.iter().map(|d| d.date.year());
        let covered = match (years.clone().min(), years.max()) {
            (Some(first), Some(last)) => first..=last,
            // Deliberately empty: no rows, no covered year.
            #[allow(clippy::reversed_empty_ranges)]
            _ => 1..=0,
        };
        Self::new(days.iter().map(|d| d.date), covered)
    }

    /// The calendar from the embedded [`DAYS_OFF_CSV`] (no I/O).
    pub fn embedded() -> Result<Self, CalendarError> {
        Ok(Self::from_days_off(&parse_days_off(DAYS_OFF_CSV)?))
    }

    /// The years whose days off are loaded.
    pub fn covered_years(&self) -> RangeInclusive<i32> {
        self.covered_years.clone()
    }

    /// Whether the days off of `year` are known.
    pub fn covers(&self, year: i32) -> bool {
        self.covered_years.contains(&year)
    }

    /// Whether every year from `from` to `to` (inclusive, either order) is covered, i.e. a
    /// deadline counted between them is exact rather than provisional.
    pub fn covers_span(&self, from: NaiveDate, to: NaiveDate) -> bool {
        let (a, b) = if from <= to { (from, to) } else { (to, from) };
        (a.year()..=b.year()).all(|y| self.covers(y))
    }

    /// Not a Saturday, Sunday or day off.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        !is_weekend(date) && !self.days_off.contains(&date)
    }

    /// `date` itself if it is a working day, else the first working day after it.
    pub fn next_working_day_on_or_after(&self, date: NaiveDate) -> NaiveDate {
        let mut day = date;
        while !self.is_working_day(day) {
            match day.succ_opt() {
                Some(next) => day = next,
                None => return NaiveDate::MAX,
            }
        }
        day
    }

    /// The registration day of an appeal received on `received` (a date in Asia/Almaty):
    /// the same day if it is a working day, else the next working day (АППК art. 63 p. 2).
    pub fn registration_day(&self, received: NaiveDate) -> NaiveDate {
        self.next_working_day_on_or_after(received)
    }

    /// The deadline `n` working days after receipt, as АППК counts it.
    ///
    /// The appeal is registered on [`registration_day`](Self::registration_day)`(received)`
    /// (art. 63); the term runs "from the day of receipt" (art. 76 p. 1), and as usual for
    /// terms in days the starting day itself is not counted: the deadline is the `n`-th
    /// working day *after* the registration day. So an appeal registered on Friday with a
    /// 3-day term is due on Wednesday, and `n = 0` gives the registration day.
    ///
    /// Use [`CONSIDERATION_WORKING_DAYS`] (art. 76 p. 1), [`FORWARDING_WORKING_DAYS`] and
    /// [`EXTENSION_NOTICE_WORKING_DAYS`] (art. 76 p. 2) for `n`. Beyond the covered years
    /// only weekends are skipped — see the type's documentation.
    pub fn add_working_days(&self, received: NaiveDate, n: u32) -> NaiveDate {
        let mut day = self.registration_day(received);
        let mut left = n;
        while left > 0 {
            day = match day.succ_opt() {
                Some(next) => next,
                None => return NaiveDate::MAX,
            };
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn calendar() -> WorkingCalendar {
        WorkingCalendar::embedded().expect("embedded days_off.csv parses")
    }

    #[test]
    fn working_days_skip_weekends_and_days_off() {
        let cal = calendar();
        assert!(cal.is_working_day(d("2026-03-20"))); // Fri
        assert!(!cal.is_working_day(d("2026-03-21"))); // Sat
        assert!(!cal.is_working_day(d("2026-03-23"))); // Nauryz
        assert!(!cal.is_working_day(d("2026-03-25"))); // transfer
        assert!(cal.is_working_day(d("2026-03-26")));
        assert!(cal.is_working_day(d("2026-08-31"))); // old Constitution Day transfer: gone
        assert_eq!(
            cal.next_working_day_on_or_after(d("2026-03-21")),
            d("2026-03-26")
        );
        assert_eq!(
            cal.next_working_day_on_or_after(d("2026-03-26")),
            d("2026-03-26")
        );
    }

    #[test]
    fn fifteen_days_across_nauryz_2026_from_a_working_friday() {
        let cal = calendar();
        let received = d("2026-03-20");
        assert_eq!(cal.registration_day(received), received);
        // 23–25 Mar off; 26,27,30,31 Mar, 1,2,3,6,7,8,9,10,13,14,15 Apr.
        assert_eq!(
            cal.add_working_days(received, CONSIDERATION_WORKING_DAYS),
            d("2026-04-15")
        );
    }

    #[test]
    fn fifteen_days_across_nauryz_2026_from_a_saturday() {
        let cal = calendar();
        let received = d("2026-03-21");
        // 21–22 weekend, 23–25 off → registered Thu 26 Mar.
        assert_eq!(cal.registration_day(received), d("2026-03-26"));
        assert_eq!(cal.add_working_days(received, 15), d("2026-04-16"));
        assert_eq!(cal.add_working_days(received, 0), d("2026-03-26"));
    }

    #[test]
    fn fifteen_days_across_new_year_2026_2027() {
        let cal = calendar();
        // 25,28,29,30,31 Dec; 1 Jan off, 2–3 weekend, 4 Jan transfer; 5,6 Jan; 7 Jan off;
        // 8,11,12,13,14,15,18,19 Jan.
        assert_eq!(cal.add_working_days(d("2026-12-24"), 15), d("2027-01-19"));
        assert_eq!(cal.add_working_days(d("2026-12-31"), 3), d("2027-01-08"));
        assert!(cal.covers_span(d("2026-12-24"), d("2027-01-19")));
    }

    #[test]
    fn fifteen_days_across_new_year_2025_2026() {
        let cal = calendar();
        assert_eq!(cal.add_working_days(d("2025-12-31"), 15), d("2026-01-26"));
    }

    #[test]
    fn weekend_receipt_before_a_transferred_monday() {
        let cal = calendar();
        // Sat 9 May 2026 (Victory Day) → Sun → Mon 11 May transfer → registered Tue 12 May.
        let received = d("2026-05-09");
        assert_eq!(cal.registration_day(received), d("2026-05-12"));
        assert_eq!(
            cal.add_working_days(received, FORWARDING_WORKING_DAYS),
            d("2026-05-15")
        );
    }

    #[test]
    fn zero_days_on_a_working_day_is_that_day() {
        let cal = calendar();
        assert_eq!(cal.add_working_days(d("2026-04-01"), 0), d("2026-04-01"));
        assert_eq!(cal.add_working_days(d("2026-04-01"), 1), d("2026-04-02"));
        // Friday + 3 = Wednesday.
        assert_eq!(cal.add_working_days(d("2026-04-03"), 3), d("2026-04-08"));
    }

    #[test]
    fn beyond_the_covered_years_only_weekends_count() {
        let cal = calendar();
        assert!(cal.covers(2025) && cal.covers(2026) && cal.covers(2027));
        assert!(!cal.covers(2024) && !cal.covers(2028));
        // Thu 30 Dec 2027: Fri 31 Dec, then Mon 3 and Tue 4 Jan 2028 — 2028 holidays unknown.
        let deadline = cal.add_working_days(d("2027-12-30"), 3);
        assert_eq!(deadline, d("2028-01-04"));
        assert!(!cal.covers_span(d("2027-12-30"), deadline));
    }

    #[test]
    fn an_empty_calendar_knows_only_weekends() {
        let cal = WorkingCalendar::from_days_off(&[]);
        assert!(!cal.covers(2026));
        assert_eq!(cal.add_working_days(d("2026-03-20"), 1), d("2026-03-23"));
        let custom = WorkingCalendar::new([d("2026-03-23")], 2026..=2026);
        assert_eq!(custom.add_working_days(d("2026-03-20"), 1), d("2026-03-24"));
    }

    #[test]
    fn months_are_clamped_to_the_end_of_the_month() {
        assert_eq!(
            add_months_clamped(d("2026-12-31"), EXTENSION_MAX_MONTHS),
            d("2027-02-28")
        );
        assert_eq!(add_months_clamped(d("2027-12-31"), 2), d("2028-02-29"));
        assert_eq!(add_months_clamped(d("2026-01-15"), 2), d("2026-03-15"));
        assert_eq!(add_months_clamped(d("2026-08-31"), 1), d("2026-09-30"));
        assert_eq!(add_months_clamped(d("2026-08-31"), 0), d("2026-08-31"));
    }
}
