//! The deputies registry: creating a record, reading it, and changing it — including
//! the mandate, whose recall (or end) ends the deputy's open assignments.

use baqylau_wire::deputies::{
    CreateDeputy, Deputy, MandateStatus, MaslikhatLevel, PartyRoleInput, PartyRoleKind,
    UpdateDeputy,
};
use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::json;

use super::model::{self, DeputyRow};
use super::{assignments, DeputyRows, KIND};
use crate::audit;
use crate::auth::{self, Caller, Permission};
use crate::db::schema::{deputies, deputy_party_roles};
use crate::db::DbConn;
use crate::domain::dates;
use crate::domain::phone::Phone;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::kit::clock::Clock;
use crate::kit::create::{self, Create, Made};
use crate::kit::idempotent::{Created, Request};
use crate::kit::op::{Cx, Edit};
use crate::kit::validate;
use crate::kit::write::{self, Change, Expected, Tx, Versioned as _};

const NAME_MAX: usize = 300;
const REASON_MAX: usize = 1000;

/// A party role ready to be stored.
#[derive(Debug, Clone)]
pub struct CleanRole {
    role: PartyRoleKind,
    from: NaiveDate,
    to: Option<NaiveDate>,
}

fn party_roles(input: &[PartyRoleInput], errors: &mut Vec<FieldError>) -> Vec<CleanRole> {
    let mut out = Vec::new();
    for (i, r) in input.iter().enumerate() {
        let field = |f: &str| format!("party_roles[{i}].{f}");
        let role = PartyRoleKind::parse(&r.role);
        if role.is_none() {
            errors.push(FieldError::new(
                field("role"),
                "one_of",
                format!("must be one of {}", PartyRoleKind::choices()),
            ));
        }
        let from = match r.from {
            None => {
                errors.push(FieldError::new(field("from"), "required", "is required"));
                None
            }
            Some(d) => dates::check_date(&field("from"), d, errors),
        };
        let to =
            r.to.and_then(|d| dates::check_date(&field("to"), d, errors));
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                errors.push(FieldError::new(
                    field("to"),
                    "range",
                    "must not be before from",
                ));
            }
        }
        if let (Some(role), Some(from)) = (role, from) {
            out.push(CleanRole { role, from, to });
        }
    }
    out
}

fn mandate(raw: &str, errors: &mut Vec<FieldError>) -> Option<MandateStatus> {
    let parsed = MandateStatus::parse(raw);
    if parsed.is_none() {
        errors.push(FieldError::new(
            "mandate_status",
            "one_of",
            format!("must be one of {}", MandateStatus::choices()),
        ));
    }
    parsed
}

fn email(value: Option<&str>, errors: &mut Vec<FieldError>) -> Option<String> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    validate::email("email", value, errors);
    Some(value.to_lowercase())
}

/// A deputy ready to be stored.
pub struct NewDeputy {
    full_name: String,
    level: MaslikhatLevel,
    territory_id: i64,
    territory_path: String,
    okrug: Option<String>,
    roles: Vec<CleanRole>,
    phone: Option<Phone>,
    email: Option<String>,
    status: MandateStatus,
    since: Option<NaiveDate>,
    reason: Option<String>,
}

fn write_roles(tx: &mut Tx<'_>, id: i64, roles: &[CleanRole]) -> ApiResult<()> {
    diesel::delete(deputy_party_roles::table.filter(deputy_party_roles::deputy_id.eq(id)))
        .execute(tx.conn())?;
    for r in roles {
        diesel::insert_into(deputy_party_roles::table)
            .values((
                deputy_party_roles::deputy_id.eq(id),
                deputy_party_roles::role.eq(r.role.as_str()),
                deputy_party_roles::from_on.eq(r.from),
                deputy_party_roles::to_on.eq(r.to),
            ))
            .execute(tx.conn())?;
    }
    Ok(())
}

/// Registering a deputy (`POST /deputies`).
pub struct Register;

crate::creation!(Register: CreateDeputy => NewDeputy => Deputy, kind KIND, needs DeputiesWrite);

