//! Deputies of maslikhats and their mandates.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::enums::text_enum;

text_enum! {
    /// The orders of `GET /deputies`: a key ascending, or descending with `-`.
    pub enum DeputySort {
        /// Newest registration first (the default).
        Newest = "newest",
        CreatedAt = "created_at", CreatedAtDesc = "-created_at",
        UpdatedAt = "updated_at", UpdatedAtDesc = "-updated_at",
        FullName = "full_name", FullNameDesc = "-full_name",
    }
}

text_enum! {
    /// The maslikhat (local representative body) a deputy sits in.
    pub enum MaslikhatLevel {
        /// The regional (oblast) maslikhat.
        Regional = "regional",
        /// The maslikhat of a city of regional significance.
        City = "city",
        /// A district maslikhat.
        District = "district",
    }
}

text_enum! {
    /// Where a deputy's mandate stands.
    pub enum MandateStatus {
        /// Serving.
        Active = "active",
        /// Suspended, e.g. during an investigation.
        Suspended = "suspended",
        /// Recalled by the voters or the party.
        Recalled = "recalled",
        /// Ended: the term expired or the deputy resigned.
        Ended = "ended",
    }
}

text_enum! {
    /// A deputy's place in the party's governing bodies.
    pub enum PartyRoleKind {
        /// A member of the regional Political Council (indicators are assigned to them).
        PoliticalCouncil = "political_council",
        /// A member of the Bureau (road-map sections are assigned to them).
        Bureau = "bureau",
    }
}

/// A party role held from `from` to `to` (inclusive; open when `null`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"role": "political_council", "from": "2025-09-01", "to": null})))]
pub struct PartyRole {
    pub role: PartyRoleKind,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

/// A party role as submitted.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"role": "bureau", "from": "2026-01-15", "to": null})))]
pub struct PartyRoleInput {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = PartyRoleKind))]
    pub role: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub from: Option<NaiveDate>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub to: Option<NaiveDate>,
}

/// A maslikhat deputy. The official contact (`phone`, `email`) is public to staff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": 17,
    "full_name": "Сәрсенбаев Ерлан Болатұлы",
    "level": "city",
    "maslikhat_territory_id": 2,
    "okrug": "№ 5 Төле би сайлау округі",
    "party_roles": [{"role": "political_council", "from": "2025-09-01", "to": null}],
    "phone": "+77025551234",
    "email": "e.sarsenbayev@taraz-maslikhat.kz",
    "mandate_status": "active",
    "mandate_status_since": "2023-03-29",
    "mandate_reason": null,
    "user_id": 12,
    "created_at": "2026-01-10T04:00:00Z",
    "updated_at": "2026-01-10T04:00:00Z",
    "version": 1
})))]
pub struct Deputy {
    pub id: i64,
    pub full_name: String,
    pub level: MaslikhatLevel,
    /// The territory whose maslikhat the deputy sits in; it scopes the record.
    pub maslikhat_territory_id: i64,
    /// The electoral okrug the deputy was elected in.
    pub okrug: Option<String>,
    pub party_roles: Vec<PartyRole>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub mandate_status: MandateStatus,
    pub mandate_status_since: Option<NaiveDate>,
    pub mandate_reason: Option<String>,
    /// The user account linked to this deputy, if any.
    pub user_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
    /// Sync mode only: the record was removed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
}

/// `POST /deputies`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "full_name": "Сәрсенбаев Ерлан Болатұлы",
    "level": "city",
    "maslikhat_territory_id": 2,
    "okrug": "№ 5 Төле би сайлау округі",
    "party_roles": [{"role": "political_council", "from": "2025-09-01", "to": null}],
    "phone": "+7 702 555 12 34",
    "email": "e.sarsenbayev@taraz-maslikhat.kz",
    "mandate_status": "active",
    "mandate_status_since": "2023-03-29"
})))]
pub struct CreateDeputy {
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 300, pattern = r"\S")
    )]
    pub full_name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = MaslikhatLevel))]
    pub level: String,
    #[serde(default)]
    pub maslikhat_territory_id: Option<i64>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub okrug: Option<String>,
    #[serde(default)]
    pub party_roles: Vec<PartyRoleInput>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// `active` when absent.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<MandateStatus>))]
    pub mandate_status: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub mandate_status_since: Option<NaiveDate>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub mandate_reason: Option<String>,
}

