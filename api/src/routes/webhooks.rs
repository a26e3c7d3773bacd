//! Webhooks: thin HTTP handlers over [`crate::webhooks`] (admin only). The secret is
//! write-only; deliveries show every attempt.

use actix_web::{delete, get, post, web, HttpResponse};
use baqylau_wire::common::Page;
use baqylau_wire::webhooks::{CreateWebhook, DeliveryView, WebhookView};

use crate::auth::{Caller, Permission};
use crate::error::ApiResult;
use crate::extract::IdempotencyKey;
use crate::kit::idempotent::Idempotent;
use crate::kit::list::{ListParams, ListQuery, NoFilters};
use crate::kit::respond::Versioned;
use crate::routes::page;
use crate::state::AppState;
use crate::webhooks;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(remove)
        .service(deliveries);
}

/// The lists' names in their cursors.
const LIST: &str = "webhooks";
const DELIVERIES: &str = "webhook_deliveries";

/// Lists webhooks, newest first (without secrets).
#[utoipa::path(
    tag = "webhooks",
    operation_id = "list_webhooks",
    params(ListParams),
    responses((status = 200, body = Page<WebhookView>), ),
    extensions(("x-permission" = json!("webhooks.manage")))
)]
#[get("/webhooks")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: ListQuery<NoFilters>,
) -> ApiResult<web::Json<Page<WebhookView>>> {
    caller.authorize(Permission::WebhooksManage)?;
    let ((), request) = query.one_order(&state.cursors, LIST)?;
    page(&state, LIST.into(), move |conn| {
        webhooks::list(conn, &caller, &request)
    })
    .await
}

/// Registers a webhook. Events written from now on that match its types (and
/// territory) are POSTed to its URL, signed with its secret (see the README,
/// "Webhooks": `X-Baqylau-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." +
/// body)>`, `X-Baqylau-Timestamp`).
#[utoipa::path(
    tag = "webhooks",
    operation_id = "create_webhook",
    request_body = CreateWebhook,
    params(IdempotencyKey),
    responses((status = 201, body = WebhookView) ),
    extensions(("x-permission" = json!("webhooks.manage")))
)]
#[post("/webhooks")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: Idempotent<CreateWebhook>,
) -> ApiResult<Versioned<WebhookView>> {
    let allow = state.settings.webhooks.webhook_allow_hosts.clone();
    super::create(&state, caller, body.parse(), webhooks::Register { allow }).await
}

/// Removes a webhook: nothing more is sent to it; its pending deliveries are given up.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "remove_webhook",
    params(("id" = i64, Path, description = "Webhook id")),
    responses((status = 204), ),
    extensions(("x-permission" = json!("webhooks.manage")))
)]
#[delete("/webhooks/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    caller.authorize(Permission::WebhooksManage)?;
    let id = id.into_inner();
    let st = state.clone();
    state
        .db
        .run(move |conn| webhooks::remove(conn, &caller, &st.clock, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A webhook's deliveries, newest first, each with every attempt (status code, error,
/// duration) and, while pending, when the next attempt is due.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "webhook_deliveries",
    params(("id" = i64, Path, description = "Webhook id"), ListParams),
    responses((status = 200, body = Page<DeliveryView>), ),
    extensions(("x-permission" = json!("webhooks.manage")))
)]
#[get("/webhooks/{id}/deliveries")]
pub async fn deliveries(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    query: ListQuery<NoFilters>,
) -> ApiResult<web::Json<Page<DeliveryView>>> {
    caller.authorize(Permission::WebhooksManage)?;
    let (id, ((), request)) = (
        id.into_inner(),
        query.one_order(&state.cursors, DELIVERIES)?,
    );
    page(&state, DELIVERIES.into(), move |conn| {
        webhooks::deliveries(conn, &caller, id, &request)
    })
    .await
}