impl Create for Register {
    fn check(&self, cx: &mut Cx, input: &CreateDeputy) -> ApiResult<NewDeputy> {
        let (conn, caller, clock) = cx.parts();
        let mut errors = Vec::new();
        let full_name =
            validate::required_text("full_name", &input.full_name, NAME_MAX, &mut errors);
        let level = MaslikhatLevel::parse(&input.level);
        if level.is_none() {
            errors.push(FieldError::new(
                "level",
                "one_of",
                format!("must be one of {}", MaslikhatLevel::choices()),
            ));
        }
        let path = match input.maslikhat_territory_id {
            Some(id) => {
                auth::check_territory(conn, caller, "maslikhat_territory_id", id, &mut errors)?
            }
            None => {
                errors.push(FieldError::new(
                    "maslikhat_territory_id",
                    "required",
                    "is required",
                ));
                None
            }
        };
        let okrug = validate::optional_text("okrug", input.okrug.as_deref(), NAME_MAX, &mut errors);
        let roles = party_roles(&input.party_roles, &mut errors);
        let phone = validate::phone("phone", input.phone.as_deref(), &mut errors);
        let email = email(input.email.as_deref(), &mut errors);
        let status = match input.mandate_status.as_deref() {
            Some(raw) => mandate(raw, &mut errors),
            None => Some(MandateStatus::Active),
        };
        let since = input
            .mandate_status_since
            .and_then(|d| dates::check_date("mandate_status_since", d, &mut errors))
            .or(Some(clock.today()));
        let reason = validate::optional_text(
            "mandate_reason",
            input.mandate_reason.as_deref(),
            REASON_MAX,
            &mut errors,
        );
        let (Some(level), Some(path), Some(status), true) =
            (level, path, status, errors.is_empty())
        else {
            return Err(validate::refusal(errors));
        };
        Ok(NewDeputy {
            full_name,
            level,
            territory_id: input.maslikhat_territory_id.unwrap_or_default(),
            territory_path: path,
            okrug,
            roles,
            phone,
            email,
            status,
            since,
            reason,
        })
    }

    fn insert(&self, tx: &mut Tx<'_>, _: &Caller, new: &NewDeputy) -> ApiResult<i64> {
        let now = tx.now();
        let id: i64 = diesel::insert_into(deputies::table)
            .values((
                deputies::full_name.eq(&new.full_name),
                deputies::level.eq(new.level.as_str()),
                deputies::maslikhat_territory_id.eq(new.territory_id),
                deputies::territory_path.eq(&new.territory_path),
                deputies::okrug.eq(&new.okrug),
                deputies::phone.eq(&new.phone),
                deputies::email.eq(&new.email),
                deputies::mandate_status.eq(new.status.as_str()),
                deputies::mandate_status_since.eq(new.since),
                deputies::mandate_reason.eq(&new.reason),
                deputies::created_at.eq(now),
                deputies::updated_at.eq(now),
            ))
            .returning(deputies::id)
            .get_result(tx.conn())?;
        write_roles(tx, id, &new.roles)?;
        let created = model::reload(tx.conn(), id)?;
        let snap = model::snapshot(tx.conn(), &created)?;
        tx.record(
            Change::created(DeputyRows::ENTITY, id, audit::diff(None, Some(&snap), &[]))
                .moving(None, Some(new.status.as_str())),
        )?;
        Ok(id)
    }

    fn view(&self, cx: &mut Cx, id: i64, _: Option<&NewDeputy>) -> ApiResult<Made<Deputy>> {
        let (conn, caller, _) = cx.parts();
        let row = model::load(conn, caller, id)?;
        let deputy = model::view(conn, row)?;
        let location = format!("/api/v1/deputies/{id}");
        Ok(Made::versioned(deputy.clone(), deputy.version, location))
    }
}

/// Registers a deputy in code (the seed, tests), as `POST /deputies` does.
pub fn create(
    conn: &mut DbConn,
    caller: &Caller,
    clock: &Clock,
    request: &Request<CreateDeputy>,
) -> ApiResult<(Deputy, Created)> {
    create::create(&Register, &mut Cx::new(conn, caller, clock), request)
        .map(|m| (m.view, m.created))
}

/// One deputy.
pub fn get(conn: &mut DbConn, caller: &Caller, id: i64) -> ApiResult<Deputy> {
    caller.authorize(Permission::DeputiesRead)?;
    let row = model::load(conn, caller, id)?;
    model::view(conn, row)
}

