//! Access tokens (JWT, HS256 pinned) and refresh tokens (random, stored hashed,
//! single-use, rotated; reuse revokes the family; a sign-in lives at most 30 days).

use std::path::PathBuf;

use anyhow::Context;
use base64::Engine;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::{Environment, Settings};
use crate::db::schema::refresh_tokens;
use crate::db::{compat, Db, DbConn, DbTarget};
use crate::error::ApiError;

/// Shortest accepted JWT secret, in bytes (HS256 wants at least its 256-bit output).
pub const MIN_SECRET_BYTES: usize = 32;

/// Claims of an access token.
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// The user id.
    pub sub: String,
    pub role: String,
    /// The user's territory binding, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub territory_id: Option<i64>,
    pub iat: i64,
    pub exp: i64,
    /// The sign-in (refresh-token family) the token was issued for. The extractor
    /// refuses the token once that sign-in is revoked — by sign-out, by a detected
    /// refresh-token reuse, or by deactivation — instead of honouring it until `exp`.
    #[serde(default)]
    pub sid: Option<String>,
}

pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
}

impl TokenKeys {
    /// The keys for `secret` (see [`secret`]) with the configured lifetimes.
    pub fn from_settings(settings: &Settings, secret: &str) -> TokenKeys {
        TokenKeys::new(
            secret.as_bytes(),
            Duration::seconds(settings.access_ttl_secs.max(1)),
            Duration::seconds(settings.refresh_ttl_secs.max(1)),
        )
    }

    pub fn new(secret: &[u8], access_ttl: Duration, refresh_ttl: Duration) -> TokenKeys {
        // Pinning the algorithm: a token signed any other way (including `none`) fails.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.validate_exp = true;
        validation.set_required_spec_claims(&["exp", "iat", "sub"]);
        TokenKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            access_ttl,
            refresh_ttl,
        }
    }

    /// An access token of sign-in `session` (its refresh-token family id).
    pub fn issue_access(
        &self,
        user_id: i64,
        role: &str,
        territory_id: Option<i64>,
        session: &str,
    ) -> anyhow::Result<String> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user_id.to_string(),
            role: role.to_owned(),
            territory_id,
            iat: now,
            exp: now + self.access_ttl.num_seconds(),
            sid: Some(session.to_owned()),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .context("signing an access token")
    }

    /// Any failure — bad signature, wrong algorithm, expiry, garbage — is the same 401.
    pub fn verify_access(&self, token: &str) -> Result<Claims, ApiError> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|_| {
                ApiError::Unauthorized("the access token is invalid or expired".to_owned())
            })
    }
}

