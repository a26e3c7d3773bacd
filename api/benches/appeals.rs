//! Appeals at scale: bulk-loads N realistic appeals, starts the real server on port 0 and
//! measures the export (wall time, bytes, peak resident-memory growth), list latency, and
//! concurrent creates against the server's rate for a trivial request.
//!
//! `cargo bench -p baqylau-api --bench appeals`, with
//! - `BAQYLAU_BENCH_ROWS`: how many appeals (default 100 000);
//! - `BAQYLAU_BENCH_PG`: a PostgreSQL admin URL (postgres://postgres@127.0.0.1:5432/postgres):
//!   also run on a fresh database there, dropped at the end;
//! - `BAQYLAU_BENCH_KEEP=1`: keep the databases afterwards, to EXPLAIN what was slow.
//!
//! It prints figures and never asserts timings: they depend on the machine. Row counts are
//! asserted, so a fast but wrong export cannot pass for a result.

#[path = "load/creates.rs"]
mod creates;

use std::collections::HashMap;
use std::io::Write;
use std::net::TcpListener;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, ensure, Context};
use baqylau::appeals::model;
use baqylau::auth::password::NewPassword;
use baqylau::auth::Caller;
use baqylau::config::{DatabaseArgs, Environment, Settings};
use baqylau::db::schema::{appeal_categories, appeal_citizens, appeals, reg_counters, territories};
use baqylau::db::{Db, DbConn, DbTarget};
use baqylau::domain::appeal::{self as rules, Channel};
use baqylau::http::startup::Application;
use baqylau::kit::clock::Clock;
use baqylau::users::{self, NewUser};
use chrono::{Duration as Days, NaiveDate, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

const DEFAULT_ROWS: usize = 100_000;
/// Rows per INSERT statement: 25 binds a row stays under SQLite's 32 766 and
/// PostgreSQL's 65 535 bind parameters.
const BATCH: usize = 500;
/// Rows per transaction.
const TX_ROWS: usize = 5_000;
const PASSWORD: &str = "bench-password-long-enough";
const ADMIN: &str = "bench-admin@baqylau.kz";
const STAFF: &str = "bench-baizak@baqylau.kz";
const BAIZAK: &str = "313600000";
/// Zhambyl region: the subtree of a regional staff member, about a third of the appeals.
const ZHAMBYL: &str = "310000000";
/// Timed requests per list case (after one warm-up).
const SAMPLES: usize = 30;
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
        run(backend, rows, keep).await?;
    }
    Ok(())
}

enum Backend {
    Sqlite,
    /// The admin URL the fresh database is created from.
    Postgres(String),
}

/// Where one run's data lives; removed when dropped unless kept.
enum Scratch {
    Sqlite(Option<tempfile::TempDir>),
    Postgres {
        admin: String,
        name: String,
        keep: bool,
    },
}

impl Drop for Scratch {
    fn drop(&mut self) {
        match self {
            Scratch::Sqlite(dir) => {
                if let Some(dir) = dir.take() {
                    if let Err(e) = dir.close() {
                        eprintln!("could not remove the SQLite temp dir: {e}");
                    }
                }
            }
            Scratch::Postgres { admin, name, keep } => {
                if *keep {
                    return;
                }
                let dropped = diesel::PgConnection::establish(admin)
                    .map_err(|e| e.to_string())
                    .and_then(|mut c| {
                        c.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                            .map_err(|e| e.to_string())
                    });
                if let Err(e) = dropped {
                    eprintln!("could not drop the bench database {name}: {e}");
                }
            }
        }
    }
}

fn pg_url_for(admin: &str, db_name: &str) -> String {
    match admin.rfind('/') {
        Some(i) if i > "postgres://".len() => format!("{}/{db_name}", &admin[..i]),
        _ => format!("{admin}/{db_name}"),
    }
}

fn unique() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{}_{nanos}", std::process::id())
}

fn prepare(backend: &Backend, keep: bool) -> anyhow::Result<(DbTarget, Scratch, &'static str)> {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::Builder::new()
                .prefix("baqylau-bench-")
                .tempdir()?;
            let path = dir.path().join("baqylau.db");
            let scratch = if keep {
                let kept = dir.keep();
                println!("keeping the SQLite database in {}", kept.display());
                Scratch::Sqlite(None)
            } else {
                Scratch::Sqlite(Some(dir))
            };
            Ok((DbTarget::Sqlite(path), scratch, "SQLite"))
        }
        Backend::Postgres(admin) => {
            let name = format!("bq_bench_{}", unique());
            let mut conn = diesel::PgConnection::establish(admin)
                .with_context(|| format!("PostgreSQL at {admin} is unreachable"))?;
            conn.batch_execute(&format!("CREATE DATABASE \"{name}\""))?;
            let url = pg_url_for(admin, &name);
            if keep {
                println!("keeping the PostgreSQL database: {url}");
            }
            Ok((
                DbTarget::Postgres(url),
                Scratch::Postgres {
                    admin: admin.clone(),
                    name,
                    keep,
                },
                "PostgreSQL",
            ))
        }
    }
}

