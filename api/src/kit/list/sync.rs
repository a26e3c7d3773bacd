//! Sync mode for any collection whose rows have `id`, `updated_at` and `deleted_at`:
//! `updated_since=<time>` lists the rows changed since then, oldest change first, with
//! deleted rows included as tombstones, so a mobile client can mirror the collection by
//! repeating the request with the last page's cursor.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// The position after a row in sync order: its `updated_at`, then its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncKey {
    pub updated_at: NaiveDateTime,
    pub id: i64,
}

/// Orders a boxed query on `$table` for sync mode and positions it after `$after` (an
/// `Option<SyncKey>`). The capability's filter applies `updated_at >= since` (so that a
/// `total` counts the same rows) and keeps deleted rows, which are the tombstones.
#[macro_export]
macro_rules! sync_order {
    ($query:expr, $table:ident, $after:expr) => {{
        use diesel::prelude::*;
        let mut query = $query;
        if let Some(key) = $after {
            let key: $crate::kit::list::sync::SyncKey = key;
            query = query.filter(
                $table::updated_at.gt(key.updated_at).or($table::updated_at
                    .eq(key.updated_at)
                    .and($table::id.gt(key.id))),
            );
        }
        query.order(($table::updated_at.asc(), $table::id.asc()))
    }};
}

/// The position after a row of a list that is newest first by id, or in sync order
/// with `updated_since`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum ListCursor {
    Id(i64),
    Sync(SyncKey),
}

impl ListCursor {
    pub fn after(sync: bool, updated_at: NaiveDateTime, id: i64) -> ListCursor {
        match sync {
            true => ListCursor::Sync(SyncKey { updated_at, id }),
            false => ListCursor::Id(id),
        }
    }
}

/// Orders a boxed query on `$table` newest first by id, or in sync order when `$sync`,
/// positioned after `$after` (an `Option<&ListCursor>`).
#[macro_export]
macro_rules! newest_or_sync {
    ($query:expr, $table:ident, $after:expr, $sync:expr) => {{
        use diesel::prelude::*;
        use $crate::kit::list::sync::ListCursor;
        let after: Option<&ListCursor> = $after;
        if $sync {
            let key = match after {
                Some(ListCursor::Sync(key)) => Some(*key),
                _ => None,
            };
            $crate::sync_order!($query, $table, key)
        } else {
            let query = match after {
                Some(ListCursor::Id(id)) => $query.filter($table::id.lt(*id)),
                _ => $query,
            };
            query.order($table::id.desc())
        }
    }};
}
