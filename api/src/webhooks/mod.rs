//! Webhooks: subscriptions admins register, and the record of what was sent to them.
//!
//! How an event travels (README, "Webhooks"):
//! 1. A change writes its event to `outbox_events` in its own transaction
//!    (`kit::outbox`, called by `kit::write::Tx::record`).
//! 2. The worker ([`worker`]) of any server process fans each event out to the matching
//!    subscriptions (one `webhook_deliveries` row each), then claims due deliveries with a
//!    lease, POSTs them signed ([`sign`]) and records every attempt in
//!    `webhook_attempts`. Failures are retried with exponential backoff up to a limit.
//!    Nothing lives only in memory: a process that dies mid-delivery leaves a lease that
//!    expires, and another process (or the same one restarted) delivers the event.
//! 3. Order per object: a delivery is not attempted while an earlier event of the same
//!    object is still pending for the same webhook.
//!
//! SSRF: a webhook may reach only public addresses over `https`, unless its host is on
//! the operator's allow-list (`BAQYLAU_WEBHOOK_ALLOW_HOSTS`; `domain::destination`).
//! The URL is judged at registration (422 `destination_not_allowed`/`https_required` on
//! `url`) and again at every delivery, where every address its name resolves to is
//! checked and only those are connected to ([`send`]). Only admins (`webhooks.manage`,
//! never an API key) can register them, responses of receivers are never shown beyond
//! their status code, and URLs with credentials are refused.

pub mod send;
pub mod sign;
pub mod worker;

use baqylau_wire::webhooks::{
    AttemptView, CreateWebhook, DeliveryStatus, DeliveryView, EventType, WebhookView,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::audit;
use crate::auth::{self, Caller, Permission};
use crate::db::schema::{outbox_events, webhook_attempts, webhook_deliveries, webhooks};
use crate::db::DbConn;
use crate::domain::destination::{self, AllowHosts};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::kit::clock::Clock;
use crate::kit::create::{Create, Made};
use crate::kit::list::{PageRequest, Slice};
use crate::kit::op::Cx;
use crate::kit::write::{self, Change, Tx};

crate::versioned!(WebhookRows, webhooks, "webhook");

/// The columns of a webhook the API shows (never the secret).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhooks)]
pub struct WebhookRow {
    pub id: i64,
    pub url: String,
    pub event_types: String,
    pub territory_id: Option<i64>,
    pub territory_path: Option<String>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub version: i64,
}

/// What the audit trail keeps of a webhook (the secret never).
#[derive(Serialize)]
struct Snapshot<'a> {
    url: &'a str,
    event_types: &'a str,
    territory_id: Option<i64>,
    active: bool,
}

pub fn view(row: WebhookRow) -> ApiResult<WebhookView> {
    Ok(WebhookView {
        id: row.id,
        url: row.url,
        event_types: row
            .event_types
            .split_whitespace()
            .map(|s| crate::db::enum_column("webhooks", "event_types", s))
            .collect::<QueryResult<_>>()?,
        territory_id: row.territory_id,
        active: row.active,
        created_at: row.created_at.and_utc(),
        version: row.version,
    })
}

