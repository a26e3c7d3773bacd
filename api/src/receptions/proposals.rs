//! A session's protocol: the proposals made, each with its own version and history,
//! and its outcome. Proposals are reached only through their session (its scope, 404).

use baqylau_wire::dialogue::{
    CreateProposal, Proposal, ProposalList, ProposalOutcome, UpdateProposal,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use super::checks;
use super::model;
use crate::audit;
use crate::auth::{Caller, Permission};
use crate::db::schema::{reception_proposals, reception_topics};
use crate::db::{DbConn, EnumText, ProposalsOutcome};
use crate::domain::reception as rules;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::kit::clock::Clock;
use crate::kit::idempotent::{self, Created, Request};
use crate::kit::validate;
use crate::kit::write::{self, Change, Event, Expected, Tx, Versioned as _};

/// The entity name in history, audit and idempotency records.
pub const KIND: &str = "reception_proposal";

/// A protocol longer than this is a client error, not a session.
pub const PROPOSALS_MAX: i64 = 1000;

crate::versioned!(ProposalRows, reception_proposals, "reception_proposal");

#[derive(Debug, Clone, Queryable)]
pub struct ProposalRow {
    pub id: i64,
    pub reception_id: i64,
    pub topic_id: Option<i64>,
    pub text: String,
    pub author: Option<String>,
    #[diesel(deserialize_as = EnumText<ProposalsOutcome>)]
    pub outcome: ProposalOutcome,
    pub outcome_note: Option<String>,
    pub appeal_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

pub fn view(r: &ProposalRow) -> Proposal {
    Proposal {
        id: r.id,
        reception_id: r.reception_id,
        topic_id: r.topic_id,
        text: r.text.clone(),
        author: r.author.clone(),
        outcome: r.outcome,
        outcome_note: r.outcome_note.clone(),
        appeal_id: r.appeal_id,
        created_at: r.created_at.and_utc(),
        updated_at: r.updated_at.and_utc(),
        version: r.version,
    }
}

/// What the audit trail keeps of a proposal.
#[derive(serde::Serialize)]
struct Snapshot<'a> {
    topic_id: Option<i64>,
    text: &'a str,
    author: Option<&'a str>,
    outcome: ProposalOutcome,
    outcome_note: Option<&'a str>,
    appeal_id: Option<i64>,
}

fn snapshot(r: &ProposalRow) -> Snapshot<'_> {
    Snapshot {
        topic_id: r.topic_id,
        text: &r.text,
        author: r.author.as_deref(),
        outcome: r.outcome,
        outcome_note: r.outcome_note.as_deref(),
        appeal_id: r.appeal_id,
    }
}

/// Every proposal of a session, in the order recorded.
pub fn all(conn: &mut DbConn, reception: i64) -> QueryResult<Vec<ProposalRow>> {
    reception_proposals::table
        .filter(reception_proposals::reception_id.eq(reception))
        .order(reception_proposals::id.asc())
        .load(conn)
}

pub fn reload(conn: &mut DbConn, id: i64) -> QueryResult<ProposalRow> {
    reception_proposals::table.find(id).first(conn)
}

/// A proposal of a session the caller can reach, or 404.
pub fn load(conn: &mut DbConn, caller: &Caller, reception: i64, id: i64) -> ApiResult<ProposalRow> {
    model::load(conn, caller, reception)?;
    find(conn, reception, id)
}

/// A proposal of a session the caller may change: 404 outside their reach, 403 when the
/// session only visits them (`model::load_for_write`).
pub fn load_for_write(
    conn: &mut DbConn,
    caller: &Caller,
    reception: i64,
    id: i64,
) -> ApiResult<ProposalRow> {
    model::load_for_write(conn, caller, reception)?;
    find(conn, reception, id)
}

