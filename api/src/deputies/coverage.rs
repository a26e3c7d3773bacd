//! Coverage: which rural okrugs, towns and city territories of a subtree have no deputy
//! answering for them on a day. A silent gap — residents with no one responsible — is
//! what this exists to prevent.

use baqylau_wire::deputies::{AssignmentCoverage, Gap, MandateStatus};
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::IntoParams;

use super::assignments::ASSIGNABLE;
use crate::auth::{self, Caller, Permission};
use crate::db::schema::{assignments, deputies, territories};
use crate::db::{compat, DbConn};
use crate::error::{ApiError, ApiResult};
use crate::kit::list::params::{date, int};

/// `GET /assignments/coverage`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoverageQuery {
    /// The subtree (a district, a city, the region); the caller's own territory when
    /// absent.
    #[param(value_type = Option<i64>)]
    pub territory_id: Option<String>,
    /// The day (`YYYY-MM-DD`); today (Asia/Almaty) when absent.
    #[param(value_type = Option<String>, format = Date)]
    pub on: Option<String>,
}

/// Counts the territories that need a deputy in the subtree, and lists those with no
/// running assignment of a deputy whose mandate is active on `on` (a suspended deputy
/// answers for no one).
pub fn coverage(
    conn: &mut DbConn,
    caller: &Caller,
    today: NaiveDate,
    query: &CoverageQuery,
) -> ApiResult<AssignmentCoverage> {
    caller.authorize(Permission::DeputiesRead)?;
    let mut errors = Vec::new();
    let id = int("territory_id", query.territory_id.as_deref(), &mut errors);
    let on = date("on", query.on.as_deref(), &mut errors).unwrap_or(today);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let (territory_id, path) = match (id, &caller.territory) {
        (Some(id), _) => match auth::live_territory_path(conn, id)? {
            Some(p) if caller.covers_path(&p) => (id, p),
            Some(_) => {
                return Err(ApiError::validation(
                    "territory_id",
                    "out_of_scope",
                    "outside your territory",
                ))
            }
            None => {
                return Err(ApiError::validation(
                    "territory_id",
                    "unknown",
                    "no such territory",
                ))
            }
        },
        (None, Some(scope)) => (scope.id, scope.path.clone()),
        (None, None) => {
            return Err(ApiError::validation(
                "territory_id",
                "required",
                "is required for a caller bound to no territory",
            ))
        }
    };
    let upper = compat::path_upper_bound(&path);
    let levels: Vec<&str> = ASSIGNABLE.iter().map(|l| l.as_str()).collect();
    let active = deputies::table
        .filter(deputies::deleted_at.is_null())
        .filter(deputies::mandate_status.eq(MandateStatus::Active.as_str()))
        .select(deputies::id);
    let covered_ids = assignments::table
        .filter(assignments::deleted_at.is_null())
        .filter(assignments::territory_path.ge(path.clone()))
        .filter(assignments::territory_path.lt(upper.clone()))
        .filter(assignments::starts_on.le(on))
        .filter(
            assignments::ends_on
                .is_null()
                .or(assignments::ends_on.ge(on)),
        )
        .filter(assignments::deputy_id.eq_any(active))
        .select(assignments::territory_id);
    let needing = || {
        territories::table
            .filter(territories::deleted_at.is_null())
            .filter(territories::path.ge(path.clone()))
            .filter(territories::path.lt(upper.clone()))
            .filter(territories::level.eq_any(levels.clone()))
    };
    let total: i64 = needing().count().get_result(conn)?;
    let rows: Vec<(i64, String, Option<String>, String, String)> = needing()
        .filter(territories::id.ne_all(covered_ids))
        .order(territories::kato_code.asc())
        .select((
            territories::id,
            territories::kato_code,
            territories::name_kk,
            territories::name_ru,
            territories::level,
        ))
        .load(conn)?;
    let uncovered = rows
        .into_iter()
        .map(|(id, kato_code, name_kk, name_ru, level)| {
            Ok(Gap {
                territory_id: id,
                kato_code,
                name_kk,
                name_ru,
                level: crate::db::enum_column("territories", "level", &level)?,
            })
        })
        .collect::<QueryResult<Vec<_>>>()?;
    Ok(AssignmentCoverage {
        territory_id,
        on,
        total,
        covered: total - uncovered.len() as i64,
        uncovered,
    })
}
