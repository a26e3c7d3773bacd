//! One way to list: every collection in the API is read through this module.
//!
//! A list is its filter struct (text parameters, checked once by [`Filters::check`], so
//! every bad parameter is reported in one 422 beside a bad `limit` or `sort`), its sort
//! keys (a wire `text_enum!` and one `sort_order!` line per key) and the query that applies
//! the filters inside the caller's scope. [`ListQuery`] gathers the parameters,
//! [`ListQuery::sorted`] checks them into a [`Request`], and [`collect!`](crate::collect)
//! orders the query, fetches `limit + 1`, counts when asked and keys the next page. With
//! `updated_since` a list in sync mode is oldest change first with tombstones
//! ([`sync`]). Handlers answer the [`Slice`] through `routes::page`, which signs the next
//! position with the [`CursorKey`].

pub mod cursor;
pub mod order;
pub mod params;
pub mod sync;

use chrono::NaiveDateTime;
use serde::Deserialize;
use utoipa::IntoParams;

pub use cursor::{
    check_limit, invalid_cursor, CursorKey, PageRequest, Slice, DEFAULT_LIMIT, MAX_LIMIT,
};
pub use order::{Keyed, Position, SortKey, Sorted};

use crate::error::{ApiError, FieldError};

/// The paging part of every list's query string. Taken as text, so that a bad size is
/// listed in one 422 with the list's bad filters.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Page size, 1–200 (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    /// `next_cursor` of the previous page; opaque.
    #[param(pattern = r"^1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$", max_length = 2048)]
    pub cursor: Option<String>,
    /// Add the number of matching items as `total` (costs a count).
    #[param(value_type = Option<bool>)]
    pub include_total: Option<String>,
}

/// A list's own query parameters, as text.
pub trait Filters {
    /// The checked filters an operation receives.
    type Checked: Send + 'static;
    /// Parses each parameter once; every problem goes to `errors`.
    fn check(&self, errors: &mut Vec<FieldError>) -> Self::Checked;
    /// The `sort` parameter, for lists that declare sort keys.
    fn sort(&self) -> Option<&str> {
        None
    }
    /// `updated_since`, for lists with a sync mode: when given, the list is in sync order.
    fn since(_checked: &Self::Checked) -> Option<NaiveDateTime> {
        None
    }
}

/// The filters of a list that has none.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NoFilters {}

impl Filters for NoFilters {
    type Checked = ();
    fn check(&self, _: &mut Vec<FieldError>) {}
}

/// A list's query string: its filters and the paging parameters, both read from the
/// same query string (so both are named in the spec with `params(F, ListParams)`); read
/// from a request in `extract`, the edge.
#[derive(Debug, Clone)]
pub struct ListQuery<F> {
    pub filters: F,
    pub page: ListParams,
}

/// The order a request asked for: one of the list's sort keys, or sync order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Order<S> {
    Sorted(S),
    Sync,
}

/// A checked list request: filters, order, page, and the list's name in its cursors.
#[derive(Debug, Clone)]
pub struct Request<F, S> {
    pub filter: F,
    pub order: Order<S>,
    pub page: PageRequest<Position>,
    name: String,
}

impl<F, S: SortKey> Request<F, S> {
    /// The name the next cursor is signed for: the list and its order.
    pub fn name(&self) -> String {
        self.name.clone()
    }

    pub fn is_sync(&self) -> bool {
        matches!(self.order, Order::Sync)
    }

    /// `q` ordered and positioned after the request's cursor.
    pub fn order<Q>(&self, q: Q) -> Result<Q, ApiError>
    where
        S: Sorted<Q>,
    {
        self.order.apply(q, self.page.after.as_ref())
    }

    /// The position after `row` in the request's order.
    pub fn position<R>(&self, row: &R) -> Position
    where
        S: Keyed<R>,
    {
        self.order.position(row)
    }
}

impl<S: SortKey> Order<S> {
    /// `q` in this order, after `after`; for readers that page on their own (exports).
    pub fn apply<Q>(self, q: Q, after: Option<&Position>) -> Result<Q, ApiError>
    where
        S: Sorted<Q>,
    {
        match self {
            Order::Sorted(sort) => sort.order(q, after),
            Order::Sync => Ok(S::sync(q, after)),
        }
    }

    /// The position after `row` in this order.
    pub fn position<R>(self, row: &R) -> Position
    where
        S: Keyed<R>,
    {
        match self {
            Order::Sorted(sort) => sort.position(row),
            Order::Sync => S::sync_position(row),
        }
    }
}

