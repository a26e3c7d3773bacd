//! A session's agenda: its topics, read and replaced as a whole under the session's
//! version (like its participants), so that two editors cannot both win.

use baqylau_wire::dialogue::{Agenda, ReplaceAgenda, Topic};
use diesel::prelude::*;
use serde_json::json;

use super::checks;
use super::model;
use crate::auth::{Caller, Permission};
use crate::db::schema::{reception_proposals, reception_topics};
use crate::db::DbConn;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::kit::op::{Cx, Edit};
use crate::kit::validate;
use crate::kit::write;

/// Sessions discuss a handful of topics («Парасат»: 70+ over 40 sessions).
pub const TOPICS_MAX: usize = 100;

#[derive(Debug, Clone, Queryable)]
pub struct TopicRow {
    pub id: i64,
    pub reception_id: i64,
    pub position: i64,
    pub title: String,
    pub description: Option<String>,
}

pub fn topics(conn: &mut DbConn, reception: i64) -> QueryResult<Vec<TopicRow>> {
    reception_topics::table
        .filter(reception_topics::reception_id.eq(reception))
        .order(reception_topics::position.asc())
        .load(conn)
}

fn view(rows: Vec<TopicRow>) -> Agenda {
    Agenda {
        topics: rows
            .into_iter()
            .map(|t| Topic {
                id: t.id,
                position: t.position,
                title: t.title,
                description: t.description,
            })
            .collect(),
    }
}

/// The agenda and the session's version (its ETag).
pub fn get(conn: &mut DbConn, caller: &Caller, id: i64) -> ApiResult<(Agenda, i64)> {
    caller.authorize(Permission::ReceptionsRead)?;
    let row = model::load(conn, caller, id)?;
    Ok((view(topics(conn, id)?), row.version))
}

/// A topic after checking: `Some(id)` keeps an existing topic.
struct CleanTopic {
    id: Option<i64>,
    title: String,
    description: Option<String>,
}

fn check(
    existing: &[TopicRow],
    body: &ReplaceAgenda,
    errors: &mut Vec<FieldError>,
) -> Vec<CleanTopic> {
    if body.topics.len() > TOPICS_MAX {
        errors.push(FieldError::new(
            "topics",
            "too_many",
            format!("at most {TOPICS_MAX}"),
        ));
        return Vec::new();
    }
    let mut clean = Vec::new();
    for (i, t) in body.topics.iter().enumerate() {
        let field = |name: &str| format!("topics[{i}].{name}");
        let title = validate::required_text(&field("title"), &t.title, checks::TITLE_MAX, errors);
        let description = validate::optional_text(
            &field("description"),
            t.description.as_deref(),
            checks::TEXT_MAX,
            errors,
        );
        if let Some(id) = t.id {
            if !existing.iter().any(|e| e.id == id) {
                errors.push(FieldError::new(
                    field("id"),
                    "unknown",
                    "not a topic of this session",
                ));
            } else if body.topics[..i].iter().any(|o| o.id == Some(id)) {
                errors.push(FieldError::new(
                    field("id"),
                    "duplicate",
                    "the topic is listed twice",
                ));
            }
        }
        clean.push(CleanTopic {
            id: t.id,
            title,
            description,
        });
    }
    clean
}

/// Replaces the agenda (`If-Match` on the session). Topics with an `id` are kept and
/// edited, those without are added, the rest removed — unless a proposal was made under
/// one (409 `topic_in_use`).
pub fn replace(cx: &mut Cx, edit: Edit<ReplaceAgenda>) -> ApiResult<(Agenda, i64)> {
    let (conn, caller, clock) = cx.parts();
    let Edit { id, expected, body } = edit;
    caller.authorize(Permission::ReceptionsWrite)?;
    let (before, expected) = super::load_for_change(conn, caller, id, expected)?;
    let body = body?;
    let existing = topics(conn, id)?;
    let mut errors = Vec::new();
    let clean = check(&existing, &body, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let after = write::write(conn, &caller.audit_actor(), clock, |tx| {
        tx.bump::<super::ReceptionRows>(id, expected)?;
        let dropped: Vec<i64> = topics(tx.conn(), id)?
            .into_iter()
            .map(|t| t.id)
            .filter(|t| !clean.iter().any(|c| c.id == Some(*t)))
            .collect();
        let in_use: Option<i64> = reception_proposals::table
            .filter(reception_proposals::topic_id.eq_any(&dropped))
            .select(reception_proposals::topic_id.assume_not_null())
            .first(tx.conn())
            .optional()?;
        if let Some(topic) = in_use {
            return Err(ApiError::conflict(
                "topic_in_use",
                format!("proposals were made under topic {topic}; keep it on the agenda"),
            ));
        }
        diesel::delete(reception_topics::table.filter(reception_topics::id.eq_any(&dropped)))
            .execute(tx.conn())?;
        for (i, t) in clean.iter().enumerate() {
            let position = i as i64 + 1;
            match t.id {
                Some(topic) => {
                    diesel::update(reception_topics::table.find(topic))
                        .set((
                            reception_topics::position.eq(position),
                            reception_topics::title.eq(&t.title),
                            reception_topics::description.eq(&t.description),
                        ))
                        .execute(tx.conn())?;
                }
                None => {
                    diesel::insert_into(reception_topics::table)
                        .values((
                            reception_topics::reception_id.eq(id),
                            reception_topics::position.eq(position),
                            reception_topics::title.eq(&t.title),
                            reception_topics::description.eq(&t.description),
                        ))
                        .execute(tx.conn())?;
                }
            }
        }
        let titles: Vec<&str> = clean.iter().map(|t| t.title.as_str()).collect();
        super::plan::record_update(tx, &before, "agenda", json!({"agenda": titles}))
    })?;
    Ok((view(topics(conn, id)?), after.version))
}
