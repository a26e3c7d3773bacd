//! Every place where SQLite and PostgreSQL must be treated differently. Model code calls
//! these functions and never matches on the backend itself.

use chrono::{NaiveDateTime, Timelike, Utc};
use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};

use super::DbConn;

mod schema;

pub use schema::{
    is_backend_specific_table, schema_checks, schema_columns, schema_foreign_keys, schema_indexes,
    CheckInfo, ColumnInfo, ForeignKeyInfo, IndexInfo,
};

/// Which backend a connection talks to, for the few decisions below.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn backend(conn: &DbConn) -> Backend {
    match conn {
        DbConn::Sqlite(_) => Backend::Sqlite,
        DbConn::Postgres(_) => Backend::Postgres,
    }
}

/// Runs `$body` with the concrete connection bound to `$c`, for what diesel's
/// `MultiConnection` cannot express (multi-row INSERT: its `BatchInsert` needs a dialect
/// with the DEFAULT keyword). The body must compile for both backends.
#[macro_export]
macro_rules! with_backend_connection {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConn::Sqlite($c) => $body,
            $crate::db::DbConn::Postgres($c) => $body,
        }
    };
}

/// Opens a connection to `target`. SQLite gets its per-connection settings: WAL lets
/// readers run beside the single writer; busy_timeout makes a second writer wait instead
/// of failing at once; foreign keys are off unless asked for.
pub fn establish(target: &super::DbTarget) -> ConnectionResult<DbConn> {
    use diesel::connection::SimpleConnection;
    match target {
        super::DbTarget::Postgres(url) => {
            diesel::PgConnection::establish(url).map(DbConn::Postgres)
        }
        super::DbTarget::Sqlite(path) => {
            let mut conn = diesel::SqliteConnection::establish(&path.to_string_lossy())?;
            conn.batch_execute(
                "PRAGMA journal_mode = WAL; \
                 PRAGMA synchronous = NORMAL; \
                 PRAGMA foreign_keys = ON; \
                 PRAGMA busy_timeout = 10000;",
            )
            .map_err(|e| ConnectionError::BadConnection(e.to_string()))?;
            Ok(DbConn::Sqlite(conn))
        }
    }
}

/// Applies the embedded migrations of the connection's backend.
pub fn run_pending_migrations(conn: &mut DbConn) -> Result<Vec<String>, String> {
    use diesel_migrations::MigrationHarness;
    let applied = match conn {
        DbConn::Postgres(pg) => pg.run_pending_migrations(super::POSTGRES_MIGRATIONS),
        DbConn::Sqlite(lite) => lite.run_pending_migrations(super::SQLITE_MIGRATIONS),
    }
    .map_err(|e| e.to_string())?;
    Ok(applied.into_iter().map(|v| v.to_string()).collect())
}

/// The current time as stored: UTC, truncated to microseconds, because PostgreSQL keeps
/// microseconds and SQLite keeps whatever text it is given. Values that are hashed (the
/// audit chain) or compared after a round trip must be identical on both.
pub fn now() -> NaiveDateTime {
    truncate_micros(Utc::now().naive_utc())
}

pub fn truncate_micros(t: NaiveDateTime) -> NaiveDateTime {
    let micros = t.nanosecond() / 1_000 * 1_000;
    t.with_nanosecond(micros).unwrap_or(t)
}

