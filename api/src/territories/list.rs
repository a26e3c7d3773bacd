//! Listing territories: by KATO code (the classifier's own order), or in sync mode by
//! change time with tombstones, so that an offline client can mirror the classifier.

use baqylau_wire::reference::{Territory, TerritoryLevel};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::Bool;

use super::{find, view, TerritoryRow};
use crate::auth::{Caller, Permission};
use crate::db::schema::territories;
use crate::db::{DbConn, MultiBackend};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::kit::list::{PageRequest, Slice};

/// Which territories a list shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Direct children of this territory.
    pub parent_id: Option<i64>,
    pub level: Option<TerritoryLevel>,
    /// Part of a name (Kazakh or Russian) or the start of a KATO code.
    pub text: Option<String>,
}

/// The position after a row in sync mode: change time, then id for equal times.
pub type SyncKey = (NaiveDateTime, i64);

pub fn check_level(level: &str, errors: &mut Vec<FieldError>) -> Option<TerritoryLevel> {
    let parsed = TerritoryLevel::parse(level);
    if parsed.is_none() {
        errors.push(FieldError::new(
            "level",
            "one_of",
            format!("must be one of {}", TerritoryLevel::choices()),
        ));
    }
    parsed
}

type Condition = Box<dyn BoxableExpression<territories::table, MultiBackend, SqlType = Bool>>;

/// A name or code search. SQLite's LIKE folds ASCII case only, so the usual spellings of
/// a Cyrillic name are tried: as typed, lower case, and capitalised.
fn matching(text: &str) -> Condition {
    let lower = text.to_lowercase();
    let mut chars = lower.chars();
    let capital: String = match chars.next() {
        Some(first) => std::iter::once(first.to_uppercase().next().unwrap_or(first))
            .chain(chars)
            .collect(),
        None => String::new(),
    };
    let mut cond: Condition = Box::new(territories::kato_code.like(format!("{text}%")));
    for variant in [text.to_owned(), lower, capital] {
        let pattern = format!("%{variant}%");
        cond = Box::new(
            cond.or(territories::name_ru.like(pattern.clone()))
                .or(territories::name_kk.like(pattern).assume_not_null()),
        );
    }
    cond
}

/// The rows a filter selects; deleted ones only for sync mode, which reports them as
/// tombstones.
fn filtered<'a>(
    filter: &Filter,
    since: Option<NaiveDateTime>,
) -> territories::BoxedQuery<'a, MultiBackend> {
    let mut query = territories::table.into_boxed();
    match since {
        Some(since) => query = query.filter(territories::updated_at.ge(since)),
        None => query = query.filter(territories::deleted_at.is_null()),
    }
    if let Some(parent) = filter.parent_id {
        query = query.filter(territories::parent_id.eq(parent));
    }
    if let Some(level) = filter.level {
        query = query.filter(territories::level.eq(level.as_str()));
    }
    if let Some(text) = filter
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        query = query.filter(matching(text));
    }
    query
}

fn total(
    conn: &mut DbConn,
    page_wants_total: bool,
    filter: &Filter,
    since: Option<NaiveDateTime>,
) -> ApiResult<Option<i64>> {
    Ok(match page_wants_total {
        true => Some(filtered(filter, since).count().get_result::<i64>(conn)?),
        false => None,
    })
}

/// Live territories by KATO code (the key is the code).
pub fn list(
    conn: &mut DbConn,
    caller: &Caller,
    filter: &Filter,
    page: &PageRequest<String>,
) -> ApiResult<Slice<Territory, String>> {
    caller.authorize(Permission::ReferenceRead)?;
    let mut query = filtered(filter, None);
    if let Some(after) = &page.after {
        query = query.filter(territories::kato_code.gt(after.clone()));
    }
    let rows: Vec<TerritoryRow> = query
        .order(territories::kato_code.asc())
        .limit(page.limit + 1)
        .select(TerritoryRow::as_select())
        .load(conn)?;
    let total = total(conn, page.include_total, filter, None)?;
    Slice::from_rows(rows, page.limit, total, |r| r.kato_code.clone()).try_map(view)
}

/// Sync mode: territories changed at or after `since`, oldest change first, deleted ones
/// included (`deleted: true`) so that a mirror can drop them.
pub fn changed_since(
    conn: &mut DbConn,
    caller: &Caller,
    since: NaiveDateTime,
    filter: &Filter,
    page: &PageRequest<SyncKey>,
) -> ApiResult<Slice<Territory, SyncKey>> {
    caller.authorize(Permission::ReferenceRead)?;
    let mut query = filtered(filter, Some(since));
    if let Some((t, id)) = page.after {
        query = query.filter(
            territories::updated_at
                .gt(t)
                .or(territories::updated_at.eq(t).and(territories::id.gt(id))),
        );
    }
    let rows: Vec<TerritoryRow> = query
        .order((territories::updated_at.asc(), territories::id.asc()))
        .limit(page.limit + 1)
        .select(TerritoryRow::as_select())
        .load(conn)?;
    let total = total(conn, page.include_total, filter, Some(since))?;
    Slice::from_rows(rows, page.limit, total, |r| (r.updated_at, r.id)).try_map(view)
}

/// The direct children of a live territory, by KATO code (404 when there is none): a
/// list like every other, since a city can have more children than one page.
pub fn children(
    conn: &mut DbConn,
    caller: &Caller,
    id: i64,
    page: &PageRequest<String>,
) -> ApiResult<Slice<Territory, String>> {
    caller.authorize(Permission::ReferenceRead)?;
    find(conn, id)?.ok_or(ApiError::NotFound)?;
    let filter = Filter {
        parent_id: Some(id),
        ..Filter::default()
    };
    list(conn, caller, &filter, page)
}
