//! Generated appeals into the database: multi-row INSERTs of appeals, their citizens and
//! their history, with ids given (the tables are empty), so nothing is read back.

use diesel::prelude::*;

use super::appeals::NewAppeal;
use crate::db::schema::{appeal_citizens, appeals, history};
use crate::db::DbConn;

/// Rows per INSERT: 28 binds a row keeps a statement under SQLite's 32 766 bind
/// parameters (PostgreSQL allows 65 535).
const APPEALS_PER_STATEMENT: usize = 1_000;
/// 6 binds a citizen, 11 a history entry.
const CITIZENS_PER_STATEMENT: usize = 5_000;
const EVENTS_PER_STATEMENT: usize = 2_500;

/// Writes `batch` (with the history ids starting after `last_event_id`); returns the
/// last history id used.
pub fn insert(conn: &mut DbConn, batch: &[NewAppeal], last_event_id: i64) -> anyhow::Result<i64> {
    for part in batch.chunks(APPEALS_PER_STATEMENT) {
        let rows: Vec<_> = part.iter().map(|a| &a.row).collect();
        crate::with_backend_connection!(&mut *conn, |c| diesel::insert_into(appeals::table)
            .values(rows)
            .execute(c))?;
    }
    for part in batch.chunks(CITIZENS_PER_STATEMENT) {
        let rows: Vec<_> = part.iter().map(|a| &a.citizen).collect();
        crate::with_backend_connection!(&mut *conn, |c| diesel::insert_into(
            appeal_citizens::table
        )
        .values(rows)
        .execute(c))?;
    }
    let mut id = last_event_id;
    let events: Vec<_> = batch
        .iter()
        .flat_map(|a| a.history.iter().map(move |e| (a.row.id, e)))
        .map(|(appeal, e)| {
            id += 1;
            (
                history::id.eq(id),
                history::entity.eq("appeal"),
                history::entity_id.eq(appeal),
                history::at.eq(e.at),
                history::actor_kind.eq("system"),
                history::actor_label.eq(super::ACTOR),
                history::action.eq(e.action),
                history::from_status.eq(e.from_status),
                history::to_status.eq(Some(e.to_status)),
                history::comment.eq(e.comment),
                history::details.eq(&e.details),
            )
        })
        .collect();
    for part in events.chunks(EVENTS_PER_STATEMENT) {
        let part = part.to_vec();
        crate::with_backend_connection!(&mut *conn, |c| diesel::insert_into(history::table)
            .values(part)
            .execute(c))?;
    }
    Ok(id)
}
