//! Listing deputies: level, mandate status, maslikhat subtree, sync mode.

use baqylau_wire::deputies::{Deputy, MandateStatus, MaslikhatLevel};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::IntoParams;

use super::model::{self, Boxed, DeputyRow};
use crate::auth::{Caller, Permission};
use crate::db::schema::deputies;
use crate::db::{compat, DbConn};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::kit::page::{page_from_text, CursorCodec, PageRequest, Slice};
use crate::kit::params::{int, moment};

/// Filters of `GET /deputies`, taken as text so that every bad one is listed at once.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeputyQuery {
    #[param(value_type = Option<MaslikhatLevel>)]
    pub level: Option<String>,
    #[param(value_type = Option<MandateStatus>)]
    pub mandate_status: Option<String>,
    /// Maslikhats in the subtree of this territory.
    #[param(value_type = Option<i64>)]
    pub territory_id: Option<String>,
    /// Sync mode: changed since this time, oldest change first, deleted ones as tombstones.
    pub updated_since: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    pub cursor: Option<String>,
    #[param(value_type = Option<bool>)]
    pub include_total: Option<String>,
}

pub use crate::kit::sync::ListCursor as Cursor;

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub level: Option<MaslikhatLevel>,
    pub status: Option<MandateStatus>,
    pub territory_id: Option<i64>,
    pub updated_since: Option<NaiveDateTime>,
}

pub struct Parsed {
    pub filter: Filter,
    pub page: PageRequest<Cursor>,
}

impl Parsed {
    pub fn list(&self) -> &'static str {
        match self.filter.updated_since {
            Some(_) => "deputies:sync",
            None => "deputies:newest",
        }
    }
}

fn one_of<E: Copy>(
    field: &str,
    raw: Option<&str>,
    parse: fn(&str) -> Option<E>,
    choices: String,
    errors: &mut Vec<FieldError>,
) -> Option<E> {
    let raw = raw?.trim();
    let parsed = parse(raw);
    if parsed.is_none() {
        errors.push(FieldError::new(
            field,
            "one_of",
            format!("must be one of {choices}"),
        ));
    }
    parsed
}

impl DeputyQuery {
    pub fn parse(&self, codec: &CursorCodec) -> Result<Parsed, ApiError> {
        let mut errors = Vec::new();
        let filter = Filter {
            level: one_of(
                "level",
                self.level.as_deref(),
                MaslikhatLevel::parse,
                MaslikhatLevel::choices(),
                &mut errors,
            ),
            status: one_of(
                "mandate_status",
                self.mandate_status.as_deref(),
                MandateStatus::parse,
                MandateStatus::choices(),
                &mut errors,
            ),
            territory_id: int("territory_id", self.territory_id.as_deref(), &mut errors),
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
    if let Some(l) = f.level {
        q = q.filter(deputies::level.eq(l.as_str()));
    }
    if let Some(s) = f.status {
        q = q.filter(deputies::mandate_status.eq(s.as_str()));
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
        q = q
            .filter(deputies::territory_path.ge(path))
            .filter(deputies::territory_path.lt(upper));
    }
    if let Some(t) = f.updated_since {
        q = q.filter(deputies::updated_at.ge(t));
    }
    Ok(q)
}

/// Deputies in the caller's reach, newest first (or in sync order).
pub fn list(
    conn: &mut DbConn,
    caller: &Caller,
    parsed: &Parsed,
) -> ApiResult<Slice<Deputy, Cursor>> {
    caller.authorize(Permission::DeputiesRead)?;
    let page = &parsed.page;
    let q = filtered(conn, caller, &parsed.filter)?;
    let sync = parsed.filter.updated_since.is_some();
    let q = crate::newest_or_sync!(q, deputies, page.after.as_ref(), sync);
    let rows: Vec<DeputyRow> = q.limit(page.limit + 1).load(conn)?;
    let total = match page.include_total {
        true => Some(
            filtered(conn, caller, &parsed.filter)?
                .count()
                .get_result::<i64>(conn)?,
        ),
        false => None,
    };
    let slice = Slice::from_rows(rows, page.limit, total, |r| {
        Cursor::after(sync, r.updated_at, r.id)
    });
    let views = model::views(conn, slice.items)?;
    Ok(Slice {
        items: views,
        next: slice.next,
        total: slice.total,
    })
}
