//! The cadre reserve: thin HTTP handlers over [`crate::reserve`].

use actix_web::{get, patch, post, web};
use baqylau_wire::common::Page;
use baqylau_wire::reserve::{Candidate, CandidateStatus, CreateCandidate, UpdateCandidate};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{Caller, Permission};
use crate::error::{ApiResult, FieldError};
use crate::extract::{Body, IdempotencyKey, Target};
use crate::kit::idempotent::Idempotent;
use crate::kit::list::params::one_of;
use crate::kit::list::{Filters, ListParams, ListQuery};
use crate::kit::respond::Versioned;
use crate::reserve;
use crate::routes::page;
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create)
        .service(list)
        .service(get_one)
        .service(update);
}

/// Adds a person to the cadre reserve. With `Idempotency-Key`, a retry with the same
/// body returns the original 201 and id.
#[utoipa::path(
    tag = "reserve",
    operation_id = "create_candidate",
    request_body = CreateCandidate,
    params(IdempotencyKey),
    responses(
        (status = 201, body = Candidate, headers(("Location" = String), ("ETag" = String))),
    ),
    extensions(("x-permission" = json!("reserve.manage")))
)]
#[post("/reserve")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: Idempotent<CreateCandidate>,
) -> ApiResult<Versioned<Candidate>> {
    super::create(&state, caller, body.parse(), reserve::Enlist).await
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReserveQuery {
    #[param(value_type = Option<CandidateStatus>)]
    pub status: Option<String>,
}

/// The reserve in the caller's territory, newest first; IIN and phone masked (the
/// single record shows them to admins and regional staff, audited).
#[utoipa::path(
    tag = "reserve",
    operation_id = "list_candidates",
    params(ReserveQuery, ListParams),
    responses((status = 200, body = Page<Candidate>)),
    extensions(("x-permission" = json!("reserve.manage")))
)]
#[get("/reserve")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: ListQuery<ReserveQuery>,
) -> ApiResult<web::Json<Page<Candidate>>> {
    caller.authorize(Permission::ReserveManage)?;
    const LIST: &str = "reserve";
    let (status, request) = query.one_order(&state.cursors, LIST)?;
    page(&state, LIST.into(), move |conn| {
        reserve::list(conn, &caller, status, &request)
    })
    .await
}

impl Filters for ReserveQuery {
    type Checked = Option<CandidateStatus>;
    fn check(&self, errors: &mut Vec<FieldError>) -> Option<CandidateStatus> {
        one_of("status", self.status.as_deref(), errors)
    }
}

/// One candidate with `ETag`: IIN and phone in full for admins and regional staff (the
/// read is audited), masked for district staff.
#[utoipa::path(
    tag = "reserve",
    operation_id = "get_candidate",
    params(("id" = i64, Path, description = "Candidate id")),
    responses((status = 200, body = Candidate, headers(("ETag" = String)))),
    extensions(("x-permission" = json!("reserve.manage")))
)]
#[get("/reserve/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<Versioned<Candidate>> {
    super::read(
        &state,
        caller,
        Permission::ReserveManage,
        id.into_inner(),
        |cx, id| reserve::get(cx.conn, cx.caller, cx.clock, id),
    )
    .await
}

/// Changes a candidate (`If-Match`); a new status restarts `status_since`.
#[utoipa::path(
    tag = "reserve",
    operation_id = "update_candidate",
    params(Target),
    request_body = UpdateCandidate,
    responses(
        (status = 200, body = Candidate, headers(("ETag" = String))),
    ),
    extensions(("x-permission" = json!("reserve.manage")))
)]
#[patch("/reserve/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    target: Target,
    body: Body<UpdateCandidate>,
) -> ApiResult<Versioned<Candidate>> {
    super::change(&state, caller, target, body, reserve::update).await
}
