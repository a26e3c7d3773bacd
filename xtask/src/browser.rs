//! The browser tests: the real server on a free port with a throw-away SQLite database,
//! driven by headless Chromium through `tests/browser` (Node + playwright-core).

use std::fs::{self, File};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context, Result};

use crate::util::{apt_install, cmd, env_is_set, free_port, http_status, loud_warning, run, which};
use crate::Outcome;

const DEFAULT_DEMO_EMAIL: &str = "admin@baqylau.kz";
const DEFAULT_DEMO_PASSWORD: &str = "baqylau-demo-2026";

/// A missing prerequisite: a failure in CI, a loud skip elsewhere.
fn missing(ci: bool, what: &str, hint: &str) -> Result<Outcome> {
    if ci {
        bail!("{what}; {hint}");
    }
    loud_warning(&[&format!("{what}: THE BROWSER TESTS ARE SKIPPED."), hint]);
    Ok(Outcome::Skipped(what.to_owned()))
}

pub fn run_tests(root: &Path, ci: bool) -> Result<Outcome> {
    // The server as `cargo test --workspace` built it (cargo builds a package's binaries
    // for its integration tests): building it with `cargo build -p` would resolve other
    // features for shared dependencies and compile most of them a second time.
    run(cmd(root, "cargo").args(["test", "--workspace", "--no-run", "--quiet"]))?;
    // `cargo xtask test browser` alone: the dashboard is built once if it is missing
    // (the full run's `frontend` step has built it already).
    if !root.join("frontend/dist/index.html").is_file() {
        crate::frontend::build(root)?;
    }
    let baqylau = crate::frontend::target_dir(root).join("debug/baqylau");

    if which("node").is_none() || which("npm").is_none() {
        apt_install(&["nodejs", "npm"]);
    }
    if which("node").is_none() || which("npm").is_none() {
        return missing(ci, "node/npm not found", "install Node.js 20+ with npm");
    }
    let chromium = std::env::var_os("BAQYLAU_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if !chromium.is_file() {
        apt_install(&["chromium"]);
    }
    if !chromium.is_file() {
        return missing(
            ci,
            &format!("no Chromium at {}", chromium.display()),
            "install it (Debian: apt-get install chromium) or set BAQYLAU_CHROMIUM",
        );
    }

    let dir = root.join("tests/browser");
    run(cmd(&dir, "npm").args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]))?;

    let scratch = Scratch::new()?;
    let database_url = format!("sqlite://{}", scratch.db.display());
    let server_env = |c: &mut Command| {
        c.env("DATABASE_URL", &database_url);
        if !env_is_set("BAQYLAU_JWT_SECRET") {
            c.env(
                "BAQYLAU_JWT_SECRET",
                "browser-test-secret-0123456789abcdef0123456789abcdef",
            );
        }
    };
    let mut migrate = cmd(root, &baqylau);
    migrate.arg("migrate");
    server_env(&mut migrate);
    run(&mut migrate)?;

    let mut seed = cmd(root, &baqylau);
    seed.args(["seed", "--demo"]).stderr(Stdio::inherit());
    server_env(&mut seed);
    let seeded = seed.output().context("cannot run `baqylau seed --demo`")?;
    let seed_out = String::from_utf8_lossy(&seeded.stdout);
    print!("{seed_out}");
    if !seeded.status.success() {
        bail!("`baqylau seed --demo` failed ({})", seeded.status);
    }
    let credentials = demo_credentials(&seed_out);

    let port = free_port()?;
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let log_path = scratch.dir.join("server.log");
    let log = File::create(&log_path)?;
    let mut serve = cmd(root, &baqylau);
    serve
        .arg("serve")
        .arg("--bind")
        .arg(addr.to_string())
        .arg("--static-dir")
        .arg(root.join("frontend/dist"))
        .stdout(log.try_clone()?)
        .stderr(log);
    server_env(&mut serve);
    println!(
        "starting the server on {addr} (log: {})",
        log_path.display()
    );
    let mut server = Server(serve.spawn().context("cannot start `baqylau serve`")?);

    if let Err(err) = wait_ready(&mut server.0, addr) {
        print_log_tail(&log_path);
        return Err(err);
    }

    // A screenshot of every test's last page, in the (git-ignored) target directory.
    let screenshots = crate::frontend::target_dir(root).join("browser-screenshots");
    let _ = fs::remove_dir_all(&screenshots);
    let mut node = cmd(&dir, "node");
    node.arg("run.mjs")
        .env("BASE_URL", format!("http://{addr}"))
        .env("CHROMIUM_PATH", &chromium)
        .env("SCREENSHOT_DIR", &screenshots);
    match &credentials {
        Some((email, password)) => {
            node.env("BAQYLAU_DEMO_EMAIL", email)
                .env("BAQYLAU_DEMO_PASSWORD", password);
        }
        None => {
            node.env_remove("BAQYLAU_DEMO_EMAIL")
                .env_remove("BAQYLAU_DEMO_PASSWORD");
        }
    }
    let result = run(&mut node);
    drop(server);
    if result.is_err() {
        print_log_tail(&log_path);
    }
    result.map(|()| Outcome::Passed)
}

