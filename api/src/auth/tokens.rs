//! Access tokens (JWT, HS256 pinned) and refresh tokens (random, stored hashed,
//! single-use, rotated; reuse revokes the family).

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
}

pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
}

impl TokenKeys {
    /// Production demands a configured secret of at least 32 bytes. Development may
    /// generate one and keep it in a file beside the SQLite database so that sessions
    /// survive a restart.
    pub fn from_settings(settings: &Settings, db: &Db) -> anyhow::Result<TokenKeys> {
        let secret = match (&settings.jwt_secret, settings.environment) {
            (Some(secret), _) if secret.len() >= MIN_SECRET_BYTES => secret.clone(),
            (Some(_), _) => {
                anyhow::bail!("BAQYLAU_JWT_SECRET must be at least {MIN_SECRET_BYTES} bytes")
            }
            (None, Environment::Production) => anyhow::bail!(
                "BAQYLAU_JWT_SECRET is required in production (at least {MIN_SECRET_BYTES} bytes)"
            ),
            (None, Environment::Development) => development_secret(db.target())?,
        };
        Ok(TokenKeys::new(
            secret.as_bytes(),
            Duration::seconds(settings.access_ttl_secs.max(1)),
            Duration::seconds(settings.refresh_ttl_secs.max(1)),
        ))
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

    pub fn issue_access(
        &self,
        user_id: i64,
        role: &str,
        territory_id: Option<i64>,
    ) -> anyhow::Result<String> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user_id.to_string(),
            role: role.to_owned(),
            territory_id,
            iat: now,
            exp: now + self.access_ttl.num_seconds(),
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

/// What happened to a presented refresh token.
#[derive(Debug)]
pub enum RefreshOutcome {
    /// Spent now; here is the user and the family to continue.
    Rotated { user_id: i64, family_id: String },
    /// Unknown, expired, or revoked.
    Invalid,
    /// Already spent: somebody replayed it. The family is now revoked.
    Reused,
}

/// Creates a refresh token in `family_id` (a new family when `None`) and returns the
/// plain token, which is never stored.
pub fn create_refresh(
    conn: &mut DbConn,
    user_id: i64,
    family_id: Option<String>,
    ttl: Duration,
) -> QueryResult<String> {
    let token = random_token(32);
    let now = compat::now();
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::user_id.eq(user_id),
            refresh_tokens::family_id.eq(family_id.unwrap_or_else(|| random_token(16))),
            refresh_tokens::token_hash.eq(sha256_hex(&token)),
            refresh_tokens::issued_at.eq(now),
            refresh_tokens::expires_at.eq(now + ttl),
        ))
        .execute(conn)?;
    Ok(token)
}

/// Spends a refresh token. Call inside a write transaction.
pub fn spend_refresh(conn: &mut DbConn, token: &str) -> QueryResult<RefreshOutcome> {
    let now = compat::now();
    let found: Option<(
        i64,
        i64,
        String,
        NaiveDateTime,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
    )> = refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(sha256_hex(token)))
        .select((
            refresh_tokens::id,
            refresh_tokens::user_id,
            refresh_tokens::family_id,
            refresh_tokens::expires_at,
            refresh_tokens::used_at,
            refresh_tokens::revoked_at,
        ))
        .first(conn)
        .optional()?;
    let Some((id, user_id, family_id, expires_at, used_at, revoked_at)) = found else {
        return Ok(RefreshOutcome::Invalid);
    };
    if used_at.is_some() {
        revoke_family(conn, &family_id)?;
        return Ok(RefreshOutcome::Reused);
    }
    if revoked_at.is_some() || expires_at <= now {
        return Ok(RefreshOutcome::Invalid);
    }
    // The guard on used_at makes two concurrent refreshes of one token impossible: the
    // loser changes no row and is treated as a replay.
    let spent = diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::id.eq(id))
            .filter(refresh_tokens::used_at.is_null()),
    )
    .set(refresh_tokens::used_at.eq(now))
    .execute(conn)?;
    if spent == 0 {
        revoke_family(conn, &family_id)?;
        return Ok(RefreshOutcome::Reused);
    }
    Ok(RefreshOutcome::Rotated { user_id, family_id })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::new(&[7u8; 32], Duration::seconds(60), Duration::days(1))
    }

    #[test]
    fn access_tokens_round_trip() {
        let k = keys();
        let t = k.issue_access(5, "admin", Some(9)).unwrap();
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
        let t = other.issue_access(5, "admin", None).unwrap();
        assert!(k.verify_access(&t).is_err());

        let expired = TokenKeys::new(&[7u8; 32], Duration::seconds(-10), Duration::days(1));
        let t = expired.issue_access(5, "admin", None).unwrap();
        assert!(k.verify_access(&t).is_err());

        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: "5".into(),
            role: "admin".into(),
            territory_id: None,
            iat: now,
            exp: now + 60,
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
