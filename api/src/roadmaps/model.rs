//! Road maps, sections and indicators in the database: rows, scoped queries, views.

use baqylau_wire::roadmaps::{
    Indicator, IndicatorKind, IndicatorStatus, Roadmap, RoadmapKind, RoadmapStatus, Section,
};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::auth::Caller;
use crate::db::schema::{indicators, roadmap_sections, roadmaps};
use crate::db::{
    DbConn, EnumText, IndicatorsKind, IndicatorsStatus, MultiBackend, RoadmapsKind, RoadmapsStatus,
};
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = roadmaps)]
pub struct RoadmapRow {
    pub id: i64,
    pub title_kk: String,
    pub title_ru: String,
    #[diesel(deserialize_as = EnumText<RoadmapsKind>)]
    pub kind: RoadmapKind,
    pub territory_id: i64,
    pub territory_path: String,
    pub year_from: i32,
    pub year_to: i32,
    pub programme_ref: Option<String>,
    #[diesel(deserialize_as = EnumText<RoadmapsStatus>)]
    pub status: RoadmapStatus,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
    pub version: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = roadmap_sections)]
pub struct SectionRow {
    pub id: i64,
    pub roadmap_id: i64,
    pub position: i32,
    pub title: String,
    pub bureau_deputy_id: Option<i64>,
    pub bureau_user_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = indicators)]
pub struct IndicatorRow {
    pub id: i64,
    pub roadmap_id: i64,
    pub section_id: i64,
    pub title: String,
    pub territory_id: i64,
    pub territory_path: String,
    #[diesel(deserialize_as = EnumText<IndicatorsKind>)]
    pub kind: IndicatorKind,
    pub unit: Option<String>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub actual: Option<f64>,
    pub due_on: NaiveDate,
    pub council_member_deputy_id: Option<i64>,
    pub council_member_user_id: Option<i64>,
    pub deputy_id: Option<i64>,
    pub weight: Option<f64>,
    #[diesel(deserialize_as = EnumText<IndicatorsStatus>)]
    pub status: IndicatorStatus,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
    pub version: i64,
}

pub type RoadmapQuery = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::Select<roadmaps::table, diesel::dsl::AsSelect<RoadmapRow, MultiBackend>>,
    MultiBackend,
>;

pub type IndicatorQuery = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::Select<indicators::table, diesel::dsl::AsSelect<IndicatorRow, MultiBackend>>,
    MultiBackend,
>;

/// The paths of the caller's territory and of every territory above it: a road map of
/// the region is the plan a district works to, so district staff see it too.
fn ancestor_paths(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut acc = String::from("/");
    for code in path.split('/').filter(|c| !c.is_empty()) {
        acc.push_str(code);
        acc.push('/');
        out.push(acc.clone());
    }
    out
}

/// Road maps the caller may read: those in their subtree and those of the territories
/// above it. Deleted ones are left out.
pub fn scoped_roadmaps(caller: &Caller) -> RoadmapQuery {
    let query = roadmaps::table
        .select(RoadmapRow::as_select())
        .into_boxed()
        .filter(roadmaps::deleted_at.is_null());
    match caller.path_bounds() {
        Some((lower, upper)) => query.filter(
            roadmaps::territory_path
                .ge(lower.clone())
                .and(roadmaps::territory_path.lt(upper))
                .or(roadmaps::territory_path.eq_any(ancestor_paths(&lower))),
        ),
        None => query,
    }
}

