//! Sign-in attempt limiting per account and per client address, kept in the database so
//! that every server process shares the counts. OWASP Authentication Cheat Sheet: lock
//! out after repeated failures and say when to retry; the lock expires by itself, which
//! bounds how long an attacker can keep a real user out.
//!
//! Every attempt is counted *before* the password is checked, in one atomic
//! `INSERT … ON CONFLICT DO UPDATE … RETURNING` per key. Reading the count, verifying
//! and then writing would let a burst of concurrent guesses all pass the check before
//! any of them is recorded, and on PostgreSQL two first failures would collide on the
//! primary key. A successful sign-in then gives its attempt back (see [`refund`]).

use std::net::{IpAddr, Ipv6Addr};

use chrono::{Duration, NaiveDateTime};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Nullable, Timestamp};

use crate::config::TrustedProxies;
use crate::db::schema::auth_throttle;
use crate::db::{compat, DbConn};

pub const ACCOUNT_MAX_FAILURES: i32 = 5;
pub const IP_MAX_FAILURES: i32 = 30;
pub const WINDOW_MINUTES: i64 = 15;
pub const LOCK_MINUTES: i64 = 15;
/// Stale rows deleted per counted attempt. Each attempt creates at most two rows, so a
/// batch of 100 outpaces any flood, while one sign-in never pays for a large cleanup.
pub const PURGE_BATCH: i64 = 100;

pub fn account_key(email: &str) -> String {
    format!(
        "account:{}",
        super::tokens::sha256_hex(&email.to_lowercase())
    )
}

/// The per-address key. An IPv6 client usually gets a whole /64 (RFC 6177) and can pick
/// any address in it, so the /64 is what identifies it; counting single addresses would
/// give one attacker 2^64 fresh budgets.
pub fn ip_key(ip: Option<IpAddr>) -> String {
    match ip.map(canonical) {
        Some(IpAddr::V4(v4)) => format!("ip:{v4}"),
        Some(IpAddr::V6(v6)) => {
            let s = v6.segments();
            let prefix = Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
            format!("ip:{prefix}/64")
        }
        None => "ip:unknown".to_owned(),
    }
}

/// IPv4 clients of a dual-stack socket arrive as `::ffff:a.b.c.d`; they are IPv4 clients.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

/// The client address behind the proxies the operator runs.
///
/// `forwarded` is the `X-Forwarded-For` list, left to right, and `peer` the socket peer,
/// which is the last hop. Each proxy appends the address it received the request from, so
/// only entries written by our own proxies can be believed: walking from the right, the
/// first hop that is not one of them is the client. Everything to its left was sent by
/// the client itself — taking the left-most entry let anyone choose their own address.
pub fn client_address(peer: IpAddr, forwarded: &[&str], proxies: &TrustedProxies) -> IpAddr {
    let peer = canonical(peer);
    let is_proxy: Box<dyn Fn(usize, IpAddr) -> bool + '_> = match proxies {
        TrustedProxies::None => return peer,
        // `steps` counts hops already walked: the peer is step 0.
        TrustedProxies::Count(n) => Box::new(move |steps, _| steps < *n),
        TrustedProxies::Networks(nets) => {
            Box::new(move |_, ip| nets.iter().any(|net| net.contains(&ip)))
        }
    };
    let mut current = peer;
    let mut hops = forwarded.iter().rev();
    let mut steps = 0;
    while is_proxy(steps, current) {
        // Every hop is a proxy of ours: the left-most one received the request from the
        // client directly, which makes it the best address there is.
        let Some(hop) = hops.next() else {
            return current;
        };
        // Our proxies write addresses; anything else is not to be believed, so the
        // proxy that passed it on stands for the client.
        let Some(ip) = parse_hop(hop) else {
            return current;
        };
        current = canonical(ip);
        steps += 1;
    }
    current
}

/// One `X-Forwarded-For` entry: `192.0.2.1`, `2001:db8::1`, and the forms with a port
/// some proxies write, `192.0.2.1:4711` and `[2001:db8::1]:4711`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| {
            hop.strip_prefix('[')
                .and_then(|h| h.strip_suffix(']'))
                .and_then(|h| h.parse().ok())
        })
}

/// Whether an attempt may go on to the password check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    Allowed,
    /// A limit is exceeded; retry after this many seconds.
    Refused {
        retry_after_secs: i64,
    },
}

