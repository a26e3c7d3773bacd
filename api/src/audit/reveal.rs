//! Reads of personal data, recorded without taking the chain's lock.
//!
//! Every full read of a citizen's IIN, phone or e-mail must be on record (who saw whose
//! data, when). Appending each one to the hash chain made every such read a write through
//! the one lock that all writers of all processes share. Instead a read inserts one row
//! into `audit_pending` — an ordinary insert with its own key, committed before the
//! answer leaves, so a process killed right after answering has still recorded it — and
//! the sealer moves pending rows into the chain in batches, one lock for many rows, with
//! the time and actor of the read itself.
//!
//! The bound on tamper-evidence: a pending row is protected by the database's permissions
//! only until it is sealed, which every process does within [`SEAL_EVERY`] (and
//! `baqylau audit verify` does first).

use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::chain::{self, Entry};
use crate::db::schema::{audit_head, audit_pending};
use crate::db::{compat, Db, DbConn};
use crate::kit::actor::Actor;

/// How often each process seals what is pending.
pub const SEAL_EVERY: Duration = Duration::from_secs(1);

/// Rows moved into the chain per transaction: large enough to amortise the lock, small
/// enough that a writer behind it waits only milliseconds.
const BATCH: i64 = 500;

/// The audit action of a full read of personal data.
pub const ACTION: &str = "read_personal_data";

/// Records that `actor` read `fields` of `entity` `entity_id` in full: one insert, no
/// chain lock. Call it before answering, outside any other transaction.
pub fn record(
    conn: &mut DbConn,
    actor: &Actor,
    at: NaiveDateTime,
    entity: &str,
    entity_id: i64,
    fields: &[&str],
) -> QueryResult<()> {
    let details = serde_json::json!({ "fields": fields });
    diesel::insert_into(audit_pending::table)
        .values((
            audit_pending::at.eq(at),
            audit_pending::actor_kind.eq(actor.kind),
            audit_pending::actor_id.eq(actor.id),
            audit_pending::actor_label.eq(&actor.label),
            audit_pending::entity.eq(entity),
            audit_pending::entity_id.eq(entity_id.to_string()),
            audit_pending::action.eq(ACTION),
            audit_pending::changes.eq(details.to_string()),
            audit_pending::request_id.eq(&actor.request_id),
        ))
        .execute(conn)
        .map(drop)
}

type PendingRow = (
    i64,
    NaiveDateTime,
    String,
    Option<i64>,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
);

/// Moves up to one batch of pending rows into the chain, oldest first, in one
/// transaction; the number moved. Safe to run in any number of processes at once: the
/// head row's lock is taken before the pending rows are read, so two sealers never move
/// the same row.
pub fn seal_batch(conn: &mut DbConn) -> QueryResult<usize> {
    compat::write_transaction(conn, |conn| {
        // Lock first (a no-op update of the head), then read what is pending: on
        // PostgreSQL a sealer that waited for the lock sees the rows the other one
        // deleted as gone.
        diesel::update(audit_head::table.filter(audit_head::id.eq(1)))
            .set(audit_head::last_id.eq(audit_head::last_id))
            .execute(conn)?;
        let rows: Vec<PendingRow> = audit_pending::table
            .order(audit_pending::id.asc())
            .limit(BATCH)
            .select((
                audit_pending::id,
                audit_pending::at,
                audit_pending::actor_kind,
                audit_pending::actor_id,
                audit_pending::actor_label,
                audit_pending::entity,
                audit_pending::entity_id,
                audit_pending::action,
                audit_pending::changes,
                audit_pending::request_id,
            ))
            .load(conn)?;
        let Some(last) = rows.last().map(|r| r.0) else {
            return Ok(0);
        };
        let first = rows[0].0;
        let entries: Vec<Entry> = rows
            .into_iter()
            .map(|r| Entry {
                at: r.1,
                actor_kind: r.2,
                actor_id: r.3,
                actor_label: r.4,
                entity: r.5,
                entity_id: r.6,
                action: r.7,
                changes: r.8,
                request_id: r.9,
            })
            .collect();
        chain::append(conn, &entries)?;
        diesel::delete(
            audit_pending::table
                .filter(audit_pending::id.ge(first))
                .filter(audit_pending::id.le(last)),
        )
        .execute(conn)?;
        Ok(entries.len())
    })
}

/// Seals until nothing is pending; the number of rows moved.
pub fn seal_all(conn: &mut DbConn) -> QueryResult<usize> {
    let mut total = 0;
    loop {
        match seal_batch(conn)? {
            0 => return Ok(total),
            n => total += n,
        }
    }
}

/// Rows not yet in the chain.
pub fn pending(conn: &mut DbConn) -> QueryResult<i64> {
    audit_pending::table.count().get_result(conn)
}

/// The sealer every server process runs beside the server: a round every
/// [`SEAL_EVERY`], each sealing until nothing is pending. A failed round (the database
/// away) is logged and tried again; nothing is lost, the rows stay pending.
pub async fn run_sealer(db: Db) {
    let mut tick = tokio::time::interval(SEAL_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let db = db.clone();
        let round = tokio::task::spawn_blocking(move || -> anyhow::Result<usize> {
            let mut conn = db.get()?;
            Ok(seal_all(&mut conn)?)
        })
        .await;
        match round {
            Ok(Ok(0)) => {}
            Ok(Ok(sealed)) => {
                tracing::debug!(sealed, "sealed personal-data reads into the audit chain")
            }
            Ok(Err(err)) => {
                tracing::warn!(error = %err, "sealing the audit trail failed; retrying")
            }
            Err(err) => tracing::error!(error = %err, "the audit sealer panicked"),
        }
    }
}
