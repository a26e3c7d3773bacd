//! Moving a reception along its graph: held (with the report), postponed, cancelled,
//! planned again.

use baqylau_wire::receptions::{Reception, ReceptionStatus, ReceptionTransition};
use diesel::prelude::*;
use serde_json::json;

use super::checks;
use super::model;
use super::ReceptionRows;
use crate::audit;
use crate::auth::Permission;
use crate::db::schema::receptions;
use crate::domain::reception as rules;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::kit::op::{Cx, Edit};
use crate::kit::validate;
use crate::kit::write::{self, Change, Versioned as _};

/// The largest number of residents one visit can plausibly hear.
const RESIDENTS_MAX: i64 = 100_000;
const ISSUES_MAX: usize = 200;

/// Scope (404), `If-Match` (428/412), the graph (409 with the allowed targets), the
/// target's requirements (422); then one write with history and audit.
pub fn transition(cx: &mut Cx, edit: Edit<ReceptionTransition>) -> ApiResult<Reception> {
    let (conn, caller, clock) = cx.parts();
    let Edit { id, expected, body } = edit;
    caller.authorize(Permission::ReceptionsWrite)?;
    let (before, expected) = super::load_for_change(conn, caller, id, expected)?;
    let t = body?;
    let from = before.status;
    let Some(to) = ReceptionStatus::parse(&t.to) else {
        return Err(ApiError::validation(
            "to",
            "one_of",
            &format!("must be one of {}", ReceptionStatus::choices()),
        ));
    };
    if !rules::can_move(from, to) {
        return Err(ApiError::InvalidTransition {
            from: from.as_str().to_owned(),
            to: to.as_str().to_owned(),
            allowed: rules::next(from)
                .iter()
                .map(|s| s.as_str().to_owned())
                .collect(),
        });
    }
    let mut errors = Vec::new();
    let comment = validate::optional_text(
        "comment",
        t.comment.as_deref(),
        checks::TEXT_MAX,
        &mut errors,
    );
    let mut period = None;
    let mut report = None;
    match to {
        ReceptionStatus::Held => {
            if !rules::can_be_held_at(before.planned_start, clock.now_stored()) {
                errors.push(FieldError::new(
                    "planned_start",
                    "held_before_start",
                    format!(
                        "the reception starts at {}; it cannot be recorded as held before then",
                        before.planned_start.and_utc().format("%Y-%m-%dT%H:%M:%SZ")
                    ),
                ));
            }
            match t.residents_heard {
                None => errors.push(FieldError::new(
                    "residents_heard",
                    "required",
                    "is required",
                )),
                Some(n) if !(0..=RESIDENTS_MAX).contains(&n) => errors.push(FieldError::new(
                    "residents_heard",
                    "range",
                    format!("must be between 0 and {RESIDENTS_MAX}"),
                )),
                Some(_) => {}
            }
            match &t.report {
                None => errors.push(FieldError::new(
                    "report",
                    "required",
                    "a held reception needs its report",
                )),
                Some(r) => {
                    let summary = validate::required_text(
                        "report.summary",
                        r.summary.as_deref().unwrap_or_default(),
                        checks::TEXT_MAX,
                        &mut errors,
                    );
                    if r.issues_raised.len() > ISSUES_MAX {
                        errors.push(FieldError::new(
                            "report.issues_raised",
                            "too_many",
                            format!("at most {ISSUES_MAX}"),
                        ));
                    }
                    let issues: Vec<String> = r
                        .issues_raised
                        .iter()
                        .enumerate()
                        .map(|(i, s)| {
                            validate::required_text(
                                &format!("report.issues_raised[{i}]"),
                                s,
                                checks::TITLE_MAX,
                                &mut errors,
                            )
                        })
                        .collect();
                    report = Some((summary, issues));
                }
            }
        }
        // New dates are optional when postponing (they may not be known yet) and
        // required when planning again.
        ReceptionStatus::Postponed if t.planned_start.is_none() && t.planned_end.is_none() => {}
        ReceptionStatus::Postponed | ReceptionStatus::Planned => {
            period = checks::period(
                t.planned_start.as_deref(),
                t.planned_end.as_deref(),
                &mut errors,
            );
        }
        ReceptionStatus::Cancelled => {}
    }
    validate::finish(&mut errors)?;
    let after = write::write(conn, &caller.audit_actor(), clock, |tx| {
        tx.bump::<ReceptionRows>(id, expected)?;
        let (start, end) = period.unwrap_or((before.planned_start, before.planned_end));
        if let Some((start, end)) = period {
            let people = checks::current_participants(tx.conn(), id)?;
            checks::not_busy(tx.conn(), Some(id), &people, start, end)?;
            checks::move_participants(tx, id, start, end)?;
        }
        let (summary, issues) = match &report {
            Some((summary, issues)) => (
                Some(summary.clone()),
                Some(serde_json::to_string(issues).map_err(anyhow::Error::from)?),
            ),
            None => (before.report_summary.clone(), before.report_issues.clone()),
        };
        diesel::update(receptions::table.find(id))
            .set((
                receptions::status.eq(to.as_str()),
                receptions::planned_start.eq(start),
                receptions::planned_end.eq(end),
                receptions::residents_heard.eq(t.residents_heard.or(before.residents_heard)),
                receptions::report_summary.eq(summary),
                receptions::report_issues.eq(issues),
            ))
            .execute(tx.conn())?;
        let after = model::reload(tx.conn(), id)?;
        tx.record(
            Change::transition(
                ReceptionRows::ENTITY,
                id,
                from.as_str(),
                to.as_str(),
                audit::diff(
                    Some(&model::snapshot(&before)),
                    Some(&model::snapshot(&after)),
                    &[],
                ),
            )
            .commented(comment.as_deref())
            .showing(json!({
                "planned_start": period.map(|p| p.0.and_utc()),
                "planned_end": period.map(|p| p.1.and_utc()),
                "residents_heard": t.residents_heard,
            })),
        )?;
        Ok(after)
    })?;
    model::view(conn, &after, true)
}

/// Removes a reception planned by mistake (`If-Match`): it stays as a tombstone for sync
/// clients (`updated_since`), in its history and in the audit trail, and is gone from
/// lists and reads. Refused with 409 `reception_has_appeals` while live appeals name it —
/// they would point to nothing (remove or re-file them first).
pub fn remove(cx: &mut Cx, edit: Edit<()>) -> ApiResult<()> {
    let (conn, caller, clock) = cx.parts();
    let Edit { id, expected, .. } = edit;
    caller.authorize(Permission::ReceptionsWrite)?;
    let (before, expected) = super::load_for_change(conn, caller, id, expected)?;
    write::write(conn, &caller.audit_actor(), clock, |tx| {
        // The version first: its row lock makes a concurrent batch or take wait, and
        // this count then sees what they committed.
        tx.bump::<ReceptionRows>(id, expected)?;
        let linked = model::linked_appeals(tx.conn(), id)?;
        if linked > 0 {
            return Err(ApiError::conflict(
                "reception_has_appeals",
                format!("{linked} appeal(s) name this reception; it cannot be deleted"),
            ));
        }
        let now = tx.now();
        diesel::update(receptions::table.find(id))
            .set(receptions::deleted_at.eq(now))
            .execute(tx.conn())?;
        let after = model::reload(tx.conn(), id)?;
        tx.record(Change::removed(
            ReceptionRows::ENTITY,
            id,
            before.status.as_str(),
            audit::diff(
                Some(&model::snapshot(&before)),
                Some(&model::snapshot(&after)),
                &[],
            ),
        ))
    })
}