/// Counts one attempt against each `(key, limit)` and says whether it may proceed: it
/// may while no key has counted more than its limit of attempts in the window.
pub fn count_attempt(
    conn: &mut DbConn,
    keys: &[(&str, i32)],
    now: NaiveDateTime,
) -> QueryResult<Attempt> {
    purge_stale(conn, now);
    let mut refused: Option<i64> = None;
    for (key, max) in keys {
        let (count, locked_until) = bump(conn, key, *max, now)?;
        if count > *max {
            let secs = locked_until
                .map(|until| (until - now).num_seconds())
                .unwrap_or(LOCK_MINUTES * 60)
                .max(1);
            refused = Some(refused.map_or(secs, |r| r.max(secs)));
        }
    }
    Ok(match refused {
        Some(retry_after_secs) => Attempt::Refused { retry_after_secs },
        None => Attempt::Allowed,
    })
}

/// Rows whose window has ended and whose lock, if any, is over: they no longer limit
/// anything.
macro_rules! stale {
    ($now:expr) => {
        auth_throttle::window_started_at
            .le($now - Duration::minutes(WINDOW_MINUTES))
            .and(
                auth_throttle::locked_until
                    .is_null()
                    .or(auth_throttle::locked_until.le($now)),
            )
    };
}

/// Adds one to `key`'s count, starting a new window when the old one is over, and
/// returns the count and the lock. The attempt that reaches `max` starts the lock;
/// later ones leave it alone, so hammering a locked account does not extend the lock.
fn bump(
    conn: &mut DbConn,
    key: &str,
    max: i32,
    now: NaiveDateTime,
) -> QueryResult<(i32, Option<NaiveDateTime>)> {
    diesel::delete(auth_throttle::table.find(key).filter(stale!(now))).execute(conn)?;
    let lock_until = now + Duration::minutes(LOCK_MINUTES);
    // MultiConnection cannot express ON CONFLICT; the statement is the same on both.
    crate::with_backend_connection!(conn, |c| {
        diesel::insert_into(auth_throttle::table)
            .values((
                auth_throttle::key.eq(key),
                auth_throttle::failures.eq(1),
                auth_throttle::window_started_at.eq(now),
                auth_throttle::locked_until.eq((max <= 1).then_some(lock_until)),
            ))
            .on_conflict(auth_throttle::key)
            .do_update()
            .set((
                auth_throttle::failures.eq(auth_throttle::failures + 1),
                auth_throttle::locked_until.eq(sql::<Nullable<Timestamp>>(
                    "CASE WHEN auth_throttle.locked_until IS NULL AND auth_throttle.failures + 1 >= ",
                )
                .bind::<Integer, _>(max)
                .sql(" THEN ")
                .bind::<Timestamp, _>(lock_until)
                .sql(" ELSE auth_throttle.locked_until END")),
            ))
            .returning((auth_throttle::failures, auth_throttle::locked_until))
            .get_result(c)
    })
}

/// Deletes a bounded batch of stale rows, so that counters for addresses and emails
/// that were tried once do not pile up. Opportunistic: a failure is logged and the
/// sign-in goes on, since the limits hold without it.
fn purge_stale(conn: &mut DbConn, now: NaiveDateTime) {
    let purged = auth_throttle::table
        .filter(stale!(now))
        .select(auth_throttle::key)
        .limit(PURGE_BATCH)
        .load::<String>(conn)
        .and_then(|keys| {
            if keys.is_empty() {
                return Ok(0);
            }
            // The condition again: a key counted again meanwhile is no longer stale.
            diesel::delete(
                auth_throttle::table
                    .filter(auth_throttle::key.eq_any(keys))
                    .filter(stale!(now)),
            )
            .execute(conn)
        });
    if let Err(e) = purged {
        tracing::warn!(error = %e, "purging stale sign-in counters failed");
    }
}

/// Gives back the attempt a successful sign-in counted against `key`, so that the
/// people behind one office address do not lock each other out by signing in.
pub fn refund(conn: &mut DbConn, key: &str) -> QueryResult<()> {
    diesel::update(
        auth_throttle::table
            .find(key)
            .filter(auth_throttle::failures.gt(0)),
    )
    .set(auth_throttle::failures.eq(auth_throttle::failures - 1))
    .execute(conn)?;
    Ok(())
}

