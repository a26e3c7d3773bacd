//! The delivery worker. Every server process runs one (unless told not to); they share
//! the work through the database alone, so any number of processes on one PostgreSQL
//! (or one SQLite file) deliver each event at least once, and none holds a global lock:
//!
//! - **Fan-out**: a batch of events not yet fanned out is marked in one short transaction
//!   (`UPDATE … SET fanned_out_at WHERE fanned_out_at IS NULL RETURNING`: the row locks
//!   decide which process gets which), which also inserts one pending delivery per
//!   matching webhook.
//! - **Claim**: due deliveries whose lease is free, and with no earlier pending event of
//!   the same object for the same webhook, are leased (`lease_until`, `lease_owner`) by one
//!   guarded UPDATE; the attempt is counted and recorded before anything is sent, as
//!   "no outcome recorded" until the answer arrives.
//! - **Send**: the destination vetted again (`domain::destination`), then a signed POST
//!   with timeouts ([`super::send`]); redirects are not followed.
//! - **Record**: the attempt's outcome; the delivery becomes `delivered`, `failed` after
//!   the retry limit, or waits `backoff · 2^(attempt-1)` (capped). A process that died
//!   mid-delivery leaves a lease that expires; the delivery is then claimed again.
//!
//! Rounds follow each other while there is work; an idle worker is woken by a write of
//! its own process (`Db::outbox_written`) or its poll, whichever comes first. Time is
//! the application's [`Clock`].

use std::time::Duration;

use baqylau_wire::webhooks::DeliveryStatus;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::{json, Value};

use super::send::{self, Outcome};
use super::sign;
use crate::config::WebhookArgs;
use crate::db::schema::{outbox_events, webhook_attempts, webhook_deliveries, webhooks};
use crate::db::{compat, Db, DbConn};
use crate::domain::destination::{vet, AllowHosts};
use crate::error::{ApiError, ApiResult};
use crate::kit::clock::Clock;

const PENDING: &str = DeliveryStatus::Pending.as_str();

/// How the worker paces itself (from [`WebhookArgs`]).
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    pub max_attempts: i32,
    pub backoff: Duration,
    pub backoff_cap: Duration,
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Extra trusted CAs for `https` receivers (`SSL_CERT_FILE`).
    pub ca_file: Option<std::path::PathBuf>,
    /// Hosts that may be private or plain `http` (`BAQYLAU_WEBHOOK_ALLOW_HOSTS`).
    pub allow: AllowHosts,
    pub lease: Duration,
    pub poll: Duration,
    /// Events fanned out per round (one transaction).
    pub fan_out_batch: i64,
    /// Deliveries claimed, and attempted concurrently, per round.
    pub batch: i64,
}

impl From<&WebhookArgs> for WorkerConfig {
    fn from(args: &WebhookArgs) -> WorkerConfig {
        let timeout = Duration::from_millis(args.webhook_timeout_ms.max(100));
        WorkerConfig {
            max_attempts: args.webhook_max_attempts.max(1),
            backoff: Duration::from_millis(args.webhook_backoff_ms.max(1)),
            backoff_cap: Duration::from_secs(args.webhook_backoff_cap_secs.max(1)),
            timeout,
            connect_timeout: Duration::from_millis(args.webhook_connect_timeout_ms.max(100))
                .min(timeout),
            ca_file: args.webhook_ca_file.clone(),
            allow: args.webhook_allow_hosts.clone(),
            // The lease outlives the request, or a slow receiver would get the same
            // event from two processes at once.
            lease: Duration::from_millis(args.webhook_lease_ms)
                .max(timeout + Duration::from_secs(1)),
            poll: Duration::from_millis(args.webhook_poll_ms.max(10)),
            fan_out_batch: 500,
            batch: 50,
        }
    }
}

impl WorkerConfig {
    fn client(&self) -> send::ClientConfig {
        send::ClientConfig {
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
            ca_file: self.ca_file.clone(),
        }
    }

    /// The wait after failed attempt number `attempt` (1-based).
    pub fn backoff_after(&self, attempt: i32) -> Duration {
        let exponent = (attempt.max(1) - 1).min(30) as u32;
        self.backoff
            .saturating_mul(2u32.saturating_pow(exponent))
            .min(self.backoff_cap)
    }
}

pub struct Worker {
    db: Db,
    config: WorkerConfig,
    /// This worker's name in leases: unique per process start.
    owner: String,
    clients: send::Clients,
    /// "Now" for leases, due times, attempts and signatures (`AppState`'s clock).
    clock: Clock,
}

