//! The transactional outbox. [`enqueue`] is called by `kit::write::Tx::record` for every
//! change, inside the change's own transaction, so an event exists exactly when its
//! change was committed and no capability can forget one. It is one cheap INSERT (plus
//! a primary-key read of the object's territory): subscriptions are matched and
//! deliveries made later by the webhook worker (`crate::webhooks::worker`), never here.

use baqylau_wire::webhooks::EventType;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use crate::db::schema::{appeals, indicators, outbox_events, receptions};
use crate::db::DbConn;
use crate::error::ApiResult;
use crate::kit::write::Change;

/// The one map from a change to the event it publishes; `None` for changes no webhook
/// can subscribe to (edits of users, keys, territories, ...).
pub fn event_type(entity: &str, action: &str, to_status: Option<&str>) -> Option<EventType> {
    match (entity, action, to_status) {
        ("appeal", "create", _) => Some(EventType::AppealCreated),
        ("appeal", "transition", _) => Some(EventType::AppealStatusChanged),
        ("appeal", "delete", _) => Some(EventType::AppealDeleted),
        ("reception", "transition", Some("held")) => Some(EventType::ReceptionHeld),
        ("indicator", "progress", _) => Some(EventType::IndicatorProgress),
        _ => None,
    }
}

/// The territory path of the changed object, for subscriptions bound to a territory.
fn territory_path(conn: &mut DbConn, entity: &str, id: i64) -> QueryResult<Option<String>> {
    match entity {
        "appeal" => appeals::table
            .find(id)
            .select(appeals::territory_path)
            .first(conn)
            .optional(),
        "reception" => receptions::table
            .find(id)
            .select(receptions::territory_path)
            .first(conn)
            .optional(),
        "indicator" => indicators::table
            .find(id)
            .select(indicators::territory_path)
            .first(conn)
            .optional(),
        _ => Ok(None),
    }
}

/// Writes the change's event, if it has one. The payload holds what the history and
/// the audit diff already say (personal values redacted there), never free-text
/// comments, which may name people.
pub fn enqueue(conn: &mut DbConn, change: &Change<'_>, now: NaiveDateTime) -> ApiResult<()> {
    let to_status = change.event.as_ref().and_then(|e| e.to_status);
    let Some(kind) = event_type(change.entity, change.action, to_status) else {
        return Ok(());
    };
    let path = territory_path(conn, change.entity, change.id)?;
    let data = json!({
        "from_status": change.event.as_ref().and_then(|e| e.from_status),
        "to_status": to_status,
        "details": change.event.as_ref().map(|e| e.details.clone()),
        "changes": change.audit,
    });
    diesel::insert_into(outbox_events::table)
        .values((
            outbox_events::event_type.eq(kind.as_str()),
            outbox_events::entity.eq(change.entity),
            outbox_events::entity_id.eq(change.id),
            outbox_events::territory_path.eq(path),
            outbox_events::payload.eq(data.to_string()),
            outbox_events::occurred_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_type_has_a_change() {
        let mapped = [
            event_type("appeal", "create", Some("registered")),
            event_type("appeal", "transition", Some("closed")),
            event_type("appeal", "delete", None),
            event_type("reception", "transition", Some("held")),
            event_type("indicator", "progress", Some("done")),
        ];
        for kind in EventType::ALL {
            assert!(mapped.contains(&Some(kind)), "{kind} is never published");
        }
        assert_eq!(
            event_type("reception", "transition", Some("cancelled")),
            None
        );
        assert_eq!(event_type("user", "create", None), None);
    }
}
