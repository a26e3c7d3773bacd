//! Road maps and their sections: creating, reading, editing, approving.

use baqylau_wire::roadmaps::{
    CreateRoadmap, CreateSection, Roadmap, RoadmapKind, RoadmapSort, RoadmapStatus, Section,
    UpdateRoadmap,
};
use diesel::prelude::*;
use serde_json::json;

use super::model::{self, RoadmapQuery, RoadmapRow, SectionRow};
use super::{RoadmapRows, SectionRows, ROADMAP, SECTION};
use crate::audit;
use crate::auth::{self, Caller, Permission};
use crate::db::schema::{indicators, roadmap_sections, roadmaps, users};
use crate::db::DbConn;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::kit::create::{Create, Made};
use crate::kit::list::{self, Position, Slice};
use crate::kit::op::{Cx, Edit};
use crate::kit::validate;
use crate::kit::write::{self, Change, Event, Tx, Versioned as _};

pub const TITLE_MAX: usize = 500;

fn check_year(field: &str, year: i32, errors: &mut Vec<FieldError>) {
    if !(2000..=2100).contains(&year) {
        errors.push(FieldError::new(
            field,
            "range",
            crate::domain::dates::RANGE_MESSAGE,
        ));
    }
}

/// Records `unknown` against `field` unless user `id` exists.
pub fn check_user(
    conn: &mut DbConn,
    field: &str,
    id: Option<i64>,
    errors: &mut Vec<FieldError>,
) -> QueryResult<()> {
    if let Some(id) = id {
        let found: Option<i64> = users::table
            .find(id)
            .select(users::id)
            .first(conn)
            .optional()?;
        if found.is_none() {
            errors.push(FieldError::new(field, "unknown", "no such user"));
        }
    }
    Ok(())
}

pub struct NewRoadmap {
    body: CreateRoadmap,
    kind: RoadmapKind,
    path: String,
    year_to: i32,
}

/// Creating a road map, in `draft` (`POST /roadmaps`).
pub struct Draft;

crate::creation!(Draft: CreateRoadmap => NewRoadmap => Roadmap, kind ROADMAP, needs RoadmapsWrite);

impl Create for Draft {
    fn check(&self, cx: &mut Cx, b: &CreateRoadmap) -> ApiResult<NewRoadmap> {
        let (conn, caller, _) = cx.parts();
        let mut errors = Vec::new();
        let mut body = b.clone();
        body.title_kk = validate::required_text("title_kk", &b.title_kk, TITLE_MAX, &mut errors);
        body.title_ru = validate::required_text("title_ru", &b.title_ru, TITLE_MAX, &mut errors);
        body.programme_ref = validate::optional_text(
            "programme_ref",
            b.programme_ref.as_deref(),
            TITLE_MAX,
            &mut errors,
        );
        let kind = RoadmapKind::parse(&b.kind);
        if kind.is_none() {
            errors.push(FieldError::new(
                "kind",
                "one_of",
                format!("must be one of {}", RoadmapKind::choices()),
            ));
        }
        let path =
            auth::check_territory(conn, caller, "territory_id", b.territory_id, &mut errors)?;
        check_year("year_from", b.year_from, &mut errors);
        let year_to = b.year_to.unwrap_or(b.year_from);
        check_year("year_to", year_to, &mut errors);
        if year_to < b.year_from {
            errors.push(FieldError::new(
                "year_to",
                "before_start",
                "must not be before year_from",
            ));
        }
        match (kind, path) {
            (Some(kind), Some(path)) if errors.is_empty() => Ok(NewRoadmap {
                body,
                kind,
                path,
                year_to,
            }),
            _ => Err(ApiError::Validation(errors)),
        }
    }