/// The demo sign-in: from the environment, else as `seed --demo` printed it
/// (`sign in as EMAIL / PASSWORD`, or an email and a `password: X` line).
fn demo_credentials(seed_output: &str) -> Option<(String, String)> {
    if let (Ok(email), Ok(password)) = (
        std::env::var("BAQYLAU_DEMO_EMAIL"),
        std::env::var("BAQYLAU_DEMO_PASSWORD"),
    ) {
        return Some((email, password));
    }
    for line in seed_output.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        for w in words.windows(3) {
            if w[0].contains('@') && w[1] == "/" {
                let password = w[2].trim_end_matches([',', ';', ')']);
                return Some((w[0].to_owned(), password.to_owned()));
            }
        }
    }
    if !seed_output.contains(DEFAULT_DEMO_EMAIL) {
        println!("`seed --demo` printed no demo credentials: the sign-in tests are skipped");
        return None;
    }
    let password = seed_output
        .lines()
        .filter_map(|l| {
            let lower = l.to_ascii_lowercase();
            let at = lower.find("password")? + "password".len();
            l[at..]
                .trim_start_matches([' ', ':', '=', '\t'])
                .split_whitespace()
                .next()
                .map(str::to_owned)
        })
        .next()
        .unwrap_or_else(|| DEFAULT_DEMO_PASSWORD.to_owned());
    Some((DEFAULT_DEMO_EMAIL.to_owned(), password))
}

fn wait_ready(server: &mut Child, addr: SocketAddr) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = server.try_wait()? {
            bail!("the server exited before it was ready ({status})");
        }
        match http_status(addr, "/readyz") {
            Ok(200) => return Ok(()),
            Ok(_) | Err(_) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(250))
            }
            Ok(status) => bail!("GET /readyz still answers {status} after 60s"),
            Err(err) => bail!("the server does not answer on {addr} after 60s: {err}"),
        }
    }
}

fn print_log_tail(log: &Path) {
    let text = fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    eprintln!("---- last lines of the server log ({}) ----", log.display());
    for line in &lines[lines.len().saturating_sub(40)..] {
        eprintln!("{line}");
    }
}

/// The server process, killed however the test run ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A temporary directory for the database and the server log, removed at the end.
struct Scratch {
    dir: PathBuf,
    db: PathBuf,
}

impl Scratch {
    fn new() -> Result<Scratch> {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH)?.as_nanos();
        let dir =
            std::env::temp_dir().join(format!("baqylau-browser-{}-{nanos}", std::process::id()));
        fs::create_dir_all(&dir)?;
        let db = dir.join("baqylau.db");
        Ok(Scratch { dir, db })
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_from_seed_output() {
        let out = "Demo data loaded.\n  admin: admin@baqylau.kz\n  password: s3cret-x\n";
        if std::env::var_os("BAQYLAU_DEMO_EMAIL").is_none() {
            assert_eq!(
                demo_credentials(out),
                Some(("admin@baqylau.kz".into(), "s3cret-x".into()))
            );
            assert_eq!(demo_credentials("nothing to see"), None);
            assert_eq!(
                demo_credentials("sign in as a@b.kz / pw-1 (also: c@)"),
                Some(("a@b.kz".into(), "pw-1".into()))
            );
            assert_eq!(
                demo_credentials("sign in as admin@baqylau.kz"),
                Some(("admin@baqylau.kz".into(), DEFAULT_DEMO_PASSWORD.into()))
            );
        }
    }
}
