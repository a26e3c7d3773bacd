//! Planning a reception and editing the plan.

use baqylau_wire::receptions::{
    CreateReception, Reception, ReceptionKind, ReceptionLevel, ReceptionStatus, UpdateReception,
};
use diesel::prelude::*;
use serde_json::json;

use super::checks::{self, CleanParticipant};
use super::model::{self, ReceptionRow};
use super::{ReceptionRows, KIND};
use crate::audit;
use crate::auth::{self, Caller, Permission};
use crate::db::schema::receptions;
use crate::db::DbConn;
use crate::error::{ApiResult, FieldError};
use crate::kit::create::{Create, Made};
use crate::kit::op::{Cx, Edit};
use crate::kit::validate;
use crate::kit::write::{self, Change, Event, Tx, Versioned as _};

/// A reception ready to be stored.
pub struct NewReception {
    kind: ReceptionKind,
    title: String,
    level: ReceptionLevel,
    territory_id: i64,
    territory_path: String,
    settlements: Vec<(i64, String)>,
    start: chrono::NaiveDateTime,
    end: chrono::NaiveDateTime,
    venue: Option<String>,
    participants: Vec<CleanParticipant>,
}

fn level(raw: &str, errors: &mut Vec<FieldError>) -> Option<ReceptionLevel> {
    let parsed = ReceptionLevel::parse(raw);
    if parsed.is_none() {
        errors.push(FieldError::new(
            "level",
            "one_of",
            format!("must be one of {}", ReceptionLevel::choices()),
        ));
    }
    parsed
}

fn kind(raw: &str, errors: &mut Vec<FieldError>) -> Option<ReceptionKind> {
    let parsed = ReceptionKind::parse(raw);
    if parsed.is_none() {
        errors.push(FieldError::new(
            "kind",
            "one_of",
            format!("must be one of {}", ReceptionKind::choices()),
        ));
    }
    parsed
}

/// Planning a reception (`POST /receptions`).
pub struct Plan;

crate::creation!(Plan: CreateReception => NewReception => Reception,
    kind KIND, needs ReceptionsWrite);

impl Create for Plan {
    fn check(&self, cx: &mut Cx, input: &CreateReception) -> ApiResult<NewReception> {
        let (conn, caller, _) = cx.parts();
        let mut errors = Vec::new();
        let title = validate::required_text("title", &input.title, checks::TITLE_MAX, &mut errors);
        let level = level(&input.level, &mut errors);
        let kind = match input.kind.as_deref() {
            None => Some(ReceptionKind::MobileReception),
            Some(raw) => kind(raw, &mut errors),
        };
        let path = match input.territory_id {
            Some(id) => auth::check_territory(conn, caller, "territory_id", id, &mut errors)?,
            None => {
                errors.push(FieldError::new("territory_id", "required", "is required"));
                None
            }
        };
        let settlements =
            checks::settlements(conn, path.as_deref(), &input.settlement_ids, &mut errors)?;
        let period = checks::period(
            input.planned_start.as_deref(),
            input.planned_end.as_deref(),
            &mut errors,
        );
        let venue = validate::optional_text(
            "venue",
            input.venue.as_deref(),
            checks::TITLE_MAX,
            &mut errors,
        );
        let participants = checks::participants(conn, caller, &input.participants, &mut errors)?;
        let (Some(kind), Some(level), Some(path), Some((start, end)), true) =
            (kind, level, path, period, errors.is_empty())
        else {
            return Err(validate::refusal(errors));
        };
        Ok(NewReception {
            kind,
            title,
            level,
            territory_id: input.territory_id.unwrap_or_default(),
            territory_path: path,
            settlements,
            start,
            end,
            venue,
            participants,
        })
    }

    fn insert(&self, tx: &mut Tx<'_>, caller: &Caller, new: &NewReception) -> ApiResult<i64> {
        checks::not_busy(tx.conn(), None, &new.participants, new.start, new.end)?;
        let now = tx.now();
        let id: i64 = diesel::insert_into(receptions::table)
            .values((
                receptions::kind.eq(new.kind.as_str()),
                receptions::title.eq(&new.title),
                receptions::level.eq(new.level.as_str()),
                receptions::territory_id.eq(new.territory_id),
                receptions::territory_path.eq(&new.territory_path),
                receptions::planned_start.eq(new.start),
                receptions::planned_end.eq(new.end),
                receptions::venue.eq(&new.venue),
                receptions::status.eq(ReceptionStatus::Planned.as_str()),
                receptions::created_by_user_id.eq(caller.user_id()),
                receptions::created_by_key_id.eq(caller.key_id()),
                receptions::created_at.eq(now),
                receptions::updated_at.eq(now),
            ))
            .returning(receptions::id)
            .get_result(tx.conn())?;
        checks::write_settlements(tx, id, &new.settlements)?;
        checks::write_participants(tx, id, &new.participants, new.start, new.end)?;
        let created = model::reload(tx.conn(), id)?;
        tx.record(
            Change::created(
                ReceptionRows::ENTITY,
                id,
                audit::diff(None, Some(&model::snapshot(&created)), &[]),
            )
            .moving(None, Some(ReceptionStatus::Planned.as_str()))
            .showing(
                json!({"settlement_ids": new.settlements.iter().map(|s| s.0).collect::<Vec<_>>()}),
            ),
        )?;
        Ok(id)
    }

