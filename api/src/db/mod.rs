//! Storage: one diesel code path over SQLite and PostgreSQL.
//!
//! [`DbConn`] is a `MultiConnection`: model code is written once against it. Everything
//! that must differ between the two backends lives in [`compat`], nowhere else.

pub mod backup;
pub mod compat;
pub mod schema;
mod target;
mod waits;

pub use target::DbTarget;
pub use waits::PoolWaits;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, R2D2Connection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations};

use crate::error::ApiError;

/// A connection to either backend; which one is decided by the `DATABASE_URL` scheme.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Postgres(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// The default embedded database, relative to the working directory.
pub const DEFAULT_SQLITE_PATH: &str = "data/baqylau.db";

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported DATABASE_URL scheme {0:?}: use sqlite://path, a path ending in .db, or postgres://")]
    UnknownScheme(String),
    #[error("unknown sslmode {0:?} in DATABASE_URL: use disable, allow, prefer, require, verify-ca or verify-full")]
    UnknownSslMode(String),
    #[error("cannot create the directory for the SQLite file {path}: {source}")]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot connect to the database ({target}): {source}")]
    Connect {
        target: String,
        source: r2d2::PoolError,
    },
    #[error("migrations failed: {0}")]
    Migrate(String),
}

/// An r2d2 manager that opens the backend named by [`DbTarget`] rather than letting
/// `MultiConnection::establish` guess from the URL.
pub struct Manager {
    target: DbTarget,
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        self.target
            .establish()
            .map_err(r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        conn.ping().map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConn = r2d2::PooledConnection<Manager>;

/// The pool plus the knowledge of which backend it serves.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    target: DbTarget,
    /// Poked after work that wrote an outbox event has returned (committed), so this
    /// process's webhook worker starts at once instead of at its next poll.
    outbox_wake: Arc<tokio::sync::Notify>,
    waits: PoolWaits,
}

/// How long work waits for a pooled connection: a request must not hang on a database
/// that is down; it gets a 503.
pub const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(5);

thread_local! {
    /// Whether the work running on this thread wrote an outbox event ([`note_outbox_write`]).
    static OUTBOX_WRITTEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Called by `kit::outbox` when it writes an event: [`Db::run`] wakes the webhook worker
/// once the work is done.
pub fn note_outbox_write() {
    OUTBOX_WRITTEN.with(|w| w.set(true));
}

impl Db {
    /// Opens the pool. The first connection is made eagerly, so a wrong URL fails at start.
    pub fn connect(target: DbTarget, pool_size: u32) -> Result<Db, DbError> {
        if let DbTarget::Sqlite(path) = &target {
            ensure_parent_dir(path)?;
        }
        let pool = r2d2::Pool::builder()
            .max_size(pool_size.max(1))
            .min_idle(Some(1))
            .connection_timeout(CHECKOUT_TIMEOUT)
            .test_on_check_out(true)
            .build(Manager {
                target: target.clone(),
            })
            .map_err(|source| DbError::Connect {
                target: target.redacted(),
                source,
            })?;
        Ok(Db {
            pool,
            target,
            outbox_wake: Arc::new(tokio::sync::Notify::new()),
            waits: PoolWaits::new(),
        })
    }

    pub fn target(&self) -> &DbTarget {
        &self.target
    }

    pub fn backend_name(&self) -> &'static str {
        self.target.backend_name()
    }

    /// Open and idle connections, for metrics.
    pub fn pool_state(&self) -> r2d2::State {
        self.pool.state()
    }

    /// Checkouts that waited or timed out, for metrics.
    pub fn pool_waits(&self) -> &PoolWaits {
        &self.waits
    }

    /// A pooled connection for blocking code (CLI commands, tests).
    pub fn get(&self) -> Result<PooledConn, ApiError> {
        self.get_quick(CHECKOUT_TIMEOUT)
    }

    /// Like [`Db::get`] with a short wait, for readiness probes.
    pub fn get_quick(&self, timeout: Duration) -> Result<PooledConn, ApiError> {
        self.waits.checkout(&self.pool, timeout).map_err(|e| {
            tracing::warn!(error = %e, "database unavailable");
            ApiError::Unavailable
        })
    }

    /// Runs blocking database work on actix's blocking thread pool, never on the executor.
    pub async fn run<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let db = self.clone();
        actix_web::web::block(move || {
            OUTBOX_WRITTEN.with(|w| w.set(false));
            let mut conn = db.get()?;
            let result = work(&mut conn);
            drop(conn);
            // After the work's transaction committed (or rolled back: a wasted round).
            if OUTBOX_WRITTEN.with(|w| w.replace(false)) {
                db.outbox_wake.notify_one();
            }
            result
        })
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("blocking task failed: {e}")))?
    }

    /// Resolves when work run through [`Db::run`] on this pool has written an outbox
    /// event (a wake-up stored while nobody waits is kept for the next waiter).
    pub async fn outbox_written(&self) {
        self.outbox_wake.notified().await
    }

    /// Applies every pending migration of this backend.
    pub fn migrate(&self) -> Result<Vec<String>, DbError> {
        let mut conn = self.pool.get().map_err(|source| DbError::Connect {
            target: self.target.redacted(),
            source,
        })?;
        run_migrations(&mut conn)
    }
}