    fn insert(&self, tx: &mut Tx<'_>, _: &Caller, new: &NewRoadmap) -> ApiResult<i64> {
        let now = tx.now();
        let b = &new.body;
        let id: i64 = diesel::insert_into(roadmaps::table)
            .values((
                roadmaps::title_kk.eq(&b.title_kk),
                roadmaps::title_ru.eq(&b.title_ru),
                roadmaps::kind.eq(new.kind.as_str()),
                roadmaps::territory_id.eq(b.territory_id),
                roadmaps::territory_path.eq(&new.path),
                roadmaps::year_from.eq(b.year_from),
                roadmaps::year_to.eq(new.year_to),
                roadmaps::programme_ref.eq(&b.programme_ref),
                roadmaps::status.eq(RoadmapStatus::Draft.as_str()),
                roadmaps::created_at.eq(now),
                roadmaps::updated_at.eq(now),
            ))
            .returning(roadmaps::id)
            .get_result(tx.conn())?;
        tx.record(
            Change::created(
                RoadmapRows::ENTITY,
                id,
                json!({"title_ru": b.title_ru, "territory_id": b.territory_id}),
            )
            .moving(None, Some(RoadmapStatus::Draft.as_str())),
        )?;
        Ok(id)
    }

    fn view(&self, cx: &mut Cx, id: i64, _: Option<&NewRoadmap>) -> ApiResult<Made<Roadmap>> {
        let (conn, caller, _) = cx.parts();
        let roadmap = model::roadmap_view(&model::load_roadmap(conn, caller, id)?);
        let location = format!("/api/v1/roadmaps/{id}");
        Ok(Made::versioned(roadmap.clone(), roadmap.version, location))
    }
}

pub fn get(conn: &mut DbConn, caller: &Caller, id: i64) -> ApiResult<Roadmap> {
    caller.authorize(Permission::RoadmapsRead)?;
    Ok(model::roadmap_view(&model::load_roadmap(conn, caller, id)?))
}

/// Road maps the caller may read, newest first; `year` keeps those covering it.
pub fn list(
    conn: &mut DbConn,
    caller: &Caller,
    req: &ListRequest,
) -> ApiResult<Slice<Roadmap, Position>> {
    caller.authorize(Permission::RoadmapsRead)?;
    let filtered = || -> ApiResult<RoadmapQuery> {
        let mut q = model::scoped_roadmaps(caller);
        if let Some(y) = req.filter {
            q = q
                .filter(roadmaps::year_from.le(y))
                .filter(roadmaps::year_to.ge(y));
        }
        Ok(q)
    };
    let slice = crate::collect!(conn, req, RoadmapRow, filtered());
    Ok(slice.map(|r| model::roadmap_view(&r)))
}

/// `GET /roadmaps`: the year filter and an order.
pub type ListRequest = list::Request<Option<i32>, RoadmapSort>;

crate::sort_order! {
    RoadmapSort, RoadmapQuery, roadmaps, RoadmapRow, |r| r;
    Newest => id desc,
    CreatedAt | CreatedAtDesc => created_at,
    UpdatedAt | UpdatedAtDesc => updated_at,
    TitleKk | TitleKkDesc => title_kk,
    TitleRu | TitleRuDesc => title_ru,
    Year | YearDesc => year_from,
}

/// The moves a road map's status may make.
fn allowed(from: RoadmapStatus) -> &'static [RoadmapStatus] {
    match from {
        RoadmapStatus::Draft => &[RoadmapStatus::Approved],
        RoadmapStatus::Approved => &[RoadmapStatus::Draft, RoadmapStatus::Closed],
        RoadmapStatus::Closed => &[],
    }
}

