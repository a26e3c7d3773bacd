//! Receptions in the database: rows, the scoped query, and the view.

use baqylau_wire::receptions::{
    Participant, ParticipantRole, Reception, ReceptionKind, ReceptionLevel, ReceptionReport,
    ReceptionStatus,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::auth::Caller;
use crate::db::schema::{reception_participants, reception_settlements, receptions};
use crate::db::{
    DbConn, EnumText, MultiBackend, ParticipantsRole, ReceptionsKind, ReceptionsLevel,
    ReceptionsStatus,
};
use crate::domain::reception as rules;
use crate::error::{ApiError, ApiResult};

/// A receptions row, in table order.
#[derive(Debug, Clone, Queryable)]
pub struct ReceptionRow {
    pub id: i64,
    pub title: String,
    #[diesel(deserialize_as = EnumText<ReceptionsLevel>)]
    pub level: ReceptionLevel,
    pub territory_id: i64,
    pub territory_path: String,
    pub planned_start: NaiveDateTime,
    pub planned_end: NaiveDateTime,
    pub venue: Option<String>,
    #[diesel(deserialize_as = EnumText<ReceptionsStatus>)]
    pub status: ReceptionStatus,
    pub residents_heard: Option<i64>,
    pub report_summary: Option<String>,
    pub report_issues: Option<String>,
    pub created_by_user_id: Option<i64>,
    pub created_by_key_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
    pub version: i64,
    /// Last: the column was added after the table existed.
    #[diesel(deserialize_as = EnumText<ReceptionsKind>)]
    pub kind: ReceptionKind,
}

#[derive(Debug, Clone, Queryable)]
pub struct ParticipantRow {
    pub id: i64,
    pub reception_id: i64,
    pub deputy_id: Option<i64>,
    pub full_name: String,
    pub position: Option<String>,
    #[diesel(deserialize_as = EnumText<ParticipantsRole>)]
    pub role: ParticipantRole,
    pub planned_start: NaiveDateTime,
    pub planned_end: NaiveDateTime,
}

pub type Boxed = receptions::BoxedQuery<'static, MultiBackend>;

/// Receptions the caller may reach: organised inside their subtree, or visiting a
/// settlement inside it (a deputy of an okrug sees the district's reception that comes
/// to the okrug). Deleted ones are left out unless `with_deleted`.
pub fn scoped(caller: &Caller, with_deleted: bool) -> Boxed {
    let mut query = receptions::table.into_boxed();
    if !with_deleted {
        query = query.filter(receptions::deleted_at.is_null());
    }
    match caller.path_bounds() {
        None => query,
        Some((lower, upper)) => {
            let visiting = reception_settlements::table
                .filter(reception_settlements::territory_path.ge(lower.clone()))
                .filter(reception_settlements::territory_path.lt(upper.clone()))
                .select(reception_settlements::reception_id);
            query.filter(
                receptions::territory_path
                    .ge(lower)
                    .and(receptions::territory_path.lt(upper))
                    .or(receptions::id.eq_any(visiting)),
            )
        }
    }
}

/// One reception the caller may reach, or 404.
pub fn load(conn: &mut DbConn, caller: &Caller, id: i64) -> ApiResult<ReceptionRow> {
    scoped(caller, false)
        .filter(receptions::id.eq(id))
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

/// Whether the caller may change this reception: its organiser's territory is inside
/// theirs. Visiting a territory makes a reception visible there, not writable
/// (`auth::check_organiser`).
pub fn writable(caller: &Caller, row: &ReceptionRow) -> bool {
    caller.allows(crate::auth::Permission::ReceptionsWrite)
        && caller.covers_path(&row.territory_path)
}

/// One reception the caller may change: 404 outside their reach, 403 when it only
/// visits them. Every write of a reception and of its agenda, participants and
/// proposals loads it through here.
pub fn load_for_write(conn: &mut DbConn, caller: &Caller, id: i64) -> ApiResult<ReceptionRow> {
    let row = load(conn, caller, id)?;
    crate::auth::check_organiser(caller, &row.territory_path, "reception")?;
    Ok(row)
}

/// Re-reads a reception after a change, without scoping (the caller was checked before).
pub fn reload(conn: &mut DbConn, id: i64) -> QueryResult<ReceptionRow> {
    receptions::table.find(id).first(conn)
}

/// Live appeals that name the reception (`appeals.reception_id`, checked in code).
pub fn linked_appeals(conn: &mut DbConn, id: i64) -> QueryResult<i64> {
    use crate::db::schema::appeals;
    appeals::table
        .filter(appeals::reception_id.eq(id))
        .filter(appeals::deleted_at.is_null())
        .count()
        .get_result(conn)
}

/// Locks a live reception's row for the rest of the write transaction (404 once it is
/// deleted), so that appeals written under it cannot race its deletion: PostgreSQL
/// holds the row lock until commit, and SQLite's write transaction is exclusive anyway.
pub fn lock_live(conn: &mut DbConn, id: i64) -> ApiResult<()> {
    let locked = diesel::update(
        receptions::table
            .filter(receptions::id.eq(id))
            .filter(receptions::deleted_at.is_null()),
    )
    .set(receptions::version.eq(receptions::version))
    .execute(conn)?;
    match locked {
        0 => Err(ApiError::NotFound),
        _ => Ok(()),
    }
}

pub fn participants(conn: &mut DbConn, id: i64) -> QueryResult<Vec<ParticipantRow>> {
    reception_participants::table
        .filter(reception_participants::reception_id.eq(id))
        .order(reception_participants::id.asc())
        .load(conn)
}

pub fn settlement_ids(conn: &mut DbConn, id: i64) -> QueryResult<Vec<i64>> {
    reception_settlements::table
        .filter(reception_settlements::reception_id.eq(id))
        .order(reception_settlements::territory_id.asc())
        .select(reception_settlements::territory_id)
        .load(conn)
}

pub fn participant_view(row: &ParticipantRow) -> Participant {
    Participant {
        deputy_id: row.deputy_id,
        full_name: row.full_name.clone(),
        position: row.position.clone(),
        role: row.role,
    }
}

/// The issues, stored as a JSON array of strings.
pub fn issues(row: &ReceptionRow) -> ApiResult<Vec<String>> {
    match row.report_issues.as_deref() {
        None => Ok(Vec::new()),
        Some(raw) => serde_json::from_str(raw)
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("receptions.report_issues: {e}"))),
    }
}

