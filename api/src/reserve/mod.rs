//! The party's cadre reserve: people proposed for mandates and posts, by territory, with
//! a status (candidate → approved → appointed, or withdrawn). They are private persons:
//! IIN and phone are shown masked unless the caller may see personal data (admins and
//! regional staff), the way appeals mask citizens, and are redacted in the audit trail.

use baqylau_wire::personal::{Disclosure, PersonalIin, PersonalPhone};
use baqylau_wire::reserve::{Candidate, CandidateStatus, CreateCandidate, UpdateCandidate};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::audit;
use crate::auth::{self, Caller, Permission};
use crate::db::schema::reserve_candidates;
use crate::db::{CandidatesStatus, DbConn, EnumText};
use crate::domain::iin::Iin;
use crate::domain::phone::Phone;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::kit::clock::Clock;
use crate::kit::create::{Create, Made};
use crate::kit::list::{PageRequest, Slice};
use crate::kit::op::{Cx, Edit};
use crate::kit::validate;
use crate::kit::write::{self, Change, Tx, Versioned as _};

pub const KIND: &str = "reserve_candidate";

crate::versioned!(CandidateRows, reserve_candidates, "reserve_candidate");

const NAME_MAX: usize = 300;
const NOTE_MAX: usize = 2000;
/// Audit fields whose values are personal data.
const SENSITIVE: &[&str] = &["iin", "phone"];

#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct CandidateRow {
    pub id: i64,
    pub full_name: String,
    pub territory_id: i64,
    #[serde(skip)]
    pub territory_path: String,
    pub iin: Option<Iin>,
    pub phone: Option<Phone>,
    pub position: Option<String>,
    pub note: Option<String>,
    #[diesel(deserialize_as = EnumText<CandidatesStatus>)]
    pub status: CandidateStatus,
    pub status_since: NaiveDate,
    #[serde(skip)]
    pub created_at: NaiveDateTime,
    #[serde(skip)]
    pub updated_at: NaiveDateTime,
    #[serde(skip)]
    pub deleted_at: Option<NaiveDateTime>,
    #[serde(skip)]
    pub version: i64,
}

fn scoped(caller: &Caller) -> reserve_candidates::BoxedQuery<'static, crate::db::MultiBackend> {
    let q = reserve_candidates::table
        .filter(reserve_candidates::deleted_at.is_null())
        .into_boxed();
    crate::within_scope!(q, reserve_candidates::territory_path, caller)
}

