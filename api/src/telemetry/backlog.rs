//! Figures about work waiting in the database, read when `/metrics` is scraped — never
//! kept up to date per request, so they cost nothing between scrapes. Each query visits
//! only the waiting rows, found through an index, over the whole installation (whoever
//! may read metrics sees counts, nothing personal):
//!
//! - events not yet fanned out to deliveries (`outbox_events_pending_idx`) and
//!   deliveries not yet delivered or given up (`webhook_deliveries_due_idx`), which grow
//!   when the worker stops or a receiver is down;
//! - how long the oldest of those events has waited, the figure to alert on;
//! - appeals past their deadline in force (`appeals_status_idx`: open statuses only).

use baqylau_wire::webhooks::DeliveryStatus;
use chrono::NaiveDateTime;
use diesel::dsl::{count_star, min};
use diesel::prelude::*;

use crate::db::schema::{appeals, outbox_events, webhook_deliveries};
use crate::db::DbConn;
use crate::domain::appeal as rules;
use crate::kit::clock::Clock;

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Backlog {
    /// Events written but not yet fanned out to deliveries.
    pub events_pending: i64,
    /// Deliveries neither delivered nor given up.
    pub deliveries_pending: i64,
    /// Age of the oldest event not yet fanned out or with a delivery pending; 0 when none.
    pub oldest_undelivered_secs: f64,
    pub appeals_overdue: i64,
}

pub fn read(conn: &mut DbConn, clock: &Clock) -> QueryResult<Backlog> {
    use outbox_events as o;
    use webhook_deliveries as d;
    let pending = DeliveryStatus::Pending.as_str();
    let events_pending: i64 = o::table
        .filter(o::fanned_out_at.is_null())
        .select(count_star())
        .first(conn)?;
    let deliveries_pending: i64 = d::table
        .filter(d::status.eq(pending))
        .select(count_star())
        .first(conn)?;
    // Both scans cover only the waiting rows the counts above already visit.
    let oldest_unfanned: Option<NaiveDateTime> = o::table
        .filter(o::fanned_out_at.is_null())
        .select(min(o::occurred_at))
        .first(conn)?;
    let oldest_undelivered: Option<NaiveDateTime> = d::table
        .inner_join(o::table)
        .filter(d::status.eq(pending))
        .select(min(o::occurred_at))
        .first(conn)?;
    let occurred = match (oldest_unfanned, oldest_undelivered) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let oldest_undelivered_secs = occurred
        .map(|at| (clock.now_stored() - at).num_milliseconds().max(0) as f64 / 1000.0)
        .unwrap_or(0.0);
    let appeals_overdue: i64 = appeals::table
        .filter(appeals::deleted_at.is_null())
        .filter(rules::is_overdue_sql(clock.today()))
        .select(count_star())
        .first(conn)?;
    Ok(Backlog {
        events_pending,
        deliveries_pending,
        oldest_undelivered_secs,
        appeals_overdue,
    })
}
