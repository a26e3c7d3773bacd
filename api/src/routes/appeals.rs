//! Appeals: thin HTTP handlers over [`crate::appeals`] — extract, call one operation,
//! answer.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use baqylau_wire::appeals::{Appeal, AppealEvent, CreateAppeal, TransitionRequest, UpdateAppeal};
use baqylau_wire::common::Page;

use crate::appeals::export::{AppealPages, TABLE};
use crate::appeals::query::{self, AppealQuery};
use crate::appeals::{self, KIND};
use crate::auth::{Caller, Permission};
use crate::error::{ApiResult, Problem};
use crate::extract::{Body, IdempotencyKey, Target};
use crate::kit::export::{self, Download, File, FileFormat, Lang};
use crate::kit::idempotent::Idempotent;
use crate::kit::list::{ListParams, ListQuery, NoFilters};
use crate::kit::respond::Versioned;
use crate::routes::page;
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    // `/appeals/export` before `/appeals/{id}`, which would otherwise claim it.
    cfg.service(export_appeals)
        .service(create)
        .service(list)
        .service(get_appeal)
        .service(update)
        .service(transition)
        .service(history)
        .service(remove);
}

/// Registers an appeal. With `Idempotency-Key`, a retry with the same body returns the
/// original 201 and id; the same key with another body is 409.
#[utoipa::path(
    tag = "appeals",
    operation_id = "create_appeal",
    request_body = CreateAppeal,
    params(IdempotencyKey),
    responses(
        (status = 201, body = Appeal, headers(("Location" = String), ("ETag" = String))),
    ),
    extensions(("x-permission" = json!("appeals.write")))
)]
#[post("/appeals")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: Idempotent<CreateAppeal>,
) -> ApiResult<Versioned<Appeal>> {
    let op = appeals::Register {
        calendar: state.calendar.clone(),
    };
    super::create(&state, caller, body.parse(), op).await
}

/// Lists appeals in the caller's territory. IIN, phone and email are masked in lists;
/// the single-appeal view shows them to those who may see them.
#[utoipa::path(
    tag = "appeals",
    params(AppealQuery, ListParams),
    responses(
        (status = 200, body = Page<Appeal>),
        ),
    extensions(("x-permission" = json!("appeals.read")))
)]
#[get("/appeals")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: ListQuery<AppealQuery>,
) -> ApiResult<web::Json<Page<Appeal>>> {
    caller.authorize(Permission::AppealsRead)?;
    let req: query::Request = query.sorted(&state.cursors, LIST)?;
    let st = state.clone();
    page(&state, req.name(), move |conn| {
        query::list(conn, &caller, &st.clock, &req)
    })
    .await
}

/// The list's name in its cursors (`appeals:due`), as before the kit.
const LIST: &str = "appeals";

/// One appeal with `ETag`. Admins, regional staff and the assigned deputy see the
/// citizen's IIN, phone and email in full — and that read is audited; everyone else
/// sees them masked.
#[utoipa::path(
    tag = "appeals",
    params(("id" = i64, Path, description = "Appeal id")),
    responses(
        (status = 200, body = Appeal, headers(("ETag" = String))),
        ),
    extensions(("x-permission" = json!("appeals.read")))
)]
#[get("/appeals/{id}")]
pub async fn get_appeal(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<Versioned<Appeal>> {
    super::read(
        &state,
        caller,
        Permission::AppealsRead,
        id.into_inner(),
        |cx, id| appeals::get(cx.conn, cx.caller, cx.clock, id),
    )
    .await
}

/// Edits an appeal (`If-Match`). An extension sets `extended_due_on` with
/// `extension_reason`, at most 2 months from receipt (APPK art. 76 p. 2).
#[utoipa::path(
    tag = "appeals",
    operation_id = "update_appeal",
    params(Target),
    request_body = UpdateAppeal,
    responses(
        (status = 200, body = Appeal, headers(("ETag" = String))),
    ),
    extensions(("x-permission" = json!("appeals.write")))
)]
#[patch("/appeals/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    target: Target,
    body: Body<UpdateAppeal>,
) -> ApiResult<Versioned<Appeal>> {
    super::change(&state, caller, target, body, appeals::update).await
}

/// Moves an appeal along its lifecycle (`If-Match`). Off-graph moves get 409
/// `invalid_transition` with the allowed targets in `allowed`.
#[utoipa::path(
    tag = "appeals",
    params(Target),
    request_body = TransitionRequest,
    responses(
        (status = 200, body = Appeal, headers(("ETag" = String))),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "Not allowed from the current status"),
    ),
    extensions(("x-permission" = json!("appeals.write")))
)]
#[post("/appeals/{id}/transitions")]
pub async fn transition(
    state: web::Data<AppState>,
    caller: Caller,
    target: Target,
    body: Body<TransitionRequest>,
) -> ApiResult<Versioned<Appeal>> {
    super::change(&state, caller, target, body, appeals::transition).await
}

/// Every change of an appeal, oldest first: who, when, from → to, and the comment.
#[utoipa::path(
    tag = "appeals",
    params(("id" = i64, Path, description = "Appeal id"), ListParams),
    responses(
        (status = 200, body = Page<AppealEvent>),
        ),
    extensions(("x-permission" = json!("appeals.read")))
)]
#[get("/appeals/{id}/history")]
pub async fn history(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    query: ListQuery<NoFilters>,
) -> ApiResult<web::Json<Page<AppealEvent>>> {
    caller.authorize(Permission::AppealsRead)?;
    let id = id.into_inner();
    let name = format!("{KIND}:history:{id}");
    let ((), request) = query.one_order(&state.cursors, &name)?;
    page(&state, name, move |conn| {
        appeals::history(conn, &caller, id, &request)
    })
    .await
}

super::removal! {
    /// Removes an appeal registered by mistake (admin, `If-Match`). It stays as a tombstone
    /// for sync clients (`updated_since`) and in the audit trail.
    #[utoipa::path(
        tag = "appeals",
        params(Target),
        responses(
            (status = 204),
        ),
        extensions(("x-permission" = json!("appeals.delete")))
    )]
    #[delete("/appeals/{id}")]
    remove => appeals::remove
}

/// Exports the appeals the list would show, with the same filters and masking, as CSV
/// (UTF-8 with BOM) or XLSX (typed columns: dates as dates), headers in the language of
/// `Accept-Language` (kk, ru or en).
#[utoipa::path(
    tag = "appeals",
    operation_id = "export",
    params(AppealQuery, ListParams, Lang),
    responses(Download),
    extensions(("x-permission" = json!("appeals.read")))
)]
#[get("/appeals/export")]
pub async fn export_appeals(
    state: web::Data<AppState>,
    caller: Caller,
    lang: Lang,
    query: ListQuery<AppealQuery>,
) -> ApiResult<HttpResponse> {
    caller.authorize(Permission::AppealsRead)?;
    let format = FileFormat::parse(query.filters.format.as_deref())?;
    // Checked like the list (every bad parameter at once); the file is every page.
    let req: query::Request = query.sorted(&state.cursors, LIST)?;
    let today = state.clock.today();
    let pages = AppealPages::new(caller, req.filter, lang, today).in_order(req.order);
    // Problems with the filters are answered before the first byte is sent.
    let pages = state.db.run(move |conn| pages.checked(conn)).await?;
    Ok(export::respond(
        state.db.clone(),
        &TABLE,
        pages,
        File::new(format, lang, today),
    ))
}
