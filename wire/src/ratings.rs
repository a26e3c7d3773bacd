//! Deputies' ratings from measured work, and citizens' feedback on resolved appeals.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::deputies::MandateStatus;

/// One measured part of a score: `points = value × weight`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"name": "appeals_on_time", "value": 4.0, "weight": 2.0, "points": 8.0})))]
pub struct RatingComponent {
    /// `appeals_on_time`, `appeals_overdue`, `receptions_attended`, `indicators_done`,
    /// `indicators_overdue`, `satisfaction`.
    pub name: String,
    pub value: f64,
    pub weight: f64,
    pub points: f64,
}

/// A deputy's rating for a month: the score is the sum of the components' points
/// (rounded to two decimals), so anyone can recompute it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "deputy_id": 17,
    "full_name": "Сәрсенбаев Ерлан Болатұлы",
    "mandate_status": "active",
    "period": "2026-03",
    "score": 25.5,
    "components": [
        {"name": "appeals_on_time", "value": 4.0, "weight": 2.0, "points": 8.0},
        {"name": "appeals_overdue", "value": 1.0, "weight": -3.0, "points": -3.0},
        {"name": "receptions_attended", "value": 2.0, "weight": 5.0, "points": 10.0},
        {"name": "indicators_done", "value": 1.0, "weight": 3.0, "points": 3.0},
        {"name": "indicators_overdue", "value": 0.0, "weight": -4.0, "points": 0.0},
        {"name": "satisfaction", "value": 1.5, "weight": 5.0, "points": 7.5}
    ],
    "snapshot": true,
    "computed_at": "2026-04-01T00:05:00Z"
})))]
pub struct Rating {
    pub deputy_id: i64,
    pub full_name: String,
    pub mandate_status: MandateStatus,
    /// `YYYY-MM`.
    pub period: String,
    pub score: f64,
    pub components: Vec<RatingComponent>,
    /// True when read from the stored monthly snapshot; false while the month runs, and
    /// for a finished month until it is stored (then computed as it will be stored).
    pub snapshot: bool,
    pub computed_at: DateTime<Utc>,
}

/// One component of the published formula.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "name": "appeals_on_time",
    "weight": 2.0,
    "description": "Appeals assigned to the deputy and closed in the month on or before their deadline in force (extended_due_on, else due_on), by the Asia/Almaty date."
})))]
pub struct FormulaComponent {
    pub name: String,
    pub weight: f64,
    /// What `value` counts.
    pub description: String,
}

/// `GET /ratings/formula`: how scores are computed, from the server's configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "description": "score = sum of points; points = value × weight for each component (rounded to 2 decimals). A finished month is stored once and changes only through an audited recompute.",
    "components": [crate::common::example_of::<FormulaComponent>()],
    "recall_threshold": 0.0
})))]
pub struct RatingFormula {
    pub description: String,
    pub components: Vec<FormulaComponent>,
    /// Active deputies scoring below this form the recall-risk list.
    pub recall_threshold: f64,
}

/// `POST /ratings/recompute`: recomputes stored snapshots of a finished month.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "period": "2026-03",
    "deputy_id": 17,
    "reason": "Исправлена дата закрытия обращения ZHA-2026-000123"
})))]
pub struct RecomputeRatings {
    /// `YYYY-MM`, a month that is over.
    #[serde(default)]
    pub period: String,
    /// Only this deputy; every deputy in the caller's territory when absent.
    #[serde(default)]
    pub deputy_id: Option<i64>,
    /// Why (kept in the audit trail).
    #[serde(default)]
    pub reason: Option<String>,
}

/// A score a recompute changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"deputy_id": 17, "before": 22.5, "after": 25.5})))]
pub struct RatingChange {
    pub deputy_id: i64,
    pub before: Option<f64>,
    pub after: f64,
}

/// What a recompute did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "period": "2026-03",
    "recomputed": 1,
    "changed": [{"deputy_id": 17, "before": 22.5, "after": 25.5}]
})))]
pub struct RecomputeResult {
    pub period: String,
    /// Snapshots written.
    pub recomputed: i64,
    /// Those whose score moved.
    pub changed: Vec<RatingChange>,
}

/// `POST /appeals/{id}/feedback-link`: the one-time link, shown once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "appeal_id": 1042,
    "token": "fb_Zq8wN3xK5vT1rY7pL2mH9cJ4",
    "url": "/api/v1/feedback/fb_Zq8wN3xK5vT1rY7pL2mH9cJ4",
    "expires_at": "2026-03-20T04:00:00Z"
})))]
pub struct FeedbackLink {
    pub appeal_id: i64,
    /// The secret part of the link; only its hash is stored.
    pub token: String,
    /// Path of the public form: `/api/v1/feedback/{token}`.
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

/// `GET /feedback/{token}`: what the citizen is asked about. No personal data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "reg_number": "ZHA-2026-000123",
    "resolved_on": "2026-02-18",
    "expires_at": "2026-03-20T04:00:00Z"
})))]
pub struct FeedbackForm {
    pub reg_number: String,
    pub resolved_on: Option<NaiveDate>,
    pub expires_at: DateTime<Utc>,
}

/// `POST /feedback/{token}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"score": 5, "comment": "Жол жөнделді, рахмет!"})))]
pub struct SubmitFeedback {
    /// 1 (bad) to 5 (good).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub score: Option<i64>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub comment: Option<String>,
}

/// The answer to a submitted rating.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"reg_number": "ZHA-2026-000123", "score": 5})))]
pub struct FeedbackReceipt {
    pub reg_number: String,
    pub score: i64,
}
