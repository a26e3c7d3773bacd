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
        let rows: Vec<_> = part
            .iter()
            .map(|a| {
                (
                    (
                        appeals::id.eq(a.id),
                        appeals::reg_number.eq(&a.reg_number),
                        appeals::status.eq(a.status),
                        appeals::channel.eq(a.channel),
                        appeals::category_code.eq(&a.category),
                        appeals::territory_id.eq(a.territory_id),
                        appeals::territory_path.eq(&a.territory_path),
                        appeals::reception_id.eq(a.reception_id),
                        appeals::anonymous.eq(a.anonymous),
                        appeals::threat_report.eq(a.threat_report),
                        appeals::subject.eq(&a.subject),
                        appeals::description.eq(&a.description),
                        appeals::language.eq(a.language),
                        appeals::search_text.eq(&a.search_text),
                    ),
                    (
                        appeals::received_at.eq(a.received_at),
                        appeals::registered_on.eq(a.registered_on),
                        appeals::due_on.eq(a.due_on),
                        appeals::extended_due_on.eq(a.extended_due_on),
                        appeals::extension_reason.eq(a.extension_reason),
                        appeals::deputy_id.eq(a.deputy_id),
                        appeals::assigned_body.eq(a.assigned_body),
                        appeals::resolution.eq(a.resolution),
                        appeals::resolved_at.eq(a.resolved_at),
                        appeals::forwarded_to.eq(a.forwarded_to),
                        appeals::forwarded_on.eq(a.forwarded_on),
                        appeals::created_at.eq(a.created_at),
                        appeals::updated_at.eq(a.updated_at),
                        appeals::version.eq(a.version),
                    ),
                )
            })
            .collect();
        crate::with_backend_connection!(&mut *conn, |c| diesel::insert_into(appeals::table)
            .values(rows)
            .execute(c))?;
    }
    for part in batch.chunks(CITIZENS_PER_STATEMENT) {
        let rows: Vec<_> = part
            .iter()
            .map(|a| {
                (
                    appeal_citizens::appeal_id.eq(a.id),
                    appeal_citizens::full_name.eq(a.full_name.as_deref()),
                    appeal_citizens::iin.eq(a.iin.as_deref()),
                    appeal_citizens::phone.eq(a.phone.as_deref()),
                    appeal_citizens::email.eq(a.email.as_deref()),
                    appeal_citizens::address.eq(a.address.as_deref()),
                )
            })
            .collect();
        crate::with_backend_connection!(&mut *conn, |c| diesel::insert_into(
            appeal_citizens::table
        )
        .values(rows)
        .execute(c))?;
    }
    let mut id = last_event_id;
    let events: Vec<_> = batch
        .iter()
        .flat_map(|a| a.history.iter().map(move |e| (a.id, e)))
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
