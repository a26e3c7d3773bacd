//! Webhooks: subscriptions that admins register, the events Baqylau sends them and the
//! record of every delivery attempt.

use serde::{Deserialize, Serialize};

use crate::enums::text_enum;

text_enum! {
    /// What a webhook can subscribe to. Each is written to the outbox in the same
    /// transaction as the change it reports.
    pub enum EventType {
        /// An appeal was registered (any channel: dashboard, reception, Open311).
        AppealCreated = "appeal.created",
        /// An appeal moved along its lifecycle (`data.from_status`, `data.to_status`).
        AppealStatusChanged = "appeal.status_changed",
        /// An appeal registered by mistake was removed.
        AppealDeleted = "appeal.deleted",
        /// A mobile reception was held.
        ReceptionHeld = "reception.held",
        /// Progress was reported on a road-map indicator.
        IndicatorProgress = "indicator.progress",
    }
}

text_enum! {
    /// Where one event's delivery to one webhook stands.
    pub enum DeliveryStatus {
        /// Not delivered yet; the worker retries it with exponential backoff.
        Pending = "pending",
        /// The receiver answered 2xx.
        Delivered = "delivered",
        /// Given up after the retry limit (or the webhook was removed).
        Failed = "failed",
    }
}

/// `POST /api/v1/webhooks`. Enumerated fields are strings so that every bad field is
/// reported at once.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "url": "https://crm.example.kz/hooks/baqylau",
    "secret": "s3cr3t-shared-with-the-receiver-0123",
    "event_types": ["appeal.created", "appeal.status_changed"],
    "territory_id": null,
    "active": true
})))]
pub struct CreateWebhook {
    /// Where events are POSTed: an `https` URL to a public address (`http`, and
    /// loopback, private or link-local addresses, only for hosts the operator
    /// allow-lists). Otherwise 422 `destination_not_allowed` or `https_required` on `url`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = "uri", max_length = 2000))]
    pub url: String,
    /// The HMAC-SHA256 key for `X-Baqylau-Signature`, 16 to 200 characters. Write-only:
    /// never returned.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 16, max_length = 200, write_only)
    )]
    pub secret: String,
    /// The events to send; at least one.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<EventType>, min_items = 1))]
    pub event_types: Vec<String>,
    /// Only events of this territory's subtree; `null` for every territory the caller sees.
    #[serde(default)]
    pub territory_id: Option<i64>,
    /// Defaults to true.
    #[serde(default)]
    pub active: Option<bool>,
}

/// A webhook as the API shows it (never the secret).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": 3,
    "url": "https://crm.example.kz/hooks/baqylau",
    "event_types": ["appeal.created", "appeal.status_changed"],
    "territory_id": null,
    "active": true,
    "created_at": "2026-11-30T08:00:00Z",
    "version": 1
})))]
pub struct WebhookView {
    pub id: i64,
    pub url: String,
    pub event_types: Vec<EventType>,
    pub territory_id: Option<i64>,
    pub active: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub version: i64,
}

/// One attempt to deliver an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "attempt": 1,
    "at": "2026-11-30T08:00:01Z",
    "status_code": 503,
    "error": "HTTP 503",
    "duration_ms": 12,
    "succeeded": false
})))]
pub struct AttemptView {
    /// 1 for the first attempt.
    pub attempt: i32,
    pub at: chrono::DateTime<chrono::Utc>,
    /// The receiver's HTTP status; `null` when no answer came (refused, timed out).
    pub status_code: Option<i32>,
    /// Why the attempt failed, when it did.
    pub error: Option<String>,
    pub duration_ms: i64,
    pub succeeded: bool,
}

/// One event's delivery to one webhook, with every attempt made so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": 41,
    "event_id": 120,
    "event_type": "appeal.created",
    "entity": "appeal",
    "entity_id": 7,
    "status": "delivered",
    "attempts": [
        {"attempt": 1, "at": "2026-11-30T08:00:01Z", "status_code": 503, "error": "HTTP 503", "duration_ms": 12, "succeeded": false},
        {"attempt": 2, "at": "2026-11-30T08:00:03Z", "status_code": 200, "error": null, "duration_ms": 9, "succeeded": true}
    ],
    "next_attempt_at": null,
    "created_at": "2026-11-30T08:00:01Z"
})))]
pub struct DeliveryView {
    pub id: i64,
    pub event_id: i64,
    pub event_type: EventType,
    pub entity: String,
    pub entity_id: i64,
    pub status: DeliveryStatus,
    pub attempts: Vec<AttemptView>,
    /// When the next attempt is due (pending deliveries only).
    pub next_attempt_at: Option<chrono::DateTime<chrono::Utc>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}
