//! Test harness: the real application on port 0 with a database of its own per test —
//! a SQLite file in a temp dir, or a fresh PostgreSQL database dropped afterwards.

use std::io::Write;
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use baqylau::config::{DatabaseArgs, Environment, Settings};
use baqylau::db::{Db, DbTarget};
use baqylau::http::startup::Application;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

mod client;
pub mod process;

pub use client::{Auth, Response};

pub const JWT_SECRET: &str = "test-secret-that-is-long-enough-for-hs256";
pub const PASSWORD: &str = "correct-horse-battery";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs a test body on SQLite and on PostgreSQL: `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! both_backends {
    ($(async fn $name:ident($app:ident) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                async fn run($app: $crate::helpers::TestApp) $body

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let app = $crate::helpers::spawn_app($crate::helpers::Backend::Sqlite).await;
                    run(app.expect("SQLite is always available")).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = $crate::helpers::spawn_app($crate::helpers::Backend::Postgres).await {
                        run(app).await
                    }
                }
            }
        )*
    };
}

/// Where the PostgreSQL test server is; each test creates its own database on it.
pub fn pg_admin_url() -> String {
    std::env::var("BAQYLAU_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

fn pg_url_for(db_name: &str) -> String {
    let admin = pg_admin_url();
    match admin.rfind('/') {
        Some(i) if i > "postgres://".len() => format!("{}/{db_name}", &admin[..i]),
        _ => format!("{admin}/{db_name}"),
    }
}

/// Whether PostgreSQL tests run. In CI an unreachable server is a failure, not a skip.
fn postgres_admin() -> Option<diesel::PgConnection> {
    if std::env::var("BAQYLAU_TEST_PG_SKIP").is_ok_and(|v| v == "1")
        && std::env::var("CI").ok().as_deref() != Some("true")
    {
        return None;
    }
    match diesel::PgConnection::establish(&pg_admin_url()) {
        Ok(conn) => Some(conn),
        Err(e) => {
            if std::env::var("CI").ok().as_deref() == Some("true") {
                panic!(
                    "CI=true and PostgreSQL at {} is unreachable: {e}",
                    pg_admin_url()
                );
            }
            eprintln!(
                "!!! PostgreSQL unreachable ({e}); the PostgreSQL half of this test did NOT run"
            );
            None
        }
    }
}

/// Drops the per-test PostgreSQL database (or removes the SQLite dir) when the test ends.
pub enum DbGuard {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres(String),
    /// The test owns the database.
    External,
}

impl Drop for DbGuard {
    fn drop(&mut self) {
        if let DbGuard::Postgres(name) = self {
            if let Ok(mut conn) = diesel::PgConnection::establish(&pg_admin_url()) {
                let _ =
                    conn.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
            }
        }
    }
}

/// Unique names for per-test databases and files.
pub fn unique() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{}_{}_{}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A directory removed when the test ends.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("baqylau-test-")
        .tempdir()
        .expect("temp dir")
}

/// Everything the server logs during the test run, for the log-leak test.
pub fn captured_logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let writer_buffer = buffer.clone();
        let _ = tracing_subscriber::fmt()
            .with_env_filter("debug")
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_ansi(false)
            .with_writer(move || BufferWriter(writer_buffer.clone()))
            .try_init();
        buffer
    })
    .clone()
}

struct BufferWriter(Arc<Mutex<Vec<u8>>>);

impl Write for BufferWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut b) = self.0.lock() {
            b.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: Db,
    pub backend: Backend,
    /// Stops this server (`restart`).
    handle: actix_web::dev::ServerHandle,
    settings: Settings,
    _guard: DbGuard,
    _static: tempfile::TempDir,
}

pub fn settings(target: &DbTarget, static_dir: PathBuf) -> Settings {
    Settings {
        bind: "127.0.0.1:0".parse().unwrap(),
        database: DatabaseArgs {
            database_url: Some(match target {
                DbTarget::Sqlite(p) => format!("sqlite://{}", p.display()),
                DbTarget::Postgres(u) => u.clone(),
            }),
            pool_size: 4,
        },
        static_dir,
        environment: Environment::Production,
        jwt_secret: Some(JWT_SECRET.to_owned()),
        access_ttl_secs: 900,
        refresh_ttl_secs: 3600,
        trusted_proxies: Default::default(),
        cors_origins: Default::default(),
        workers: Some(2),
        rating: Default::default(),
        // Test receivers listen on 127.0.0.1 over plain http.
        webhooks: baqylau::config::WebhookArgs {
            webhook_allow_hosts: "127.0.0.1".parse().unwrap(),
            ..Default::default()
        },
        // Tests close months themselves (`ratings::close`): a job that stored a month on
        // start would store it before the test has written its data.
        snapshots: baqylau::config::SnapshotArgs {
            rating_snapshots: false,
            ..Default::default()
        },
    }
}

/// A fresh database of `backend` with migrations and reference data applied; `None`
/// when PostgreSQL is unavailable outside CI.
pub fn fresh_database(backend: Backend) -> Option<(DbTarget, DbGuard, tempfile::TempDir)> {
    let dir = temp_dir();
    match backend {
        Backend::Sqlite => {
            let sqlite_dir = temp_dir();
            let target = DbTarget::Sqlite(sqlite_dir.path().join("baqylau.db"));
            Some((target, DbGuard::Sqlite(sqlite_dir), dir))
        }
        Backend::Postgres => {
            let mut admin = postgres_admin()?;
            let name = format!("bq_test_{}", unique());
            admin
                .batch_execute(&format!("CREATE DATABASE \"{name}\""))
                .expect("create the test database");
            Some((
                DbTarget::Postgres(pg_url_for(&name)),
                DbGuard::Postgres(name),
                dir,
            ))
        }
    }
}

pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |_| {}).await
}

pub async fn spawn_app_with(
    backend: Backend,
    adjust: impl FnOnce(&mut Settings),
) -> Option<TestApp> {
    let (target, guard, static_dir) = fresh_database(backend)?;
    Some(start(target, guard, static_dir, adjust).await)
}

/// The app on a database the caller created (and will drop).
pub async fn spawn_app_with_target(database_url: String) -> TestApp {
    let target = DbTarget::parse(Some(&database_url)).unwrap();
    start(target, DbGuard::External, temp_dir(), |_| {}).await
}

async fn start(
    target: DbTarget,
    guard: DbGuard,
    static_dir: tempfile::TempDir,
    adjust: impl FnOnce(&mut Settings),
) -> TestApp {
    let _ = captured_logs();
    std::fs::write(
        static_dir.path().join("index.html"),
        "<!doctype html><title>Baqylau test shell</title><div id=app>SPA-SHELL</div>",
    )
    .unwrap();
    let mut settings = settings(&target, static_dir.path().to_owned());
    adjust(&mut settings);
    let backend = match target {
        DbTarget::Sqlite(_) => Backend::Sqlite,
        DbTarget::Postgres(_) => Backend::Postgres,
    };
    let db = Db::connect(settings.database.target().unwrap(), 4).expect("connect");
    db.migrate().expect("migrate");
    {
        let mut conn = db.get().expect("conn");
        baqylau::reference::load::load(&mut conn).expect("reference data");
    }
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let clock = CLOCK.with(|c| c.borrow_mut().take()).unwrap_or_default();
    let app = Application::build_with_clock(settings.clone(), db.clone(), listener, clock)
        .expect("build app");
    let port = app.port();
    let handle = app.handle();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        db,
        backend,
        handle,
        settings,
        _guard: guard,
        _static: static_dir,
    }
}

thread_local! {
    /// The clock the next app started on this thread runs on (the system clock when unset).
    static CLOCK: std::cell::RefCell<Option<baqylau::kit::clock::Clock>> = const { std::cell::RefCell::new(None) };
}

/// The same kind of app as `app` (its backend, a fresh database) on a fixed clock.
pub async fn respawn_at(app: TestApp, at: &str) -> TestApp {
    let at = chrono::DateTime::parse_from_rfc3339(at)
        .unwrap()
        .with_timezone(&chrono::Utc);
    CLOCK.with(|c| *c.borrow_mut() = Some(baqylau::kit::clock::Clock::fixed(at)));
    respawn_with(app, |_| {}).await
}

/// KATO codes used by the fixtures.
pub mod kato {
    pub const ZHAMBYL: &str = "310000000";
    pub const BAIZAK: &str = "313600000";
    pub const SARYKEMER: &str = "313630000";
    pub const KORDAI: &str = "314800000";
}

/// The same kind of app as `app` (its backend, a fresh database) with adjusted settings,
/// for tests inside `both_backends!` that need a non-default configuration.
pub async fn respawn_with(app: TestApp, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let backend = app.backend;
    drop(app);
    spawn_app_with(backend, adjust)
        .await
        .expect("the backend was available a moment ago")
}

impl TestApp {
    /// Stops this server abruptly — in-flight requests and the webhook worker are dropped
    /// mid-way, as in a crash — and starts a new one, with the same settings, on the same
    /// database (migrations and reference data are applied again, as on any start).
    pub async fn restart(self) -> TestApp {
        let TestApp {
            db,
            handle,
            settings,
            _guard,
            _static,
            ..
        } = self;
        handle.stop(false).await;
        let target = db.target().clone();
        drop(db);
        start(target, _guard, _static, move |s| *s = settings).await
    }

    /// The dashboard directory the app serves (`index.html` is the test shell).
    pub fn static_dir(&self) -> &std::path::Path {
        self._static.path()
    }
}
