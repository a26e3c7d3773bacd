//! The transactional outbox. [`enqueue`] is called by `kit::write::Tx::record` for every
//! change, inside the change's own transaction, so an event exists exactly when its
//! change was committed and no capability can forget one. It is one cheap INSERT (plus
//! primary-key reads of the object's territory and of its ids, codes, statuses and
//! dates): subscriptions are matched and deliveries made later by the webhook worker
//! (`crate::webhooks::worker`), never here.
//!
//! What a table publishes is declared beside its `versioned!(..)` (see [`Publish`]), so
//! this module knows no capability.

use baqylau_wire::webhooks::EventType;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::{json, Value};

use crate::db::schema::outbox_events;
use crate::db::DbConn;
use crate::error::ApiResult;

/// The webhook events of one versioned table, declared with `versioned!(..)`.
#[derive(Debug, Clone, Copy)]
pub struct Publish {
    /// The event a change publishes, from its audit action and the status it moved to;
    /// `None` for changes no webhook can subscribe to.
    pub event: fn(action: &str, to_status: Option<&str>) -> Option<EventType>,
    /// The object's territory path (for subscriptions bound to a territory); `None` when
    /// the row is gone.
    pub territory: fn(&mut DbConn, i64) -> QueryResult<Option<String>>,
    /// What the event tells about the object: ids, codes, statuses and dates read from
    /// the row after the change — never free text (subjects, descriptions, resolutions,
    /// reports, comments, names), which may name or quote citizens. A receiver fetches
    /// text through the API, with its own key and scope. `{}` when the row is gone.
    pub facts: fn(&mut DbConn, i64) -> QueryResult<Value>,
}

/// One change, as the outbox needs to see it.
pub struct Occurred<'a> {
    pub entity: &'a str,
    pub id: i64,
    pub action: &'a str,
    pub from_status: Option<&'a str>,
    pub to_status: Option<&'a str>,
    pub at: NaiveDateTime,
}

/// Writes the change's event, if its table publishes one for it. `data` holds the
/// transition (if any) and the object's facts; the history details and the audit diff
/// stay out, because they carry the texts that were typed.
pub fn enqueue(conn: &mut DbConn, publish: &Publish, change: &Occurred<'_>) -> ApiResult<()> {
    let Some(kind) = (publish.event)(change.action, change.to_status) else {
        return Ok(());
    };
    let path = (publish.territory)(conn, change.id)?;
    let facts = (publish.facts)(conn, change.id)?;
    let mut data = json!({
        "from_status": change.from_status,
        "to_status": change.to_status,
    });
    if let (Value::Object(data), Value::Object(facts)) = (&mut data, facts) {
        data.insert("object".to_owned(), Value::Object(facts));
    }
    diesel::insert_into(outbox_events::table)
        .values((
            outbox_events::event_type.eq(kind.as_str()),
            outbox_events::entity.eq(change.entity),
            outbox_events::entity_id.eq(change.id),
            outbox_events::territory_path.eq(path),
            outbox_events::payload.eq(data.to_string()),
            outbox_events::occurred_at.eq(change.at),
        ))
        .execute(conn)?;
    crate::db::note_outbox_write();
    Ok(())
}
