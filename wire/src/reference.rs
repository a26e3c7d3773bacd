//! Territories, appeal categories and the working-day calendar.

use serde::{Deserialize, Serialize};

/// A unit of Kazakhstan's administrative-territorial division (KATO).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Territory {
    pub id: i64,
    pub parent_id: Option<i64>,
    /// `region`, `district`, `city`, `rural_okrug`, `town`, `city_territory`, `settlement`.
    pub level: String,
    /// 9-digit KATO code.
    pub kato_code: String,
    pub name_kk: Option<String>,
    pub name_ru: String,
    pub name_en: Option<String>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i64,
    /// Only in `updated_since` sync mode: the territory was removed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
}

/// `POST /api/v1/territories` (admin).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateTerritory {
    #[serde(default)]
    pub parent_id: Option<i64>,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub kato_code: String,
    #[serde(default)]
    pub name_kk: Option<String>,
    #[serde(default)]
    pub name_ru: String,
    #[serde(default)]
    pub name_en: Option<String>,
}

/// `PATCH /api/v1/territories/{id}` (admin, `If-Match`): names only. Moving a territory
/// rewrites the paths of its whole subtree and is not offered over the API.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateTerritory {
    #[serde(default, deserialize_with = "crate::nullable::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub name_kk: Option<Option<String>>,
    #[serde(default)]
    pub name_ru: Option<String>,
    #[serde(default, deserialize_with = "crate::nullable::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub name_en: Option<Option<String>>,
}

/// A category of appeals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppealCategory {
    pub code: String,
    pub group: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
}

/// A weekday that is not a working day (or a weekend day declared working).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarDay {
    pub date: chrono::NaiveDate,
    /// `holiday`, `transfer`, `religious`, `working_day`.
    pub kind: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub note: Option<String>,
}

/// One row of the audit trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    /// `user`, `api_key` or `system`.
    pub actor_kind: String,
    pub actor_id: Option<i64>,
    pub actor_label: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    /// `{field: {"from": .., "to": ..}}`; personal data shows as `[redacted]`.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub changes: serde_json::Value,
    pub request_id: Option<String>,
    pub hash: String,
}
