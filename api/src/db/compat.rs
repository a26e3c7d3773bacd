//! Every place where SQLite and PostgreSQL must be treated differently. Model code calls
//! these functions and never matches on the backend itself.

use chrono::{NaiveDateTime, Timelike, Utc};
use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};

use super::DbConn;

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
            (
                "to_tsvector('simple', appeals.search_text) @@ to_tsquery('simple', ",
                expr,
            )
        }
    }
}

#[derive(QueryableByName, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ColumnInfo {
    #[diesel(sql_type = Text)]
    pub table_name: String,
    #[diesel(sql_type = Text)]
    pub column_name: String,
    #[diesel(sql_type = Text)]
    pub data_type: String,
    #[diesel(sql_type = BigInt)]
    pub not_null: i64,
}

/// Tables that exist on one backend only, by design: SQLite's FTS5 index and its shadow
/// tables, and each migration runner's bookkeeping.
pub fn is_backend_specific_table(name: &str) -> bool {
    name.starts_with("appeals_fts")
        || name.starts_with("sqlite_")
        || name == "__diesel_schema_migrations"
}

/// Every column of every application table, with its type folded to a family both
/// backends share (integer, text, boolean, timestamp, date, real).
pub fn schema_columns(conn: &mut DbConn) -> QueryResult<Vec<ColumnInfo>> {
    let rows: Vec<ColumnInfo> = match backend(conn) {
        Backend::Postgres => diesel::sql_query(
            "SELECT c.table_name::text AS table_name, c.column_name::text AS column_name, \
                    c.data_type::text AS data_type, \
                    CASE WHEN c.is_nullable = 'NO' THEN 1 ELSE 0 END::bigint AS not_null \
             FROM information_schema.columns c \
             JOIN information_schema.tables t \
               ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
             WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'",
        )
        .load(conn)?,
        Backend::Sqlite => diesel::sql_query(
            "SELECT m.name AS table_name, p.name AS column_name, p.type AS data_type, \
                    CAST((p.\"notnull\" OR p.pk) AS BIGINT) AS not_null \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table'",
        )
        .load(conn)?,
    };
    let mut rows: Vec<ColumnInfo> = rows
        .into_iter()
        .filter(|c| !is_backend_specific_table(&c.table_name))
        .map(|c| ColumnInfo {
            data_type: type_family(&c.data_type).to_owned(),
            ..c
        })
        .collect();
    rows.sort();
    Ok(rows)
}

fn type_family(declared: &str) -> &'static str {
    let t = declared.to_ascii_lowercase();
    if t.contains("int") {
        "integer"
    } else if t.contains("bool") {
        "boolean"
    } else if t.contains("timestamp") {
        "timestamp"
    } else if t == "date" {
        "date"
    } else if t.contains("double") || t.contains("real") || t.contains("float") {
        "real"
    } else if t.contains("text") || t.contains("char") {
        "text"
    } else {
        "other"
    }
}

/// A CHECK constraint: the table and the expression inside `CHECK (...)`, as the backend
/// keeps it (PostgreSQL rewrites `x IN ('a', 'b')` as `(x = ANY (ARRAY['a'::text, ...]))`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CheckInfo {
    pub table_name: String,
    pub expression: String,
}

#[derive(QueryableByName)]
struct TableSql {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    sql: String,
}

/// Every CHECK constraint of every application table. SQLite keeps no catalog of
/// constraints, only each table's `CREATE TABLE` text, so they are read out of it.
pub fn schema_checks(conn: &mut DbConn) -> QueryResult<Vec<CheckInfo>> {
    let mut checks: Vec<CheckInfo> = match backend(conn) {
        Backend::Postgres => diesel::sql_query(
            "SELECT t.relname::text AS table_name, pg_get_constraintdef(c.oid) AS sql \
             FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid \
             WHERE c.contype = 'c' AND t.relnamespace = current_schema()::regnamespace",
        )
        .load::<TableSql>(conn)?
        .into_iter()
        .flat_map(|t| check_expressions(&t.sql).into_iter().map(move |e| (t.table_name.clone(), e)))
        .map(|(table_name, expression)| CheckInfo { table_name, expression })
        .collect(),
        Backend::Sqlite => diesel::sql_query(
            "SELECT name AS table_name, sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL",
        )
        .load::<TableSql>(conn)?
        .into_iter()
        .flat_map(|t| check_expressions(&t.sql).into_iter().map(move |e| (t.table_name.clone(), e)))
        .map(|(table_name, expression)| CheckInfo { table_name, expression })
        .collect(),
    };
    checks.retain(|c| !is_backend_specific_table(&c.table_name));
    checks.sort();
    Ok(checks)
}

