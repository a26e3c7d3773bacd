//! Copies of a SQLite database taken while it is in use, and put back.
//!
//! A backup is `VACUUM INTO`: it reads inside one transaction, so the copy is the
//! database as of one moment even while a server writes (WAL lets it), and it is compact
//! and needs no `-wal` beside it. A restore copies the backup the same way.
//!
//! Neither ever leaves a half-written file where a database is expected: the copy is
//! written beside its destination under a temporary name, flushed to disk, checked, and
//! renamed over the destination — a rename within one directory is atomic, so a crash
//! leaves the old file or the new one. A restore refuses a destination that holds data
//! unless told to replace it, and refuses one that another connection has open (a
//! running server): replacing a file under a live SQLite connection corrupts what it
//! writes next.
//!
//! PostgreSQL is backed up with its own tools (`pg_dump`, `pg_restore`), see
//! [`POSTGRES_ADVICE`].

use std::fs::File;
use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel::SqliteConnection;

/// What `baqylau backup` and `baqylau restore` say for a PostgreSQL database.
pub const POSTGRES_ADVICE: &str = "\
PostgreSQL is backed up and restored with its own tools, which copy a live database \
consistently:
  pg_dump --format=custom --file=baqylau.dump \"$DATABASE_URL\"
  pg_restore --clean --if-exists --no-owner --dbname=\"$DATABASE_URL\" baqylau.dump
See docs/DEPLOYMENT.md (Backups) for schedules and point-in-time recovery.";

/// Tables that hold reference data loaded by `baqylau migrate`, not anything a person
/// entered: a database holding only these is empty for [`restore`].
const REFERENCE_TABLES: &[&str] = &[
    "__diesel_schema_migrations",
    "territories",
    "appeal_categories",
    "calendar_days",
];

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("no SQLite database at {0}")]
    Missing(PathBuf),
    #[error("{0} exists; pass --force to replace it")]
    Exists(PathBuf),
    #[error("{path} holds data ({rows} rows in {table}); pass --force to replace it")]
    HoldsData {
        path: PathBuf,
        table: String,
        rows: i64,
    },
    #[error("{0} is in use (is a server running on it?): stop every process using it first")]
    InUse(PathBuf),
    #[error("{path} is not a Baqylau database: {why}")]
    NotBaqylau { path: PathBuf, why: String },
    #[error("{path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: diesel::result::Error,
    },
    #[error("cannot open {path}: {source}")]
    Open {
        path: PathBuf,
        source: diesel::ConnectionError,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What a copy holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub bytes: u64,
    pub tables: usize,
    pub rows: i64,
}

/// Writes a consistent copy of the database at `db` to `to`; an existing `to` is
/// replaced only when `replace`.
pub fn backup(db: &Path, to: &Path, replace: bool) -> Result<Copied, BackupError> {
    let mut source = open_existing(db)?;
    if to.exists() && !replace {
        return Err(BackupError::Exists(to.to_owned()));
    }
    copy_into_place(&mut source, db, to, None)
}

/// Puts the backup at `from` in place of the database at `db`. A `db` holding data is
/// replaced only when `replace`; one in use by another process never is.
pub fn restore(from: &Path, db: &Path, replace: bool) -> Result<Copied, BackupError> {
    let mut source = open_existing(from)?;
    check_baqylau(&mut source, from)?;
    // The restored file keeps the mode of the one it replaces.
    let mode = std::fs::metadata(db).ok().map(|m| m.permissions());
    if db.exists() {
        let mut target = open_existing(db)?;
        if !replace {
            if let Some((table, rows)) = first_data(&mut target, db)? {
                return Err(BackupError::HoldsData {
                    path: db.to_owned(),
                    table,
                    rows,
                });
            }
        }
        // Leaving WAL needs the only connection: it fails while a server has the file
        // open, and otherwise folds the `-wal` file in and deletes it.
        target
            .batch_execute("PRAGMA busy_timeout = 2000; PRAGMA journal_mode = DELETE;")
            .map_err(|_| BackupError::InUse(db.to_owned()))?;
    }
    // A `-wal` left beside the new file would be replayed into it on the next open.
    for suffix in ["-wal", "-shm"] {
        let side = with_suffix(db, suffix);
        if side.exists() {
            std::fs::remove_file(&side).map_err(|source| BackupError::Io { path: side, source })?;
        }
    }
    copy_into_place(&mut source, from, db, mode)
}

/// `VACUUM INTO` a temporary file beside `to`, check it, flush it, rename it to `to`.
/// The copy is readable by its owner only (it holds citizens' personal data) unless
/// `mode` says otherwise.
fn copy_into_place(
    source: &mut SqliteConnection,
    source_path: &Path,
    to: &Path,
    mode: Option<std::fs::Permissions>,
) -> Result<Copied, BackupError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| BackupError::Io { path, source }
    };
    let dir = match to.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let name = to.file_name().map(|n| n.to_string_lossy().into_owned());
    let partial = dir.join(format!(
        ".{}.partial-{}",
        name.as_deref().unwrap_or("baqylau.db"),
        std::process::id()
    ));
    let _ = std::fs::remove_file(&partial);
    let written = diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(partial.to_string_lossy().into_owned())
        .execute(source)
        .map_err(|e| sqlite_error(source_path, e));
    let checked = written.and_then(|_| {
        let mut copy = open_existing(&partial)?;
        quick_check(&mut copy, &partial)?;
        let (tables, rows) = count_rows(&mut copy, &partial)?;
        Ok((tables, rows))
    });
    let (tables, rows) = match checked {
        Ok(counts) => counts,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    match mode {
        Some(mode) => std::fs::set_permissions(&partial, mode),
        None => owner_only(&partial),
    }
    .map_err(io(&partial))?;
    File::open(&partial)
        .and_then(|f| f.sync_all())
        .map_err(io(&partial))?;
    let bytes = std::fs::metadata(&partial).map_err(io(&partial))?.len();
    std::fs::rename(&partial, to).map_err(io(to))?;
    // The rename itself is durable once the directory is flushed.
    File::open(&dir)
        .and_then(|d| d.sync_all())
        .map_err(io(&dir))?;
    Ok(Copied {
        bytes,
        tables,
        rows,
    })
}

