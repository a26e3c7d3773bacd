//! Query-string values every list parses the same way: positive ids, booleans, and
//! dates or times (a date means that day in Asia/Almaty). Taken as text, so that every
//! bad parameter is reported at once with the others.

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::dates;
use crate::error::FieldError;

pub fn int(field: &str, value: Option<&str>, errors: &mut Vec<FieldError>) -> Option<i64> {
    let v = value?.trim();
    match v.parse::<i64>() {
        Ok(n) if n > 0 => Some(n),
        _ => {
            errors.push(FieldError::new(
                field,
                "invalid_parameter",
                "must be a positive integer",
            ));
            None
        }
    }
}

pub fn boolean(field: &str, value: Option<&str>, errors: &mut Vec<FieldError>) -> Option<bool> {
    match value?.trim() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => {
            errors.push(FieldError::new(
                field,
                "invalid_parameter",
                "must be true or false",
            ));
            None
        }
    }
}

/// A calendar date (`YYYY-MM-DD`, years 2000–2100).
pub fn date(field: &str, value: Option<&str>, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let v = value?.trim();
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) if dates::in_bounds(d) => Some(d),
        Ok(_) => {
            errors.push(FieldError::new(field, "range", dates::RANGE_MESSAGE));
            None
        }
        Err(_) => {
            errors.push(FieldError::new(
                field,
                "invalid_parameter",
                "must be a date (YYYY-MM-DD)",
            ));
            None
        }
    }
}

/// A date means that day in Asia/Almaty; `end` makes it the exclusive end of the day.
/// Years outside 2000–2100 are refused (see `domain::dates`): chrono overflowed on them,
/// PostgreSQL refused them with a 500 and SQLite compared them as text.
pub fn moment(
    field: &str,
    value: Option<&str>,
    end: bool,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDateTime> {
    let v = value?.trim();
    let parsed = if let Ok(t) = chrono::DateTime::parse_from_rfc3339(v) {
        Some(dates::bounded_timestamp(t))
    } else if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        let bounded = Some(d).filter(|d| dates::in_bounds(*d));
        Some(bounded.and_then(|d| {
            if end {
                dates::end_of_day(d, baqylau_wire::time::almaty())
            } else {
                dates::start_of_day(d, baqylau_wire::time::almaty())
            }
        }))
    } else {
        None
    };
    match parsed {
        Some(Some(t)) => Some(t),
        Some(None) => {
            errors.push(FieldError::new(field, "range", dates::RANGE_MESSAGE));
            None
        }
        None => {
            errors.push(FieldError::new(
                field,
                "invalid_parameter",
                "must be a date (YYYY-MM-DD) or an RFC 3339 time",
            ));
            None
        }
    }
}

/// Parses an RFC 3339 timestamp parameter into stored (naive UTC) time; years outside
/// 2000–2100 are refused (see `domain::dates`).
pub fn timestamp(
    field: &str,
    value: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Option<chrono::NaiveDateTime> {
    let raw = value?;
    match chrono::DateTime::parse_from_rfc3339(raw) {
        Ok(t) => match dates::bounded_timestamp(t) {
            Some(t) => Some(t),
            None => {
                errors.push(FieldError::new(field, "range", dates::RANGE_MESSAGE));
                None
            }
        },
        Err(_) => {
            errors.push(FieldError::new(
                field,
                "timestamp",
                "must be an RFC 3339 timestamp, e.g. 2026-03-21T09:30:00Z",
            ));
            None
        }
    }
}

/// A comma-separated list of enum values (`status=planned,held`), in the order given;
/// one error naming the parameter when any value is not one of `choices`.
pub fn enum_list<T>(
    name: &str,
    raw: Option<&str>,
    parse: fn(&str) -> Option<T>,
    choices: &str,
    errors: &mut Vec<FieldError>,
) -> Vec<T> {
    let mut values = Vec::new();
    let mut bad = false;
    for s in raw
        .into_iter()
        .flat_map(|s| s.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        match parse(s) {
            Some(v) => values.push(v),
            None => bad = true,
        }
    }
    if bad {
        errors.push(FieldError::new(
            name,
            "one_of",
            format!("must be among {choices}"),
        ));
    }
    values
}
