//! `baqylau seed --scale <appeals>`: realistic, deterministic synthetic data for
//! measuring at scale, written in bulk into an empty database — appeals over every
//! territory of the regions (cities and big districts hear more) across five years with
//! their histories, deputies with assignments, yearly road maps with indicators and
//! progress, and mobile receptions with the appeals heard on site.
//!
//! It writes rows directly (multi-row INSERTs in large transactions), not through the
//! operations, which would take hours at a million appeals. What the operations keep
//! consistent it keeps too: registration numbers are those `appeals::register` would
//! give (region code, year of the registration day, gap-free from 1), the counters
//! continue after them, and generated ids continue after the given ones
//! (`compat::continue_ids`). It writes no audit trail, outbox events or users: the data
//! was never changed by anyone.

mod appeals;
mod bulk;
mod people;
mod places;
mod receptions;
mod roadmaps;
mod texts;

use std::fmt;
use std::time::{Duration, Instant};

use anyhow::ensure;
use chrono::Datelike;
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::SeedableRng;

use crate::config::DatabaseArgs;
use crate::db::schema::{
    appeal_categories, appeals as appeals_table, deputies, receptions as receptions_table,
    reg_counters, roadmaps as roadmaps_table,
};
use crate::db::{compat, DbConn};

/// Who the generated history names.
const ACTOR: &str = "baqylau seed --scale";
/// Appeals per transaction.
const TX_APPEALS: usize = 20_000;
/// Deputies per thousand appeals (about 5 000 for a million).
const DEPUTIES_PER_1000: usize = 5;
/// Road-map indicators per thousand appeals.
const INDICATORS_PER_1000: usize = 10;
/// The tables written with ids given.
const TABLES_WITH_IDS: [&str; 10] = [
    "deputies",
    "assignments",
    "appeals",
    "history",
    "receptions",
    "reception_participants",
    "roadmaps",
    "roadmap_sections",
    "indicators",
    "indicator_progress",
];

#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// How many appeals.
    pub appeals: usize,
    /// The random seed: the same seed, count and day give the same data.
    pub seed: u64,
}

/// What was written, and how long each part took.
#[derive(Debug, Default)]
pub struct Report {
    pub appeals: usize,
    pub history: i64,
    pub deputies: usize,
    pub assignments: usize,
    pub receptions: i64,
    pub roadmaps: usize,
    pub indicators: usize,
    pub progress: usize,
    pub counters: usize,
    pub phases: Vec<(&'static str, Duration)>,
}

impl Report {
    pub fn total(&self) -> Duration {
        self.phases.iter().map(|p| p.1).sum()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} appeals ({} history entries, {} registration counters), {} deputies ({} assignments), {} receptions, {} road maps ({} indicators, {} progress reports)",
            self.appeals,
            self.history,
            self.counters,
            self.deputies,
            self.assignments,
            self.receptions,
            self.roadmaps,
            self.indicators,
            self.progress
        )?;
        for (phase, took) in &self.phases {
            writeln!(f, "  {phase:<40} {:>8.1} s", took.as_secs_f64())?;
        }
        write!(f, "  {:<40} {:>8.1} s", "total", self.total().as_secs_f64())
    }
}

/// The command: opens (and migrates) the database, loads, prints the report.
pub fn run(args: &DatabaseArgs, options: Options) -> anyhow::Result<()> {
    let db = crate::cli::open_db(args)?;
    let mut conn = db
        .get()
        .map_err(|_| anyhow::anyhow!("database unavailable"))?;
    let report = load(&mut conn, options)?;
    println!("{}: {report}", db.target().redacted());
    Ok(())
}

