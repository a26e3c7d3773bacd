//! Listing indicators: filters, keyset pages (newest first), and sync mode.

use baqylau_wire::roadmaps::{Indicator, IndicatorSort, IndicatorStatus};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::IntoParams;

use super::model::{self, IndicatorQuery, IndicatorRow};
use crate::auth::{Caller, Permission};
use crate::db::schema::indicators;
use crate::db::DbConn;
use crate::error::{ApiResult, FieldError};
use crate::kit::clock::Clock;
use crate::kit::list::params::{enum_list, int, timestamp};
use crate::kit::list::{self, Filters, Position, Slice};

/// Filters of `GET /indicators`, taken as text so that every bad one is reported.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IndicatorQueryParams {
    #[param(value_type = Option<i64>)]
    pub roadmap_id: Option<String>,
    #[param(value_type = Option<i64>)]
    pub section_id: Option<String>,
    /// The responsible deputy: a deputy sees their own indicators with their id.
    #[param(value_type = Option<i64>)]
    pub deputy_id: Option<String>,
    /// One status or several, comma-separated.
    #[param(value_type = Option<Vec<IndicatorStatus>>, style = Form, explode = false)]
    pub status: Option<String>,
    /// The whole subtree of this territory.
    #[param(value_type = Option<i64>)]
    pub territory_id: Option<String>,
    /// Sync mode: indicators changed since this RFC 3339 time (or date), oldest change first,
    /// removed ones as tombstones (`"deleted": true`).
    pub updated_since: Option<String>,
    /// The order: `newest` (default) or a key, `-key` for descending; ignored in sync mode.
    #[param(value_type = Option<IndicatorSort>)]
    pub sort: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub roadmap_id: Option<i64>,
    pub section_id: Option<i64>,
    pub deputy_id: Option<i64>,
    pub statuses: Vec<IndicatorStatus>,
    pub territory_id: Option<i64>,
    pub updated_since: Option<NaiveDateTime>,
}

impl Filters for IndicatorQueryParams {
    type Checked = Filter;
    fn check(&self, errors: &mut Vec<FieldError>) -> Filter {
        Filter {
            roadmap_id: int("roadmap_id", self.roadmap_id.as_deref(), errors),
            section_id: int("section_id", self.section_id.as_deref(), errors),
            deputy_id: int("deputy_id", self.deputy_id.as_deref(), errors),
            statuses: enum_list("status", self.status.as_deref(), errors),
            territory_id: int("territory_id", self.territory_id.as_deref(), errors),
            updated_since: timestamp("updated_since", self.updated_since.as_deref(), errors),
        }
    }
    fn sort(&self) -> Option<&str> {
        self.sort.as_deref()
    }
    fn since(f: &Filter) -> Option<NaiveDateTime> {
        f.updated_since
    }
}

crate::sort_order! {
    IndicatorSort, IndicatorQuery, indicators, IndicatorRow, |r| r;
    Newest => id desc,
    CreatedAt | CreatedAtDesc => created_at,
    UpdatedAt | UpdatedAtDesc => updated_at,
    Title | TitleDesc => title,
}

pub type Request = list::Request<Filter, IndicatorSort>;

fn filtered(conn: &mut DbConn, caller: &Caller, f: &Filter) -> ApiResult<IndicatorQuery> {
    let mut q = model::scoped_indicators(caller, f.updated_since.is_some());
    if let Some(r) = f.roadmap_id {
        q = q.filter(indicators::roadmap_id.eq(r));
    }
    if let Some(s) = f.section_id {
        q = q.filter(indicators::section_id.eq(s));
    }
    if let Some(d) = f.deputy_id {
        q = q.filter(indicators::deputy_id.eq(d));
    }
    if !f.statuses.is_empty() {
        q = q.filter(
            indicators::status.eq_any(f.statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>()),
        );
    }
    if let Some(t) = f.territory_id {
        let (path, upper) = crate::auth::subtree(conn, "territory_id", t)?;
        q = q
            .filter(indicators::territory_path.ge(path))
            .filter(indicators::territory_path.lt(upper));
    }
    if let Some(t) = f.updated_since {
        q = q.filter(indicators::updated_at.ge(t));
    }
    Ok(q)
}

/// Indicators the caller may reach, in the requested order (or, with `updated_since`,
/// oldest change first with tombstones).
pub fn list(
    conn: &mut DbConn,
    caller: &Caller,
    clock: &Clock,
    req: &Request,
) -> ApiResult<Slice<Indicator, Position>> {
    caller.authorize(Permission::RoadmapsRead)?;
    let slice = crate::collect!(conn, req, IndicatorRow, filtered(conn, caller, &req.filter));
    let today = clock.today();
    Ok(slice.map(|r| model::indicator_view(&r, today)))
}
