//! Request plumbing shared by handlers: body and query errors as problems, `If-Match`,
//! `Idempotency-Key`, pagination.

use actix_web::error::QueryPayloadError;
use actix_web::HttpRequest;

use crate::domain::dates;
use crate::error::{ApiError, FieldError};

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

/// Parses an RFC 3339 timestamp parameter into stored (naive UTC) time; years outside
/// 2000–2100 are refused (see `domain::dates`).
pub fn parse_timestamp(
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

/// A JSON body whose errors wait until the handler asks for it. Handlers check the
/// caller first and read the body second, so an unauthenticated or forbidden caller
/// gets 401/403 — never a validation report about a body they may not send.
pub struct Body<T>(Result<T, ApiError>);

impl<T> Body<T> {
    /// The parsed body, or the problem it had (400, 413, 415, 422).
    pub fn parse(self) -> Result<T, ApiError> {
        self.0
    }
}

impl<T: serde::de::DeserializeOwned + 'static> actix_web::FromRequest for Body<T> {
    type Error = actix_web::Error;
    type Future =
        std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let is_json = req
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<mime::Mime>().ok())
            .is_some_and(|m| m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON));
        let length = req
            .headers()
            .get(actix_web::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let bytes = actix_web::web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if length.is_some_and(|n| n > crate::startup::JSON_LIMIT_BYTES) {
                return Ok(Body(Err(ApiError::PayloadTooLarge(format!(
                    "the body exceeds {} bytes",
                    crate::startup::JSON_LIMIT_BYTES
                )))));
            }
            let bytes = match bytes.await {
                Ok(b) => b,
                Err(_) => {
                    return Ok(Body(Err(ApiError::PayloadTooLarge(format!(
                        "the body exceeds {} bytes",
                        crate::startup::JSON_LIMIT_BYTES
                    )))))
                }
            };
            if !is_json {
                return Ok(Body(Err(ApiError::UnsupportedMediaType(
                    "send the body as application/json".to_owned(),
                ))));
            }
            // PostgreSQL cannot store NUL in text, and no person types one: refuse it
            // here rather than fail at the database.
            if bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000")) {
                return Ok(Body(Err(ApiError::validation(
                    "body",
                    "invalid_characters",
                    "text must not contain NUL characters",
                ))));
            }
            Ok(Body(parse_json(&bytes)))
        })
    }
}

/// Deserialises with the path of the offending field, so that a wrong type is reported
/// against `citizen.iin` rather than "the body".
pub fn parse_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(value) => Ok(value),
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if !inner.is_data() {
                return Err(ApiError::bad_request(
                    "malformed_json",
                    format!(
                        "the body is not valid JSON: {}",
                        strip_position(&inner.to_string())
                    ),
                ));
            }
            let message = strip_position(&inner.to_string());
            let field = match (path.as_str(), message.strip_prefix("missing field `")) {
                (".", Some(rest)) => rest.trim_end_matches('`').to_owned(),
                (p, Some(rest)) => format!("{p}.{}", rest.trim_end_matches('`')),
                (".", None) => "body".to_owned(),
                (p, None) => p.to_owned(),
            };
            let code = if message.starts_with("missing field") {
                "required"
            } else {
                "invalid_type"
            };
            Err(ApiError::Validation(vec![FieldError::new(
                field, code, message,
            )]))
        }
    }
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
