//! Mobile receptions: thin HTTP handlers over [`crate::receptions`].

use actix_web::{delete, get, patch, post, put, web, HttpResponse};
use baqylau_wire::appeals::ExportFormat;
use baqylau_wire::common::Page;
use baqylau_wire::receptions::{
    CaptureAppeals, CapturedAppeals, Coverage, CreateReception, ParticipantList, Reception,
    ReceptionSummary, ReceptionTransition, ReplaceParticipants, ReportSheet, UpdateReception,
};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::appeals::export::TABLE;
use crate::auth::{Caller, Permission};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{Body, IdempotencyKey, Query, Target};
use crate::kit::export::{self, File, FileFormat, Lang};
use crate::kit::idempotent::Idempotent;
use crate::kit::list::{ListParams, ListQuery};
use crate::kit::respond::Versioned;
use crate::receptions::coverage::CoverageQuery;
use crate::receptions::query::{self, ReceptionQuery};
use crate::receptions::{self, participants, report};
use crate::routes::page;
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    // `/receptions/coverage` before `/receptions/{id}`, which would otherwise claim it.
    cfg.service(coverage)
        .service(create)
        .service(list)
        .service(get_reception)
        .service(update)
        .service(remove)
        .service(transition)
        .service(get_participants)
        .service(put_participants)
        .service(capture)
        .service(get_report);
}

/// Plans a reception. With `Idempotency-Key`, a retry with the same body returns the
/// original 201 and id.
#[utoipa::path(
    tag = "receptions",
    operation_id = "create_reception",
    request_body = CreateReception,
    params(IdempotencyKey),
    responses(
        (status = 201, body = Reception, headers(("Location" = String), ("ETag" = String))),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "A deputy is booked elsewhere at that time (participant_busy), or the key was reused with another body"),
    ),
    extensions(("x-permission" = json!("receptions.write")))
)]
#[post("/receptions")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: Idempotent<CreateReception>,
) -> ApiResult<Versioned<Reception>> {
    super::create(&state, caller, body.parse(), receptions::plan::Plan).await
}

/// Receptions organised in or visiting the caller's territory: the calendar (`from`,
/// `to`), by status and territory, or changed since a time (sync, with tombstones).
#[utoipa::path(
    tag = "receptions",
    operation_id = "list_receptions",
    params(ReceptionQuery, ListParams),
    responses((status = 200, body = Page<Reception>)),
    extensions(("x-permission" = json!("receptions.read")))
)]
#[get("/receptions")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: ListQuery<ReceptionQuery>,
) -> ApiResult<web::Json<Page<Reception>>> {
    caller.authorize(Permission::ReceptionsRead)?;
    let req: query::Request = query.sorted(&state.cursors, "receptions")?;
    page(&state, req.name(), move |conn| {
        query::list(conn, &caller, &req)
    })
    .await
}

/// One reception with `ETag`.
#[utoipa::path(
    tag = "receptions",
    operation_id = "get_reception",
    params(("id" = i64, Path, description = "Reception id")),
    responses((status = 200, body = Reception, headers(("ETag" = String)))),
    extensions(("x-permission" = json!("receptions.read")))
)]
#[get("/receptions/{id}")]
pub async fn get_reception(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<Versioned<Reception>> {
    super::read(
        &state,
        caller,
        Permission::ReceptionsRead,
        id.into_inner(),
        |cx, id| receptions::get(cx.conn, cx.caller, id),
    )
    .await
}

/// Edits the plan (`If-Match`); dates only while it is planned.
#[utoipa::path(
    tag = "receptions",
    operation_id = "update_reception",
    params(Target),
    request_body = UpdateReception,
    responses(
        (status = 200, body = Reception, headers(("ETag" = String))),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "participant_busy"),
    ),
    extensions(("x-permission" = json!("receptions.write")))
)]
#[patch("/receptions/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    target: Target,
    body: Body<UpdateReception>,
) -> ApiResult<Versioned<Reception>> {
    super::change(&state, caller, target, body, receptions::update).await
}

