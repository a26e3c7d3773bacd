//! `Idempotency-Key` records (DECISIONS.md 5): (caller, key) → the request's hash and
//! the created resource, written in the same transaction as the creation, so a retry
//! after a lost response finds either nothing or the finished result.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::db::schema::idempotency_keys;
use crate::db::{compat, DbConn};
use crate::error::ApiError;

/// How long a key is remembered. API.md promises at least 7 days.
pub const RETENTION_DAYS: i64 = 8;

pub enum Lookup {
    /// Never seen (or expired): go ahead.
    Fresh,
    /// The same request was done before: answer with this resource.
    Replay { resource_id: i64, status: i32 },
    /// The key was used for a different request.
    Conflict,
}

/// Secrets a creation's body may carry (a new user's password). They are left out of
/// the hash: the record is kept for days, and an unsalted hash of a password is as good
/// as the password to anyone who can guess it. A retry differing only in them replays.
const SECRET_FIELDS: &[&str] = &["password"];

/// A hash of the request body that ignores formatting and key order (serde_json keeps
/// object keys sorted) and the secrets in [`SECRET_FIELDS`].
pub fn request_hash(body: &serde_json::Value) -> String {
    let mut body = body.clone();
    if let Some(fields) = body.as_object_mut() {
        for secret in SECRET_FIELDS {
            if let Some(value) = fields.get_mut(*secret) {
                *value = serde_json::Value::Null;
            }
        }
    }
    hex::encode(Sha256::digest(body.to_string().as_bytes()))
}

/// One request's use of a key: the record is found by whose key it is (the caller's
/// namespace) and the key, and replays only for the same body hash and kind.
pub struct Claim<'a> {
    pub caller: &'a str,
    pub key: &'a str,
    pub hash: &'a str,
    pub kind: &'a str,
}

/// The key's record at `now` (the operation's clock): expired ones count as never seen.
pub fn lookup(conn: &mut DbConn, now: NaiveDateTime, claim: &Claim<'_>) -> QueryResult<Lookup> {
    let found: Option<(String, String, i64, i32)> = idempotency_keys::table
        .filter(idempotency_keys::caller.eq(claim.caller))
        .filter(idempotency_keys::key.eq(claim.key))
        .filter(idempotency_keys::expires_at.gt(now))
        .select((
            idempotency_keys::request_hash,
            idempotency_keys::resource_kind,
            idempotency_keys::resource_id,
            idempotency_keys::status_code,
        ))
        .first(conn)
        .optional()?;
    Ok(match found {
        None => Lookup::Fresh,
        Some((h, k, id, status)) if h == claim.hash && k == claim.kind => Lookup::Replay {
            resource_id: id,
            status,
        },
        Some(_) => Lookup::Conflict,
    })
}

/// Records the outcome. A unique violation means a concurrent request with the same key
/// won; the caller rolls back and looks again.
pub fn store(
    conn: &mut DbConn,
    now: NaiveDateTime,
    claim: &Claim<'_>,
    resource_id: i64,
) -> Result<(), ApiError> {
    // Expired keys go first (cheap with the expiry index), so an old key can be used
    // again and the table does not grow without bound.
    purge_expired(conn, now)?;
    diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::caller.eq(claim.caller),
            idempotency_keys::key.eq(claim.key),
            idempotency_keys::request_hash.eq(claim.hash),
            // Every keyed request is a creation, answered 201.
            idempotency_keys::status_code.eq(201),
            idempotency_keys::resource_kind.eq(claim.kind),
            idempotency_keys::resource_id.eq(resource_id),
            idempotency_keys::created_at.eq(now),
            idempotency_keys::expires_at.eq(now + Duration::days(RETENTION_DAYS)),
        ))
        .execute(conn)
        .map_err(|e| {
            if compat::is_unique_violation(&e) {
                ApiError::conflict(RACE, "a concurrent request with the same Idempotency-Key")
            } else {
                e.into()
            }
        })?;
    Ok(())
}

/// The code of the transient conflict [`store`] reports; callers retry on it.
pub const RACE: &str = "idempotency_race";

pub fn conflict() -> ApiError {
    ApiError::conflict(
        "idempotency_key_reused",
        "this Idempotency-Key was used with a different request body",
    )
}

/// Removes keys past their retention.
fn purge_expired(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(idempotency_keys::table.filter(idempotency_keys::expires_at.le(now)))
        .execute(conn)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn hash_ignores_key_order_and_whitespace() {
        let a: serde_json::Value = serde_json::from_str(r#"{"a": 1, "b": [1, 2]}"#).unwrap();
        let b: serde_json::Value = serde_json::from_str(r#"{ "b":[1,2],"a":1 }"#).unwrap();
        let c: serde_json::Value = serde_json::from_str(r#"{"a": 2, "b": [1, 2]}"#).unwrap();
        assert_eq!(request_hash(&a), request_hash(&b));
        assert_ne!(request_hash(&a), request_hash(&c));
    }

    #[test]
    fn a_password_never_reaches_the_stored_hash() {
        let user = |email: &str, password: &str| json!({"email": email, "password": password});
        let without = json!({"email": "a@baqylau.kz", "password": null});
        let hash = request_hash(&user("a@baqylau.kz", "correct horse battery"));
        assert_eq!(hash, request_hash(&without));
        assert_eq!(
            hash,
            request_hash(&user("a@baqylau.kz", "another one entirely"))
        );
        assert_ne!(
            hash,
            request_hash(&user("b@baqylau.kz", "correct horse battery"))
        );
    }
}
