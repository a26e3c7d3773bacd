//! Indicators: creating, reading and editing them. Their status and actual value move
//! with progress updates (`progress.rs`); here only cancelling (and undoing it).

use baqylau_wire::roadmaps::{
    CreateIndicator, Indicator, IndicatorKind, IndicatorStatus, UpdateIndicator,
};
use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::json;

use super::model::{self, RoadmapRow};
use super::plan::check_user;
use super::{IndicatorRows, INDICATOR};
use crate::audit;
use crate::auth::{self, Caller, Permission};
use crate::db::schema::{indicators, roadmap_sections};
use crate::db::DbConn;
use crate::domain::dates;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::kit::clock::Clock;
use crate::kit::create::{Create, Made};
use crate::kit::op::{Cx, Edit};
use crate::kit::validate;
use crate::kit::write::{self, Change, Tx, Versioned as _};

pub const TITLE_MAX: usize = 1000;
pub const UNIT_MAX: usize = 50;

/// A checked indicator, ready to insert.
#[derive(Debug, Clone)]
pub struct NewIndicator {
    pub roadmap_id: i64,
    pub section_id: i64,
    pub title: String,
    pub territory_id: i64,
    pub territory_path: String,
    pub kind: IndicatorKind,
    pub unit: Option<String>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub due_on: NaiveDate,
    pub council_member_deputy_id: Option<i64>,
    pub council_member_user_id: Option<i64>,
    pub deputy_id: Option<i64>,
    pub weight: Option<f64>,
}

fn finite(field: &str, v: Option<f64>, errors: &mut Vec<FieldError>) {
    if v.is_some_and(|v| !v.is_finite()) {
        errors.push(FieldError::new(field, "invalid", "must be a finite number"));
    }
}

/// Checks one indicator of `roadmap` (whose sections are `sections`), recording every
/// problem under `prefix` (`""` for a body, `rows[3].` for an import row). The section
/// is checked by the caller when it is not known by id yet (the import names it).
pub fn check(
    conn: &mut DbConn,
    caller: &Caller,
    roadmap: &RoadmapRow,
    b: &CreateIndicator,
    prefix: &str,
    errors: &mut Vec<FieldError>,
) -> ApiResult<Option<NewIndicator>> {
    let before = errors.len();
    let f = |name: &str| format!("{prefix}{name}");
    let title = validate::required_text(&f("title"), &b.title, TITLE_MAX, errors);
    let unit = validate::optional_text(&f("unit"), b.unit.as_deref(), UNIT_MAX, errors);
    let kind = IndicatorKind::parse(&b.kind);
    if kind.is_none() {
        errors.push(FieldError::new(
            f("kind"),
            "one_of",
            format!("must be one of {}", IndicatorKind::choices()),
        ));
    }
    finite(&f("baseline"), b.baseline, errors);
    finite(&f("target"), b.target, errors);
    finite(&f("weight"), b.weight, errors);
    if kind == Some(IndicatorKind::Quantitative) && b.target.is_none() {
        errors.push(FieldError::new(
            f("target"),
            "required",
            "a quantitative indicator needs a target",
        ));
    }
    if b.weight.is_some_and(|w| w <= 0.0) {
        errors.push(FieldError::new(
            f("weight"),
            "range",
            "must be greater than 0",
        ));
    }
    let due_on = match b.due_on {
        None => {
            errors.push(FieldError::new(f("due_on"), "required", "is required"));
            None
        }
        Some(d) => dates::check_date(&f("due_on"), d, errors),
    };
    let path = auth::check_territory(conn, caller, &f("territory_id"), b.territory_id, errors)?;
    if let Some(p) = &path {
        if !p.starts_with(&roadmap.territory_path) {
            errors.push(FieldError::new(
                f("territory_id"),
                "out_of_roadmap",
                "must lie within the road map's territory",
            ));
        }
    }
    if b.section_id != 0 {
        let section: Option<i64> = roadmap_sections::table
            .find(b.section_id)
            .filter(roadmap_sections::roadmap_id.eq(roadmap.id))
            .select(roadmap_sections::id)
            .first(conn)
            .optional()?;
        if section.is_none() {
            errors.push(FieldError::new(
                f("section_id"),
                "unknown",
                "no such section in this road map",
            ));
        }
    }
    auth::check_deputy(conn, caller, &f("deputy_id"), b.deputy_id, errors)?;
    auth::check_deputy(
        conn,
        caller,
        &f("council_member_id"),
        b.council_member_id,
        errors,
    )?;
    check_user(
        conn,
        &f("council_member_user_id"),
        b.council_member_user_id,
        errors,
    )?;
    if errors.len() > before {
        return Ok(None);
    }
    Ok(Some(NewIndicator {
        roadmap_id: roadmap.id,
        section_id: b.section_id,
        title,
        territory_id: b.territory_id,
        territory_path: path.unwrap_or_default(),
        kind: kind.unwrap_or(IndicatorKind::Event),
        unit,
        baseline: b.baseline,
        target: b.target,
        due_on: due_on.unwrap_or_default(),
        council_member_deputy_id: b.council_member_id,
        council_member_user_id: b.council_member_user_id,
        deputy_id: b.deputy_id,
        weight: b.weight,
    }))
}

