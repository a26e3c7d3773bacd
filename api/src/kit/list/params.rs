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

/// A time (RFC 3339) or a date, which means the start of that day in Asia/Almaty.
/// Years outside 2000–2100 are refused (see `domain::dates`): chrono overflowed on them,
/// PostgreSQL refused them with a 500 and SQLite compared them as text.
pub fn moment(
    field: &str,
    value: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDateTime> {
    parse_moment(field, value, false, "invalid_parameter", errors)
}

/// [`moment`] for the end of a span: a date means the (exclusive) end of that day.
pub fn moment_end(
    field: &str,
    value: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDateTime> {
    parse_moment(field, value, true, "invalid_parameter", errors)
}

/// [`moment`] for the parameters that took only an RFC 3339 time before the kit
/// (`updated_since` of road maps and territories, `from`/`to` of the audit): their bad
/// value keeps the code `timestamp`, which the contract gave it.
pub fn timestamp(
    field: &str,
    value: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDateTime> {
    parse_moment(field, value, false, "timestamp", errors)
}

/// [`timestamp`] for the end of a span.
pub fn timestamp_end(
    field: &str,
    value: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDateTime> {
    parse_moment(field, value, true, "timestamp", errors)
}

fn parse_moment(
    field: &str,
    value: Option<&str>,
    end: bool,
    code: &str,
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
                code,
                "must be a date (YYYY-MM-DD) or an RFC 3339 time",
            ));
            None
        }
    }
}

/// A comma-separated list of `text_enum!` values (`status=planned,held`), in the order
/// given; one error naming the parameter when any value is not an accepted spelling.
pub fn enum_list<E>(name: &str, raw: Option<&str>, errors: &mut Vec<FieldError>) -> Vec<E>
where
    E: std::str::FromStr<Err = baqylau_wire::UnknownValue>,
{
    let mut values = Vec::new();
    let mut unknown = None;
    for s in raw
        .into_iter()
        .flat_map(|s| s.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        match s.parse::<E>() {
            Ok(v) => values.push(v),
            Err(e) => unknown = Some(e),
        }
    }
    if let Some(e) = unknown {
        errors.push(FieldError::new(
            name,
            "one_of",
            format!("must be among {}", e.expected.join(", ")),
        ));
    }
    values
}

/// One value of a `text_enum!` (`level=regional`); anything else is recorded as `one_of`
/// with the accepted spellings.
pub fn one_of<E>(field: &str, raw: Option<&str>, errors: &mut Vec<FieldError>) -> Option<E>
where
    E: std::str::FromStr<Err = baqylau_wire::UnknownValue>,
{
    match raw?.trim().parse::<E>() {
        Ok(value) => Some(value),
        Err(unknown) => {
            errors.push(FieldError::new(
                field,
                "one_of",
                format!("must be one of {}", unknown.expected.join(", ")),
            ));
            None
        }
    }
}