/// Loads a deputy for a change: reach (404), the maslikhat inside the caller's subtree
/// (403: a district's office does not edit a regional deputy it merely sees), then
/// `If-Match` (428, 412).
pub fn load_for_change(
    conn: &mut DbConn,
    caller: &Caller,
    id: i64,
    expected: Expected,
) -> ApiResult<(DeputyRow, i64)> {
    let row = model::load(conn, caller, id)?;
    if !caller.covers_path(&row.territory_path) {
        return Err(ApiError::Forbidden(
            "the deputy's maslikhat is outside your territory".into(),
        ));
    }
    let expected = expected.resolve(row.version)?;
    Ok((row, expected))
}

/// Changes a deputy (`If-Match`). A move of the mandate to `recalled` or `ended` ends
/// every open assignment on `mandate_status_since` (today when absent), in the same
/// transaction.
pub fn update(cx: &mut Cx, edit: Edit<UpdateDeputy>) -> ApiResult<Deputy> {
    let (conn, caller, clock) = cx.parts();
    let Edit { id, expected, body } = edit;
    caller.authorize(Permission::DeputiesWrite)?;
    let (before, expected) = load_for_change(conn, caller, id, expected)?;
    let patch = body?;
    let mut errors = Vec::new();
    let full_name = patch
        .full_name
        .as_deref()
        .map(|n| validate::required_text("full_name", n, NAME_MAX, &mut errors));
    let okrug = patch
        .okrug
        .as_ref()
        .map(|o| validate::optional_text("okrug", o.as_deref(), NAME_MAX, &mut errors));
    let roles = patch
        .party_roles
        .as_ref()
        .map(|r| party_roles(r, &mut errors));
    let phone = patch
        .phone
        .as_ref()
        .map(|p| validate::phone("phone", p.as_deref(), &mut errors));
    let email = patch
        .email
        .as_ref()
        .map(|e| email(e.as_deref(), &mut errors));
    let status = patch
        .mandate_status
        .as_deref()
        .and_then(|s| mandate(s, &mut errors));
    let since = patch
        .mandate_status_since
        .and_then(|d| dates::check_date("mandate_status_since", d, &mut errors));
    let reason = patch
        .mandate_reason
        .as_ref()
        .map(|r| validate::optional_text("mandate_reason", r.as_deref(), REASON_MAX, &mut errors));
    validate::finish(&mut errors)?;
    let status_moves = status.is_some_and(|s| s != before.mandate_status);
    let since = match (since, status_moves) {
        (Some(d), _) => Some(d),
        (None, true) => Some(clock.today()),
        (None, false) => before.mandate_status_since,
    };
    let after_status = status.unwrap_or(before.mandate_status);
    let before_snap = model::snapshot(conn, &before)?;
    let after = write::write(conn, &caller.audit_actor(), clock, |tx| {
        tx.bump::<DeputyRows>(id, expected)?;
        diesel::update(deputies::table.find(id))
            .set((
                deputies::full_name.eq(full_name.clone().unwrap_or(before.full_name.clone())),
                deputies::okrug.eq(okrug.clone().unwrap_or(before.okrug.clone())),
                deputies::phone.eq(phone.clone().unwrap_or(before.phone.clone())),
                deputies::email.eq(email.clone().unwrap_or(before.email.clone())),
                deputies::mandate_status.eq(after_status.as_str()),
                deputies::mandate_status_since.eq(since),
                deputies::mandate_reason
                    .eq(reason.clone().unwrap_or(before.mandate_reason.clone())),
            ))
            .execute(tx.conn())?;
        if let Some(roles) = &roles {
            write_roles(tx, id, roles)?;
        }
        let ended = match (status_moves, after_status, since) {
            (true, MandateStatus::Recalled | MandateStatus::Ended, Some(on)) => {
                assignments::end_open(tx, id, on, &format!("mandate {}", after_status.as_str()))?
            }
            _ => Vec::new(),
        };
        let after = model::reload(tx.conn(), id)?;
        let after_snap = model::snapshot(tx.conn(), &after)?;
        let changes = audit::diff(Some(&before_snap), Some(&after_snap), &[]);
        let mut details = changes.clone();
        if let Some(obj) = details.as_object_mut() {
            obj.insert("ended_assignments".into(), json!(ended));
        }
        tx.record(
            Change::updated(DeputyRows::ENTITY, id, changes)
                .shown_as(if status_moves { "mandate" } else { "updated" })
                .moving(
                    status_moves.then(|| before.mandate_status.as_str()),
                    status_moves.then(|| after_status.as_str()),
                )
                .showing(details),
        )?;
        Ok(after)
    })?;
    model::view(conn, after)
}
