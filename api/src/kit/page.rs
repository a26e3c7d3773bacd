//! One way to page through any collection: `limit`, an opaque `cursor`, `include_total`.
//!
//! A cursor is the keyset position after the last row of a page, serialised as JSON and
//! signed: `1.<payload>.<tag>` in URL-safe base64, where `1` is the format version and the
//! tag is an HMAC-SHA256 (truncated to 96 bits) over the version, the list it belongs to
//! and the payload. Clients cannot forge or edit a position, a cursor of one list is not
//! accepted by another, and every server process that shares the JWT secret reads the
//! cursors of the others. A cursor that fails any of this is 400 `invalid_cursor`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use utoipa::IntoParams;

use crate::error::{ApiError, FieldError};

/// Default and largest page sizes (API.md: default 50, max 200).
pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

const VERSION: &str = "1";
const TAG_BYTES: usize = 12;

/// The paging part of every list's query string.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page; opaque.
    #[param(pattern = r"^1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$", max_length = 2048)]
    pub cursor: Option<String>,
    /// Add the number of matching items as `total` (costs a count).
    pub include_total: Option<bool>,
}

/// A checked page request: a size and, after the first page, the position to go on from.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRequest<K> {
    pub limit: i64,
    pub after: Option<K>,
    pub include_total: bool,
}

impl PageParams {
    /// Checks the size (recorded in `errors`, like any other bad parameter) and the cursor
    /// (400 at once: it is not a value a person typed, it is a broken or forged token).
    pub fn check<K: DeserializeOwned>(
        &self,
        codec: &CursorCodec,
        list: &str,
        errors: &mut Vec<FieldError>,
    ) -> Result<PageRequest<K>, ApiError> {
        let limit = check_limit(self.limit, DEFAULT_LIMIT, errors);
        let after = match self.cursor.as_deref() {
            None => None,
            Some(raw) => Some(codec.decode(list, raw)?),
        };
        Ok(PageRequest {
            limit,
            after,
            include_total: self.include_total == Some(true),
        })
    }
}

/// A page size of 1–200, `default` when absent; anything else is recorded against `limit`.
pub fn check_limit(limit: Option<i64>, default: i64, errors: &mut Vec<FieldError>) -> i64 {
    match limit {
        None => default,
        Some(n) if (1..=MAX_LIMIT).contains(&n) => n,
        Some(_) => {
            errors.push(FieldError::new(
                "limit",
                "range",
                format!("must be between 1 and {MAX_LIMIT}"),
            ));
            default
        }
    }
}

/// The size and `include_total` of a list whose query struct holds them as text beside
/// its filters (so a bad size is listed in one 422 with every bad filter); the cursor is
/// decoded by the caller once the filters name the list. Problems go to `errors`.
pub fn page_from_text<K>(
    limit: Option<&str>,
    include_total: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> PageRequest<K> {
    // A size that is not a number is out of range, like 0.
    let limit = limit.map(|raw| raw.trim().parse().unwrap_or(0));
    PageRequest {
        limit: check_limit(limit, DEFAULT_LIMIT, errors),
        after: None,
        include_total: crate::kit::params::boolean("include_total", include_total, errors)
            .unwrap_or(false),
    }
}

/// Signs and checks cursors. One per application, keyed from the JWT secret.
#[derive(Clone)]
pub struct CursorCodec {
    key: [u8; 32],
}

impl std::fmt::Debug for CursorCodec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CursorCodec(<key>)")
    }
}

impl CursorCodec {
    /// A key of its own, derived from `secret`, so that a cursor tag can never be
    /// mistaken for (or help forge) a token signature.
    pub fn new(secret: &[u8]) -> CursorCodec {
        use sha2::Digest;
        let mut hasher = Sha256::new();
        hasher.update(b"baqylau cursor key v1\0");
        hasher.update(secret);
        CursorCodec {
            key: hasher.finalize().into(),
        }
    }

    fn tag(&self, list: &str, payload: &str) -> Vec<u8> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes a key of any length");
        mac.update(VERSION.as_bytes());
        mac.update(b"\0");
        mac.update(list.as_bytes());
        mac.update(b"\0");
        mac.update(payload.as_bytes());
        mac.finalize().into_bytes()[..TAG_BYTES].to_vec()
    }

    /// The cursor for the position `key` in the list named `list`.
    pub fn encode<K: Serialize>(&self, list: &str, key: &K) -> String {
        let json = serde_json::to_vec(key).expect("cursor keys are plain data");
        let payload = URL_SAFE_NO_PAD.encode(json);
        let tag = URL_SAFE_NO_PAD.encode(self.tag(list, &payload));
        format!("{VERSION}.{payload}.{tag}")
    }

    /// The position inside a cursor this server issued for `list`; 400 otherwise.
    pub fn decode<K: DeserializeOwned>(&self, list: &str, raw: &str) -> Result<K, ApiError> {
        let invalid = || {
            ApiError::bad_request(
                "invalid_cursor",
                "the cursor is not one this server issued for this list; start again without it",
            )
        };
        let mut parts = raw.split('.');
        let (Some(VERSION), Some(payload), Some(tag), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        let tag = URL_SAFE_NO_PAD.decode(tag).map_err(|_| invalid())?;
        let expected = self.tag(list, payload);
        // Constant time, so the tag cannot be found byte by byte.
        if !bool::from(subtle::ConstantTimeEq::ct_eq(
            tag.as_slice(),
            expected.as_slice(),
        )) {
            return Err(invalid());
        }
        let json = URL_SAFE_NO_PAD.decode(payload).map_err(|_| invalid())?;
        serde_json::from_slice(&json).map_err(|_| invalid())
    }
}

