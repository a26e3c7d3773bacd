//! The audit trail: every create, update, transition and delete writes a row in the same
//! transaction as the change. Rows are append-only (database triggers refuse UPDATE and
//! DELETE) and hash-chained: each row's hash covers its content and the previous hash,
//! and row ids are contiguous, so an edit or a deletion is evident to `verify`
//! ([`chain`]). Reads of personal data reach the chain through [`reveal`], which keeps
//! them off the chain's lock.

mod chain;
pub mod reveal;

pub use chain::{append, verify, Entry, Row, Verification};

use baqylau_wire::auth::ActorKind;
use baqylau_wire::reference::AuditEntry;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::auth::{Caller, Permission};
use crate::db::schema::audit_log;
use crate::db::DbConn;
use crate::error::{ApiError, ApiResult};
use crate::kit::list::{PageRequest, Slice};

/// What the audit trail shows in place of a personal or secret value.
pub const REDACTED: &str = "[redacted]";

/// Field-level changes `{field: {"from": .., "to": ..}}` between two serialisable
/// snapshots (`None` for create or delete). Fields named in `sensitive` are recorded as
/// changed but their values are replaced by [`REDACTED`].
pub fn diff<T: Serialize>(before: Option<&T>, after: Option<&T>, sensitive: &[&str]) -> Value {
    let as_map = |v: Option<&T>| -> Map<String, Value> {
        match v.map(serde_json::to_value) {
            Some(Ok(Value::Object(map))) => map,
            _ => Map::new(),
        }
    };
    let (before, after) = (as_map(before), as_map(after));
    let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut changes = Map::new();
    for key in keys {
        let old = before.get(key).cloned().unwrap_or(Value::Null);
        let new = after.get(key).cloned().unwrap_or(Value::Null);
        if old == new {
            continue;
        }
        let hide = |v: Value| {
            if sensitive.contains(&key.as_str()) && !v.is_null() {
                Value::String(REDACTED.to_owned())
            } else {
                v
            }
        };
        changes.insert(
            key.clone(),
            serde_json::json!({ "from": hide(old), "to": hide(new) }),
        );
    }
    Value::Object(changes)
}

/// Which rows a read of the trail shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub actor_kind: Option<ActorKind>,
    pub actor_id: Option<i64>,
    pub action: Option<String>,
    /// At or after.
    pub from: Option<NaiveDateTime>,
    /// Before.
    pub to: Option<NaiveDateTime>,
}

/// Only unbound admins read the trail: rows carry no territory, so a territory-bound
/// admin is refused (403) rather than shown other districts' changes.
pub fn may_read(caller: &Caller) -> ApiResult<()> {
    caller.authorize(Permission::AuditRead)?;
    if caller.territory.is_some() {
        return Err(ApiError::Forbidden(
            "the audit trail is for admins without a territory binding".to_owned(),
        ));
    }
    Ok(())
}

/// The trail, newest first (the key is the row id), each row with its chain hash.
pub fn list(
    conn: &mut DbConn,
    caller: &Caller,
    filter: &Filter,
    page: &PageRequest<i64>,
) -> ApiResult<Slice<AuditEntry, i64>> {
    may_read(caller)?;
    let filtered = || -> ApiResult<_> {
        let mut query = audit_log::table
            .select((Row::as_select(), audit_log::hash))
            .into_boxed();
        if let Some(v) = &filter.entity {
            query = query.filter(audit_log::entity.eq(v.clone()));
        }
        if let Some(v) = &filter.entity_id {
            query = query.filter(audit_log::entity_id.eq(v.clone()));
        }
        if let Some(v) = filter.actor_kind {
            query = query.filter(audit_log::actor_kind.eq(v.as_str()));
        }
        if let Some(v) = filter.actor_id {
            query = query.filter(audit_log::actor_id.eq(v));
        }
        if let Some(v) = &filter.action {
            query = query.filter(audit_log::action.eq(v.clone()));
        }
        if let Some(v) = filter.from {
            query = query.filter(audit_log::at.ge(v));
        }
        if let Some(v) = filter.to {
            query = query.filter(audit_log::at.lt(v));
        }
        Ok(query)
    };
    crate::collect_by_id!(
        conn,
        page,
        (Row, String),
        audit_log::id,
        desc,
        filtered(),
        |r| r.0.id
    )
    .try_map(entry)
}

fn entry((Row { id, entry }, hash): (Row, String)) -> ApiResult<AuditEntry> {
    Ok(AuditEntry {
        id,
        at: entry.at.and_utc(),
        actor_kind: crate::db::enum_column("audit_log", "actor_kind", &entry.actor_kind)?,
        actor_id: entry.actor_id,
        actor_label: entry.actor_label,
        entity: entry.entity,
        entity_id: entry.entity_id,
        action: entry.action,
        // Written by `record` from a serde_json value, so it always parses.
        changes: serde_json::from_str(&entry.changes).unwrap_or(Value::Null),
        request_id: entry.request_id,
        hash,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Snapshot {
        name: String,
        iin: Option<String>,
        same: i32,
    }

    #[test]
    fn diff_lists_changed_fields_and_redacts_sensitive_ones() {
        let a = Snapshot {
            name: "A".into(),
            iin: Some("850715300122".into()),
            same: 1,
        };
        let b = Snapshot {
            name: "B".into(),
            iin: Some("920302401256".into()),
            same: 1,
        };
        let d = diff(Some(&a), Some(&b), &["iin"]);
        assert_eq!(d["name"], serde_json::json!({"from": "A", "to": "B"}));
        assert_eq!(
            d["iin"],
            serde_json::json!({"from": REDACTED, "to": REDACTED})
        );
        assert!(d.get("same").is_none());
        let created = diff(None, Some(&a), &["iin"]);
        assert_eq!(created["name"]["from"], Value::Null);
        assert!(!created.to_string().contains("850715300122"));
    }
}
