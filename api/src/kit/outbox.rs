//! The transactional outbox. [`enqueue`] is called by `kit::write::Tx::record` for every
//! change, inside the change's own transaction, so an event exists exactly when its
//! change was committed and no capability can forget one. It is one cheap INSERT (plus
//! a primary-key read of the object's ids, codes, statuses and dates): subscriptions are
//! matched and deliveries made later by the webhook worker (`crate::webhooks::worker`),
//! never here.

use baqylau_wire::webhooks::EventType;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::{json, Value};

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

/// The changed object's territory path (for subscriptions bound to a territory) and
/// what the event tells about it: ids, codes, statuses and dates read from the row after
/// the change — never free text (subjects, descriptions, resolutions, reports,
/// comments, names), which may name or quote citizens. A receiver fetches text through
/// the API, with its own key and scope.
fn facts(conn: &mut DbConn, entity: &str, id: i64) -> QueryResult<(Option<String>, Value)> {
    let at = |t: NaiveDateTime| t.and_utc();
    match entity {
        "appeal" => {
            use appeals as a;
            let row = a::table
                .find(id)
                .select((
                    a::territory_path,
                    (a::reg_number, a::status, a::category_code, a::channel),
                    (a::territory_id, a::reception_id, a::deputy_id),
                    (
                        a::registered_on,
                        a::due_on,
                        a::extended_due_on,
                        a::resolved_at,
                    ),
                ))
                .first::<(
                    String,
                    (String, String, String, String),
                    (i64, Option<i64>, Option<i64>),
                    (
                        NaiveDate,
                        NaiveDate,
                        Option<NaiveDate>,
                        Option<NaiveDateTime>,
                    ),
                )>(conn)
                .optional()?;
            Ok(match row {
                Some((path, (number, status, category, channel), ids, dates)) => (
                    Some(path),
                    json!({
                        "reg_number": number,
                        "status": status,
                        "category": category,
                        "channel": channel,
                        "territory_id": ids.0,
                        "reception_id": ids.1,
                        "deputy_id": ids.2,
                        "registered_on": dates.0,
                        "due_on": dates.2.unwrap_or(dates.1),
                        "resolved_at": dates.3.map(at),
                    }),
                ),
                None => (None, json!({})),
            })
        }
        "reception" => {
            use receptions as r;
            let row = r::table
                .find(id)
                .select((
                    r::territory_path,
                    (r::status, r::level, r::kind, r::territory_id),
                    (r::planned_start, r::planned_end, r::residents_heard),
                ))
                .first::<(
                    String,
                    (String, String, String, i64),
                    (NaiveDateTime, NaiveDateTime, Option<i64>),
                )>(conn)
                .optional()?;
            Ok(match row {
                Some((path, (status, level, kind, territory_id), (start, end, heard))) => (
                    Some(path),
                    json!({
                        "status": status,
                        "level": level,
                        "kind": kind,
                        "territory_id": territory_id,
                        "planned_start": at(start),
                        "planned_end": at(end),
                        "residents_heard": heard,
                    }),
                ),
                None => (None, json!({})),
            })
        }
        "indicator" => {
            use indicators as i;
            let row = i::table
                .find(id)
                .select((
                    i::territory_path,
                    (i::roadmap_id, i::section_id, i::territory_id, i::deputy_id),
                    (i::kind, i::status, i::due_on),
                ))
                .first::<(
                    String,
                    (i64, i64, i64, Option<i64>),
                    (String, String, NaiveDate),
                )>(conn)
                .optional()?;
            Ok(match row {
                Some((path, ids, (kind, status, due_on))) => (
                    Some(path),
                    json!({
                        "roadmap_id": ids.0,
                        "section_id": ids.1,
                        "territory_id": ids.2,
                        "deputy_id": ids.3,
                        "kind": kind,
                        "status": status,
                        "due_on": due_on,
                    }),
                ),
                None => (None, json!({})),
            })
        }
        _ => Ok((None, json!({}))),
    }
}

/// Writes the change's event, if it has one. `data` holds the transition (if any) and
/// the object's [`facts`]; the history details and the audit diff stay out, because
/// they carry the texts that were typed.
pub fn enqueue(conn: &mut DbConn, change: &Change<'_>, now: NaiveDateTime) -> ApiResult<()> {
    let to_status = change.event.as_ref().and_then(|e| e.to_status);
    let Some(kind) = event_type(change.entity, change.action, to_status) else {
        return Ok(());
    };
    let (path, facts) = facts(conn, change.entity, change.id)?;
    let mut data = json!({
        "from_status": change.event.as_ref().and_then(|e| e.from_status),
        "to_status": to_status,
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
            outbox_events::occurred_at.eq(now),
        ))
        .execute(conn)?;
    crate::db::note_outbox_write();
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
