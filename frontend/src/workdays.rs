//! Days left until an appeal's deadline, counted in Kazakhstan working days.
//!
//! The server counts deadlines on the working calendar it stores (`GET /calendar`: the
//! weekdays off and the weekends declared working). The dashboard counts the days left
//! on the same rows, so "3 working days left" agrees with the `due_on` the server set.
//! The count is derived on the client rather than added to every appeal because it
//! changes every day while the appeal does not: cached pages and offline copies stay
//! right.

use std::collections::HashMap;

use baqylau_wire::reference::{CalendarDay, DayKind};
use chrono::{Datelike, Days, NaiveDate, Utc, Weekday};

/// The listed days of the years loaded (weekdays off, weekends declared working).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Calendar {
    listed: HashMap<NaiveDate, DayKind>,
}

/// More than any deadline (two months at most): a bound on the walk, not a rule.
const MAX_SPAN: i64 = 400;

impl Calendar {
    pub fn new(days: impl IntoIterator<Item = CalendarDay>) -> Calendar {
        Calendar {
            listed: days.into_iter().map(|d| (d.date, d.kind)).collect(),
        }
    }

    pub fn is_working(&self, day: NaiveDate) -> bool {
        match self.listed.get(&day) {
            Some(DayKind::WorkingDay) => true,
            Some(_) => false,
            None => !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// Working days after `today` up to and including `due`: `0` when the deadline is
    /// today (or no working day remains before it), negative when it has passed (the
    /// working days since it, at least one: a deadline passed over a weekend is late
    /// all the same), `None` beyond any real deadline.
    pub fn days_left(&self, today: NaiveDate, due: NaiveDate) -> Option<i64> {
        let (from, to, sign) = if due >= today {
            (today, due, 1)
        } else {
            (due, today, -1)
        };
        if (to - from).num_days() > MAX_SPAN {
            return None;
        }
        let mut count = 0;
        let mut day = from;
        while day < to {
            day = day.checked_add_days(Days::new(1))?;
            if self.is_working(day) {
                count += 1;
            }
        }
        Some(if sign < 0 { -count.max(1) } else { count })
    }
}

/// Now, by the browser's clock (chrono's own clock is not there in wasm).
pub fn now() -> chrono::DateTime<Utc> {
    chrono::DateTime::<Utc>::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// Today on the Kazakhstan clock, by the browser's clock.
pub fn today() -> NaiveDate {
    crate::format::local_date(now())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn listed(date: &str, kind: DayKind) -> CalendarDay {
        CalendarDay {
            date: d(date),
            kind,
            name_kk: String::new(),
            name_ru: String::new(),
            name_en: String::new(),
            note: None,
        }
    }

    #[test]
    fn weekends_and_holidays_do_not_count() {
        // 2026-03-20 is a Friday; 21–23 March is Nauryz (Sat–Mon), 24 and 25 are off
        // as listed, so the next working day is Thursday the 26th.
        let cal = Calendar::new([
            listed("2026-03-23", DayKind::Holiday),
            listed("2026-03-24", DayKind::Holiday),
            listed("2026-03-25", DayKind::Transfer),
        ]);
        assert_eq!(cal.days_left(d("2026-03-20"), d("2026-03-26")), Some(1));
        assert_eq!(cal.days_left(d("2026-03-20"), d("2026-03-20")), Some(0));
        assert_eq!(cal.days_left(d("2026-03-20"), d("2026-03-27")), Some(2));
        // Passed: the working days since the deadline, negative.
        assert_eq!(cal.days_left(d("2026-03-27"), d("2026-03-20")), Some(-2));
        // Friday's deadline, seen on Saturday: late, though no working day has passed.
        assert_eq!(cal.days_left(d("2026-03-21"), d("2026-03-20")), Some(-1));
    }

    #[test]
    fn a_weekend_declared_working_counts() {
        // 2026-01-10 is a Saturday.
        let plain = Calendar::default();
        let decreed = Calendar::new([listed("2026-01-10", DayKind::WorkingDay)]);
        assert_eq!(plain.days_left(d("2026-01-09"), d("2026-01-12")), Some(1));
        assert_eq!(decreed.days_left(d("2026-01-09"), d("2026-01-12")), Some(2));
    }

    #[test]
    fn no_count_beyond_any_deadline() {
        let cal = Calendar::default();
        assert_eq!(cal.days_left(d("2026-01-01"), d("2028-01-01")), None);
    }
}
