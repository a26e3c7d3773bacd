//! Baqylau's build and test runner.
//!
//! ```text
//! cargo xtask frontend   build the dashboard (wasm) into frontend/dist
//! cargo xtask run        frontend + server, migrate, demo data, serve on :8080
//! cargo xtask test       everything CI checks, in order, failing fast
//! ```
//!
//! It only drives the machine's own tools (cargo, rustup, node, apt-get, docker-compose)
//! through `std::process::Command`, with their output streamed as is.

mod browser;
mod frontend;
mod util;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};

use util::{cmd, env_is_set, is_ci, loud_warning, run};

const DEFAULT_TEST_PG: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const DEFAULT_BIND: &str = "127.0.0.1:8080";

const HELP: &str = "\
usage: cargo xtask <command>

  frontend   build the Yew dashboard to wasm into frontend/dist
             (installs the wasm32 target and the locked wasm-bindgen CLI if missing)
  run        frontend, then build the server, migrate, seed demo data and serve
             (SQLite under ./data unless DATABASE_URL is set; BAQYLAU_BIND sets the address)
  test [STEP..]
             fmt, clippy, frontend, cargo test (SQLite and PostgreSQL), browser tests,
             the OpenAPI linter, schemathesis against the live server,
             docker-compose config; fails on the first broken step. Naming steps runs
             only those: fmt clippy frontend postgres test browser lint fuzz compose
";

