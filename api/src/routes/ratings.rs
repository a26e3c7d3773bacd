//! Deputies' ratings and citizens' feedback links: thin HTTP handlers over
//! [`crate::ratings`].

use actix_web::{get, post, web, HttpResponse};
use baqylau_wire::common::Page;
use baqylau_wire::ratings::{
    FeedbackForm, FeedbackLink, FeedbackReceipt, Rating, RatingFormula, RecomputeRatings,
    RecomputeResult, SubmitFeedback,
};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{Caller, Permission};
use crate::error::{ApiResult, FieldError, Problem};
use crate::extract::{Body, Query};
use crate::kit::list::params::int;
use crate::kit::list::{Filters, ListParams, ListQuery};
use crate::ratings::snapshots::{self, ListRequest};
use crate::ratings::{self, feedback};
use crate::routes::page;
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_formula)
        .service(recall_risk)
        .service(recompute)
        .service(list)
        .service(deputy_rating)
        .service(create_feedback_link)
        .service(feedback_form)
        .service(submit_feedback);
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// The month, `YYYY-MM`; the current month when absent.
    #[param(pattern = r"^\d{4}-\d{2}$")]
    pub period: Option<String>,
}

/// A deputy's rating for a month, with its components. A finished month is answered
/// from its stored snapshot (stored when the month closes, never by a read); the running
/// month is computed.
#[utoipa::path(
    tag = "ratings",
    operation_id = "get_deputy_rating",
    params(("id" = i64, Path, description = "Deputy id"), PeriodQuery),
    responses((status = 200, body = Rating)),
    extensions(("x-permission" = json!("deputies.read")))
)]
#[get("/deputies/{id}/rating")]
pub async fn deputy_rating(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    query: Query<PeriodQuery>,
) -> ApiResult<web::Json<Rating>> {
    caller.authorize(Permission::DeputiesRead)?;
    let (id, period, st) = (id.into_inner(), query.into_inner().period, state.clone());
    let rating = state
        .db
        .run(move |conn| {
            snapshots::of_deputy(
                conn,
                &caller,
                &st.clock,
                &st.settings.rating,
                id,
                period.as_deref(),
            )
        })
        .await?;
    Ok(web::Json(rating))
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RatingQuery {
    /// The month, `YYYY-MM`; the current month when absent.
    #[param(pattern = r"^\d{4}-\d{2}$")]
    pub period: Option<String>,
    /// Deputies whose maslikhat is in, or who are assigned to, this subtree.
    #[param(value_type = Option<i64>)]
    pub territory_id: Option<String>,
}

impl Filters for RatingQuery {
    type Checked = (Option<String>, Option<i64>);
    fn check(&self, errors: &mut Vec<FieldError>) -> Self::Checked {
        let territory_id = int("territory_id", self.territory_id.as_deref(), errors);
        (self.period.clone(), territory_id)
    }
}

async fn ranked(
    state: web::Data<AppState>,
    caller: Caller,
    query: ListQuery<RatingQuery>,
    risk: bool,
) -> ApiResult<web::Json<Page<Rating>>> {
    caller.authorize(Permission::DeputiesRead)?;
    let name = if risk { "ratings:risk" } else { "ratings" };
    let ((period, territory_id), page_request) = query.one_order(&state.cursors, name)?;
    let request = ListRequest {
        period,
        territory_id,
        page: page_request,
    };
    let st = state.clone();
    page(&state, name.into(), move |conn| {
        snapshots::list(
            conn,
            &caller,
            &st.clock,
            &st.settings.rating,
            &request,
            risk,
        )
    })
    .await
}

/// Every reachable deputy's rating for a month, highest first (ties by id).
#[utoipa::path(
    tag = "ratings",
    operation_id = "list_ratings",
    params(RatingQuery, ListParams),
    responses((status = 200, body = Page<Rating>)),
    extensions(("x-permission" = json!("deputies.read")))
)]
#[get("/ratings")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: ListQuery<RatingQuery>,
) -> ApiResult<web::Json<Page<Rating>>> {
    ranked(state, caller, query, false).await
}

/// The recall-risk list: deputies of active mandate whose score for the month is below
/// the configured threshold (`recall_threshold` in `GET /ratings/formula`), lowest first.
#[utoipa::path(
    tag = "ratings",
    operation_id = "list_recall_risk",
    params(RatingQuery, ListParams),
    responses((status = 200, body = Page<Rating>)),
    extensions(("x-permission" = json!("deputies.read")))
)]
#[get("/ratings/recall-risk")]
pub async fn recall_risk(
    state: web::Data<AppState>,
    caller: Caller,
    query: ListQuery<RatingQuery>,
) -> ApiResult<web::Json<Page<Rating>>> {
    ranked(state, caller, query, true).await
}

