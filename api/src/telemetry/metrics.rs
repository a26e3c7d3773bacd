//! The process's Prometheus metrics: request counts and latencies by route pattern (never
//! by concrete path, to keep label cardinality bounded) and the database pool. They live
//! below `state`, so that the state holds them and the handler and middleware read them
//! without the state depending on a route.

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, Registry, TextEncoder,
};

/// The process's metrics, registered once and shared by every worker.
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    pool_connections: IntGauge,
    pool_idle: IntGauge,
}

impl Metrics {
    pub fn new() -> Result<Metrics, prometheus::Error> {
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
        let pool_connections = IntGauge::new("db_pool_connections", "Open database connections")?;
        let pool_idle = IntGauge::new("db_pool_idle_connections", "Idle database connections")?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(pool_connections.clone()))?;
        registry.register(Box::new(pool_idle.clone()))?;
        Ok(Metrics {
            registry,
            requests,
            latency,
            pool_connections,
            pool_idle,
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

    /// The text exposition, with the pool's current size.
    pub fn render(&self, connections: u32, idle: u32) -> Result<Vec<u8>, prometheus::Error> {
        self.pool_connections.set(i64::from(connections));
        self.pool_idle.set(i64::from(idle));
        let mut out = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut out)?;
        Ok(out)
    }
}