fn main() -> ExitCode {
    let root = workspace_root();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("frontend") => frontend::build(&root),
        Some("run") => run_server(&root),
        Some("test") => test(&root, &args[1..]),
        Some("help" | "-h" | "--help") => {
            print!("{HELP}");
            Ok(())
        }
        other => {
            eprint!("{HELP}");
            if let Some(other) = other {
                eprintln!("\nunknown command: {other}");
            }
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("\nxtask: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// `cargo xtask run`
fn run_server(root: &Path) -> Result<()> {
    frontend::build(root)?;
    run(cmd(root, "cargo").args(["build", "-p", "baqylau-api", "--bin", "baqylau"]))?;
    let baqylau = frontend::target_dir(root).join("debug/baqylau");
    if !env_is_set("DATABASE_URL") {
        // The server's default database is a SQLite file under ./data.
        std::fs::create_dir_all(root.join("data"))?;
    }
    run(cmd(root, &baqylau).arg("migrate"))?;
    run(cmd(root, &baqylau).args(["seed", "--demo"]))?;

    let bind = std::env::var("BAQYLAU_BIND").unwrap_or_else(|_| DEFAULT_BIND.to_owned());
    let url = format!("http://{}", bind.replacen("0.0.0.0:", "127.0.0.1:", 1));
    println!();
    println!("  Baqylau is starting at {url}");
    println!("  Sign in with the demo credentials printed above; API docs at {url}/api/docs");
    println!("  Stop with Ctrl+C.");
    println!();
    run(cmd(root, &baqylau).arg("serve"))
}

enum Outcome {
    Passed,
    Skipped(String),
}

const STEPS: [&str; 9] = [
    "fmt", "clippy", "frontend", "postgres", "test", "browser", "lint", "fuzz", "compose",
];

struct Summary {
    rows: Vec<(String, String, Duration)>,
    /// Steps asked for by name; empty means all.
    only: Vec<String>,
}

impl Summary {
    fn print(&self) {
        println!("\n==== cargo xtask test: summary ====");
        for (step, status, took) in &self.rows {
            println!("  {status:<40} {step:<18} {:>7.1}s", took.as_secs_f64());
        }
    }

    fn wants(&self, key: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|s| s == key)
    }

    /// Runs one step; a failure ends the whole run after printing what ran so far.
    fn step(&mut self, name: &str, f: impl FnOnce() -> Result<Outcome>) -> Result<()> {
        if !self.wants(name) {
            return Ok(());
        }
        println!("\n==== {name} ====");
        let started = Instant::now();
        let result = f();
        let status = match &result {
            Ok(Outcome::Passed) => "ok".to_owned(),
            Ok(Outcome::Skipped(why)) => format!("SKIPPED ({why})"),
            Err(_) => "FAILED".to_owned(),
        };
        self.rows.push((name.to_owned(), status, started.elapsed()));
        if let Err(err) = result {
            self.print();
            bail!("step `{name}` failed: {err:#}");
        }
        Ok(())
    }
}

/// `cargo xtask test`
fn test(root: &Path, steps: &[String]) -> Result<()> {
    if let Some(unknown) = steps.iter().find(|s| !STEPS.contains(&s.as_str())) {
        bail!(
            "unknown step `{unknown}`; the steps are: {}",
            STEPS.join(" ")
        );
    }
    let ci = is_ci();
    let started = Instant::now();
    let mut only = steps.to_vec();
    if only.iter().any(|s| s == "test") {
        // Whether cargo test covers PostgreSQL depends on this check.
        only.push("postgres".into());
    }
    let mut summary = Summary {
        rows: Vec::new(),
        only,
    };
    let passed = |r: Result<()>| r.map(|()| Outcome::Passed);

    summary.step("fmt", || {
        passed(run(cmd(root, "cargo").args(["fmt", "--all", "--check"])))
    })?;
    summary.step("clippy", || {
        passed(run(cmd(root, "cargo").args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ])))
    })?;
    summary.step("frontend", || passed(frontend::build(root)))?;

    let pg_url = std::env::var("BAQYLAU_TEST_PG").unwrap_or_else(|_| DEFAULT_TEST_PG.to_owned());
    let mut pg_skip = false;
    summary.step("postgres", || {
        let skip = check_postgres(&pg_url, ci)?;
        pg_skip = skip.is_some();
        Ok(skip.map_or(Outcome::Passed, Outcome::Skipped))
    })?;

    let mut counts = util::TestCounts::default();
    summary.step("test", || {
        let mut c = cmd(root, "cargo");
        c.args(["test", "--workspace"])
            .env("BAQYLAU_TEST_PG", &pg_url);
        if pg_skip {
            c.env("BAQYLAU_TEST_PG_SKIP", "1");
        } else {
            c.env_remove("BAQYLAU_TEST_PG_SKIP");
        }
        counts = util::run_counting_tests(&mut c)?;
        println!(
            "\nintegration tests: {} ran on SQLite, {} on PostgreSQL{}",
            counts.on_sqlite,
            counts.on_postgres,
            if pg_skip {
                " (PostgreSQL UNREACHABLE: those returned without testing anything)"
            } else {
                ""
            }
        );
        Ok(Outcome::Passed)
    })?;

    // After the browser step, which installs Node.js and npm where they are missing.
    summary.step("browser", || browser::run_tests(root, ci))?;
    summary.step("lint", || lint_openapi(root))?;
    summary.step("fuzz", || fuzz(root, &pg_url, pg_skip))?;
    summary.step("compose", || compose_config(root, ci))?;

    summary.print();
    println!(
        "\nall steps run succeeded in {:.0}s",
        started.elapsed().as_secs_f64()
    );
    if summary.wants("test") {
        println!(
            "integration tests: {} on SQLite, {} on PostgreSQL",
            counts.on_sqlite, counts.on_postgres
        );
        println!("cargo: {} passed, {} failed", counts.passed, counts.failed);
    }
    Ok(())
}

