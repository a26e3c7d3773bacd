//! The process's Prometheus metrics: request counts and latencies by route pattern (never
//! by concrete path, to keep label cardinality bounded), the database pool (its size,
//! and checkouts that waited or timed out: `db::PoolWaits`), and the work waiting in the
//! database, read at scrape time ([`super::backlog`]). They live
//! below `state`, so that the state holds them and the handler and middleware read them
//! without the state depending on a route.

use prometheus::{
    Encoder, Gauge, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, Registry,
    TextEncoder,
};

use super::backlog::Backlog;
use crate::db::PoolWaits;

/// The process's metrics, registered once and shared by every worker.
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    pool_connections: IntGauge,
    pool_idle: IntGauge,
    events_pending: IntGauge,
    deliveries_pending: IntGauge,
    oldest_undelivered: Gauge,
    appeals_overdue: IntGauge,
}

impl Metrics {
    /// The registry, with the pool's wait counters (kept by `Db`) in it.
    pub fn new(waits: &PoolWaits) -> Result<Metrics, prometheus::Error> {
        let registry = Registry::new_custom(Some("baqylau".to_owned()), None)?;
        let requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests by method, route and status",
            ),
            &["method", "route", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "HTTP request latency by route",
            ),
            &["method", "route"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(waits.waits.clone()))?;
        registry.register(Box::new(waits.timeouts.clone()))?;
        registry.register(Box::new(waits.wait_seconds.clone()))?;
        let gauge = |name: &str, help: &str| -> Result<IntGauge, prometheus::Error> {
            let gauge = IntGauge::new(name, help)?;
            registry.register(Box::new(gauge.clone()))?;
            Ok(gauge)
        };
        let pool_connections = gauge("db_pool_connections", "Open database connections")?;
        let pool_idle = gauge("db_pool_idle_connections", "Idle database connections")?;
        let events_pending = gauge(
            "outbox_events_pending",
            "Webhook events written but not yet fanned out to deliveries",
        )?;
        let deliveries_pending = gauge(
            "webhook_deliveries_pending",
            "Webhook deliveries neither delivered nor given up",
        )?;
        let appeals_overdue = gauge(
            "appeals_overdue",
            "Open appeals past their deadline in force",
        )?;
        let oldest_undelivered = Gauge::new(
            "outbox_oldest_undelivered_seconds",
            "Age of the oldest webhook event not yet delivered everywhere (0 when none)",
        )?;
        registry.register(Box::new(oldest_undelivered.clone()))?;
        Ok(Metrics {
            registry,
            requests,
            latency,
            pool_connections,
            pool_idle,
            events_pending,
            deliveries_pending,
            oldest_undelivered,
            appeals_overdue,
        })
    }

    /// Counts and times one answered request.
    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let status = status.to_string();
        self.requests
            .with_label_values(&[method, route, &status])
            .inc();
        self.latency
            .with_label_values(&[method, route])
            .observe(seconds);
    }

    /// The text exposition, with the pool's current size and the backlog just read.
    pub fn render(
        &self,
        connections: u32,
        idle: u32,
        backlog: &Backlog,
    ) -> Result<Vec<u8>, prometheus::Error> {
        self.pool_connections.set(i64::from(connections));
        self.pool_idle.set(i64::from(idle));
        self.events_pending.set(backlog.events_pending);
        self.deliveries_pending.set(backlog.deliveries_pending);
        self.oldest_undelivered.set(backlog.oldest_undelivered_secs);
        self.appeals_overdue.set(backlog.appeals_overdue);
        let mut out = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut out)?;
        Ok(out)
    }
}