super::removal! {
    /// Removes a reception or session planned by mistake (`If-Match`): a tombstone for
    /// sync clients (`updated_since`), gone from lists and reads. Refused while appeals name
    /// it (409 `reception_has_appeals`), as they would point to nothing.
    #[utoipa::path(
        tag = "receptions",
        operation_id = "delete_reception",
        params(Target),
        responses(
            (status = 204),
            (status = 409, body = Problem, content_type = "application/problem+json", description = "reception_has_appeals"),
        ),
        extensions(("x-permission" = json!("receptions.write")))
    )]
    #[delete("/receptions/{id}")]
    remove => receptions::remove
}

/// Holds (with `residents_heard` and the `report`), postpones, cancels, or plans again
/// a postponed reception (`If-Match`). Off-graph moves get 409 `invalid_transition`; a
/// reception is held only from its `planned_start` on (422 `held_before_start`).
#[utoipa::path(
    tag = "receptions",
    operation_id = "transition_reception",
    params(Target),
    request_body = ReceptionTransition,
    responses(
        (status = 200, body = Reception, headers(("ETag" = String))),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "Not allowed from the current status, or participant_busy"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "Every bad field listed; held_before_start (planned_start) when held before it starts"),
    ),
    extensions(("x-permission" = json!("receptions.write")))
)]
#[post("/receptions/{id}/transitions")]
pub async fn transition(
    state: web::Data<AppState>,
    caller: Caller,
    target: Target,
    body: Body<ReceptionTransition>,
) -> ApiResult<Versioned<Reception>> {
    super::change(&state, caller, target, body, receptions::transition).await
}

/// Who takes part; the `ETag` is the reception's.
#[utoipa::path(
    tag = "receptions",
    operation_id = "get_reception_participants",
    params(("id" = i64, Path, description = "Reception id")),
    responses((status = 200, body = ParticipantList, headers(("ETag" = String)))),
    extensions(("x-permission" = json!("receptions.read")))
)]
#[get("/receptions/{id}/participants")]
pub async fn get_participants(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<Versioned<ParticipantList>> {
    super::read(
        &state,
        caller,
        Permission::ReceptionsRead,
        id.into_inner(),
        |cx, id| participants::get(cx.conn, cx.caller, id),
    )
    .await
}

/// Replaces the participants (`If-Match` on the reception). A deputy booked into an
/// overlapping reception is 409 `participant_busy`, naming it.
#[utoipa::path(
    tag = "receptions",
    operation_id = "replace_reception_participants",
    params(Target),
    request_body = ReplaceParticipants,
    responses(
        (status = 200, body = ParticipantList, headers(("ETag" = String))),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "participant_busy"),
    ),
    extensions(("x-permission" = json!("receptions.write")))
)]
#[put("/receptions/{id}/participants")]
pub async fn put_participants(
    state: web::Data<AppState>,
    caller: Caller,
    target: Target,
    body: Body<ReplaceParticipants>,
) -> ApiResult<Versioned<ParticipantList>> {
    super::change(&state, caller, target, body, participants::replace).await
}

