//! Appeals at scale: bulk-loads N realistic appeals, starts the real server on port 0 and
//! measures the export (wall time, bytes, peak resident-memory growth), list latency, and
//! concurrent creates against the server's rate for a trivial request.
//!
//! `cargo bench -p baqylau-api --bench appeals`, with
//! - `BAQYLAU_BENCH_ROWS`: how many appeals (default 100 000);
//! - `BAQYLAU_BENCH_PG`: a PostgreSQL admin URL (postgres://postgres@127.0.0.1:5432/postgres):
//!   also run on a fresh database there, dropped at the end;
//! - `BAQYLAU_BENCH_KEEP=1`: keep the databases afterwards, to EXPLAIN what was slow;
//! - `BAQYLAU_BENCH_STEPS`: which measurements, comma-separated, of
//!   `plans,exports,lists,creates` (all by default); the load always runs.
//!
//! It prints figures and never asserts timings: they depend on the machine. Row counts are
//! asserted, so a fast but wrong export cannot pass for a result.

#[path = "load/creates.rs"]
mod creates;
#[path = "load/exports.rs"]
mod exports;
#[path = "load/fixture/mod.rs"]
mod fixture;
#[path = "load/lists.rs"]
mod lists;
#[path = "load/memory.rs"]
mod memory;
#[path = "load/plans.rs"]
mod plans;

use std::time::Duration;

use anyhow::{anyhow, ensure, Context};
use baqylau::db::Db;

use exports::{export, xlsx_rows};
use fixture::*;
use lists::{latency, walk_to_page, Params, SAMPLES};
use memory::rss_kib;

const DEFAULT_ROWS: usize = 100_000;
/// The page the deep-cursor case reads.
const DEEP_PAGE: usize = 50;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let rows = match std::env::var("BAQYLAU_BENCH_ROWS") {
        Ok(v) => v
            .trim()
            .replace('_', "")
            .parse::<usize>()
            .context("BAQYLAU_BENCH_ROWS must be a number")?,
        Err(_) => DEFAULT_ROWS,
    };
    ensure!(rows > 0, "BAQYLAU_BENCH_ROWS must be positive");
    let keep = std::env::var("BAQYLAU_BENCH_KEEP").is_ok_and(|v| v == "1");
    let steps = std::env::var("BAQYLAU_BENCH_STEPS")
        .unwrap_or_else(|_| "plans,exports,lists,creates".to_owned());
    let steps = Steps(steps.split(',').map(|s| s.trim().to_owned()).collect());
    println!("== Baqylau appeals benchmark");
    println!(
        "machine: {} CPU(s) available, {} build, /proc/self/status VmRSS {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        if cfg!(debug_assertions) {
            "DEBUG (numbers are not representative)"
        } else {
            "release"
        },
        if rss_kib().is_some() {
            "readable"
        } else {
            "not available: memory figures are 0"
        },
    );
    println!("appeals: {rows}");

    let mut backends = vec![Backend::Sqlite];
    if let Ok(admin) = std::env::var("BAQYLAU_BENCH_PG") {
        backends.push(Backend::Postgres(admin));
    } else {
        println!("(PostgreSQL skipped: set BAQYLAU_BENCH_PG to an admin URL to include it)");
    }
    for backend in backends {
        run(backend, rows, keep, &steps).await?;
    }
    Ok(())
}

/// The measurements asked for.
struct Steps(Vec<String>);

impl Steps {
    fn has(&self, step: &str) -> bool {
        self.0.iter().any(|s| s == step)
    }
}

