//! `baqylau backup` and `baqylau restore`: a SQLite copy taken while the database is
//! written, put back into a fresh file, equal to the original row for row; what a
//! restore refuses; and PostgreSQL's answer (its own tools).

use std::path::{Path, PathBuf};
use std::process::Output;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel::SqliteConnection;

use crate::helpers::process::baqylau;
use crate::helpers::*;

fn run(args: &[&str], db: &Path) -> Output {
    let url = format!("sqlite://{}", db.display());
    baqylau()
        .args(args)
        .args(["--database-url", &url])
        .output()
        .expect("run baqylau")
}

#[track_caller]
fn succeeds(out: &Output) -> String {
    assert!(
        out.status.success(),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[track_caller]
fn fails(out: &Output) -> String {
    assert!(
        !out.status.success(),
        "succeeded: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A SQLite file with the demo data (`baqylau seed --demo`).
fn seeded(dir: &Path) -> PathBuf {
    let db = dir.join("live.db");
    succeeds(&run(&["seed", "--demo"], &db));
    db
}

fn open(path: &Path) -> SqliteConnection {
    let mut conn = SqliteConnection::establish(&path.to_string_lossy()).expect("open");
    conn.batch_execute("PRAGMA busy_timeout = 10000;")
        .expect("busy timeout");
    conn
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName, Debug, PartialEq)]
struct Definition {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    sql: String,
}

fn count(conn: &mut SqliteConnection, sql: &str) -> i64 {
    diesel::sql_query(sql)
        .get_result::<Count>(conn)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .n
}

/// The same tables, indexes and rows: every table compared both ways with `EXCEPT`.
fn assert_same_database(original: &Path, copy: &Path) {
    let mut conn = open(copy);
    diesel::sql_query("ATTACH DATABASE ? AS original")
        .bind::<Text, _>(original.to_string_lossy().into_owned())
        .execute(&mut conn)
        .expect("attach");
    let defs = |conn: &mut SqliteConnection, schema: &str| -> Vec<Definition> {
        diesel::sql_query(format!(
            "SELECT name, COALESCE(sql, '') AS sql FROM {schema}.sqlite_master \
             WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
        ))
        .load(conn)
        .expect("schema")
    };
    let (mine, theirs) = (defs(&mut conn, "main"), defs(&mut conn, "original"));
    assert_eq!(mine, theirs, "the same tables and indexes");
    let tables = baqylau::db::backup::tables(&mut conn).expect("tables");
    assert!(tables.len() > 30, "{tables:?}");
    let mut total = 0;
    for table in &tables {
        let rows = count(
            &mut conn,
            &format!("SELECT COUNT(*) AS n FROM main.\"{table}\""),
        );
        let before = count(
            &mut conn,
            &format!("SELECT COUNT(*) AS n FROM original.\"{table}\""),
        );
        assert_eq!(rows, before, "{table}: row count");
        for (a, b) in [("main", "original"), ("original", "main")] {
            let differing = count(
                &mut conn,
                &format!(
                    "SELECT COUNT(*) AS n FROM \
                     (SELECT * FROM {a}.\"{table}\" EXCEPT SELECT * FROM {b}.\"{table}\")"
                ),
            );
            assert_eq!(differing, 0, "{table}: rows in {a} missing from {b}");
        }
        total += rows;
    }
    for table in ["appeals", "users", "audit_log", "deputies"] {
        assert!(
            count(
                &mut conn,
                &format!("SELECT COUNT(*) AS n FROM main.{table}")
            ) > 0,
            "the demo data has {table}"
        );
    }
    assert!(total > 1000, "{total} rows compared");
}

#[test]
fn a_backup_taken_during_a_write_restores_to_an_equal_database() {
    let dir = temp_dir();
    let live = seeded(dir.path());
    // A writer holds the write lock with a change not yet committed: the backup does
    // not wait for it, and does not contain it.
    let mut writer = open(&live);
    writer
        .batch_execute(
            "BEGIN IMMEDIATE; CREATE TABLE half_done (x INTEGER); \
             INSERT INTO half_done VALUES (1); UPDATE appeals SET subject = 'half done';",
        )
        .expect("an open write transaction");
    let backup = dir.path().join("backups").join("baqylau-backup.db");
    let said = succeeds(&run(&["backup", "--to", &backup.to_string_lossy()], &live));
    assert!(said.contains("tables"), "{said}");
    writer.batch_execute("ROLLBACK;").expect("rollback");
    drop(writer);
    let leftovers: Vec<_> = std::fs::read_dir(backup.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        leftovers,
        ["baqylau-backup.db"],
        "no temporary file is left"
    );

    let restored = dir.path().join("fresh").join("restored.db");
    succeeds(&run(
        &["restore", "--from", &backup.to_string_lossy()],
        &restored,
    ));
    assert_same_database(&live, &restored);
    // The restored file is a working database: the server's own checks pass on it.
    let verify = succeeds(&run(&["audit", "verify"], &restored));
    assert!(verify.contains("intact"), "{verify}");
}

#[test]
fn restore_refuses_data_a_live_database_and_foreign_files() {
    let dir = temp_dir();
    let live = seeded(dir.path());
    let backup = dir.path().join("backup.db");
    let backup_arg = backup.to_string_lossy().into_owned();
    succeeds(&run(&["backup", "--to", &backup_arg], &live));
    let again = fails(&run(&["backup", "--to", &backup_arg], &live));
    assert!(again.contains("--force"), "{again}");
    succeeds(&run(&["backup", "--to", &backup_arg, "--force"], &live));

    // Over a database that holds data: only when asked.
    let mut conn = open(&live);
    diesel::sql_query(
        "DELETE FROM appeal_citizens WHERE appeal_id IN (SELECT MAX(id) FROM appeals)",
    )
    .execute(&mut conn)
    .expect("delete");
    let citizens = count(&mut conn, "SELECT COUNT(*) AS n FROM appeal_citizens");
    let refused = fails(&run(&["restore", "--from", &backup_arg], &live));
    assert!(
        refused.contains("holds data") && refused.contains("--force"),
        "{refused}"
    );
    // Never under a process that has it open, even when asked.
    let in_use = fails(&run(&["restore", "--from", &backup_arg, "--force"], &live));
    assert!(in_use.contains("in use"), "{in_use}");
    assert_eq!(
        count(&mut conn, "SELECT COUNT(*) AS n FROM appeal_citizens"),
        citizens,
        "nothing changed"
    );
    drop(conn);
    succeeds(&run(&["restore", "--from", &backup_arg, "--force"], &live));
    assert_same_database(&backup, &live);

    // A file that is not a Baqylau backup, or no file at all.
    let text = dir.path().join("notes.db");
    std::fs::write(
        &text,
        "not a database, just text that is long enough to look like one",
    )
    .unwrap();
    let fresh = dir.path().join("fresh.db");
    let foreign = fails(&run(
        &["restore", "--from", &text.to_string_lossy()],
        &fresh,
    ));
    assert!(foreign.contains("not a Baqylau database"), "{foreign}");
    let blank = dir.path().join("blank.db");
    open(&blank)
        .batch_execute("CREATE TABLE t (x INTEGER);")
        .unwrap();
    let other = fails(&run(
        &["restore", "--from", &blank.to_string_lossy()],
        &fresh,
    ));
    assert!(other.contains("no migrations table"), "{other}");
    let missing = fails(&run(&["restore", "--from", "/nonexistent/b.db"], &fresh));
    assert!(missing.contains("no SQLite database"), "{missing}");
    assert!(!fresh.exists(), "a refused restore creates nothing");
}

#[test]
fn postgres_backups_point_to_pg_dump() {
    for (args, tool) in [
        (["backup", "--to", "x.dump"], "pg_dump"),
        (["restore", "--from", "x.dump"], "pg_restore"),
    ] {
        // Nothing is connected to: the advice comes first.
        let out = baqylau()
            .args(args)
            .args(["--database-url", "postgres://nobody@127.0.0.1:9/none"])
            .output()
            .unwrap();
        let stderr = fails(&out);
        assert!(
            stderr.contains(tool) && stderr.contains("DEPLOYMENT.md"),
            "{stderr}"
        );
    }
}
