//! The audit trail: every create, update, transition and delete writes a row in the same
//! transaction as the change. Rows are append-only (database triggers refuse UPDATE and
//! DELETE) and hash-chained: each row's hash covers its content and the previous hash,
//! and row ids are contiguous, so an edit or a deletion is evident to `verify`.

use baqylau_wire::auth::ActorKind;
use baqylau_wire::reference::AuditEntry;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::auth::{Caller, Permission};
use crate::db::schema::{audit_head, audit_log};
use crate::db::{compat, DbConn};
use crate::error::{ApiError, ApiResult};
use crate::kit::page::{PageRequest, Slice};

/// Who made a change.
#[derive(Debug, Clone)]
pub struct Actor {
    /// An [`ActorKind`] spelling; text because the kit's history writer binds it as is.
    pub kind: &'static str,
    pub id: Option<i64>,
    pub label: String,
    pub request_id: Option<String>,
}

impl Actor {
    /// Changes made by the command line (seeding, bootstrap).
    pub fn system(label: &str) -> Actor {
        Actor {
            kind: ActorKind::System.as_str(),
            id: None,
            label: label.to_owned(),
            request_id: None,
        }
    }
}

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

/// Appends one row. Call inside the transaction that makes the change.
pub fn record(
    conn: &mut DbConn,
    actor: &Actor,
    entity: &str,
    entity_id: impl ToString,
    action: &str,
    changes: Value,
) -> QueryResult<i64> {
    // Taking the head row's lock first serialises appenders across connections and
    // processes; it returns the new id and the hash to chain from.
    let (id, prev_hash): (i64, String) =
        diesel::update(audit_head::table.filter(audit_head::id.eq(1)))
            .set(audit_head::last_id.eq(audit_head::last_id + 1))
            .returning((audit_head::last_id, audit_head::last_hash))
            .get_result(conn)?;
    let row = Row {
        id,
        at: compat::now(),
        actor_kind: actor.kind.to_owned(),
        actor_id: actor.id,
        actor_label: actor.label.clone(),
        entity: entity.to_owned(),
        entity_id: entity_id.to_string(),
        action: action.to_owned(),
        changes: changes.to_string(),
        request_id: actor.request_id.clone(),
    };
    let hash = row.hash(&prev_hash);
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::id.eq(row.id),
            audit_log::at.eq(row.at),
            audit_log::actor_kind.eq(&row.actor_kind),
            audit_log::actor_id.eq(row.actor_id),
            audit_log::actor_label.eq(&row.actor_label),
            audit_log::entity.eq(&row.entity),
            audit_log::entity_id.eq(&row.entity_id),
            audit_log::action.eq(&row.action),
            audit_log::changes.eq(&row.changes),
            audit_log::request_id.eq(&row.request_id),
            audit_log::prev_hash.eq(&prev_hash),
            audit_log::hash.eq(&hash),
        ))
        .execute(conn)?;
    diesel::update(audit_head::table.filter(audit_head::id.eq(1)))
        .set(audit_head::last_hash.eq(&hash))
        .execute(conn)?;
    Ok(id)
}

/// The hashed content of a row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct Row {
    pub id: i64,
    pub at: NaiveDateTime,
    pub actor_kind: String,
    pub actor_id: Option<i64>,
    pub actor_label: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub changes: String,
    pub request_id: Option<String>,
}

impl Row {
    pub fn hash(&self, prev_hash: &str) -> String {
        // serde_json gives an unambiguous encoding of the fields, in this fixed order.
        let content = serde_json::json!([
            self.id,
            self.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
            self.actor_kind,
            self.actor_id,
            self.actor_label,
            self.entity,
            self.entity_id,
            self.action,
            self.changes,
            self.request_id,
        ]);
        let mut hasher = Sha256::new();
        hasher.update(prev_hash.as_bytes());
        hasher.update(b"\n");
        hasher.update(content.to_string().as_bytes());
        hex::encode(hasher.finalize())
    }
}

