//! The days-off table.
//!
//! A day is non-working when it is a Saturday, a Sunday, or listed in `api/data/days_off.csv`
//! ([`DAYS_OFF_CSV`]). The list is data, not code, because the Government (or the Ministry of
//! Labour) moves days off every year by decree and Kurban Ait is announced yearly — see
//! `shared/data/holidays.md`. Only *weekday* days off are listed: for a five-day week a
//! holiday on a weekend matters only through the transfer it causes. So Kurban Ait 2027
//! (estimated Sun 16 May 2027, never transferred) has no row.
//!
//! Rows for 2027 are computed by the rules of Law No. 267 (weekend coincidence → next working
//! day, several in a row added after the block; Orthodox Christmas and Kurban Ait never moved;
//! Constitution Day on 15 March from 2027) and say `computed; no decree known` in `note`:
//! replace them when the 2027 decree and the Kurban Ait date are published.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The embedded days-off table: `date,kind,name_kk,name_ru,name_en,note`.
pub const DAYS_OFF_CSV: &str = include_str!("../../../data/days_off.csv");

/// Why a day is listed: the database's `calendar_days.kind`, declared once in the wire
/// types. The days-off table holds days off only, never `working_day`.
pub use baqylau_wire::reference::DayKind;

/// One row of the days-off table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayOff {
    pub date: NaiveDate,
    pub kind: DayKind,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    /// Where the row comes from (e.g. `8 Mar fell on Sunday`, `computed; no decree known`).
    pub note: Option<String>,
}

/// A malformed days-off table. `line` is the 1-based line in the CSV text.
#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    #[error("days-off CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("days-off CSV line {line}: invalid date {value:?} (expected YYYY-MM-DD)")]
    Date { line: u64, value: String },
    #[error("days-off CSV line {line}: unknown kind {value:?} (holiday, transfer, religious)")]
    Kind { line: u64, value: String },
    #[error("days-off CSV line {line}: column {column} is empty")]
    Empty { line: u64, column: &'static str },
    #[error("days-off CSV line {line}: {date} is listed twice")]
    Duplicate { line: u64, date: NaiveDate },
}

#[derive(Deserialize)]
struct RawDayOff {
    date: String,
    kind: String,
    name_kk: String,
    name_ru: String,
    name_en: String,
    /// Optional column: older tables without it still parse.
    #[serde(default)]
    note: Option<String>,
}

/// Parses a days-off table (see [`DAYS_OFF_CSV`]) into rows sorted by date.
///
/// Rejects unknown kinds, bad dates, empty names and duplicate dates: a duplicate is almost
/// always a copy-paste slip that would hide a missing day.
pub fn parse_days_off(csv_text: &str) -> Result<Vec<DayOff>, CalendarError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(csv_text.as_bytes());
    let headers = reader.headers()?.clone();
    let mut seen = BTreeSet::new();
    let mut days = Vec::new();
    for record in reader.records() {
        let record = record?;
        let line = record.position().map_or(0, csv::Position::line);
        let raw: RawDayOff = record.deserialize(Some(&headers))?;
        let date =
            NaiveDate::parse_from_str(&raw.date, "%Y-%m-%d").map_err(|_| CalendarError::Date {
                line,
                value: raw.date.clone(),
            })?;
        let kind = DayKind::parse(&raw.kind)
            // A weekend day declared working is not a day off; the table has none.
            .filter(|k| *k != DayKind::WorkingDay)
            .ok_or_else(|| CalendarError::Kind {
                line,
                value: raw.kind.clone(),
            })?;
        for (column, value) in [
            ("name_kk", &raw.name_kk),
            ("name_ru", &raw.name_ru),
            ("name_en", &raw.name_en),
        ] {
            if value.is_empty() {
                return Err(CalendarError::Empty { line, column });
            }
        }
        if !seen.insert(date) {
            return Err(CalendarError::Duplicate { line, date });
        }
        days.push(DayOff {
            date,
            kind,
            name_kk: raw.name_kk,
            name_ru: raw.name_ru,
            name_en: raw.name_en,
            note: raw.note.filter(|n| !n.is_empty()),
        });
    }
    days.sort_by_key(|d| d.date);
    Ok(days)
}

#[cfg(test)]
mod tests {
    use chrono::Datelike;

    use super::*;
    use crate::domain::calendar::{is_weekend, WorkingCalendar};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn embedded_rows() -> Vec<DayOff> {
        parse_days_off(DAYS_OFF_CSV).expect("embedded days_off.csv parses")
    }

    fn calendar() -> WorkingCalendar {
        WorkingCalendar::embedded().expect("embedded days_off.csv parses")
    }

    /// Weekday days off of `year` in the embedded table.
    fn weekday_days_off(year: i32) -> Vec<NaiveDate> {
        embedded_rows()
            .into_iter()
            .map(|r| r.date)
            .filter(|date| date.year() == year && !is_weekend(*date))
            .collect()
    }

    fn dates(list: &[&str]) -> Vec<NaiveDate> {
        list.iter().map(|s| d(s)).collect()
    }

