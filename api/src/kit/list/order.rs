//! Declared sort keys and keyset positions.
//!
//! A list's orders are a `text_enum!` in `wire` (so the spec and the dashboard see them),
//! spelled `field` for ascending and `-field` for descending, plus named orders kept
//! from before (`newest`). `sort_order!` maps each to a column once; from that the list
//! is ordered, positioned after a cursor and keyed for the next one. Every order ends
//! with the id, so rows with equal values keep a stable place across pages.

use serde::{Deserialize, Serialize};

use super::sync::SyncKey;
use crate::error::ApiError;

/// The position after the last row of a page, as signed into its cursor.
///
/// `Id` and `Sync` are spelled as the cursors issued before sort keys existed, so those
/// stay valid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Position {
    Id(i64),
    Sync(SyncKey),
    /// The sort column's value, then the id.
    Key(serde_json::Value, i64),
}

impl Position {
    /// The value and id to go on after, for an order by `column, id`; an `Id` position
    /// is an order by the id alone.
    pub fn key(&self) -> Option<(serde_json::Value, i64)> {
        match self {
            Position::Id(id) => Some((serde_json::Value::from(*id), *id)),
            Position::Key(value, id) => Some((value.clone(), *id)),
            Position::Sync(_) => None,
        }
    }

    pub fn sync(&self) -> Option<SyncKey> {
        match self {
            Position::Sync(key) => Some(*key),
            _ => None,
        }
    }
}

/// The orders a list accepts in `sort`.
pub trait SortKey: Copy + Send + Sync + 'static {
    /// The order when `sort` is absent: today's order, so clients see no change.
    const DEFAULT: Self;
    fn parse(spelling: &str) -> Option<Self>;
    fn as_str(self) -> &'static str;
    fn choices() -> String;
}

/// How a query `Q` of a list is ordered and positioned.
pub trait Sorted<Q>: SortKey {
    /// `q` in this order, after `after`.
    fn order(self, q: Q, after: Option<&Position>) -> Result<Q, ApiError>;
    /// `q` in sync order (`updated_at`, then id), after `after`.
    fn sync(q: Q, after: Option<&Position>) -> Q;
}

/// Where a row `R` of a list stands in each order.
pub trait Keyed<R>: SortKey {
    /// The position after `row` in this order.
    fn position(self, row: &R) -> Position;
    /// The position after `row` in sync order.
    fn sync_position(row: &R) -> Position;
}

/// A value of a cursor's position read back as the type of the column it came from.
pub fn typed<R, T: serde::de::DeserializeOwned>(
    _field: impl Fn(&R) -> &T,
    value: serde_json::Value,
) -> Result<T, ApiError> {
    serde_json::from_value(value).map_err(|_| super::cursor::invalid_cursor())
}

/// Declares the orders of a list: the wire enum `$sort`, the boxed query `$query` on
/// `$table`, the row `$row` (and how to reach the table's columns in it, for joined
/// rows), then one line per order: its variants and the column. Ascending or descending
/// follows the spelling (`-field`), or is written after the column (`newest => id desc`).
/// The first variant is the default.
///
/// ```ignore
/// crate::sort_order! {
///     DeputySort, Boxed, deputies, DeputyRow, |r| r;
///     Newest => id desc,
///     CreatedAt | CreatedAtDesc => created_at,
/// }
/// ```
#[macro_export]
macro_rules! sort_order {
    (
        $sort:ident, $query:ty, $table:ident, $row:ty, |$r:ident| $columns:expr;
        $first:ident $(| $more:ident)* => $fcol:ident $($fdir:ident)?
        $(, $($variant:ident)|+ => $col:ident $($dir:ident)?)* $(,)?
    ) => {
        impl $crate::kit::list::SortKey for $sort {
            const DEFAULT: Self = $sort::$first;
            fn parse(spelling: &str) -> Option<Self> {
                $sort::parse(spelling)
            }
            fn as_str(self) -> &'static str {
                $sort::as_str(self)
            }
            fn choices() -> String {
                $sort::choices()
            }
        }

        impl $crate::kit::list::Sorted<$query> for $sort {
            fn order(
                self,
                q: $query,
                after: Option<&$crate::kit::list::Position>,
            ) -> Result<$query, $crate::error::ApiError> {
                use diesel::prelude::*;
                #[allow(unused_variables)]
                let spelled_desc = self.as_str().starts_with('-');
                match self {
                    $sort::$first $(| $sort::$more)* => {
                        $crate::sort_order!(@order q, after, $table, $row, |$r| $columns,
                            $fcol, None$(.or(Some(stringify!($fdir) == "desc")))?
                                .unwrap_or(spelled_desc))
                    }
                    $($($sort::$variant)|+ => {
                        $crate::sort_order!(@order q, after, $table, $row, |$r| $columns,
                            $col, None$(.or(Some(stringify!($dir) == "desc")))?
                                .unwrap_or(spelled_desc))
                    })*
                }
            }

            fn sync(q: $query, after: Option<&$crate::kit::list::Position>) -> $query {
                $crate::sync_order!(q, $table, after.and_then(|p| p.sync()))
            }
        }

        impl $crate::kit::list::Keyed<$row> for $sort {
            fn position(self, row: &$row) -> $crate::kit::list::Position {
                let $r = row;
                let columns = $columns;
                let value = match self {
                    $sort::$first $(| $sort::$more)* => serde_json::to_value(&columns.$fcol),
                    $($($sort::$variant)|+ => serde_json::to_value(&columns.$col),)*
                };
                $crate::kit::list::Position::Key(
                    value.expect("sort columns are plain data"),
                    columns.id,
                )
            }

            fn sync_position(row: &$row) -> $crate::kit::list::Position {
                let $r = row;
                let columns = $columns;
                $crate::kit::list::Position::Sync($crate::kit::list::sync::SyncKey {
                    updated_at: columns.updated_at,
                    id: columns.id,
                })
            }
        }
    };
    (@order $q:ident, $after:ident, $table:ident, $row:ty, |$r:ident| $columns:expr,
        $col:ident, $desc:expr) => {{
        let mut q = $q;
        let desc: bool = $desc;
        if let Some((value, id)) = $after.and_then(|p| p.key()) {
            let value = $crate::kit::list::order::typed(
                |$r: &$row| &($columns).$col,
                value,
            )?;
            q = if desc {
                q.filter($table::$col.lt(value.clone()).or($table::$col
                    .eq(value)
                    .and($table::id.lt(id))))
            } else {
                q.filter($table::$col.gt(value.clone()).or($table::$col
                    .eq(value)
                    .and($table::id.gt(id))))
            };
        }
        Ok(if desc {
            q.order(($table::$col.desc(), $table::id.desc()))
        } else {
            q.order(($table::$col.asc(), $table::id.asc()))
        })
    }};
}
