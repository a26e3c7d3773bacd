//! Listing deputies: level, mandate status, maslikhat subtree, sync mode.

use baqylau_wire::deputies::{Deputy, DeputySort, MandateStatus, MaslikhatLevel};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::IntoParams;

use super::model::{self, Boxed, DeputyRow};
use crate::auth::{Caller, Permission};
use crate::db::schema::deputies;
use crate::db::DbConn;
use crate::error::{ApiResult, FieldError};
use crate::kit::list::params::{int, moment, one_of};
use crate::kit::list::{self, Filters, Position, Slice};

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
    /// The order: `newest` (default) or a key, `-key` for descending; ignored in sync mode.
    #[param(value_type = Option<DeputySort>)]
    pub sort: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub level: Option<MaslikhatLevel>,
    pub status: Option<MandateStatus>,
    pub territory_id: Option<i64>,
    pub updated_since: Option<NaiveDateTime>,
}

impl Filters for DeputyQuery {
    type Checked = Filter;
    fn check(&self, errors: &mut Vec<FieldError>) -> Filter {
        Filter {
            level: one_of("level", self.level.as_deref(), errors),
            status: one_of("mandate_status", self.mandate_status.as_deref(), errors),
            territory_id: int("territory_id", self.territory_id.as_deref(), errors),
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
    DeputySort, Boxed, deputies, DeputyRow, |r| r;
    Newest => id desc,
    CreatedAt | CreatedAtDesc => created_at,
    UpdatedAt | UpdatedAtDesc => updated_at,
    FullName | FullNameDesc => full_name,
}

pub type Request = list::Request<Filter, DeputySort>;

fn filtered(conn: &mut DbConn, caller: &Caller, f: &Filter) -> ApiResult<Boxed> {
    let mut q = model::scoped(caller, f.updated_since.is_some());
    if let Some(l) = f.level {
        q = q.filter(deputies::level.eq(l.as_str()));
    }
    if let Some(s) = f.status {
        q = q.filter(deputies::mandate_status.eq(s.as_str()));
    }
    if let Some(t) = f.territory_id {
        let (path, upper) = crate::auth::subtree(conn, "territory_id", t)?;
        q = q
            .filter(deputies::territory_path.ge(path))
            .filter(deputies::territory_path.lt(upper));
    }
    if let Some(t) = f.updated_since {
        q = q.filter(deputies::updated_at.ge(t));
    }
    Ok(q)
}

/// Deputies in the caller's reach, in the requested order (or in sync order).
pub fn list(
    conn: &mut DbConn,
    caller: &Caller,
    req: &Request,
) -> ApiResult<Slice<Deputy, Position>> {
    caller.authorize(Permission::DeputiesRead)?;
    let slice = crate::collect!(conn, req, DeputyRow, filtered(conn, caller, &req.filter));
    let views = model::views(conn, slice.items)?;
    Ok(Slice {
        items: views,
        next: slice.next,
        total: slice.total,
    })
}