/// A transaction that writes. On SQLite it starts with `BEGIN IMMEDIATE`, taking the
/// write lock up front: a deferred transaction that first reads and then writes fails
/// with SQLITE_BUSY when another writer got in between, and busy_timeout cannot help
/// it. PostgreSQL's row locks need no such care.
pub fn write_transaction<T, E, F>(conn: &mut DbConn, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    match conn {
        DbConn::Sqlite(lite) => {
            AnsiTransactionManager::begin_transaction_sql(lite, "BEGIN IMMEDIATE")?;
        }
        DbConn::Postgres(_) => {
            <DbConn as Connection>::TransactionManager::begin_transaction(conn)?;
        }
    }
    match work(conn) {
        Ok(value) => {
            <DbConn as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => {
            // The original error matters more than a failed rollback; a connection whose
            // rollback failed is marked broken and dropped by the pool.
            let _ = <DbConn as Connection>::TransactionManager::rollback_transaction(conn);
            Err(error)
        }
    }
}

/// The upper bound of a materialised-path range: every descendant path of `prefix`
/// sorts below it, byte-wise (PostgreSQL columns are `COLLATE "C"`, SQLite compares
/// bytes by default).
pub fn path_upper_bound(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

/// Turns user words into a full-text query that matches word prefixes: «су» finds
/// «суы», «Ақ» finds «ақсу». Returns `None` when no searchable word remains.
/// Words are lower-cased here, with Unicode rules, so Kazakh letters fold on both
/// backends whatever the database locale.
pub fn fulltext_words(q: &str) -> Vec<String> {
    q.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(|w| w.to_lowercase())
        .collect()
}

/// The SQL condition (with one bound text parameter) selecting appeal ids that match
/// all `words` as prefixes, as raw SQL for `diesel::dsl::sql`.
pub fn appeal_search_sql(conn: &DbConn, words: &[String]) -> (&'static str, String) {
    match backend(conn) {
        Backend::Sqlite => {
            let expr = words
                .iter()
                .map(|w| format!("\"{}\"*", w.replace('"', "")))
                .collect::<Vec<_>>()
                .join(" AND ");
            (
                "appeals.id IN (SELECT rowid FROM appeals_fts WHERE appeals_fts MATCH ",
                expr,
            )
        }
        Backend::Postgres => {
            let expr = words
                .iter()
                .map(|w| format!("'{}':*", w.replace(['\'', '\\'], "")))
                .collect::<Vec<_>>()
                .join(" & ");
            // The stored `to_tsvector('simple', search_text)` (migration list_indexes).
            ("appeals.search_vector @@ to_tsquery('simple', ", expr)
        }
    }
}

#[derive(QueryableByName)]
struct Single {
    #[diesel(sql_type = Nullable<BigInt>)]
    value: Option<i64>,
}

/// SQL for the whole days from timestamp column `from` to `to` (rounded down), for
/// grouping by duration: SQLite stores timestamps as text, PostgreSQL as timestamps.
pub fn whole_days_sql(conn: &DbConn, from: &str, to: &str) -> String {
    match backend(conn) {
        Backend::Sqlite => format!("CAST(julianday({to}) - julianday({from}) AS INTEGER)"),
        Backend::Postgres => {
            format!("CAST(FLOOR(EXTRACT(EPOCH FROM ({to} - {from})) / 86400) AS BIGINT)")
        }
    }
}

/// `SELECT 1`, for readiness probes.
pub fn ping(conn: &mut DbConn) -> QueryResult<()> {
    let rows: Vec<Single> = diesel::sql_query("SELECT CAST(1 AS BIGINT) AS value").load(conn)?;
    match rows.first().and_then(|r| r.value) {
        Some(1) => Ok(()),
        _ => Err(diesel::result::Error::NotFound),
    }
}

/// Whether a diesel error is a unique-constraint violation (both backends report it).
pub fn is_unique_violation(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

/// Whether `e` is a unique violation on `column`. PostgreSQL names the constraint
/// (`users_deputy_id_key`), SQLite names the column in its message
/// (`UNIQUE constraint failed: users.deputy_id`); both contain the column name.
pub fn violates_unique(e: &diesel::result::Error, column: &str) -> bool {
    match e {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            info,
        ) => {
            info.constraint_name().is_some_and(|c| c.contains(column))
                || info.message().contains(column)
        }
        _ => false,
    }
}

/// Raw SQL written with PostgreSQL's numbered placeholders (`$1`, `$2`, ...) for the
/// connection's backend: SQLite spells the same numbered parameters `?1`, `?2`. Used by
/// aggregate queries that diesel's DSL cannot group (by an expression).
pub fn numbered_placeholders(conn: &DbConn, sql: &str) -> String {
    match backend(conn) {
        Backend::Postgres => sql.to_owned(),
        Backend::Sqlite => {
            let mut out = String::with_capacity(sql.len());
            let mut chars = sql.chars().peekable();
            while let Some(c) = chars.next() {
                if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
                    out.push('?');
                } else {
                    out.push(c);
                }
            }
            out
        }
    }
}

/// SQL for the calendar date in Kazakhstan (UTC+5, `wire::time::almaty`) of a stored UTC
/// timestamp column, comparable with DATE columns and bound dates on the backend.
pub fn local_date_sql(conn: &DbConn, column: &str) -> String {
    match backend(conn) {
        Backend::Sqlite => format!("date({column}, '+5 hours')"),
        Backend::Postgres => format!("CAST({column} + INTERVAL '5 hours' AS DATE)"),
    }
}

/// Makes sure the registration counter of (region, year) exists. `INSERT ... ON
/// CONFLICT DO NOTHING` reads the same on both backends; only the placeholders differ.
pub fn ensure_counter(conn: &mut DbConn, region: &str, year: i32) -> QueryResult<()> {
    let sql = match backend(conn) {
        Backend::Sqlite => {
            "INSERT INTO reg_counters (region_code, year, last_value) VALUES (?, ?, 0) ON CONFLICT DO NOTHING"
        }
        Backend::Postgres => {
            "INSERT INTO reg_counters (region_code, year, last_value) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING"
        }
    };
    diesel::sql_query(sql)
        .bind::<Text, _>(region)
        .bind::<diesel::sql_types::Integer, _>(year)
        .execute(conn)?;
    Ok(())
}

/// After rows were written with their ids given (a bulk load into empty tables), makes
/// the next generated id of `table` follow the largest: PostgreSQL's identity sequence
/// does not move by itself; SQLite takes the largest rowid + 1 anyway.
pub fn continue_ids(conn: &mut DbConn, table: &'static str) -> QueryResult<()> {
    if backend(conn) == Backend::Postgres {
        diesel::sql_query(format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
             COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
        ))
        .execute(conn)?;
    }
    Ok(())
}