/// Edits a road map (`If-Match`). Approval needs a responsible deputy on every
/// indicator that is not cancelled: otherwise 422 names each one
/// (`indicators[<id>].deputy_id`).
pub fn update(cx: &mut Cx, edit: Edit<UpdateRoadmap>) -> ApiResult<Roadmap> {
    let (conn, caller, clock) = cx.parts();
    let Edit { id, expected, body } = edit;
    caller.authorize(Permission::RoadmapsWrite)?;
    let before = model::load_roadmap_for_change(conn, caller, id)?;
    let expected = expected.resolve(before.version)?;
    let patch = body?;
    let mut errors = Vec::new();
    let title_kk = patch
        .title_kk
        .as_deref()
        .map(|t| validate::required_text("title_kk", t, TITLE_MAX, &mut errors));
    let title_ru = patch
        .title_ru
        .as_deref()
        .map(|t| validate::required_text("title_ru", t, TITLE_MAX, &mut errors));
    let programme_ref = validate::optional_text(
        "programme_ref",
        patch.programme_ref.as_deref(),
        TITLE_MAX,
        &mut errors,
    );
    if let Some(y) = patch.year_to {
        check_year("year_to", y, &mut errors);
        if y < before.year_from {
            errors.push(FieldError::new(
                "year_to",
                "before_start",
                "must not be before year_from",
            ));
        }
    }
    let status = match patch.status.as_deref() {
        None => None,
        Some(s) => match RoadmapStatus::parse(s) {
            None => {
                errors.push(FieldError::new(
                    "status",
                    "one_of",
                    format!("must be one of {}", RoadmapStatus::choices()),
                ));
                None
            }
            Some(to) if to == before.status => None,
            Some(to) if !allowed(before.status).contains(&to) => {
                return Err(ApiError::InvalidTransition {
                    from: before.status.as_str().into(),
                    to: to.as_str().into(),
                    allowed: allowed(before.status)
                        .iter()
                        .map(|s| s.as_str().into())
                        .collect(),
                })
            }
            Some(to) => Some(to),
        },
    };
    if status == Some(RoadmapStatus::Approved) {
        let missing: Vec<i64> = indicators::table
            .filter(indicators::roadmap_id.eq(id))
            .filter(indicators::deleted_at.is_null())
            .filter(indicators::status.ne("cancelled"))
            .filter(indicators::deputy_id.is_null())
            .order(indicators::id.asc())
            .select(indicators::id)
            .load(conn)?;
        for i in missing {
            errors.push(FieldError::new(
                format!("indicators[{i}].deputy_id"),
                "required",
                "an approved road map names a responsible deputy for every indicator",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let after = write::write(conn, &caller.audit_actor(), clock, |tx| {
        tx.bump::<RoadmapRows>(id, expected)?;
        diesel::update(roadmaps::table.find(id))
            .set((
                roadmaps::title_kk.eq(title_kk.clone().unwrap_or(before.title_kk.clone())),
                roadmaps::title_ru.eq(title_ru.clone().unwrap_or(before.title_ru.clone())),
                roadmaps::programme_ref.eq(programme_ref.clone().or(before.programme_ref.clone())),
                roadmaps::year_to.eq(patch.year_to.unwrap_or(before.year_to)),
                roadmaps::status.eq(status.unwrap_or(before.status).as_str()),
            ))
            .execute(tx.conn())?;
        let after = model::reload_roadmap(tx.conn(), id)?;
        let changes = audit::diff(
            Some(&model::roadmap_view(&before)),
            Some(&model::roadmap_view(&after)),
            &[],
        );
        tx.record(Change {
            entity: RoadmapRows::ENTITY,
            id,
            action: if status.is_some() {
                "transition"
            } else {
                "update"
            },
            event: Some(Event {
                action: if status.is_some() {
                    "transition"
                } else {
                    "updated"
                },
                from_status: status.map(|_| before.status.as_str()),
                to_status: status.map(|s| s.as_str()),
                details: changes.clone(),
                ..Event::default()
            }),
            audit: changes,
        })?;
        Ok(after)
    })?;
    Ok(model::roadmap_view(&after))
}

pub struct NewSection {
    title: String,
    position: Option<i32>,
    deputy: Option<i64>,
    user: Option<i64>,
}

/// Adding a section to a road map, at the end unless `position` says otherwise
/// (`POST /roadmaps/{id}/sections`).
pub struct AddSection {
    pub roadmap_id: i64,
}

crate::creation!(AddSection: CreateSection => NewSection => Section,
    kind SECTION, needs RoadmapsWrite);

impl Create for AddSection {
    fn admit(&self, cx: &mut Cx) -> ApiResult<()> {
        let (conn, caller, _) = cx.parts();
        model::load_roadmap_for_change(conn, caller, self.roadmap_id).map(|_| ())
    }

    fn check(&self, cx: &mut Cx, b: &CreateSection) -> ApiResult<NewSection> {
        let (conn, caller, _) = cx.parts();
        let mut errors = Vec::new();
        let title = validate::required_text("title", &b.title, TITLE_MAX, &mut errors);
        auth::check_deputy(
            conn,
            caller,
            "bureau_member_id",
            b.bureau_member_id,
            &mut errors,
        )?;
        check_user(
            conn,
            "bureau_member_user_id",
            b.bureau_member_user_id,
            &mut errors,
        )?;
        if let Some(p) = b.position {
            if p < 1 {
                errors.push(FieldError::new("position", "range", "must be 1 or more"));
            }
        }
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        Ok(NewSection {
            title,
            position: b.position,
            deputy: b.bureau_member_id,
            user: b.bureau_member_user_id,
        })
    }

    fn insert(&self, tx: &mut Tx<'_>, _: &Caller, new: &NewSection) -> ApiResult<i64> {
        let roadmap_id = self.roadmap_id;
        insert_section(
            tx,
            roadmap_id,
            new.position,
            &new.title,
            new.deputy,
            new.user,
        )
    }

    fn view(&self, cx: &mut Cx, id: i64, _: Option<&NewSection>) -> ApiResult<Made<Section>> {
        let (conn, _, _) = cx.parts();
        // The road map was found within reach by `admit`; its sections go with it.
        let row: SectionRow = roadmap_sections::table
            .find(id)
            .select(SectionRow::as_select())
            .first(conn)?;
        let location = format!("/api/v1/roadmaps/{}/sections", self.roadmap_id);
        Ok(Made::unversioned(model::section_view(&row), location))
    }
}

/// Writes a section in the caller's transaction (also used by the import).
pub fn insert_section(
    tx: &mut write::Tx<'_>,
    roadmap_id: i64,
    position: Option<i32>,
    title: &str,
    deputy: Option<i64>,
    user: Option<i64>,
) -> ApiResult<i64> {
    let now = tx.now();
    let position = match position {
        Some(p) => p,
        None => {
            let last: Option<i32> = roadmap_sections::table
                .filter(roadmap_sections::roadmap_id.eq(roadmap_id))
                .select(diesel::dsl::max(roadmap_sections::position))
                .first(tx.conn())?;
            last.unwrap_or(0) + 1
        }
    };
    let id: i64 = diesel::insert_into(roadmap_sections::table)
        .values((
            roadmap_sections::roadmap_id.eq(roadmap_id),
            roadmap_sections::position.eq(position),
            roadmap_sections::title.eq(title),
            roadmap_sections::bureau_deputy_id.eq(deputy),
            roadmap_sections::bureau_user_id.eq(user),
            roadmap_sections::created_at.eq(now),
            roadmap_sections::updated_at.eq(now),
        ))
        .returning(roadmap_sections::id)
        .get_result(tx.conn())?;
    tx.record(Change::unlogged(
        SectionRows::ENTITY,
        id,
        "create",
        json!({"roadmap_id": roadmap_id, "title": title, "position": position}),
    ))?;
    Ok(id)
}

/// The sections of a road map, in order.
pub fn sections(conn: &mut DbConn, caller: &Caller, roadmap_id: i64) -> ApiResult<Vec<Section>> {
    caller.authorize(Permission::RoadmapsRead)?;
    model::load_roadmap(conn, caller, roadmap_id)?;
    let rows: Vec<SectionRow> = roadmap_sections::table
        .filter(roadmap_sections::roadmap_id.eq(roadmap_id))
        .order((roadmap_sections::position.asc(), roadmap_sections::id.asc()))
        .select(SectionRow::as_select())
        .load(conn)?;
    Ok(rows.iter().map(model::section_view).collect())
}
