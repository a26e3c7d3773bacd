//! Sign-in attempt limiting per account and per client address, kept in the database so
//! that every server process shares the counts. OWASP Authentication Cheat Sheet: lock
//! out after repeated failures and say when to retry; the lock expires by itself, which
//! bounds how long an attacker can keep a real user out.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::auth_throttle;
use crate::db::{compat, DbConn};

pub const ACCOUNT_MAX_FAILURES: i32 = 5;
pub const IP_MAX_FAILURES: i32 = 30;
pub const WINDOW_MINUTES: i64 = 15;
pub const LOCK_MINUTES: i64 = 15;

pub fn account_key(email: &str) -> String {
    format!(
        "account:{}",
        super::tokens::sha256_hex(&email.to_lowercase())
    )
}

pub fn ip_key(ip: &str) -> String {
    format!("ip:{ip}")
}

/// Seconds until the longest lock on any of `keys` ends; `None` when none is locked.
pub fn locked_for(
    conn: &mut DbConn,
    keys: &[String],
    now: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    let locks: Vec<Option<NaiveDateTime>> = auth_throttle::table
        .filter(auth_throttle::key.eq_any(keys))
        .select(auth_throttle::locked_until)
        .load(conn)?;
    Ok(locks
        .into_iter()
        .flatten()
        .filter(|until| *until > now)
        .map(|until| (until - now).num_seconds().max(1))
        .max())
}

/// Counts one failure against `key`; locks it when `max` failures fall in one window.
pub fn record_failure(
    conn: &mut DbConn,
    key: &str,
    max: i32,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let row: Option<(i32, NaiveDateTime)> = auth_throttle::table
        .find(key)
        .select((auth_throttle::failures, auth_throttle::window_started_at))
        .first(conn)
        .optional()?;
    let window = Duration::minutes(WINDOW_MINUTES);
    let (failures, started) = match row {
        Some((n, started)) if now - started < window => (n + 1, started),
        _ => (1, now),
    };
    let locked_until = (failures >= max).then(|| now + Duration::minutes(LOCK_MINUTES));
    if row.is_some() {
        diesel::update(auth_throttle::table.find(key))
            .set((
                auth_throttle::failures.eq(failures),
                auth_throttle::window_started_at.eq(started),
                auth_throttle::locked_until.eq(locked_until),
            ))
            .execute(conn)?;
    } else {
        diesel::insert_into(auth_throttle::table)
            .values((
                auth_throttle::key.eq(key),
                auth_throttle::failures.eq(failures),
                auth_throttle::window_started_at.eq(started),
                auth_throttle::locked_until.eq(locked_until),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn clear(conn: &mut DbConn, key: &str) -> QueryResult<()> {
    diesel::delete(auth_throttle::table.find(key)).execute(conn)?;
    Ok(())
}

pub fn now() -> NaiveDateTime {
    compat::now()
}