/// The rating formula in force. Each component's `points = value × weight`; the score is
/// the sum, rounded to two decimals. Components: `appeals_on_time` (assigned appeals
/// closed in the month by their deadline in force), `appeals_overdue` (deadline in the
/// month missed), `receptions_attended` (mobile receptions held in the month with the
/// deputy taking part), `indicators_done` and `indicators_overdue` (road-map indicators
/// the deputy answers for, due in the month), `satisfaction` (citizens' mean rating of
/// outcomes submitted in the month, minus 3). Default weights 2, −3, 5, 3, −4, 5 and
/// recall threshold 0; the server's configuration (`BAQYLAU_RATING_*`) may change them.
#[utoipa::path(
    tag = "ratings",
    operation_id = "get_rating_formula",
    responses((status = 200, body = RatingFormula)),
    extensions(("x-permission" = json!("deputies.read")))
)]
#[get("/ratings/formula")]
pub async fn get_formula(
    state: web::Data<AppState>,
    caller: Caller,
) -> ApiResult<web::Json<RatingFormula>> {
    caller.authorize(Permission::DeputiesRead)?;
    Ok(web::Json(ratings::formula(&state.settings.rating)))
}

/// Recomputes a finished month's stored ratings from the data as it is now (after a
/// correction), for every deputy in the caller's reach or one. Each changed score is
/// audited with its components before and after.
#[utoipa::path(
    tag = "ratings",
    operation_id = "recompute_ratings",
    request_body = RecomputeRatings,
    responses(
        (status = 200, body = RecomputeResult),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "Bad period, a month not over (period_open), unknown deputy"),
    ),
    extensions(("x-permission" = json!("ratings.recompute")))
)]
#[post("/ratings/recompute")]
pub async fn recompute(
    state: web::Data<AppState>,
    caller: Caller,
    body: Body<RecomputeRatings>,
) -> ApiResult<web::Json<RecomputeResult>> {
    caller.authorize(Permission::RatingsRecompute)?;
    let st = state.clone();
    let result = state
        .db
        .run(move |conn| {
            snapshots::recompute(conn, &caller, &st.clock, &st.settings.rating, body.parse())
        })
        .await?;
    Ok(web::Json(result))
}

/// Creates the citizen's one-time feedback link for a resolved (explained, rejected)
/// appeal: valid 30 days, spent by the first answer; an earlier unanswered link of the
/// appeal is revoked. The token is shown only here; only its hash is stored.
#[utoipa::path(
    tag = "ratings",
    operation_id = "create_feedback_link",
    params(("id" = i64, Path, description = "Appeal id")),
    responses(
        (status = 201, body = FeedbackLink),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "not_resolved"),
    ),
    extensions(("x-permission" = json!("feedback.send")))
)]
#[post("/appeals/{id}/feedback-link")]
pub async fn create_feedback_link(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    caller.authorize(Permission::FeedbackSend)?;
    let (id, st) = (id.into_inner(), state.clone());
    let link = state
        .db
        .run(move |conn| feedback::create_link(conn, &caller, &st.clock, id))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(link))
}

/// The public feedback form (no sign-in): the appeal's registration number and closing
/// day, nothing personal. 404 for an unknown token, 410 for a used, replaced
/// (`feedback_used`) or expired (`feedback_expired`) one.
#[utoipa::path(
    tag = "ratings",
    operation_id = "get_feedback_form",
    params(("token" = String, Path, description = "The link's token")),
    responses(
        (status = 200, body = FeedbackForm),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 410, body = Problem, content_type = "application/problem+json", description = "feedback_used or feedback_expired"),
    )
)]
#[get("/feedback/{token}")]
pub async fn feedback_form(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> ApiResult<web::Json<FeedbackForm>> {
    let (token, st) = (token.into_inner(), state.clone());
    let form = state
        .db
        .run(move |conn| feedback::form(conn, &st.clock, &token))
        .await?;
    Ok(web::Json(form))
}

/// The citizen's rating of the outcome (no sign-in): `score` 1–5 and an optional
/// comment, accepted once. 404 unknown token, 410 used or expired, 422 bad body.
#[utoipa::path(
    tag = "ratings",
    operation_id = "submit_feedback",
    params(("token" = String, Path, description = "The link's token")),
    request_body = SubmitFeedback,
    responses(
        (status = 201, body = FeedbackReceipt),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 410, body = Problem, content_type = "application/problem+json", description = "feedback_used or feedback_expired"),
    )
)]
#[post("/feedback/{token}")]
pub async fn submit_feedback(
    state: web::Data<AppState>,
    token: web::Path<String>,
    body: Body<SubmitFeedback>,
) -> ApiResult<HttpResponse> {
    let (token, st) = (token.into_inner(), state.clone());
    let receipt = state
        .db
        .run(move |conn| feedback::submit(conn, &st.clock, &token, body.parse()))
        .await?;
    Ok(HttpResponse::Created().json(receipt))
}