/// Registers appeals taken on site, all or none, with the channel of the reception's
/// kind (`mobile_reception`, `debate_club`, `public_council`, `business_reception`;
/// `reception_room` for a control commission meeting).
/// Errors name their item (`appeals[3].citizen.iin`). With `Idempotency-Key` a retry
/// returns the same appeals; the same key with another body is 409.
#[utoipa::path(
    tag = "receptions",
    operation_id = "capture_appeals",
    params(("id" = i64, Path, description = "Reception id"), IdempotencyKey),
    request_body = CaptureAppeals,
    responses(
        (status = 201, body = CapturedAppeals),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "reception_closed (cancelled or postponed), or the key was reused with another body"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "Every bad field of every appeal listed"),
    ),
    extensions(("x-permission" = json!("receptions.write")))
)]
#[post("/receptions/{id}/appeals")]
pub async fn capture(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    body: Idempotent<CaptureAppeals>,
) -> ApiResult<HttpResponse> {
    caller.authorize(Permission::ReceptionsWrite)?;
    let request = body.parse()?;
    let (id, st) = (id.into_inner(), state.clone());
    let (captured, _) = state
        .db
        .run(move |conn| receptions::capture(conn, &caller, &st.clock, &st.calendar, id, &request))
        .await?;
    // Personal data of citizens may be in the answer: no cache keeps it.
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(captured))
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// Absent: the report as JSON. `csv` or `xlsx`: a file of `sheet`.
    #[param(value_type = Option<ExportFormat>)]
    pub format: Option<String>,
    /// With `format`: the appeals taken (default) or the protocol of proposals.
    #[param(value_type = Option<ReportSheet>)]
    pub sheet: Option<String>,
}

/// The report: participants, residents heard, the appeals taken with counts per status,
/// the resolved share and the overdue ones; for a session, the topics, the proposals per
/// outcome and the appeals that follow proposals, per status. With `format=csv|xlsx`,
/// the appeals taken (or, with `sheet=proposals`, the protocol) as a spreadsheet
/// (headers in the language of `Accept-Language`).
#[utoipa::path(
    tag = "receptions",
    operation_id = "get_reception_report",
    params(("id" = i64, Path, description = "Reception id"), ReportQuery, Lang),
    responses((status = 200, body = ReceptionSummary, content(
        (ReceptionSummary = "application/json"),
        (String = "text/csv"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    ))),
    extensions(("x-permission" = json!("receptions.read")))
)]
#[get("/receptions/{id}/report")]
pub async fn get_report(
    state: web::Data<AppState>,
    caller: Caller,
    lang: Lang,
    id: web::Path<i64>,
    query: Query<ReportQuery>,
) -> ApiResult<HttpResponse> {
    caller.authorize(Permission::ReceptionsRead)?;
    let (id, today) = (id.into_inner(), state.clock.today());
    let query = query.into_inner();
    let sheet = match query.sheet.as_deref() {
        None => ReportSheet::Appeals,
        Some(raw) => ReportSheet::parse(raw).ok_or_else(|| {
            ApiError::validation(
                "sheet",
                "one_of",
                &format!("must be one of {}", ReportSheet::choices()),
            )
        })?,
    };
    let Some(raw) = query.format else {
        let summary = state
            .db
            .run(move |conn| report::report(conn, &caller, id, today))
            .await?;
        return Ok(HttpResponse::Ok().json(summary));
    };
    let format = FileFormat::parse(Some(&raw))?;
    if sheet == ReportSheet::Proposals {
        let pages = state
            .db
            .run(move |conn| report::protocol_pages(conn, &caller, id))
            .await?;
        return Ok(export::respond(
            state.db.clone(),
            &report::PROTOCOL,
            pages,
            File::new(format, lang, today),
        ));
    }
    let pages = state
        .db
        .run(move |conn| report::export_pages(conn, caller, id, lang, today))
        .await?;
    Ok(export::respond(
        state.db.clone(),
        &TABLE,
        pages,
        File::new(format, lang, today),
    ))
}

/// Settlements and okrugs under `territory_id` with no held reception in the last
/// `months` months (default 6), as of today.
#[utoipa::path(
    tag = "receptions",
    operation_id = "reception_coverage",
    params(CoverageQuery),
    responses((status = 200, body = Coverage)),
    extensions(("x-permission" = json!("receptions.read")))
)]
#[get("/receptions/coverage")]
pub async fn coverage(
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<CoverageQuery>,
) -> ApiResult<web::Json<Coverage>> {
    caller.authorize(Permission::ReceptionsRead)?;
    let (q, st) = (query.into_inner(), state.clone());
    let coverage = state
        .db
        .run(move |conn| receptions::coverage(conn, &caller, &st.clock, &q))
        .await?;
    Ok(web::Json(coverage))
}
