//! Territories (KATO): thin HTTP handlers over [`crate::territories`].

use actix_web::{get, patch, post, web};
use baqylau_wire::common::Page;
use baqylau_wire::reference::{CreateTerritory, Territory, TerritoryLevel, UpdateTerritory};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{Caller, Permission};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{Body, IdempotencyKey, Target};
use crate::kit::idempotent::Idempotent;
use crate::kit::list::params::timestamp;
use crate::kit::list::{Filters, ListParams, ListQuery, NoFilters};
use crate::kit::respond::Versioned;
use crate::routes::page;
use crate::state::AppState;
use crate::territories::{self, list};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_territories)
        .service(get_territory)
        .service(children)
        .service(create_territory)
        .service(update_territory);
}

/// The lists' names in their cursors: a position by KATO code means nothing in sync
/// mode, so each mode (and the children of a territory) accepts only its own cursors.
const LIST: &str = "territories";
const SYNC_LIST: &str = "territories:sync";
const CHILDREN_LIST: &str = "territories:children";

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TerritoryQuery {
    /// Direct children of this territory.
    pub parent_id: Option<i64>,
    #[param(value_type = Option<TerritoryLevel>)]
    pub level: Option<String>,
    /// Part of a name (Kazakh or Russian) or the start of a KATO code.
    pub q: Option<String>,
    /// Sync mode: rows changed since this time, oldest first, tombstones included.
    pub updated_since: Option<String>,
}

/// Lists territories: by KATO code, or in sync mode by change time. Reference data:
/// every signed-in caller reads the whole classifier.
#[utoipa::path(
    tag = "reference",
    params(ListParams, TerritoryQuery),
    responses((status = 200, body = Page<Territory>), ),
    extensions(("x-permission" = json!("reference.read")))
)]
#[get("/territories")]
pub async fn list_territories(
    state: web::Data<AppState>,
    caller: Caller,
    query: ListQuery<TerritoryQuery>,
) -> ApiResult<web::Json<Page<Territory>>> {
    caller.authorize(Permission::ReferenceRead)?;
    // The mode follows the parameter as given, so a bad `updated_since` never falls back
    // to the other list and its cursors.
    if query.filters.updated_since.is_none() {
        let ((filter, _), request) = query.one_order(&state.cursors, LIST)?;
        return page(&state, LIST.into(), move |conn| {
            list::list(conn, &caller, &filter, &request)
        })
        .await;
    }
    let ((filter, since), request) = query.one_order(&state.cursors, SYNC_LIST)?;
    let since = since.ok_or_else(|| {
        ApiError::validation(
            "updated_since",
            "invalid_parameter",
            "required in sync mode",
        )
    })?;
    page(&state, SYNC_LIST.into(), move |conn| {
        list::changed_since(conn, &caller, since, &filter, &request)
    })
    .await
}

impl Filters for TerritoryQuery {
    type Checked = (list::Filter, Option<chrono::NaiveDateTime>);
    fn check(&self, errors: &mut Vec<crate::error::FieldError>) -> Self::Checked {
        let filter = list::Filter {
            parent_id: self.parent_id,
            level: self
                .level
                .as_deref()
                .and_then(|l| list::check_level(l, errors)),
            text: self.q.clone(),
        };
        (
            filter,
            timestamp("updated_since", self.updated_since.as_deref(), errors),
        )
    }
}

/// One territory, with `ETag`.
#[utoipa::path(
    tag = "reference",
    params(("id" = i64, Path, description = "Territory id")),
    responses((status = 200, body = Territory), ),
    extensions(("x-permission" = json!("reference.read")))
)]
#[get("/territories/{id}")]
pub async fn get_territory(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<Versioned<Territory>> {
    super::read(
        &state,
        caller,
        Permission::ReferenceRead,
        id.into_inner(),
        |cx, id| territories::get(cx.conn, cx.caller, id),
    )
    .await
}

/// The direct children of a territory, by KATO code, a page at a time.
///
/// A list like every other (`{items, next_cursor}`): a city can have more children than
/// one page.
#[utoipa::path(
    tag = "reference",
    params(("id" = i64, Path, description = "Territory id"), ListParams),
    responses((status = 200, body = Page<Territory>), ),
    extensions(("x-permission" = json!("reference.read")))
)]
#[get("/territories/{id}/children")]
pub async fn children(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    query: ListQuery<NoFilters>,
) -> ApiResult<web::Json<Page<Territory>>> {
    caller.authorize(Permission::ReferenceRead)?;
    let (id, ((), request)) = (
        id.into_inner(),
        query.one_order(&state.cursors, CHILDREN_LIST)?,
    );
    page(&state, CHILDREN_LIST.into(), move |conn| {
        list::children(conn, &caller, id, &request)
    })
    .await
}

/// Adds a territory under a parent (admin). The KATO code is unique.
#[utoipa::path(
    tag = "reference",
    request_body = CreateTerritory,
    params(IdempotencyKey),
    responses((status = 201, body = Territory), (status = 409, body = Problem, content_type = "application/problem+json", description = "The KATO code is taken, or the key was reused with another body"), ),
    extensions(("x-permission" = json!("reference.write")))
)]
#[post("/territories")]
pub async fn create_territory(
    state: web::Data<AppState>,
    caller: Caller,
    body: Idempotent<CreateTerritory>,
) -> ApiResult<Versioned<Territory>> {
    super::create(&state, caller, body.parse(), territories::Add).await
}

/// Renames a territory (admin, `If-Match`).
#[utoipa::path(
    tag = "reference",
    params(Target),
    request_body = UpdateTerritory,
    responses(
        (status = 200, body = Territory)
    ),
    extensions(("x-permission" = json!("reference.write")))
)]
#[patch("/territories/{id}")]
pub async fn update_territory(
    state: web::Data<AppState>,
    caller: Caller,
    target: Target,
    body: Body<UpdateTerritory>,
) -> ApiResult<Versioned<Territory>> {
    super::change(&state, caller, target, body, territories::update).await
}