fn development_secret(target: &DbTarget) -> anyhow::Result<String> {
    let dir = match target {
        DbTarget::Sqlite(path) => path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(|p| p.to_owned())
            .unwrap_or_else(|| PathBuf::from(".")),
        DbTarget::Postgres(_) => PathBuf::from("data"),
    };
    let file = dir.join("jwt-secret");
    if let Ok(existing) = std::fs::read_to_string(&file) {
        let existing = existing.trim().to_owned();
        if existing.len() >= MIN_SECRET_BYTES {
            return Ok(existing);
        }
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let secret = random_token(48);
    std::fs::write(&file, &secret).with_context(|| format!("writing {}", file.display()))?;
    tracing::warn!(file = %file.display(), "generated a development JWT secret; set BAQYLAU_JWT_SECRET in production");
    Ok(secret)
}

/// A URL-safe random string from `bytes` bytes of OS randomness.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// Hex SHA-256. High-entropy secrets (refresh tokens, API keys) need no slow hash.
pub fn sha256_hex(value: &str) -> String {
    hex::encode(Sha256::digest(value.as_bytes()))
}

/// How long a spent refresh token may be presented again and still get a working
/// successor. A mobile client whose response was lost on a bad network retries within
/// seconds, and revoking its whole sign-in for that signs people out at random. Ten
/// seconds covers a retry with backoff; a thief replaying a stolen token later than that
/// still revokes the family.
pub const REFRESH_GRACE_SECS: i64 = 10;

/// The absolute lifetime of a sign-in (OWASP Session Management Cheat Sheet, absolute
/// timeout): after it the person signs in again, however often the tokens were rotated.
/// A stolen refresh token that is kept fresh by rotation dies with it at the latest.
pub const SESSION_MAX_DAYS: i64 = 30;

/// What happened to a presented refresh token.
#[derive(Debug)]
pub enum RefreshOutcome {
    /// Spent now, or retried within the grace window; here is its successor.
    Rotated {
        user_id: i64,
        family_id: String,
        refresh_token: String,
    },
    /// Unknown, expired, revoked, or its sign-in is older than [`SESSION_MAX_DAYS`].
    Invalid,
    /// Already spent: somebody replayed it. The family is now revoked.
    Reused,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
struct StoredRefresh {
    id: i64,
    user_id: i64,
    family_id: String,
    expires_at: NaiveDateTime,
    used_at: Option<NaiveDateTime>,
    revoked_at: Option<NaiveDateTime>,
    family_started_at: NaiveDateTime,
    replaced_by_id: Option<i64>,
}

/// Starts a sign-in: a refresh token in a new family. Returns the family id (the
/// sign-in's access tokens carry it) and the plain token, which is never stored.
pub fn create_refresh(
    conn: &mut DbConn,
    user_id: i64,
    ttl: Duration,
) -> QueryResult<(String, String)> {
    let now = compat::now();
    let family_id = random_token(16);
    let (_, token) = issue_in_family(conn, user_id, &family_id, now, ttl, now)?;
    Ok((family_id, token))
}

/// A token in an existing family. It expires after `ttl` or when the sign-in reaches
/// its absolute lifetime, whichever comes first.
fn issue_in_family(
    conn: &mut DbConn,
    user_id: i64,
    family_id: &str,
    family_started_at: NaiveDateTime,
    ttl: Duration,
    now: NaiveDateTime,
) -> QueryResult<(i64, String)> {
    let token = random_token(32);
    let expires_at = (now + ttl).min(family_started_at + Duration::days(SESSION_MAX_DAYS));
    let id = diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::user_id.eq(user_id),
            refresh_tokens::family_id.eq(family_id),
            refresh_tokens::token_hash.eq(sha256_hex(&token)),
            refresh_tokens::issued_at.eq(now),
            refresh_tokens::expires_at.eq(expires_at),
            refresh_tokens::family_started_at.eq(family_started_at),
        ))
        .returning(refresh_tokens::id)
        .get_result(conn)?;
    Ok((id, token))
}

/// Spends a refresh token and issues its successor. Call inside a write transaction.
///
/// Within [`REFRESH_GRACE_SECS`] of spending, the same token may be presented again (a
/// retry after a lost response). Only hashes are stored, so the first successor cannot
/// be handed out again; instead a sibling is issued in the same family and the first
/// successor is marked spent. That keeps one live token per sign-in, and keeps theft
/// detectable: if the first successor did reach somebody after all, presenting it later
/// is a reuse and revokes the family, the sibling included. A successor that was already
/// used, or any retry after the window, is a reuse too.
pub fn spend_refresh(conn: &mut DbConn, token: &str, ttl: Duration) -> QueryResult<RefreshOutcome> {
    let now = compat::now();
    let hash = sha256_hex(token);
    // A concurrent request for the same token may win the guarded update below between
    // our read and our write; another look sees what it did (it has committed by the
    // time our update returns). Three looks cover a client retrying twice at once.
    for _ in 0..3 {
        let found: Option<StoredRefresh> = refresh_tokens::table
            .filter(refresh_tokens::token_hash.eq(&hash))
            .select(StoredRefresh::as_select())
            .first(conn)
            .optional()?;
        let Some(t) = found else {
            return Ok(RefreshOutcome::Invalid);
        };
        if t.revoked_at.is_some()
            || t.expires_at <= now
            || t.family_started_at + Duration::days(SESSION_MAX_DAYS) <= now
        {
            return Ok(RefreshOutcome::Invalid);
        }
        let spent = match t.used_at {
            // The guard on used_at lets only one of two concurrent refreshes spend it.
            None => diesel::update(
                refresh_tokens::table
                    .filter(refresh_tokens::id.eq(t.id))
                    .filter(refresh_tokens::used_at.is_null()),
            )
            .set(refresh_tokens::used_at.eq(now))
            .execute(conn)?,
            Some(used_at) if now - used_at <= Duration::seconds(REFRESH_GRACE_SECS) => {
                let Some(successor) = t.replaced_by_id else {
                    break;
                };
                // Superseded, not revoked: presenting it later is a reuse.
                diesel::update(
                    refresh_tokens::table
                        .filter(refresh_tokens::id.eq(successor))
                        .filter(refresh_tokens::used_at.is_null())
                        .filter(refresh_tokens::revoked_at.is_null()),
                )
                .set(refresh_tokens::used_at.eq(now))
                .execute(conn)?
            }
            Some(_) => break,
        };
        if spent == 0 {
            continue;
        }
        let (next_id, refresh_token) =
            issue_in_family(conn, t.user_id, &t.family_id, t.family_started_at, ttl, now)?;
        diesel::update(refresh_tokens::table.find(t.id))
            .set(refresh_tokens::replaced_by_id.eq(next_id))
            .execute(conn)?;
        return Ok(RefreshOutcome::Rotated {
            user_id: t.user_id,
            family_id: t.family_id,
            refresh_token,
        });
    }
    let found: Option<String> = refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(&hash))
        .select(refresh_tokens::family_id)
        .first(conn)
        .optional()?;
    if let Some(family_id) = found {
        revoke_family(conn, &family_id)?;
    }
    Ok(RefreshOutcome::Reused)
}

