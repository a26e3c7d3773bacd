//! The unsigned cursors and page-size check that lists predating `kit::page` still use
//! (the appeals lists). New lists take `kit::page::PageParams`, whose cursors are signed;
//! this module goes once the appeals move over.

use crate::domain::dates;
use crate::error::FieldError;

/// Page size rules shared by every collection: default 50, at most 200.
pub fn page_limit(limit: Option<i64>, errors: &mut Vec<FieldError>) -> i64 {
    match limit {
        None => 50,
        Some(n) if (1..=200).contains(&n) => n,
        Some(_) => {
            errors.push(FieldError::new(
                "limit",
                "range",
                "must be between 1 and 200",
            ));
            50
        }
    }
}

/// Cursors are opaque to clients; inside they are the last id of the previous page.
pub fn decode_cursor(cursor: Option<&str>, errors: &mut Vec<FieldError>) -> Option<i64> {
    use base64::Engine;
    let raw = cursor?;
    let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(raw)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix("id:").and_then(|n| n.parse::<i64>().ok()));
    if decoded.is_none() {
        errors.push(FieldError::new(
            "cursor",
            "invalid",
            "is not a cursor this server issued",
        ));
    }
    decoded
}

pub fn encode_cursor(last_id: i64) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("id:{last_id}"))
}

/// Trims rows fetched with `limit + 1` to one page and names the next page's cursor
/// (none when the extra row was not there: this is the last page).
pub fn paginate<T>(
    mut rows: Vec<T>,
    limit: i64,
    cursor_of: impl Fn(&T) -> String,
) -> (Vec<T>, Option<String>) {
    let more = rows.len() as i64 > limit;
    rows.truncate(limit.max(0) as usize);
    let next = if more {
        rows.last().map(cursor_of)
    } else {
        None
    };
    (rows, next)
}

/// Sync cursors (`updated_since` mode) walk `(updated_at, id)` in ascending order.
pub fn encode_sync_cursor(updated_at: chrono::NaiveDateTime, id: i64) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!(
        "u:{}:{id}",
        updated_at.and_utc().timestamp_micros()
    ))
}

pub fn decode_sync_cursor(
    cursor: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Option<(chrono::NaiveDateTime, i64)> {
    use base64::Engine;
    let raw = cursor?;
    let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(raw)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| {
            let rest = s.strip_prefix("u:")?;
            let (micros, id) = rest.split_once(':')?;
            let t = chrono::DateTime::from_timestamp_micros(micros.parse().ok()?)?.naive_utc();
            // Change times this server issues are in bounds; a forged cursor could
            // otherwise carry a time the database refuses.
            let t = Some(t).filter(|t| dates::in_bounds(t.date()))?;
            Some((t, id.parse().ok()?))
        });
    if decoded.is_none() {
        errors.push(FieldError::new(
            "cursor",
            "invalid",
            "is not a cursor this server issued",
        ));
    }
    decoded
}

/// Cursors over a text key (e.g. KATO code order).
pub fn encode_key_cursor(key: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("k:{key}"))
}

pub fn decode_key_cursor(cursor: Option<&str>, errors: &mut Vec<FieldError>) -> Option<String> {
    use base64::Engine;
    let raw = cursor?;
    let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(raw)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix("k:").map(str::to_owned));
    if decoded.is_none() {
        errors.push(FieldError::new(
            "cursor",
            "invalid",
            "is not a cursor this server issued",
        ));
    }
    decoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_rejects_garbage() {
        let mut errors = Vec::new();
        assert_eq!(
            decode_cursor(Some(&encode_cursor(42)), &mut errors),
            Some(42)
        );
        assert!(errors.is_empty());
        assert_eq!(decode_cursor(Some("garbage!"), &mut errors), None);
        assert_eq!(errors[0].field, "cursor");
    }

    #[test]
    fn limit_is_bounded() {
        let mut errors = Vec::new();
        assert_eq!(page_limit(None, &mut errors), 50);
        assert_eq!(page_limit(Some(200), &mut errors), 200);
        assert!(errors.is_empty());
        page_limit(Some(0), &mut errors);
        page_limit(Some(201), &mut errors);
        assert_eq!(errors.len(), 2);
    }
}
