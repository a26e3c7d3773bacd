//! How often work waited for a pooled connection, and how often it gave up: the first
//! sign that the pool (or the database behind it) is too small for the load. Counted
//! where connections are taken, so the figures cost nothing at scrape time; the
//! telemetry registry shows them (`telemetry::metrics`).

use std::time::{Duration, Instant};

use prometheus::{Histogram, HistogramOpts, IntCounter};

use super::{Pool, PooledConn};

/// A checkout that finds an idle connection does not wait; the others do, until one is
/// returned, opened, or the timeout passes.
#[derive(Clone)]
pub struct PoolWaits {
    pub waits: IntCounter,
    pub timeouts: IntCounter,
    pub wait_seconds: Histogram,
}

impl PoolWaits {
    pub fn new() -> PoolWaits {
        // Names and help are fixed and valid: these cannot fail.
        let counter = |name: &str, help: &str| {
            IntCounter::new(name, help).expect("a valid counter definition")
        };
        PoolWaits {
            waits: counter(
                "db_pool_waits_total",
                "Checkouts that found no idle database connection and waited",
            ),
            timeouts: counter(
                "db_pool_timeouts_total",
                "Checkouts that waited for a database connection in vain",
            ),
            wait_seconds: Histogram::with_opts(
                HistogramOpts::new(
                    "db_pool_wait_seconds",
                    "How long checkouts that waited for a database connection waited",
                )
                .buckets(vec![0.001, 0.005, 0.025, 0.1, 0.5, 1.0, 2.5, 5.0]),
            )
            .expect("a valid histogram definition"),
        }
    }

    /// A connection from `pool`, counted.
    pub(super) fn checkout(
        &self,
        pool: &Pool,
        timeout: Duration,
    ) -> Result<PooledConn, diesel::r2d2::PoolError> {
        if let Some(conn) = pool.try_get() {
            return Ok(conn);
        }
        self.waits.inc();
        let started = Instant::now();
        let got = pool.get_timeout(timeout);
        self.wait_seconds.observe(started.elapsed().as_secs_f64());
        if got.is_err() {
            self.timeouts.inc();
        }
        got
    }
}

impl Default for PoolWaits {
    fn default() -> PoolWaits {
        PoolWaits::new()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Db, DbTarget};
    use std::time::Duration;

    #[test]
    fn a_busy_pool_counts_the_wait_and_the_timeout() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::connect(DbTarget::Sqlite(dir.path().join("w.db")), 1).unwrap();
        let waits = db.pool_waits();
        let held = db.get().unwrap();
        assert_eq!(waits.waits.get(), 0, "an idle connection was there");
        assert!(db.get_quick(Duration::from_millis(20)).is_err());
        assert_eq!((waits.waits.get(), waits.timeouts.get()), (1, 1));
        drop(held);
        let _again = db.get().unwrap();
        assert_eq!((waits.waits.get(), waits.timeouts.get()), (1, 1));
        assert_eq!(waits.wait_seconds.get_sample_count(), 1);
    }
}
