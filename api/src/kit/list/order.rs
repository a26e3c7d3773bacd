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
    /// The sort key's value, then the id. `Due` is how appeals spelled their deadline
    /// order before the kit, so those cursors stay valid.
    #[serde(alias = "Due")]
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

/// A value of a cursor's position read back as the type of the sort key it came from
/// (`_key` is never called: it only names that type).
pub fn typed<R, T: serde::de::DeserializeOwned>(
    _key: impl Fn(&R) -> T,
    value: serde_json::Value,
) -> Result<T, ApiError> {
    serde_json::from_value(value).map_err(|_| super::cursor::invalid_cursor())
}

/// Declares the orders of a list: the wire enum `$sort`, the boxed query `$query` on
/// `$table`, the row `$row` (and how to reach the table's columns in it, for joined
/// rows), then one line per order: its variants and the key. Ascending or descending
/// follows the spelling (`-field`), or is written after the key (`newest => id desc`).
/// The first variant is the default.
///
/// A key is a column of `$table`, or a SQL expression with the same value computed from
/// the row, in brackets: `[sql_expression(), |r| value_of(r)]` (the expression is
/// evaluated once per use, so write it as a call). The row value keys the cursor, so the
/// two must agree.
///
/// ```ignore
/// crate::sort_order! {
///     AppealSort, Boxed, appeals, Joined, |r| &r.0;
///     Newest => id desc,
///     CreatedAt | CreatedAtDesc => created_at,
///     Due | DueDesc => [deadline_in_force(), |a| a.extended_due_on.unwrap_or(a.due_on)],
/// }
/// ```
#[macro_export]
macro_rules! sort_order {
    (
        $sort:ident, $query:ty, $table:ident, $row:ty, |$r:ident| $columns:expr;
        $first:ident $(| $more:ident)* => $fkey:tt $($fdir:ident)?
        $(, $($variant:ident)|+ => $key:tt $($dir:ident)?)* $(,)?
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
                            $fkey, None$(.or(Some(stringify!($fdir) == "desc")))?
                                .unwrap_or(spelled_desc))
                    }
                    $($($sort::$variant)|+ => {
                        $crate::sort_order!(@order q, after, $table, $row, |$r| $columns,
                            $key, None$(.or(Some(stringify!($dir) == "desc")))?
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
                    $sort::$first $(| $sort::$more)* =>
                        $crate::sort_order!(@value columns, $fkey),
                    $($($sort::$variant)|+ => $crate::sort_order!(@value columns, $key),)*
                };
                $crate::kit::list::Position::Key(
                    value.expect("sort keys are plain data"),
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
    // The SQL side of a key: a column, or the expression given.
    (@sql $table:ident, $col:ident) => { $table::$col };
    (@sql $table:ident, [$sql:expr, |$v:ident| $value:expr]) => { $sql };
    // The row side of a key, as the JSON kept in the cursor.
    (@value $columns:ident, $col:ident) => { serde_json::to_value(&$columns.$col) };
    (@value $columns:ident, [$sql:expr, |$v:ident| $value:expr]) => {{
        let $v = $columns;
        serde_json::to_value(&$value)
    }};
    // A function from the row to the key's value, for its type.
    (@type $row:ty, |$r:ident| $columns:expr, $col:ident) => {
        |$r: &$row| ($columns).$col.clone()
    };
    (@type $row:ty, |$r:ident| $columns:expr, [$sql:expr, |$v:ident| $value:expr]) => {
        |$r: &$row| {
            let $v = $columns;
            $value
        }
    };
    (@order $q:ident, $after:ident, $table:ident, $row:ty, |$r:ident| $columns:expr,
        $key:tt, $desc:expr) => {{
        let mut q = $q;
        let desc: bool = $desc;
        if let Some((value, id)) = $after.and_then(|p| p.key()) {
            let value = $crate::kit::list::order::typed(
                $crate::sort_order!(@type $row, |$r| $columns, $key),
                value,
            )?;
            q = if desc {
                q.filter($crate::sort_order!(@sql $table, $key).lt(value.clone()).or(
                    $crate::sort_order!(@sql $table, $key)
                        .eq(value)
                        .and($table::id.lt(id)),
                ))
            } else {
                q.filter($crate::sort_order!(@sql $table, $key).gt(value.clone()).or(
                    $crate::sort_order!(@sql $table, $key)
                        .eq(value)
                        .and($table::id.gt(id)),
                ))
            };
        }
        Ok(if desc {
            q.order(($crate::sort_order!(@sql $table, $key).desc(), $table::id.desc()))
        } else {
            q.order(($crate::sort_order!(@sql $table, $key).asc(), $table::id.asc()))
        })
    }};
}