/// The expressions of the `CHECK (...)` clauses in `sql`, with `--` comments ignored and
/// parentheses inside quoted strings not counted.
fn check_expressions(sql: &str) -> Vec<String> {
    let code: String = sql
        .lines()
        .map(strip_comment)
        .collect::<Vec<_>>()
        .join("\n");
    let upper = code.to_ascii_uppercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = upper[from..].find("CHECK") {
        let after = from + at + "CHECK".len();
        from = after;
        let rest = code[after..].trim_start();
        if !rest.starts_with('(') {
            continue;
        }
        let open = code.len() - rest.len();
        let (mut depth, mut quoted) = (0usize, false);
        for (i, ch) in code[open..].char_indices() {
            match ch {
                '\'' => quoted = !quoted,
                '(' if !quoted => depth += 1,
                ')' if !quoted => {
                    depth -= 1;
                    if depth == 0 {
                        found.push(code[open + 1..open + i].trim().to_owned());
                        from = open + i;
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    found
}

fn strip_comment(line: &str) -> &str {
    let mut quoted = false;
    let bytes = line.as_bytes();
    for i in 0..bytes.len() {
        match bytes[i] {
            b'\'' => quoted = !quoted,
            b'-' if !quoted && bytes.get(i + 1) == Some(&b'-') => return &line[..i],
            _ => {}
        }
    }
    line
}

/// An index: its name, table, columns in order (empty for an expression index), whether
/// it is unique, and why it exists — `c` created by `CREATE INDEX`, `u` backing a UNIQUE
/// constraint, `pk` backing the primary key (SQLite's `pragma_index_list` origins).
#[derive(QueryableByName, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct IndexInfo {
    #[diesel(sql_type = Text)]
    pub table_name: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub columns: String,
    #[diesel(sql_type = BigInt)]
    pub unique: i64,
    #[diesel(sql_type = Text)]
    pub origin: String,
}

/// Every index of every application table.
pub fn schema_indexes(conn: &mut DbConn) -> QueryResult<Vec<IndexInfo>> {
    let mut rows: Vec<IndexInfo> = match backend(conn) {
        Backend::Postgres => diesel::sql_query(
            "SELECT t.relname::text AS table_name, i.relname::text AS name, \
                    COALESCE((SELECT string_agg(a.attname::text, ',' ORDER BY k.ord) \
                              FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
                              JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum), '') AS columns, \
                    CASE WHEN x.indisunique THEN 1 ELSE 0 END::bigint AS \"unique\", \
                    CASE WHEN x.indisprimary THEN 'pk' \
                         WHEN EXISTS (SELECT 1 FROM pg_constraint c \
                                      WHERE c.conindid = x.indexrelid AND c.contype = 'u' \
                                        AND c.conrelid = t.oid) THEN 'u' \
                         ELSE 'c' END AS origin \
             FROM pg_index x \
             JOIN pg_class i ON i.oid = x.indexrelid \
             JOIN pg_class t ON t.oid = x.indrelid \
             WHERE t.relnamespace = current_schema()::regnamespace",
        )
        .load(conn)?,
        Backend::Sqlite => diesel::sql_query(
            "SELECT m.name AS table_name, il.name AS name, \
                    COALESCE((SELECT group_concat(name, ',') FROM \
                              (SELECT ii.name FROM pragma_index_info(il.name) ii ORDER BY ii.seqno)), '') AS columns, \
                    CAST(il.\"unique\" AS BIGINT) AS \"unique\", il.origin AS origin \
             FROM sqlite_master m JOIN pragma_index_list(m.name) il \
             WHERE m.type = 'table'",
        )
        .load(conn)?,
    };
    rows.retain(|i| !is_backend_specific_table(&i.table_name));
    rows.sort();
    Ok(rows)
}

/// A foreign key: `table (columns) REFERENCES ref_table (ref_columns)`. SQLite does not
/// name them, so names are left out.
#[derive(QueryableByName, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ForeignKeyInfo {
    #[diesel(sql_type = Text)]
    pub table_name: String,
    #[diesel(sql_type = Text)]
    pub columns: String,
    #[diesel(sql_type = Text)]
    pub ref_table: String,
    #[diesel(sql_type = Text)]
    pub ref_columns: String,
}

/// Every foreign key of every application table.
pub fn schema_foreign_keys(conn: &mut DbConn) -> QueryResult<Vec<ForeignKeyInfo>> {
    let mut rows: Vec<ForeignKeyInfo> = match backend(conn) {
        Backend::Postgres => diesel::sql_query(
            "SELECT t.relname::text AS table_name, \
                    (SELECT string_agg(a.attname::text, ',' ORDER BY k.ord) \
                     FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord) \
                     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS columns, \
                    r.relname::text AS ref_table, \
                    (SELECT string_agg(a.attname::text, ',' ORDER BY k.ord) \
                     FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord) \
                     JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS ref_columns \
             FROM pg_constraint c \
             JOIN pg_class t ON t.oid = c.conrelid \
             JOIN pg_class r ON r.oid = c.confrelid \
             WHERE c.contype = 'f' AND t.relnamespace = current_schema()::regnamespace",
        )
        .load(conn)?,
        Backend::Sqlite => diesel::sql_query(
            "SELECT m.name AS table_name, group_concat(fk.\"from\", ',') AS columns, \
                    fk.\"table\" AS ref_table, group_concat(COALESCE(fk.\"to\", ''), ',') AS ref_columns \
             FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) fk \
             WHERE m.type = 'table' \
             GROUP BY m.name, fk.id, fk.\"table\"",
        )
        .load(conn)?,
    };
    rows.retain(|f| !is_backend_specific_table(&f.table_name));
    rows.sort();
    Ok(rows)
}

#[derive(QueryableByName)]
struct Single {
    #[diesel(sql_type = Nullable<BigInt>)]
    value: Option<i64>,
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
    fn check_clauses_are_found_with_nested_parentheses() {
        let sql = "CREATE TABLE t (\n    -- not a CHECK (x) here\n    \
                   a TEXT CHECK (a IN ('x)', 'y')),\n    id INTEGER CHECK(id = 1)\n)";
        assert_eq!(check_expressions(sql), ["a IN ('x)', 'y')", "id = 1"]);
        assert_eq!(
            check_expressions("CHECK ((kind = ANY (ARRAY['a'::text, 'b'::text])))"),
            ["(kind = ANY (ARRAY['a'::text, 'b'::text]))"]
        );
    }

    #[test]
    fn stored_time_has_microsecond_precision() {
        let t = now();
        assert_eq!(t.nanosecond() % 1_000, 0);
    }
}