/// Writes checked indicators in the caller's transaction, one history entry each.
pub fn insert(tx: &mut Tx<'_>, new: &[NewIndicator]) -> ApiResult<Vec<i64>> {
    let now = tx.now();
    let mut ids = Vec::with_capacity(new.len());
    for n in new {
        let id: i64 = diesel::insert_into(indicators::table)
            .values((
                indicators::roadmap_id.eq(n.roadmap_id),
                indicators::section_id.eq(n.section_id),
                indicators::title.eq(&n.title),
                indicators::territory_id.eq(n.territory_id),
                indicators::territory_path.eq(&n.territory_path),
                indicators::kind.eq(n.kind.as_str()),
                indicators::unit.eq(&n.unit),
                indicators::baseline.eq(n.baseline),
                indicators::target.eq(n.target),
                indicators::due_on.eq(n.due_on),
                indicators::council_member_deputy_id.eq(n.council_member_deputy_id),
                indicators::council_member_user_id.eq(n.council_member_user_id),
                indicators::deputy_id.eq(n.deputy_id),
                indicators::weight.eq(n.weight),
                indicators::status.eq(IndicatorStatus::Planned.as_str()),
                indicators::created_at.eq(now),
                indicators::updated_at.eq(now),
            ))
            .returning(indicators::id)
            .get_result(tx.conn())?;
        tx.record(Change::created(IndicatorRows::ENTITY, id, json!({"roadmap_id": n.roadmap_id, "title": n.title, "territory_id": n.territory_id})).moving(None, Some(IndicatorStatus::Planned.as_str())))?;
        ids.push(id);
    }
    Ok(ids)
}

/// Creating an indicator (`POST /indicators`).
pub struct Plan;

crate::creation!(Plan: CreateIndicator => NewIndicator => Indicator,
    kind INDICATOR, needs RoadmapsWrite);

impl Create for Plan {
    fn check(&self, cx: &mut Cx, b: &CreateIndicator) -> ApiResult<NewIndicator> {
        let (conn, caller, _) = cx.parts();
        let mut errors = Vec::new();
        let roadmap = match model::load_roadmap(conn, caller, b.roadmap_id) {
            // A road map the caller reads but may not change: 403, as for its
            // sections and its import.
            Ok(r) => {
                model::writable_roadmap(caller, &r)?;
                Some(r)
            }
            Err(ApiError::NotFound) => {
                errors.push(FieldError::new("roadmap_id", "unknown", "no such road map"));
                None
            }
            Err(e) => return Err(e),
        };
        if b.section_id == 0 {
            errors.push(FieldError::new("section_id", "required", "is required"));
        }
        let new = match &roadmap {
            Some(r) => check(conn, caller, r, b, "", &mut errors)?,
            None => None,
        };
        match new {
            Some(n) if errors.is_empty() => Ok(n),
            _ => Err(ApiError::Validation(errors)),
        }
    }

    fn insert(&self, tx: &mut Tx<'_>, _: &Caller, new: &NewIndicator) -> ApiResult<i64> {
        Ok(insert(tx, std::slice::from_ref(new))?[0])
    }

    fn view(&self, cx: &mut Cx, id: i64, _: Option<&NewIndicator>) -> ApiResult<Made<Indicator>> {
        let (conn, caller, clock) = cx.parts();
        let row = model::load_indicator(conn, caller, id)?;
        let indicator = model::indicator_view(&row, clock.today());
        let location = format!("/api/v1/indicators/{id}");
        Ok(Made::versioned(
            indicator.clone(),
            indicator.version,
            location,
        ))
    }
}