/// Outcome of [`verify`].
#[derive(Debug, PartialEq, Eq)]
pub enum Verification {
    Intact { rows: i64 },
    Broken { at_id: i64, reason: String },
}

/// Walks the chain from the first row and checks every link and the head.
pub fn verify(conn: &mut DbConn) -> QueryResult<Verification> {
    const PAGE: i64 = 1_000;
    let mut prev = "genesis".to_owned();
    let mut expected_id = 1_i64;
    loop {
        let page: Vec<(Row, String, String)> = audit_log::table
            .filter(audit_log::id.ge(expected_id))
            .order(audit_log::id.asc())
            .limit(PAGE)
            .select((Row::as_select(), audit_log::prev_hash, audit_log::hash))
            .load(conn)?;
        let done = (page.len() as i64) < PAGE;
        for (row, prev_hash, hash) in page {
            if row.id != expected_id {
                return Ok(Verification::Broken {
                    at_id: expected_id,
                    reason: format!("row {expected_id} is missing (next is {})", row.id),
                });
            }
            if prev_hash != prev {
                return Ok(Verification::Broken {
                    at_id: row.id,
                    reason: "its previous-hash link does not match the row before".to_owned(),
                });
            }
            if row.hash(&prev_hash) != hash {
                return Ok(Verification::Broken {
                    at_id: row.id,
                    reason: "its content does not match its hash".to_owned(),
                });
            }
            prev = hash;
            expected_id += 1;
        }
        if done {
            break;
        }
    }
    let (last_id, last_hash): (i64, String) = audit_head::table
        .select((audit_head::last_id, audit_head::last_hash))
        .first(conn)?;
    if last_id != expected_id - 1 || last_hash != prev {
        return Ok(Verification::Broken {
            at_id: expected_id,
            reason: format!(
                "the chain ends at row {} but the head records row {last_id}",
                expected_id - 1
            ),
        });
    }
    Ok(Verification::Intact {
        rows: expected_id - 1,
    })
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
    let filtered = || {
        let mut query = audit_log::table.into_boxed();
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
        query
    };
    let mut query = filtered();
    if let Some(after) = page.after {
        query = query.filter(audit_log::id.lt(after));
    }
    let rows: Vec<(Row, String)> = query
        .order(audit_log::id.desc())
        .limit(page.limit + 1)
        .select((Row::as_select(), audit_log::hash))
        .load(conn)?;
    let total = match page.include_total {
        true => Some(filtered().count().get_result::<i64>(conn)?),
        false => None,
    };
    Slice::from_rows(rows, page.limit, total, |(r, _)| r.id).try_map(entry)
}

fn entry((row, hash): (Row, String)) -> ApiResult<AuditEntry> {
    Ok(AuditEntry {
        id: row.id,
        at: row.at.and_utc(),
        actor_kind: crate::db::enum_column("audit_log", "actor_kind", &row.actor_kind)?,
        actor_id: row.actor_id,
        actor_label: row.actor_label,
        entity: row.entity,
        entity_id: row.entity_id,
        action: row.action,
        // Written by `record` from a serde_json value, so it always parses.
        changes: serde_json::from_str(&row.changes).unwrap_or(Value::Null),
        request_id: row.request_id,
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

    #[test]
    fn hash_depends_on_content_and_chain() {
        let row = Row {
            id: 1,
            at: chrono::NaiveDate::from_ymd_opt(2026, 3, 21)
                .unwrap()
                .and_hms_opt(9, 30, 0)
                .unwrap(),
            actor_kind: "user".into(),
            actor_id: Some(1),
            actor_label: "a@b.kz".into(),
            entity: "appeal".into(),
            entity_id: "7".into(),
            action: "create".into(),
            changes: "{}".into(),
            request_id: None,
        };
        let h = row.hash("genesis");
        assert_eq!(h, row.hash("genesis"));
        assert_ne!(h, row.hash("other"));
        let mut edited = row.clone();
        edited.action = "delete".into();
        assert_ne!(h, edited.hash("genesis"));
    }
}
