//! HTTP handlers, one module per capability; each exposes `configure`.

pub mod api_keys;
pub mod appeals;
pub mod audit;
pub mod auth;
pub mod deputies;
pub mod dialogue;
pub mod indicators;
pub mod meta;
pub mod metrics;
pub mod open311;
pub mod ratings;
pub mod receptions;
pub mod reference;
pub mod reserve;
pub mod roadmap_import;
pub mod roadmaps;
pub mod stats;
pub mod territories;
pub mod users;
pub mod webhooks;

use actix_web::{web, HttpResponse};
use serde::Serialize;

use crate::auth::{Caller, Permission};
use crate::error::ApiResult;
use crate::extract::{Body, Target};
use crate::kit::create::Create;
use crate::kit::idempotent::Request;
use crate::kit::op::{Cx, Edit};
use crate::kit::respond::{Shown, Versioned};
use crate::state::AppState;

/// What a creation needs to run on the pool from a handler.
pub trait Runnable:
    Create<Body: Send + 'static, View: Serialize + Send + 'static> + Send + 'static
{
}

impl<C> Runnable for C where
    C: Create<Body: Send + 'static, View: Serialize + Send + 'static> + Send + 'static
{
}

/// The handler of every creation: the permission first (403 before any body problem),
/// then the body (400, 413, 415, 422; read by the handler, which may prepare it, e.g.
/// hash a password off the database thread), then [`crate::kit::create::create`] on a
/// pooled connection; 201 with `Location` (and `ETag` when the resource has a version).
pub async fn create<C: Runnable>(
    state: &AppState,
    caller: Caller,
    request: ApiResult<Request<C::Body>>,
    op: C,
) -> ApiResult<Versioned<C::View>> {
    caller.authorize(C::PERMISSION)?;
    let request = request?;
    let clock = state.clock.clone();
    let made = state
        .db
        .run(move |conn| {
            crate::kit::create::create(&op, &mut Cx::new(conn, &caller, &clock), &request)
        })
        .await?;
    Ok(made.into())
}

/// The handler of every read of one object: the permission, then `op` on a pooled
/// connection; 200 with its `ETag`.
pub async fn read<V>(
    state: &AppState,
    caller: Caller,
    permission: Permission,
    id: i64,
    op: impl FnOnce(&mut Cx, i64) -> ApiResult<V> + Send + 'static,
) -> ApiResult<Versioned<V::Body>>
where
    V: Shown + Send + 'static,
{
    Ok(look(state, caller, permission, id, op).await?.shown())
}

/// [`read`] for what belongs to an object but has no version of its own (a summary, a
/// list under it): 200 with the JSON.
pub async fn read_json<V>(
    state: &AppState,
    caller: Caller,
    permission: Permission,
    id: i64,
    op: impl FnOnce(&mut Cx, i64) -> ApiResult<V> + Send + 'static,
) -> ApiResult<web::Json<V>>
where
    V: Send + 'static,
{
    Ok(web::Json(look(state, caller, permission, id, op).await?))
}

async fn look<V: Send + 'static>(
    state: &AppState,
    caller: Caller,
    permission: Permission,
    id: i64,
    op: impl FnOnce(&mut Cx, i64) -> ApiResult<V> + Send + 'static,
) -> ApiResult<V> {
    caller.authorize(permission)?;
    let clock = state.clock.clone();
    state
        .db
        .run(move |conn| op(&mut Cx::new(conn, &caller, &clock), id))
        .await
}

/// The handler of every change to an object that exists: the target (the path's `{id}`
/// and `If-Match`) and the body go to `op` on a pooled connection. The operation checks
/// them in the order the contract gives: 403, 404, 428, 412, and only then the body's
/// own problems (400, 413, 415, 422), so nobody learns about an object they may not see.
pub async fn change<B, V>(
    state: &AppState,
    caller: Caller,
    target: Target,
    body: Body<B>,
    op: impl FnOnce(&mut Cx, Edit<B>) -> ApiResult<V> + Send + 'static,
) -> ApiResult<Versioned<V::Body>>
where
    B: Send + 'static,
    V: Shown + Send + 'static,
{
    Ok(apply(state, caller, target, body.parse(), op)
        .await?
        .shown())
}

/// [`change`] for a removal (no body): 204.
pub async fn remove(
    state: &AppState,
    caller: Caller,
    target: Target,
    op: impl FnOnce(&mut Cx, Edit<()>) -> ApiResult<()> + Send + 'static,
) -> ApiResult<HttpResponse> {
    apply(state, caller, target, Ok(()), op).await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn apply<B, V>(
    state: &AppState,
    caller: Caller,
    target: Target,
    body: ApiResult<B>,
    op: impl FnOnce(&mut Cx, Edit<B>) -> ApiResult<V> + Send + 'static,
) -> ApiResult<V>
where
    B: Send + 'static,
    V: Send + 'static,
{
    let edit = Edit {
        id: target.id,
        expected: target.expected,
        body,
    };
    let clock = state.clock.clone();
    state
        .db
        .run(move |conn| op(&mut Cx::new(conn, &caller, &clock), edit))
        .await
}

/// A removal handler: the doc comment and the attributes (`#[utoipa::path(..)]`,
/// `#[delete(..)]`) as given, then [`remove`] with the operation.
///
/// ```ignore
/// super::removal! {
///     /// Removes an appeal registered by mistake.
///     #[utoipa::path(tag = "appeals", params(Target), responses((status = 204)))]
///     #[delete("/appeals/{id}")]
///     remove => appeals::remove
/// }
/// ```
macro_rules! removal {
    ($(#[$attr:meta])* $name:ident => $op:path) => {
        $(#[$attr])*
        pub async fn $name(
            state: actix_web::web::Data<crate::state::AppState>,
            caller: crate::auth::Caller,
            target: crate::extract::Target,
        ) -> crate::error::ApiResult<actix_web::HttpResponse> {
            super::remove(&state, caller, target, $op).await
        }
    };
}
pub(crate) use removal;

/// Everything under `/api/v1`.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.configure(auth::configure)
        .configure(users::configure)
        .configure(api_keys::configure)
        .configure(territories::configure)
        .configure(reference::configure)
        .configure(appeals::configure)
        .configure(receptions::configure)
        .configure(dialogue::configure)
        .configure(roadmaps::configure)
        .configure(indicators::configure)
        .configure(deputies::configure)
        .configure(ratings::configure)
        .configure(reserve::configure)
        .configure(webhooks::configure)
        .configure(stats::configure)
        .configure(audit::configure);
}

/// Answers one page of a list: `run` on a pooled connection, the next position signed
/// for the list's `name`. Every list handler ends here.
pub async fn page<T, K>(
    state: &crate::state::AppState,
    name: String,
    run: impl FnOnce(&mut crate::db::DbConn) -> crate::error::ApiResult<crate::kit::list::Slice<T, K>>
        + Send
        + 'static,
) -> crate::error::ApiResult<actix_web::web::Json<baqylau_wire::common::Page<T>>>
where
    T: Send + 'static,
    K: serde::Serialize + Send + 'static,
{
    let slice = state.db.run(run).await?;
    Ok(actix_web::web::Json(slice.into_page(&state.cursors, &name)))
}
