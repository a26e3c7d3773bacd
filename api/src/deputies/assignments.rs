//! Assignments of deputies to territories over time: binding, ending (never deleting),
//! listing a deputy's, and who answered for a territory on a given day.

use baqylau_wire::deputies::{
    Assignment, CreateAssignment, MandateStatus, Responsible, TerritoryDeputies, UpdateAssignment,
};
use baqylau_wire::reference::TerritoryLevel;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::model::{self, DeputyRow};
use super::{AssignmentRows, ASSIGNMENT_KIND};
use crate::audit;
use crate::auth::{self, Caller, Permission};
use crate::db::schema::{assignments, deputies, territories};
use crate::db::{DbConn, MultiBackend};
use crate::domain::dates;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::kit::create::{Create, Made};
use crate::kit::list::{PageRequest, Slice};
use crate::kit::op::{Cx, Edit};
use crate::kit::validate;
use crate::kit::write::{self, Change, Event, Tx, Versioned as _};

/// The territories a deputy is assigned to (DOMAIN.md: rural okrugs, towns of district
/// significance, city territories).
pub const ASSIGNABLE: [TerritoryLevel; 3] = [
    TerritoryLevel::RuralOkrug,
    TerritoryLevel::Town,
    TerritoryLevel::CityTerritory,
];

/// An assignments row, in table order.
#[derive(Debug, Clone, Queryable)]
pub struct AssignmentRow {
    pub id: i64,
    pub deputy_id: i64,
    pub territory_id: i64,
    pub territory_path: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
    pub version: i64,
}

pub fn view(r: &AssignmentRow) -> Assignment {
    Assignment {
        id: r.id,
        deputy_id: r.deputy_id,
        territory_id: r.territory_id,
        starts_on: r.starts_on,
        ends_on: r.ends_on,
        end_reason: r.end_reason.clone(),
        created_at: r.created_at.and_utc(),
        updated_at: r.updated_at.and_utc(),
        version: r.version,
    }
}

#[derive(serde::Serialize)]
struct Snapshot {
    deputy_id: i64,
    territory_id: i64,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    end_reason: Option<String>,
}

fn snapshot(r: &AssignmentRow) -> Snapshot {
    Snapshot {
        deputy_id: r.deputy_id,
        territory_id: r.territory_id,
        starts_on: r.starts_on,
        ends_on: r.ends_on,
        end_reason: r.end_reason.clone(),
    }
}

type Boxed = assignments::BoxedQuery<'static, MultiBackend>;

/// Assignments the caller may reach: in their subtree, and a deputy's own.
fn scoped(caller: &Caller) -> Boxed {
    let query = assignments::table
        .filter(assignments::deleted_at.is_null())
        .into_boxed();
    crate::within_reach!(
        query,
        assignments::territory_path,
        assignments::deputy_id,
        caller
    )
}

