//! One typed configuration, read from flags and the environment.
//!
//! Secrets (the JWT secret, database passwords inside `DATABASE_URL`) are never logged:
//! `Debug` for [`Settings`] redacts them.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::str::FromStr;

use std::time::Duration;

use clap::{Args, ValueEnum};
use ipnet::IpNet;

use crate::db::DbTarget;

/// Largest JSON body accepted; bigger bodies get 413.
pub const JSON_LIMIT_BYTES: usize = 256 * 1024;

/// How long readiness waits for a connection before answering 503.
pub const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// How strictly the server treats missing secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Environment {
    /// A laptop or the demo: a missing JWT secret is generated and persisted next to the
    /// SQLite file so sessions survive restarts.
    Development,
    /// A missing or short JWT secret is a startup error.
    Production,
}

/// Which hops of a forwarded-for chain are proxies the operator runs
/// (`BAQYLAU_TRUSTED_PROXIES`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum TrustedProxies {
    /// No proxy: forwarding headers are ignored.
    #[default]
    None,
    /// The last `n` hops, counting the socket peer as the last one.
    Count(usize),
    /// Any hop inside one of these networks.
    Networks(Vec<IpNet>),
}

/// The origins allowed to call the API from a browser, each `scheme://host[:port]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CorsOrigins(pub Vec<String>);

impl FromStr for CorsOrigins {
    type Err = String;

    fn from_str(s: &str) -> Result<CorsOrigins, String> {
        s.split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(|part| {
                // An origin is what a browser sends in `Origin`: no path, no trailing
                // slash, so a typo is refused here rather than never matching.
                let url = url::Url::parse(part).map_err(|e| format!("{part:?}: {e}"))?;
                let origin = url.origin().ascii_serialization();
                match (url.scheme(), origin == part) {
                    ("http" | "https", true) => Ok(origin),
                    _ => Err(format!(
                        "{part:?} is not an origin: write scheme://host[:port], e.g. https://crm.example.kz"
                    )),
                }
            })
            .collect::<Result<_, _>>()
            .map(CorsOrigins)
    }
}

impl FromStr for TrustedProxies {
    type Err = String;

    fn from_str(s: &str) -> Result<TrustedProxies, String> {
        let s = s.trim();
        if s.is_empty() || s == "0" || s.eq_ignore_ascii_case("none") {
            return Ok(TrustedProxies::None);
        }
        if let Ok(n) = s.parse::<usize>() {
            return Ok(TrustedProxies::Count(n));
        }
        s.split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(|part| {
                // A bare address is a network of one.
                part.parse::<IpNet>()
                    .or_else(|_| part.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| {
                        format!(
                            "{part:?} is neither a proxy count, an IP address nor a CIDR network"
                        )
                    })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies::Networks)
    }
}

/// Settings shared by every subcommand that touches the database.
#[derive(Clone, Args)]
pub struct DatabaseArgs {
    /// `sqlite://path/to/file.db`, a bare path ending in `.db`, or `postgres://...`.
    /// Without it Baqylau uses the embedded SQLite file `./data/baqylau.db`.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,

    /// Maximum pooled database connections.
    #[arg(long, env = "BAQYLAU_DB_POOL_SIZE", default_value_t = 10)]
    pub pool_size: u32,
}

impl DatabaseArgs {
    pub fn target(&self) -> Result<DbTarget, crate::db::DbError> {
        DbTarget::parse(self.database_url.as_deref())
    }
}

/// Everything `baqylau serve` needs.
#[derive(Clone, Args)]
pub struct Settings {
    /// Address to listen on. Port 0 picks a free port (tests do this).
    #[arg(long, env = "BAQYLAU_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    #[command(flatten)]
    pub database: DatabaseArgs,

    /// Directory with the built dashboard (`cargo xtask frontend` writes it).
    #[arg(long, env = "BAQYLAU_STATIC_DIR", default_value = "frontend/dist")]
    pub static_dir: PathBuf,

    #[arg(long, env = "BAQYLAU_ENV", value_enum, default_value_t = Environment::Development)]
    pub environment: Environment,

    /// HMAC secret for access tokens, at least 32 bytes.
    #[arg(long, env = "BAQYLAU_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,

    /// Lifetime of an access token, in seconds.
    #[arg(long, env = "BAQYLAU_ACCESS_TTL", default_value_t = 900)]
    pub access_ttl_secs: i64,

    /// Lifetime of a refresh token, in seconds.
    #[arg(long, env = "BAQYLAU_REFRESH_TTL", default_value_t = 14 * 24 * 3600)]
    pub refresh_ttl_secs: i64,