/// One page as an operation returns it: the items, the key to go on after (none on the
/// last page) and, when asked for, the total. The HTTP layer signs the key into a cursor.
#[derive(Debug, Clone, PartialEq)]
pub struct Slice<T, K> {
    pub items: Vec<T>,
    pub next: Option<K>,
    pub total: Option<i64>,
}

impl<T, K> Slice<T, K> {
    /// From rows fetched with `limit + 1`: the extra row only says that more follow.
    pub fn from_rows(
        mut rows: Vec<T>,
        limit: i64,
        total: Option<i64>,
        key_of: impl Fn(&T) -> K,
    ) -> Slice<T, K> {
        let more = rows.len() as i64 > limit;
        rows.truncate(limit.max(0) as usize);
        let next = if more { rows.last().map(&key_of) } else { None };
        Slice {
            items: rows,
            next,
            total,
        }
    }

    pub fn try_map<U, E>(self, f: impl FnMut(T) -> Result<U, E>) -> Result<Slice<U, K>, E> {
        Ok(Slice {
            items: self.items.into_iter().map(f).collect::<Result<_, E>>()?,
            next: self.next,
            total: self.total,
        })
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Slice<U, K> {
        Slice {
            items: self.items.into_iter().map(f).collect(),
            next: self.next,
            total: self.total,
        }
    }

    /// The wire page, with the next key signed for `list`.
    pub fn into_page(self, codec: &CursorCodec, list: &str) -> baqylau_wire::common::Page<T>
    where
        K: Serialize,
    {
        baqylau_wire::common::Page {
            next_cursor: self.next.map(|k| codec.encode(list, &k)),
            items: self.items,
            total: self.total,
        }
    }
}

/// Trims rows fetched with `limit + 1` to one page and names the next page's cursor
/// (none when the extra row was not there: this is the last page).
pub fn split_page<T, K: Serialize>(
    mut rows: Vec<T>,
    request_limit: i64,
    codec: &CursorCodec,
    list: &str,
    key_of: impl Fn(&T) -> K,
) -> (Vec<T>, Option<String>) {
    let more = rows.len() as i64 > request_limit;
    rows.truncate(request_limit.max(0) as usize);
    let next = if more {
        rows.last().map(|last| codec.encode(list, &key_of(last)))
    } else {
        None
    };
    (rows, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codec() -> CursorCodec {
        CursorCodec::new(b"a secret long enough for the tests")
    }

    #[test]
    fn cursors_round_trip_per_list() {
        let c = codec();
        let raw = c.encode("appeals:newest", &(42i64, "x".to_owned()));
        assert!(raw.starts_with("1."));
        let back: (i64, String) = c.decode("appeals:newest", &raw).unwrap();
        assert_eq!(back, (42, "x".to_owned()));
        assert!(
            c.decode::<(i64, String)>("users", &raw).is_err(),
            "another list"
        );
    }

    #[test]
    fn tampered_forged_and_foreign_cursors_are_400() {
        let c = codec();
        let raw = c.encode("users", &7i64);
        let mut parts: Vec<String> = raw.split('.').map(str::to_owned).collect();
        parts[1] = URL_SAFE_NO_PAD.encode(b"8");
        let edited = parts.join(".");
        let other = CursorCodec::new(b"another secret, another server").encode("users", &7i64);
        for bad in [
            edited.as_str(),
            other.as_str(),
            "garbage",
            "1..",
            "2.Nw.AAAA",
            "",
        ] {
            match c.decode::<i64>("users", bad) {
                Err(ApiError::BadRequest { code, .. }) => assert_eq!(code, "invalid_cursor"),
                other => panic!("{bad:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn limits_are_checked_with_the_other_fields() {
        let c = codec();
        let mut errors = Vec::new();
        let p = PageParams {
            limit: Some(0),
            ..Default::default()
        };
        let req: PageRequest<i64> = p.check(&c, "users", &mut errors).unwrap();
        assert_eq!((req.limit, errors.len()), (DEFAULT_LIMIT, 1));
        let p = PageParams {
            limit: Some(200),
            cursor: Some(c.encode("users", &5i64)),
            include_total: Some(true),
        };
        errors.clear();
        let req: PageRequest<i64> = p.check(&c, "users", &mut errors).unwrap();
        assert_eq!(
            req,
            PageRequest {
                limit: 200,
                after: Some(5),
                include_total: true
            }
        );
        assert!(errors.is_empty());
    }

    #[test]
    fn pages_end_where_the_extra_row_is_missing() {
        let c = codec();
        let (rows, next) = split_page(vec![5, 4, 3], 2, &c, "l", |r| *r);
        assert_eq!(rows, [5, 4]);
        assert_eq!(c.decode::<i64>("l", &next.unwrap()).unwrap(), 4);
        let (rows, next) = split_page(vec![5, 4], 2, &c, "l", |r| *r);
        assert_eq!((rows.len(), next), (2, None));
    }
}
