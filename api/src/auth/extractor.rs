//! The [`Caller`] extractor: one credential per request, a person (bearer JWT) or an
//! integration (`X-API-Key`), re-read from the database on every request.

use std::future::Future;
use std::pin::Pin;

use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use baqylau_wire::auth::Role;
use diesel::prelude::*;
use tracing_actix_web::RequestId;

use super::{keys, Caller, Principal, TerritoryScope};
use crate::db::compat;
use crate::db::schema::{api_keys, refresh_tokens, territories, users};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::state::AppState;

enum Credentials {
    Bearer(String),
    ApiKey(String),
}

/// The one credential a request carries. Two of them (a bearer token and a key, or
/// either header twice) are 401 rather than one silently ignored: a client that sends a
/// stale or wrong key next to a valid token would otherwise never learn that the key is
/// bad, and which identity acts would depend on header precedence (API.md, "Auth").
fn credentials(req: &HttpRequest) -> Result<Credentials, ApiError> {
    let headers = req.headers();
    let bearer = headers
        .get_all(actix_web::http::header::AUTHORIZATION)
        .count();
    let keys = headers.get_all("X-API-Key").count();
    if bearer + keys > 1 {
        return Err(ApiError::Unauthorized(
            "send one credential: Authorization: Bearer or X-API-Key, not both".to_owned(),
        ));
    }
    if let Some(value) = headers.get(actix_web::http::header::AUTHORIZATION) {
        let value = value
            .to_str()
            .map_err(|_| ApiError::Unauthorized("malformed Authorization header".to_owned()))?;
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                ApiError::Unauthorized("use Authorization: Bearer <token>".to_owned())
            })?;
        return Ok(Credentials::Bearer(token.to_owned()));
    }
    if let Some(value) = headers.get("X-API-Key") {
        let key = value
            .to_str()
            .map_err(|_| ApiError::Unauthorized("malformed X-API-Key header".to_owned()))?;
        return Ok(Credentials::ApiKey(key.trim().to_owned()));
    }
    Err(ApiError::Unauthorized(
        "sign in (Authorization: Bearer) or send X-API-Key".to_owned(),
    ))
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Caller, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let creds = credentials(req);
        let request_id = req.extensions().get::<RequestId>().map(|id| id.to_string());
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no app state")))?;
            let creds = creds?;
            let mut caller = match creds {
                Credentials::Bearer(token) => {
                    let claims = state.tokens.verify_access(&token)?;
                    let user_id: i64 = claims.sub.parse().map_err(|_| {
                        ApiError::Unauthorized("the access token is invalid".to_owned())
                    })?;
                    // A token that names no sign-in cannot be revoked by signing out.
                    let session = claims.sid.ok_or_else(|| {
                        ApiError::Unauthorized("the access token is invalid".to_owned())
                    })?;
                    state
                        .db
                        .run(move |conn| load_user_caller(conn, user_id, &session))
                        .await?
                }
                Credentials::ApiKey(key) => {
                    state
                        .db
                        .run(move |conn| load_key_caller(conn, &key))
                        .await?
                }
            };
            caller.request_id = request_id;
            Ok(caller)
        })
    }
}

fn territory_scope(
    conn: &mut DbConn,
    territory_id: Option<i64>,
) -> Result<Option<TerritoryScope>, ApiError> {
    let Some(id) = territory_id else {
        return Ok(None);
    };
    let path: String = territories::table
        .find(id)
        .select(territories::path)
        .first(conn)?;
    Ok(Some(TerritoryScope { id, path }))
}

