//! Appeals: a citizen's request or complaint under party control.

use serde::{Deserialize, Serialize};

use crate::auth::ActorKind;
use crate::enums::text_enum;
use crate::personal::{PersonalEmail, PersonalIin, PersonalPhone};

text_enum! {
    /// Where an appeal stands. The lifecycle graph (which status may follow which) is
    /// the server's: each appeal lists the moves its reader may make in
    /// `allowed_transitions`.
    pub enum Status {
        /// Received and numbered; nobody has taken it up yet.
        Registered = "registered",
        /// Taken under the party's control.
        UnderControl = "under_control",
        /// Given to a responsible deputy or body.
        Assigned = "assigned",
        /// Being worked on.
        InProgress = "in_progress",
        /// Closed: the problem was solved.
        Resolved = "resolved",
        /// Closed: the citizen was given an explanation.
        Explained = "explained",
        /// Closed: refused, with reasons.
        Rejected = "rejected",
        /// Closed: sent on to the competent body (APPK art. 76).
        Forwarded = "forwarded",
        /// Taken back into work after it was closed.
        Reopened = "reopened",
    }
}

impl Status {
    /// Closed: an outcome was reached and no deadline runs any more.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            Status::Resolved | Status::Explained | Status::Rejected | Status::Forwarded
        )
    }
}

text_enum! {
    /// How an appeal reached the party.
    pub enum Channel {
        /// The public reception room of a branch office.
        ReceptionRoom = "reception_room",
        /// A mobile (visiting) reception in a settlement.
        MobileReception = "mobile_reception",
        /// A reception for entrepreneurs.
        BusinessReception = "business_reception",
        /// A debate club meeting.
        DebateClub = "debate_club",
        /// A public council meeting.
        PublicCouncil = "public_council",
        /// The website or a messenger.
        Online = "online",
        /// A telephone call.
        Phone = "phone",
        /// A paper letter.
        Letter = "letter",
        /// Forwarded from the state portal (eOtinish).
        StatePortal = "state_portal",
    }
}

text_enum! {
    /// The language a citizen wrote in, and is answered in.
    pub enum Language {
        /// Kazakh, the state language.
        Kazakh = "kk",
        /// Russian.
        Russian = "ru",
    }
}

text_enum! {
    /// The order of `GET /appeals`.
    pub enum AppealSort {
        /// Newest registration first (the default).
        Newest = "newest",
        /// Oldest registration first.
        Oldest = "oldest",
        /// Earliest deadline in force first; `-due` latest first.
        Due = "due", DueDesc = "-due",
        ReceivedAt = "received_at", ReceivedAtDesc = "-received_at",
        Status = "status", StatusDesc = "-status",
        /// By the territory's place in the tree (its path), so a district's settlements
        /// follow it.
        Territory = "territory", TerritoryDesc = "-territory",
        CreatedAt = "created_at", CreatedAtDesc = "-created_at",
        UpdatedAt = "updated_at", UpdatedAtDesc = "-updated_at",
    }
}

text_enum! {
    /// The file `GET /appeals/export` produces.
    pub enum ExportFormat {
        /// UTF-8 CSV with a byte-order mark, for any spreadsheet (the default).
        Csv = "csv",
        /// An Excel workbook with typed date columns.
        Xlsx = "xlsx",
    }
}

/// The citizen as submitted. Every field is optional here so that one response can
/// list every problem; the rules are: a full name unless the appeal is anonymous,
/// IIN 12 digits with a valid check digit, phone a Kazakhstan number.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "full_name": "Жұмабаева Айгүл Серікқызы",
    "iin": "920302401256",
    "phone": "+7 701 234 56 78",
    "email": "aigul.zhumabayeva@mail.kz",
    "address": "Тараз қ., Төле би к-сі, 45, 12 пәтер"
})))]
pub struct CitizenInput {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub full_name: Option<String>,
    /// ИИН/ЖСН: 12 digits with a valid check digit.
    #[serde(default)]
    pub iin: Option<String>,
    /// Any common spelling of a Kazakhstan number; stored as +7XXXXXXXXXX.
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = Email, max_length = 320))]
    pub email: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub address: Option<String>,
}