fn load(conn: &mut DbConn, caller: &Caller, id: i64) -> ApiResult<AssignmentRow> {
    scoped(caller)
        .filter(assignments::id.eq(id))
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

/// Assignments running on `on`, or on some day of `[from, to]`: starts on or before the
/// end, ends on or after the start. One that was cancelled before it began (`ends_on`
/// before `starts_on`) covers no day.
macro_rules! running {
    ($query:expr, $from:expr, $to:expr) => {{
        let (from, to): (NaiveDate, Option<NaiveDate>) = ($from, $to);
        // Dates are bounded to 2000–2100, so the last day of 2100 stands for "open".
        let to = to.unwrap_or(NaiveDate::from_ymd_opt(2100, 12, 31).unwrap_or(from));
        $query
            .filter(
                assignments::ends_on
                    .is_null()
                    .or(assignments::ends_on.ge(assignments::starts_on.nullable())),
            )
            .filter(
                assignments::ends_on
                    .is_null()
                    .or(assignments::ends_on.ge(from)),
            )
            .filter(assignments::starts_on.le(to))
    }};
}

/// A binding ready to be stored.
pub struct NewAssignment {
    deputy_id: i64,
    territory_id: i64,
    territory_path: String,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
}

/// Takes the deputy's row lock for the rest of the transaction (a no-op update), so that
/// two concurrent bindings of one deputy are checked for overlap one after the other.
/// SQLite's single writer serialises them already; PostgreSQL needs the row lock.
fn lock_deputy(tx: &mut Tx<'_>, deputy_id: i64) -> ApiResult<()> {
    diesel::update(deputies::table.find(deputy_id))
        .set(deputies::id.eq(deputies::id))
        .execute(tx.conn())?;
    Ok(())
}

/// `POST /assignments` (409 on an overlap), answered at the deputy's list: none is alone.
pub struct Bind;

crate::creation!(Bind: CreateAssignment => NewAssignment => Assignment,
    kind ASSIGNMENT_KIND, needs DeputiesWrite);

impl Create for Bind {
    fn check(&self, cx: &mut Cx, input: &CreateAssignment) -> ApiResult<NewAssignment> {
        let (conn, caller, _) = cx.parts();
        let mut errors = Vec::new();
        let deputy: Option<DeputyRow> = match input.deputy_id {
            None => {
                errors.push(FieldError::new("deputy_id", "required", "is required"));
                None
            }
            // `unknown`, or `out_of_scope` for a deputy the caller cannot reach.
            Some(id) => match auth::check_deputy(conn, caller, "deputy_id", Some(id), &mut errors)?
            {
                true => Some(model::load(conn, caller, id)?),
                false => None,
            },
        };
        if let Some(d) = &deputy {
            if d.mandate_status != MandateStatus::Active {
                errors.push(FieldError::new(
                    "deputy_id",
                    "mandate_not_active",
                    format!("the deputy's mandate is {}", d.mandate_status.as_str()),
                ));
            }
        }
        let path = match input.territory_id {
            None => {
                errors.push(FieldError::new("territory_id", "required", "is required"));
                None
            }
            Some(id) => auth::check_territory(conn, caller, "territory_id", id, &mut errors)?,
        };
        if let (Some(id), Some(_)) = (input.territory_id, &path) {
            let level: String = territories::table
                .find(id)
                .select(territories::level)
                .first(conn)?;
            if !ASSIGNABLE.iter().any(|l| l.as_str() == level) {
                errors.push(FieldError::new(
                    "territory_id",
                    "level",
                    "must be a rural okrug, a town or a city territory",
                ));
            }
        }
        let starts_on = match input.starts_on {
            None => {
                errors.push(FieldError::new("starts_on", "required", "is required"));
                None
            }
            Some(d) => dates::check_date("starts_on", d, &mut errors),
        };
        let ends_on = input
            .ends_on
            .and_then(|d| dates::check_date("ends_on", d, &mut errors));
        if let (Some(s), Some(e)) = (starts_on, ends_on) {
            if e < s {
                errors.push(FieldError::new(
                    "ends_on",
                    "range",
                    "must not be before starts_on",
                ));
            }
        }
        let (Some(deputy), Some(path), Some(starts_on), true) =
            (deputy, path, starts_on, errors.is_empty())
        else {
            return Err(validate::refusal(errors));
        };
        Ok(NewAssignment {
            deputy_id: deputy.id,
            territory_id: input.territory_id.unwrap_or_default(),
            territory_path: path,
            starts_on,
            ends_on,
        })
    }

    fn insert(&self, tx: &mut Tx<'_>, _: &Caller, new: &NewAssignment) -> ApiResult<i64> {
        lock_deputy(tx, new.deputy_id)?;
        let clash: Option<i64> = running!(
            assignments::table
                .filter(assignments::deleted_at.is_null())
                .filter(assignments::deputy_id.eq(new.deputy_id))
                .filter(assignments::territory_id.eq(new.territory_id)),
            new.starts_on,
            new.ends_on
        )
        .select(assignments::id)
        .first(tx.conn())
        .optional()?;
        if let Some(other) = clash {
            return Err(ApiError::conflict(
                "assignment_overlap",
                format!("the deputy is already assigned to this territory for part of that time (assignment {other})"),
            ));
        }
        let now = tx.now();
        let id: i64 = diesel::insert_into(assignments::table)
            .values((
                assignments::deputy_id.eq(new.deputy_id),
                assignments::territory_id.eq(new.territory_id),
                assignments::territory_path.eq(&new.territory_path),
                assignments::starts_on.eq(new.starts_on),
                assignments::ends_on.eq(new.ends_on),
                assignments::created_at.eq(now),
                assignments::updated_at.eq(now),
            ))
            .returning(assignments::id)
            .get_result(tx.conn())?;
        let row: AssignmentRow = assignments::table.find(id).first(tx.conn())?;
        tx.record(Change::created(
            AssignmentRows::ENTITY,
            id,
            audit::diff(None, Some(&snapshot(&row)), &[]),
        ))?;
        Ok(id)
    }

    fn view(&self, cx: &mut Cx, id: i64, _: Option<&NewAssignment>) -> ApiResult<Made<Assignment>> {
        let (conn, caller, _) = cx.parts();
        let assignment = view(&load(conn, caller, id)?);
        let location = format!("/api/v1/deputies/{}/assignments", assignment.deputy_id);
        Ok(Made::versioned(
            assignment.clone(),
            assignment.version,
            location,
        ))
    }
}

/// Ends an open assignment (`If-Match`). History is kept: the row stays, with its end.
pub fn end(cx: &mut Cx, edit: Edit<UpdateAssignment>) -> ApiResult<Assignment> {
    let (conn, caller, clock) = cx.parts();
    let Edit { id, expected, body } = edit;
    caller.authorize(Permission::DeputiesWrite)?;
    let before = load(conn, caller, id)?;
    let expected = expected.resolve(before.version)?;
    let patch = body?;
    let mut errors = Vec::new();
    let ends_on = match patch.ends_on {
        None => {
            errors.push(FieldError::new("ends_on", "required", "is required"));
            None
        }
        Some(d) => dates::check_date("ends_on", d, &mut errors),
    };
    if ends_on.is_some_and(|e| e < before.starts_on) {
        errors.push(FieldError::new(
            "ends_on",
            "range",
            "must not be before starts_on",
        ));
    }
    let reason =
        validate::optional_text("end_reason", patch.end_reason.as_deref(), 1000, &mut errors);
    let Some(ends_on) = ends_on.filter(|_| errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    if before.ends_on.is_some() {
        return Err(ApiError::conflict(
            "already_ended",
            "the assignment has ended; bind the deputy again with a new assignment",
        ));
    }
    let after = write::write(conn, &caller.audit_actor(), clock, |tx| {
        tx.bump::<AssignmentRows>(id, expected)?;
        diesel::update(assignments::table.find(id))
            .set((
                assignments::ends_on.eq(Some(ends_on)),
                assignments::end_reason.eq(&reason),
            ))
            .execute(tx.conn())?;
        let after: AssignmentRow = assignments::table.find(id).first(tx.conn())?;
        record_end(tx, &before, &after)?;
        Ok(after)
    })?;
    Ok(view(&after))
}

fn record_end(tx: &mut Tx<'_>, before: &AssignmentRow, after: &AssignmentRow) -> ApiResult<()> {
    let changes = audit::diff(Some(&snapshot(before)), Some(&snapshot(after)), &[]);
    tx.record(Change {
        entity: AssignmentRows::ENTITY,
        id: before.id,
        action: "update",
        event: Some(Event {
            action: "ended",
            comment: after.end_reason.as_deref(),
            details: changes.clone(),
            ..Event::default()
        }),
        audit: changes,
    })
}

/// Ends every open assignment of a deputy on `on` (a recall, the end of a mandate):
/// each is an update with its own history entry. One that would only start after `on`
/// is closed the day before it starts, so it covers no day and stays in the history.
/// Returns the ids ended.
pub fn end_open(
    tx: &mut Tx<'_>,
    deputy_id: i64,
    on: NaiveDate,
    reason: &str,
) -> ApiResult<Vec<i64>> {
    let open: Vec<AssignmentRow> = assignments::table
        .filter(assignments::deleted_at.is_null())
        .filter(assignments::deputy_id.eq(deputy_id))
        .filter(assignments::ends_on.is_null())
        .order(assignments::id.asc())
        .load(tx.conn())?;
    let mut ended = Vec::with_capacity(open.len());
    for before in open {
        let end = if before.starts_on > on {
            before.starts_on.pred_opt().unwrap_or(before.starts_on)
        } else {
            on
        };
        tx.bump::<AssignmentRows>(before.id, before.version)?;
        diesel::update(assignments::table.find(before.id))
            .set((
                assignments::ends_on.eq(Some(end)),
                assignments::end_reason.eq(Some(reason)),
            ))
            .execute(tx.conn())?;
        let after: AssignmentRow = assignments::table.find(before.id).first(tx.conn())?;
        record_end(tx, &before, &after)?;
        ended.push(before.id);
    }
    Ok(ended)
}

/// A deputy's assignments, newest first.
pub fn of_deputy(
    conn: &mut DbConn,
    caller: &Caller,
    deputy_id: i64,
    page: &PageRequest<i64>,
) -> ApiResult<Slice<Assignment, i64>> {
    caller.authorize(Permission::DeputiesRead)?;
    model::load(conn, caller, deputy_id)?;
    // Every assignment of a deputy the caller reaches: their work elsewhere is part of
    // the public record of the mandate, and carries no personal data.
    let of_deputy = || -> ApiResult<_> {
        Ok(assignments::table
            .filter(assignments::deleted_at.is_null())
            .filter(assignments::deputy_id.eq(deputy_id))
            .into_boxed())
    };
    let slice = crate::collect_by_id!(
        conn,
        page,
        AssignmentRow,
        assignments::id,
        desc,
        of_deputy()
    );
    Ok(slice.map(|r| view(&r)))
}

/// Who answered for a territory on `on` (404 outside the caller's subtree).
pub fn on_date(
    conn: &mut DbConn,
    caller: &Caller,
    territory_id: i64,
    on: NaiveDate,
) -> ApiResult<TerritoryDeputies> {
    caller.authorize(Permission::DeputiesRead)?;
    match auth::live_territory_path(conn, territory_id)? {
        Some(p) if caller.covers_path(&p) => {}
        _ => return Err(ApiError::NotFound),
    }
    let rows: Vec<(AssignmentRow, DeputyRow)> = running!(
        assignments::table
            .inner_join(deputies::table)
            .filter(assignments::deleted_at.is_null())
            .filter(assignments::territory_id.eq(territory_id)),
        on,
        Some(on)
    )
    .order(assignments::starts_on.asc())
    .then_order_by(assignments::id.asc())
    .select((assignments::all_columns, deputies::all_columns))
    .load(conn)?;
    let items = rows
        .into_iter()
        .map(|(a, d)| Responsible {
            assignment_id: a.id,
            deputy_id: d.id,
            full_name: d.full_name,
            level: d.level,
            mandate_status: d.mandate_status,
            phone: d.phone.map(|p| p.as_str().to_owned()),
            email: d.email,
            starts_on: a.starts_on,
            ends_on: a.ends_on,
        })
        .collect();
    Ok(TerritoryDeputies {
        territory_id,
        on,
        items,
    })
}
