//! Road maps and indicators: thin HTTP handlers over [`crate::roadmaps`] — extract,
//! call one operation, answer.

use actix_web::{get, patch, post, web};
use baqylau_wire::common::Page;
use baqylau_wire::roadmaps::{
    CreateRoadmap, CreateSection, DistrictRanking, Roadmap, RoadmapSort, Section, Summary,
    UpdateRoadmap,
};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{Caller, Permission};
use crate::error::{ApiError, ApiResult, FieldError, Problem};
use crate::extract::{Body, IdempotencyKey, Query, Target};
use crate::kit::idempotent::Idempotent;
use crate::kit::list::{Filters, ListParams, ListQuery};
use crate::kit::respond::Versioned;
use crate::roadmaps::{plan, summary, ROADMAP};
use crate::routes::page;
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    // Fixed paths before `/roadmaps/{id}`, which would otherwise claim them.
    cfg.service(district_ranking)
        .service(super::roadmap_import::template)
        .service(create_roadmap)
        .service(list_roadmaps)
        .service(get_roadmap)
        .service(update_roadmap)
        .service(create_section)
        .service(list_sections)
        .service(roadmap_summary)
        .service(super::roadmap_import::import_rows);
}

/// Creates a road map in `draft`. With `Idempotency-Key`, a retry with the same body
/// returns the original 201.
#[utoipa::path(
    tag = "roadmaps",
    request_body = CreateRoadmap,
    params(IdempotencyKey),
    responses(
        (status = 201, body = Roadmap, headers(("Location" = String), ("ETag" = String))),
    ),
    extensions(("x-permission" = json!("roadmaps.write")))
)]
#[post("/roadmaps")]
pub async fn create_roadmap(
    state: web::Data<AppState>,
    caller: Caller,
    body: Idempotent<CreateRoadmap>,
) -> ApiResult<Versioned<Roadmap>> {
    super::create(&state, caller, body.parse(), plan::Draft).await
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RoadmapListQuery {
    /// Road maps whose years cover this one.
    #[param(minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
    /// The order: `newest` (default) or a key, `-key` for descending.
    #[param(value_type = Option<RoadmapSort>)]
    pub sort: Option<String>,
}

impl Filters for RoadmapListQuery {
    type Checked = Option<i32>;
    fn check(&self, _: &mut Vec<FieldError>) -> Option<i32> {
        self.year
    }
    fn sort(&self) -> Option<&str> {
        self.sort.as_deref()
    }
}

/// Road maps of the caller's territory and of the territories above it, newest first.
#[utoipa::path(
    tag = "roadmaps",
    params(RoadmapListQuery, ListParams),
    responses((status = 200, body = Page<Roadmap>)),
    extensions(("x-permission" = json!("roadmaps.read")))
)]
#[get("/roadmaps")]
pub async fn list_roadmaps(
    state: web::Data<AppState>,
    caller: Caller,
    query: ListQuery<RoadmapListQuery>,
) -> ApiResult<web::Json<Page<Roadmap>>> {
    caller.authorize(Permission::RoadmapsRead)?;
    let request: plan::ListRequest = query.sorted(&state.cursors, ROADMAP)?;
    page(&state, request.name(), move |conn| {
        plan::list(conn, &caller, &request)
    })
    .await
}

/// One road map with `ETag`.
#[utoipa::path(
    tag = "roadmaps",
    params(("id" = i64, Path, description = "Road map id")),
    responses((status = 200, body = Roadmap, headers(("ETag" = String)))),
    extensions(("x-permission" = json!("roadmaps.read")))
)]
#[get("/roadmaps/{id}")]
pub async fn get_roadmap(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<Versioned<Roadmap>> {
    super::read(
        &state,
        caller,
        Permission::RoadmapsRead,
        id.into_inner(),
        |cx, id| plan::get(cx.conn, cx.caller, id),
    )
    .await
}

/// Edits a road map or moves its status (`If-Match`): draft → approved → closed (or
/// back to draft). Approving needs a responsible deputy on every indicator that is not
/// cancelled; otherwise 422 names each one as `indicators[<id>].deputy_id`.
#[utoipa::path(
    tag = "roadmaps",
    params(Target),
    request_body = UpdateRoadmap,
    responses(
        (status = 200, body = Roadmap, headers(("ETag" = String))),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "Not allowed from the current status"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "Every bad field listed; indicators without a responsible deputy on approval"),
    ),
    extensions(("x-permission" = json!("roadmaps.write")))
)]
#[patch("/roadmaps/{id}")]
pub async fn update_roadmap(
    state: web::Data<AppState>,
    caller: Caller,
    target: Target,
    body: Body<UpdateRoadmap>,
) -> ApiResult<Versioned<Roadmap>> {
    super::change(&state, caller, target, body, plan::update).await
}

