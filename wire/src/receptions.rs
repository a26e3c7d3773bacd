//! Mobile public receptions: visits by deputies, Political Council members and officials
//! to remote settlements, where residents are heard and appeals are taken on site.

use serde::{Deserialize, Serialize};

use crate::appeals::{Appeal, CreateAppeal};
use crate::enums::text_enum;

text_enum! {
    /// The orders of `GET /receptions`: a key ascending, or descending with `-`.
    pub enum ReceptionSort {
        /// Newest planned first (the default).
        Newest = "newest",
        CreatedAt = "created_at", CreatedAtDesc = "-created_at",
        UpdatedAt = "updated_at", UpdatedAtDesc = "-updated_at",
        PlannedStart = "planned_start", PlannedStartDesc = "-planned_start",
        Title = "title", TitleDesc = "-title",
    }
}

text_enum! {
    /// What kind of dialogue platform the event is. A mobile reception visits villages;
    /// the others are sessions held in one place, with an agenda and a protocol of
    /// proposals. Appeals taken at an event get the channel of its kind (see
    /// `GET /receptions/{id}` and DOMAIN.md).
    pub enum ReceptionKind {
        /// A mobile public reception in remote settlements.
        MobileReception = "mobile_reception",
        /// A session of a debate club («Парасат»).
        DebateClub = "debate_club",
        /// A session of a territorial public council.
        PublicCouncil = "public_council",
        /// A reception for entrepreneurs.
        BusinessReception = "business_reception",
        /// A meeting of the party control commission with NGOs.
        ControlCommission = "control_commission",
    }
}

text_enum! {
    /// What `GET /receptions/{id}/report?format=csv|xlsx` writes.
    pub enum ReportSheet {
        /// The appeals taken (the default).
        Appeals = "appeals",
        /// The protocol: every proposal, its outcome and the appeal that follows it.
        Proposals = "proposals",
    }
}

text_enum! {
    /// Who organises the reception.
    pub enum ReceptionLevel {
        /// A district branch.
        District = "district",
        /// The regional branch.
        Regional = "regional",
        /// The republican mobile group.
        Republican = "republican",
    }
}

text_enum! {
    /// Where a reception stands. Each reception lists the moves its reader may make in
    /// `allowed_transitions`.
    pub enum ReceptionStatus {
        /// Scheduled.
        Planned = "planned",
        /// Took place; residents heard and a report written.
        Held = "held",
        /// Moved to other dates, to be planned again.
        Postponed = "postponed",
        /// Will not take place.
        Cancelled = "cancelled",
    }
}

text_enum! {
    /// What a participant does at the reception.
    pub enum ParticipantRole {
        /// A maslikhat deputy.
        Deputy = "deputy",
        /// A member of the party's Political Council.
        PoliticalCouncil = "political_council",
        /// A local executive official.
        Official = "official",
        /// Leads the meeting.
        Moderator = "moderator",
    }
}

/// Someone taking part in a reception.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "deputy_id": 17,
    "full_name": "Сәрсенбаев Ерлан Болатұлы",
    "position": "Депутат Таразского городского маслихата",
    "role": "deputy"
})))]
pub struct Participant {
    /// The deputy record, when the participant is a deputy.
    pub deputy_id: Option<i64>,
    pub full_name: String,
    pub position: Option<String>,
    pub role: ParticipantRole,
}

/// A participant as submitted.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "deputy_id": null,
    "full_name": "Омарова Гүлнар Әбдіқадырқызы",
    "position": "Заместитель акима Кордайского района",
    "role": "official"
})))]
pub struct ParticipantInput {
    #[serde(default)]
    pub deputy_id: Option<i64>,
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub position: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = ParticipantRole))]
    pub role: String,
}

/// `GET /api/v1/receptions/{id}/participants`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "participants": [
        {
            "deputy_id": 17,
            "full_name": "Сәрсенбаев Ерлан Болатұлы",
            "position": "Депутат Таразского городского маслихата",
            "role": "deputy"
        },
        {
            "deputy_id": null,
            "full_name": "Омарова Гүлнар Әбдіқадырқызы",
            "position": "Заместитель акима Кордайского района",
            "role": "official"
        }
    ]
})))]
pub struct ParticipantList {
    pub participants: Vec<Participant>,
}

/// `PUT /api/v1/receptions/{id}/participants`: the whole new list.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
// The same list as the one read back.
#[cfg_attr(feature = "openapi", schema(example = json!(crate::common::example_of::<ParticipantList>())))]
pub struct ReplaceParticipants {
    #[serde(default)]
    pub participants: Vec<ParticipantInput>,
}

