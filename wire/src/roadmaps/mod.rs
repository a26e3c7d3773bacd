//! Road maps: the election programme turned into regional and territorial plans,
//! measured by indicators with responsible people and progress updates.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::enums::text_enum;

/// Completion figures: a road map's summary and the districts' ranking.
mod summary;

pub use summary::{DistrictRanking, Summary, SummaryGroup, Tally};

text_enum! {
    /// The orders of `GET /roadmaps`: a key ascending, or descending with `-`.
    pub enum RoadmapSort {
        /// Newest first (the default).
        Newest = "newest",
        CreatedAt = "created_at", CreatedAtDesc = "-created_at",
        UpdatedAt = "updated_at", UpdatedAtDesc = "-updated_at",
        TitleKk = "title_kk", TitleKkDesc = "-title_kk",
        TitleRu = "title_ru", TitleRuDesc = "-title_ru",
        /// By the first year the road map covers.
        Year = "year", YearDesc = "-year",
    }
}

text_enum! {
    /// The orders of `GET /indicators`: a key ascending, or descending with `-`.
    pub enum IndicatorSort {
        /// Newest first (the default).
        Newest = "newest",
        CreatedAt = "created_at", CreatedAtDesc = "-created_at",
        UpdatedAt = "updated_at", UpdatedAtDesc = "-updated_at",
        Title = "title", TitleDesc = "-title",
    }
}

text_enum! {
    /// Whose plan a road map is.
    pub enum RoadmapKind {
        /// The regional branch's plan.
        Regional = "regional",
        /// A district's or city's plan.
        Territorial = "territorial",
    }
}

text_enum! {
    /// Where a road map stands.
    pub enum RoadmapStatus {
        /// Being drawn up; indicators may still lack a responsible deputy.
        Draft = "draft",
        /// Adopted: every indicator has a responsible deputy.
        Approved = "approved",
        /// The period is over; kept for reports.
        Closed = "closed",
    }
}

text_enum! {
    /// How an indicator is measured.
    pub enum IndicatorKind {
        /// Done or not done (an event, an opening, a meeting).
        Event = "event",
        /// A value measured against a target (jobs, places, kilometres).
        Quantitative = "quantitative",
    }
}

text_enum! {
    /// Where an indicator stands; follows from its progress updates.
    pub enum IndicatorStatus {
        /// No progress reported yet.
        Planned = "planned",
        /// Some progress, target not yet reached.
        InProgress = "in_progress",
        /// Done, or the target was reached.
        Done = "done",
        /// Reported as not done.
        NotDone = "not_done",
        /// Dropped from the plan: it leaves the summaries' denominator.
        Cancelled = "cancelled",
    }
}

/// A road map.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": 9,
    "title_kk": "Жамбыл облысының 2026–2027 жылдарға арналған жол картасы",
    "title_ru": "Дорожная карта Жамбылской области на 2026–2027 годы",
    "kind": "regional",
    "territory_id": 1,
    "year": 2026,
    "year_from": 2026,
    "year_to": 2027,
    "programme_ref": "Предвыборная программа партии, раздел 3",
    "status": "approved",
    "created_at": "2026-01-20T05:00:00Z",
    "updated_at": "2026-02-10T06:00:00Z",
    "version": 4
})))]
pub struct Roadmap {
    pub id: i64,
    pub title_kk: String,
    pub title_ru: String,
    pub kind: RoadmapKind,
    pub territory_id: i64,
    /// The first year of the plan (`year_from`).
    pub year: i32,
    pub year_from: i32,
    pub year_to: i32,
    pub programme_ref: Option<String>,
    pub status: RoadmapStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// `POST /roadmaps`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "title_kk": "Жамбыл облысының 2026–2027 жылдарға арналған жол картасы",
    "title_ru": "Дорожная карта Жамбылской области на 2026–2027 годы",
    "kind": "regional",
    "territory_id": 1,
    "year_from": 2026,
    "year_to": 2027,
    "programme_ref": "Предвыборная программа партии, раздел 3"
})))]
pub struct CreateRoadmap {
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 500, pattern = r"\S")
    )]
    pub title_kk: String,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 500, pattern = r"\S")
    )]
    pub title_ru: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = RoadmapKind))]
    pub kind: String,
    #[serde(default)]
    pub territory_id: i64,
    /// The first year; `year` is accepted too.
    #[serde(default, alias = "year")]
    #[cfg_attr(feature = "openapi", schema(minimum = 2000, maximum = 2100))]
    pub year_from: i32,
    /// The last year; the first when absent.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 2000, maximum = 2100))]
    pub year_to: Option<i32>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub programme_ref: Option<String>,
}

/// `PATCH /roadmaps/{id}`: absent fields stay as they are. Approving needs every
/// indicator to have a responsible deputy (422 listing those without one).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"status": "approved"})))]
pub struct UpdateRoadmap {
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 500, pattern = r"\S")
    )]
    pub title_kk: Option<String>,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 500, pattern = r"\S")
    )]
    pub title_ru: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 2000, maximum = 2100))]
    pub year_to: Option<i32>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub programme_ref: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<RoadmapStatus>))]
    pub status: Option<String>,
}

/// A section of a road map, assigned to a member of the Bureau.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": 2,
    "roadmap_id": 9,
    "position": 2,
    "title": "Дороги и транспорт",
    "bureau_member_id": 17,
    "bureau_member_user_id": null
})))]
pub struct Section {
    pub id: i64,
    pub roadmap_id: i64,
    pub position: i32,
    pub title: String,
    /// The Bureau member, as a deputy.
    pub bureau_member_id: Option<i64>,
    /// The Bureau member, as a user (a member who holds no mandate).
    pub bureau_member_user_id: Option<i64>,
}

