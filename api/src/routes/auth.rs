//! Sign-in, refresh, sign-out and the caller.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use baqylau_wire::auth::{CallerKind, LoginRequest, Me, RefreshRequest, TokenResponse};
use diesel::prelude::*;

use crate::auth::{password, throttle, tokens, Caller, Principal};
use crate::db::schema::users;
use crate::db::{compat, DbConn};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Body;
use crate::state::AppState;
use crate::users::find as find_user;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(login)
        .service(refresh)
        .service(logout)
        .service(me);
}

/// Token responses must not be cached anywhere (RFC 6749 section 5.1).
fn tokens_response(body: &TokenResponse) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("Pragma", "no-cache"))
        .json(body)
}

const BAD_LOGIN: &str = "invalid email or password";

/// Signs in with email and password. Unknown emails and wrong passwords get the same
/// answer in about the same time; repeated failures lock the account and the client
/// address for a while (429 with `Retry-After`).
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, body = Problem, content_type = "application/problem+json", description = "Wrong email or password"),
        (status = 429, body = Problem, content_type = "application/problem+json", description = "Too many failures; see Retry-After"),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Body<LoginRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.parse()?;
    validator::Validate::validate(&body)?;
    let ip = crate::auth::client_ip(&req, &state.settings.trusted_proxies);
    let email = body.email.trim().to_lowercase();
    let account_key = throttle::account_key(&email);
    let ip_key = throttle::ip_key(ip);

    // Argon2 takes a noticeable fraction of a second on purpose. It runs on a blocking
    // thread of its own, between two short database steps, so that a burst of sign-ins
    // neither stalls the async workers nor holds pooled connections while hashing.
    let keys = (account_key.clone(), ip_key.clone());
    let found = state
        .db
        .run(move |conn| {
            let attempt = throttle::count_attempt(
                conn,
                &[
                    (&keys.0, throttle::ACCOUNT_MAX_FAILURES),
                    (&keys.1, throttle::IP_MAX_FAILURES),
                ],
                throttle::now(),
            )?;
            if let throttle::Attempt::Refused { retry_after_secs } = attempt {
                return Err(ApiError::RateLimited {
                    retry_after_secs: retry_after_secs as u64,
                });
            }
            let found: Option<(i64, String, bool)> = users::table
                .filter(users::email.eq(&email))
                .select((users::id, users::password_hash, users::active))
                .first(conn)
                .optional()?;
            Ok(found)
        })
        .await?;

    let user_id = web::block(move || match found {
        Some((id, hash, active)) => {
            (password::verify(&body.password, &hash) && active).then_some(id)
        }
        None => {
            password::verify_dummy(&body.password);
            None
        }
    })
    .await
    .map_err(|e| ApiError::Internal(anyhow::anyhow!("password check failed: {e}")))?;

    let Some(user_id) = user_id else {
        // The attempt is already counted.
        tracing::info!(ip = %ip_key, "failed sign-in");
        return Err(ApiError::Unauthorized(BAD_LOGIN.to_owned()));
    };
    let st = state.clone();
    let response = state
        .db
        .run(move |conn| {
            let (session, refresh_token) = compat::write_transaction(conn, |conn| {
                throttle::clear(conn, &account_key)?;
                throttle::refund(conn, &ip_key)?;
                diesel::update(users::table.find(user_id))
                    .set(users::last_login_at.eq(throttle::now()))
                    .execute(conn)?;
                tokens::create_refresh(conn, user_id, st.tokens.refresh_ttl)
            })?;
            token_response(conn, &st, user_id, &session, refresh_token)
        })
        .await?;
    Ok(tokens_response(&response))
}

fn token_response(
    conn: &mut DbConn,
    state: &AppState,
    user_id: i64,
    session: &str,
    refresh_token: String,
) -> ApiResult<TokenResponse> {
    let user = find_user(conn, user_id)?.ok_or(ApiError::NotFound)?;
    let access_token =
        state
            .tokens
            .issue_access(user.id, user.role.as_str(), user.territory_id, session)?;
    Ok(TokenResponse {
        access_token,
        refresh_token,
        token_type: "Bearer".to_owned(),
        expires_in: state.tokens.access_ttl.num_seconds(),
        user,
    })
}

/// Exchanges a refresh token for a new pair. Each refresh token works once; presenting
/// a spent one revokes every token descended from the same sign-in, except for a retry
/// within a few seconds (a lost response), which gets a working pair. A sign-in lasts at
/// most 30 days, however often it is refreshed.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, body = Problem, content_type = "application/problem+json", description = "Unknown, expired, revoked or reused token"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    body: Body<RefreshRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.parse()?;
    validator::Validate::validate(&body)?;
    let st = state.clone();
    let response = state
        .db
        .run(move |conn| {
            let outcome = compat::write_transaction(conn, |conn| {
                let outcome =
                    tokens::spend_refresh(conn, &body.refresh_token, st.tokens.refresh_ttl)?;
                match outcome {
                    tokens::RefreshOutcome::Rotated {
                        user_id,
                        family_id,
                        refresh_token,
                    } => {
                        let active: bool = users::table
                            .find(user_id)
                            .select(users::active)
                            .first(conn)?;
                        if !active {
                            tokens::revoke_family(conn, &family_id)?;
                            return Ok::<_, ApiError>(None);
                        }
                        Ok(Some((user_id, family_id, refresh_token)))
                    }
                    tokens::RefreshOutcome::Reused => {
                        tracing::warn!("refresh token reuse detected; session family revoked");
                        Ok(None)
                    }
                    tokens::RefreshOutcome::Invalid => Ok(None),
                }
            })?;
            match outcome {
                Some((user_id, session, next)) => {
                    token_response(conn, &st, user_id, &session, next)
                }
                None => Err(ApiError::Unauthorized(
                    "the refresh token is invalid, expired or already used".to_owned(),
                )),
            }
        })
        .await?;
    Ok(tokens_response(&response))
}

/// Signs out: revokes the refresh token and every token of its sign-in, access tokens
/// included (they name their sign-in, and the sign-in is checked on every request).
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses((status = 204, description = "Signed out (also for unknown tokens)"))
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    body: Body<RefreshRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.parse()?;
    validator::Validate::validate(&body)?;
    state
        .db
        .run(move |conn| {
            compat::write_transaction(conn, |conn| {
                tokens::revoke_by_token(conn, &body.refresh_token)
            })
            .map_err(ApiError::from)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller: a signed-in person or an API key.
#[utoipa::path(
    tag = "auth",
    responses((status = 200, body = Me), ),
    extensions(("x-permission" = json!("signed_in")))
)]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, caller: Caller) -> ApiResult<web::Json<Me>> {
    let territory_id = caller.territory.as_ref().map(|t| t.id);
    let me = match caller.principal.clone() {
        Principal::User { id, .. } => {
            let user = state.db.run(move |conn| find_user(conn, id)).await?;
            Me {
                kind: CallerKind::User,
                user,
                api_key: None,
                territory_id,
            }
        }
        Principal::ApiKey { id, .. } => {
            let key = state
                .db
                .run(move |conn| crate::api_keys::find(conn, id))
                .await?;
            Me {
                kind: CallerKind::ApiKey,
                user: None,
                api_key: key,
                territory_id,
            }
        }
        // The system principal never arrives over HTTP.
        Principal::System { .. } => {
            return Err(ApiError::Unauthorized("not a person or a key".to_owned()))
        }
    };
    Ok(web::Json(me))
}
