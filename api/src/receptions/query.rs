//! Listing receptions: status, territory subtree, the calendar's date range, sync mode.

use baqylau_wire::receptions::{Reception, ReceptionKind, ReceptionStatus};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::IntoParams;

use super::model::{self, Boxed, ReceptionRow};
use crate::auth::{Caller, Permission};
use crate::db::schema::{reception_settlements, receptions};
use crate::db::{compat, DbConn};
use crate::error::{ApiError, ApiResult};
use crate::kit::page::{page_from_text, CursorCodec, PageRequest, Slice};
use crate::kit::params::{enum_list, int, moment};

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
    /// Page size, 1–200 (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    pub cursor: Option<String>,
    #[param(value_type = Option<bool>)]
    pub include_total: Option<String>,
}

/// The keyset position after a row: newest first by id, or in sync order.
pub use crate::kit::sync::ListCursor as Cursor;

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub statuses: Vec<ReceptionStatus>,
    pub kinds: Vec<ReceptionKind>,
    pub territory_id: Option<i64>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    pub updated_since: Option<NaiveDateTime>,
}

pub struct Parsed {
    pub filter: Filter,
    pub page: PageRequest<Cursor>,
}

impl Parsed {
    /// The list's name in its cursors.
    pub fn list(&self) -> &'static str {
        match self.filter.updated_since {
            Some(_) => "receptions:sync",
            None => "receptions:newest",
        }
    }
}

impl ReceptionQuery {
    pub fn parse(&self, codec: &CursorCodec) -> Result<Parsed, ApiError> {
        let mut errors = Vec::new();
        let statuses = enum_list(
            "status",
            self.status.as_deref(),
            ReceptionStatus::parse,
            &ReceptionStatus::choices(),
            &mut errors,
        );
        let kinds = enum_list(
            "kind",
            self.kind.as_deref(),
            ReceptionKind::parse,
            &ReceptionKind::choices(),
            &mut errors,
        );
        let filter = Filter {
            statuses,
            kinds,
            territory_id: int("territory_id", self.territory_id.as_deref(), &mut errors),
            from: moment("from", self.from.as_deref(), false, &mut errors),
            to: moment("to", self.to.as_deref(), true, &mut errors),
            updated_since: moment(
                "updated_since",
                self.updated_since.as_deref(),
                false,
                &mut errors,
            ),
        };
        let page = page_from_text(
            self.limit.as_deref(),
            self.include_total.as_deref(),
            &mut errors,
        );
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        let mut parsed = Parsed { filter, page };
        if let Some(raw) = self.cursor.as_deref() {
            parsed.page.after = Some(codec.decode(parsed.list(), raw)?);
        }
        Ok(parsed)
    }
}

fn filtered(conn: &mut DbConn, caller: &Caller, f: &Filter) -> ApiResult<Boxed> {
    let mut q = model::scoped(caller, f.updated_since.is_some());
    if !f.statuses.is_empty() {
        q = q.filter(receptions::status.eq_any(f.statuses.iter().map(|s| s.as_str())));
    }
    if !f.kinds.is_empty() {
        q = q.filter(receptions::kind.eq_any(f.kinds.iter().map(|k| k.as_str())));
    }
    if let Some(t) = f.territory_id {
        let Some(path) = crate::auth::live_territory_path(conn, t)? else {
            return Err(ApiError::validation(
                "territory_id",
                "unknown",
                "no such territory",
            ));
        };
        let upper = compat::path_upper_bound(&path);
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

/// Receptions in the caller's reach, newest first (or in sync order).
pub fn list(
    conn: &mut DbConn,
    caller: &Caller,
    parsed: &Parsed,
) -> ApiResult<Slice<Reception, Cursor>> {
    caller.authorize(Permission::ReceptionsRead)?;
    let page = &parsed.page;
    let q = filtered(conn, caller, &parsed.filter)?;
    let sync = parsed.filter.updated_since.is_some();
    let q = crate::newest_or_sync!(q, receptions, page.after.as_ref(), sync);
    let rows: Vec<ReceptionRow> = q.limit(page.limit + 1).load(conn)?;
    let total = match page.include_total {
        true => Some(
            filtered(conn, caller, &parsed.filter)?
                .count()
                .get_result::<i64>(conn)?,
        ),
        false => None,
    };
    Slice::from_rows(rows, page.limit, total, |r| {
        Cursor::after(sync, r.updated_at, r.id)
    })
    .try_map(|r| {
        let can_write = model::writable(caller, &r);
        model::view(conn, &r, can_write)
    })
}
