//! Request plumbing shared by handlers: body and query errors as problems, `If-Match`,
//! `Idempotency-Key`. Lists are [`crate::kit::list`].

mod spec;

pub use spec::{IdempotencyKey, IfMatch};

use actix_web::error::QueryPayloadError;
use actix_web::HttpRequest;

use crate::error::{ApiError, FieldError};
use crate::kit::write::Expected;

/// A query string actix could not deserialise (handlers that still take `web::Query`).
/// serde_urlencoded rarely names the parameter, so prefer [`Query`], which does.
pub fn query_error(err: QueryPayloadError) -> ApiError {
    let message = err.to_string();
    ApiError::Validation(vec![FieldError::new(
        field_from_serde_message(&message).unwrap_or("query"),
        "invalid_parameter",
        message.replace("Query deserialize error: ", ""),
    )])
}

/// serde names the offending field in messages like "missing field `email`".
fn field_from_serde_message(message: &str) -> Option<&str> {
    message
        .split('`')
        .nth(1)
        .filter(|f| !f.is_empty() && f.chars().all(|c| c.is_alphanumeric() || c == '_'))
}

/// Query parameters, deserialised so that an error names the parameter it is about
/// (`limit`, not "the query"): serde_urlencoded's own messages, such as "invalid digit
/// found in string", do not say which value was wrong.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T> Query<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Query<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: serde::de::DeserializeOwned> actix_web::FromRequest for Query<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(parse_query(req.query_string()).map(Query))
    }
}

/// Deserialises a query string; every failure is a 422 naming the parameter.
pub fn parse_query<T: serde::de::DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let de = serde_urlencoded::Deserializer::new(url::form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        let field = if path == "." {
            field_from_serde_message(&message)
                .unwrap_or("query")
                .to_owned()
        } else {
            path
        };
        ApiError::Validation(vec![FieldError::new(field, "invalid_parameter", message)])
    })
}

fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// The `If-Match` of a change, as an extractor, turned into the version the operation
/// expects. Its problems (428 missing, 412 not a tag) are carried in the [`Expected`], not
/// raised, so that the operation answers 404 for an object outside the caller's reach
/// before it answers 428 or 412 — the order the API promises.
pub struct Precondition(pub Expected);

impl actix_web::FromRequest for Precondition {
    type Error = std::convert::Infallible;
    type Future = std::future::Ready<Result<Precondition, std::convert::Infallible>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(Ok(Precondition(if_match(req))))
    }
}

/// The object a change is about: the path's `{id}` and the version `If-Match` states
/// (carried like [`Precondition`], so that 404 comes before 428 and 412).
pub struct Target {
    pub id: i64,
    pub expected: Expected,
}

impl actix_web::FromRequest for Target {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Target, actix_web::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let id = actix_web::web::Path::<i64>::from_request(req, payload).into_inner();
        std::future::ready(id.map(|id| Target {
            id: id.into_inner(),
            expected: if_match(req),
        }))
    }
}

/// `If-Match` (RFC 9110 §13.1.1) as the version a change expects: missing is
/// [`Expected::Unstated`] (428 where a change needs it); a header that is not a valid `*`
/// or list of entity tags is [`Expected::Malformed`] and matches nothing (412); weak tags
/// are left out, since they never match for a write.
pub fn if_match(req: &HttpRequest) -> Expected {
    let mut values = req
        .headers()
        .get_all(actix_web::http::header::IF_MATCH)
        .peekable();
    if values.peek().is_none() {
        return Expected::Unstated;
    }
    let mut versions = Vec::new();
    let mut any = false;
    for value in values {
        let Some(members) = value.to_str().ok().and_then(split_entity_tags) else {
            return Expected::Malformed;
        };
        for member in members {
            match member {
                EntityTag::Any => any = true,
                EntityTag::Strong(tag) => versions.extend(tag.parse::<i64>().ok()),
                EntityTag::Weak => {}
            }
        }
    }
    if any {
        Expected::Any
    } else {
        Expected::OneOf(versions)
    }
}

enum EntityTag<'a> {
    Any,
    Strong(&'a str),
    Weak,
}