/// Adds a section (a Bureau member's part) to a road map.
#[utoipa::path(
    tag = "roadmaps",
    params(("id" = i64, Path, description = "Road map id"), IdempotencyKey),
    request_body = CreateSection,
    responses(
        (status = 201, body = Section, headers(("Location" = String))),
    ),
    extensions(("x-permission" = json!("roadmaps.write")))
)]
#[post("/roadmaps/{id}/sections")]
pub async fn create_section(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    body: Idempotent<CreateSection>,
) -> ApiResult<Versioned<Section>> {
    let op = plan::AddSection {
        roadmap_id: id.into_inner(),
    };
    super::create(&state, caller, body.parse(), op).await
}

/// The sections of a road map in order (all of them: a road map has a few dozen).
#[utoipa::path(
    tag = "roadmaps",
    params(("id" = i64, Path, description = "Road map id")),
    responses((status = 200, body = Page<Section>)),
    extensions(("x-permission" = json!("roadmaps.read")))
)]
#[get("/roadmaps/{id}/sections")]
pub async fn list_sections(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Page<Section>>> {
    caller.authorize(Permission::RoadmapsRead)?;
    let id = id.into_inner();
    let items = state
        .db
        .run(move |conn| plan::sections(conn, &caller, id))
        .await?;
    Ok(web::Json(Page {
        items,
        next_cursor: None,
        total: None,
    }))
}

/// The completion of a road map within the caller's territory, computed from its
/// indicators when asked. `planned` counts every indicator that is not cancelled;
/// `percent` = done / planned × 100, one decimal (914 planned, 888 done → 97.2).
/// `weighted_percent` = Σ weight of done indicators / Σ weight of indicators not
/// cancelled × 100, where an indicator without a weight counts as 1; it is `null` when
/// no indicator carries a weight. `overdue` counts indicators neither done nor cancelled
/// whose `due_on` has passed (Asia/Almaty). `by_territory` groups by district (or city
/// of regional significance) of each indicator's territory.
#[utoipa::path(
    tag = "roadmaps",
    params(("id" = i64, Path, description = "Road map id")),
    responses((status = 200, body = Summary)),
    extensions(("x-permission" = json!("roadmaps.read")))
)]
#[get("/roadmaps/{id}/summary")]
pub async fn roadmap_summary(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Summary>> {
    super::read_json(
        &state,
        caller,
        Permission::RoadmapsRead,
        id.into_inner(),
        |cx, id| summary::roadmap(cx.conn, cx.caller, cx.clock, id),
    )
    .await
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RankingQuery {
    #[param(value_type = i32, minimum = 2000, maximum = 2100)]
    pub year: Option<String>,
    /// Rank the districts of this territory's subtree only.
    #[param(value_type = Option<i64>)]
    pub territory_id: Option<String>,
}

impl RankingQuery {
    /// Taken as text and checked after the caller, so that 401/403 come first and
    /// both bad parameters are reported together.
    fn parse(&self) -> ApiResult<(i32, Option<i64>)> {
        let mut errors = Vec::new();
        let year = match self.year.as_deref().map(|y| y.trim().parse::<i32>()) {
            Some(Ok(y)) if (2000..=2100).contains(&y) => y,
            None => {
                errors.push(FieldError::new("year", "required", "is required"));
                0
            }
            _ => {
                errors.push(FieldError::new(
                    "year",
                    "range",
                    crate::domain::dates::RANGE_MESSAGE,
                ));
                0
            }
        };
        let territory = match self
            .territory_id
            .as_deref()
            .map(|t| t.trim().parse::<i64>())
        {
            None => None,
            Some(Ok(t)) if t > 0 => Some(t),
            Some(_) => {
                errors.push(FieldError::new(
                    "territory_id",
                    "invalid_parameter",
                    "must be a positive integer",
                ));
                None
            }
        };
        match errors.is_empty() {
            true => Ok((year, territory)),
            false => Err(ApiError::Validation(errors)),
        }
    }
}

/// Districts ranked by completion (`percent`, as in a road map's summary) over every
/// road map whose years cover `year`, best first, within the caller's territory.
#[utoipa::path(
    tag = "roadmaps",
    params(RankingQuery),
    responses((status = 200, body = DistrictRanking)),
    extensions(("x-permission" = json!("roadmaps.read")))
)]
#[get("/roadmaps/summary")]
pub async fn district_ranking(
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<RankingQuery>,
) -> ApiResult<web::Json<DistrictRanking>> {
    caller.authorize(Permission::RoadmapsRead)?;
    let (year, territory_id) = query.into_inner().parse()?;
    let st = state.clone();
    let r = state
        .db
        .run(move |conn| summary::ranking(conn, &caller, &st.clock, year, territory_id))
        .await?;
    Ok(web::Json(r))
}