/// `POST /api/v1/appeals`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "channel": "reception_room",
    "category": "ROADS",
    "territory_id": 3,
    "reception_id": null,
    "anonymous": false,
    "threat_report": false,
    "citizen": {
        "full_name": "Жұмабаева Айгүл Серікқызы",
        "iin": "920302401256",
        "phone": "+7 701 234 56 78",
        "email": "aigul.zhumabayeva@mail.kz",
        "address": "Тараз қ., Төле би к-сі, 45, 12 пәтер"
    },
    "subject": "Төле би көшесіндегі жолды жөндеу",
    "description": "Тараз қаласы, Төле би көшесінде 40–60 үйлер аралығында асфальт бұзылып, терең шұңқырлар пайда болды. Жөндеу жұмыстарын жүргізуді сұраймыз.",
    "language": "kk",
    "received_at": "2026-02-02T04:15:00Z"
})))]
pub struct CreateAppeal {
    /// How the appeal arrived. (Text in Rust rather than [`Channel`]: a bad value is
    /// then listed in one 422 with every other bad field.)
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Channel))]
    pub channel: String,
    /// A code from `GET /appeal-categories`.
    #[serde(default)]
    pub category: String,
    /// Where the problem is; must be inside the caller's territory.
    #[serde(default)]
    pub territory_id: Option<i64>,
    #[serde(default)]
    pub reception_id: Option<i64>,
    /// No author given. Accepted only when `threat_report` is true (APPK art. 63 allows
    /// anonymous appeals only about threats to the state, public safety or offences).
    #[serde(default)]
    pub anonymous: bool,
    #[serde(default)]
    pub threat_report: bool,
    #[serde(default)]
    pub citizen: Option<CitizenInput>,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 300, pattern = r"\S")
    )]
    pub subject: String,
    /// Kazakh or Russian Cyrillic, up to 10,000 characters.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 10000, pattern = r"\S")
    )]
    pub description: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Language))]
    pub language: String,
    /// RFC 3339; defaults to now. Not in the future.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub received_at: Option<String>,
}

/// The citizen as shown: IIN, phone and email masked unless the caller may see
/// personal data in this view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "full_name": "Жұмабаева Айгүл Серікқызы",
    "iin": "9203******56",
    "phone": "+7 701 *** ** 78",
    "email": "a***@mail.kz",
    "address": "Тараз қ., Төле би к-сі, 45, 12 пәтер"
})))]
pub struct Citizen {
    pub full_name: Option<String>,
    /// Masked `8507******22` unless revealed.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub iin: Option<PersonalIin>,
    /// Masked `+7 701 *** ** 78` unless revealed.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub phone: Option<PersonalPhone>,
    /// Masked `a***@mail.kz` unless revealed.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub email: Option<PersonalEmail>,
    pub address: Option<String>,
}

