//! Checking what a client sends about a reception — dates, visited settlements,
//! participants — and the one rule that needs the database at write time: a deputy is
//! never booked into two receptions at once.

use baqylau_wire::receptions::{ParticipantInput, ParticipantRole};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::auth::{self, Caller};
use crate::db::schema::{reception_participants, reception_settlements, receptions, territories};
use crate::db::DbConn;
use crate::domain::dates;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::kit::validate;
use crate::kit::write::Tx;

pub const TITLE_MAX: usize = 300;
pub const TEXT_MAX: usize = 10_000;
/// A reception visits a handful of villages; a longer list is a client error.
pub const SETTLEMENTS_MAX: usize = 100;
pub const PARTICIPANTS_MAX: usize = 100;
/// The territory levels a reception can visit.
pub const VISITED_LEVELS: [&str; 3] = ["rural_okrug", "town", "settlement"];

/// An RFC 3339 time in the accepted span, as stored.
pub fn timestamp(
    field: &str,
    raw: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDateTime> {
    let raw = raw?.trim();
    match chrono::DateTime::parse_from_rfc3339(raw) {
        Ok(t) => match dates::bounded_timestamp(t) {
            Some(t) => Some(crate::db::compat::truncate_micros(t)),
            None => {
                errors.push(FieldError::new(field, "range", dates::RANGE_MESSAGE));
                None
            }
        },
        Err(_) => {
            errors.push(FieldError::new(
                field,
                "timestamp",
                "must be an RFC 3339 timestamp, e.g. 2026-03-21T09:30:00Z",
            ));
            None
        }
    }
}

/// Both ends of a visit, the end after the start; missing ends are `required`.
pub fn period(
    start: Option<&str>,
    end: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Option<(NaiveDateTime, NaiveDateTime)> {
    for (field, value) in [("planned_start", start), ("planned_end", end)] {
        if value.is_none() {
            errors.push(FieldError::new(field, "required", "is required"));
        }
    }
    let start = timestamp("planned_start", start, errors);
    let end = timestamp("planned_end", end, errors);
    let (start, end) = (start?, end?);
    if end <= start {
        errors.push(FieldError::new(
            "planned_end",
            "before_start",
            "must be after planned_start",
        ));
        return None;
    }
    Some((start, end))
}

/// The visited territories: each a live okrug, town or settlement inside the
/// organiser's subtree. Returns (id, path) pairs without duplicates.
pub fn settlements(
    conn: &mut DbConn,
    organiser_path: Option<&str>,
    ids: &[i64],
    errors: &mut Vec<FieldError>,
) -> QueryResult<Vec<(i64, String)>> {
    if ids.len() > SETTLEMENTS_MAX {
        errors.push(FieldError::new(
            "settlement_ids",
            "too_many",
            format!("at most {SETTLEMENTS_MAX}"),
        ));
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        if found.iter().any(|(f, _)| f == id) {
            continue;
        }
        let field = format!("settlement_ids[{i}]");
        let row: Option<(String, String)> = territories::table
            .find(id)
            .filter(territories::deleted_at.is_null())
            .select((territories::path, territories::level))
            .first(conn)
            .optional()?;
        match row {
            None => errors.push(FieldError::new(field, "unknown", "no such territory")),
            Some((_, level)) if !VISITED_LEVELS.contains(&level.as_str()) => {
                errors.push(FieldError::new(
                    field,
                    "not_a_settlement",
                    "must be a rural okrug, town or settlement",
                ))
            }
            Some((path, _)) if organiser_path.is_some_and(|o| !path.starts_with(o)) => {
                errors.push(FieldError::new(
                    field,
                    "outside_organiser",
                    "must lie inside the organiser's territory",
                ))
            }
            Some((path, _)) => found.push((*id, path)),
        }
    }
    Ok(found)
}

/// A participant after checking.
#[derive(Debug, Clone)]
pub struct CleanParticipant {
    pub deputy_id: Option<i64>,
    pub full_name: String,
    pub position: Option<String>,
    pub role: ParticipantRole,
}

pub fn participants(
    conn: &mut DbConn,
    caller: &Caller,
    input: &[ParticipantInput],
    errors: &mut Vec<FieldError>,
) -> QueryResult<Vec<CleanParticipant>> {
    if input.len() > PARTICIPANTS_MAX {
        errors.push(FieldError::new(
            "participants",
            "too_many",
            format!("at most {PARTICIPANTS_MAX}"),
        ));
        return Ok(Vec::new());
    }
    let mut clean = Vec::new();
    for (i, p) in input.iter().enumerate() {
        let field = |name: &str| format!("participants[{i}].{name}");
        let full_name =
            validate::required_text(&field("full_name"), &p.full_name, TITLE_MAX, errors);
        let position =
            validate::optional_text(&field("position"), p.position.as_deref(), TITLE_MAX, errors);
        let role = ParticipantRole::parse(&p.role);
        if role.is_none() {
            errors.push(FieldError::new(
                field("role"),
                "one_of",
                format!("must be one of {}", ParticipantRole::choices()),
            ));
        }
        if let Some(d) = p.deputy_id {
            let reached = auth::check_deputy(conn, caller, &field("deputy_id"), Some(d), errors)?;
            if reached && input[..i].iter().any(|o| o.deputy_id == Some(d)) {
                errors.push(FieldError::new(
                    field("deputy_id"),
                    "duplicate",
                    "the deputy is listed twice",
                ));
            }
        }
        if let Some(role) = role {
            clean.push(CleanParticipant {
                deputy_id: p.deputy_id,
                full_name,
                position,
                role,
            });
        }
    }
    Ok(clean)
}

/// 409 `participant_busy` when a deputy among `people` is booked into another reception
/// (not cancelled, not deleted) overlapping `[start, end)`. Called inside the write
/// transaction, so two concurrent bookings cannot both pass.
pub fn not_busy(
    conn: &mut DbConn,
    reception_id: Option<i64>,
    people: &[CleanParticipant],
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> ApiResult<()> {
    let deputies: Vec<i64> = people.iter().filter_map(|p| p.deputy_id).collect();
    if deputies.is_empty() {
        return Ok(());
    }
    let mut query = reception_participants::table
        .inner_join(receptions::table)
        .filter(reception_participants::deputy_id.eq_any(deputies))
        .filter(reception_participants::planned_start.lt(end))
        .filter(reception_participants::planned_end.gt(start))
        .filter(receptions::deleted_at.is_null())
        .filter(crate::domain::reception::books_participants_sql())
        .select((reception_participants::deputy_id, receptions::id))
        .into_boxed();
    if let Some(id) = reception_id {
        query = query.filter(receptions::id.ne(id));
    }
    let clash: Option<(Option<i64>, i64)> = query.first(conn).optional()?;
    match clash {
        None => Ok(()),
        Some((deputy, other)) => Err(ApiError::conflict(
            "participant_busy",
            format!(
                "deputy {} is booked into reception {other} at an overlapping time",
                deputy.unwrap_or_default()
            ),
        )),
    }
}

/// Replaces the participants of a reception.
pub fn write_participants(
    tx: &mut Tx<'_>,
    id: i64,
    people: &[CleanParticipant],
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> ApiResult<()> {
    diesel::delete(
        reception_participants::table.filter(reception_participants::reception_id.eq(id)),
    )
    .execute(tx.conn())?;
    for p in people {
        diesel::insert_into(reception_participants::table)
            .values((
                reception_participants::reception_id.eq(id),
                reception_participants::deputy_id.eq(p.deputy_id),
                reception_participants::full_name.eq(&p.full_name),
                reception_participants::position.eq(&p.position),
                reception_participants::role.eq(p.role.as_str()),
                reception_participants::planned_start.eq(start),
                reception_participants::planned_end.eq(end),
            ))
            .execute(tx.conn())?;
    }
    Ok(())
}

/// Replaces the visited settlements of a reception.
pub fn write_settlements(tx: &mut Tx<'_>, id: i64, places: &[(i64, String)]) -> ApiResult<()> {
    diesel::delete(reception_settlements::table.filter(reception_settlements::reception_id.eq(id)))
        .execute(tx.conn())?;
    for (territory, path) in places {
        diesel::insert_into(reception_settlements::table)
            .values((
                reception_settlements::reception_id.eq(id),
                reception_settlements::territory_id.eq(territory),
                reception_settlements::territory_path.eq(path),
            ))
            .execute(tx.conn())?;
    }
    Ok(())
}

/// Moves the participants' copy of the dates along with the reception's.
pub fn move_participants(
    tx: &mut Tx<'_>,
    id: i64,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> ApiResult<()> {
    diesel::update(
        reception_participants::table.filter(reception_participants::reception_id.eq(id)),
    )
    .set((
        reception_participants::planned_start.eq(start),
        reception_participants::planned_end.eq(end),
    ))
    .execute(tx.conn())?;
    Ok(())
}

/// Clean participants of an existing reception, for re-checking when dates move.
pub fn current_participants(conn: &mut DbConn, id: i64) -> QueryResult<Vec<CleanParticipant>> {
    Ok(super::model::participants(conn, id)?
        .into_iter()
        .map(|p| CleanParticipant {
            deputy_id: p.deputy_id,
            full_name: p.full_name,
            position: p.position,
            role: p.role,
        })
        .collect())
}
