//! Appeal categories and the working-day calendar: thin HTTP handlers over
//! [`crate::reference::categories`] and [`crate::reference::calendar`]. Territories are in `routes::territories`.

use actix_web::{get, web};
use baqylau_wire::reference::{AppealCategory, CalendarDay};
use chrono::Datelike;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{Caller, Permission};
use crate::error::ApiResult;
use crate::extract::Query;
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(categories).service(calendar);
}

/// The appeal categories, in their display order.
#[utoipa::path(
    tag = "reference",
    responses((status = 200, body = Vec<AppealCategory>), ),
    extensions(("x-permission" = json!("reference.read")))
)]
#[get("/appeal-categories")]
pub async fn categories(
    state: web::Data<AppState>,
    caller: Caller,
) -> ApiResult<web::Json<Vec<AppealCategory>>> {
    caller.authorize(Permission::ReferenceRead)?;
    let list = state
        .db
        .run(move |conn| crate::reference::categories::list(conn, &caller))
        .await?;
    Ok(web::Json(list))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CalendarQuery {
    /// The year (default: the current year).
    #[param(minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
}

/// The days off of a year that fall on weekdays (holidays, transfers), from which
/// appeal deadlines are counted.
#[utoipa::path(
    tag = "reference",
    params(CalendarQuery),
    responses((status = 200, body = Vec<CalendarDay>), ),
    extensions(("x-permission" = json!("reference.read")))
)]
#[get("/calendar")]
pub async fn calendar(
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<CalendarQuery>,
) -> ApiResult<web::Json<Vec<CalendarDay>>> {
    caller.authorize(Permission::ReferenceRead)?;
    // "The current year" is Kazakhstan's, as every date a person sees.
    let year = query.year.unwrap_or_else(|| state.clock.today().year());
    let days = state
        .db
        .run(move |conn| crate::reference::calendar::year(conn, &caller, year))
        .await?;
    Ok(web::Json(days))
}