async fn run(backend: Backend, rows: usize, keep: bool) -> anyhow::Result<()> {
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
        "bulk insert: {rows} appeals + {rows} citizens in {:.1} s = {:.0} appeals/s ({BATCH} rows a statement, {TX_ROWS} a transaction)",
        loaded.elapsed.as_secs_f64(),
        rows as f64 / loaded.elapsed.as_secs_f64(),
    );
    println!("{}", loaded.statistics);

    // 2. The real server, and two callers.
    let static_dir = tempfile::Builder::new()
        .prefix("baqylau-bench-static-")
        .tempdir()?;
    std::fs::write(
        static_dir.path().join("index.html"),
        "<!doctype html><title>bench</title>",
    )?;
    let settings = Settings {
        bind: "127.0.0.1:0".parse()?,
        database: DatabaseArgs {
            database_url: Some(match &target {
                DbTarget::Sqlite(p) => format!("sqlite://{}", p.display()),
                DbTarget::Postgres(u) => u.clone(),
            }),
            pool_size,
        },
        static_dir: static_dir.path().to_owned(),
        environment: Environment::Production,
        jwt_secret: Some("bench-secret-that-is-long-enough-for-hs256".to_owned()),
        access_ttl_secs: 3600,
        refresh_ttl_secs: 3600,
        trusted_proxies: Default::default(),
        workers: None,
        rating: Default::default(),
        webhooks: Default::default(),
    };
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let app = Application::build_with(settings, db.clone(), listener)?;
    let base = format!("http://127.0.0.1:{}", app.port());
    let server = app.handle();
    tokio::spawn(app.run_until_stopped());

    let (baizak_id, zhambyl_id) = {
        let db = db.clone();
        tokio::task::spawn_blocking(move || make_users(&db)).await??
    };
    let client = reqwest::Client::new();
    let admin = login(&client, &base, ADMIN).await?;
    let staff = login(&client, &base, STAFF).await?;

    // 3. Exports.
    let csv = export(&client, &base, &admin, "csv", &[], None).await?;
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
    let mut xlsx = export(&client, &base, &admin, "xlsx", &[], Some(&xlsx_path)).await?;
    xlsx.rows = tokio::task::spawn_blocking(move || xlsx_rows(&xlsx_path)).await??;
    drop(xlsx_file);
    ensure!(
        xlsx.rows == rows as u64,
        "XLSX export has {} rows, expected {rows}",
        xlsx.rows
    );
    // The staff's own district: a subset, to see whether memory follows the row count.
    let csv_scoped = export(&client, &base, &staff, "csv", &[], None).await?;
    let csv_region = export(
        &client,
        &base,
        &admin,
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

    // 4. List latency.
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

    // 5. Concurrent creates against the same server's trivial-request rate.
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

    server.stop(true).await;
    drop(db);
    drop(scratch);
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

// ---------------------------------------------------------------------------------------
// Bulk load

struct Loaded {
    elapsed: Duration,
    /// How the planner statistics were left.
    statistics: &'static str,
}

/// A rural okrug or settlement appeals can be registered in.
struct Place {
    id: i64,
    path: String,
    name_ru: String,
    region: String,
}

struct Topic {
    category: &'static str,
    kk_subject: &'static str,
    ru_subject: &'static str,
    kk_detail: &'static str,
    ru_detail: &'static str,
}

/// What the branch hears about; `{p}` is a place name.
const TOPICS: &[Topic] = &[
    Topic {
        category: "UTIL_WATER",
        kk_subject: "{p} ауылында ауыз су жоқ",
        ru_subject: "Нет питьевой воды в селе {p}",
        kk_detail: "Су құбыры тозған, тұрғындар тасымалданған суды сатып алуға мәжбүр.",
        ru_detail: "Водопровод изношен, жители покупают привозную воду.",
    },
    Topic {
        category: "ROADS",
        kk_subject: "{p} ауылының жолын жөндеу",
        ru_subject: "Ремонт дороги в селе {p}",
        kk_detail: "Орталық көшедегі жол бұзылған, жаңбырдан кейін жүру мүмкін емес.",
        ru_detail: "Центральная улица разбита, после дождей проехать невозможно.",
    },
    Topic {
        category: "UTIL_GAS",
        kk_subject: "{p} ауылын газдандыру",
        ru_subject: "Газификация села {p}",
        kk_detail: "Газ құбыры тартылмаған, қыста көмір бағасы қымбат.",
        ru_detail: "Газопровод не проведён, зимой уголь дорожает.",
    },
    Topic {
        category: "UTIL_POWER",
        kk_subject: "{p}: жарық жиі өшеді",
        ru_subject: "Частые отключения света в селе {p}",
        kk_detail: "Күн сайын жарық өшеді, тұрмыстық техника бұзылып жатыр.",
        ru_detail: "Свет отключают каждый день, бытовая техника выходит из строя.",
    },
    Topic {
        category: "UTIL_IRRIGATION",
        kk_subject: "{p}: суару суы жетпейді",
        ru_subject: "Нет поливной воды в селе {p}",
        kk_detail: "Суару каналы тазаланбаған, егістікке су жетпейді.",
        ru_detail: "Оросительный канал не очищен, вода до полей не доходит.",
    },
    Topic {
        category: "LAND_PLOT",
        kk_subject: "Жер телімін беру кезегі",
        ru_subject: "Очередь на земельный участок",
        kk_detail: "{p} ауылында жеке үй салуға жер телімі кезегі жылжымайды.",
        ru_detail: "Очередь на участок под ИЖС в селе {p} не движется много лет.",
    },
    Topic {
        category: "PASTURE",
        kk_subject: "{p} маңындағы жайылым",
        ru_subject: "Пастбища у села {p}",
        kk_detail: "Жайылым жекеменшікке берілген, мал жаятын жер қалмады.",
        ru_detail: "Пастбища переданы в частные руки, скот пасти негде.",
    },
    Topic {
        category: "STREET_LIGHT",
        kk_subject: "{p} ауылында көше жарығы жоқ",
        ru_subject: "Нет уличного освещения в селе {p}",
        kk_detail: "Кешке көшеде жарық жанбайды, балалар мектептен қараңғыда қайтады.",
        ru_detail: "Фонари не горят, дети возвращаются из школы в темноте.",
    },
    Topic {
        category: "PRESCHOOL",
        kk_subject: "Балабақшада орын жоқ",
        ru_subject: "Нет мест в детском саду",
        kk_detail: "{p} ауылындағы балабақшаға кезек екі жылға созылды.",
        ru_detail: "Очередь в детский сад в селе {p} растянулась на два года.",
    },
    Topic {
        category: "HEALTH",
        kk_subject: "{p}: фельдшерлік пункт жабылды",
        ru_subject: "Закрыт ФАП в селе {p}",
        kk_detail: "Жақын емхана 60 шақырым жерде, жол нашар.",
        ru_detail: "Ближайшая поликлиника в 60 километрах, дорога плохая.",
    },
    Topic {
        category: "TRANSPORT",
        kk_subject: "{p} ауылына автобус қатынамайды",
        ru_subject: "Нет автобуса до села {p}",
        kk_detail: "Аудан орталығына баратын автобус тоқтап қалды, жол жабық.",
        ru_detail: "Автобус до райцентра перестал ходить.",
    },
    Topic {
        category: "FLOOD_EMERGENCY",
        kk_subject: "Су тасқыны қаупі, {p}",
        ru_subject: "Угроза паводка в селе {p}",
        kk_detail: "Өзен жағасы шайылып, үйлерге су жақындап қалды.",
        ru_detail: "Берег реки размыт, вода подходит к домам.",
    },
    Topic {
        category: "ILLEGAL_MINING",
        kk_subject: "Заңсыз құм-қиыршық тас карьері",
        ru_subject: "Незаконный карьер песчано-гравийной смеси",
        kk_detail: "{p} ауылының жанында рұқсатсыз құм өндіріледі, жол бұзылды.",
        ru_detail: "Возле села {p} без разрешения добывают песок, дорога разбита.",
    },
    Topic {
        category: "SOCIAL_BENEFITS",
        kk_subject: "Әлеуметтік көмек тағайындау",
        ru_subject: "Назначение социальной помощи",
        kk_detail: "Көп балалы отбасыға атаулы әлеуметтік көмек тағайындалмады.",
        ru_detail: "Многодетной семье не назначили адресную социальную помощь.",
    },
    Topic {
        category: "UTIL_TARIFF",
        kk_subject: "Су және жарық тарифі өсті",
        ru_subject: "Рост тарифов на воду и свет",
        kk_detail: "Коммуналдық қызмет тарифі ескертусіз көтерілді.",
        ru_detail: "Тарифы на коммунальные услуги подняли без предупреждения.",
    },
];

/// Places named in Kazakh texts (the reference data names territories in Russian only).
const KK_PLACES: &[&str] = &[
    "Ақсу",
    "Ақсукент",
    "Сарыкемер",
    "Байтерек",
    "Көксу",
    "Қаратау",
    "Жаңатас",
    "Шаян",
    "Абай",
    "Бөген",
    "Түлкібас",
    "Шарбұлақ",
    "Қызылсай",
    "Мойынқұм",
];

const KK_GENERIC: &[&str] = &[
    "Әкімдікке бірнеше рет жүгіндік, жауап болмады.",
    "Мәселені шешуге көмектесуіңізді сұраймыз.",
    "Ауылда 300-ден астам отбасы тұрады.",
    "Бұл мәселе үш жылдан бері шешілмей келеді.",
    "Ақсу өзенінің бойындағы ауылдар да осы жағдайда.",
    "Жол мен су мәселесін қатар шешу керек.",
    "Қыста газ болмаса, мектеп те жылымайды.",
];

const RU_GENERIC: &[&str] = &[
    "Обращались в акимат несколько раз, ответа нет.",
    "Просим помочь решить вопрос.",
    "В селе живут более 300 семей.",
    "Проблема не решается уже три года.",
    "Жители готовы участвовать в субботнике.",
    "Просим рассмотреть на сессии маслихата.",
];

const KK_SURNAMES: &[&str] = &[
    "Әбдірахманов",
    "Жолдасбеков",
    "Тұрсынбаев",
    "Оспанов",
    "Сейітов",
    "Қасымов",
    "Нұрғалиев",
    "Ахметов",
    "Байжанов",
    "Ермеков",
    "Сәрсенбаев",
    "Мұратов",
];
const KK_MEN: &[&str] = &[
    "Нұрлан",
    "Ерлан",
    "Бақытжан",
    "Марат",
    "Ақылбек",
    "Серік",
    "Данияр",
    "Асхат",
];
const KK_WOMEN: &[&str] = &["Гүлмира", "Айжан", "Сәуле", "Динара", "Әсел", "Жанар"];
const RU_SURNAMES: &[&str] = &["Иванов", "Ким", "Петров", "Ли", "Шевченко", "Цой"];
const RU_MEN: &[&str] = &["Сергей", "Олег", "Андрей", "Виктор"];
const RU_WOMEN: &[&str] = &["Светлана", "Елена", "Ольга", "Наталья"];
const STREETS: &[&str] = &[
    "Абай",
    "Төле би",
    "Жамбыл",
    "Бейбітшілік",
    "Мектеп",
    "Орталық",
];

const BODIES: &[&str] = &[
    "Аудан әкімдігі",
    "Ауыл әкімі аппараты",
    "Жер қатынастары бөлімі",
    "ТКШ, жолаушылар көлігі және автомобиль жолдары бөлімі",
    "Облыстық энергетика басқармасы",
    "Аудандық білім бөлімі",
];
const FORWARDED_TO: &[&str] = &[
    "Облыстық экология департаменті",
    "Аудан прокуратурасы",
    "Облыстық денсаулық сақтау басқармасы",
];
const RESOLVED: &[&str] = &[
    "Жұмыс аяқталды, тұрғындар хабардар етілді",
    "Су құбыры жөнделді",
    "Жол орташа жөндеу жоспарына енгізіліп, жөнделді",
    "Вопрос решён, жители уведомлены",
];
const EXPLAINED: &[&str] = &[
    "Ауыл 2027 жылғы газдандыру бағдарламасына енгізілген, тұрғындарға түсіндірілді",
    "Кезек тәртібі түсіндірілді",
    "Заявителю разъяснён порядок получения услуги",
];
const REJECTED: &[&str] = &[
    "Өтініш негізсіз, заң талаптары сақталған",
    "Обращение необоснованно",
];

/// One generated appeal with its citizen.
struct NewAppeal {
    reg_number: String,
    status: &'static str,
    channel: &'static str,
    category: String,
    territory_id: i64,
    territory_path: String,
    anonymous: bool,
    threat_report: bool,
    subject: String,
    description: String,
    language: &'static str,
    search_text: String,
    received_at: NaiveDateTime,
    registered_on: NaiveDate,
    due_on: NaiveDate,
    extended_due_on: Option<NaiveDate>,
    extension_reason: Option<&'static str>,
    assigned_body: Option<&'static str>,
    resolution: Option<&'static str>,
    resolved_at: Option<NaiveDateTime>,
    forwarded_to: Option<&'static str>,
    forwarded_on: Option<NaiveDate>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    full_name: Option<String>,
    iin: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    address: Option<String>,
}

/// Deterministic, varied appeals, oldest first (ids grow with the receipt time, as in
/// real use).
struct Generator {
    rng: StdRng,
    places: Vec<Place>,
    categories: Vec<String>,
    region_codes: HashMap<String, String>,
    /// Last registration number per (region code, year).
    seqs: HashMap<(String, i32), i64>,
    start: NaiveDateTime,
    step_secs: i64,
    now: NaiveDateTime,
}

impl Generator {
    fn appeal(&mut self, i: usize) -> NewAppeal {
        let rng = &mut self.rng;
        let place = &self.places[rng.gen_range(0..self.places.len())];
        let received_at = self.start
            + Days::seconds(self.step_secs * i as i64 + rng.gen_range(0..self.step_secs.max(1)));
        let age_days = (self.now - received_at).num_days();
        let registered_on = rules::local_date(received_at);
        let due_on = registered_on + Days::days(21);

        let topic = &TOPICS[rng.gen_range(0..TOPICS.len())];
        let category = if rng.gen_bool(0.2) || !self.categories.iter().any(|c| c == topic.category)
        {
            self.categories[rng.gen_range(0..self.categories.len())].clone()
        } else {
            topic.category.to_owned()
        };
        let kazakh = rng.gen_bool(0.65);
        let (subject, description, language) = if kazakh {
            let p = *KK_PLACES.choose(rng).unwrap_or(&"Ақсу");
            let mut d = topic.kk_detail.replace("{p}", p);
            let extra = rng.gen_range(1..=2);
            for s in KK_GENERIC.choose_multiple(rng, extra) {
                d.push(' ');
                d.push_str(s);
            }
            (topic.kk_subject.replace("{p}", p), d, "kk")
        } else {
            let p = place
                .name_ru
                .trim_start_matches("с.о.")
                .trim_start_matches("ст.")
                .trim_start_matches("с.")
                .trim();
            let mut d = topic.ru_detail.replace("{p}", p);
            let extra = rng.gen_range(1..=2);
            for s in RU_GENERIC.choose_multiple(rng, extra) {
                d.push(' ');
                d.push_str(s);
            }
            (topic.ru_subject.replace("{p}", p), d, "ru")
        };

        // Older appeals are mostly closed; a few are stuck and overdue.
        let roll = rng.gen_range(0..100);
        let status = match age_days {
            d if d < 5 => match roll {
                0..=49 => "registered",
                50..=79 => "under_control",
                _ => "assigned",
            },
            d if d < 25 => match roll {
                0..=4 => "registered",
                5..=19 => "under_control",
                20..=49 => "assigned",
                50..=84 => "in_progress",
                85..=94 => "resolved",
                _ => "explained",
            },
            _ => match roll {
                0..=44 => "resolved",
                45..=64 => "explained",
                65..=72 => "rejected",
                73..=82 => "forwarded",
                83..=90 => "in_progress",
                91..=93 => "assigned",
                94..=96 => "reopened",
                _ => "under_control",
            },
        };
        let closed = matches!(status, "resolved" | "explained" | "rejected");
        let assigned_body = matches!(
            status,
            "assigned" | "in_progress" | "resolved" | "explained" | "reopened"
        )
        .then(|| *BODIES.choose(rng).unwrap_or(&BODIES[0]));
        let resolution = match status {
            "resolved" | "reopened" => RESOLVED.choose(rng).copied(),
            "explained" => EXPLAINED.choose(rng).copied(),
            "rejected" => REJECTED.choose(rng).copied(),
            _ => None,
        };
        let handled_at = (received_at + Days::days(rng.gen_range(2..=25))).min(self.now);
        let resolved_at = closed.then_some(handled_at);
        let (forwarded_to, forwarded_on) = if status == "forwarded" {
            (
                FORWARDED_TO.choose(rng).copied(),
                Some(rules::local_date(handled_at)),
            )
        } else {
            (None, None)
        };
        let extended = age_days > 21 && status != "registered" && rng.gen_bool(0.04);
        let created_at = (received_at + Days::minutes(rng.gen_range(1..180))).min(self.now);
        let updated_at = if status == "registered" {
            created_at
        } else {
            handled_at.max(created_at)
        };

        let anonymous = rng.gen_bool(0.04);
        let (full_name, iin, phone, email, address) = if anonymous {
            (None, None, None, None, None)
        } else {
            let woman = rng.gen_bool(0.5);
            let name = if kazakh {
                let surname = KK_SURNAMES.choose(rng).copied().unwrap_or("Ахметов");
                let first = if woman { KK_WOMEN } else { KK_MEN };
                let first = first.choose(rng).copied().unwrap_or("Асхат");
                format!("{surname}{} {first}", if woman { "а" } else { "" })
            } else {
                let surname = RU_SURNAMES.choose(rng).copied().unwrap_or("Ким");
                let first = if woman { RU_WOMEN } else { RU_MEN };
                let first = first.choose(rng).copied().unwrap_or("Олег");
                let feminine = woman && surname.ends_with("ов");
                format!("{surname}{} {first}", if feminine { "а" } else { "" })
            };
            let iin = rng.gen_bool(0.7).then(|| {
                format!(
                    "{:02}{:02}{:02}{:06}",
                    rng.gen_range(40..100),
                    rng.gen_range(1..13),
                    rng.gen_range(1..29),
                    rng.gen_range(0..1_000_000)
                )
            });
            let phone = rng.gen_bool(0.8).then(|| {
                let operator = [700, 701, 702, 705, 707, 747, 771, 775, 777, 778]
                    .choose(rng)
                    .copied()
                    .unwrap_or(701);
                format!("+7{operator}{:07}", rng.gen_range(0..10_000_000))
            });
            let email = rng.gen_bool(0.15).then(|| format!("citizen{i}@mail.kz"));
            let address = rng.gen_bool(0.5).then(|| {
                format!(
                    "{}, {} көшесі, {}",
                    place.name_ru,
                    STREETS.choose(rng).copied().unwrap_or("Абай"),
                    rng.gen_range(1..120)
                )
            });
            (Some(name), iin, phone, email, address)
        };
        let threat_report = anonymous && rng.gen_bool(0.5);
        let channel = Channel::ALL[rng.gen_range(0..Channel::ALL.len())].as_str();

        let region = self
            .region_codes
            .get(&place.region)
            .cloned()
            .unwrap_or_else(|| place.region.clone());
        use chrono::Datelike;
        let year = registered_on.year();
        let seq = self.seqs.entry((region.clone(), year)).or_insert(0);
        *seq += 1;
        let reg_number = rules::reg_number(&region, year, *seq);
        let search_text = model::search_text(&reg_number, &subject, &description);
        NewAppeal {
            reg_number,
            status,
            channel,
            category,
            territory_id: place.id,
            territory_path: place.path.clone(),
            anonymous,
            threat_report,
            subject,
            description,
            language,
            search_text,
            received_at,
            registered_on,
            due_on,
            extended_due_on: extended.then(|| due_on + Days::days(20)),
            extension_reason: extended.then_some("Қосымша тексеру қажет (ӘРПК 76-бабы 2-тармағы)"),
            assigned_body,
            resolution,
            resolved_at,
            forwarded_to,
            forwarded_on,
            created_at,
            updated_at,
            full_name,
            iin,
            phone,
            email,
            address,
        }
    }
}

fn generator(conn: &mut DbConn, rows: usize) -> anyhow::Result<Generator> {
    let places: Vec<(i64, String, String)> = territories::table
        .filter(territories::level.eq_any(["rural_okrug", "settlement"]))
        .filter(
            territories::kato_code
                .like("31%")
                .or(territories::kato_code.like("61%")),
        )
        .filter(territories::deleted_at.is_null())
        .order(territories::id)
        .select((territories::id, territories::path, territories::name_ru))
        .load(conn)?;
    ensure!(!places.is_empty(), "no rural okrugs or settlements loaded");
    let places: Vec<Place> = places
        .into_iter()
        .map(|(id, path, name_ru)| {
            let region = path
                .trim_start_matches('/')
                .split('/')
                .next()
                .unwrap_or_default()
                .to_owned();
            Place {
                id,
                path,
                name_ru,
                region,
            }
        })
        .collect();
    let mut region_codes = HashMap::new();
    for p in &places {
        if !region_codes.contains_key(&p.region) {
            region_codes.insert(p.region.clone(), model::region_code(conn, &p.path)?);
        }
    }
    let categories: Vec<String> = appeal_categories::table
        .filter(appeal_categories::active.eq(true))
        .order(appeal_categories::code)
        .select(appeal_categories::code)
        .load(conn)?;
    ensure!(!categories.is_empty(), "no appeal categories loaded");
    let start = NaiveDate::from_ymd_opt(2025, 1, 1)
        .and_then(|d| d.and_hms_opt(3, 0, 0))
        .ok_or_else(|| anyhow!("bad start date"))?;
    let now = baqylau::db::compat::now();
    let span = (now - start).num_seconds().max(rows as i64);
    Ok(Generator {
        rng: StdRng::seed_from_u64(2026),
        places,
        categories,
        region_codes,
        seqs: HashMap::new(),
        start,
        step_secs: span / rows as i64,
        now,
    })
}

fn bulk_load(db: &Db, rows: usize) -> anyhow::Result<Loaded> {
    let mut conn = db.get().map_err(|e| anyhow!("{e:?}"))?;
    let mut gen = generator(&mut conn, rows)?;
    let started = Instant::now();
    let mut next = 0;
    while next < rows {
        let tx_end = (next + TX_ROWS).min(rows);
        conn.transaction::<_, anyhow::Error, _>(|conn| {
            while next < tx_end {
                let end = (next + BATCH).min(tx_end);
                let batch: Vec<NewAppeal> = (next..end).map(|i| gen.appeal(i)).collect();
                insert_batch(conn, &batch)?;
                next = end;
            }
            Ok(())
        })?;
    }
    // Later registrations continue the numbering.
    for ((region, year), last) in &gen.seqs {
        diesel::insert_into(reg_counters::table)
            .values((
                reg_counters::region_code.eq(region),
                reg_counters::year.eq(year),
                reg_counters::last_value.eq(last),
            ))
            .execute(&mut *conn)?;
    }
    let elapsed = started.elapsed();
    let statistics = if db.backend_name() == "postgres" {
        // What autovacuum would have done by the time anyone lists appeals; SQLite gets
        // no ANALYZE, as the server runs none.
        conn.batch_execute("ANALYZE appeals; ANALYZE appeal_citizens;")?;
        "ANALYZE run after the load (autovacuum's steady state); not timed"
    } else {
        "no ANALYZE on SQLite (the server never runs one)"
    };
    Ok(Loaded {
        elapsed,
        statistics,
    })
}

fn insert_batch(conn: &mut DbConn, batch: &[NewAppeal]) -> anyhow::Result<()> {
    let values: Vec<_> = batch
        .iter()
        .map(|a| {
            (
                appeals::reg_number.eq(&a.reg_number),
                appeals::status.eq(a.status),
                appeals::channel.eq(a.channel),
                appeals::category_code.eq(&a.category),
                appeals::territory_id.eq(a.territory_id),
                appeals::territory_path.eq(&a.territory_path),
                appeals::anonymous.eq(a.anonymous),
                appeals::threat_report.eq(a.threat_report),
                appeals::subject.eq(&a.subject),
                appeals::description.eq(&a.description),
                appeals::language.eq(a.language),
                appeals::search_text.eq(&a.search_text),
                appeals::received_at.eq(a.received_at),
                appeals::registered_on.eq(a.registered_on),
                appeals::due_on.eq(a.due_on),
                appeals::extended_due_on.eq(a.extended_due_on),
                appeals::extension_reason.eq(a.extension_reason),
                appeals::assigned_body.eq(a.assigned_body),
                appeals::resolution.eq(a.resolution),
                appeals::resolved_at.eq(a.resolved_at),
                appeals::forwarded_to.eq(a.forwarded_to),
                appeals::forwarded_on.eq(a.forwarded_on),
                appeals::created_at.eq(a.created_at),
                appeals::updated_at.eq(a.updated_at),
                appeals::version.eq(1_i64),
            )
        })
        .collect();
    let ids: Vec<(i64, String)> =
        baqylau::with_backend_connection!(conn, |c| diesel::insert_into(appeals::table)
            .values(values)
            .returning((appeals::id, appeals::reg_number))
            .get_results(c)?);
    ensure!(
        ids.len() == batch.len(),
        "inserted {} of {}",
        ids.len(),
        batch.len()
    );
    let id_of: HashMap<&str, i64> = ids.iter().map(|(id, reg)| (reg.as_str(), *id)).collect();
    let citizens = batch
        .iter()
        .map(|a| {
            let id = id_of
                .get(a.reg_number.as_str())
                .copied()
                .ok_or_else(|| anyhow!("no id returned for {}", a.reg_number))?;
            Ok((
                appeal_citizens::appeal_id.eq(id),
                appeal_citizens::full_name.eq(a.full_name.as_deref()),
                appeal_citizens::iin.eq(a.iin.as_deref()),
                appeal_citizens::phone.eq(a.phone.as_deref()),
                appeal_citizens::email.eq(a.email.as_deref()),
                appeal_citizens::address.eq(a.address.as_deref()),
            ))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    baqylau::with_backend_connection!(conn, |c| diesel::insert_into(appeal_citizens::table)
        .values(citizens)
        .execute(c)?);
    Ok(())
}

/// The admin and a Baizak district staff member; returns the territory ids of Baizak
/// and of Zhambyl region.
fn make_users(db: &Db) -> anyhow::Result<(i64, i64)> {
    let mut conn = db.get().map_err(|e| anyhow!("{e:?}"))?;
    let mut territory = |kato: &str| -> QueryResult<i64> {
        territories::table
            .filter(territories::kato_code.eq(kato))
            .select(territories::id)
            .first(&mut *conn)
    };
    let (baizak, zhambyl) = (territory(BAIZAK)?, territory(ZHAMBYL)?);
    for (email, role, territory_id) in [
        (ADMIN, "admin", None),
        (STAFF, "district_staff", Some(baizak)),
    ] {
        users::create(
            &mut conn,
            &Caller::system("appeals bench"),
            &Clock::system(),
            NewUser {
                email: email.to_owned(),
                display_name: email.to_owned(),
                password: NewPassword::prepare(PASSWORD)?,
                role: role.to_owned(),
                territory_id,
                deputy_id: None,
                active: true,
            },
        )
        .map_err(|e| anyhow!("create {email}: {e:?}"))?;
    }
    Ok((baizak, zhambyl))
}

// ---------------------------------------------------------------------------------------
// HTTP

async fn login(client: &reqwest::Client, base: &str, email: &str) -> anyhow::Result<String> {
    let res = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": email, "password": PASSWORD}))
        .send()
        .await?;
    let status = res.status();
    let body: Value = res.json().await?;
    ensure!(status == 200, "login {email}: {status} {body}");
    body["access_token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow!("login {email}: no access_token in {body}"))
}

struct Export {
    rows: u64,
    bytes: u64,
    wall: Duration,
    first_byte: Duration,
    rss_baseline: u64,
    rss_peak: u64,
}

/// Streams an export, chunk by chunk, counting bytes and (CSV) records — or (XLSX)
/// writing it to `sink` on disk, to be counted afterwards — while sampling RSS.
async fn export(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    format: &str,
    params: &[(&str, String)],
    sink: Option<&Path>,
) -> anyhow::Result<Export> {
    let mut file = sink.map(std::fs::File::create).transpose()?;
    let sampler = RssSampler::start();
    let started = Instant::now();
    let mut res = client
        .get(format!("{base}/api/v1/appeals/export"))
        .query(&[("format", format)])
        .query(params)
        .bearer_auth(token)
        .send()
        .await?;
    if res.status() != 200 {
        let status = res.status();
        bail!("export {format}: {status} {}", res.text().await?);
    }
    let mut first_byte = None;
    let mut bytes = 0u64;
    let mut records = CsvRecords::default();
    while let Some(chunk) = res.chunk().await? {
        first_byte.get_or_insert_with(|| started.elapsed());
        bytes += chunk.len() as u64;
        match file.as_mut() {
            Some(f) => f.write_all(&chunk)?,
            None => records.feed(&chunk),
        }
    }
    let wall = started.elapsed();
    let (rss_baseline, rss_peak) = sampler.stop();
    if let Some(f) = file.as_mut() {
        f.flush()?;
    }
    Ok(Export {
        // The header row is not an appeal.
        rows: records.ended.saturating_sub(1),
        bytes,
        wall,
        first_byte: first_byte.unwrap_or(wall),
        rss_baseline,
        rss_peak,
    })
}

/// Counts CSV records across chunk boundaries: line ends outside quoted fields.
#[derive(Default)]
struct CsvRecords {
    in_quotes: bool,
    ended: u64,
}

impl CsvRecords {
    fn feed(&mut self, chunk: &[u8]) {
        for &b in chunk {
            match b {
                b'"' => self.in_quotes = !self.in_quotes,
                b'\n' if !self.in_quotes => self.ended += 1,
                _ => {}
            }
        }
    }
}

/// Data rows of the "Appeals" sheet, read cell by cell (the header is row 0).
fn xlsx_rows(path: &Path) -> anyhow::Result<u64> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path)?;
    let names = book.sheet_names();
    ensure!(names.iter().any(|n| n == "Appeals"), "sheets: {names:?}");
    let mut cells = book.worksheet_cells_reader("Appeals")?;
    let mut last_row = 0u32;
    while let Some(cell) = cells.next_cell()? {
        last_row = last_row.max(cell.get_position().0);
    }
    Ok(u64::from(last_row))
}

/// Follows `next_cursor` to the start of page `page` of the default list.
async fn walk_to_page(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    page: usize,
) -> anyhow::Result<String> {
    let mut cursor: Option<String> = None;
    for n in 1..page {
        let mut req = client
            .get(format!("{base}/api/v1/appeals"))
            .bearer_auth(token);
        if let Some(c) = &cursor {
            req = req.query(&[("cursor", c)]);
        }
        let body: Value = req.send().await?.error_for_status()?.json().await?;
        cursor = Some(
            body["next_cursor"]
                .as_str()
                .ok_or_else(|| anyhow!("the list ended at page {n}"))?
                .to_owned(),
        );
    }
    cursor.ok_or_else(|| anyhow!("page {page} needs at least one cursor"))
}

/// Query parameters of a request.
type Params = Vec<(&'static str, String)>;

struct Latency {
    median: Duration,
    p95: Duration,
    max: Duration,
    items: usize,
    total: Option<i64>,
}

async fn latency(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    params: &[(&str, String)],
) -> anyhow::Result<Latency> {
    let url = format!("{base}/api/v1/appeals");
    let mut times = Vec::with_capacity(SAMPLES);
    let mut last = Value::Null;
    for i in 0..=SAMPLES {
        let started = Instant::now();
        let res = client
            .get(&url)
            .query(params)
            .bearer_auth(token)
            .send()
            .await?;
        let status = res.status();
        let body = res.bytes().await?;
        let took = started.elapsed();
        ensure!(
            status == 200,
            "GET {url} {params:?}: {status} {}",
            String::from_utf8_lossy(&body)
        );
        if i > 0 {
            times.push(took);
        }
        if i == SAMPLES {
            last = serde_json::from_slice(&body)?;
        }
    }
    times.sort();
    let rank = |q: f64| times[((q * times.len() as f64).ceil() as usize).clamp(1, times.len()) - 1];
    Ok(Latency {
        median: rank(0.5),
        p95: rank(0.95),
        max: times[times.len() - 1],
        items: last["items"].as_array().map_or(0, Vec::len),
        total: last["total"].as_i64(),
    })
}

// ---------------------------------------------------------------------------------------
// Memory

/// This process's resident set in KiB, from /proc/self/status (Linux).
fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Samples VmRSS every 5 ms on a thread of its own and keeps the peak.
struct RssSampler {
    baseline: u64,
    peak: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<()>,
}

impl RssSampler {
    fn start() -> RssSampler {
        let baseline = rss_kib().unwrap_or(0);
        let peak = Arc::new(AtomicU64::new(baseline));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (peak, stop) = (peak.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    if let Some(now) = rss_kib() {
                        peak.fetch_max(now, Ordering::Relaxed);
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
            })
        };
        RssSampler {
            baseline,
            peak,
            stop,
            thread,
        }
    }

    /// (baseline, peak) in KiB.
    fn stop(self) -> (u64, u64) {
        if let Some(now) = rss_kib() {
            self.peak.fetch_max(now, Ordering::Relaxed);
        }
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.thread.join();
        (self.baseline, self.peak.load(Ordering::Relaxed))
    }
}
