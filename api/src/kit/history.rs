//! Reading the history that [`kit::write`](crate::kit::write) records: one object's
//! entries, oldest first, paged like every other list. Each capability turns a
//! [`HistoryRow`] into its own typed entry (its statuses are its own enum).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::history;
use crate::db::DbConn;
use crate::error::ApiResult;
use crate::kit::list::{PageRequest, Slice};

/// One history row, as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = history)]
pub struct HistoryRow {
    pub id: i64,
    pub entity: String,
    pub entity_id: i64,
    pub at: NaiveDateTime,
    pub actor_kind: String,
    pub actor_id: Option<i64>,
    pub actor_label: String,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub comment: Option<String>,
    pub details: String,
}

impl HistoryRow {
    /// The details as JSON; written by the write path from a `serde_json::Value`.
    pub fn details(&self) -> serde_json::Value {
        serde_json::from_str(&self.details).unwrap_or(serde_json::Value::Null)
    }
}

/// The entries of `entity` `id`, oldest first, after the entry `page.after`. The caller
/// has already checked that the object is visible.
pub fn page(
    conn: &mut DbConn,
    entity: &str,
    id: i64,
    page: &PageRequest<i64>,
) -> ApiResult<Slice<HistoryRow, i64>> {
    let entries = || -> ApiResult<_> {
        Ok(history::table
            .filter(history::entity.eq(entity))
            .filter(history::entity_id.eq(id))
            .select(HistoryRow::as_select())
            .into_boxed())
    };
    Ok(crate::collect_by_id!(
        conn,
        page,
        HistoryRow,
        history::id,
        asc,
        entries()
    ))
}
