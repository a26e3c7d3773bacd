//! Listing appeals: filters shared with the export, stable keyset pagination, sync mode.

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
use crate::kit::page::{check_limit, CursorCodec, PageRequest, Slice, DEFAULT_LIMIT, MAX_LIMIT};
use crate::kit::params::{boolean, int, moment};

/// Filters of `GET /appeals` and `GET /appeals/export`. Values are taken as text and
/// checked here, so that every bad parameter is reported at once.
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
    /// `newest` (default), `oldest`, or `due` (earliest deadline in force first);
    /// ignored in sync mode (`updated_since`), which is oldest change first.
    #[param(value_type = Option<AppealSort>)]
    pub sort: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    pub cursor: Option<String>,
    /// Add the number of matching appeals as `total`.
    #[param(value_type = Option<bool>)]
    pub include_total: Option<String>,
    /// Export only; `csv` when absent.
    #[param(value_type = Option<ExportFormat>)]
    pub format: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Newest,
    Oldest,
    Due,
    /// `updated_since` mode.
    Sync,
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

pub struct Parsed {
    pub filter: Filter,
    pub sort: Sort,
    pub page: PageRequest<Cursor>,
}

impl Sort {
    /// The list's name in its cursors: a cursor of one order is refused by another.
    pub fn list(self) -> &'static str {
        match self {
            Sort::Newest => "appeals:newest",
            Sort::Oldest => "appeals:oldest",
            Sort::Due => "appeals:due",
            Sort::Sync => "appeals:sync",
        }
    }
}

/// The keyset position after a row, per order.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Cursor {
    Id(i64),
    Due(NaiveDate, i64),
    Sync(crate::kit::sync::SyncKey),
}

impl AppealQuery {
    /// Checks every parameter (all problems at once, 422; a forged cursor is 400).
    /// `export` lifts the default page size, which the export does not use.
    pub fn parse(&self, codec: &CursorCodec, export: bool) -> Result<Parsed, ApiError> {
        let mut errors = Vec::new();
        let mut statuses = Vec::new();
        for s in self
            .status
            .iter()
            .flat_map(|s| s.split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            if let Some(status) = Status::parse(s) {
                statuses.push(status);
            } else {
                errors.push(FieldError::new(
                    "status",
                    "one_of",
                    format!("must be among {}", Status::choices()),
                ));
            }
        }
        let channel = self.channel.as_deref().and_then(|c| {
            let parsed = Channel::parse(c);
            if parsed.is_none() {
                errors.push(FieldError::new(
                    "channel",
                    "one_of",
                    format!("must be one of {}", Channel::choices()),
                ));
            }
            parsed
        });
        let updated_since = moment(
            "updated_since",
            self.updated_since.as_deref(),
            false,
            &mut errors,
        );
        let sort = match (
            updated_since.is_some(),
            self.sort.as_deref().map(AppealSort::parse),
        ) {
            (true, _) => Sort::Sync,
            (false, None | Some(Some(AppealSort::Newest))) => Sort::Newest,
            (false, Some(Some(AppealSort::Oldest))) => Sort::Oldest,
            (false, Some(Some(AppealSort::Due))) => Sort::Due,
            (false, Some(None)) => {
                errors.push(FieldError::new(
                    "sort",
                    "one_of",
                    format!("must be one of {}", AppealSort::choices()),
                ));
                Sort::Newest
            }
        };
        // Text that is not a number is out of range like any other bad size.
        let limit = self
            .limit
            .as_deref()
            .map(|raw| raw.trim().parse().unwrap_or(0));
        let default = if export { MAX_LIMIT } else { DEFAULT_LIMIT };
        let limit = check_limit(limit, default, &mut errors);
        let after = match self.cursor.as_deref() {
            Some(raw) => Some(codec.decode::<Cursor>(sort.list(), raw)?),
            None => None,
        };
        let filter = Filter {
            statuses,
            category: self.category.clone().filter(|c| !c.trim().is_empty()),
            channel,
            territory_id: int("territory_id", self.territory_id.as_deref(), &mut errors),
            deputy_id: int("deputy_id", self.deputy_id.as_deref(), &mut errors),
            reception_id: int("reception_id", self.reception_id.as_deref(), &mut errors),
            overdue: boolean("overdue", self.overdue.as_deref(), &mut errors),
            words: self
                .q
                .as_deref()
                .map(compat::fulltext_words)
                .unwrap_or_default(),
            received_from: moment(
                "received_from",
                self.received_from.as_deref(),
                false,
                &mut errors,
            ),
            received_to: moment(
                "received_to",
                self.received_to.as_deref(),
                true,
                &mut errors,
            ),
            updated_since,
        };
        let include_total =
            boolean("include_total", self.include_total.as_deref(), &mut errors).unwrap_or(false);
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        Ok(Parsed {
            filter,
            sort,
            page: PageRequest {
                limit,
                after,
                include_total,
            },
        })
    }
}

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