/// A webhook the caller may manage, removed or not, and whether it was removed (404
/// otherwise: a nationwide webhook is outside every territory-bound caller's reach).
/// Removed webhooks keep their delivery record.
fn visible(conn: &mut DbConn, caller: &Caller, id: i64) -> ApiResult<(WebhookRow, bool)> {
    let (row, deleted_at) = webhooks::table
        .find(id)
        .select((WebhookRow::as_select(), webhooks::deleted_at))
        .first::<(WebhookRow, Option<NaiveDateTime>)>(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    if !caller.covers(row.territory_path.as_deref()) {
        return Err(ApiError::NotFound);
    }
    Ok((row, deleted_at.is_some()))
}

/// `http`/`https`, a host, no credentials, at most 2000 characters, and a destination
/// webhooks may reach (`domain::destination::vet`).
fn check_url(raw: &str, allow: &AllowHosts, errors: &mut Vec<FieldError>) -> String {
    let raw = raw.trim();
    let bad = |errors: &mut Vec<FieldError>, code: &str, message: &str| {
        errors.push(FieldError::new("url", code, message));
    };
    if raw.is_empty() {
        bad(errors, "required", "give the receiver's URL");
        return String::new();
    }
    if raw.chars().count() > 2000 {
        bad(errors, "too_long", "at most 2000 characters");
        return String::new();
    }
    match url::Url::parse(raw) {
        Ok(url) if !matches!(url.scheme(), "http" | "https") => {
            bad(errors, "scheme", "only http and https URLs are accepted")
        }
        Ok(url) if url.host_str().is_none_or(str::is_empty) => {
            bad(errors, "invalid", "the URL needs a host")
        }
        Ok(url) if !url.username().is_empty() || url.password().is_some() => bad(
            errors,
            "credentials",
            "no credentials in the URL: receivers authenticate Baqylau by its signature",
        ),
        Ok(url) => {
            if let Err(refused) = destination::vet(&url, allow) {
                bad(errors, refused.code, &refused.message);
            }
        }
        Err(_) => bad(errors, "invalid", "not a URL"),
    }
    raw.to_owned()
}

/// Registering a webhook (`POST /webhooks`), its destination vetted against these
/// allow-listed hosts. The secret is stored for signing and never shown, so a replay
/// answers exactly as the first request did.
pub struct Register {
    pub allow: AllowHosts,
}

/// A webhook ready to be stored.
pub struct NewWebhook {
    url: String,
    secret: String,
    types: Vec<&'static str>,
    territory_id: Option<i64>,
    territory_path: Option<String>,
    active: bool,
}

crate::creation!(Register: CreateWebhook => NewWebhook => WebhookView,
    kind WebhookRows::ENTITY.name, needs WebhooksManage);

impl Create for Register {
    fn check(&self, cx: &mut Cx, input: &CreateWebhook) -> ApiResult<NewWebhook> {
        let (conn, caller, _) = cx.parts();
        let mut errors = Vec::new();
        let url = check_url(&input.url, &self.allow, &mut errors);
        let secret_len = input.secret.chars().count();
        if !(16..=200).contains(&secret_len) {
            errors.push(FieldError::new("secret", "length", "16 to 200 characters"));
        }
        let types = crate::kit::validate::enum_set(
            "event_types",
            &input.event_types,
            "event type",
            EventType::as_str,
            &mut errors,
        );
        let (territory_id, territory_path) = match input.territory_id {
            Some(tid) => (
                Some(tid),
                auth::check_territory(conn, caller, "territory_id", tid, &mut errors)?,
            ),
            // A territory-bound admin's webhooks see only its subtree.
            None => (
                caller.territory.as_ref().map(|t| t.id),
                caller.territory.as_ref().map(|t| t.path.clone()),
            ),
        };
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        Ok(NewWebhook {
            url,
            secret: input.secret.clone(),
            types,
            territory_id,
            territory_path,
            active: input.active.unwrap_or(true),
        })
    }

    fn insert(&self, tx: &mut Tx<'_>, caller: &Caller, new: &NewWebhook) -> ApiResult<i64> {
        let now = tx.now();
        let after_event_id: Option<i64> = outbox_events::table
            .select(diesel::dsl::max(outbox_events::id))
            .first(tx.conn())?;
        let joined = new.types.join(" ");
        let id: i64 = diesel::insert_into(webhooks::table)
            .values((
                webhooks::url.eq(&new.url),
                webhooks::secret.eq(&new.secret),
                webhooks::event_types.eq(&joined),
                webhooks::territory_id.eq(new.territory_id),
                webhooks::territory_path.eq(&new.territory_path),
                webhooks::active.eq(new.active),
                webhooks::after_event_id.eq(after_event_id.unwrap_or(0)),
                webhooks::created_by.eq(caller.user_id()),
                webhooks::created_at.eq(now),
                webhooks::updated_at.eq(now),
            ))
            .returning(webhooks::id)
            .get_result(tx.conn())?;
        let snapshot = Snapshot {
            url: &new.url,
            event_types: &joined,
            territory_id: new.territory_id,
            active: new.active,
        };
        tx.record(Change::unlogged(
            WebhookRows::ENTITY,
            id,
            "create",
            audit::diff(None, Some(&snapshot), &[]),
        ))?;
        Ok(id)
    }

    fn view(&self, cx: &mut Cx, id: i64, _: Option<&NewWebhook>) -> ApiResult<Made<WebhookView>> {
        let (conn, caller, _) = cx.parts();
        let (row, _) = visible(conn, caller, id)?;
        Ok(Made::unversioned(
            view(row)?,
            format!("/api/v1/webhooks/{id}"),
        ))
    }
}

use crate::kit::write::Versioned as _;

/// Live webhooks of the caller's subtree, newest first.
pub fn list(
    conn: &mut DbConn,
    caller: &Caller,
    page: &PageRequest<i64>,
) -> ApiResult<Slice<WebhookView, i64>> {
    caller.authorize(Permission::WebhooksManage)?;
    let filtered = || -> ApiResult<_> {
        let query = webhooks::table
            .filter(webhooks::deleted_at.is_null())
            .select(WebhookRow::as_select())
            .into_boxed();
        Ok(crate::within_scope!(
            query,
            webhooks::territory_path.assume_not_null(),
            caller
        ))
    };
    crate::collect_by_id!(conn, page, WebhookRow, webhooks::id, desc, filtered()).try_map(view)
}

/// Removes a webhook: nothing more is sent to it, and its pending deliveries are given
/// up (recorded as failed). Removing a removed webhook changes nothing, so a retried
/// removal is harmless.
pub fn remove(conn: &mut DbConn, caller: &Caller, clock: &Clock, id: i64) -> ApiResult<()> {
    caller.authorize(Permission::WebhooksManage)?;
    let (before, removed) = visible(conn, caller, id)?;
    if removed {
        return Ok(());
    }
    write::write(conn, &caller.audit_actor(), clock, |tx| {
        tx.bump::<WebhookRows>(id, before.version)?;
        let now = tx.now();
        diesel::update(webhooks::table.find(id))
            .set((webhooks::deleted_at.eq(now), webhooks::active.eq(false)))
            .execute(tx.conn())?;
        diesel::update(
            webhook_deliveries::table
                .filter(webhook_deliveries::webhook_id.eq(id))
                .filter(webhook_deliveries::status.eq(DeliveryStatus::Pending.as_str())),
        )
        .set((
            webhook_deliveries::status.eq(DeliveryStatus::Failed.as_str()),
            webhook_deliveries::finished_at.eq(now),
            webhook_deliveries::lease_until.eq(None::<NaiveDateTime>),
        ))
        .execute(tx.conn())?;
        tx.record(Change::unlogged(
            WebhookRows::ENTITY,
            id,
            "delete",
            serde_json::json!({"url": before.url}),
        ))
    })
}

/// A delivery as listed: id, event id, event type, entity, entity id, status, next
/// attempt, created.
type DeliveryRow = (
    i64,
    i64,
    String,
    String,
    i64,
    String,
    NaiveDateTime,
    NaiveDateTime,
);

/// A webhook's deliveries, newest event first, each with every attempt made.
pub fn deliveries(
    conn: &mut DbConn,
    caller: &Caller,
    id: i64,
    page: &PageRequest<i64>,
) -> ApiResult<Slice<DeliveryView, i64>> {
    caller.authorize(Permission::WebhooksManage)?;
    visible(conn, caller, id)?;
    let of_webhook = || -> ApiResult<_> {
        Ok(webhook_deliveries::table
            .inner_join(outbox_events::table)
            .filter(webhook_deliveries::webhook_id.eq(id))
            .select((
                webhook_deliveries::id,
                webhook_deliveries::event_id,
                outbox_events::event_type,
                webhook_deliveries::entity,
                webhook_deliveries::entity_id,
                webhook_deliveries::status,
                webhook_deliveries::next_attempt_at,
                webhook_deliveries::created_at,
            ))
            .into_boxed())
    };
    let slice = crate::collect_by_id!(
        conn,
        page,
        DeliveryRow,
        webhook_deliveries::id,
        desc,
        of_webhook(),
        |r| r.0
    );
    let ids: Vec<i64> = slice.items.iter().map(|r| r.0).collect();
    let attempts: Vec<(
        i64,
        i32,
        NaiveDateTime,
        Option<i32>,
        Option<String>,
        i64,
        bool,
    )> = webhook_attempts::table
        .filter(webhook_attempts::delivery_id.eq_any(&ids))
        .order((webhook_attempts::delivery_id, webhook_attempts::attempt))
        .select((
            webhook_attempts::delivery_id,
            webhook_attempts::attempt,
            webhook_attempts::at,
            webhook_attempts::status_code,
            webhook_attempts::error,
            webhook_attempts::duration_ms,
            webhook_attempts::succeeded,
        ))
        .load(conn)?;
    slice.try_map(|r| {
        let status: DeliveryStatus = crate::db::enum_column("webhook_deliveries", "status", &r.5)?;
        Ok::<_, ApiError>(DeliveryView {
            id: r.0,
            event_id: r.1,
            event_type: crate::db::enum_column("outbox_events", "event_type", &r.2)?,
            entity: r.3,
            entity_id: r.4,
            status,
            attempts: attempts
                .iter()
                .filter(|a| a.0 == r.0)
                .map(|a| AttemptView {
                    attempt: a.1,
                    at: a.2.and_utc(),
                    status_code: a.3,
                    error: a.4.clone(),
                    duration_ms: a.5,
                    succeeded: a.6,
                })
                .collect(),
            next_attempt_at: (status == DeliveryStatus::Pending).then(|| r.6.and_utc()),
            created_at: r.7.and_utc(),
        })
    })
}

#[cfg(test)]
mod tests {
    use baqylau_wire::webhooks::EventType;

    use crate::appeals::AppealRows;
    use crate::kit::write::{Entity, Versioned};
    use crate::receptions::ReceptionRows;
    use crate::roadmaps::IndicatorRows;
    use crate::users::UserRows;

    fn event(entity: Entity, action: &str, to: Option<&str>) -> Option<EventType> {
        entity.publish.and_then(|p| (p.event)(action, to))
    }

    /// Each event a webhook can subscribe to is published by some table's declaration.
    #[test]
    fn every_event_type_has_a_change() {
        let mapped = [
            event(AppealRows::ENTITY, "create", Some("registered")),
            event(AppealRows::ENTITY, "transition", Some("closed")),
            event(AppealRows::ENTITY, "delete", None),
            event(ReceptionRows::ENTITY, "transition", Some("held")),
            event(IndicatorRows::ENTITY, "progress", Some("done")),
        ];
        for kind in EventType::ALL {
            assert!(mapped.contains(&Some(kind)), "{kind} is never published");
        }
        assert_eq!(
            event(ReceptionRows::ENTITY, "transition", Some("cancelled")),
            None
        );
        assert_eq!(event(AppealRows::ENTITY, "update", None), None);
        assert_eq!(event(UserRows::ENTITY, "create", None), None);
    }
}