/// Refreshes the planner's statistics after a bulk load on PostgreSQL, as autovacuum
/// would soon after. SQLite is left without statistics, as the server never runs
/// `ANALYZE` there: its plans must be good on the planner's defaults, and the indexes
/// are chosen for that (docs/PERFORMANCE.md).
pub fn analyze(conn: &mut DbConn) -> QueryResult<()> {
    use diesel::connection::SimpleConnection;
    match backend(conn) {
        Backend::Postgres => conn.batch_execute("ANALYZE"),
        Backend::Sqlite => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fulltext_words_fold_kazakh_case_and_drop_punctuation() {
        assert_eq!(fulltext_words("  Ақ-Су, ҚАЛА! "), vec!["ақ", "су", "қала"]);
        assert_eq!(fulltext_words("ӘҒҚҢӨҰҮҺІ"), vec!["әғқңөұүһі"]);
        assert!(fulltext_words(" ,.; ").is_empty());
    }

    #[test]
    fn path_bound_sorts_after_every_descendant() {
        let p = "/310000000/313600000/";
        let child = "/310000000/313600000/313630000/";
        let sibling = "/310000000/313700000/";
        let upper = path_upper_bound(p);
        assert!(child >= p && child < upper.as_str());
        assert!(sibling > upper.as_str());
    }

    #[test]
    fn stored_time_has_microsecond_precision() {
        let t = now();
        assert_eq!(t.nanosecond() % 1_000, 0);
    }
}
