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
pub struct CategoryCount {
    pub category_code: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelCount {
    pub channel: Channel,
    pub count: i64,
}

/// An overdue appeal, enough to open it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
pub struct ReceptionsOverview {
    /// Planned receptions starting from now on, soonest first (at most 10).
    pub upcoming: Vec<UpcomingReception>,
    /// Receptions held in the period.
    pub held: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
