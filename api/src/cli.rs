//! The `baqylau` command line: serve (default), migrate, seed, openapi, user, audit,
//! ratings, backup, restore.

use clap::{Parser, Subcommand};
use diesel::prelude::*;

use crate::config::{DatabaseArgs, RatingConfig, Settings};
use crate::db::Db;

#[derive(Parser)]
#[command(
    name = "baqylau",
    version,
    about = "Baqylau: appeals under party control"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the API and the dashboard (the default).
    Serve(Box<Settings>),
    /// Apply pending migrations and load reference data.
    Migrate(DatabaseArgs),
    /// Load demo data for Zhambyl and Turkistan regions.
    Seed {
        /// Realistic demo users, deputies and appeals (idempotent).
        #[arg(long, conflicts_with = "scale")]
        demo: bool,
        /// Synthetic data at scale into an empty database: this many appeals, with
        /// deputies, receptions and road maps in proportion (docs/PERFORMANCE.md).
        #[arg(long, value_name = "APPEALS")]
        scale: Option<usize>,
        /// The random seed of `--scale`: the same seed, count and day give the same data.
        #[arg(long, default_value_t = 2026, requires = "scale")]
        seed: u64,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Print the OpenAPI document.
    Openapi,
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Inspect the audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Deputies' monthly ratings.
    Ratings {
        #[command(subcommand)]
        command: RatingsCommand,
    },
    /// Copy a SQLite database to a file while servers keep running (`VACUUM INTO`).
    /// PostgreSQL: use pg_dump (the command says how).
    Backup {
        /// The file to write; it appears complete or not at all.
        #[arg(long)]
        to: std::path::PathBuf,
        /// Replace an existing file.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Put a backup in place of the SQLite database. Stop the servers first.
    Restore {
        /// A file written by `baqylau backup`.
        #[arg(long)]
        from: std::path::PathBuf,
        /// Replace a database that holds data (anything beyond reference data).
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

#[derive(Subcommand)]
pub enum RatingsCommand {
    /// Store a finished month's ratings for every deputy without one (the background job
    /// does the same when a month closes); a stored month is left as it is.
    Snapshot {
        /// The month, `YYYY-MM`; the previous month when absent.
        #[arg(long)]
        month: Option<String>,
        #[command(flatten)]
        rating: RatingConfig,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a user, e.g. the first admin.
    Create {
        #[arg(long)]
        email: String,
        /// At least 12 characters. Prefer BAQYLAU_USER_PASSWORD to keep it out of shell history.
        #[arg(long, env = "BAQYLAU_USER_PASSWORD", hide_env_values = true)]
        password: String,
        #[arg(long)]
        role: String,
        /// KATO code or id of the territory the user works in.
        #[arg(long)]
        territory: Option<String>,
        #[arg(long)]
        display_name: Option<String>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain; exits 1 when it is broken.
    Verify(DatabaseArgs),
}

/// Opens the database and brings it up to date (migrations, reference data).
pub fn open_db(args: &DatabaseArgs) -> anyhow::Result<Db> {
    let db = Db::connect(args.target()?, args.pool_size)?;
    db.migrate()?;
    let mut conn = db
        .get()
        .map_err(|_| anyhow::anyhow!("database unavailable"))?;
    crate::reference::load::load(&mut conn)?;
    Ok(db)
}

pub fn migrate(args: &DatabaseArgs) -> anyhow::Result<()> {
    let db = Db::connect(args.target()?, args.pool_size)?;
    let applied = db.migrate()?;
    let mut conn = db
        .get()
        .map_err(|_| anyhow::anyhow!("database unavailable"))?;
    let loaded = crate::reference::load::load(&mut conn)?;
    println!(
        "{}: {} migration(s) applied; reference data added: {} territories, {} categories, {} calendar days",
        db.target().redacted(),
        applied.len(),
        loaded.territories,
        loaded.categories,
        loaded.calendar_days
    );
    Ok(())
}

pub fn user_create(
    args: &DatabaseArgs,
    email: &str,
    password: &str,
    role: &str,
    territory: Option<&str>,
    display_name: Option<&str>,
) -> anyhow::Result<()> {
    use crate::db::schema::territories;
    let db = open_db(args)?;
    let mut conn = db
        .get()
        .map_err(|_| anyhow::anyhow!("database unavailable"))?;
    let territory_id = match territory {
        None => None,
        Some(t) => Some(
            territories::table
                .filter(
                    territories::kato_code
                        .eq(t)
                        .or(territories::id.eq(t.parse::<i64>().unwrap_or(-1))),
                )
                .select(territories::id)
                .first::<i64>(&mut conn)
                .optional()?
                .ok_or_else(|| anyhow::anyhow!("no territory with KATO code or id {t}"))?,
        ),
    };
    let input = crate::users::NewUser {
        email: email.to_owned(),
        display_name: display_name.unwrap_or(email).to_owned(),
        password: crate::auth::password::NewPassword::prepare(password)?,
        role: role.to_owned(),
        territory_id,
        deputy_id: None,
        active: true,
    };
    let caller = crate::auth::Caller::system("baqylau user create");
    match crate::users::create(
        &mut conn,
        &caller,
        &crate::kit::clock::Clock::system(),
        input,
    ) {
        Ok(user) => {
            println!(
                "created user {} ({}) with role {}",
                user.id,
                user.email,
                user.role.as_str()
            );
            Ok(())
        }
        Err(crate::error::ApiError::Validation(errors)) => {
            for e in &errors {
                eprintln!("{}: {}", e.field, e.message);
            }
            anyhow::bail!("invalid user")
        }
        Err(e) => anyhow::bail!("{e}"),
    }
}

pub fn audit_verify(args: &DatabaseArgs) -> anyhow::Result<bool> {
    let db = Db::connect(args.target()?, args.pool_size)?;
    let mut conn = db
        .get()
        .map_err(|_| anyhow::anyhow!("database unavailable"))?;
    // Reads of personal data still pending join the chain first, so that the check
    // covers them too.
    let sealed = crate::audit::reveal::seal_all(&mut conn)?;
    if sealed > 0 {
        println!("sealed {sealed} pending personal-data reads into the chain");
    }
    match crate::audit::verify(&mut conn)? {
        crate::audit::Verification::Intact { rows } => {
            println!("audit trail intact: {rows} rows");
            Ok(true)
        }
        crate::audit::Verification::Broken { at_id, reason } => {
            eprintln!("audit trail BROKEN at row {at_id}: {reason}");
            Ok(false)
        }
    }
}

/// `baqylau ratings snapshot`: returns how many snapshots it stored.
pub fn ratings_snapshot(
    args: &DatabaseArgs,
    cfg: &RatingConfig,
    month: Option<&str>,
) -> anyhow::Result<usize> {
    use crate::ratings::period::Period;
    let clock = crate::kit::clock::Clock::system();
    let mut errors = Vec::new();
    let period = match month {
        None => Some(Period::of(clock.today()).previous()),
        Some(m) => Period::parse("month", m, &mut errors),
    };
    let Some(period) = period else {
        let why: Vec<String> = errors.iter().map(|e| e.message.to_string()).collect();
        anyhow::bail!("--month: {}", why.join("; "));
    };
    let db = open_db(args)?;
    let mut conn = db
        .get()
        .map_err(|_| anyhow::anyhow!("database unavailable"))?;
    match crate::ratings::close::close_month(&mut conn, &clock, cfg, period) {
        Ok(stored) => {
            println!("{}: stored {stored} rating snapshot(s)", period.label());
            Ok(stored)
        }
        Err(crate::error::ApiError::Validation(errors)) => {
            let why: Vec<String> = errors.iter().map(|e| e.message.to_string()).collect();
            anyhow::bail!("--month {}: {}", period.label(), why.join("; "))
        }
        Err(e) => anyhow::bail!("{e}"),
    }
}

/// `baqylau backup` and `baqylau restore`: which way the copy goes.
pub enum Copy {
    Backup,
    Restore,
}

/// Runs a backup or a restore of the database `args` names; the file is `file`.
pub fn copy(
    args: &DatabaseArgs,
    way: Copy,
    file: &std::path::Path,
    force: bool,
) -> anyhow::Result<()> {
    use crate::db::backup;
    use crate::db::DbTarget;
    let db = match args.target()? {
        DbTarget::Sqlite(path) => path,
        DbTarget::Postgres(_) => anyhow::bail!("{}", backup::POSTGRES_ADVICE),
    };
    let (done, from, to) = match way {
        Copy::Backup => (backup::backup(&db, file, force)?, &db, file),
        Copy::Restore => (
            backup::restore(file, &db, force)?,
            &file.to_owned(),
            db.as_path(),
        ),
    };
    println!(
        "copied {} to {}: {} tables, {} rows, {} bytes",
        from.display(),
        to.display(),
        done.tables,
        done.rows,
        done.bytes
    );
    Ok(())
}
