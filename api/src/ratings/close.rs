//! Closing a month: its ratings are stored once it is over, by a background job in every
//! process and by `baqylau ratings snapshot`, never by a read — so every `GET` stays safe
//! (RFC 9110 §9.2.1) and replicas or caches may answer reads.
//!
//! Several processes may close the same month at once: each inserts a deputy's snapshot
//! only if absent under the unique (deputy, period), so the database decides which one
//! wrote it, and the others change nothing.

use std::time::Duration;

use baqylau_wire::ratings::RatingComponent;
use diesel::dsl::{exists, not};
use diesel::prelude::*;
use serde_json::json;

use super::compute;
use super::formula;
use super::period::Period;
use super::SnapshotRows;
use crate::config::RatingConfig;
use crate::db::schema::{deputies, rating_snapshots};
use crate::db::{Db, DbConn};
use crate::error::{ApiError, ApiResult};
use crate::kit::actor::Actor;
use crate::kit::clock::Clock;
use crate::kit::write::{self, Change, Tx, Versioned as _};

/// The actor the audit trail names for snapshots taken by the job or the command.
pub const CLOSER: &str = "ratings snapshot";

/// Stores a month's rating of one deputy unless one is stored; true when this call
/// stored it. `INSERT … ON CONFLICT DO NOTHING` rather than a look and an insert: a
/// concurrent closer that got in first leaves this one nothing to do instead of a
/// unique violation, which would abort the whole transaction on PostgreSQL.
pub fn insert_if_absent(
    tx: &mut Tx<'_>,
    deputy_id: i64,
    period: &Period,
    score: f64,
    parts: &[RatingComponent],
    action: &str,
) -> ApiResult<bool> {
    let now = tx.now();
    let components = serde_json::to_string(parts)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("rating components: {e}")))?;
    let values = (
        rating_snapshots::deputy_id.eq(deputy_id),
        rating_snapshots::period.eq(period.label()),
        rating_snapshots::score.eq(score),
        rating_snapshots::components.eq(&components),
        rating_snapshots::computed_at.eq(now),
        rating_snapshots::created_at.eq(now),
        rating_snapshots::updated_at.eq(now),
    );
    // MultiConnection cannot express ON CONFLICT; the statement is the same on both.
    let id: Option<i64> = crate::with_backend_connection!(tx.conn(), |c| {
        diesel::insert_into(rating_snapshots::table)
            .values(values)
            .on_conflict((rating_snapshots::deputy_id, rating_snapshots::period))
            .do_nothing()
            .returning(rating_snapshots::id)
            .get_result(c)
            .optional()
    })?;
    let Some(id) = id else {
        return Ok(false);
    };
    tx.record(Change {
        entity: SnapshotRows::ENTITY,
        id,
        action,
        event: None,
        audit: json!({"deputy_id": deputy_id, "period": period.label(), "score": {"from": null, "to": score}}),
    })?;
    Ok(true)
}

/// Stores the rating of `period` for every live deputy that has none yet, and returns
/// how many it stored. A month that still runs is refused: its rating moves every day.
pub fn close_month(
    conn: &mut DbConn,
    clock: &Clock,
    cfg: &RatingConfig,
    period: Period,
) -> ApiResult<usize> {
    let today = clock.today();
    if !period.is_over(today) {
        return Err(ApiError::validation(
            "month",
            "period_open",
            "the month is not over; its rating is computed on every read",
        ));
    }
    let stored = rating_snapshots::table
        .filter(rating_snapshots::deputy_id.eq(deputies::id))
        .filter(rating_snapshots::period.eq(period.label()));
    let missing: Vec<i64> = deputies::table
        .filter(deputies::deleted_at.is_null())
        .filter(not(exists(stored)))
        .select(deputies::id)
        .order(deputies::id.asc())
        .load(conn)?;
    if missing.is_empty() {
        return Ok(0);
    }
    let measures = compute::measure(conn, period, today, None)?;
    write::write(conn, &Actor::system(CLOSER), clock, |tx| {
        let mut written = 0;
        for id in &missing {
            let m = measures.get(id).copied().unwrap_or_default();
            let (score, parts) = formula::score(&m, cfg);
            if insert_if_absent(tx, *id, &period, score, &parts, "snapshot")? {
                written += 1;
            }
        }
        Ok(written)
    })
}

/// The background job: on start and then every `every`, closes the month before today's
/// (a process that was down over the turn of the month catches up on start). It runs
/// until the server stops; a round cut short leaves the rest to the next round of any
/// process.
pub struct Job {
    pub db: Db,
    pub clock: Clock,
    pub cfg: RatingConfig,
    pub every: Duration,
}

impl Job {
    pub async fn run(self) {
        let mut tick = tokio::time::interval(self.every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let (db, clock, cfg) = (self.db.clone(), self.clock.clone(), self.cfg);
            let round = tokio::task::spawn_blocking(move || -> ApiResult<(String, usize)> {
                let mut conn = db.get()?;
                let month = Period::of(clock.today()).previous();
                Ok((month.label(), close_month(&mut conn, &clock, &cfg, month)?))
            })
            .await;
            match round {
                Ok(Ok((_, 0))) => {}
                Ok(Ok((month, stored))) => {
                    tracing::info!(month, stored, "stored the month's ratings")
                }
                Ok(Err(err)) => {
                    tracing::warn!(error = %err, "storing the month's ratings failed; retrying")
                }
                Err(err) => tracing::error!(error = %err, "the ratings snapshot job panicked"),
            }
        }
    }
}