/// The reception with its settlements and participants, as the caller sees it.
pub fn view(conn: &mut DbConn, row: &ReceptionRow, can_write: bool) -> ApiResult<Reception> {
    let settlement_ids = settlement_ids(conn, row.id)?;
    let participants = participants(conn, row.id)?
        .iter()
        .map(participant_view)
        .collect();
    let report = match row.status {
        ReceptionStatus::Held => Some(ReceptionReport {
            summary: row.report_summary.clone(),
            issues_raised: issues(row)?,
        }),
        _ => None,
    };
    Ok(Reception {
        id: row.id,
        kind: row.kind,
        title: row.title.clone(),
        level: row.level,
        territory_id: row.territory_id,
        settlement_ids,
        planned_start: row.planned_start.and_utc(),
        planned_end: row.planned_end.and_utc(),
        venue: row.venue.clone(),
        status: row.status,
        participants,
        residents_heard: row.residents_heard,
        report,
        allowed_transitions: if can_write && row.deleted_at.is_none() {
            rules::next(row.status).to_vec()
        } else {
            Vec::new()
        },
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
        version: row.version,
        deleted: row.deleted_at.is_some(),
    })
}

/// What the audit trail keeps of a reception.
#[derive(serde::Serialize)]
pub struct Snapshot {
    pub kind: ReceptionKind,
    pub title: String,
    pub level: ReceptionLevel,
    pub territory_id: i64,
    pub planned_start: NaiveDateTime,
    pub planned_end: NaiveDateTime,
    pub venue: Option<String>,
    pub status: ReceptionStatus,
    pub residents_heard: Option<i64>,
    pub report_summary: Option<String>,
    pub report_issues: Option<String>,
    pub deleted_at: Option<NaiveDateTime>,
}

pub fn snapshot(r: &ReceptionRow) -> Snapshot {
    Snapshot {
        kind: r.kind,
        title: r.title.clone(),
        level: r.level,
        territory_id: r.territory_id,
        planned_start: r.planned_start,
        planned_end: r.planned_end,
        venue: r.venue.clone(),
        status: r.status,
        residents_heard: r.residents_heard,
        report_summary: r.report_summary.clone(),
        report_issues: r.report_issues.clone(),
        deleted_at: r.deleted_at,
    }
}