async fn run(backend: Backend, rows: usize, keep: bool, steps: &Steps) -> anyhow::Result<()> {
    let (target, scratch, label) = prepare(&backend, keep)?;
    println!();
    println!("=== {label}");
    let pool_size = 10; // the server's default (BAQYLAU_DB_POOL_SIZE)
    let db = Db::connect(target.clone(), pool_size)?;
    db.migrate()?;
    {
        let mut conn = db.get().map_err(|e| anyhow!("{e:?}"))?;
        baqylau::reference::load::load(&mut conn)?;
    }

    // 1. Bulk load.
    let load_db = db.clone();
    let loaded = tokio::task::spawn_blocking(move || bulk_load(&load_db, rows)).await??;
    println!(
        "seed --scale {rows}: {:.0} appeals/s",
        rows as f64 / loaded.total().as_secs_f64(),
    );
    println!("{loaded}");

    if steps.has("plans") {
        println!();
        let db = db.clone();
        tokio::task::spawn_blocking(move || print_plans(&db)).await??;
    }

    // 2. The real server, and two callers.
    let (base, server, _static_dir) = start_server(&target, &db, pool_size)?;

    let (baizak_id, zhambyl_id) = {
        let db = db.clone();
        tokio::task::spawn_blocking(move || make_users(&db)).await??
    };
    let client = reqwest::Client::new();
    let admin = login(&client, &base, ADMIN).await?;
    let staff = login(&client, &base, STAFF).await?;

    if steps.has("exports") {
        exports_table(&client, &base, &admin, &staff, rows, zhambyl_id).await?;
    }

    // 4. List latency.
    if steps.has("lists") {
        let baizak = baizak_id.to_string();
        let mut cases: Vec<(String, &str, Params)> =
            vec![("first page, default".to_owned(), admin.as_str(), vec![])];
        // Pages of the default size (50); a small run may not have DEEP_PAGE of them.
        let deep = DEEP_PAGE.min(rows.div_ceil(50));
        if deep >= 2 {
            let cursor = walk_to_page(&client, &base, &admin, deep).await?;
            cases.push((
                format!("page {deep} via cursor"),
                admin.as_str(),
                vec![("cursor", cursor)],
            ));
        }
        cases.extend([
            (
                "q=су".to_owned(),
                admin.as_str(),
                vec![("q", "су".to_owned())],
            ),
            (
                "q=Ақсу су".to_owned(),
                admin.as_str(),
                vec![("q", "Ақсу су".to_owned())],
            ),
            (
                "status=in_progress&overdue=true".to_owned(),
                admin.as_str(),
                vec![
                    ("status", "in_progress".to_owned()),
                    ("overdue", "true".to_owned()),
                ],
            ),
            (
                "territory_id=Baizak&include_total".to_owned(),
                admin.as_str(),
                vec![
                    ("territory_id", baizak),
                    ("include_total", "true".to_owned()),
                ],
            ),
            (
                "territory_id=Zhambyl region".to_owned(),
                admin.as_str(),
                vec![("territory_id", zhambyl_id.to_string())],
            ),
            (
                "district staff, default (scoped)".to_owned(),
                staff.as_str(),
                vec![],
            ),
        ]);
        println!();
        println!(
            "{:<36} {:>10} {:>10} {:>10} {:>7} {:>8}",
            "GET /api/v1/appeals", "median ms", "p95 ms", "max ms", "items", "total"
        );
        for (name, token, params) in &cases {
            let l = latency(&client, &base, token, params).await?;
            println!(
                "{:<36} {:>10.1} {:>10.1} {:>10.1} {:>7} {:>8}",
                name,
                ms(l.median),
                ms(l.p95),
                ms(l.max),
                l.items,
                l.total.map_or_else(|| "-".to_owned(), |t| t.to_string()),
            );
        }
        println!(
        "({SAMPLES} sequential requests per case after one warm-up; wall time to the full body)"
    );
    }

    // 5. Concurrent creates against the same server's trivial-request rate.
    if steps.has("creates") {
        println!();
        println!(
            "{:<36} {:>8} {:>9} {:>10} {:>10} {:>10}",
            "concurrent requests (5 s each)", "clients", "requests", "per s", "median ms", "p95 ms"
        );
        let trivial = creates::trivial(&client, &base, 32).await?;
        let mut rows_out = vec![("GET /healthz".to_owned(), 32, trivial)];
        for clients in [1, 8, 32] {
            let rate = creates::creates(&client, &base, &admin, baizak_id, clients).await?;
            rows_out.push(("POST /appeals".to_owned(), clients, rate));
        }
        for (name, clients, r) in &rows_out {
            println!(
                "{:<36} {:>8} {:>9} {:>10.0} {:>10.1} {:>10.1}",
                name,
                clients,
                r.requests,
                r.per_sec,
                ms(r.median),
                ms(r.p95),
            );
        }
        println!("(every create answered 201; each loop sends its next request when answered)");
    }

    server.stop(true).await;
    drop(db);
    drop(scratch);
    Ok(())
}

