//! Listing appeals: filters shared with the export, sort keys, sync mode — on
//! `kit::list`.

use baqylau_wire::appeals::{Appeal, AppealSort, ExportFormat};
use baqylau_wire::personal::Disclosure;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use serde::Deserialize;
use utoipa::IntoParams;

use super::model::{self, Boxed, Joined};
use crate::auth::{Caller, Permission};
use crate::db::schema::{appeals, territories};
use crate::db::{compat, DbConn};
use crate::domain::appeal::{self as rules, Channel, Status};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::kit::clock::Clock;
use crate::kit::list::params::{boolean, enum_list, int, moment, moment_end, one_of};
use crate::kit::list::{self, Filters, Position, Slice};

/// Filters of `GET /appeals` and `GET /appeals/export` (paging is `kit::list`'s).
/// Values are taken as text and checked here, so that every bad parameter is reported
/// at once.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AppealQuery {
    /// One status or several, comma-separated (`status=registered,under_control`).
    #[param(value_type = Option<Vec<Status>>, style = Form, explode = false)]
    pub status: Option<String>,
    /// A category code.
    pub category: Option<String>,
    #[param(value_type = Option<Channel>)]
    pub channel: Option<String>,
    /// The whole subtree of this territory.
    #[param(value_type = Option<i64>)]
    pub territory_id: Option<String>,
    #[param(value_type = Option<i64>)]
    pub deputy_id: Option<String>,
    #[param(value_type = Option<i64>)]
    pub reception_id: Option<String>,
    /// `true`: open and past the deadline in force; `false`: the others.
    #[param(value_type = Option<bool>)]
    pub overdue: Option<String>,
    /// Full-text search in the registration number, subject and description (word
    /// prefixes, case-insensitive, Kazakh and Russian).
    pub q: Option<String>,
    /// Received on or after: a date (Asia/Almaty) or an RFC 3339 time.
    pub received_from: Option<String>,
    /// Received before the end of this date, or before this RFC 3339 time.
    pub received_to: Option<String>,
    /// Sync mode: appeals changed since this time, oldest change first, deleted ones as
    /// tombstones (`"deleted": true`).
    pub updated_since: Option<String>,
    /// `newest` (default), `oldest`, `due` (earliest deadline in force first) or a key,
    /// `-key` for descending; ignored in sync mode (`updated_since`), which is oldest
    /// change first.
    #[param(value_type = Option<AppealSort>)]
    pub sort: Option<String>,
    /// Export only; `csv` when absent.
    #[param(value_type = Option<ExportFormat>)]
    pub format: Option<String>,
}

/// The checked filters.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub statuses: Vec<Status>,
    pub category: Option<String>,
    pub channel: Option<Channel>,
    pub territory_id: Option<i64>,
    pub deputy_id: Option<i64>,
    pub reception_id: Option<i64>,
    pub overdue: Option<bool>,
    pub words: Vec<String>,
    pub received_from: Option<NaiveDateTime>,
    pub received_to: Option<NaiveDateTime>,
    pub updated_since: Option<NaiveDateTime>,
}

impl Filters for AppealQuery {
    type Checked = Filter;
    fn check(&self, errors: &mut Vec<FieldError>) -> Filter {
        Filter {
            statuses: enum_list("status", self.status.as_deref(), errors),
            category: self.category.clone().filter(|c| !c.trim().is_empty()),
            channel: one_of("channel", self.channel.as_deref(), errors),
            territory_id: int("territory_id", self.territory_id.as_deref(), errors),
            deputy_id: int("deputy_id", self.deputy_id.as_deref(), errors),
            reception_id: int("reception_id", self.reception_id.as_deref(), errors),
            overdue: boolean("overdue", self.overdue.as_deref(), errors),
            words: self
                .q
                .as_deref()
                .map(compat::fulltext_words)
                .unwrap_or_default(),
            received_from: moment("received_from", self.received_from.as_deref(), errors),
            received_to: moment_end("received_to", self.received_to.as_deref(), errors),
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
    AppealSort, Boxed, appeals, Joined, |r| &r.0;
    Newest => id desc,
    Oldest => id asc,
    Due | DueDesc => [rules::deadline_in_force_sql(), |a| rules::deadline_in_force(a.due_on, a.extended_due_on)],
    ReceivedAt | ReceivedAtDesc => received_at,
    // The row holds the typed status; the cursor keeps its spelling, as stored.
    Status | StatusDesc => [appeals::status, |a| a.status.as_str().to_owned()],
    Territory | TerritoryDesc => territory_path,
    CreatedAt | CreatedAtDesc => created_at,
    UpdatedAt | UpdatedAtDesc => updated_at,
}

pub type Request = list::Request<Filter, AppealSort>;

/// The caller's scoped query with every filter applied. The territory filter is a path
/// range like the scope itself, so it covers the whole subtree.
pub fn filtered(
    conn: &mut DbConn,
    caller: &Caller,
    f: &Filter,
    today: NaiveDate,
) -> ApiResult<Boxed> {
    let mut q = model::scoped(caller, f.updated_since.is_some());
    if !f.statuses.is_empty() {
        q = q.filter(appeals::status.eq_any(f.statuses.iter().map(|s| s.as_str())));
    }
    if let Some(c) = &f.category {
        q = q.filter(appeals::category_code.eq(c.clone()));
    }
    if let Some(c) = f.channel {
        q = q.filter(appeals::channel.eq(c.as_str()));
    }
    if let Some(t) = f.territory_id {
        let path: Option<String> = territories::table
            .find(t)
            .select(territories::path)
            .first(conn)
            .optional()?;
        let Some(path) = path else {
            return Err(ApiError::validation(
                "territory_id",
                "unknown",
                "no such territory",
            ));
        };
        q = q
            .filter(appeals::territory_path.ge(path.clone()))
            .filter(appeals::territory_path.lt(compat::path_upper_bound(&path)));
    }
    if let Some(d) = f.deputy_id {
        q = q.filter(appeals::deputy_id.eq(d));
    }
    if let Some(r) = f.reception_id {
        q = q.filter(appeals::reception_id.eq(r));
    }
    if let Some(overdue) = f.overdue {
        q = match overdue {
            true => q.filter(rules::is_overdue_sql(today)),
            false => q.filter(diesel::dsl::not(rules::is_overdue_sql(today))),
        };
    }
    if !f.words.is_empty() {
        let (prefix, expr) = compat::appeal_search_sql(conn, &f.words);
        q = q.filter(sql::<Bool>(prefix).bind::<Text, _>(expr).sql(")"));
    }
    if let Some(t) = f.received_from {
        q = q.filter(appeals::received_at.ge(t));
    }
    if let Some(t) = f.received_to {
        q = q.filter(appeals::received_at.lt(t));
    }
    if let Some(t) = f.updated_since {
        q = q.filter(appeals::updated_at.ge(t));
    }
    Ok(q)
}

/// Appeals in the caller's territory. IIN, phone and email are masked in lists; the
/// single-appeal view shows them to those who may see them.
pub fn list(
    conn: &mut DbConn,
    caller: &Caller,
    clock: &Clock,
    req: &Request,
) -> ApiResult<Slice<Appeal, Position>> {
    caller.authorize(Permission::AppealsRead)?;
    let today = clock.today();
    let slice = crate::collect!(
        conn,
        req,
        Joined,
        filtered(conn, caller, &req.filter, today)
    );
    let can_write = caller.allows(Permission::AppealsWrite);
    Ok(slice.map(|r| model::view(&r, Disclosure::Masked, can_write, today)))
}
