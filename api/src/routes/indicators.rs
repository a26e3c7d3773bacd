//! Indicators of road maps and their progress: thin HTTP handlers over
//! [`crate::roadmaps`] — extract, call one operation, answer.

use actix_web::{get, patch, post, web};
use baqylau_wire::common::Page;
use baqylau_wire::roadmaps::{
    CreateIndicator, CreateProgress, Indicator, Progress, UpdateIndicator,
};

use crate::auth::{Caller, Permission};
use crate::error::{ApiResult, Problem};
use crate::extract::{Body, IdempotencyKey, Target};
use crate::kit::idempotent::Idempotent;
use crate::kit::list::{ListParams, ListQuery, NoFilters};
use crate::kit::respond::Versioned;
use crate::roadmaps::query::IndicatorQueryParams;
use crate::roadmaps::{indicators, progress, query, PROGRESS};
use crate::routes::page;
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_indicator)
        .service(list_indicators)
        .service(get_indicator)
        .service(update_indicator)
        .service(report_progress)
        .service(list_progress);
}

/// Creates an indicator in a section of a road map.
#[utoipa::path(
    tag = "roadmaps",
    request_body = CreateIndicator,
    params(IdempotencyKey),
    responses(
        (status = 201, body = Indicator, headers(("Location" = String), ("ETag" = String))),
    ),
    extensions(("x-permission" = json!("roadmaps.write")))
)]
#[post("/indicators")]
pub async fn create_indicator(
    state: web::Data<AppState>,
    caller: Caller,
    body: Idempotent<CreateIndicator>,
) -> ApiResult<Versioned<Indicator>> {
    super::create(&state, caller, body.parse(), indicators::Plan).await
}

/// Indicators in the caller's territory (a deputy also sees those they are responsible
/// for), newest first; with `updated_since`, oldest change first with tombstones.
#[utoipa::path(
    tag = "roadmaps",
    params(IndicatorQueryParams, ListParams),
    responses((status = 200, body = Page<Indicator>)),
    extensions(("x-permission" = json!("roadmaps.read")))
)]
#[get("/indicators")]
pub async fn list_indicators(
    state: web::Data<AppState>,
    caller: Caller,
    query: ListQuery<IndicatorQueryParams>,
) -> ApiResult<web::Json<Page<Indicator>>> {
    caller.authorize(Permission::RoadmapsRead)?;
    let (req, st): (query::Request, _) =
        (query.sorted(&state.cursors, "indicators")?, state.clone());
    page(&state, req.name(), move |conn| {
        query::list(conn, &caller, &st.clock, &req)
    })
    .await
}

/// One indicator with `ETag`; `overdue` is derived (not done nor cancelled, past `due_on`).
#[utoipa::path(
    tag = "roadmaps",
    params(("id" = i64, Path, description = "Indicator id")),
    responses((status = 200, body = Indicator, headers(("ETag" = String)))),
    extensions(("x-permission" = json!("roadmaps.read")))
)]
#[get("/indicators/{id}")]
pub async fn get_indicator(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<Versioned<Indicator>> {
    super::read(
        &state,
        caller,
        Permission::RoadmapsRead,
        id.into_inner(),
        |cx, id| indicators::get(cx.conn, cx.caller, cx.clock, id),
    )
    .await
}

/// Edits an indicator (`If-Match`). `status` only cancels it (or undoes that, back to
/// `planned`); the other statuses follow from progress updates.
#[utoipa::path(
    tag = "roadmaps",
    params(Target),
    request_body = UpdateIndicator,
    responses(
        (status = 200, body = Indicator, headers(("ETag" = String))),
    ),
    extensions(("x-permission" = json!("roadmaps.write")))
)]
#[patch("/indicators/{id}")]
pub async fn update_indicator(
    state: web::Data<AppState>,
    caller: Caller,
    target: Target,
    body: Body<UpdateIndicator>,
) -> ApiResult<Versioned<Indicator>> {
    super::change(&state, caller, target, body, indicators::update).await
}

/// Reports progress: `done` for an event (true → done, false → not_done), `value` for a
/// quantitative indicator (sets `actual`; in_progress, done once it reaches `target`).
/// Every update is kept. `date` (today when absent) is when the work was done: a later
/// day is 422 `date_in_future`.
#[utoipa::path(
    tag = "roadmaps",
    params(("id" = i64, Path, description = "Indicator id"), IdempotencyKey),
    request_body = CreateProgress,
    responses(
        (status = 201, body = Progress),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "The indicator is cancelled, or the Idempotency-Key was reused with another body"),
    ),
    extensions(("x-permission" = json!("roadmaps.report")))
)]
#[post("/indicators/{id}/progress")]
pub async fn report_progress(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    body: Idempotent<CreateProgress>,
) -> ApiResult<actix_web::HttpResponse> {
    caller.authorize(Permission::ProgressReport)?;
    let request = body.parse()?;
    let (id, st) = (id.into_inner(), state.clone());
    let (p, _) = state
        .db
        .run(move |conn| progress::report(conn, &caller, &st.clock, id, &request))
        .await?;
    Ok(actix_web::HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/indicators/{id}/progress")))
        .json(p))
}

/// The progress updates of an indicator, oldest first.
#[utoipa::path(
    tag = "roadmaps",
    params(("id" = i64, Path, description = "Indicator id"), ListParams),
    responses((status = 200, body = Page<Progress>)),
    extensions(("x-permission" = json!("roadmaps.read")))
)]
#[get("/indicators/{id}/progress")]
pub async fn list_progress(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    query: ListQuery<NoFilters>,
) -> ApiResult<web::Json<Page<Progress>>> {
    caller.authorize(Permission::RoadmapsRead)?;
    let id = id.into_inner();
    let name = format!("{PROGRESS}:{id}");
    let ((), request) = query.one_order(&state.cursors, &name)?;
    page(&state, name, move |conn| {
        progress::list(conn, &caller, id, &request)
    })
    .await
}