impl<F: Filters> ListQuery<F> {
    /// Checks every parameter — all problems at once as 422, a foreign or forged cursor
    /// as 400 — for the list named `list` with the sort keys `S`.
    pub fn sorted<S: SortKey>(
        &self,
        key: &CursorKey,
        list: &str,
    ) -> Result<Request<F::Checked, S>, ApiError> {
        let mut errors = Vec::new();
        let filter = self.filters.check(&mut errors);
        let (limit, include_total) = self.size(&mut errors);
        let sort = match self.filters.sort().map(str::trim) {
            None | Some("") => S::DEFAULT,
            Some(raw) => S::parse(raw).unwrap_or_else(|| {
                errors.push(FieldError::new(
                    "sort",
                    "one_of",
                    format!("must be one of {}", S::choices()),
                ));
                S::DEFAULT
            }),
        };
        // Sync order is the point of `updated_since`, so it overrides `sort`.
        let (order, name) = match F::since(&filter) {
            Some(_) => (Order::Sync, format!("{list}:sync")),
            None => (Order::Sorted(sort), format!("{list}:{}", sort.as_str())),
        };
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        let after = match self.page.cursor.as_deref() {
            Some(raw) => Some(key.decode(&name, raw)?),
            None => None,
        };
        Ok(Request {
            filter,
            order,
            page: PageRequest {
                limit,
                after,
                include_total,
            },
            name,
        })
    }

    /// Checks every parameter of a list in one order, named `list` in its cursors, whose
    /// cursor is the last row's key `K` (its id, or its code).
    pub fn one_order<K: serde::de::DeserializeOwned>(
        &self,
        key: &CursorKey,
        list: &str,
    ) -> Result<(F::Checked, PageRequest<K>), ApiError> {
        let mut errors = Vec::new();
        let filter = self.filters.check(&mut errors);
        let (limit, include_total) = self.size(&mut errors);
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        let after = match self.page.cursor.as_deref() {
            Some(raw) => Some(key.decode(list, raw)?),
            None => None,
        };
        Ok((
            filter,
            PageRequest {
                limit,
                after,
                include_total,
            },
        ))
    }

    fn size(&self, errors: &mut Vec<FieldError>) -> (i64, bool) {
        // A size that is not a number is out of range, like 0.
        let limit = self
            .page
            .limit
            .as_deref()
            .map(|raw| raw.trim().parse().unwrap_or(0));
        let limit = check_limit(limit, DEFAULT_LIMIT, errors);
        let include_total =
            params::boolean("include_total", self.page.include_total.as_deref(), errors);
        (limit, include_total.unwrap_or(false))
    }
}

/// Reads one page of `$row`s for a [`Request`]: `$filtered` (the caller's scoped query
/// with the filters, evaluated again for the count) in the request's order, after its
/// cursor, `limit + 1` rows to know whether more follow, and the total when asked.
#[macro_export]
macro_rules! collect {
    ($conn:ident, $request:expr, $row:ty, $filtered:expr) => {{
        use diesel::prelude::*;
        let request = $request;
        let query = request.order($filtered?)?;
        let rows: Vec<$row> = query.limit(request.page.limit + 1).load($conn)?;
        let total = match request.page.include_total {
            true => Some($filtered?.count().get_result::<i64>($conn)?),
            false => None,
        };
        $crate::kit::list::Slice::from_rows(rows, request.page.limit, total, |r| {
            request.position::<$row>(r)
        })
    }};
}

/// [`collect!`] for a list in one fixed order by its id (`desc`: newest first, `asc`:
/// oldest first), paged with a `PageRequest<i64>` from [`ListQuery::one_order`]:
/// `$filtered` (evaluated again for the count) after the cursor's id, `limit + 1` rows,
/// the total when asked. The next page is keyed by the row's id, or by `|r| key`.
#[macro_export]
macro_rules! collect_by_id {
    (@after $id:expr, desc, $after:ident) => {
        $id.lt($after)
    };
    (@after $id:expr, asc, $after:ident) => {
        $id.gt($after)
    };
    ($conn:ident, $page:expr, $row:ty, $id:expr, $dir:ident, $filtered:expr) => {
        $crate::collect_by_id!($conn, $page, $row, $id, $dir, $filtered, |r| r.id)
    };
    ($conn:ident, $page:expr, $row:ty, $id:expr, $dir:ident, $filtered:expr, |$r:ident| $key:expr) => {{
        use diesel::prelude::*;
        let page: &$crate::kit::list::PageRequest<i64> = $page;
        let mut query = $filtered?;
        if let Some(after) = page.after {
            query = query.filter($crate::collect_by_id!(@after $id, $dir, after));
        }
        let rows: Vec<$row> = query
            .order($id.$dir())
            .limit(page.limit + 1)
            .load($conn)?;
        let total = match page.include_total {
            true => Some($filtered?.count().get_result::<i64>($conn)?),
            false => None,
        };
        $crate::kit::list::Slice::from_rows(rows, page.limit, total, |$r: &$row| $key)
    }};
}