/// Opens a SQLite file that must already exist (opening creates a missing one).
fn open_existing(path: &Path) -> Result<SqliteConnection, BackupError> {
    if !path.is_file() {
        return Err(BackupError::Missing(path.to_owned()));
    }
    let mut conn = SqliteConnection::establish(&path.to_string_lossy()).map_err(|source| {
        BackupError::Open {
            path: path.to_owned(),
            source,
        }
    })?;
    conn.batch_execute("PRAGMA busy_timeout = 10000;")
        .map_err(|e| sqlite_error(path, e))?;
    Ok(conn)
}

fn sqlite_error(path: &Path, source: diesel::result::Error) -> BackupError {
    BackupError::Sqlite {
        path: path.to_owned(),
        source,
    }
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The tables of a database, in name order (SQLite's own excluded).
pub fn tables(conn: &mut SqliteConnection) -> QueryResult<Vec<String>> {
    let names: Vec<Name> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .load(conn)?;
    Ok(names.into_iter().map(|n| n.name).collect())
}

fn row_count(conn: &mut SqliteConnection, table: &str) -> QueryResult<i64> {
    // A table name from sqlite_master, quoted as an identifier.
    let sql = format!(
        "SELECT COUNT(*) AS n FROM \"{}\"",
        table.replace('"', "\"\"")
    );
    Ok(diesel::sql_query(sql).get_result::<Count>(conn)?.n)
}

fn count_rows(conn: &mut SqliteConnection, path: &Path) -> Result<(usize, i64), BackupError> {
    let err = |e| sqlite_error(path, e);
    let names = tables(conn).map_err(err)?;
    let mut rows = 0;
    for table in &names {
        rows += row_count(conn, table).map_err(err)?;
    }
    Ok((names.len(), rows))
}

/// The first table beyond reference data that holds rows, with its count.
fn first_data(
    conn: &mut SqliteConnection,
    path: &Path,
) -> Result<Option<(String, i64)>, BackupError> {
    let err = |e| sqlite_error(path, e);
    for table in tables(conn).map_err(err)? {
        if REFERENCE_TABLES.contains(&table.as_str()) {
            continue;
        }
        let rows = row_count(conn, &table).map_err(err)?;
        if rows > 0 {
            return Ok(Some((table, rows)));
        }
    }
    Ok(None)
}

fn quick_check(conn: &mut SqliteConnection, path: &Path) -> Result<(), BackupError> {
    #[derive(QueryableByName)]
    struct Verdict {
        #[diesel(sql_type = Text)]
        quick_check: String,
    }
    let verdict: Vec<Verdict> = diesel::sql_query("PRAGMA quick_check")
        .load(conn)
        .map_err(|e| sqlite_error(path, e))?;
    match verdict.first().map(|v| v.quick_check.as_str()) {
        Some("ok") => Ok(()),
        other => Err(BackupError::NotBaqylau {
            path: path.to_owned(),
            why: format!("integrity check failed: {}", other.unwrap_or("no answer")),
        }),
    }
}

/// A file to restore from is a sound SQLite database that Baqylau migrated, with no
/// migration this build does not know (a backup of a newer version).
fn check_baqylau(conn: &mut SqliteConnection, path: &Path) -> Result<(), BackupError> {
    use diesel::migration::MigrationSource;
    let not = |why: String| BackupError::NotBaqylau {
        path: path.to_owned(),
        why,
    };
    quick_check(conn, path).map_err(|_| not("not a sound SQLite database".to_owned()))?;
    #[derive(QueryableByName)]
    struct Version {
        #[diesel(sql_type = Text)]
        version: String,
    }
    let applied: Vec<Version> =
        diesel::sql_query("SELECT version FROM __diesel_schema_migrations ORDER BY version")
            .load(conn)
            .map_err(|_| not("it has no migrations table".to_owned()))?;
    let known: Vec<String> =
        MigrationSource::<diesel::sqlite::Sqlite>::migrations(&super::SQLITE_MIGRATIONS)
            .map_err(|e| not(format!("embedded migrations unreadable: {e}")))?
            .iter()
            .map(|m| m.name().version().to_string())
            .collect();
    if let Some(newer) = applied.iter().find(|v| !known.contains(&v.version)) {
        return Err(not(format!(
            "migration {} is unknown to this version of baqylau (a backup of a newer one?)",
            newer.version
        )));
    }
    Ok(())
}

#[cfg(unix)]
fn owner_only(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn owner_only(_: &Path) -> std::io::Result<()> {
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