/// `PATCH /deputies/{id}`: absent fields stay; `null` clears the nullable ones;
/// `party_roles` replaces the list. Moving `mandate_status` to `recalled` or `ended`
/// ends the deputy's open assignments on `mandate_status_since` (today when absent).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "mandate_status": "suspended",
    "mandate_status_since": "2026-05-04",
    "mandate_reason": "Приостановлены полномочия на время проверки"
})))]
pub struct UpdateDeputy {
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 300, pattern = r"\S")
    )]
    pub full_name: Option<String>,
    #[serde(default, deserialize_with = "crate::nullable::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub okrug: Option<Option<String>>,
    #[serde(default)]
    pub party_roles: Option<Vec<PartyRoleInput>>,
    #[serde(default, deserialize_with = "crate::nullable::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::nullable::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub email: Option<Option<String>>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<MandateStatus>))]
    pub mandate_status: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub mandate_status_since: Option<NaiveDate>,
    #[serde(default, deserialize_with = "crate::nullable::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub mandate_reason: Option<Option<String>>,
}

/// A deputy answering for a territory from `starts_on` to `ends_on` (inclusive; open
/// when `null`). Ending one is an update: history is never rewritten.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": 31,
    "deputy_id": 17,
    "territory_id": 3,
    "starts_on": "2026-01-15",
    "ends_on": null,
    "end_reason": null,
    "created_at": "2026-01-15T05:00:00Z",
    "updated_at": "2026-01-15T05:00:00Z",
    "version": 1
})))]
pub struct Assignment {
    pub id: i64,
    pub deputy_id: i64,
    pub territory_id: i64,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// `POST /assignments`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"deputy_id": 17, "territory_id": 3, "starts_on": "2026-01-15", "ends_on": null})))]
pub struct CreateAssignment {
    #[serde(default)]
    pub deputy_id: Option<i64>,
    /// A rural okrug, a town or a city territory.
    #[serde(default)]
    pub territory_id: Option<i64>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub starts_on: Option<NaiveDate>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub ends_on: Option<NaiveDate>,
}

/// `PATCH /assignments/{id}`: ends an open assignment.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"ends_on": "2026-06-30", "end_reason": "Депутат сложил полномочия по собственному желанию"})))]
pub struct UpdateAssignment {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub ends_on: Option<NaiveDate>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub end_reason: Option<String>,
}

/// A deputy answering for a territory on a given day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "assignment_id": 31,
    "deputy_id": 17,
    "full_name": "Сәрсенбаев Ерлан Болатұлы",
    "level": "city",
    "mandate_status": "active",
    "phone": "+77025551234",
    "email": "e.sarsenbayev@taraz-maslikhat.kz",
    "starts_on": "2026-01-15",
    "ends_on": null
})))]
pub struct Responsible {
    pub assignment_id: i64,
    pub deputy_id: i64,
    pub full_name: String,
    pub level: MaslikhatLevel,
    pub mandate_status: MandateStatus,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

/// `GET /territories/{id}/deputies`: who answered for the territory on `on`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "territory_id": 3,
    "on": "2026-02-03",
    "items": [
        {
            "assignment_id": 31,
            "deputy_id": 17,
            "full_name": "Сәрсенбаев Ерлан Болатұлы",
            "level": "city",
            "mandate_status": "active",
            "phone": "+77025551234",
            "email": "e.sarsenbayev@taraz-maslikhat.kz",
            "starts_on": "2026-01-15",
            "ends_on": null
        }
    ]
})))]
pub struct TerritoryDeputies {
    pub territory_id: i64,
    pub on: NaiveDate,
    pub items: Vec<Responsible>,
}

/// A territory that needs a deputy and has none on the day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "territory_id": 21,
    "kato_code": "314830000",
    "name_kk": "Қордай ауылдық округі",
    "name_ru": "Кордайский с.о.",
    "level": "rural_okrug"
})))]
pub struct Gap {
    pub territory_id: i64,
    pub kato_code: String,
    pub name_kk: Option<String>,
    pub name_ru: String,
    pub level: crate::reference::TerritoryLevel,
}

/// `GET /assignments/coverage`: the rural okrugs, towns and city territories of a
/// subtree, and those with no deputy assigned on `on`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "territory_id": 20,
    "on": "2026-02-03",
    "total": 12,
    "covered": 11,
    "uncovered": [
        {
            "territory_id": 21,
            "kato_code": "314830000",
            "name_kk": "Қордай ауылдық округі",
            "name_ru": "Кордайский с.о.",
            "level": "rural_okrug"
        }
    ]
})))]
pub struct AssignmentCoverage {
    pub territory_id: i64,
    pub on: NaiveDate,
    /// Territories that need a deputy.
    pub total: i64,
    pub covered: i64,
    pub uncovered: Vec<Gap>,
}
