//! The hash chain: appending rows under the head row's lock, and verifying the chain.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::db::schema::{audit_head, audit_log};
use crate::db::DbConn;
use crate::kit::actor::Actor;

/// One row to append: everything but its place in the chain.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_log)]
// An absent actor or request id is stored as NULL, bound like any other value.
#[diesel(treat_none_as_default_value = false)]
pub struct Entry {
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

impl Entry {
    pub fn new(
        at: NaiveDateTime,
        actor: &Actor,
        entity: &str,
        entity_id: impl ToString,
        action: &str,
        changes: &serde_json::Value,
    ) -> Entry {
        Entry {
            at,
            actor_kind: actor.kind.to_owned(),
            actor_id: actor.id,
            actor_label: actor.label.clone(),
            entity: entity.to_owned(),
            entity_id: entity_id.to_string(),
            action: action.to_owned(),
            changes: changes.to_string(),
            request_id: actor.request_id.clone(),
        }
    }
}

/// Appends `entries` in order, under one acquisition of the head row's lock: call it as
/// the last statement of the transaction that makes the change, so that the lock every
/// writer shares is held only until that commit. Returns the id of the last row.
pub fn append(conn: &mut DbConn, entries: &[Entry]) -> QueryResult<Option<i64>> {
    let Some(count) = i64::try_from(entries.len()).ok().filter(|&n| n > 0) else {
        return Ok(None);
    };
    // Taking the head row's lock serialises appenders across connections and processes
    // (the chain never forks); it reserves `count` contiguous ids and returns the hash
    // to chain from.
    let (last_id, mut prev_hash): (i64, String) =
        diesel::update(audit_head::table.filter(audit_head::id.eq(1)))
            .set(audit_head::last_id.eq(audit_head::last_id + count))
            .returning((audit_head::last_id, audit_head::last_hash))
            .get_result(conn)?;
    let first_id = last_id - count + 1;
    for (entry, id) in entries.iter().zip(first_id..) {
        let hash = hash(id, entry, &prev_hash);
        diesel::insert_into(audit_log::table)
            .values((
                audit_log::id.eq(id),
                entry,
                audit_log::prev_hash.eq(&prev_hash),
                audit_log::hash.eq(&hash),
            ))
            .execute(conn)?;
        prev_hash = hash;
    }
    diesel::update(audit_head::table.filter(audit_head::id.eq(1)))
        .set(audit_head::last_hash.eq(&prev_hash))
        .execute(conn)?;
    Ok(Some(last_id))
}

/// The hashed content of a row: its place in the chain and what it records.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct Row {
    pub id: i64,
    #[diesel(embed)]
    pub entry: Entry,
}

impl Row {
    pub fn hash(&self, prev_hash: &str) -> String {
        hash(self.id, &self.entry, prev_hash)
    }
}

/// The hash of row `id` holding `entry`, chained to `prev_hash`.
fn hash(id: i64, entry: &Entry, prev_hash: &str) -> String {
    // serde_json gives an unambiguous encoding of the fields, in this fixed order.
    let content = serde_json::json!([
        id,
        entry.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
        entry.actor_kind,
        entry.actor_id,
        entry.actor_label,
        entry.entity,
        entry.entity_id,
        entry.action,
        entry.changes,
        entry.request_id,
    ]);
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(b"\n");
    hasher.update(content.to_string().as_bytes());
    hex::encode(hasher.finalize())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_depends_on_content_and_chain() {
        let row = Row {
            id: 1,
            entry: Entry {
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
            },
        };
        let h = row.hash("genesis");
        assert_eq!(h, row.hash("genesis"));
        assert_ne!(h, row.hash("other"));
        let mut edited = row.clone();
        edited.entry.action = "delete".into();
        assert_ne!(h, edited.hash("genesis"));
    }
}