/// `Some(reason)` when the PostgreSQL half of the tests is to be skipped.
fn check_postgres(url: &str, ci: bool) -> Result<Option<String>> {
    if !ci && std::env::var("BAQYLAU_TEST_PG_SKIP").as_deref() == Ok("1") {
        loud_warning(&["BAQYLAU_TEST_PG_SKIP=1 is set: the PostgreSQL tests are skipped."]);
        return Ok(Some("BAQYLAU_TEST_PG_SKIP=1".into()));
    }
    let (host, port) = util::pg_host_port(url)?;
    println!("checking PostgreSQL at {host}:{port} (BAQYLAU_TEST_PG)");
    if util::tcp_reachable(&host, port, Duration::from_secs(3)) {
        println!("PostgreSQL is reachable");
        return Ok(None);
    }
    if ci {
        bail!("no PostgreSQL at {host}:{port} (BAQYLAU_TEST_PG={url}); CI must test both backends");
    }
    loud_warning(&[
        &format!("NO POSTGRESQL AT {host}:{port}: THE POSTGRESQL HALF OF THE TESTS IS SKIPPED."),
        "Only SQLite is tested in this run (BAQYLAU_TEST_PG_SKIP=1 is set for cargo test).",
        "",
        "To test PostgreSQL too, start a server and point BAQYLAU_TEST_PG at it, e.g.:",
        "  - the compose file's database (published on 127.0.0.1:5432):",
        "      POSTGRES_PASSWORD=test BAQYLAU_JWT_SECRET=unused docker-compose up -d db",
        "      BAQYLAU_TEST_PG=postgres://baqylau:test@127.0.0.1:5432/baqylau cargo xtask test",
        "  - or a local PostgreSQL (Debian: apt-get install postgresql) that lets the user",
        &format!("    in {DEFAULT_TEST_PG} connect and create databases (the default)."),
    ]);
    Ok(Some(format!("no server at {host}:{port}")))
}

/// The committed OpenAPI document through Redocly's recommended rules (errors fail;
/// warnings are printed). Redocly comes from the npm registry, pinned in tests/lint.
fn lint_openapi(root: &Path) -> Result<Outcome> {
    let dir = root.join("tests/lint");
    run(cmd(&dir, "npm").args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]))?;
    run(cmd(&dir, "npx").args([
        "--no-install",
        "redocly",
        "lint",
        "../../openapi/openapi.json",
    ]))?;
    Ok(Outcome::Passed)
}

/// schemathesis against the live server from its own spec, as an admin and as district
/// staff, on both backends (SQLite only when the PostgreSQL half is skipped): no 5xx,
/// no dropped connection, no panic. The script installs schemathesis from PyPI into a
/// virtual environment under the target directory.
fn fuzz(root: &Path, pg_url: &str, without_postgres: bool) -> Result<Outcome> {
    let mut c = cmd(root, "bash");
    c.env("BAQYLAU_TEST_PG", pg_url);
    c.arg("tests/fuzz/schemathesis.sh").arg("sqlite");
    if !without_postgres {
        c.arg("postgres");
    }
    c.env("CARGO_TARGET_DIR", frontend::target_dir(root));
    run(&mut c)?;
    Ok(if without_postgres {
        Outcome::Skipped("PostgreSQL half skipped".into())
    } else {
        Outcome::Passed
    })
}

/// Validates docker-compose.yml the way `docker-compose up` would read it.
fn compose_config(root: &Path, ci: bool) -> Result<Outcome> {
    if util::which("docker-compose").is_none() && !util::apt_install(&["docker-compose"]) {
        if ci {
            bail!("docker-compose is not installed and cannot be installed here");
        }
        loud_warning(&[
            "docker-compose not found (and not installable without root/apt-get):",
            "docker-compose.yml is NOT validated in this run.",
        ]);
        return Ok(Outcome::Skipped("docker-compose missing".into()));
    }
    let mut c = cmd(root, "docker-compose");
    c.args(["-f", "docker-compose.yml", "config", "-q"]);
    // The file requires real secrets at deploy time; any value does for validation.
    for secret in ["BAQYLAU_JWT_SECRET", "POSTGRES_PASSWORD"] {
        if !env_is_set(secret) {
            c.env(secret, "validation-only-not-a-secret");
        }
    }
    run(&mut c)?;
    Ok(Outcome::Passed)
}
