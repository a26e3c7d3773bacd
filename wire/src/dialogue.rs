//! Dialogue platforms — debate clubs, public councils, business receptions, control
//! commission meetings (and mobile receptions, which may keep them too): the agenda of a
//! session, the protocol of proposals, and proposals taken under party control as
//! appeals. The session itself is a [`crate::receptions::Reception`] with its `kind`.

use serde::{Deserialize, Serialize};

use crate::appeals::{Appeal, CitizenInput};
use crate::enums::text_enum;

text_enum! {
    /// What became of a proposal.
    pub enum ProposalOutcome {
        /// Recorded; nothing decided yet.
        Open = "open",
        /// Taken under party control: an appeal follows it (`appeal_id`). Set only by
        /// `POST /receptions/{id}/proposals/{pid}/appeal`; final for the proposal, whose
        /// fate is then the appeal's status.
        UnderControl = "under_control",
        /// Accepted by the body it was addressed to.
        Accepted = "accepted",
        /// Turned down.
        Rejected = "rejected",
        /// Carried out.
        Implemented = "implemented",
    }
}

/// One topic on a session's agenda.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": 8,
    "position": 1,
    "title": "Ауылдағы ауыз су мәселесі",
    "description": "Самал шағын ауданына су құбырын тарту"
})))]
pub struct Topic {
    pub id: i64,
    /// 1, 2, 3, ... in agenda order.
    pub position: i64,
    pub title: String,
    pub description: Option<String>,
}

/// A topic as submitted: with `id` to keep (and edit) an existing topic, without to add one.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"id": null, "title": "Жастарды жұмыспен қамту", "description": null})))]
pub struct TopicInput {
    #[serde(default)]
    pub id: Option<i64>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
}

/// `GET /api/v1/receptions/{id}/agenda`; its `ETag` is the session's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "topics": [
        {
            "id": 8,
            "position": 1,
            "title": "Ауылдағы ауыз су мәселесі",
            "description": "Самал шағын ауданына су құбырын тарту"
        }
    ]
})))]
pub struct Agenda {
    pub topics: Vec<Topic>,
}

/// `PUT /api/v1/receptions/{id}/agenda`: the whole new agenda, in order. Topics left out
/// are removed, unless a proposal refers to them (409 `topic_in_use`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "topics": [
        {"id": 8, "title": "Ауылдағы ауыз су мәселесі", "description": null},
        {"id": null, "title": "Жастарды жұмыспен қамту", "description": null}
    ]
})))]
pub struct ReplaceAgenda {
    #[serde(default)]
    pub topics: Vec<TopicInput>,
}

/// A proposal in a session's protocol.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": 23,
    "reception_id": 57,
    "topic_id": 8,
    "text": "Включить строительство водопровода в мкр. Самал в бюджет 2027 года",
    "author": "ОО «Кордай жастары»",
    "outcome": "open",
    "outcome_note": null,
    "appeal_id": null,
    "created_at": "2026-04-20T07:30:00Z",
    "updated_at": "2026-04-20T07:30:00Z",
    "version": 1
})))]
pub struct Proposal {
    pub id: i64,
    pub reception_id: i64,
    /// The agenda topic it was made under.
    pub topic_id: Option<i64>,
    pub text: String,
    /// Who proposed it: a participant, an NGO, a resident.
    pub author: Option<String>,
    pub outcome: ProposalOutcome,
    pub outcome_note: Option<String>,
    /// The appeal that follows it, once taken under control.
    pub appeal_id: Option<i64>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i64,
}

/// `GET /api/v1/receptions/{id}/proposals`: the whole protocol, in the order recorded.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "items": [
        {
            "id": 23,
            "reception_id": 57,
            "topic_id": 8,
            "text": "Включить строительство водопровода в мкр. Самал в бюджет 2027 года",
            "author": "ОО «Кордай жастары»",
            "outcome": "open",
            "outcome_note": null,
            "appeal_id": null,
            "created_at": "2026-04-20T07:30:00Z",
            "updated_at": "2026-04-20T07:30:00Z",
            "version": 1
        }
    ]
})))]
pub struct ProposalList {
    pub items: Vec<Proposal>,
}

/// `POST /api/v1/receptions/{id}/proposals`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "topic_id": 8,
    "text": "Включить строительство водопровода в мкр. Самал в бюджет 2027 года",
    "author": "ОО «Кордай жастары»"
})))]
pub struct CreateProposal {
    /// A topic of this session's agenda.
    #[serde(default)]
    pub topic_id: Option<i64>,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub author: Option<String>,
}

/// `PATCH /api/v1/receptions/{id}/proposals/{pid}`: absent fields stay as they are;
/// `topic_id: null` detaches the proposal from its topic.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"outcome": "accepted", "outcome_note": "Акимат района включил объект в заявку на 2027 год"})))]
pub struct UpdateProposal {
    #[serde(default, deserialize_with = "crate::nullable::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>, nullable))]
    pub topic_id: Option<Option<i64>>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub author: Option<String>,
    /// `open`, `accepted`, `rejected` or `implemented`; `under_control` comes only from
    /// taking the proposal under control.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<ProposalOutcome>))]
    pub outcome: Option<String>,
    #[serde(default)]
    pub outcome_note: Option<String>,
}

/// `POST /api/v1/receptions/{id}/proposals/{pid}/appeal`: the appeal's own fields. The
/// channel is the session kind's and `reception_id` the session; `subject` and
/// `description` default to the proposal's text, the citizen to its author.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "category": "UTIL_WATER",
    "territory_id": 21,
    "language": "ru",
    "subject": "Водопровод в мкр. Самал, с. Кордай"
})))]
pub struct TakeUnderControl {
    /// A code from `GET /appeal-categories`.
    #[serde(default)]
    pub category: String,
    /// Where the problem is; inside the caller's territory.
    #[serde(default)]
    pub territory_id: Option<i64>,
    #[serde(default)]
    pub citizen: Option<CitizenInput>,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::appeals::Language))]
    pub language: String,
}

/// The proposal, now under control, and the appeal that follows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "proposal": {
        "id": 23,
        "reception_id": 57,
        "topic_id": 8,
        "text": "Включить строительство водопровода в мкр. Самал в бюджет 2027 года",
        "author": "ОО «Кордай жастары»",
        "outcome": "under_control",
        "outcome_note": null,
        "appeal_id": 1042,
        "created_at": "2026-04-20T07:30:00Z",
        "updated_at": "2026-04-20T07:30:00Z",
        "version": 2
    },
    "appeal": crate::common::example_of::<Appeal>()
})))]
pub struct TakenUnderControl {
    pub proposal: Proposal,
    pub appeal: Appeal,
}

/// How many proposals of a session have one outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"outcome": "open", "count": 2})))]
pub struct OutcomeCount {
    pub outcome: ProposalOutcome,
    pub count: i64,
}
