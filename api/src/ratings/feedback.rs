//! Citizens rate the outcome of a resolved appeal (1–5 and a comment) through a one-time
//! link: no account, an unguessable token (256 random bits; only its SHA-256 is stored),
//! valid for 30 days, spent by the first answer. The office sends it by SMS or reads it
//! out by phone. A new link for the same appeal revokes the earlier unanswered one.
//!
//! One answer per appeal counts (issue #18): once the citizen has answered, no new link
//! is made (409 `feedback_answered`), and a unique index on answered links per appeal
//! holds it in the database even when two links race. Only people mint links, never an
//! API key, and each link records who made it: the trust that remains is that the
//! office hands the link to the citizen and does not answer it itself (README,
//! "Citizen feedback").
//!
//! The public form reveals no personal data: the registration number and the day the
//! appeal was closed, nothing of the citizen's text or contacts. Unknown token: 404.
//! Answered, revoked or expired: 410 (`feedback_used`, `feedback_expired`).

use baqylau_wire::appeals::Status;
use baqylau_wire::ratings::{FeedbackForm, FeedbackLink, FeedbackReceipt, SubmitFeedback};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde_json::json;

use super::FEEDBACK_KIND;
use crate::appeals;
use crate::appeals::AppealRows;
use crate::auth::tokens::{random_token, sha256_hex};
use crate::auth::{Caller, Permission};
use crate::db::schema::{appeals as appeals_table, feedback_links};
use crate::db::DbConn;
use crate::domain::appeal::local_date;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::kit::clock::Clock;
use crate::kit::validate;
use crate::kit::write::{self, Change, Entity, Event, Versioned as _};

/// How long a link stays valid.
pub const VALID_DAYS: i64 = 30;
const COMMENT_MAX: usize = 2000;

/// The outcomes a citizen may rate (a forwarded appeal has none of the party's yet).
fn rateable(status: Status) -> bool {
    matches!(
        status,
        Status::Resolved | Status::Explained | Status::Rejected
    )
}

/// `POST /appeals/{id}/feedback-link`: a new link, shown once.
pub fn create_link(
    conn: &mut DbConn,
    caller: &Caller,
    clock: &Clock,
    appeal_id: i64,
) -> ApiResult<FeedbackLink> {
    caller.authorize(Permission::FeedbackSend)?;
    let (appeal, _) = appeals::model::load(conn, caller, appeal_id)?;
    if !rateable(appeal.status) {
        return Err(ApiError::conflict(
            "not_resolved",
            "only an appeal resolved, explained or rejected can be rated",
        ));
    }
    // People only (the permission refuses keys); the issuer is stored with the link.
    let Some(issuer) = caller.user_id() else {
        return Err(ApiError::Forbidden(
            "feedback links are made by people, not by keys".to_owned(),
        ));
    };
    let token = random_token(32);
    let hash = sha256_hex(&token);
    let expires_at = clock.now_stored() + Duration::days(VALID_DAYS);
    write::write(conn, &caller.audit_actor(), clock, |tx| {
        let now = tx.now();
        // Checked inside the transaction that writes the link; an answer racing this
        // check is still one answer, by the unique index.
        if answered(tx.conn(), appeal.id)? {
            return Err(already_answered());
        }
        let revoked = diesel::update(
            feedback_links::table
                .filter(feedback_links::appeal_id.eq(appeal.id))
                .filter(feedback_links::submitted_at.is_null())
                .filter(feedback_links::revoked_at.is_null()),
        )
        .set(feedback_links::revoked_at.eq(Some(now)))
        .execute(tx.conn())?;
        let id: i64 = diesel::insert_into(feedback_links::table)
            .values((
                feedback_links::appeal_id.eq(appeal.id),
                feedback_links::deputy_id.eq(appeal.deputy_id),
                feedback_links::territory_path.eq(&appeal.territory_path),
                feedback_links::token_hash.eq(&hash),
                feedback_links::expires_at.eq(expires_at),
                feedback_links::created_by_user_id.eq(Some(issuer)),
                feedback_links::created_by_key_id.eq(None::<i64>),
                feedback_links::created_at.eq(now),
            ))
            .returning(feedback_links::id)
            .get_result(tx.conn())?;
        tx.record(Change {
            entity: Entity::named(FEEDBACK_KIND),
            id,
            action: "create",
            event: None,
            audit: json!({"appeal_id": appeal.id, "expires_at": expires_at, "revoked_earlier": revoked}),
        })?;
        // The appeal's timeline shows that the citizen was asked.
        tx.record(Change {
            entity: AppealRows::ENTITY,
            id: appeal.id,
            action: "feedback_link",
            event: Some(Event {
                action: "feedback_link",
                details: json!({"expires_at": expires_at}),
                ..Event::default()
            }),
            audit: json!({"feedback_link_id": id}),
        })
    })?;
    Ok(FeedbackLink {
        appeal_id: appeal.id,
        url: format!("/api/v1/feedback/{token}"),
        token,
        expires_at: expires_at.and_utc(),
    })
}

