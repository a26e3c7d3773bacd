//! Listing indicators: filters, keyset pages (newest first), and sync mode.

use baqylau_wire::roadmaps::{Indicator, IndicatorStatus};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::IntoParams;

use super::model::{self, IndicatorQuery, IndicatorRow};
use crate::auth::{self, Caller, Permission};
use crate::db::schema::indicators;
use crate::db::{compat, DbConn};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::kit::clock::Clock;
use crate::kit::page::{CursorCodec, PageParams, PageRequest, Slice};
use crate::kit::params::timestamp as parse_timestamp;

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
    /// Sync mode: indicators changed since this RFC 3339 time, oldest change first,
    /// removed ones as tombstones (`"deleted": true`).
    pub updated_since: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    pub cursor: Option<String>,
    #[param(value_type = Option<bool>)]
    pub include_total: Option<String>,
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

/// The keyset position after a row: newest first by id, or in sync order.
pub use crate::kit::sync::ListCursor as Cursor;

pub struct Parsed {
    pub filter: Filter,
    pub page: PageRequest<Cursor>,
}

impl Parsed {
    /// The list's name in its cursors: a sync cursor is not a newest-first one.
    pub fn list(&self) -> &'static str {
        match self.filter.updated_since {
            Some(_) => "indicators:sync",
            None => "indicators:newest",
        }
    }
}

fn int(field: &str, value: Option<&str>, errors: &mut Vec<FieldError>) -> Option<i64> {
    match value?.trim().parse::<i64>() {
        Ok(n) if n > 0 => Some(n),
        _ => {
            errors.push(FieldError::new(
                field,
                "invalid_parameter",
                "must be a positive integer",
            ));
            None
        }
    }
}

impl IndicatorQueryParams {
    /// Every problem at once (422); a forged cursor is 400.
    pub fn parse(&self, codec: &CursorCodec) -> Result<Parsed, ApiError> {
        let mut errors = Vec::new();
        let mut statuses = Vec::new();
        for s in self.status.iter().flat_map(|s| s.split(',')) {
            match IndicatorStatus::parse(s.trim()) {
                Some(v) => statuses.push(v),
                None => errors.push(FieldError::new(
                    "status",
                    "one_of",
                    format!("must be one of {}", IndicatorStatus::choices()),
                )),
            }
        }
        let filter = Filter {
            roadmap_id: int("roadmap_id", self.roadmap_id.as_deref(), &mut errors),
            section_id: int("section_id", self.section_id.as_deref(), &mut errors),
            deputy_id: int("deputy_id", self.deputy_id.as_deref(), &mut errors),
            statuses,
            territory_id: int("territory_id", self.territory_id.as_deref(), &mut errors),
            updated_since: parse_timestamp(
                "updated_since",
                self.updated_since.as_deref(),
                &mut errors,
            ),
        };
        let limit = match self.limit.as_deref().map(|l| l.trim().parse::<i64>()) {
            None => None,
            Some(Ok(n)) => Some(n),
            Some(Err(_)) => Some(0),
        };
        let include_total = match self.include_total.as_deref() {
            None | Some("false") => Some(false),
            Some("true") => Some(true),
            Some(_) => {
                errors.push(FieldError::new(
                    "include_total",
                    "invalid_parameter",
                    "must be true or false",
                ));
                None
            }
        };
        let mut parsed = Parsed {
            filter,
            page: PageRequest {
                limit: 0,
                after: None,
                include_total: false,
            },
        };
        let params = PageParams {
            limit,
            cursor: self.cursor.clone(),
            include_total,
        };
        parsed.page = params.check(codec, parsed.list(), &mut errors)?;
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        Ok(parsed)
    }
}

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
        let Some(path) = auth::live_territory_path(conn, t)? else {
            return Err(ApiError::validation(
                "territory_id",
                "unknown",
                "no such territory",
            ));
        };
        q = q
            .filter(indicators::territory_path.ge(path.clone()))
            .filter(indicators::territory_path.lt(compat::path_upper_bound(&path)));
    }
    if let Some(t) = f.updated_since {
        q = q.filter(indicators::updated_at.ge(t));
    }
    Ok(q)
}

/// Indicators the caller may reach, newest first (or, with `updated_since`, oldest
/// change first with tombstones).
pub fn list(
    conn: &mut DbConn,
    caller: &Caller,
    clock: &Clock,
    parsed: &Parsed,
) -> ApiResult<Slice<Indicator, Cursor>> {
    caller.authorize(Permission::RoadmapsRead)?;
    let page = &parsed.page;
    let q = filtered(conn, caller, &parsed.filter)?;
    let sync = parsed.filter.updated_since.is_some();
    let q = crate::newest_or_sync!(q, indicators, page.after.as_ref(), sync);
    let rows: Vec<IndicatorRow> = q.limit(page.limit + 1).load(conn)?;
    let total = match page.include_total {
        true => Some(
            filtered(conn, caller, &parsed.filter)?
                .count()
                .get_result::<i64>(conn)?,
        ),
        false => None,
    };
    let today = clock.today();
    Ok(Slice::from_rows(rows, page.limit, total, |r| {
        Cursor::after(sync, r.updated_at, r.id)
    })
    .map(|r| model::indicator_view(&r, today)))
}
