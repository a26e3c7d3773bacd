//! Request plumbing shared by handlers: body and query errors as problems, `If-Match`,
//! `Idempotency-Key`, pagination.

use actix_web::error::{JsonPayloadError, QueryPayloadError};
use actix_web::HttpRequest;

use crate::error::{ApiError, FieldError};

pub fn json_error(err: JsonPayloadError) -> ApiError {
    match err {
        JsonPayloadError::OverflowKnownLength { length, limit } => ApiError::PayloadTooLarge(
            format!("the body is {length} bytes; at most {limit} are accepted"),
        ),
        JsonPayloadError::Overflow { limit } => {
            ApiError::PayloadTooLarge(format!("the body exceeds {limit} bytes"))
        }
        JsonPayloadError::ContentType => {
            ApiError::UnsupportedMediaType("send the body as application/json".to_owned())
        }
        JsonPayloadError::Deserialize(e) if e.is_data() => {
            // Well-formed JSON with a wrong shape: name the field serde complained about.
            ApiError::Validation(vec![FieldError::new(
                field_from_serde_message(&e.to_string()),
                "invalid_type",
                strip_position(&e.to_string()),
            )])
        }
        JsonPayloadError::Deserialize(e) => ApiError::bad_request(
            "malformed_json",
            format!(
                "the body is not valid JSON: {}",
                strip_position(&e.to_string())
            ),
        ),
        other => ApiError::bad_request("malformed_json", format!("cannot read the body: {other}")),
    }
}

pub fn query_error(err: QueryPayloadError) -> ApiError {
    let message = err.to_string();
    ApiError::Validation(vec![FieldError::new(
        field_from_serde_message(&message),
        "invalid_parameter",
        message.replace("Query deserialize error: ", ""),
    )])
}

/// serde names the offending field in messages like "missing field `email`".
fn field_from_serde_message(message: &str) -> String {
    message
        .split('`')
        .nth(1)
        .filter(|f| f.chars().all(|c| c.is_alphanumeric() || c == '_'))
        .unwrap_or("body")
        .to_owned()
}

fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// The version a client claims in `If-Match` (`"3"` or `W/"3"`). Missing → 428.
pub fn if_match_version(req: &HttpRequest) -> Result<i64, ApiError> {
    let raw = req
        .headers()
        .get(actix_web::http::header::IF_MATCH)
        .ok_or(ApiError::PreconditionRequired)?
        .to_str()
        .map_err(|_| ApiError::PreconditionFailed)?
        .trim();
    let raw = raw.strip_prefix("W/").unwrap_or(raw);
    raw.trim_matches('"')
        .parse::<i64>()
        .map_err(|_| ApiError::PreconditionFailed)
}

/// The strong ETag for a version.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// `Idempotency-Key`, if present: any string of at most 200 characters.
pub fn idempotency_key(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get("Idempotency-Key") else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .map_err(|_| ApiError::validation("Idempotency-Key", "invalid", "must be visible ASCII"))?
        .trim();
    if key.is_empty() || key.chars().count() > 200 {
        return Err(ApiError::validation(
            "Idempotency-Key",
            "length",
            "must be 1 to 200 characters long",
        ));
    }
    Ok(Some(key.to_owned()))
}

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

    #[test]
    fn serde_field_names_are_extracted() {
        assert_eq!(
            field_from_serde_message("missing field `email` at line 1 column 2"),
            "email"
        );
        assert_eq!(field_from_serde_message("expected a string"), "body");
    }
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

/// Parses an RFC 3339 timestamp parameter into stored (naive UTC) time.
pub fn parse_timestamp(
    field: &str,
    value: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Option<chrono::NaiveDateTime> {
    let raw = value?;
    match chrono::DateTime::parse_from_rfc3339(raw) {
        Ok(t) => Some(t.naive_utc()),
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
