//! Dates as office staff read them.
//!
//! Kazakhstan has one time zone, UTC+5 (since 1 March 2024), and deadlines are counted on
//! that clock; times from the API are UTC and are shown on it too, whatever the
//! computer's own time zone.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

use crate::i18n::Lang;

fn almaty() -> FixedOffset {
    FixedOffset::east_opt(5 * 3600).expect("UTC+5 is a valid offset")
}

/// `21.03.2026` in Kazakh and Russian, `2026-03-21` in English.
pub fn date(date: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Kk | Lang::Ru => date.format("%d.%m.%Y").to_string(),
        Lang::En => date.format("%Y-%m-%d").to_string(),
    }
}

/// The calendar day of a UTC time in Kazakhstan.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&almaty()).date_naive()
}

/// `21.03.2026 14:30`, Kazakhstan time.
pub fn date_time(at: DateTime<Utc>, lang: Lang) -> String {
    let local = at.with_timezone(&almaty());
    format!(
        "{} {}",
        date(local.date_naive(), lang),
        local.format("%H:%M")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_on_the_kazakhstan_clock() {
        let at: DateTime<Utc> = "2026-03-21T19:30:00Z".parse().unwrap();
        assert_eq!(
            local_date(at),
            NaiveDate::from_ymd_opt(2026, 3, 22).unwrap()
        );
        assert_eq!(date_time(at, Lang::Kk), "22.03.2026 00:30");
        assert_eq!(date_time(at, Lang::En), "2026-03-22 00:30");
    }
}