    /// The reverse proxies in front of Baqylau, whose `X-Forwarded-For` / `Forwarded`
    /// entries are believed when finding the client address for sign-in throttling.
    /// Either a count — `1` when one proxy you run (nginx, a load balancer) connects to
    /// Baqylau, `2` for a CDN in front of that — or a comma-separated list of addresses
    /// and CIDR networks (`10.0.0.0/8,192.0.2.7`). The client is the right-most hop that
    /// is not one of these proxies: every hop to its left was written by the client and
    /// proves nothing. Empty (the default) ignores the headers and uses the socket peer.
    #[arg(long, env = "BAQYLAU_TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: TrustedProxies,

    /// Web origins (`https://crm.example.kz`, comma-separated) whose pages may call the
    /// API from a browser (CORS). Empty, the default: none, so only the dashboard served
    /// here (same origin) can. Integrations calling from servers need nothing here.
    #[arg(long, env = "BAQYLAU_CORS_ORIGINS", default_value = "")]
    pub cors_origins: CorsOrigins,

    /// Worker threads for HTTP; defaults to the number of cores.
    #[arg(long, env = "BAQYLAU_WORKERS")]
    pub workers: Option<usize>,

    #[command(flatten)]
    pub rating: RatingConfig,

    #[command(flatten)]
    pub webhooks: WebhookArgs,

    #[command(flatten)]
    pub snapshots: SnapshotArgs,
}

/// The job that stores each month's ratings once it is over (`ratings::close`). Every
/// process may run one: the database decides which stores a month.
#[derive(Debug, Clone, Args)]
pub struct SnapshotArgs {
    /// Run the ratings snapshot job in this process.
    #[arg(long, env = "BAQYLAU_RATING_SNAPSHOTS", default_value_t = true, action = clap::ArgAction::Set)]
    pub rating_snapshots: bool,

    /// How often the job looks for a finished month without snapshots, in seconds.
    #[arg(
        long,
        env = "BAQYLAU_RATING_SNAPSHOT_EVERY_SECS",
        default_value_t = 900
    )]
    pub rating_snapshot_every_secs: u64,
}

impl Default for SnapshotArgs {
    fn default() -> SnapshotArgs {
        SnapshotArgs {
            rating_snapshots: true,
            rating_snapshot_every_secs: 900,
        }
    }
}

/// The deputy rating's weights and recall threshold. Published at `GET
/// /api/v1/ratings/formula`; every stored score keeps the weights it was computed with.
#[derive(Debug, Clone, Copy, PartialEq, Args)]
pub struct RatingConfig {
    /// Points per assigned appeal resolved by its deadline in the month.
    #[arg(long, env = "BAQYLAU_RATING_APPEAL_ON_TIME", default_value_t = 2.0)]
    pub appeal_on_time: f64,
    /// Points per assigned appeal whose deadline in the month was missed (negative).
    #[arg(long, env = "BAQYLAU_RATING_APPEAL_OVERDUE", default_value_t = -3.0, allow_negative_numbers = true)]
    pub appeal_overdue: f64,
    /// Points per mobile reception held in the month that the deputy took part in.
    #[arg(long, env = "BAQYLAU_RATING_RECEPTION", default_value_t = 5.0)]
    pub reception: f64,
    /// Points per responsible indicator due in the month and done.
    #[arg(long, env = "BAQYLAU_RATING_INDICATOR_DONE", default_value_t = 3.0)]
    pub indicator_done: f64,
    /// Points per responsible indicator due in the month and not done by then (negative).
    #[arg(long, env = "BAQYLAU_RATING_INDICATOR_OVERDUE", default_value_t = -4.0, allow_negative_numbers = true)]
    pub indicator_overdue: f64,
    /// Points per step of citizens' mean satisfaction above 3 (below 3 counts against).
    #[arg(long, env = "BAQYLAU_RATING_SATISFACTION", default_value_t = 5.0)]
    pub satisfaction: f64,
    /// Active deputies scoring below this are at recall risk.
    #[arg(
        long,
        env = "BAQYLAU_RATING_RECALL_THRESHOLD",
        default_value_t = 0.0,
        allow_negative_numbers = true
    )]
    pub recall_threshold: f64,
}

impl Default for RatingConfig {
    fn default() -> Self {
        RatingConfig {
            appeal_on_time: 2.0,
            appeal_overdue: -3.0,
            reception: 5.0,
            indicator_done: 3.0,
            indicator_overdue: -4.0,
            satisfaction: 5.0,
            recall_threshold: 0.0,
        }
    }
}

