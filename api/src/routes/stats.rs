//! Statistics for the office dashboard: thin handlers over [`crate::stats`].

use actix_web::{get, web};
use baqylau_wire::stats::Overview;

use crate::auth::{Caller, Permission};
use crate::error::ApiResult;
use crate::extract::Query;
use crate::state::AppState;
use crate::stats::OverviewQuery;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(overview);
}

/// The dashboard's overview of the caller's territory (or of `territory_id` inside it):
/// appeals received in the period by status, category and channel, overdue appeals now
/// and the oldest of them, the median days to an answer, road-map completion for the
/// year of `to`, upcoming mobile receptions, and the last finished month's recall-risk
/// list. Parts the caller may not read are
/// `null`; new parts are added as new fields.
#[utoipa::path(
    tag = "stats",
    operation_id = "stats_overview",
    params(OverviewQuery),
    responses((status = 200, body = Overview)),
    extensions(("x-permission" = json!("appeals.read")))
)]
#[get("/stats/overview")]
pub async fn overview(
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<OverviewQuery>,
) -> ApiResult<web::Json<Overview>> {
    caller.authorize(Permission::AppealsRead)?;
    let (q, st) = (query.into_inner(), state.clone());
    let overview = state
        .db
        .run(move |conn| crate::stats::overview(conn, &caller, &st.clock, &st.settings.rating, &q))
        .await?;
    Ok(web::Json(overview))
}