/// Orders and positions a filtered query after `cursor`.
pub fn ordered(mut q: Boxed, sort: Sort, cursor: Option<&Cursor>) -> Boxed {
    match (sort, cursor) {
        (Sort::Newest, Some(Cursor::Id(id))) => q = q.filter(appeals::id.lt(*id)),
        (Sort::Oldest, Some(Cursor::Id(id))) => q = q.filter(appeals::id.gt(*id)),
        (Sort::Due, Some(Cursor::Due(d, id))) => {
            let deadline = rules::deadline_in_force_sql;
            q = q.filter(
                deadline()
                    .gt(*d)
                    .or(deadline().eq(*d).and(appeals::id.gt(*id))),
            )
        }
        _ => {}
    }
    match sort {
        Sort::Newest => q.order(appeals::id.desc()),
        Sort::Oldest => q.order(appeals::id.asc()),
        Sort::Due => q.order((rules::deadline_in_force_sql().asc(), appeals::id.asc())),
        Sort::Sync => {
            let after = match cursor {
                Some(Cursor::Sync(key)) => Some(*key),
                _ => None,
            };
            crate::sync_order!(q, appeals, after)
        }
    }
}

/// The position after `last` in the order `sort`.
pub fn cursor_after(sort: Sort, last: &Joined) -> Cursor {
    let row = &last.0;
    match sort {
        Sort::Sync => Cursor::Sync(crate::kit::sync::SyncKey {
            updated_at: row.updated_at,
            id: row.id,
        }),
        Sort::Due => Cursor::Due(
            rules::deadline_in_force(row.due_on, row.extended_due_on),
            row.id,
        ),
        Sort::Newest | Sort::Oldest => Cursor::Id(row.id),
    }
}

/// Appeals in the caller's territory. IIN, phone and email are masked in lists; the
/// single-appeal view shows them to those who may see them.
pub fn list(
    conn: &mut DbConn,
    caller: &Caller,
    clock: &Clock,
    parsed: &Parsed,
) -> ApiResult<Slice<Appeal, Cursor>> {
    caller.authorize(Permission::AppealsRead)?;
    let today = clock.today();
    let page = &parsed.page;
    let rows: Vec<Joined> = ordered(
        filtered(conn, caller, &parsed.filter, today)?,
        parsed.sort,
        page.after.as_ref(),
    )
    .limit(page.limit + 1)
    .load(conn)?;
    let total = match page.include_total {
        true => Some(
            filtered(conn, caller, &parsed.filter, today)?
                .count()
                .get_result::<i64>(conn)?,
        ),
        false => None,
    };
    let can_write = caller.allows(Permission::AppealsWrite);
    Ok(
        Slice::from_rows(rows, page.limit, total, |r| cursor_after(parsed.sort, r))
            .map(|r| model::view(&r, Disclosure::Masked, can_write, today)),
    )
}