    fn view(&self, cx: &mut Cx, id: i64, _: Option<&NewReception>) -> ApiResult<Made<Reception>> {
        let (conn, caller, _) = cx.parts();
        let row = model::load(conn, caller, id)?;
        let reception = model::view(conn, &row, true)?;
        let location = format!("/api/v1/receptions/{id}");
        Ok(Made::versioned(
            reception.clone(),
            reception.version,
            location,
        ))
    }
}

/// One reception.
pub fn get(conn: &mut DbConn, caller: &Caller, id: i64) -> ApiResult<Reception> {
    caller.authorize(Permission::ReceptionsRead)?;
    let row = model::load(conn, caller, id)?;
    model::view(conn, &row, model::writable(caller, &row))
}

/// Edits the plan (`If-Match`): title, level, venue, visited settlements, and the dates
/// while the reception is still planned (a held one keeps its dates; a postponed one
/// gets new ones by being planned again).
pub fn update(cx: &mut Cx, edit: Edit<UpdateReception>) -> ApiResult<Reception> {
    let (conn, caller, clock) = cx.parts();
    let Edit { id, expected, body } = edit;
    caller.authorize(Permission::ReceptionsWrite)?;
    let (before, expected) = super::load_for_change(conn, caller, id, expected)?;
    let patch = body?;
    let mut errors = Vec::new();
    let title = patch
        .title
        .as_deref()
        .map(|t| validate::required_text("title", t, checks::TITLE_MAX, &mut errors));
    let level = patch.level.as_deref().and_then(|l| level(l, &mut errors));
    let new_kind = patch.kind.as_deref().and_then(|k| kind(k, &mut errors));
    // The appeals already taken carry the kind's channel; a new kind would contradict them.
    if new_kind.is_some_and(|k| k != before.kind) && model::linked_appeals(conn, id)? > 0 {
        errors.push(FieldError::new(
            "kind",
            "appeals_linked",
            "appeals taken at this event carry its kind's channel; the kind cannot change",
        ));
    }
    let settlements = match &patch.settlement_ids {
        Some(ids) => Some(checks::settlements(
            conn,
            Some(&before.territory_path),
            ids,
            &mut errors,
        )?),
        None => None,
    };
    let venue = validate::optional_text(
        "venue",
        patch.venue.as_deref(),
        checks::TITLE_MAX,
        &mut errors,
    );
    let moves = patch.planned_start.is_some() || patch.planned_end.is_some();
    let period = if !moves {
        None
    } else if before.status != ReceptionStatus::Planned {
        errors.push(FieldError::new(
            "planned_start",
            "not_planned",
            "dates change here only while the reception is planned; use a transition",
        ));
        None
    } else {
        // A missing end keeps the current one, so that either end can move alone.
        let keep = |t: chrono::NaiveDateTime| t.and_utc().to_rfc3339();
        let start = patch
            .planned_start
            .clone()
            .unwrap_or_else(|| keep(before.planned_start));
        let end = patch
            .planned_end
            .clone()
            .unwrap_or_else(|| keep(before.planned_end));
        checks::period(Some(&start), Some(&end), &mut errors)
    };
    validate::finish(&mut errors)?;
    let after = write::write(conn, &caller.audit_actor(), clock, |tx| {
        tx.bump::<ReceptionRows>(id, expected)?;
        let (start, end) = period.unwrap_or((before.planned_start, before.planned_end));
        if period.is_some() {
            let people = checks::current_participants(tx.conn(), id)?;
            checks::not_busy(tx.conn(), Some(id), &people, start, end)?;
            checks::move_participants(tx, id, start, end)?;
        }
        diesel::update(receptions::table.find(id))
            .set((
                receptions::kind.eq(new_kind.unwrap_or(before.kind).as_str()),
                receptions::title.eq(title.clone().unwrap_or_else(|| before.title.clone())),
                receptions::level.eq(level.unwrap_or(before.level).as_str()),
                receptions::venue.eq(venue.clone().or(before.venue.clone())),
                receptions::planned_start.eq(start),
                receptions::planned_end.eq(end),
            ))
            .execute(tx.conn())?;
        if let Some(places) = &settlements {
            checks::write_settlements(tx, id, places)?;
        }
        record_update(
            tx,
            &before,
            "updated",
            json!({"settlement_ids": patch.settlement_ids}),
        )
    })?;
    model::view(conn, &after, true)
}

/// Records an edit of a reception and returns the row as it now is.
pub fn record_update(
    tx: &mut Tx<'_>,
    before: &ReceptionRow,
    action: &str,
    details: serde_json::Value,
) -> ApiResult<ReceptionRow> {
    let after = model::reload(tx.conn(), before.id)?;
    let changes = audit::diff(
        Some(&model::snapshot(before)),
        Some(&model::snapshot(&after)),
        &[],
    );
    let mut all = changes.clone();
    if let (Some(obj), Some(extra)) = (all.as_object_mut(), details.as_object()) {
        obj.extend(extra.clone());
    }
    tx.record(Change {
        entity: ReceptionRows::ENTITY,
        id: before.id,
        action: "update",
        event: Some(Event {
            action,
            details: all,
            ..Event::default()
        }),
        audit: changes,
    })?;
    Ok(after)
}
