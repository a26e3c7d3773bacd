//! Deputies and their assignments: thin HTTP handlers over [`crate::deputies`].

use actix_web::{get, patch, post, web};
use baqylau_wire::common::Page;
use baqylau_wire::deputies::{
    Assignment, AssignmentCoverage, CreateAssignment, CreateDeputy, Deputy, TerritoryDeputies,
    UpdateAssignment, UpdateDeputy,
};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{Caller, Permission};
use crate::deputies::coverage::CoverageQuery;
use crate::deputies::query::{self, DeputyQuery};
use crate::deputies::{self, assignments, coverage};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{Body, IdempotencyKey, Query, Target};
use crate::kit::idempotent::Idempotent;
use crate::kit::list::params;
use crate::kit::list::{ListParams, ListQuery, NoFilters};
use crate::kit::respond::Versioned;
use crate::routes::page;
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    // `/assignments/coverage` before `/assignments/{id}`, which would otherwise claim it.
    cfg.service(get_coverage)
        .service(create)
        .service(list)
        .service(get_deputy)
        .service(update)
        .service(deputy_assignments)
        .service(create_assignment)
        .service(end_assignment)
        .service(territory_deputies);
}

/// Registers a deputy. With `Idempotency-Key`, a retry with the same body returns the
/// original 201 and id.
#[utoipa::path(
    tag = "deputies",
    operation_id = "create_deputy",
    request_body = CreateDeputy,
    params(IdempotencyKey),
    responses(
        (status = 201, body = Deputy, headers(("Location" = String), ("ETag" = String))),
    ),
    extensions(("x-permission" = json!("deputies.write")))
)]
#[post("/deputies")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: Idempotent<CreateDeputy>,
) -> ApiResult<Versioned<Deputy>> {
    super::create(&state, caller, body.parse(), deputies::registry::Register).await
}

/// Deputies whose maslikhat is in the caller's territory or who answer for a territory
/// in it: by level, mandate status and maslikhat subtree, or changed since a time (sync,
/// with tombstones).
#[utoipa::path(
    tag = "deputies",
    operation_id = "list_deputies",
    params(DeputyQuery, ListParams),
    responses((status = 200, body = Page<Deputy>)),
    extensions(("x-permission" = json!("deputies.read")))
)]
#[get("/deputies")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: ListQuery<DeputyQuery>,
) -> ApiResult<web::Json<Page<Deputy>>> {
    caller.authorize(Permission::DeputiesRead)?;
    let req: query::Request = query.sorted(&state.cursors, "deputies")?;
    page(&state, req.name(), move |conn| {
        query::list(conn, &caller, &req)
    })
    .await
}

/// One deputy with `ETag`.
#[utoipa::path(
    tag = "deputies",
    operation_id = "get_deputy",
    params(("id" = i64, Path, description = "Deputy id")),
    responses((status = 200, body = Deputy, headers(("ETag" = String)))),
    extensions(("x-permission" = json!("deputies.read")))
)]
#[get("/deputies/{id}")]
pub async fn get_deputy(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<Versioned<Deputy>> {
    super::read(
        &state,
        caller,
        Permission::DeputiesRead,
        id.into_inner(),
        |cx, id| deputies::get(cx.conn, cx.caller, id),
    )
    .await
}

/// Changes a deputy (`If-Match`). Moving the mandate to `recalled` or `ended` ends the
/// deputy's open assignments on `mandate_status_since` (today when absent).
#[utoipa::path(
    tag = "deputies",
    operation_id = "update_deputy",
    params(Target),
    request_body = UpdateDeputy,
    responses(
        (status = 200, body = Deputy, headers(("ETag" = String))),
    ),
    extensions(("x-permission" = json!("deputies.write")))
)]
#[patch("/deputies/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    target: Target,
    body: Body<UpdateDeputy>,
) -> ApiResult<Versioned<Deputy>> {
    super::change(&state, caller, target, body, deputies::update).await
}

