//! `GET /stats/overview`: appeals, road-map completion and receptions of the caller's
//! territory (or one territory inside it) in one answer.

use baqylau_wire::receptions::ReceptionStatus;
use baqylau_wire::stats::{Overview, RecallRiskOverview, ReceptionsOverview, UpcomingReception};
use chrono::{Datelike, Days, NaiveDate};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::IntoParams;

use super::Period;
use crate::auth::{self, Caller, Permission};
use crate::config::RatingConfig;
use crate::db::schema::receptions;
use crate::db::DbConn;
use crate::domain::dates;
use crate::error::{ApiError, ApiResult};
use crate::kit::clock::Clock;
use crate::kit::list::params::{int, moment};
use crate::kit::list::PageRequest;
use crate::ratings::period::Period as RatingPeriod;
use crate::ratings::snapshots;
use baqylau_wire::time::almaty;

/// How many upcoming receptions (and recall-risk deputies) the overview lists.
pub const UPCOMING: i64 = 10;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OverviewQuery {
    /// A territory inside the caller's own (default: the caller's whole territory).
    #[param(value_type = Option<i64>)]
    pub territory_id: Option<String>,
    /// The period's first day (default 1 January of this year, Asia/Almaty).
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub from: Option<String>,
    /// The period's last day, inclusive (default today).
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub to: Option<String>,
    /// The road maps' year (default: the year of `to`).
    #[param(value_type = Option<i32>, minimum = 2000, maximum = 2100)]
    pub year: Option<String>,
}

fn date_param(
    field: &str,
    value: Option<&str>,
    default: NaiveDate,
    errors: &mut Vec<crate::error::FieldError>,
) -> NaiveDate {
    let Some(v) = value else { return default };
    match NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d") {
        // `moment` is the one place that decides which dates are in range.
        Ok(d) => match moment(field, Some(v), errors) {
            Some(_) => d,
            None => default,
        },
        Err(_) => {
            errors.push(crate::error::FieldError::new(
                field,
                "invalid_parameter",
                "must be a date (YYYY-MM-DD)",
            ));
            default
        }
    }
}

pub fn overview(
    conn: &mut DbConn,
    caller: &Caller,
    clock: &Clock,
    rating: &RatingConfig,
    q: &OverviewQuery,
) -> ApiResult<Overview> {
    caller.authorize(Permission::AppealsRead)?;
    let today = clock.today();
    let mut errors = Vec::new();
    let territory = int("territory_id", q.territory_id.as_deref(), &mut errors);
    let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let from = date_param("from", q.from.as_deref(), year_start, &mut errors);
    let to = date_param("to", q.to.as_deref(), today, &mut errors);
    let year = match q.year.as_deref().map(|y| y.trim().parse::<i32>()) {
        None => to.year(),
        Some(Ok(y)) if (2000..=2100).contains(&y) => y,
        Some(_) => {
            errors.push(crate::error::FieldError::new(
                "year",
                "range",
                "must be a year between 2000 and 2100",
            ));
            to.year()
        }
    };
    if errors.is_empty() && from > to {
        errors.push(crate::error::FieldError::new(
            "to",
            "range",
            "must not be before `from`",
        ));
    }
    let path = match territory {
        Some(id) => auth::check_territory(conn, caller, "territory_id", id, &mut errors)?,
        None => None,
    };
    let bounds = (
        dates::start_of_day(from, almaty()),
        to.checked_add_days(Days::new(1))
            .and_then(|d| dates::start_of_day(d, almaty())),
    );
    let (true, (Some(start), Some(end))) = (errors.is_empty(), bounds) else {
        if errors.is_empty() {
            errors.push(crate::error::FieldError::new(
                "to",
                "range",
                dates::RANGE_MESSAGE,
            ));
        }
        return Err(ApiError::Validation(errors));
    };
    let period = Period {
        from,
        to,
        start,
        end,
    };
    // One territory inside the caller's: the same scoped queries, over a narrower scope.
    let scoped = match (territory, path) {
        (Some(id), Some(path)) => caller.narrowed(id, path),
        _ => caller.clone(),
    };
    let appeals = super::appeals::overview(conn, &scoped, &period, today)?;
    let roadmaps = match caller.allows(Permission::RoadmapsRead) {
        true => Some(crate::roadmaps::summary::year_overview(
            conn, &scoped, today, year, None,
        )?),
        false => None,
    };
    let receptions = match caller.allows(Permission::ReceptionsRead) {
        true => Some(receptions_overview(conn, &scoped, clock, &period)?),
        false => None,
    };
    let recall_risk = match caller.allows(Permission::DeputiesRead) {
        true => Some(recall_risk(conn, caller, clock, rating, territory)?),
        false => None,
    };
    Ok(Overview {
        territory_id: territory,
        period_from: from,
        period_to: to,
        as_of: today,
        appeals,
        roadmaps,
        receptions,
        recall_risk,
    })
}

/// The last finished month's recall-risk list: a finished month is stored once and then
/// stable, so the overview shows what the Bureau would act on, not a month in progress.
fn recall_risk(
    conn: &mut DbConn,
    caller: &Caller,
    clock: &Clock,
    rating: &RatingConfig,
    territory: Option<i64>,
) -> ApiResult<RecallRiskOverview> {
    let this_month = RatingPeriod::of(clock.today());
    let last_month = RatingPeriod::of(this_month.first.pred_opt().unwrap_or(this_month.first));
    let request = snapshots::ListRequest {
        period: Some(last_month.label()),
        territory_id: territory,
        page: PageRequest {
            limit: UPCOMING,
            after: None,
            include_total: true,
        },
    };
    let slice = snapshots::list(conn, caller, clock, rating, &request, true)?;
    Ok(RecallRiskOverview {
        period: last_month.label(),
        threshold: rating.recall_threshold,
        total: slice.total.unwrap_or(0),
        deputies: slice.items,
    })
}

fn receptions_overview(
    conn: &mut DbConn,
    caller: &Caller,
    clock: &Clock,
    period: &Period,
) -> ApiResult<ReceptionsOverview> {
    use crate::receptions::model::{scoped, ReceptionRow};
    let upcoming: Vec<ReceptionRow> = scoped(caller, false)
        .filter(receptions::status.eq(ReceptionStatus::Planned.as_str()))
        .filter(receptions::planned_end.ge(clock.now_stored()))
        .order((receptions::planned_start.asc(), receptions::id.asc()))
        .limit(UPCOMING)
        .load(conn)?;
    let held: i64 = scoped(caller, false)
        .filter(crate::domain::reception::was_held_sql())
        .filter(receptions::planned_start.ge(period.start))
        .filter(receptions::planned_start.lt(period.end))
        .count()
        .get_result(conn)?;
    Ok(ReceptionsOverview {
        upcoming: upcoming
            .into_iter()
            .map(|r| UpcomingReception {
                id: r.id,
                title: r.title,
                level: r.level,
                status: r.status,
                territory_id: r.territory_id,
                planned_start: r.planned_start.and_utc(),
                planned_end: r.planned_end.and_utc(),
                venue: r.venue,
            })
            .collect(),
        held,
    })
}