/// The query plans of the hot lists, for the Baizak district and Zhambyl region.
fn print_plans(db: &Db) -> anyhow::Result<()> {
    use baqylau::db::schema::territories;
    use diesel::prelude::*;
    let mut conn = db.get().map_err(|e| anyhow!("{e:?}"))?;
    let mut path = |kato: &str| -> QueryResult<String> {
        territories::table
            .filter(territories::kato_code.eq(kato))
            .select(territories::path)
            .first(&mut *conn)
    };
    let (region, district) = (path(ZHAMBYL)?, path(BAIZAK)?);
    let today = baqylau::db::compat::now().date().to_string();
    plans::print(&mut conn, &region, &district, &today)
}

/// CSV and XLSX exports: rows, time, memory.
async fn exports_table(
    client: &reqwest::Client,
    base: &str,
    admin: &str,
    staff: &str,
    rows: usize,
    zhambyl_id: i64,
) -> anyhow::Result<()> {
    let csv = export(client, base, admin, "csv", &[], None).await?;
    ensure!(
        csv.rows == rows as u64,
        "CSV export has {} rows, expected {rows}",
        csv.rows
    );
    let xlsx_file = tempfile::Builder::new()
        .prefix("baqylau-bench-")
        .suffix(".xlsx")
        .tempfile()?;
    let xlsx_path = xlsx_file.path().to_owned();
    let mut xlsx = export(client, base, admin, "xlsx", &[], Some(&xlsx_path)).await?;
    xlsx.rows = tokio::task::spawn_blocking(move || xlsx_rows(&xlsx_path)).await??;
    drop(xlsx_file);
    ensure!(
        xlsx.rows == rows as u64,
        "XLSX export has {} rows, expected {rows}",
        xlsx.rows
    );
    // The staff's own district: a subset, to see whether memory follows the row count.
    let csv_scoped = export(client, base, staff, "csv", &[], None).await?;
    let csv_region = export(
        client,
        base,
        admin,
        "csv",
        &[("territory_id", zhambyl_id.to_string())],
        None,
    )
    .await?;

    println!();
    println!(
        "{:<34} {:>9} {:>9} {:>10} {:>9} {:>10} {:>9} {:>9} {:>9}",
        "export", "rows", "wall s", "first B s", "MiB", "rows/s", "RSS base", "RSS peak", "growth"
    );
    for (name, e) in [
        ("CSV, everything (admin)", &csv),
        ("XLSX, everything (admin)", &xlsx),
        ("CSV, Baizak district (staff)", &csv_scoped),
        ("CSV, territory_id=Zhambyl (admin)", &csv_region),
    ] {
        println!(
            "{:<34} {:>9} {:>9.2} {:>10.2} {:>9.1} {:>10.0} {:>9.1} {:>9.1} {:>9.1}",
            name,
            e.rows,
            e.wall.as_secs_f64(),
            e.first_byte.as_secs_f64(),
            mib(e.bytes),
            e.rows as f64 / e.wall.as_secs_f64(),
            kib_to_mib(e.rss_baseline),
            kib_to_mib(e.rss_peak),
            kib_to_mib(e.rss_peak.saturating_sub(e.rss_baseline)),
        );
    }
    println!("(memory in MiB: whole-process VmRSS sampled every 5 ms, server and client together)");

    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn kib_to_mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}
