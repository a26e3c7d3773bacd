//! The party's cadre reserve: people proposed for mandates and posts.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::enums::text_enum;
use crate::personal::{PersonalIin, PersonalPhone};

text_enum! {
    /// Where a reserve candidate stands.
    pub enum CandidateStatus {
        /// Proposed.
        Candidate = "candidate",
        /// Approved by the party body.
        Approved = "approved",
        /// Appointed or elected.
        Appointed = "appointed",
        /// Left the reserve.
        Withdrawn = "withdrawn",
    }
}

/// A person in the cadre reserve. `iin` and `phone` are masked for callers who may not
/// see personal data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": 7,
    "full_name": "Әлиев Бауыржан Қайратұлы",
    "territory_id": 14,
    "iin": "8507******22",
    "phone": "+7 705 *** ** 41",
    "position": "Главный специалист отдела образования Байзакского района",
    "note": "Рекомендован районным филиалом",
    "status": "approved",
    "status_since": "2026-03-02",
    "created_at": "2026-02-16T04:00:00Z",
    "updated_at": "2026-03-02T06:00:00Z",
    "version": 2
})))]
pub struct Candidate {
    pub id: i64,
    pub full_name: String,
    pub territory_id: i64,
    /// Masked `8507******22` unless revealed.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub iin: Option<PersonalIin>,
    /// Masked `+7 701 *** ** 78` unless revealed.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub phone: Option<PersonalPhone>,
    pub position: Option<String>,
    pub note: Option<String>,
    pub status: CandidateStatus,
    pub status_since: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// `POST /reserve`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "full_name": "Әлиев Бауыржан Қайратұлы",
    "territory_id": 14,
    "iin": "850715300122",
    "phone": "+7 705 310 22 41",
    "position": "Главный специалист отдела образования Байзакского района",
    "note": "Рекомендован районным филиалом",
    "status": "candidate"
})))]
pub struct CreateCandidate {
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 300, pattern = r"\S")
    )]
    pub full_name: String,
    #[serde(default)]
    pub territory_id: Option<i64>,
    /// 12 digits with a valid checksum.
    #[serde(default)]
    pub iin: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub position: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub note: Option<String>,
    /// `candidate` when absent.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<CandidateStatus>))]
    pub status: Option<String>,
}

/// `PATCH /reserve/{id}`: absent fields stay; `null` clears the nullable ones.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"status": "appointed", "position": "Аким Сарыкемерского сельского округа", "note": null})))]
pub struct UpdateCandidate {
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 300, pattern = r"\S")
    )]
    pub full_name: Option<String>,
    #[serde(default, deserialize_with = "crate::nullable::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::nullable::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub iin: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::nullable::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub position: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::nullable::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub note: Option<Option<String>>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<CandidateStatus>))]
    pub status: Option<String>,
}
