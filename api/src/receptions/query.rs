//! Listing receptions: status, territory subtree, the calendar's date range, sync mode.

use baqylau_wire::receptions::{Reception, ReceptionKind, ReceptionSort, ReceptionStatus};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::IntoParams;

use super::model::{self, Boxed, ReceptionRow};
use crate::auth::{Caller, Permission};
use crate::db::schema::{reception_settlements, receptions};
use crate::db::DbConn;
use crate::error::{ApiResult, FieldError};
use crate::kit::list::params::{enum_list, int, moment, moment_end};
use crate::kit::list::{self, Filters, Position, Slice};

/// Filters of `GET /receptions`, taken as text so that every bad one is listed at once.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReceptionQuery {
    /// One status or several, comma-separated.
    #[param(value_type = Option<Vec<ReceptionStatus>>, style = Form, explode = false)]
    pub status: Option<String>,
    /// One kind or several, comma-separated: mobile receptions, debate club sessions, ...
    #[param(value_type = Option<Vec<ReceptionKind>>, style = Form, explode = false)]
    pub kind: Option<String>,
    /// Organised in, or visiting, the subtree of this territory.
    #[param(value_type = Option<i64>)]
    pub territory_id: Option<String>,
    /// The calendar: receptions still running on or after this date (Asia/Almaty) or time.
    pub from: Option<String>,
    /// The calendar: receptions starting before the end of this date, or this time.
    pub to: Option<String>,
    /// Sync mode: changed since this time, oldest change first, deleted ones as tombstones.
    pub updated_since: Option<String>,
    /// The order: `newest` (default) or a key, `-key` for descending; ignored in sync mode.
    #[param(value_type = Option<ReceptionSort>)]
    pub sort: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub statuses: Vec<ReceptionStatus>,
    pub kinds: Vec<ReceptionKind>,
    pub territory_id: Option<i64>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    pub updated_since: Option<NaiveDateTime>,
}

impl Filters for ReceptionQuery {
    type Checked = Filter;
    fn check(&self, errors: &mut Vec<FieldError>) -> Filter {
        Filter {
            statuses: enum_list("status", self.status.as_deref(), errors),
            kinds: enum_list("kind", self.kind.as_deref(), errors),
            territory_id: int("territory_id", self.territory_id.as_deref(), errors),
            from: moment("from", self.from.as_deref(), errors),
            to: moment_end("to", self.to.as_deref(), errors),
            updated_since: moment("updated_since", self.updated_since.as_deref(), errors),
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
    ReceptionSort, Boxed, receptions, ReceptionRow, |r| r;
    Newest => id desc,
    CreatedAt | CreatedAtDesc => created_at,
    UpdatedAt | UpdatedAtDesc => updated_at,
    PlannedStart | PlannedStartDesc => planned_start,
    Title | TitleDesc => title,
}

pub type Request = list::Request<Filter, ReceptionSort>;

fn filtered(conn: &mut DbConn, caller: &Caller, f: &Filter) -> ApiResult<Boxed> {
    let mut q = model::scoped(caller, f.updated_since.is_some());
    if !f.statuses.is_empty() {
        q = q.filter(receptions::status.eq_any(f.statuses.iter().map(|s| s.as_str())));
    }
    if !f.kinds.is_empty() {
        q = q.filter(receptions::kind.eq_any(f.kinds.iter().map(|k| k.as_str())));
    }
    if let Some(t) = f.territory_id {
        let (path, upper) = crate::auth::subtree(conn, "territory_id", t)?;
        let visiting = reception_settlements::table
            .filter(reception_settlements::territory_path.ge(path.clone()))
            .filter(reception_settlements::territory_path.lt(upper.clone()))
            .select(reception_settlements::reception_id);
        q = q.filter(
            receptions::territory_path
                .ge(path)
                .and(receptions::territory_path.lt(upper))
                .or(receptions::id.eq_any(visiting)),
        );
    }
    // Overlap with the calendar's window, so a visit spanning its edge is shown.
    if let Some(from) = f.from {
        q = q.filter(receptions::planned_end.gt(from));
    }
    if let Some(to) = f.to {
        q = q.filter(receptions::planned_start.lt(to));
    }
    if let Some(t) = f.updated_since {
        q = q.filter(receptions::updated_at.ge(t));
    }
    Ok(q)
}

/// Receptions in the caller's reach, in the requested order (or in sync order).
pub fn list(
    conn: &mut DbConn,
    caller: &Caller,
    req: &Request,
) -> ApiResult<Slice<Reception, Position>> {
    caller.authorize(Permission::ReceptionsRead)?;
    crate::collect!(conn, req, ReceptionRow, filtered(conn, caller, &req.filter)).try_map(|r| {
        let can_write = model::writable(caller, &r);
        model::view(conn, &r, can_write)
    })
}
