//! API keys for integrations: thin HTTP handlers over [`crate::api_keys`] (admin only).
//! The secret is shown once, at creation.

use actix_web::{delete, get, post, web, HttpResponse};
use baqylau_wire::auth::{ApiKeyView, CreateApiKey, CreatedApiKey};
use baqylau_wire::common::Page;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api_keys;
use crate::auth::{Caller, Permission};
use crate::error::ApiResult;
use crate::kit::idempotent::Idempotent;
use crate::kit::list::{Filters, ListParams, ListQuery};
use crate::kit::respond::Versioned;
use crate::routes::page;
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_keys).service(create).service(revoke);
}

/// The list's name in its cursors.
const LIST: &str = "api_keys";

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KeyQuery {
    /// Include revoked keys (default false).
    pub include_revoked: Option<bool>,
}

/// Lists API keys, newest first (without secrets).
#[utoipa::path(
    tag = "api-keys",
    params(ListParams, KeyQuery),
    responses((status = 200, body = Page<ApiKeyView>), ),
    extensions(("x-permission" = json!("keys.manage")))
)]
#[get("/api-keys")]
pub async fn list_keys(
    state: web::Data<AppState>,
    caller: Caller,
    query: ListQuery<KeyQuery>,
) -> ApiResult<web::Json<Page<ApiKeyView>>> {
    caller.authorize(Permission::KeysManage)?;
    let (filter, request) = query.one_order(&state.cursors, LIST)?;
    page(&state, LIST.into(), move |conn| {
        api_keys::list(conn, &caller, &filter, &request)
    })
    .await
}

impl Filters for KeyQuery {
    type Checked = api_keys::Filter;
    fn check(&self, _: &mut Vec<crate::error::FieldError>) -> api_keys::Filter {
        api_keys::Filter {
            include_revoked: self.include_revoked == Some(true),
        }
    }
}

/// Creates a key. The response carries the secret — the only time it is shown: the
/// secret is stored only as a hash, so a retry with the same `Idempotency-Key` and body
/// answers 201 with the same key and an empty `secret`.
#[utoipa::path(
    tag = "api-keys",
    operation_id = "create_key",
    request_body = CreateApiKey,
    params(("Idempotency-Key" = Option<String>, Header, description = "Any string up to 200 characters; makes retries safe. A replay answers the same key with `secret` empty")),
    responses((status = 201, body = CreatedApiKey), ),
    extensions(("x-permission" = json!("keys.manage")))
)]
#[post("/api-keys")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: Idempotent<CreateApiKey>,
) -> ApiResult<Versioned<CreatedApiKey>> {
    super::create(&state, caller, body.parse(), api_keys::Mint).await
}

/// Revokes a key at once. Revoking twice is harmless.
#[utoipa::path(
    tag = "api-keys",
    params(("id" = i64, Path, description = "API key id")),
    responses((status = 204), ),
    extensions(("x-permission" = json!("keys.manage")))
)]
#[delete("/api-keys/{id}")]
pub async fn revoke(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    caller.authorize(Permission::KeysManage)?;
    let id = id.into_inner();
    let st = state.clone();
    state
        .db
        .run(move |conn| api_keys::revoke(conn, &caller, &st.clock, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
