//! `GET /api/v1/stats/overview`: the office dashboard's first page in one answer.
//!
//! Each part is its own object so that a part can be added later (the deputies' recall
//! risk, say) as one more field, and a client that does not know it simply ignores it.
//! Parts the caller may not read (a key without the receptions scope) are `null`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::appeals::{Channel, Status};
use crate::ratings::Rating;
use crate::receptions::{ReceptionLevel, ReceptionStatus, StatusCount};
use crate::roadmaps::{SummaryGroup, Tally};

/// `GET /api/v1/stats/overview`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "territory_id": null,
    "period_from": "2026-01-01",
    "period_to": "2026-04-01",
    "as_of": "2026-04-01",
    // Each part shows its own type's example, so it is written once.
    "appeals": crate::common::example_of::<AppealsOverview>(),
    "roadmaps": crate::common::example_of::<RoadmapsOverview>(),
    "receptions": crate::common::example_of::<ReceptionsOverview>(),
    "recall_risk": crate::common::example_of::<RecallRiskOverview>()
})))]
pub struct Overview {
    /// The territory asked for; `null` means the caller's whole territory.
    pub territory_id: Option<i64>,
    /// The period of the per-period figures, both days included (Asia/Almaty): the
    /// query's `from` and `to`, by default from 1 January of this year to today.
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    /// Today (Asia/Almaty), the day `overdue` is judged on.
    pub as_of: NaiveDate,
    pub appeals: AppealsOverview,
    /// Road-map completion over the road maps covering the query's `year` (default: the
    /// year of `period_to`); `null` without `roadmaps.read`.
    pub roadmaps: Option<RoadmapsOverview>,
    /// `null` without `receptions.read`.
    pub receptions: Option<ReceptionsOverview>,
    /// The recall-risk list of the last finished month; `null` without `deputies.read`.
    pub recall_risk: Option<RecallRiskOverview>,
}

/// The appeals of the territory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "received": 412,
    "by_status": [
        {"status": "registered", "count": 18},
        {"status": "in_progress", "count": 97},
        {"status": "resolved", "count": 297}
    ],
    "by_category": [{"category_code": "ROADS", "count": 96}, {"category_code": "UTIL_WATER", "count": 71}],
    "by_channel": [{"channel": "reception_room", "count": 188}, {"channel": "mobile_reception", "count": 124}],
    "overdue": 6,
    "oldest_overdue": {
        "id": 977,
        "reg_number": "ZHA-2026-000087",
        "subject": "Отсутствие уличного освещения на ул. Жамбыла, с. Сарыкемер",
        "status": "in_progress",
        "due_on": "2026-03-13",
        "days_overdue": 19
    },
    "resolved": 297,
    "median_days_to_resolution": 11.0
})))]
pub struct AppealsOverview {
    /// Appeals received in the period.
    pub received: i64,
    /// The appeals received in the period, by their status now (declaration order,
    /// statuses with none left out).
    pub by_status: Vec<StatusCount>,
    /// Received in the period, by category (most first).
    pub by_category: Vec<CategoryCount>,
    /// Received in the period, by channel (most first).
    pub by_channel: Vec<ChannelCount>,
    /// Open appeals past their (extended) deadline today, whenever received.
    pub overdue: i64,
    /// The open appeal whose deadline passed longest ago.
    pub oldest_overdue: Option<OverdueAppeal>,
    /// Closed in the period: how many, and the median of whole days from receipt to the
    /// answer (`null` when none).
    pub resolved: i64,
    pub median_days_to_resolution: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"category_code": "ROADS", "count": 96})))]
pub struct CategoryCount {
    pub category_code: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"channel": "reception_room", "count": 188})))]
pub struct ChannelCount {
    pub channel: Channel,
    pub count: i64,
}

/// An overdue appeal, enough to open it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": 977,
    "reg_number": "ZHA-2026-000087",
    "subject": "Отсутствие уличного освещения на ул. Жамбыла, с. Сарыкемер",
    "status": "in_progress",
    "due_on": "2026-03-13",
    "days_overdue": 19
})))]
pub struct OverdueAppeal {
    pub id: i64,
    pub reg_number: String,
    pub subject: String,
    pub status: Status,
    /// The deadline in force (the extended one when extended).
    pub due_on: NaiveDate,
    /// Calendar days since `due_on`.
    pub days_overdue: i64,
}

/// Road-map completion for a year ("914 planned / 888 done — 97.2%").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "year": 2026,
    "planned": 914,
    "done": 888,
    "in_progress": 20,
    "overdue": 6,
    "cancelled": 3,
    "percent": 97.2,
    "weighted_percent": 96.8,
    "by_section": [
        {
            "id": 2,
            "name": "Дороги и транспорт",
            "planned": 40,
            "done": 31,
            "in_progress": 7,
            "overdue": 2,
            "cancelled": 0,
            "percent": 77.5,
            "weighted_percent": null
        }
    ],
    "by_territory": [
        {
            "id": 14,
            "name": "Байзакский район",
            "planned": 40,
            "done": 31,
            "in_progress": 7,
            "overdue": 2,
            "cancelled": 0,
            "percent": 77.5,
            "weighted_percent": null
        }
    ]
})))]
pub struct RoadmapsOverview {
    pub year: i32,
    #[serde(flatten)]
    pub tally: Tally,
    /// By road-map section (the section's title in `name`), in road-map order.
    pub by_section: Vec<SummaryGroup>,
    /// By district, highest completion first.
    pub by_territory: Vec<SummaryGroup>,
}

/// Deputies of active mandate rated below the recall threshold in the last finished
/// month (its stored snapshot), lowest first — the same list as
/// `GET /ratings/recall-risk?period=`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "period": "2026-03",
    "threshold": 0.0,
    "total": 1,
    "deputies": [crate::common::example_of::<Rating>()]
})))]
pub struct RecallRiskOverview {
    /// `YYYY-MM`.
    pub period: String,
    /// The configured threshold (`GET /ratings/formula`).
    pub threshold: f64,
    /// How many deputies are below it.
    pub total: i64,
    /// The lowest of them (at most 10), with their components.
    pub deputies: Vec<Rating>,
}

/// Mobile receptions coming up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "upcoming": [
        {
            "id": 56,
            "title": "Көшпелі қабылдау: Қордай ауылдық округі",
            "level": "district",
            "status": "planned",
            "territory_id": 20,
            "planned_start": "2026-04-14T05:00:00Z",
            "planned_end": "2026-04-14T09:00:00Z",
            "venue": "Қордай а., Мәдениет үйі, Жібек жолы к-сі, 112"
        }
    ],
    "held": 23
})))]
pub struct ReceptionsOverview {
    /// Planned receptions starting from now on, soonest first (at most 10).
    pub upcoming: Vec<UpcomingReception>,
    /// Receptions held in the period.
    pub held: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": 56,
    "title": "Көшпелі қабылдау: Қордай ауылдық округі",
    "level": "district",
    "status": "planned",
    "territory_id": 20,
    "planned_start": "2026-04-14T05:00:00Z",
    "planned_end": "2026-04-14T09:00:00Z",
    "venue": "Қордай а., Мәдениет үйі, Жібек жолы к-сі, 112"
})))]
pub struct UpcomingReception {
    pub id: i64,
    pub title: String,
    pub level: ReceptionLevel,
    pub status: ReceptionStatus,
    pub territory_id: i64,
    pub planned_start: DateTime<Utc>,
    pub planned_end: DateTime<Utc>,
    pub venue: Option<String>,
}