/// One claimed delivery: the attempt recorded for it, and what it takes to send it.
struct Claimed {
    attempt_id: i64,
    delivery: Due,
}

/// A delivery as read when claimed (its attempts already counted), with its webhook's
/// address and secret and its event.
#[derive(Queryable)]
struct Due {
    delivery_id: i64,
    attempt: i32,
    url: String,
    secret: String,
    event_id: i64,
    event_type: String,
    entity: String,
    entity_id: i64,
    payload: String,
    occurred_at: NaiveDateTime,
}

fn add(t: NaiveDateTime, d: Duration) -> NaiveDateTime {
    t + chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

impl Worker {
    pub fn new(db: Db, config: WorkerConfig, clock: Clock) -> anyhow::Result<Worker> {
        use rand::Rng;
        let clients = send::Clients::new(&config.client())?;
        let owner = format!(
            "{}-{:016x}",
            std::process::id(),
            rand::thread_rng().gen::<u64>()
        );
        Ok(Worker {
            db,
            config,
            owner,
            clients,
            clock,
        })
    }

    /// Works until the future is dropped (the server stopping drops it): rounds follow
    /// each other while there is work, so a backlog drains at the receivers' pace; then
    /// the worker waits for a write of this process to commit an event
    /// ([`Db::outbox_written`]) or, for events written by other processes, the poll.
    pub async fn run(self) {
        loop {
            match self.round().await {
                Ok(0) => {}
                Ok(_) => continue,
                Err(error) => tracing::warn!(error = %error, "webhook worker round failed"),
            }
            tokio::select! {
                () = self.db.outbox_written() => {}
                () = tokio::time::sleep(self.config.poll) => {}
            }
        }
    }

    /// One round: fan out new events, claim due deliveries and attempt them. Returns how
    /// much it found to do (events fanned out or found taken, deliveries attempted).
    pub async fn round(&self) -> ApiResult<usize> {
        let (fan_out_batch, batch) = (self.config.fan_out_batch, self.config.batch);
        let now = self.clock.now_stored();
        let seen = self
            .db
            .run(move |conn| fan_out(conn, now, fan_out_batch))
            .await?;
        let owner = self.owner.clone();
        let lease = self.config.lease;
        let now = self.clock.now_stored();
        let claimed = self
            .db
            .run(move |conn| claim(conn, now, &owner, lease, batch))
            .await?;
        let count = claimed.len();
        futures_util::future::join_all(claimed.into_iter().map(|c| self.attempt(c))).await;
        Ok(seen + count)
    }

    async fn attempt(&self, claimed: Claimed) {
        let outcome = self.send(&claimed.delivery).await;
        let owner = self.owner.clone();
        let config = self.config.clone();
        let delivery = claimed.delivery.delivery_id;
        let now = self.clock.now_stored();
        let recorded = self
            .db
            .run(move |conn| record(conn, now, &owner, &config, &claimed, &outcome))
            .await;
        if let Err(error) = recorded {
            // The lease expires and the delivery is attempted again.
            tracing::warn!(delivery, error = %error, "webhook attempt not recorded");
        }
    }

    async fn send(&self, c: &Due) -> Outcome {
        use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
        let body = body(c);
        let timestamp = self.clock.now().timestamp();
        let signature = sign::signature(c.secret.as_bytes(), timestamp, &body);
        let mut headers = HeaderMap::new();
        let text = |s: &str| HeaderValue::from_str(s).unwrap_or(HeaderValue::from_static(""));
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(sign::TIMESTAMP_HEADER, text(&timestamp.to_string()));
        headers.insert(sign::SIGNATURE_HEADER, text(&signature));
        headers.insert(sign::EVENT_HEADER, text(&c.event_type));
        headers.insert(sign::EVENT_ID_HEADER, text(&c.event_id.to_string()));
        headers.insert(sign::DELIVERY_HEADER, text(&c.delivery_id.to_string()));
        // Judged again at every attempt: the allow-list may have changed since.
        let vetted = url::Url::parse(&c.url)
            .map_err(|_| "not a URL".to_owned())
            .and_then(|url| vet(&url, &self.config.allow).map_err(|r| r.message));
        let client = match vetted {
            Ok(vetted) => self.clients.for_destination(vetted),
            Err(why) => return Outcome::refused(format!("destination not allowed: {why}")),
        };
        send::post(client, self.config.timeout, &c.url, headers, body).await
    }
}

/// The request body: the same bytes on every attempt of an event.
fn body(c: &Due) -> Vec<u8> {
    let data: Value = serde_json::from_str(&c.payload).unwrap_or(Value::Null);
    serde_json::to_vec(&json!({
        "id": c.event_id,
        "type": c.event_type,
        "occurred_at": c.occurred_at.and_utc(),
        "entity": c.entity,
        "entity_id": c.entity_id,
        "data": data,
    }))
    .unwrap_or_default()
}

/// Makes the deliveries of up to `batch` events not yet fanned out, oldest first, in one
/// transaction: the guarded UPDATE marks (and returns) the events this process got —
/// of two processes that picked the same ones, the second gets none. Returns how many
/// events were found, taken or not, so that the worker goes on while there are any.
pub fn fan_out(conn: &mut DbConn, now: NaiveDateTime, batch: i64) -> ApiResult<usize> {
    use outbox_events as o;
    let candidates: Vec<i64> = o::table
        .filter(o::fanned_out_at.is_null())
        .order(o::id)
        .limit(batch)
        .select(o::id)
        .load(conn)?;
    if candidates.is_empty() {
        return Ok(0);
    }
    let hooks: Vec<(i64, String, Option<String>, i64)> = webhooks::table
        .filter(webhooks::deleted_at.is_null())
        .filter(webhooks::active.eq(true))
        .select((
            webhooks::id,
            webhooks::event_types,
            webhooks::territory_path,
            webhooks::after_event_id,
        ))
        .load(conn)?;
    compat::write_transaction(conn, |conn| -> ApiResult<()> {
        let mut mine: Vec<(i64, String, String, i64, Option<String>)> = diesel::update(
            o::table
                .filter(o::id.eq_any(&candidates))
                .filter(o::fanned_out_at.is_null()),
        )
        .set(o::fanned_out_at.eq(now))
        .returning((
            o::id,
            o::event_type,
            o::entity,
            o::entity_id,
            o::territory_path,
        ))
        .get_results(conn)?;
        // Deliveries in event order: the order a receiver sees per object follows it.
        mine.sort_by_key(|e| e.0);
        for (event_id, event_type, entity, entity_id, path) in mine {
            let matching = hooks.iter().filter(|(_, types, hook_path, after)| {
                event_id > *after
                    && types.split_whitespace().any(|t| t == event_type)
                    && match (hook_path, &path) {
                        (None, _) => true,
                        (Some(hook), Some(event)) => event.starts_with(hook.as_str()),
                        (Some(_), None) => false,
                    }
            });
            for (hook, ..) in matching {
                diesel::insert_into(webhook_deliveries::table)
                    .values((
                        webhook_deliveries::webhook_id.eq(hook),
                        webhook_deliveries::event_id.eq(event_id),
                        webhook_deliveries::entity.eq(&entity),
                        webhook_deliveries::entity_id.eq(entity_id),
                        webhook_deliveries::status.eq(PENDING),
                        webhook_deliveries::attempts.eq(0),
                        webhook_deliveries::next_attempt_at.eq(now),
                        webhook_deliveries::created_at.eq(now),
                    ))
                    .execute(conn)?;
            }
        }
        Ok(())
    })?;
    Ok(candidates.len())
}

/// An earlier event of the same object, not yet delivered or given up, for the same
/// webhook: a delivery waits for it (order per object). Plain SQL without parameters —
/// diesel's DSL has no correlated subqueries — and the same text on both backends.
const NO_EARLIER_PENDING: &str = "NOT EXISTS (SELECT 1 FROM webhook_deliveries earlier \
     WHERE earlier.webhook_id = webhook_deliveries.webhook_id \
     AND earlier.entity = webhook_deliveries.entity \
     AND earlier.entity_id = webhook_deliveries.entity_id \
     AND earlier.event_id < webhook_deliveries.event_id \
     AND earlier.status = 'pending')";

/// Leases up to `batch` due deliveries to `owner` and records their attempts as started.
fn claim(
    conn: &mut DbConn,
    now: NaiveDateTime,
    owner: &str,
    lease: Duration,
    batch: i64,
) -> ApiResult<Vec<Claimed>> {
    use webhook_deliveries as d;
    let lease_free = d::lease_until.is_null().or(d::lease_until.lt(now));
    let due: Vec<i64> = d::table
        .filter(d::status.eq(PENDING))
        .filter(d::next_attempt_at.le(now))
        .filter(lease_free)
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(
            NO_EARLIER_PENDING,
        ))
        .order(d::id)
        .limit(batch)
        .select(d::id)
        .load(conn)?;
    if due.is_empty() {
        return Ok(Vec::new());
    }
    compat::write_transaction(conn, |conn| -> ApiResult<Vec<Claimed>> {
        // Guarded again: of two processes that picked the same rows, the second finds
        // the lease taken (PostgreSQL re-checks the condition after the first commits).
        let mine: Vec<i64> = diesel::update(
            d::table
                .filter(d::id.eq_any(&due))
                .filter(d::status.eq(PENDING))
                .filter(d::lease_until.is_null().or(d::lease_until.lt(now))),
        )
        .set((
            d::lease_until.eq(add(now, lease)),
            d::lease_owner.eq(owner),
            d::attempts.eq(d::attempts + 1),
        ))
        .returning(d::id)
        .get_results(conn)?;
        let rows: Vec<Due> = d::table
            .inner_join(webhooks::table)
            .inner_join(outbox_events::table)
            .filter(d::id.eq_any(&mine))
            .order(d::id)
            .select((
                d::id,
                d::attempts,
                webhooks::url,
                webhooks::secret,
                outbox_events::id,
                outbox_events::event_type,
                outbox_events::entity,
                outbox_events::entity_id,
                outbox_events::payload,
                outbox_events::occurred_at,
            ))
            .load(conn)?;
        let mut claimed = Vec::with_capacity(rows.len());
        for delivery in rows {
            let attempt_id: i64 = diesel::insert_into(webhook_attempts::table)
                .values((
                    webhook_attempts::delivery_id.eq(delivery.delivery_id),
                    webhook_attempts::attempt.eq(delivery.attempt),
                    webhook_attempts::at.eq(now),
                    webhook_attempts::error
                        .eq("no outcome recorded: the worker stopped during this attempt"),
                    webhook_attempts::duration_ms.eq(0),
                    webhook_attempts::succeeded.eq(false),
                ))
                .returning(webhook_attempts::id)
                .get_result(conn)?;
            claimed.push(Claimed {
                attempt_id,
                delivery,
            });
        }
        Ok(claimed)
    })
}