fn load(conn: &mut DbConn, caller: &Caller, id: i64) -> ApiResult<CandidateRow> {
    scoped(caller)
        .filter(reserve_candidates::id.eq(id))
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

/// The candidate as this caller may see them: IIN and phone mask themselves unless
/// `reveal` (`baqylau_wire::personal`).
pub fn view(r: CandidateRow, reveal: bool) -> Candidate {
    let disclosure = Disclosure::full_if(reveal);
    let iin = r
        .iin
        .map(|v| PersonalIin::new(v.as_str()).disclosed(disclosure));
    let phone = r
        .phone
        .map(|v| PersonalPhone::new(v.as_str()).disclosed(disclosure));
    Candidate {
        id: r.id,
        full_name: r.full_name,
        territory_id: r.territory_id,
        iin,
        phone,
        position: r.position,
        note: r.note,
        status: r.status,
        status_since: r.status_since,
        created_at: r.created_at.and_utc(),
        updated_at: r.updated_at.and_utc(),
        version: r.version,
    }
}

fn status(raw: &str, errors: &mut Vec<FieldError>) -> Option<CandidateStatus> {
    let parsed = CandidateStatus::parse(raw);
    if parsed.is_none() {
        errors.push(FieldError::new(
            "status",
            "one_of",
            format!("must be one of {}", CandidateStatus::choices()),
        ));
    }
    parsed
}

pub struct NewCandidate {
    full_name: String,
    territory_id: i64,
    territory_path: String,
    iin: Option<Iin>,
    phone: Option<Phone>,
    position: Option<String>,
    note: Option<String>,
    status: CandidateStatus,
    today: NaiveDate,
}

/// Adding a person to the reserve (`POST /reserve`).
pub struct Enlist;

crate::creation!(Enlist: CreateCandidate => NewCandidate => Candidate,
    kind KIND, needs ReserveManage);

impl Create for Enlist {
    fn check(&self, cx: &mut Cx, input: &CreateCandidate) -> ApiResult<NewCandidate> {
        let (conn, caller, clock) = cx.parts();
        let mut errors = Vec::new();
        let full_name =
            validate::required_text("full_name", &input.full_name, NAME_MAX, &mut errors);
        let path = match input.territory_id {
            Some(id) => auth::check_territory(conn, caller, "territory_id", id, &mut errors)?,
            None => {
                errors.push(FieldError::new("territory_id", "required", "is required"));
                None
            }
        };
        let iin = validate::iin("iin", input.iin.as_deref(), &mut errors);
        let phone = validate::phone("phone", input.phone.as_deref(), &mut errors);
        let position =
            validate::optional_text("position", input.position.as_deref(), NAME_MAX, &mut errors);
        let note = validate::optional_text("note", input.note.as_deref(), NOTE_MAX, &mut errors);
        let st = match input.status.as_deref() {
            Some(raw) => status(raw, &mut errors),
            None => Some(CandidateStatus::Candidate),
        };
        let (Some(path), Some(st), true) = (path, st, errors.is_empty()) else {
            return Err(validate::refusal(errors));
        };
        Ok(NewCandidate {
            full_name,
            territory_id: input.territory_id.unwrap_or_default(),
            territory_path: path,
            iin,
            phone,
            position,
            note,
            status: st,
            today: clock.today(),
        })
    }

    fn insert(&self, tx: &mut Tx<'_>, _: &Caller, new: &NewCandidate) -> ApiResult<i64> {
        let now = tx.now();
        let id: i64 = diesel::insert_into(reserve_candidates::table)
            .values((
                reserve_candidates::full_name.eq(&new.full_name),
                reserve_candidates::territory_id.eq(new.territory_id),
                reserve_candidates::territory_path.eq(&new.territory_path),
                reserve_candidates::iin.eq(&new.iin),
                reserve_candidates::phone.eq(&new.phone),
                reserve_candidates::position.eq(&new.position),
                reserve_candidates::note.eq(&new.note),
                reserve_candidates::status.eq(new.status.as_str()),
                reserve_candidates::status_since.eq(new.today),
                reserve_candidates::created_at.eq(now),
                reserve_candidates::updated_at.eq(now),
            ))
            .returning(reserve_candidates::id)
            .get_result(tx.conn())?;
        let row: CandidateRow = reserve_candidates::table.find(id).first(tx.conn())?;
        tx.record(
            Change::created(
                CandidateRows::ENTITY,
                id,
                audit::diff(None, Some(&row), SENSITIVE),
            )
            .moving(None, Some(new.status.as_str())),
        )?;
        Ok(id)
    }

    fn view(&self, cx: &mut Cx, id: i64, _: Option<&NewCandidate>) -> ApiResult<Made<Candidate>> {
        let (conn, caller, _) = cx.parts();
        let reveal = caller.sees_personal_data();
        let candidate = view(load(conn, caller, id)?, reveal);
        let location = format!("/api/v1/reserve/{id}");
        Ok(Made::versioned(candidate.clone(), candidate.version, location).private(reveal))
    }
}

/// One candidate; the flag says whether personal data is shown in full. Admins and
/// regional staff see IIN and phone in full, and that read is audited.
pub fn get(
    conn: &mut DbConn,
    caller: &Caller,
    clock: &Clock,
    id: i64,
) -> ApiResult<(Candidate, bool)> {
    caller.authorize(Permission::ReserveManage)?;
    let row = load(conn, caller, id)?;
    let reveal = caller.sees_personal_data();
    if reveal && (row.iin.is_some() || row.phone.is_some()) {
        crate::audit::reveal::record(
            conn,
            &caller.audit_actor(),
            clock.now_stored(),
            CandidateRows::ENTITY.name,
            id,
            &["iin", "phone"],
        )?;
    }
    Ok((view(row, reveal), reveal))
}

/// Changes a candidate (`If-Match`); a new status restarts `status_since`.
pub fn update(cx: &mut Cx, edit: Edit<UpdateCandidate>) -> ApiResult<(Candidate, bool)> {
    let (conn, caller, clock) = cx.parts();
    let Edit { id, expected, body } = edit;
    caller.authorize(Permission::ReserveManage)?;
    let before = load(conn, caller, id)?;
    let expected = expected.resolve(before.version)?;
    let patch = body?;
    let mut errors = Vec::new();
    let full_name = patch
        .full_name
        .as_deref()
        .map(|n| validate::required_text("full_name", n, NAME_MAX, &mut errors));
    let iin = patch
        .iin
        .as_ref()
        .map(|v| validate::iin("iin", v.as_deref(), &mut errors));
    let phone = patch
        .phone
        .as_ref()
        .map(|v| validate::phone("phone", v.as_deref(), &mut errors));
    let position = patch
        .position
        .as_ref()
        .map(|v| validate::optional_text("position", v.as_deref(), NAME_MAX, &mut errors));
    let note = patch
        .note
        .as_ref()
        .map(|v| validate::optional_text("note", v.as_deref(), NOTE_MAX, &mut errors));
    let st = patch.status.as_deref().and_then(|s| status(s, &mut errors));
    validate::finish(&mut errors)?;
    let moves = st.is_some_and(|s| s != before.status);
    let today = clock.today();
    let after = write::write(conn, &caller.audit_actor(), clock, |tx| {
        tx.bump::<CandidateRows>(id, expected)?;
        diesel::update(reserve_candidates::table.find(id))
            .set((
                reserve_candidates::full_name
                    .eq(full_name.clone().unwrap_or(before.full_name.clone())),
                reserve_candidates::iin.eq(iin.clone().unwrap_or(before.iin.clone())),
                reserve_candidates::phone.eq(phone.clone().unwrap_or(before.phone.clone())),
                reserve_candidates::position
                    .eq(position.clone().unwrap_or(before.position.clone())),
                reserve_candidates::note.eq(note.clone().unwrap_or(before.note.clone())),
                reserve_candidates::status.eq(st.unwrap_or(before.status).as_str()),
                reserve_candidates::status_since.eq(if moves {
                    today
                } else {
                    before.status_since
                }),
            ))
            .execute(tx.conn())?;
        let after: CandidateRow = reserve_candidates::table.find(id).first(tx.conn())?;
        let changes = audit::diff(Some(&before), Some(&after), SENSITIVE);
        tx.record(Change::updated(CandidateRows::ENTITY, id, changes).moving(
            moves.then(|| before.status.as_str()),
            moves.then(|| after.status.as_str()),
        ))?;
        Ok(after)
    })?;
    let reveal = caller.sees_personal_data();
    Ok((view(after, reveal), reveal))
}

/// The reserve in the caller's territory, newest first, optionally by status; IIN and
/// phone masked for everyone (the single record shows them to those allowed).
pub fn list(
    conn: &mut DbConn,
    caller: &Caller,
    status_filter: Option<CandidateStatus>,
    page: &PageRequest<i64>,
) -> ApiResult<Slice<Candidate, i64>> {
    caller.authorize(Permission::ReserveManage)?;
    let filtered = || -> ApiResult<_> {
        let mut q = scoped(caller);
        if let Some(s) = status_filter {
            q = q.filter(reserve_candidates::status.eq(s.as_str()));
        }
        Ok(q)
    };
    let slice = crate::collect_by_id!(
        conn,
        page,
        CandidateRow,
        reserve_candidates::id,
        desc,
        filtered()
    );
    Ok(slice.map(|r| view(r, false)))
}
