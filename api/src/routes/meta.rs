//! Liveness, readiness.

use actix_web::{get, web, HttpResponse};
use baqylau_wire::meta::{Health, HealthStatus};

use crate::config::READY_TIMEOUT;
use crate::db::compat;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(healthz).service(readyz);
    super::metrics::configure(cfg);
}

/// The process is up. Never touches the database.
#[utoipa::path(tag = "meta", responses((status = 200, body = Health)))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health {
        status: HealthStatus::Ok,
        database: None,
        version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}

/// The database answers. 503 while it does not; recovers by itself when it is back.
#[utoipa::path(
    tag = "meta",
    responses(
        (status = 200, body = Health),
        (status = 503, body = Problem, content_type = "application/problem+json", description = "The database is unreachable")
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let db = state.db.clone();
    let backend = db.backend_name().to_owned();
    let ok = web::block(move || {
        let mut conn = db.get_quick(READY_TIMEOUT).ok()?;
        compat::ping(&mut conn).ok()
    })
    .await
    .ok()
    .flatten()
    .is_some();
    let body = Health {
        status: if ok {
            HealthStatus::Ok
        } else {
            HealthStatus::Unavailable
        },
        database: Some(backend),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    if ok {
        Ok(HttpResponse::Ok().json(body))
    } else {
        Err(ApiError::Unavailable)
    }
}