/// Fills an empty, migrated database with reference data loaded.
pub fn load(conn: &mut DbConn, options: Options) -> anyhow::Result<Report> {
    ensure!(
        options.appeals > 0,
        "--scale needs a positive number of appeals"
    );
    ensure!(
        is_empty(conn)?,
        "seed --scale fills an empty database: this one already has appeals, deputies, receptions or road maps"
    );
    let mut report = Report::default();
    let mut phase = Instant::now();
    let mut done = |report: &mut Report, name: &'static str| {
        report.phases.push((name, phase.elapsed()));
        phase = Instant::now();
    };
    // Five years up to the start of today (UTC): the same day gives the same data.
    let now = compat::now()
        .date()
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default();
    let start = now
        .date()
        .with_year(now.year() - 5)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or(now);
    let stream = |n: u64| StdRng::seed_from_u64(options.seed.wrapping_mul(1_000_003) + n);
    let places = places::Places::load(conn, &mut stream(1))?;
    let calendar = crate::reference::calendar::working(conn)?;
    let categories: Vec<String> = appeal_categories::table
        .filter(appeal_categories::active.eq(true))
        .order(appeal_categories::code)
        .select(appeal_categories::code)
        .load(conn)?;
    ensure!(!categories.is_empty(), "no appeal categories loaded");

    let deputies = compat::write_transaction(conn, |conn| {
        let count = (options.appeals * DEPUTIES_PER_1000 / 1_000).max(10);
        people::make(conn, &mut stream(2), &places, count, now)
    })?;
    report.deputies = deputies.count;
    report.assignments = deputies.assignments;
    done(&mut report, "deputies and assignments");

    let mut gen = appeals::Generator::new(
        stream(3),
        &places,
        &deputies,
        &calendar,
        categories,
        (start, now),
        options.appeals,
    );
    let mut reception_rng = stream(4);
    let mut next = 0;
    let mut last_event = 0;
    while next < options.appeals {
        let end = (next + TX_APPEALS).min(options.appeals);
        let batch: Vec<_> = (next..end).map(|i| gen.appeal(i, i as i64 + 1)).collect();
        if end == options.appeals {
            gen.finish();
        }
        // A reception still taking appeals is written with the batch that closes it.
        let open = match end < options.appeals {
            true => gen.receptions.pop(),
            false => None,
        };
        let closed = std::mem::replace(&mut gen.receptions, open.into_iter().collect());
        last_event = compat::write_transaction(conn, |conn| -> anyhow::Result<i64> {
            receptions::insert(conn, &mut reception_rng, &places, &closed)?;
            bulk::insert(conn, &batch, last_event)
        })?;
        next = end;
    }
    report.appeals = options.appeals;
    report.history = last_event;
    report.receptions = gen.reception_count;
    done(&mut report, "appeals, citizens, history, receptions");

    let made = compat::write_transaction(conn, |conn| {
        let maps = 2 * (start.year()..=now.year()).count().max(1);
        let per_map = (options.appeals * INDICATORS_PER_1000 / 1_000 / maps).max(5);
        roadmaps::make(
            conn,
            &mut stream(5),
            &places,
            &deputies,
            start.year()..=now.year(),
            per_map,
            now,
        )
    })?;
    report.roadmaps = made.roadmaps;
    report.indicators = made.indicators;
    report.progress = made.progress;
    done(&mut report, "road maps, indicators, progress");

    // Later registrations continue the numbering; later inserts continue the ids.
    report.counters = gen.seqs.len();
    compat::write_transaction(conn, |conn| -> anyhow::Result<()> {
        let counters: Vec<_> = gen
            .seqs
            .iter()
            .map(|((region, year), last)| {
                (
                    reg_counters::region_code.eq(region.clone()),
                    reg_counters::year.eq(*year),
                    reg_counters::last_value.eq(*last),
                )
            })
            .collect();
        crate::with_backend_connection!(&mut *conn, |c| diesel::insert_into(reg_counters::table)
            .values(counters)
            .execute(c))?;
        for table in TABLES_WITH_IDS {
            compat::continue_ids(conn, table)?;
        }
        Ok(())
    })?;
    done(&mut report, "counters and id sequences");
    compat::analyze(conn)?;
    done(&mut report, "planner statistics (PostgreSQL ANALYZE)");
    Ok(report)
}

fn is_empty(conn: &mut DbConn) -> QueryResult<bool> {
    let any = |n: Option<i64>| n.is_some();
    Ok(!any(appeals_table::table
        .select(appeals_table::id)
        .first(conn)
        .optional()?)
        && !any(deputies::table
            .select(deputies::id)
            .first(conn)
            .optional()?)
        && !any(receptions_table::table
            .select(receptions_table::id)
            .first(conn)
            .optional()?)
        && !any(roadmaps_table::table
            .select(roadmaps_table::id)
            .first(conn)
            .optional()?))
}