    #[test]
    fn days_off_2025_are_exactly_holidays_md_section_5() {
        // holidays.md §5: 1,2,3 Jan; 7 Jan; 10 Mar; 21 Mar; 24,25 Mar; 1 May; 7 May; 9 May;
        // 6 Jun; 7 Jul; 1 Sep; 27 Oct; 16 Dec.
        let expected = dates(&[
            "2025-01-01",
            "2025-01-02",
            "2025-01-03",
            "2025-01-07",
            "2025-03-10",
            "2025-03-21",
            "2025-03-24",
            "2025-03-25",
            "2025-05-01",
            "2025-05-07",
            "2025-05-09",
            "2025-06-06",
            "2025-07-07",
            "2025-09-01",
            "2025-10-27",
            "2025-12-16",
        ]);
        assert_eq!(weekday_days_off(2025), expected);
    }

    #[test]
    fn days_off_2026_are_exactly_holidays_md_section_5() {
        // holidays.md §5: 1,2 Jan; 7 Jan; 9 Mar; 23,24,25 Mar; 1 May; 7 May; 11 May; 27 May;
        // 6 Jul; 26 Oct; 16 Dec. Neither 31 Aug nor 15 Mar (Constitution Day moved, §2).
        let expected = dates(&[
            "2026-01-01",
            "2026-01-02",
            "2026-01-07",
            "2026-03-09",
            "2026-03-23",
            "2026-03-24",
            "2026-03-25",
            "2026-05-01",
            "2026-05-07",
            "2026-05-11",
            "2026-05-27",
            "2026-07-06",
            "2026-10-26",
            "2026-12-16",
        ]);
        assert_eq!(weekday_days_off(2026), expected);
    }

    #[test]
    fn days_off_2027_follow_the_transfer_rules() {
        // 2 Jan Sat → 4 Jan; 15 Mar Constitution Day (new); 21 Mar Sun → 24 Mar after the
        // Nauryz block; 1 May Sat → 3 May; 9 May Sun → 10 May; Kurban Ait Sun 16 May: none.
        let expected = dates(&[
            "2027-01-01",
            "2027-01-04",
            "2027-01-07",
            "2027-03-08",
            "2027-03-15",
            "2027-03-22",
            "2027-03-23",
            "2027-03-24",
            "2027-05-03",
            "2027-05-07",
            "2027-05-10",
            "2027-07-06",
            "2027-10-25",
            "2027-12-16",
        ]);
        assert_eq!(weekday_days_off(2027), expected);
        for row in embedded_rows().iter().filter(|r| r.date.year() == 2027) {
            let note = row.note.as_deref().unwrap_or_default();
            assert!(
                note.starts_with("computed; no decree known"),
                "{}: {note:?}",
                row.date
            );
        }
    }

    #[test]
    fn embedded_table_is_tidy() {
        let rows = embedded_rows();
        assert!(
            rows.iter().all(|r| !is_weekend(r.date)),
            "only weekday rows are needed"
        );
        assert!(rows
            .iter()
            .all(|r| r.date.year() != 2027 || r.note.is_some()));
        // Only Orthodox Christmas and Kurban Ait are religious.
        let religious: Vec<_> = rows
            .iter()
            .filter(|r| r.kind == DayKind::Religious)
            .map(|r| r.date)
            .collect();
        assert_eq!(
            religious,
            dates(&[
                "2025-01-07",
                "2025-06-06",
                "2026-01-07",
                "2026-05-27",
                "2027-01-07"
            ])
        );
        let transfer = rows.iter().find(|r| r.date == d("2026-03-24")).unwrap();
        assert_eq!(transfer.kind, DayKind::Transfer);
        assert_eq!(transfer.name_en, "Nauryz");
        assert_eq!(calendar().covered_years(), 2025..=2027);
    }

    #[test]
    fn a_working_day_is_not_a_day_off() {
        let header = "date,kind,name_kk,name_ru,name_en,note\n";
        let working = format!("{header}2026-01-03,working_day,a,b,c,\n");
        assert!(matches!(
            parse_days_off(&working),
            Err(CalendarError::Kind { .. })
        ));
        let holiday = format!("{header}2026-01-01,holiday,a,b,c,\n");
        assert_eq!(parse_days_off(&holiday).unwrap()[0].kind, DayKind::Holiday);
    }

    #[test]
    fn parse_rejects_malformed_rows() {
        let header = "date,kind,name_kk,name_ru,name_en,note\n";
        let bad_kind = format!("{header}2026-01-01,feast,a,b,c,\n");
        assert!(matches!(
            parse_days_off(&bad_kind),
            Err(CalendarError::Kind { line: 2, .. })
        ));
        let bad_date = format!("{header}2026-02-30,holiday,a,b,c,\n");
        assert!(matches!(
            parse_days_off(&bad_date),
            Err(CalendarError::Date { line: 2, .. })
        ));
        let empty = format!("{header}2026-01-01,holiday,a,,c,\n");
        assert!(matches!(
            parse_days_off(&empty),
            Err(CalendarError::Empty {
                column: "name_ru",
                ..
            })
        ));
        let twice = format!("{header}2026-01-01,holiday,a,b,c,\n2026-01-01,transfer,a,b,c,\n");
        assert!(matches!(
            parse_days_off(&twice),
            Err(CalendarError::Duplicate { line: 3, .. })
        ));
        let missing_column = "date,kind,name_kk,name_ru\n2026-01-01,holiday,a,b\n";
        assert!(matches!(
            parse_days_off(missing_column),
            Err(CalendarError::Csv(_))
        ));
    }

    #[test]
    fn note_column_is_optional() {
        let rows = parse_days_off("date,kind,name_kk,name_ru,name_en\n2026-01-02,holiday,a,b,c\n")
            .unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].note, None);
    }
}
