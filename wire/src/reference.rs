//! Territories, appeal categories and the working-day calendar.

use serde::{Deserialize, Serialize};

use crate::auth::ActorKind;
use crate::enums::text_enum;

text_enum! {
    /// Level of a territory in the KATO hierarchy.
    pub enum TerritoryLevel {
        /// Облыс / область: Zhambyl (310000000), Turkistan (610000000).
        Region = "region",
        /// Аудан / район.
        District = "district",
        /// City of regional significance (Taraz, Turkistan, Arys, Kentau): the city's
        /// akimat area, which may include rural okrugs.
        City = "city",
        /// Rural okrug (ауылдық округ / сельский округ) and the equivalent village (с.а.)
        /// and settlement (п.а.) administrations: the lowest level with its own akim.
        RuralOkrug = "rural_okrug",
        /// City of district significance (Zhanatas, Karatau, Zhetysai, …) or a city
        /// administration (Шуская г.а.).
        Town = "town",
        /// The urban territory proper inside a city of regional significance (KATO
        /// `г.Тараз` under `Тараз Г.А.`), as distinct from the okrugs the city's akimat
        /// also governs.
        CityTerritory = "city_territory",
        /// Village, station, farmstead: a KATO object without its own administration.
        Settlement = "settlement",
    }
}

text_enum! {
    /// Why a day of the working-day calendar is listed.
    pub enum DayKind {
        /// The holiday date itself, falling on a weekday.
        Holiday = "holiday",
        /// A weekday off because a holiday fell on a weekend, or the target of a transfer
        /// decree.
        Transfer = "transfer",
        /// Orthodox Christmas or Kurban Ait: a day off, but never transferred from a
        /// weekend.
        Religious = "religious",
        /// A weekend day declared working by a transfer decree.
        WorkingDay = "working_day",
    }
}

/// A unit of Kazakhstan's administrative-territorial division (KATO).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": 3,
    "parent_id": 2,
    "level": "city_territory",
    "kato_code": "311010000",
    "name_kk": "Тараз қаласы",
    "name_ru": "г.Тараз",
    "name_en": "Taraz",
    "updated_at": "2026-01-05T00:00:00Z",
    "version": 1
})))]
pub struct Territory {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub level: TerritoryLevel,
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
#[cfg_attr(feature = "openapi", schema(example = json!({
    "parent_id": 20,
    "level": "rural_okrug",
    "kato_code": "314830000",
    "name_kk": "Қордай ауылдық округі",
    "name_ru": "Кордайский с.о.",
    "name_en": "Kordai rural okrug"
})))]
pub struct CreateTerritory {
    #[serde(default)]
    pub parent_id: Option<i64>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = TerritoryLevel))]
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
#[cfg_attr(feature = "openapi", schema(example = json!({"name_kk": "Қордай ауылдық округі", "name_en": null})))]
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
#[cfg_attr(feature = "openapi", schema(example = json!({
    "code": "ROADS",
    "group": "infrastructure",
    "name_kk": "Жолдар және жол жөндеу",
    "name_ru": "Дороги и ремонт дорог",
    "name_en": "Roads and road repair"
})))]
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
#[cfg_attr(feature = "openapi", schema(example = json!({
    "date": "2026-03-23",
    "kind": "holiday",
    "name_kk": "Наурыз мейрамы",
    "name_ru": "Наурыз мейрамы",
    "name_en": "Nauryz",
    "note": null
})))]
pub struct CalendarDay {
    pub date: chrono::NaiveDate,
    pub kind: DayKind,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub note: Option<String>,
}

/// One row of the audit trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": 88231,
    "at": "2026-02-03T05:40:00Z",
    "actor_kind": "user",
    "actor_id": 5,
    "actor_label": "Нұрланов Данияр",
    "entity": "appeal",
    "entity_id": "1042",
    "action": "transition",
    "changes": {
        "status": {"from": "under_control", "to": "assigned"},
        "deputy_id": {"from": null, "to": 17}
    },
    "request_id": "0b7e6f3c-52d1-4c8e-9a4b-1f2d3e4c5a6b",
    "hash": "5c1e9a0f3b7d2e8c4a6b1f0d9e3c7a2b5d8f1e4c7a0b3d6e9f2c5a8b1e4d7f0a"
})))]
pub struct AuditEntry {
    pub id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor_kind: ActorKind,
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