fn find(conn: &mut DbConn, reception: i64, id: i64) -> ApiResult<ProposalRow> {
    reception_proposals::table
        .find(id)
        .filter(reception_proposals::reception_id.eq(reception))
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

fn topic(
    conn: &mut DbConn,
    reception: i64,
    id: i64,
    errors: &mut Vec<FieldError>,
) -> ApiResult<()> {
    let found: Option<i64> = reception_topics::table
        .find(id)
        .filter(reception_topics::reception_id.eq(reception))
        .select(reception_topics::id)
        .first(conn)
        .optional()?;
    if found.is_none() {
        errors.push(FieldError::new(
            "topic_id",
            "unknown",
            "not a topic of this session's agenda",
        ));
    }
    Ok(())
}

/// The topic again inside the write transaction, after the session's row is locked: an
/// agenda replaced meanwhile may have removed it (422 rather than a foreign-key error).
fn topic_still_there(tx: &mut Tx<'_>, reception: i64, id: Option<i64>) -> ApiResult<()> {
    let Some(id) = id else { return Ok(()) };
    let mut errors = Vec::new();
    topic(tx.conn(), reception, id, &mut errors)?;
    match errors.is_empty() {
        true => Ok(()),
        false => Err(ApiError::Validation(errors)),
    }
}

/// Records a change of a proposal and returns it as it now is.
pub fn record(
    tx: &mut Tx<'_>,
    before: Option<&ProposalRow>,
    id: i64,
    action: &str,
    event: &str,
) -> ApiResult<ProposalRow> {
    let after = reload(tx.conn(), id)?;
    tx.record(Change {
        entity: ProposalRows::ENTITY,
        id,
        action,
        event: Some(Event {
            action: event,
            from_status: before.map(|b| b.outcome.as_str()),
            to_status: Some(after.outcome.as_str()),
            details: json!({"reception_id": after.reception_id, "appeal_id": after.appeal_id}),
            ..Event::default()
        }),
        audit: audit::diff(before.map(snapshot).as_ref(), Some(&snapshot(&after)), &[]),
    })?;
    Ok(after)
}

/// The protocol of a session.
pub fn list(conn: &mut DbConn, caller: &Caller, reception: i64) -> ApiResult<ProposalList> {
    caller.authorize(Permission::ReceptionsRead)?;
    model::load(conn, caller, reception)?;
    Ok(ProposalList {
        items: all(conn, reception)?.iter().map(view).collect(),
    })
}

/// One proposal, with its version (its ETag).
pub fn get(conn: &mut DbConn, caller: &Caller, reception: i64, id: i64) -> ApiResult<Proposal> {
    caller.authorize(Permission::ReceptionsRead)?;
    Ok(view(&load(conn, caller, reception, id)?))
}

struct NewProposal {
    topic_id: Option<i64>,
    text: String,
    author: Option<String>,
}

fn check_new(
    conn: &mut DbConn,
    caller: &Caller,
    reception: i64,
    input: &CreateProposal,
) -> ApiResult<NewProposal> {
    super::capture::open(&model::load(conn, caller, reception)?)?;
    let mut errors = Vec::new();
    let text = validate::required_text("text", &input.text, checks::TEXT_MAX, &mut errors);
    let author = validate::optional_text(
        "author",
        input.author.as_deref(),
        checks::TITLE_MAX,
        &mut errors,
    );
    if let Some(t) = input.topic_id {
        topic(conn, reception, t, &mut errors)?;
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    Ok(NewProposal {
        topic_id: input.topic_id,
        text,
        author,
    })
}

/// Records a proposal in the protocol of a planned or held session (else 409
/// `reception_closed`); with `Idempotency-Key`, a retry returns the same proposal.
pub fn create(
    conn: &mut DbConn,
    caller: &Caller,
    clock: &Clock,
    reception: i64,
    request: &Request<CreateProposal>,
) -> ApiResult<(Proposal, Created)> {
    caller.authorize(Permission::ReceptionsWrite)?;
    // Scope first: a key for a session the caller cannot change is never looked up.
    model::load_for_write(conn, caller, reception)?;
    let (created, _) = idempotent::create_once(
        conn,
        caller,
        clock,
        request,
        KIND,
        |conn, input| check_new(conn, caller, reception, input),
        |tx, new| {
            model::lock_live(tx.conn(), reception)?;
            super::capture::open(&model::reload(tx.conn(), reception)?)?;
            topic_still_there(tx, reception, new.topic_id)?;
            let count: i64 = reception_proposals::table
                .filter(reception_proposals::reception_id.eq(reception))
                .count()
                .get_result(tx.conn())?;
            if count >= PROPOSALS_MAX {
                return Err(ApiError::conflict(
                    "protocol_full",
                    format!("a protocol holds at most {PROPOSALS_MAX} proposals"),
                ));
            }
            let now = tx.now();
            let id: i64 = diesel::insert_into(reception_proposals::table)
                .values((
                    reception_proposals::reception_id.eq(reception),
                    reception_proposals::topic_id.eq(new.topic_id),
                    reception_proposals::text.eq(&new.text),
                    reception_proposals::author.eq(&new.author),
                    reception_proposals::outcome.eq(ProposalOutcome::Open.as_str()),
                    reception_proposals::created_at.eq(now),
                    reception_proposals::updated_at.eq(now),
                ))
                .returning(reception_proposals::id)
                .get_result(tx.conn())?;
            record(tx, None, id, "create", "created")?;
            Ok(id)
        },
    )?;
    let row = match load(conn, caller, reception, created.id) {
        // The key named a proposal of another session: the request differs by its path.
        Err(ApiError::NotFound) => return Err(crate::kit::idempotent::store::conflict()),
        other => other?,
    };
    Ok((view(&row), created))
}

/// Edits a proposal (`If-Match` on the proposal): its text, author, topic, and its
/// outcome — except to or from `under_control` (422 / 409 `proposal_under_control`).
pub fn update(
    conn: &mut DbConn,
    caller: &Caller,
    clock: &Clock,
    reception: i64,
    id: i64,
    expected: Expected,
    body: Result<UpdateProposal, ApiError>,
) -> ApiResult<Proposal> {
    caller.authorize(Permission::ReceptionsWrite)?;
    let before = load_for_write(conn, caller, reception, id)?;
    let expected = expected.resolve(before.version)?;
    let patch = body?;
    let mut errors = Vec::new();
    let text = patch
        .text
        .as_deref()
        .map(|t| validate::required_text("text", t, checks::TEXT_MAX, &mut errors));
    let author = validate::optional_text(
        "author",
        patch.author.as_deref(),
        checks::TITLE_MAX,
        &mut errors,
    );
    let note = validate::optional_text(
        "outcome_note",
        patch.outcome_note.as_deref(),
        checks::TEXT_MAX,
        &mut errors,
    );
    if let Some(Some(t)) = patch.topic_id {
        topic(conn, reception, t, &mut errors)?;
    }
    let outcome = match patch.outcome.as_deref() {
        None => None,
        Some(raw) => match ProposalOutcome::parse(raw) {
            None => {
                errors.push(FieldError::new(
                    "outcome",
                    "one_of",
                    format!("must be one of {}", ProposalOutcome::choices()),
                ));
                None
            }
            Some(ProposalOutcome::UnderControl) => {
                errors.push(FieldError::new(
                    "outcome",
                    "take_under_control",
                    "a proposal is put under control by POST .../proposals/{pid}/appeal",
                ));
                None
            }
            Some(o) => Some(o),
        },
    };
    validate::finish(&mut errors)?;
    if let Some(to) = outcome.filter(|o| *o != before.outcome) {
        if !rules::outcome_settable(before.outcome, to) {
            return Err(ApiError::conflict(
                "proposal_under_control",
                format!(
                    "proposal {id} is under control as appeal {}; its fate is the appeal's",
                    before.appeal_id.unwrap_or_default()
                ),
            ));
        }
    }
    let after = write::write(conn, &caller.audit_actor(), clock, |tx| {
        tx.bump::<ProposalRows>(id, expected)?;
        if let Some(topic) = patch.topic_id {
            model::lock_live(tx.conn(), reception)?;
            topic_still_there(tx, reception, topic)?;
        }
        diesel::update(reception_proposals::table.find(id))
            .set((
                reception_proposals::topic_id.eq(patch.topic_id.unwrap_or(before.topic_id)),
                reception_proposals::text.eq(text.clone().unwrap_or_else(|| before.text.clone())),
                reception_proposals::author.eq(author.clone().or(before.author.clone())),
                reception_proposals::outcome.eq(outcome.unwrap_or(before.outcome).as_str()),
                reception_proposals::outcome_note.eq(note.clone().or(before.outcome_note.clone())),
            ))
            .execute(tx.conn())?;
        let event = match outcome {
            Some(o) if o != before.outcome => "outcome",
            _ => "updated",
        };
        record(tx, Some(&before), id, "update", event)
    })?;
    Ok(view(&after))
}
