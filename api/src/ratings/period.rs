//! A rating period: one calendar month, written `YYYY-MM`.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use crate::domain::dates;
use crate::error::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The first day of the month.
    pub first: NaiveDate,
    /// The first day of the next month.
    pub next: NaiveDate,
}

impl Period {
    /// Parses `YYYY-MM` (years 2000–2100), recording a problem against `field`.
    pub fn parse(field: &str, raw: &str, errors: &mut Vec<FieldError>) -> Option<Period> {
        let parsed = NaiveDate::parse_from_str(&format!("{}-01", raw.trim()), "%Y-%m-%d")
            .ok()
            .filter(|_| raw.trim().len() == 7);
        match parsed {
            Some(first) if dates::in_bounds(first) => Some(Period::of(first)),
            Some(_) => {
                errors.push(FieldError::new(field, "range", dates::RANGE_MESSAGE));
                None
            }
            None => {
                errors.push(FieldError::new(
                    field,
                    "invalid_parameter",
                    "must be a month, YYYY-MM",
                ));
                None
            }
        }
    }

    /// The month of a day.
    pub fn of(day: NaiveDate) -> Period {
        let first = day.with_day(1).unwrap_or(day);
        let next = first
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(first);
        Period { first, next }
    }

    /// The month before this one.
    pub fn previous(&self) -> Period {
        Period::of(self.first.pred_opt().unwrap_or(self.first))
    }

    pub fn label(&self) -> String {
        self.first.format("%Y-%m").to_string()
    }

    /// Over once its last day has passed in Kazakhstan.
    pub fn is_over(&self, today: NaiveDate) -> bool {
        self.next <= today
    }

    /// The month's bounds as stored (UTC) instants: midnight in Asia/Almaty.
    pub fn instants(&self) -> (NaiveDateTime, NaiveDateTime) {
        let at = |d: NaiveDate| {
            dates::start_of_day(d, baqylau_wire::time::almaty())
                .unwrap_or_else(|| d.and_hms_opt(0, 0, 0).unwrap_or_default())
        };
        (at(self.first), at(self.next))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_and_bound() {
        let mut errors = Vec::new();
        let p = Period::parse("period", "2026-02", &mut errors).unwrap();
        assert_eq!(p.first.to_string(), "2026-02-01");
        assert_eq!(p.next.to_string(), "2026-03-01");
        assert_eq!(p.label(), "2026-02");
        assert_eq!(p.previous().label(), "2026-01");
        assert_eq!(p.previous().previous().label(), "2025-12");
        assert!(p.is_over(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()));
        assert!(!p.is_over(NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()));
        let (from, to) = p.instants();
        assert_eq!(from.to_string(), "2026-01-31 19:00:00");
        assert_eq!(to.to_string(), "2026-02-28 19:00:00");
        assert!(Period::parse("period", "2026-13", &mut errors).is_none());
        assert!(Period::parse("period", "2026-1", &mut errors).is_none());
        assert!(Period::parse("period", "1999-12", &mut errors).is_none());
        let codes: Vec<&str> = errors.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, ["invalid_parameter", "invalid_parameter", "range"]);
    }
}