/// A deputy's assignments, newest first, ended ones included.
#[utoipa::path(
    tag = "deputies",
    operation_id = "list_deputy_assignments",
    params(("id" = i64, Path, description = "Deputy id"), ListParams),
    responses((status = 200, body = Page<Assignment>)),
    extensions(("x-permission" = json!("deputies.read")))
)]
#[get("/deputies/{id}/assignments")]
pub async fn deputy_assignments(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    query: ListQuery<NoFilters>,
) -> ApiResult<web::Json<Page<Assignment>>> {
    caller.authorize(Permission::DeputiesRead)?;
    const LIST: &str = "deputy_assignments";
    let ((), request) = query.one_order(&state.cursors, LIST)?;
    let id = id.into_inner();
    page(&state, LIST.into(), move |conn| {
        assignments::of_deputy(conn, &caller, id, &request)
    })
    .await
}

/// Binds a deputy to a rural okrug, town or city territory from `starts_on` to an
/// optional `ends_on`. An overlapping binding of the same deputy to the same territory
/// is 409 `assignment_overlap`.
#[utoipa::path(
    tag = "deputies",
    operation_id = "create_assignment",
    request_body = CreateAssignment,
    params(IdempotencyKey),
    responses(
        (status = 201, body = Assignment, headers(("Location" = String), ("ETag" = String))),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "assignment_overlap, or the key was reused with another body"),
    ),
    extensions(("x-permission" = json!("deputies.write")))
)]
#[post("/assignments")]
pub async fn create_assignment(
    state: web::Data<AppState>,
    caller: Caller,
    body: Idempotent<CreateAssignment>,
) -> ApiResult<Versioned<Assignment>> {
    super::create(&state, caller, body.parse(), assignments::Bind).await
}

/// Ends an open assignment (`If-Match`): the row stays, so history is not rewritten.
#[utoipa::path(
    tag = "deputies",
    operation_id = "end_assignment",
    params(Target),
    request_body = UpdateAssignment,
    responses(
        (status = 200, body = Assignment, headers(("ETag" = String))),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "already_ended"),
    ),
    extensions(("x-permission" = json!("deputies.write")))
)]
#[patch("/assignments/{id}")]
pub async fn end_assignment(
    state: web::Data<AppState>,
    caller: Caller,
    target: Target,
    body: Body<UpdateAssignment>,
) -> ApiResult<Versioned<Assignment>> {
    super::change(&state, caller, target, body, assignments::end).await
}

/// The rural okrugs, towns and city territories of a subtree with no deputy of active
/// mandate assigned on the day (today when `on` is absent).
#[utoipa::path(
    tag = "deputies",
    operation_id = "assignment_coverage",
    params(CoverageQuery),
    responses((status = 200, body = AssignmentCoverage)),
    extensions(("x-permission" = json!("deputies.read")))
)]
#[get("/assignments/coverage")]
pub async fn get_coverage(
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<CoverageQuery>,
) -> ApiResult<web::Json<AssignmentCoverage>> {
    caller.authorize(Permission::DeputiesRead)?;
    let (query, today) = (query.into_inner(), state.clock.today());
    let answer = state
        .db
        .run(move |conn| coverage::coverage(conn, &caller, today, &query))
        .await?;
    Ok(web::Json(answer))
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OnQuery {
    /// The day (`YYYY-MM-DD`); today (Asia/Almaty) when absent.
    #[param(value_type = Option<String>, format = Date)]
    pub on: Option<String>,
}

/// Who answered for a territory on a day (today when `on` is absent).
#[utoipa::path(
    tag = "deputies",
    operation_id = "territory_deputies",
    params(("id" = i64, Path, description = "Territory id"), OnQuery),
    responses((status = 200, body = TerritoryDeputies)),
    extensions(("x-permission" = json!("deputies.read")))
)]
#[get("/territories/{id}/deputies")]
pub async fn territory_deputies(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    query: Query<OnQuery>,
) -> ApiResult<web::Json<TerritoryDeputies>> {
    caller.authorize(Permission::DeputiesRead)?;
    let mut errors = Vec::new();
    let on = params::date("on", query.into_inner().on.as_deref(), &mut errors)
        .unwrap_or(state.clock.today());
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let id = id.into_inner();
    let answer = state
        .db
        .run(move |conn| assignments::on_date(conn, &caller, id, on))
        .await?;
    Ok(web::Json(answer))
}
