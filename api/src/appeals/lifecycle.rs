//! The appeal's lifecycle: moves along the transition graph, and removal of an appeal
//! registered by mistake.

use baqylau_wire::appeals::{Appeal, TransitionRequest};
use baqylau_wire::deputies::MandateStatus;
use diesel::prelude::*;
use serde_json::json;

use super::model::{self, PERSONAL_FIELDS};
use super::{intake, AppealRows};
use crate::audit;
use crate::auth::{self, Permission};
use crate::db::schema::{appeals, deputies};
use crate::domain::appeal::{Lifecycle, Status};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::kit::op::{Cx, Edit};
use crate::kit::validate;
use crate::kit::write::{self, Change, Versioned as _};

/// Moves an appeal along the lifecycle graph: scope (404), `If-Match` (428/412), the
/// graph (409 with the allowed targets), the target's requirements (422); then one
/// write with the history entry and the audit row.
pub fn transition(cx: &mut Cx, edit: Edit<TransitionRequest>) -> ApiResult<Appeal> {
    let (conn, caller, clock) = cx.parts();
    let id = edit.id;
    let (before, expected, t) = super::open_change(conn, caller, Permission::AppealsWrite, edit)?;
    let from = before.0.status;
    let Some(to) = Status::parse(&t.to) else {
        return Err(ApiError::validation(
            "to",
            "one_of",
            &format!("must be one of {}", Status::choices()),
        ));
    };
    if !from.can_move_to(to) {
        return Err(ApiError::InvalidTransition {
            from: from.as_str().to_owned(),
            to: to.as_str().to_owned(),
            allowed: from.next().iter().map(|s| s.as_str().to_owned()).collect(),
        });
    }
    let mut errors = Vec::new();
    let text = |field: &str, v: &Option<String>, errors: &mut Vec<FieldError>| {
        validate::optional_text(field, v.as_deref(), intake::TEXT_MAX, errors)
    };
    let comment = text("comment", &t.comment, &mut errors);
    let assigned_body = text("assigned_body", &t.assigned_body, &mut errors);
    let resolution = text("resolution", &t.resolution, &mut errors);
    let forwarded_to = text("forwarded_to", &t.forwarded_to, &mut errors);
    match to {
        Status::Assigned => {
            if t.deputy_id.is_none() && assigned_body.is_none() {
                errors.push(FieldError::new(
                    "deputy_id",
                    "required",
                    "name a deputy and/or an assigned_body",
                ));
            }
            // An assignee the caller cannot reach is refused (`out_of_scope`): the
            // assignment moves that deputy's rating and reaches them with the appeal.
            let reached = auth::check_deputy(conn, caller, "deputy_id", t.deputy_id, &mut errors)?;
            if let Some(d) = t.deputy_id.filter(|_| reached) {
                let status: Option<String> = deputies::table
                    .find(d)
                    .filter(deputies::deleted_at.is_null())
                    .select(deputies::mandate_status)
                    .first(conn)
                    .optional()?;
                let status = status
                    .map(|s| {
                        crate::db::enum_column::<MandateStatus>("deputies", "mandate_status", &s)
                    })
                    .transpose()?;
                match status {
                    None => errors.push(FieldError::new("deputy_id", "unknown", "no such deputy")),
                    Some(MandateStatus::Active) => {}
                    Some(_) => errors.push(FieldError::new(
                        "deputy_id",
                        "inactive",
                        "the deputy's mandate is not active",
                    )),
                }
            }
        }
        s if s.needs_resolution() && resolution.is_none() => {
            errors.push(FieldError::new(
                "resolution",
                "required",
                format!("a {} appeal needs a resolution text", s.as_str()),
            ));
        }
        Status::Forwarded if forwarded_to.is_none() => {
            errors.push(FieldError::new(
                "forwarded_to",
                "required",
                "name the competent body it is forwarded to",
            ));
        }
        Status::Reopened if comment.is_none() => {
            errors.push(FieldError::new(
                "comment",
                "required",
                "say why the appeal is reopened",
            ));
        }
        _ => {}
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let today = clock.today();
    let after = write::write(conn, &caller.audit_actor(), clock, |tx| {
        tx.bump::<AppealRows>(id, expected)?;
        let now = tx.now();
        let row = &before.0;
        let (deputy_id, assigned) = if to == Status::Assigned {
            (t.deputy_id, assigned_body.clone())
        } else {
            (row.deputy_id, row.assigned_body.clone())
        };
        let closing = to.needs_resolution();
        diesel::update(appeals::table.find(id))
            .set((
                appeals::status.eq(to.as_str()),
                appeals::deputy_id.eq(deputy_id),
                appeals::assigned_body.eq(assigned),
                appeals::resolution.eq(if closing {
                    resolution.clone()
                } else {
                    row.resolution.clone()
                }),
                appeals::resolved_at.eq(if closing {
                    Some(now)
                } else if to == Status::Reopened {
                    None
                } else {
                    row.resolved_at
                }),
                appeals::forwarded_to.eq(if to == Status::Forwarded {
                    forwarded_to.clone()
                } else {
                    row.forwarded_to.clone()
                }),
                appeals::forwarded_on.eq(if to == Status::Forwarded {
                    Some(today)
                } else {
                    row.forwarded_on
                }),
            ))
            .execute(tx.conn())?;
        let after = model::reload(tx.conn(), id)?;
        tx.record(
            Change::transition(
                AppealRows::ENTITY,
                id,
                from.as_str(),
                to.as_str(),
                audit::diff(
                    Some(&model::snapshot(&before)),
                    Some(&model::snapshot(&after)),
                    PERSONAL_FIELDS,
                ),
            )
            .commented(comment.as_deref())
            .showing(json!({
                "deputy_id": t.deputy_id,
                "assigned_body": assigned_body,
                "resolution": resolution,
                "forwarded_to": forwarded_to,
            })),
        )?;
        Ok(after)
    })?;
    Ok(model::view_for(caller, &after, today))
}

/// Removes an appeal registered by mistake (admin, `If-Match`). It stays as a tombstone
/// for sync clients (`updated_since`) and in the audit trail.
pub fn remove(cx: &mut Cx, edit: Edit<()>) -> ApiResult<()> {
    let (conn, caller, clock) = cx.parts();
    let id = edit.id;
    let (before, expected, ()) = super::open_change(conn, caller, Permission::AppealsDelete, edit)?;
    write::write(conn, &caller.audit_actor(), clock, |tx| {
        tx.bump::<AppealRows>(id, expected)?;
        let now = tx.now();
        diesel::update(appeals::table.find(id))
            .set(appeals::deleted_at.eq(now))
            .execute(tx.conn())?;
        let after = model::reload(tx.conn(), id)?;
        tx.record(Change::removed(
            AppealRows::ENTITY,
            id,
            before.0.status.as_str(),
            audit::diff(
                Some(&model::snapshot(&before)),
                Some(&model::snapshot(&after)),
                PERSONAL_FIELDS,
            ),
        ))
    })
}