pub fn clear(conn: &mut DbConn, key: &str) -> QueryResult<()> {
    diesel::delete(auth_throttle::table.find(key)).execute(conn)?;
    Ok(())
}

pub fn now() -> NaiveDateTime {
    compat::now()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn proxies(s: &str) -> TrustedProxies {
        s.parse().unwrap()
    }

    #[test]
    fn without_proxies_the_peer_is_the_client() {
        let got = client_address(ip("203.0.113.9"), &["1.1.1.1"], &TrustedProxies::None);
        assert_eq!(got, ip("203.0.113.9"));
    }

    #[test]
    fn a_count_believes_only_that_many_hops_from_the_right() {
        let one = proxies("1");
        // The client wrote "6.6.6.6"; our proxy appended the address it saw.
        let got = client_address(ip("10.0.0.2"), &["6.6.6.6", "198.51.100.7"], &one);
        assert_eq!(got, ip("198.51.100.7"));
        let got = client_address(ip("10.0.0.2"), &["7.7.7.7", "198.51.100.7"], &one);
        assert_eq!(
            got,
            ip("198.51.100.7"),
            "rotating the left-most hop changes nothing"
        );
        let two = proxies("2");
        let got = client_address(
            ip("10.0.0.2"),
            &["6.6.6.6", "198.51.100.7", "10.0.0.1"],
            &two,
        );
        assert_eq!(got, ip("198.51.100.7"));
        // Fewer hops than proxies: the left-most is the best there is.
        assert_eq!(
            client_address(ip("10.0.0.2"), &["198.51.100.7"], &two),
            ip("198.51.100.7")
        );
        assert_eq!(client_address(ip("10.0.0.2"), &[], &one), ip("10.0.0.2"));
    }

    #[test]
    fn networks_skip_every_hop_inside_them() {
        let nets = proxies("10.0.0.0/8, 192.0.2.7, 2001:db8:ffff::/48");
        let got = client_address(
            ip("10.0.0.2"),
            &["6.6.6.6", "198.51.100.7", "192.0.2.7", "10.1.2.3"],
            &nets,
        );
        assert_eq!(got, ip("198.51.100.7"));
        // A peer that is not our proxy is the client, whatever it claims.
        let got = client_address(ip("198.51.100.8"), &["6.6.6.6"], &nets);
        assert_eq!(got, ip("198.51.100.8"));
        let got = client_address(ip("2001:db8:ffff::1"), &["[2001:db8:1:2::5]:4711"], &nets);
        assert_eq!(got, ip("2001:db8:1:2::5"));
        // Garbage written where our proxy should have written an address: the proxy
        // stands for the client rather than whatever the garbage hides.
        let got = client_address(ip("10.0.0.2"), &["6.6.6.6", "not-an-ip"], &nets);
        assert_eq!(got, ip("10.0.0.2"));
        // Ports on IPv4 hops are tolerated.
        let got = client_address(ip("10.0.0.2"), &["198.51.100.7:5555"], &nets);
        assert_eq!(got, ip("198.51.100.7"));
    }

    #[test]
    fn proxy_settings_parse_counts_networks_and_nothing() {
        assert_eq!(proxies(""), TrustedProxies::None);
        assert_eq!(proxies("0"), TrustedProxies::None);
        assert_eq!(proxies("2"), TrustedProxies::Count(2));
        assert!(matches!(proxies("10.0.0.0/8,::1"), TrustedProxies::Networks(n) if n.len() == 2));
        assert!("10.0.0.0/33".parse::<TrustedProxies>().is_err());
        assert!("proxy.local".parse::<TrustedProxies>().is_err());
    }

    #[test]
    fn ipv6_clients_are_counted_per_64() {
        let a = ip_key(Some(ip("2001:db8:1:2:aaaa::1")));
        let b = ip_key(Some(ip("2001:db8:1:2:bbbb:cccc:dddd:eeee")));
        let c = ip_key(Some(ip("2001:db8:1:3::1")));
        assert_eq!(a, "ip:2001:db8:1:2::/64");
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(ip_key(Some(ip("::ffff:192.0.2.1"))), "ip:192.0.2.1");
        assert_eq!(ip_key(Some(ip("192.0.2.1"))), "ip:192.0.2.1");
        assert_eq!(ip_key(None), "ip:unknown");
    }
}