/// What a held reception reports.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "summary": "Принято 14 жителей, зарегистрировано 6 обращений.",
    "issues_raised": ["Ремонт дороги по ул. Жібек жолы", "Перебои с питьевой водой в микрорайоне Самал"]
})))]
pub struct ReceptionReport {
    #[serde(default)]
    pub summary: Option<String>,
    /// The issues residents raised, one per item.
    #[serde(default)]
    pub issues_raised: Vec<String>,
}

/// A mobile reception, or a session of another dialogue platform (`kind`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": 56,
    "kind": "mobile_reception",
    "title": "Көшпелі қабылдау: Қордай ауылдық округі",
    "level": "district",
    "territory_id": 20,
    "settlement_ids": [21, 22],
    "planned_start": "2026-04-14T05:00:00Z",
    "planned_end": "2026-04-14T09:00:00Z",
    "venue": "Қордай а., Мәдениет үйі, Жібек жолы к-сі, 112",
    "status": "planned",
    "participants": [
        {
            "deputy_id": 17,
            "full_name": "Сәрсенбаев Ерлан Болатұлы",
            "position": "Депутат Таразского городского маслихата",
            "role": "deputy"
        },
        {
            "deputy_id": null,
            "full_name": "Омарова Гүлнар Әбдіқадырқызы",
            "position": "Заместитель акима Кордайского района",
            "role": "official"
        }
    ],
    "residents_heard": null,
    "report": null,
    "allowed_transitions": ["held", "postponed", "cancelled"],
    "created_at": "2026-03-25T06:00:00Z",
    "updated_at": "2026-03-25T06:00:00Z",
    "version": 1,
    "deleted": false
})))]
pub struct Reception {
    pub id: i64,
    pub kind: ReceptionKind,
    pub title: String,
    pub level: ReceptionLevel,
    /// The organiser.
    pub territory_id: i64,
    /// The settlements and rural okrugs visited.
    pub settlement_ids: Vec<i64>,
    pub planned_start: chrono::DateTime<chrono::Utc>,
    pub planned_end: chrono::DateTime<chrono::Utc>,
    pub venue: Option<String>,
    pub status: ReceptionStatus,
    pub participants: Vec<Participant>,
    pub residents_heard: Option<i64>,
    /// Present once the reception is held.
    pub report: Option<ReceptionReport>,
    /// The statuses the caller could move it to now.
    pub allowed_transitions: Vec<ReceptionStatus>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i64,
    /// A tombstone in sync mode (`updated_since`).
    pub deleted: bool,
}

/// `POST /api/v1/receptions`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "kind": "mobile_reception",
    "title": "Көшпелі қабылдау: Қордай ауылдық округі",
    "level": "district",
    "territory_id": 20,
    "settlement_ids": [21, 22],
    "planned_start": "2026-04-14T10:00:00+05:00",
    "planned_end": "2026-04-14T14:00:00+05:00",
    "venue": "Қордай а., Мәдениет үйі, Жібек жолы к-сі, 112",
    "participants": [
        {
            "deputy_id": 17,
            "full_name": "Сәрсенбаев Ерлан Болатұлы",
            "position": "Депутат Таразского городского маслихата",
            "role": "deputy"
        },
        {
            "deputy_id": null,
            "full_name": "Омарова Гүлнар Әбдіқадырқызы",
            "position": "Заместитель акима Кордайского района",
            "role": "official"
        }
    ]
})))]
pub struct CreateReception {
    /// Absent: `mobile_reception`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<ReceptionKind>))]
    pub kind: Option<String>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = ReceptionLevel))]
    pub level: String,
    /// The organiser; inside the caller's territory.
    #[serde(default)]
    pub territory_id: Option<i64>,
    /// Rural okrugs, towns or settlements inside the organiser's territory.
    #[serde(default)]
    pub settlement_ids: Vec<i64>,
    /// RFC 3339.
    #[serde(default)]
    pub planned_start: Option<String>,
    /// RFC 3339, after `planned_start`.
    #[serde(default)]
    pub planned_end: Option<String>,
    #[serde(default)]
    pub venue: Option<String>,
    #[serde(default)]
    pub participants: Vec<ParticipantInput>,
}

