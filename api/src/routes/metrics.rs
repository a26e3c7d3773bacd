//! `GET /metrics`: Prometheus text exposition of request counts and latencies (by route
//! pattern, never by concrete path, to keep label cardinality bounded), the
//! database pool and the work waiting in the database (`telemetry::backlog`, read
//! here, at scrape time) — for admins and keys with `metrics:read` only.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{get, web, HttpResponse};

use crate::auth::{Caller, Permission};
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(metrics);
}

/// Middleware that counts and times every request.
pub async fn record(
    req: ServiceRequest,
    next: actix_web::middleware::Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().as_str().to_owned();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let res = next.call(req).await?;
    if let Some(state) = state {
        let route = res
            .request()
            .match_pattern()
            .unwrap_or_else(|| "unmatched".to_owned());
        state.metrics.observe(
            &method,
            &route,
            res.status().as_u16(),
            started.elapsed().as_secs_f64(),
        );
    }
    Ok(res)
}

/// Prometheus text format: for admins and keys with `metrics:read` (a scraper sends
/// `X-API-Key`), not for the internet.
#[utoipa::path(
    tag = "meta",
    responses((status = 200, description = "Prometheus text exposition format", content_type = "text/plain")),
    extensions(("x-permission" = json!("metrics.read")))
)]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.authorize(Permission::MetricsRead)?;
    let clock = state.clock.clone();
    let backlog = state
        .db
        .run(move |conn| Ok(crate::telemetry::backlog::read(conn, &clock)?))
        .await?;
    let pool = state.db.pool_state();
    let out = state
        .metrics
        .render(pool.connections, pool.idle_connections, &backlog)
        .map_err(|e| ApiError::Internal(e.into()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(out))
}