pub fn revoke_family(conn: &mut DbConn, family_id: &str) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(compat::now()))
    .execute(conn)
}

/// Revokes the family of a token (sign-out). Unknown tokens are ignored.
pub fn revoke_by_token(conn: &mut DbConn, token: &str) -> QueryResult<bool> {
    let family: Option<String> = refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(sha256_hex(token)))
        .select(refresh_tokens::family_id)
        .first(conn)
        .optional()?;
    match family {
        Some(f) => revoke_family(conn, &f).map(|_| true),
        None => Ok(false),
    }
}

pub fn revoke_all_for_user(conn: &mut DbConn, user_id: i64) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(compat::now()))
    .execute(conn)
}

/// The signing secret. Production demands a configured secret of at least 32 bytes.
/// Development may generate one and keep it in a file beside the SQLite database so that
/// sessions survive a restart. List cursors (`kit::list::CursorKey`) are signed with a
/// key derived from the same secret, so every process that accepts a token also accepts
/// the cursors of the others.
pub fn secret(settings: &Settings, db: &Db) -> anyhow::Result<String> {
    Ok(match (&settings.jwt_secret, settings.environment) {
        (Some(secret), _) if secret.len() >= MIN_SECRET_BYTES => secret.clone(),
        (Some(_), _) => {
            anyhow::bail!("BAQYLAU_JWT_SECRET must be at least {MIN_SECRET_BYTES} bytes")
        }
        (None, Environment::Production) => anyhow::bail!(
            "BAQYLAU_JWT_SECRET is required in production (at least {MIN_SECRET_BYTES} bytes)"
        ),
        (None, Environment::Development) => development_secret(db.target())?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::new(&[7u8; 32], Duration::seconds(60), Duration::days(1))
    }

    #[test]
    fn access_tokens_round_trip() {
        let k = keys();
        let t = k.issue_access(5, "admin", Some(9), "s").unwrap();
        let c = k.verify_access(&t).unwrap();
        assert_eq!(
            (c.sub.as_str(), c.role.as_str(), c.territory_id),
            ("5", "admin", Some(9))
        );
    }

    #[test]
    fn other_secrets_algorithms_and_expired_tokens_fail() {
        let k = keys();
        let other = TokenKeys::new(&[8u8; 32], Duration::seconds(60), Duration::days(1));
        let t = other.issue_access(5, "admin", None, "s").unwrap();
        assert!(k.verify_access(&t).is_err());

        let expired = TokenKeys::new(&[7u8; 32], Duration::seconds(-10), Duration::days(1));
        let t = expired.issue_access(5, "admin", None, "s").unwrap();
        assert!(k.verify_access(&t).is_err());

        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: "5".into(),
            role: "admin".into(),
            territory_id: None,
            iat: now,
            exp: now + 60,
            sid: None,
        };
        let hs512 = jsonwebtoken::encode(
            &Header::new(Algorithm::HS512),
            &claims,
            &EncodingKey::from_secret(&[7u8; 32]),
        )
        .unwrap();
        assert!(
            k.verify_access(&hs512).is_err(),
            "algorithm is pinned to HS256"
        );
        assert!(k.verify_access("garbage").is_err());
    }
}