/// `PATCH /api/v1/receptions/{id}`: absent fields stay as they are. Dates change here
/// only while the reception is planned; otherwise through a transition.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "venue": "Қордай а., №3 мектеп, акт залы",
    "planned_start": "2026-04-14T11:00:00+05:00",
    "planned_end": "2026-04-14T15:00:00+05:00"
})))]
pub struct UpdateReception {
    /// Changes only while no appeal names the event (their channel follows the kind).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<ReceptionKind>))]
    pub kind: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<ReceptionLevel>))]
    pub level: Option<String>,
    #[serde(default)]
    pub settlement_ids: Option<Vec<i64>>,
    #[serde(default)]
    pub planned_start: Option<String>,
    #[serde(default)]
    pub planned_end: Option<String>,
    #[serde(default)]
    pub venue: Option<String>,
}

/// `POST /api/v1/receptions/{id}/transitions`: `held` needs `residents_heard` and a
/// `report`; `postponed` may give new dates and `planned` (from postponed) must.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "to": "held",
    "residents_heard": 14,
    "report": {
        "summary": "Принято 14 жителей, зарегистрировано 6 обращений.",
        "issues_raised": ["Ремонт дороги по ул. Жібек жолы", "Перебои с питьевой водой в микрорайоне Самал"]
    },
    "comment": "Прием проведен по плану"
})))]
pub struct ReceptionTransition {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = ReceptionStatus))]
    pub to: String,
    #[serde(default)]
    pub residents_heard: Option<i64>,
    #[serde(default)]
    pub report: Option<ReceptionReport>,
    #[serde(default)]
    pub planned_start: Option<String>,
    #[serde(default)]
    pub planned_end: Option<String>,
    #[serde(default)]
    pub comment: Option<String>,
}

/// `POST /api/v1/receptions/{id}/appeals`: appeals taken on site, all or none.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"appeals": [crate::common::example_of::<crate::appeals::CreateAppeal>()]})))]
pub struct CaptureAppeals {
    #[serde(default)]
    pub appeals: Vec<CreateAppeal>,
}

/// The appeals a batch registered, in the order they were sent.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"items": [crate::common::example_of::<Appeal>()]})))]
pub struct CapturedAppeals {
    pub items: Vec<Appeal>,
}

/// How many appeals taken at a reception are in one status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"status": "in_progress", "count": 4})))]
pub struct StatusCount {
    pub status: crate::appeals::Status,
    pub count: i64,
}

/// `GET /api/v1/receptions/{id}/report`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "reception": crate::common::example_of::<Reception>(),
    "appeals_taken": 6,
    "by_status": [{"status": "in_progress", "count": 4}, {"status": "resolved", "count": 2}],
    "resolved_share": 33.3,
    "overdue": [],
    "topics": 2,
    "proposals": 3,
    "proposals_by_outcome": [{"outcome": "open", "count": 2}, {"outcome": "under_control", "count": 1}],
    "appeals_from_proposals": 1,
    "proposal_appeals_by_status": [{"status": "in_progress", "count": 1}]
})))]
pub struct ReceptionSummary {
    pub reception: Reception,
    /// Appeals taken at the reception.
    pub appeals_taken: i64,
    pub by_status: Vec<StatusCount>,
    /// Resolved appeals as a percentage of those taken, one decimal (0 when none).
    pub resolved_share: f64,
    /// Open appeals past their deadline in force, as of today.
    pub overdue: Vec<Appeal>,
    /// Topics on the agenda.
    pub topics: i64,
    /// Proposals in the protocol.
    pub proposals: i64,
    /// Proposals per outcome, in the outcomes' order; outcomes with none are left out.
    pub proposals_by_outcome: Vec<crate::dialogue::OutcomeCount>,
    /// Appeals created by taking proposals under control (a subset of `appeals_taken`).
    pub appeals_from_proposals: i64,
    /// Those appeals per status.
    pub proposal_appeals_by_status: Vec<StatusCount>,
}

/// A settlement or okrug no held reception reached in the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "territory_id": 22,
    "kato_code": "314830100",
    "name_ru": "с.Кордай",
    "name_kk": "Қордай ауылы",
    "level": "settlement"
})))]
pub struct Unvisited {
    pub territory_id: i64,
    pub kato_code: String,
    pub name_ru: String,
    pub name_kk: Option<String>,
    pub level: crate::reference::TerritoryLevel,
}

/// `GET /api/v1/receptions/coverage`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "territory_id": 20,
    "months": 6,
    "since": "2025-10-01",
    "unvisited": [
        {
            "territory_id": 22,
            "kato_code": "314830100",
            "name_ru": "с.Кордай",
            "name_kk": "Қордай ауылы",
            "level": "settlement"
        }
    ]
})))]
pub struct Coverage {
    pub territory_id: i64,
    pub months: u32,
    /// The first day of the period (Asia/Almaty); it runs to today.
    pub since: chrono::NaiveDate,
    pub unvisited: Vec<Unvisited>,
}