/// `POST /roadmaps/{id}/sections`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"title": "Дороги и транспорт", "position": 2, "bureau_member_id": 17})))]
pub struct CreateSection {
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 500, pattern = r"\S")
    )]
    pub title: String,
    /// After the last section when absent.
    #[serde(default)]
    pub position: Option<i32>,
    #[serde(default)]
    pub bureau_member_id: Option<i64>,
    #[serde(default)]
    pub bureau_member_user_id: Option<i64>,
}

/// An indicator of a road map.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": 311,
    "roadmap_id": 9,
    "section_id": 2,
    "title": "Ремонт 12 км дорог местного значения в г. Тараз",
    "territory_id": 3,
    "kind": "quantitative",
    "unit": "км",
    "baseline": 0.0,
    "target": 12.0,
    "actual": 4.5,
    "due_on": "2026-10-31",
    "council_member_id": 17,
    "council_member_user_id": null,
    "deputy_id": 17,
    "weight": 2.0,
    "status": "in_progress",
    "overdue": false,
    "created_at": "2026-01-20T05:10:00Z",
    "updated_at": "2026-05-15T08:00:00Z",
    "version": 3
})))]
pub struct Indicator {
    pub id: i64,
    pub roadmap_id: i64,
    pub section_id: i64,
    pub title: String,
    pub territory_id: i64,
    pub kind: IndicatorKind,
    pub unit: Option<String>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub actual: Option<f64>,
    pub due_on: NaiveDate,
    /// The Political Council member, as a deputy.
    pub council_member_id: Option<i64>,
    /// The Political Council member, as a user (a member who holds no mandate).
    pub council_member_user_id: Option<i64>,
    /// The responsible deputy.
    pub deputy_id: Option<i64>,
    pub weight: Option<f64>,
    pub status: IndicatorStatus,
    /// Derived: not done (nor cancelled) and past `due_on` (Asia/Almaty).
    pub overdue: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
    /// Sync mode only: the indicator was removed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
}

/// `POST /indicators`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "roadmap_id": 9,
    "section_id": 2,
    "title": "Ремонт 12 км дорог местного значения в г. Тараз",
    "territory_id": 3,
    "kind": "quantitative",
    "unit": "км",
    "target": 12.0,
    "due_on": "2026-10-31",
    "deputy_id": 17
})))]
pub struct CreateIndicator {
    #[serde(default)]
    pub roadmap_id: i64,
    #[serde(default)]
    pub section_id: i64,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 1000, pattern = r"\S")
    )]
    pub title: String,
    #[serde(default)]
    pub territory_id: i64,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = IndicatorKind))]
    pub kind: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 50))]
    pub unit: Option<String>,
    #[serde(default)]
    pub baseline: Option<f64>,
    /// Required for quantitative indicators.
    #[serde(default)]
    pub target: Option<f64>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub due_on: Option<NaiveDate>,
    #[serde(default)]
    pub council_member_id: Option<i64>,
    #[serde(default)]
    pub council_member_user_id: Option<i64>,
    #[serde(default)]
    pub deputy_id: Option<i64>,
    /// A positive weight for the weighted completion.
    #[serde(default)]
    pub weight: Option<f64>,
}

/// `PATCH /indicators/{id}`: absent fields stay; `null` clears the nullable ones.
/// `status` may only cancel an indicator or put a cancelled one back to `planned`: the
/// other statuses follow from progress updates.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"due_on": "2026-11-30", "target": 14.0})))]
pub struct UpdateIndicator {
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 1000, pattern = r"\S")
    )]
    pub title: Option<String>,
    #[serde(default)]
    pub section_id: Option<i64>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub due_on: Option<NaiveDate>,
    #[serde(default)]
    pub target: Option<f64>,
    #[serde(default, deserialize_with = "crate::nullable::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub deputy_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "crate::nullable::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub council_member_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "crate::nullable::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub weight: Option<Option<f64>>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<IndicatorStatus>))]
    pub status: Option<String>,
}

/// A progress update of an indicator.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": 1201,
    "indicator_id": 311,
    "date": "2026-05-15",
    "done": null,
    "value": 4.5,
    "comment": "Төле би және Абай көшелері жөнделді",
    "evidence_urls": ["https://taraz.gov.kz/news/2026/05/15/road-repair"],
    "actor_label": "Нұрланов Данияр",
    "at": "2026-05-15T08:00:00Z"
})))]
pub struct Progress {
    pub id: i64,
    pub indicator_id: i64,
    pub date: NaiveDate,
    pub done: Option<bool>,
    pub value: Option<f64>,
    pub comment: Option<String>,
    pub evidence_urls: Vec<String>,
    pub actor_label: String,
    pub at: DateTime<Utc>,
}

/// `POST /indicators/{id}/progress`: `done` for events, `value` (the value reached so
/// far) for quantitative indicators.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "date": "2026-05-15",
    "value": 4.5,
    "comment": "Төле би және Абай көшелері жөнделді",
    "evidence_urls": ["https://taraz.gov.kz/news/2026/05/15/road-repair"]
})))]
pub struct CreateProgress {
    /// The day the progress was made; today (Asia/Almaty) when absent.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub date: Option<NaiveDate>,
    #[serde(default)]
    pub done: Option<bool>,
    #[serde(default)]
    pub value: Option<f64>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub comment: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub evidence_urls: Vec<String>,
}