/// The webhook delivery worker (`webhooks::worker`). Every process may run one: they
/// share the work through leases in the database.
#[derive(Debug, Clone, Args)]
pub struct WebhookArgs {
    /// Run the delivery worker in this process.
    #[arg(long, env = "BAQYLAU_WEBHOOK_WORKER", default_value_t = true, action = clap::ArgAction::Set)]
    pub webhook_worker: bool,

    /// Attempts per event and webhook before it is given up.
    #[arg(long, env = "BAQYLAU_WEBHOOK_MAX_ATTEMPTS", default_value_t = 12)]
    pub webhook_max_attempts: i32,

    /// The wait after the first failed attempt, in milliseconds; it doubles after each.
    #[arg(long, env = "BAQYLAU_WEBHOOK_BACKOFF_MS", default_value_t = 10_000)]
    pub webhook_backoff_ms: u64,

    /// The longest wait between two attempts, in seconds.
    #[arg(long, env = "BAQYLAU_WEBHOOK_BACKOFF_CAP_SECS", default_value_t = 3600)]
    pub webhook_backoff_cap_secs: u64,

    /// How long a receiver has to answer, in milliseconds: the whole delivery, from
    /// connecting to the end of the answer.
    #[arg(long, env = "BAQYLAU_WEBHOOK_TIMEOUT_MS", default_value_t = 10_000)]
    pub webhook_timeout_ms: u64,

    /// How long connecting to a receiver (TCP and TLS handshake) may take, in
    /// milliseconds; at most the whole delivery's timeout.
    #[arg(
        long,
        env = "BAQYLAU_WEBHOOK_CONNECT_TIMEOUT_MS",
        default_value_t = 5_000
    )]
    pub webhook_connect_timeout_ms: u64,

    /// A PEM file of certificate authorities trusted for `https` receivers besides the
    /// platform's and the public roots — an office's own CA. Named by `SSL_CERT_FILE`,
    /// the OpenSSL convention. Certificates and host names are always verified.
    #[arg(long, env = "SSL_CERT_FILE")]
    pub webhook_ca_file: Option<PathBuf>,

    /// Hosts webhooks may reach although they are loopback, private, link-local or
    /// plain `http`: comma-separated `host` or `host:port` (`10.0.0.7,crm.local:8080`,
    /// `[fd00::5]:8443`). Empty by default: only public addresses over `https`.
    #[arg(long, env = "BAQYLAU_WEBHOOK_ALLOW_HOSTS", default_value = "")]
    pub webhook_allow_hosts: crate::domain::destination::AllowHosts,

    /// How long a claimed delivery stays with the process that claimed it, in
    /// milliseconds (at least the timeout plus a second).
    #[arg(long, env = "BAQYLAU_WEBHOOK_LEASE_MS", default_value_t = 60_000)]
    pub webhook_lease_ms: u64,

    /// How often an idle worker looks for work, in milliseconds.
    #[arg(long, env = "BAQYLAU_WEBHOOK_POLL_MS", default_value_t = 1_000)]
    pub webhook_poll_ms: u64,
}

impl Default for WebhookArgs {
    fn default() -> WebhookArgs {
        WebhookArgs {
            webhook_worker: true,
            webhook_max_attempts: 12,
            webhook_backoff_ms: 10_000,
            webhook_backoff_cap_secs: 3600,
            webhook_timeout_ms: 10_000,
            webhook_connect_timeout_ms: 5_000,
            webhook_ca_file: None,
            webhook_allow_hosts: Default::default(),
            webhook_lease_ms: 60_000,
            webhook_poll_ms: 1_000,
        }
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("bind", &self.bind)
            .field(
                "database",
                &self
                    .database
                    .target()
                    .map(|t| t.redacted())
                    .unwrap_or_default(),
            )
            .field("static_dir", &self.static_dir)
            .field("environment", &self.environment)
            .field(
                "jwt_secret",
                &self.jwt_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("access_ttl_secs", &self.access_ttl_secs)
            .field("refresh_ttl_secs", &self.refresh_ttl_secs)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("cors_origins", &self.cors_origins)
            .field("rating", &self.rating)
            .field("webhooks", &self.webhooks)
            .field("snapshots", &self.snapshots)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cors_origins_are_origins_or_refused() {
        let parsed: CorsOrigins = " https://crm.example.kz , http://localhost:5173"
            .parse()
            .unwrap();
        assert_eq!(
            parsed.0,
            ["https://crm.example.kz", "http://localhost:5173"]
        );
        assert_eq!("".parse::<CorsOrigins>().unwrap(), CorsOrigins::default());
        for bad in [
            "https://crm.example.kz/",
            "https://crm.example.kz/app",
            "crm.example.kz",
            "ftp://x.kz",
            "*",
        ] {
            assert!(bad.parse::<CorsOrigins>().is_err(), "{bad} was accepted");
        }
    }
}