/// The user and the sign-in are re-read on every request (one query), so deactivation,
/// role changes and sign-out take effect at once rather than when the access token
/// expires.
fn load_user_caller(conn: &mut DbConn, user_id: i64, session: &str) -> Result<Caller, ApiError> {
    let row: Option<(String, String, Option<i64>, Option<i64>, bool, bool)> = users::table
        .find(user_id)
        .select((
            users::email,
            users::role,
            users::territory_id,
            users::deputy_id,
            users::active,
            // The sign-in is live while any of its refresh tokens is unrevoked: sign-out,
            // a detected reuse and deactivation revoke them all.
            diesel::dsl::exists(
                refresh_tokens::table
                    .filter(refresh_tokens::family_id.eq(session))
                    .filter(refresh_tokens::user_id.eq(user_id))
                    .filter(refresh_tokens::revoked_at.is_null()),
            ),
        ))
        .first(conn)
        .optional()?;
    let unauthorized =
        || ApiError::Unauthorized("the access token is invalid or expired".to_owned());
    let (email, role, territory_id, deputy_id, active, live) = row.ok_or_else(unauthorized)?;
    if !active || !live {
        return Err(unauthorized());
    }
    // An unknown role is the database disagreeing with this build: a logged 500, not
    // a 401 that would send the person back to a sign-in that cannot help.
    let role: Role = crate::db::enum_column("users", "role", &role)?;
    if role == Role::Deputy && territory_id.is_none() {
        // Accounts made before the rule: unbound, a deputy would register appeals anywhere.
        return Err(ApiError::Forbidden(
            "a deputy account must be bound to a territory; ask an administrator".to_owned(),
        ));
    }
    Ok(Caller {
        principal: Principal::User {
            id: user_id,
            role,
            email,
        },
        territory: territory_scope(conn, territory_id)?,
        deputy_id,
        request_id: None,
    })
}

/// The caller a presented API key stands for (401 when it is invalid or revoked): for
/// `X-API-Key`, and for protocols that carry the key elsewhere (Open311's `api_key`).
pub fn key_caller(conn: &mut DbConn, presented: &str) -> Result<Caller, ApiError> {
    load_key_caller(conn, presented)
}

fn load_key_caller(conn: &mut DbConn, presented: &str) -> Result<Caller, ApiError> {
    let invalid = || ApiError::Unauthorized("the API key is invalid or revoked".to_owned());
    let (prefix, _) = keys::split(presented).ok_or_else(invalid)?;
    let row: Option<(
        i64,
        String,
        String,
        String,
        Option<i64>,
        Option<chrono::NaiveDateTime>,
        Option<chrono::NaiveDateTime>,
        Option<i64>,
    )> = api_keys::table
        .filter(api_keys::prefix.eq(prefix))
        .select((
            api_keys::id,
            api_keys::name,
            api_keys::secret_hash,
            api_keys::scopes,
            api_keys::territory_id,
            api_keys::revoked_at,
            api_keys::last_used_at,
            api_keys::created_by,
        ))
        .first(conn)
        .optional()?;
    let (id, name, secret_hash, scopes, territory_id, revoked_at, last_used_at, created_by) =
        row.ok_or_else(invalid)?;
    if revoked_at.is_some() || !keys::matches(presented, &secret_hash) {
        return Err(invalid());
    }
    // A key answers for the person who made it: while that person is deactivated, the
    // key is suspended too (401) — a departing administrator's keys stop with their
    // account, and an active administrator re-issues what must keep running. Keys made
    // by the command line have no creator.
    if let Some(creator) = created_by {
        let active: bool = users::table
            .find(creator)
            .select(users::active)
            .first(conn)
            .optional()?
            .unwrap_or(false);
        if !active {
            return Err(ApiError::Unauthorized(
                "the API key is suspended: the person who made it is deactivated".to_owned(),
            ));
        }
    }
    let now = compat::now();
    // Record use at most once a minute: a write per request would serialise readers.
    if last_used_at.is_none_or(|t| now - t > chrono::Duration::seconds(60)) {
        diesel::update(api_keys::table.find(id))
            .set(api_keys::last_used_at.eq(now))
            .execute(conn)?;
    }
    Ok(Caller {
        principal: Principal::ApiKey {
            id,
            name,
            scopes: scopes
                .split_whitespace()
                .map(|s| crate::db::enum_column("api_keys", "scopes", s))
                .collect::<QueryResult<_>>()?,
        },
        territory: territory_scope(conn, territory_id)?,
        deputy_id: None,
        request_id: None,
    })
}