pub fn get(conn: &mut DbConn, caller: &Caller, clock: &Clock, id: i64) -> ApiResult<Indicator> {
    caller.authorize(Permission::RoadmapsRead)?;
    let row = model::load_indicator(conn, caller, id)?;
    Ok(model::indicator_view(&row, clock.today()))
}

/// Edits an indicator (`If-Match`).
pub fn update(cx: &mut Cx, edit: Edit<UpdateIndicator>) -> ApiResult<Indicator> {
    let (conn, caller, clock) = cx.parts();
    let Edit { id, expected, body } = edit;
    caller.authorize(Permission::RoadmapsWrite)?;
    let before = model::load_indicator_for_change(conn, caller, id)?;
    let expected = expected.resolve(before.version)?;
    let patch = body?;
    let mut errors = Vec::new();
    let title = patch
        .title
        .as_deref()
        .map(|t| validate::required_text("title", t, TITLE_MAX, &mut errors));
    if let Some(d) = patch.due_on {
        dates::check_date("due_on", d, &mut errors);
    }
    finite("target", patch.target, &mut errors);
    if let Some(Some(w)) = patch.weight {
        finite("weight", Some(w), &mut errors);
        if w <= 0.0 {
            errors.push(FieldError::new("weight", "range", "must be greater than 0"));
        }
    }
    if let Some(s) = patch.section_id {
        let found: Option<i64> = roadmap_sections::table
            .find(s)
            .filter(roadmap_sections::roadmap_id.eq(before.roadmap_id))
            .select(roadmap_sections::id)
            .first(conn)
            .optional()?;
        if found.is_none() {
            errors.push(FieldError::new(
                "section_id",
                "unknown",
                "no such section in this road map",
            ));
        }
    }
    auth::check_deputy(
        conn,
        caller,
        "deputy_id",
        patch.deputy_id.flatten(),
        &mut errors,
    )?;
    auth::check_deputy(
        conn,
        caller,
        "council_member_id",
        patch.council_member_id.flatten(),
        &mut errors,
    )?;
    let status = match patch
        .status
        .as_deref()
        .map(|s| (s, IndicatorStatus::parse(s)))
    {
        None => None,
        Some((_, Some(s))) if s == before.status => None,
        Some((_, Some(IndicatorStatus::Cancelled))) => Some(IndicatorStatus::Cancelled),
        Some((_, Some(IndicatorStatus::Planned)))
            if before.status == IndicatorStatus::Cancelled =>
        {
            Some(IndicatorStatus::Planned)
        }
        Some((s, _)) => {
            errors.push(FieldError::new(
                "status",
                "not_settable",
                format!("{s:?}: only cancelled (or planned, to undo a cancellation) is set by hand; the rest follows from progress"),
            ));
            None
        }
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let after = write::write(conn, &caller.audit_actor(), clock, |tx| {
        tx.bump::<IndicatorRows>(id, expected)?;
        diesel::update(indicators::table.find(id))
            .set((
                indicators::title.eq(title.clone().unwrap_or(before.title.clone())),
                indicators::section_id.eq(patch.section_id.unwrap_or(before.section_id)),
                indicators::due_on.eq(patch.due_on.unwrap_or(before.due_on)),
                indicators::target.eq(patch.target.or(before.target)),
                indicators::deputy_id.eq(patch.deputy_id.unwrap_or(before.deputy_id)),
                indicators::council_member_deputy_id.eq(patch
                    .council_member_id
                    .unwrap_or(before.council_member_deputy_id)),
                indicators::weight.eq(patch.weight.unwrap_or(before.weight)),
                indicators::status.eq(status.unwrap_or(before.status).as_str()),
            ))
            .execute(tx.conn())?;
        let after = model::reload_indicator(tx.conn(), id)?;
        let changes = audit::diff(
            Some(&model::indicator_snapshot(&before)),
            Some(&model::indicator_snapshot(&after)),
            &[],
        );
        tx.record(Change::updated(IndicatorRows::ENTITY, id, changes).moving(
            status.map(|_| before.status.as_str()),
            status.map(|s| s.as_str()),
        ))?;
        Ok(after)
    })?;
    Ok(model::indicator_view(&after, clock.today()))
}