/// Whether the citizen has answered a link of this appeal.
fn answered(conn: &mut DbConn, appeal_id: i64) -> ApiResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        feedback_links::table
            .filter(feedback_links::appeal_id.eq(appeal_id))
            .filter(feedback_links::submitted_at.is_not_null()),
    ))
    .get_result(conn)?)
}

fn already_answered() -> ApiError {
    ApiError::conflict(
        "feedback_answered",
        "the citizen has already rated this appeal; one answer per appeal counts",
    )
}

fn spent() -> ApiError {
    ApiError::Gone {
        code: "feedback_used",
        detail: "this link has been used or replaced".into(),
    }
}

#[derive(Queryable)]
struct Link {
    id: i64,
    appeal_id: i64,
    expires_at: NaiveDateTime,
    revoked_at: Option<NaiveDateTime>,
    submitted_at: Option<NaiveDateTime>,
    reg_number: String,
    resolved_at: Option<NaiveDateTime>,
}

/// The link a token names, if it can still be answered: 404 unknown, 410 spent.
fn live(conn: &mut DbConn, token: &str, now: NaiveDateTime) -> ApiResult<Link> {
    let link: Link = feedback_links::table
        .inner_join(appeals_table::table)
        .filter(feedback_links::token_hash.eq(sha256_hex(token.trim())))
        .select((
            feedback_links::id,
            feedback_links::appeal_id,
            feedback_links::expires_at,
            feedback_links::revoked_at,
            feedback_links::submitted_at,
            appeals_table::reg_number,
            appeals_table::resolved_at,
        ))
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    if link.submitted_at.is_some() || link.revoked_at.is_some() {
        return Err(spent());
    }
    if link.expires_at <= now {
        return Err(ApiError::Gone {
            code: "feedback_expired",
            detail: "this link has expired".into(),
        });
    }
    Ok(link)
}

/// `GET /feedback/{token}` (public).
pub fn form(conn: &mut DbConn, clock: &Clock, token: &str) -> ApiResult<FeedbackForm> {
    let link = live(conn, token, clock.now_stored())?;
    Ok(FeedbackForm {
        reg_number: link.reg_number,
        resolved_on: link.resolved_at.map(local_date),
        expires_at: link.expires_at.and_utc(),
    })
}

/// `POST /feedback/{token}` (public): the rating, once.
pub fn submit(
    conn: &mut DbConn,
    clock: &Clock,
    token: &str,
    body: Result<SubmitFeedback, ApiError>,
) -> ApiResult<FeedbackReceipt> {
    let link = live(conn, token, clock.now_stored())?;
    let body = body?;
    let mut errors = Vec::new();
    let score = match body.score {
        None => {
            errors.push(FieldError::new("score", "required", "is required"));
            None
        }
        Some(s) if (1..=5).contains(&s) => Some(s),
        Some(_) => {
            errors.push(FieldError::new("score", "range", "must be from 1 to 5"));
            None
        }
    };
    let comment =
        validate::optional_text("comment", body.comment.as_deref(), COMMENT_MAX, &mut errors);
    let Some(score) = score.filter(|_| errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    // The citizen answering holds no account: the change is recorded under the link's
    // label. Only an audit actor is made, never a `Caller::system`, which would read
    // with everyone's rights (auth/system_callers.rs).
    let actor = crate::kit::actor::Actor::system("citizen feedback link");
    write::write(conn, &actor, clock, |tx| {
        let now = tx.now();
        // Spent exactly once, even when two answers race: the second changes no row.
        // Another link of the same appeal answered first (two links raced past the
        // check at creation): the unique index refuses this one, and it is spent.
        let updated = diesel::update(
            feedback_links::table
                .filter(feedback_links::id.eq(link.id))
                .filter(feedback_links::submitted_at.is_null())
                .filter(feedback_links::revoked_at.is_null())
                .filter(feedback_links::expires_at.gt(now)),
        )
        .set((
            feedback_links::submitted_at.eq(Some(now)),
            feedback_links::score.eq(Some(score as i32)),
            feedback_links::comment.eq(&comment),
        ))
        .execute(tx.conn())
        .map_err(|e| match crate::db::compat::is_unique_violation(&e) {
            true => spent(),
            false => e.into(),
        })?;
        if updated == 0 {
            return Err(spent());
        }
        tx.record(Change {
            entity: AppealRows::ENTITY,
            id: link.appeal_id,
            action: "feedback",
            event: Some(Event {
                action: "citizen_feedback",
                details: json!({"score": score}),
                ..Event::default()
            }),
            // The comment is the citizen's own words: kept in the link row, not copied.
            audit: json!({"feedback_link_id": link.id, "score": score}),
        })
    })?;
    Ok(FeedbackReceipt {
        reg_number: link.reg_number,
        score,
    })
}