/// Records an attempt's outcome and what the delivery does next. If this worker lost
/// its lease meanwhile, the attempt is still recorded but the delivery is left to the
/// process that holds it now.
fn record(
    conn: &mut DbConn,
    now: NaiveDateTime,
    owner: &str,
    config: &WorkerConfig,
    c: &Claimed,
    outcome: &Outcome,
) -> ApiResult<()> {
    use webhook_deliveries as d;
    compat::write_transaction(conn, |conn| -> Result<(), ApiError> {
        diesel::update(webhook_attempts::table.find(c.attempt_id))
            .set((
                webhook_attempts::status_code.eq(outcome.status_code),
                webhook_attempts::error.eq(&outcome.error),
                webhook_attempts::duration_ms.eq(outcome.duration_ms),
                webhook_attempts::succeeded.eq(outcome.succeeded),
            ))
            .execute(conn)?;
        let (status, next, finished) = if outcome.succeeded {
            (DeliveryStatus::Delivered, now, Some(now))
        } else if c.delivery.attempt >= config.max_attempts {
            (DeliveryStatus::Failed, now, Some(now))
        } else {
            (
                DeliveryStatus::Pending,
                add(now, config.backoff_after(c.delivery.attempt)),
                None,
            )
        };
        diesel::update(
            d::table
                .filter(d::id.eq(c.delivery.delivery_id))
                .filter(d::status.eq(PENDING))
                .filter(d::lease_owner.eq(owner)),
        )
        .set((
            d::status.eq(status.as_str()),
            d::next_attempt_at.eq(next),
            d::finished_at.eq(finished),
            d::lease_until.eq(None::<NaiveDateTime>),
            d::lease_owner.eq(None::<String>),
        ))
        .execute(conn)?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let config = WorkerConfig {
            max_attempts: 5,
            backoff: Duration::from_secs(10),
            backoff_cap: Duration::from_secs(60),
            timeout: Duration::from_secs(1),
            connect_timeout: Duration::from_secs(1),
            ca_file: None,
            allow: AllowHosts::default(),
            lease: Duration::from_secs(5),
            poll: Duration::from_secs(1),
            fan_out_batch: 1,
            batch: 1,
        };
        let waits: Vec<u64> = (1..=5).map(|a| config.backoff_after(a).as_secs()).collect();
        assert_eq!(waits, [10, 20, 40, 60, 60]);
    }
}