/// The value of a text enum column (DECISIONS.md 9) as its Rust enum.
///
/// The CHECK constraints keep other text out, so a value no variant spells means the
/// database and this build disagree (a newer migration, a hand edit): that is logged
/// with where it was found and answered as a 500 `internal_error` when `?` meets an
/// `ApiError` — never mapped to some default, which would show or act on a state the
/// row is not in. The error is a diesel one so that query helpers returning
/// `QueryResult` can use it too.
pub fn enum_column<E>(table: &str, column: &str, value: &str) -> QueryResult<E>
where
    E: std::str::FromStr,
    E::Err: std::error::Error + Send + Sync + 'static,
{
    value.parse::<E>().map_err(|e| {
        tracing::error!(table, column, value, "unknown enum value in the database");
        diesel::result::Error::DeserializationError(Box::new(UnknownColumnValue {
            table: table.to_owned(),
            column: column.to_owned(),
            source: Box::new(e),
        }))
    })
}

/// [`enum_column`] for a nullable column.
pub fn enum_column_opt<E>(table: &str, column: &str, value: Option<&str>) -> QueryResult<Option<E>>
where
    E: std::str::FromStr,
    E::Err: std::error::Error + Send + Sync + 'static,
{
    value.map(|v| enum_column(table, column, v)).transpose()
}

/// Names a text enum column, for [`EnumText`].
pub trait TextColumn {
    const TABLE: &'static str;
    const COLUMN: &'static str;
}

/// Declares marker types naming text enum columns: `AppealsStatus = appeals.status`.
macro_rules! text_columns {
    ($($marker:ident = $table:ident . $column:ident),+ $(,)?) => {
        $(
            #[doc = concat!("`", stringify!($table), ".", stringify!($column), "`, for [`EnumText`].")]
            pub struct $marker;

            impl TextColumn for $marker {
                const TABLE: &'static str = stringify!($table);
                const COLUMN: &'static str = stringify!($column);
            }
        )+
    };
}

text_columns! {
    AppealsStatus = appeals.status,
    AppealsChannel = appeals.channel,
    AppealsLanguage = appeals.language,
    ReceptionsLevel = receptions.level,
    ReceptionsStatus = receptions.status,
    ReceptionsKind = receptions.kind,
    ProposalsOutcome = reception_proposals.outcome,
    ParticipantsRole = reception_participants.role,
    RoadmapsKind = roadmaps.kind,
    RoadmapsStatus = roadmaps.status,
    IndicatorsKind = indicators.kind,
    IndicatorsStatus = indicators.status,
    DeputiesLevel = deputies.level,
    DeputiesMandateStatus = deputies.mandate_status,
    PartyRolesRole = deputy_party_roles.role,
    CandidatesStatus = reserve_candidates.status,
}

/// The raw text of enum column `C`, for `#[diesel(deserialize_as = EnumText<C>)]` on a
/// row field typed as the enum: the row then fails to load (a logged 500, see
/// [`enum_column`]) instead of carrying text that code would later have to parse — and
/// could be tempted to default. The wire enums cannot implement diesel's traits
/// themselves (the dashboard shares them and knows no diesel), so this carries them.
#[derive(diesel::deserialize::FromSqlRow)]
pub struct EnumText<C>(String, std::marker::PhantomData<C>);

impl<C: TextColumn> EnumText<C> {
    /// Called by diesel's `Queryable` derive, which looks for an inherent `try_into`
    /// before the trait one, so a generic target works despite the orphan rule.
    pub fn try_into<E>(self) -> diesel::deserialize::Result<E>
    where
        E: std::str::FromStr,
        E::Err: std::error::Error + Send + Sync + 'static,
    {
        Ok(enum_column(C::TABLE, C::COLUMN, &self.0)?)
    }
}

impl<C, DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for EnumText<C>
where
    DB: diesel::backend::Backend,
    String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
        Ok(EnumText(String::from_sql(bytes)?, std::marker::PhantomData))
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{table}.{column}: {source}")]
struct UnknownColumnValue {
    table: String,
    column: String,
    source: Box<dyn std::error::Error + Send + Sync>,
}

/// Applies the embedded migrations that match the connection's backend.
pub fn run_migrations(conn: &mut DbConn) -> Result<Vec<String>, DbError> {
    compat::run_pending_migrations(conn).map_err(DbError::Migrate)
}

fn ensure_parent_dir(path: &Path) -> Result<(), DbError> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() && !dir.exists() => std::fs::create_dir_all(dir)
            .map_err(|source| DbError::CreateDir {
                path: dir.to_owned(),
                source,
            }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_enum_values_are_errors_not_defaults() {
        use baqylau_wire::appeals::Status;
        let ok: Status = enum_column("appeals", "status", "resolved").unwrap();
        assert_eq!(ok, Status::Resolved);
        let err = enum_column::<Status>("appeals", "status", "archived").unwrap_err();
        assert!(
            matches!(err, diesel::result::Error::DeserializationError(_)),
            "{err:?}"
        );
        assert!(err.to_string().contains("appeals.status"), "{err}");
        assert!(matches!(ApiError::from(err), ApiError::Internal(_)));
        assert_eq!(
            enum_column_opt::<Status>("history", "to_status", None).unwrap(),
            None
        );
    }
}
