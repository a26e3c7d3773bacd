//! Signed cursors, checked page requests and pages.
//!
//! A cursor is the keyset position after the last row of a page, serialised as JSON and
//! signed: `1.<payload>.<tag>` in URL-safe base64, where `1` is the format version and the
//! tag is an HMAC-SHA256 (truncated to 96 bits) over the version, the list it belongs to
//! and the payload. Clients cannot forge or edit a position, a cursor of one list is not
//! accepted by another, and every server process that shares the JWT secret reads the
//! cursors of the others. A cursor that fails any of this is 400 `invalid_cursor`.
//! The list name includes the sort (`deputies:-created_at`), so a cursor of one order is
//! refused by another.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::Sha256;

use crate::error::{ApiError, FieldError};

/// Default and largest page sizes (API.md: default 50, max 200).
pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

const VERSION: &str = "1";
const TAG_BYTES: usize = 12;

/// A checked page request: a size and, after the first page, the position to go on from.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRequest<K> {
    pub limit: i64,
    pub after: Option<K>,
    pub include_total: bool,
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

/// Signs and checks cursors. One per application (`AppState::cursors`), derived from the
/// JWT secret under a label of its own, so cursors stay valid across processes and
/// restarts that share the secret.
#[derive(Clone)]
pub struct CursorKey {
    key: [u8; 32],
}

impl std::fmt::Debug for CursorKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CursorKey(<key>)")
    }
}

impl CursorKey {
    /// A key of its own, derived from `secret`, so that a cursor tag can never be
    /// mistaken for (or help forge) a token signature.
    pub fn new(secret: &[u8]) -> CursorKey {
        use sha2::Digest;
        let mut hasher = Sha256::new();
        hasher.update(b"baqylau cursor key v1\0");
        hasher.update(secret);
        CursorKey {
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
        let invalid = invalid_cursor;
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

/// 400 `invalid_cursor`: a cursor is not a value a person typed, it is a broken or
/// forged token (or one of another list or order).
pub fn invalid_cursor() -> ApiError {
    ApiError::bad_request(
        "invalid_cursor",
        "the cursor is not one this server issued for this list; start again without it",
    )
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
    pub fn into_page(self, codec: &CursorKey, list: &str) -> baqylau_wire::common::Page<T>
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

#[cfg(test)]
mod tests {
    use super::*;

    fn codec() -> CursorKey {
        CursorKey::new(b"a secret long enough for the tests")
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
        let other = CursorKey::new(b"another secret, another server").encode("users", &7i64);
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
    fn pages_end_where_the_extra_row_is_missing() {
        let s = Slice::from_rows(vec![5, 4, 3], 2, None, |r| *r);
        assert_eq!((s.items, s.next), (vec![5, 4], Some(4)));
        let s = Slice::from_rows(vec![5, 4], 2, None, |r| *r);
        assert_eq!((s.items.len(), s.next), (2, None));
    }
}
