//! Dates as office staff read them.
//!
//! Times from the API are UTC; they are shown on the Kazakhstan clock whatever the
//! computer's own time zone, with the wire crate's one definition of that clock, so the
//! dashboard and the server never disagree about which day something happened.

use baqylau_wire::time::local_datetime;
use chrono::{DateTime, NaiveDate, Utc};

pub use baqylau_wire::time::local_date;

use crate::i18n::Lang;

/// `21.03.2026` in Kazakh and Russian, `2026-03-21` in English.
pub fn date(date: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Kk | Lang::Ru => date.format("%d.%m.%Y").to_string(),
        Lang::En => date.format("%Y-%m-%d").to_string(),
    }
}

/// `21.03.2026 14:30`, Kazakhstan time.
pub fn date_time(at: DateTime<Utc>, lang: Lang) -> String {
    let local = local_datetime(at);
    format!("{} {}", date(local.date(), lang), local.format("%H:%M"))
}

/// `14:30`, Kazakhstan time.
pub fn local_datetime_hm(at: DateTime<Utc>) -> String {
    local_datetime(at).format("%H:%M").to_string()
}

/// The value of an `<input type="datetime-local">` showing `at` on the Kazakhstan clock.
pub fn local_input(at: DateTime<Utc>) -> String {
    local_datetime(at).format("%Y-%m-%dT%H:%M").to_string()
}

/// What a person typed into an `<input type="datetime-local">`, read on the Kazakhstan
/// clock, as RFC 3339 for the API; `None` when empty. Anything unreadable is sent as
/// typed, so that the server names the field.
pub fn from_local_input(value: &str) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let parsed = chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
        .ok()
        .and_then(|t| t.and_local_timezone(baqylau_wire::time::almaty()).single());
    Some(parsed.map_or_else(|| value.to_owned(), |t| t.to_rfc3339()))
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

    #[test]
    fn datetime_inputs_are_on_the_kazakhstan_clock() {
        let at: DateTime<Utc> = "2026-12-10T04:00:00Z".parse().unwrap();
        assert_eq!(local_input(at), "2026-12-10T09:00");
        assert_eq!(
            from_local_input("2026-12-10T09:00").as_deref(),
            Some("2026-12-10T09:00:00+05:00")
        );
        assert_eq!(from_local_input(" "), None);
        assert_eq!(from_local_input("soon").as_deref(), Some("soon"));
    }
}