/// One road map the caller may read, or 404.
pub fn load_roadmap(conn: &mut DbConn, caller: &Caller, id: i64) -> ApiResult<RoadmapRow> {
    scoped_roadmaps(caller)
        .filter(roadmaps::id.eq(id))
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

/// A road map the caller may change: readable, and inside their own subtree (district
/// staff read the regional plan but do not edit it: 403, `auth::check_organiser`).
pub fn load_roadmap_for_change(
    conn: &mut DbConn,
    caller: &Caller,
    id: i64,
) -> ApiResult<RoadmapRow> {
    let row = load_roadmap(conn, caller, id)?;
    writable_roadmap(caller, &row)?;
    Ok(row)
}

/// 403 unless the caller may change this road map (and so its sections and indicators).
pub fn writable_roadmap(caller: &Caller, row: &RoadmapRow) -> ApiResult<()> {
    crate::auth::check_organiser(caller, &row.territory_path, "road map")
}

/// An indicator the caller may change: reachable (404), and of a road map they may
/// change (403). An indicator of the regional plan that lies in a district is the
/// region's to edit; the district reports progress on it (`progress.rs`), and a deputy
/// reaches their own indicators elsewhere only to read and report them.
pub fn load_indicator_for_change(
    conn: &mut DbConn,
    caller: &Caller,
    id: i64,
) -> ApiResult<IndicatorRow> {
    let row = load_indicator(conn, caller, id)?;
    writable_roadmap(caller, &reload_roadmap(conn, row.roadmap_id)?)?;
    Ok(row)
}

/// Indicators the caller may reach: their subtree (`within_scope!`), and for a deputy
/// also the indicators they are responsible for wherever they are.
pub fn scoped_indicators(caller: &Caller, with_deleted: bool) -> IndicatorQuery {
    let mut query = indicators::table
        .select(IndicatorRow::as_select())
        .into_boxed();
    if !with_deleted {
        query = query.filter(indicators::deleted_at.is_null());
    }
    crate::within_reach!(
        query,
        indicators::territory_path,
        indicators::deputy_id,
        caller
    )
}

/// One indicator the caller may reach, or 404.
pub fn load_indicator(conn: &mut DbConn, caller: &Caller, id: i64) -> ApiResult<IndicatorRow> {
    scoped_indicators(caller, false)
        .filter(indicators::id.eq(id))
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

pub fn reload_roadmap(conn: &mut DbConn, id: i64) -> QueryResult<RoadmapRow> {
    roadmaps::table
        .find(id)
        .select(RoadmapRow::as_select())
        .first(conn)
}

pub fn reload_indicator(conn: &mut DbConn, id: i64) -> QueryResult<IndicatorRow> {
    indicators::table
        .find(id)
        .select(IndicatorRow::as_select())
        .first(conn)
}

pub fn roadmap_view(row: &RoadmapRow) -> Roadmap {
    Roadmap {
        id: row.id,
        title_kk: row.title_kk.clone(),
        title_ru: row.title_ru.clone(),
        kind: row.kind,
        territory_id: row.territory_id,
        year: row.year_from,
        year_from: row.year_from,
        year_to: row.year_to,
        programme_ref: row.programme_ref.clone(),
        status: row.status,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
        version: row.version,
    }
}

pub fn section_view(row: &SectionRow) -> Section {
    Section {
        id: row.id,
        roadmap_id: row.roadmap_id,
        position: row.position,
        title: row.title.clone(),
        bureau_member_id: row.bureau_deputy_id,
        bureau_member_user_id: row.bureau_user_id,
    }
}

pub fn indicator_view(row: &IndicatorRow, today: NaiveDate) -> Indicator {
    Indicator {
        id: row.id,
        roadmap_id: row.roadmap_id,
        section_id: row.section_id,
        title: row.title.clone(),
        territory_id: row.territory_id,
        kind: row.kind,
        unit: row.unit.clone(),
        baseline: row.baseline,
        target: row.target,
        actual: row.actual,
        due_on: row.due_on,
        council_member_id: row.council_member_deputy_id,
        council_member_user_id: row.council_member_user_id,
        deputy_id: row.deputy_id,
        weight: row.weight,
        status: row.status,
        overdue: crate::domain::indicator::is_overdue(row.status, row.due_on, today),
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
        version: row.version,
        deleted: row.deleted_at.is_some(),
    }
}

/// What the audit trail keeps of an indicator.
#[derive(serde::Serialize)]
pub struct IndicatorSnapshot<'a> {
    pub title: &'a str,
    pub section_id: i64,
    pub territory_id: i64,
    pub kind: IndicatorKind,
    pub target: Option<f64>,
    pub actual: Option<f64>,
    pub due_on: NaiveDate,
    pub deputy_id: Option<i64>,
    pub council_member_id: Option<i64>,
    pub weight: Option<f64>,
    pub status: IndicatorStatus,
}

pub fn indicator_snapshot(r: &IndicatorRow) -> IndicatorSnapshot<'_> {
    IndicatorSnapshot {
        title: &r.title,
        section_id: r.section_id,
        territory_id: r.territory_id,
        kind: r.kind,
        target: r.target,
        actual: r.actual,
        due_on: r.due_on,
        deputy_id: r.deputy_id,
        council_member_id: r.council_member_deputy_id,
        weight: r.weight,
        status: r.status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ancestors_run_from_the_region_down() {
        assert_eq!(
            ancestor_paths("/310000000/313600000/"),
            ["/310000000/", "/310000000/313600000/"]
        );
    }
}
