//! Coverage: the settlements and okrugs of a territory that no held reception reached in
//! the last N months — where the next visits should go.

use baqylau_wire::receptions::{Coverage, Unvisited};
use baqylau_wire::reference::TerritoryLevel;
use chrono::Months;
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::IntoParams;

use super::checks::VISITED_LEVELS;
use crate::auth::{self, Caller, Permission};
use crate::db::schema::{reception_settlements, receptions, territories};
use crate::db::{compat, enum_column, DbConn};
use crate::domain::dates;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::kit::clock::Clock;
use crate::kit::list::params::int;
use baqylau_wire::time::almaty;

pub const DEFAULT_MONTHS: u32 = 6;
pub const MAX_MONTHS: u32 = 120;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoverageQuery {
    /// The district (or any territory) whose settlements and okrugs are examined.
    #[param(value_type = i64)]
    pub territory_id: Option<String>,
    /// The period, in months back from today (default 6, at most 120).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 120)]
    pub months: Option<String>,
}

/// Settlements and okrugs under `territory_id` that no `held` reception visited (itself,
/// a place inside it, or the okrug it belongs to) since `months` months before today.
pub fn coverage(
    conn: &mut DbConn,
    caller: &Caller,
    clock: &Clock,
    q: &CoverageQuery,
) -> ApiResult<Coverage> {
    caller.authorize(Permission::ReceptionsRead)?;
    let mut errors = Vec::new();
    let territory = int("territory_id", q.territory_id.as_deref(), &mut errors);
    if q.territory_id.is_none() {
        errors.push(FieldError::new("territory_id", "required", "is required"));
    }
    let months = match q.months.as_deref().map(|m| m.trim().parse::<u32>()) {
        None => DEFAULT_MONTHS,
        Some(Ok(m)) if (1..=MAX_MONTHS).contains(&m) => m,
        Some(_) => {
            errors.push(FieldError::new(
                "months",
                "range",
                format!("must be between 1 and {MAX_MONTHS}"),
            ));
            DEFAULT_MONTHS
        }
    };
    let path = match territory {
        Some(id) => auth::check_territory(conn, caller, "territory_id", id, &mut errors)?,
        None => None,
    };
    let (Some(territory), Some(path), true) = (territory, path, errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    let today = clock.today();
    let since = today
        .checked_sub_months(Months::new(months))
        .unwrap_or(today);
    let since_at = dates::start_of_day(since, almaty())
        .ok_or_else(|| ApiError::validation("months", "range", "too far back"))?;
    let upper = compat::path_upper_bound(&path);
    let visited: Vec<String> = reception_settlements::table
        .inner_join(receptions::table)
        .filter(crate::domain::reception::was_held_sql())
        .filter(receptions::deleted_at.is_null())
        .filter(receptions::planned_start.ge(since_at))
        .filter(reception_settlements::territory_path.ge(path.clone()))
        .filter(reception_settlements::territory_path.lt(upper.clone()))
        .select(reception_settlements::territory_path)
        .load(conn)?;
    let places: Vec<(i64, String, String, Option<String>, String, String)> = territories::table
        .filter(territories::path.gt(path.clone()))
        .filter(territories::path.lt(upper))
        .filter(territories::level.eq_any(VISITED_LEVELS))
        .filter(territories::deleted_at.is_null())
        .order(territories::kato_code.asc())
        .select((
            territories::id,
            territories::kato_code,
            territories::name_ru,
            territories::name_kk,
            territories::level,
            territories::path,
        ))
        .load(conn)?;
    let unvisited = places
        .into_iter()
        .filter(|p| {
            !visited
                .iter()
                .any(|v| v.starts_with(&p.5) || p.5.starts_with(v.as_str()))
        })
        .map(|(id, kato_code, name_ru, name_kk, level, _)| {
            Ok(Unvisited {
                territory_id: id,
                kato_code,
                name_ru,
                name_kk,
                level: enum_column::<TerritoryLevel>("territories", "level", &level)?,
            })
        })
        .collect::<ApiResult<_>>()?;
    Ok(Coverage {
        territory_id: territory,
        months,
        since,
        unvisited,
    })
}
