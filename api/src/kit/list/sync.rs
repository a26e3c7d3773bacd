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
