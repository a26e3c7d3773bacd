//! Completion figures of road maps: how many indicators are planned, done, in progress,
//! overdue or cancelled — for a road map by section, district and deputy, and for the
//! districts ranked against each other.

use serde::{Deserialize, Serialize};

/// Completion figures of one group of indicators.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "planned": 914, "done": 888, "in_progress": 20, "overdue": 6, "cancelled": 3,
    "percent": 97.2, "weighted_percent": 96.8
})))]
pub struct Tally {
    /// Every indicator that is not cancelled.
    pub planned: i64,
    pub done: i64,
    pub in_progress: i64,
    pub overdue: i64,
    pub cancelled: i64,
    /// done / planned × 100, one decimal; 0 when nothing is planned.
    pub percent: f64,
    /// Σ weight(done) / Σ weight(not cancelled) × 100, one decimal; `null` when no
    /// indicator carries a weight.
    pub weighted_percent: Option<f64>,
}

/// A group of a summary: what it is (`id`, and `user_id` for people without a deputy
/// record) and its figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": 2, "name": "Дороги и транспорт", "planned": 40, "done": 31, "in_progress": 7,
    "overdue": 2, "cancelled": 0, "percent": 77.5, "weighted_percent": null
})))]
pub struct SummaryGroup {
    /// The section, territory or deputy; `null` for indicators without one.
    pub id: Option<i64>,
    /// The person as a user, where the group is people without a deputy record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(flatten)]
    pub tally: Tally,
}

/// `GET /roadmaps/{id}/summary`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "roadmap_id": 9, "planned": 40, "done": 31, "in_progress": 7, "overdue": 2,
    "cancelled": 0, "percent": 77.5, "weighted_percent": null,
    "by_section": [crate::common::example_of::<SummaryGroup>()],
    "by_territory": [{"id": 14, "name": "Байзакский район", "planned": 40, "done": 31, "in_progress": 7, "overdue": 2, "cancelled": 0, "percent": 77.5, "weighted_percent": null}],
    "by_deputy": [
        {
            "id": 17,
            "name": "Сәрсенбаев Ерлан Болатұлы",
            "planned": 40,
            "done": 31,
            "in_progress": 7,
            "overdue": 2,
            "cancelled": 0,
            "percent": 77.5,
            "weighted_percent": null
        }
    ],
    "by_council_member": []
})))]
pub struct Summary {
    pub roadmap_id: i64,
    #[serde(flatten)]
    pub tally: Tally,
    pub by_section: Vec<SummaryGroup>,
    /// By district (or city of regional significance) of the indicators' territories.
    pub by_territory: Vec<SummaryGroup>,
    pub by_deputy: Vec<SummaryGroup>,
    pub by_council_member: Vec<SummaryGroup>,
}

/// `GET /roadmaps/summary`: districts ranked by completion over a year's road maps.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "year": 2026, "planned": 914, "done": 888, "in_progress": 20, "overdue": 6,
    "cancelled": 3, "percent": 97.2, "weighted_percent": 96.8,
    "districts": [{"id": 14, "name": "Байзакский район", "planned": 40, "done": 31, "in_progress": 7, "overdue": 2, "cancelled": 0, "percent": 77.5, "weighted_percent": null}]
})))]
pub struct DistrictRanking {
    pub year: i32,
    #[serde(flatten)]
    pub tally: Tally,
    /// Highest `percent` first.
    pub districts: Vec<SummaryGroup>,
}