/// Splits `If-Match: "1", W/"2", "3"` into its members; `None` if it is malformed. Tags
/// are quoted and may themselves contain commas, so this walks the value rather than
/// splitting it. A bare number (`If-Match: 3`) is taken as the strong tag `"3"`: earlier
/// versions of this API accepted it and integrations may still send it.
fn split_entity_tags(value: &str) -> Option<Vec<EntityTag<'_>>> {
    let mut members = Vec::new();
    let mut rest = value.trim();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('*') {
            members.push(EntityTag::Any);
            rest = after;
        } else {
            let (weak, quoted) = match rest.strip_prefix("W/") {
                Some(after) => (true, after),
                None => (false, rest),
            };
            let (tag, after) = match quoted.strip_prefix('"') {
                Some(inner) => {
                    let close = inner.find('"')?;
                    (&inner[..close], &inner[close + 1..])
                }
                None if !weak => {
                    let end = quoted.find(',').unwrap_or(quoted.len());
                    let bare = quoted[..end].trim();
                    if bare.is_empty() || !bare.bytes().all(|b| b.is_ascii_digit()) {
                        return None;
                    }
                    (bare, &quoted[end..])
                }
                None => return None,
            };
            members.push(if weak {
                EntityTag::Weak
            } else {
                EntityTag::Strong(tag)
            });
            rest = after;
        }
        rest = rest.trim_start();
        match rest.strip_prefix(',') {
            Some(after) => rest = after.trim_start(),
            None if rest.is_empty() => {}
            None => return None,
        }
    }
    if members.is_empty() {
        return None;
    }
    Some(members)
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
        let content_type = req
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<mime::Mime>().ok());
        let is_json = content_type
            .as_ref()
            .is_some_and(|m| m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON));
        // JSON is UTF-8 (RFC 8259 §8.1). A body declared in another charset would be
        // read as UTF-8 and silently misread, so it is refused instead.
        let other_charset = content_type
            .as_ref()
            .and_then(|m| m.get_param(mime::CHARSET))
            .map(|c| c.as_str().trim_matches('"').to_owned())
            .filter(|c| !c.eq_ignore_ascii_case("utf-8"));
        let length = req
            .headers()
            .get(actix_web::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let bytes = actix_web::web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if length.is_some_and(|n| n > crate::config::JSON_LIMIT_BYTES) {
                return Ok(Body(Err(ApiError::PayloadTooLarge(format!(
                    "the body exceeds {} bytes",
                    crate::config::JSON_LIMIT_BYTES
                )))));
            }
            let bytes = match bytes.await {
                Ok(b) => b,
                Err(_) => {
                    return Ok(Body(Err(ApiError::PayloadTooLarge(format!(
                        "the body exceeds {} bytes",
                        crate::config::JSON_LIMIT_BYTES
                    )))))
                }
            };
            if !is_json {
                return Ok(Body(Err(ApiError::UnsupportedMediaType(
                    "send the body as application/json".to_owned(),
                ))));
            }
            if let Some(charset) = other_charset {
                return Ok(Body(Err(ApiError::UnsupportedMediaType(format!(
                    "the body must be UTF-8, not {charset}"
                )))));
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

/// A list's filters and paging parameters from one query string.
impl<F: serde::de::DeserializeOwned> actix_web::FromRequest for crate::kit::list::ListQuery<F> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &actix_web::HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let query = req.query_string();
        std::future::ready((|| {
            Ok(crate::kit::list::ListQuery {
                filters: parse_query(query)?,
                page: parse_query(query)?,
            })
        })())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn if_match_of(values: &[&str]) -> Expected {
        let mut req = actix_web::test::TestRequest::default();
        for v in values {
            req = req.append_header((actix_web::http::header::IF_MATCH, *v));
        }
        if_match(&req.to_http_request())
    }

    #[test]
    fn if_match_follows_rfc_9110() {
        assert_eq!(if_match_of(&[]), Expected::Unstated);
        assert!(matches!(
            if_match_of(&[]).resolve(1),
            Err(ApiError::PreconditionRequired)
        ));
        let any = if_match_of(&["*"]);
        assert_eq!(any, Expected::Any);
        assert_eq!(any.resolve(42).unwrap(), 42);
        let list = if_match_of(&["\"1\", \"3\""]);
        assert_eq!(list, Expected::OneOf(vec![1, 3]));
        assert_eq!(list.resolve(3).unwrap(), 3);
        assert!(matches!(list.resolve(2), Err(ApiError::PreconditionFailed)));
        // Weak tags never match for a write.
        assert!(if_match_of(&["W/\"3\""]).resolve(3).is_err());
        assert_eq!(if_match_of(&["W/\"3\", \"4\""]), Expected::OneOf(vec![4]));
        // Several header lines form one list.
        assert_eq!(
            if_match_of(&["\"1\"", "\"2\""]),
            Expected::OneOf(vec![1, 2])
        );
        assert_eq!(if_match_of(&["3"]), Expected::version(3));
        for malformed in ["", "\"1", "abc", "\"1\" \"2\"", "W/3"] {
            assert_eq!(
                if_match_of(&[malformed]),
                Expected::Malformed,
                "{malformed:?}"
            );
            assert!(matches!(
                if_match_of(&[malformed]).stated(),
                Err(ApiError::PreconditionFailed)
            ));
        }
    }

    #[test]
    fn query_errors_name_the_parameter() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Params {
            limit: Option<i64>,
            include_total: Option<bool>,
        }
        let field = |query: &str| match parse_query::<Params>(query) {
            Err(ApiError::Validation(errors)) => errors[0].field.clone(),
            other => panic!("{query}: {other:?}"),
        };
        assert_eq!(field("limit=abc"), "limit");
        assert_eq!(field("limit=5&include_total=maybe"), "include_total");
        assert_eq!(field("limit=1&limit=2"), "limit");
        let ok = parse_query::<Params>("limit=5&other=x").unwrap();
        assert_eq!(ok.limit, Some(5));
    }

    #[test]
    fn serde_field_names_are_extracted() {
        assert_eq!(
            field_from_serde_message("missing field `email` at line 1 column 2"),
            Some("email")
        );
        assert_eq!(field_from_serde_message("expected a string"), None);
    }
}