/// An appeal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": 1042,
    "reg_number": "ZHA-2026-000123",
    "status": "assigned",
    "channel": "reception_room",
    "category": "ROADS",
    "territory_id": 3,
    "reception_id": null,
    "anonymous": false,
    "threat_report": false,
    "citizen": {
        "full_name": "Жұмабаева Айгүл Серікқызы",
        "iin": "9203******56",
        "phone": "+7 701 *** ** 78",
        "email": "a***@mail.kz",
        "address": "Тараз қ., Төле би к-сі, 45, 12 пәтер"
    },
    "personal_data_revealed": false,
    "subject": "Төле би көшесіндегі жолды жөндеу",
    "description": "Тараз қаласы, Төле би көшесінде 40–60 үйлер аралығында асфальт бұзылып, терең шұңқырлар пайда болды. Жөндеу жұмыстарын жүргізуді сұраймыз.",
    "language": "kk",
    "received_at": "2026-02-02T04:15:00Z",
    "registered_on": "2026-02-02",
    "due_on": "2026-02-23",
    "extended_due_on": null,
    "extension_reason": null,
    "deputy_id": 17,
    "assigned_body": "Тараз қаласы әкімдігінің жолаушылар көлігі және автомобиль жолдары бөлімі",
    "resolution": null,
    "resolved_at": null,
    "forwarded_to": null,
    "forwarded_on": null,
    "overdue": false,
    "allowed_transitions": ["in_progress", "resolved", "explained", "rejected", "forwarded"],
    "created_at": "2026-02-02T04:16:12Z",
    "updated_at": "2026-02-03T05:40:00Z",
    "version": 3
})))]
pub struct Appeal {
    pub id: i64,
    /// Human registration number, `<region>-<year>-<6 digits>`, gap-free per region and year.
    pub reg_number: String,
    pub status: Status,
    pub channel: Channel,
    pub category: String,
    pub territory_id: i64,
    pub reception_id: Option<i64>,
    pub anonymous: bool,
    pub threat_report: bool,
    pub citizen: Citizen,
    /// Whether IIN, phone and email are shown in full in this response.
    pub personal_data_revealed: bool,
    pub subject: String,
    pub description: String,
    pub language: Language,
    pub received_at: chrono::DateTime<chrono::Utc>,
    /// The first working day on or after receipt (Asia/Almaty), APPK art. 63.
    pub registered_on: chrono::NaiveDate,
    /// 15 working days from receipt, APPK art. 76 p. 1.
    pub due_on: chrono::NaiveDate,
    /// Set by an extension, at most 2 months from receipt (APPK art. 76 p. 2).
    pub extended_due_on: Option<chrono::NaiveDate>,
    #[cfg_attr(feature = "openapi", schema(max_length = 10000))]
    pub extension_reason: Option<String>,
    pub deputy_id: Option<i64>,
    pub assigned_body: Option<String>,
    pub resolution: Option<String>,
    pub resolved_at: Option<chrono::DateTime<chrono::Utc>>,
    pub forwarded_to: Option<String>,
    pub forwarded_on: Option<chrono::NaiveDate>,
    /// Derived on every read: open and past its (extended) deadline in Asia/Almaty.
    pub overdue: bool,
    /// The statuses this caller may move the appeal to now (empty for read-only callers).
    #[serde(default)]
    pub allowed_transitions: Vec<Status>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i64,
    /// Only in `updated_since` sync mode: the appeal was deleted (a tombstone).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
}

/// `PATCH /api/v1/appeals/{id}` (with `If-Match`). Absent fields stay unchanged. An
/// extension is `extended_due_on` with `extension_reason`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "extended_due_on": "2026-03-31",
    "extension_reason": "Жөндеу жұмыстары ауа райы жылынғанда, наурыз айында жүргізіледі"
})))]
pub struct UpdateAppeal {
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub territory_id: Option<i64>,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 300, pattern = r"\S")
    )]
    pub subject: Option<String>,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 10000, pattern = r"\S")
    )]
    pub description: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Language>))]
    pub language: Option<String>,
    /// Replaces the given citizen fields.
    #[serde(default)]
    pub citizen: Option<CitizenInput>,
    #[serde(default)]
    pub extended_due_on: Option<chrono::NaiveDate>,
    #[serde(default)]
    pub extension_reason: Option<String>,
}

/// `POST /api/v1/appeals/{id}/transitions` (with `If-Match`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "to": "assigned",
    "comment": "Передано депутату по избирательному округу № 5",
    "deputy_id": 17,
    "assigned_body": "Отдел пассажирского транспорта и автомобильных дорог акимата г. Тараз"
})))]
pub struct TransitionRequest {
    /// The target status.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Status))]
    pub to: String,
    #[serde(default)]
    pub comment: Option<String>,
    /// For `assigned`: the responsible deputy (and/or `assigned_body`).
    #[serde(default)]
    pub deputy_id: Option<i64>,
    #[serde(default)]
    pub assigned_body: Option<String>,
    /// Required for `resolved`, `explained`, `rejected`.
    #[serde(default)]
    pub resolution: Option<String>,
    /// Required for `forwarded`: the competent body.
    #[serde(default)]
    pub forwarded_to: Option<String>,
}

/// One entry of an appeal's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": 5120,
    "at": "2026-02-03T05:40:00Z",
    "actor_kind": "user",
    "actor_id": 5,
    "actor_label": "Нұрланов Данияр",
    "action": "transition",
    "from_status": "under_control",
    "to_status": "assigned",
    "comment": "Передано депутату по избирательному округу № 5",
    "details": {"deputy_id": 17}
})))]
pub struct AppealEvent {
    pub id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor_kind: ActorKind,
    pub actor_id: Option<i64>,
    pub actor_label: String,
    /// `created`, `transition`, `updated`, `extended`, `deleted`.
    pub action: String,
    pub from_status: Option<Status>,
    pub to_status: Option<Status>,
    pub comment: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub details: serde_json::Value,
}
