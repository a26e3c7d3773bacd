//! Running the machine's own commands, with their output streamed to the terminal.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{bail, Context, Result};

/// A command run from the workspace root.
pub fn cmd(root: &Path, program: impl AsRef<OsStr>) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root);
    c
}

fn describe(c: &Command) -> String {
    let mut s = c.get_program().to_string_lossy().into_owned();
    for arg in c.get_args() {
        s.push(' ');
        s.push_str(&arg.to_string_lossy());
    }
    s
}

/// Runs `c` with inherited stdio; a non-zero exit is an error naming the command.
pub fn run(c: &mut Command) -> Result<()> {
    let shown = describe(c);
    println!("$ {shown}");
    let status = c
        .status()
        .with_context(|| format!("cannot start `{shown}` (is it installed?)"))?;
    if !status.success() {
        bail!("`{shown}` failed ({status})");
    }
    Ok(())
}

/// Runs `c` quietly and returns its stdout when it exits 0.
pub fn output(c: &mut Command) -> Option<String> {
    let out = c.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The first `name` on PATH.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

pub fn cargo_home() -> PathBuf {
    match std::env::var_os("CARGO_HOME") {
        Some(home) => PathBuf::from(home),
        None => PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo"),
    }
}

/// `CI=true` (or `1`): missing tools and servers are failures, never skips.
pub fn is_ci() -> bool {
    matches!(
        std::env::var("CI")
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Ok("true" | "1")
    )
}

pub fn env_is_set(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty())
}

fn is_root() -> bool {
    output(Command::new("id").arg("-u")).is_some_and(|s| s.trim() == "0")
}

/// `apt-get install`s `packages` when that is possible without asking anyone (root on a
/// Debian-like system). Returns whether the install ran and succeeded.
pub fn apt_install(packages: &[&str]) -> bool {
    if !is_root() || which("apt-get").is_none() {
        return false;
    }
    let install = || {
        let mut c = Command::new("apt-get");
        c.args(["install", "-y", "-q"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut c).is_ok()
    };
    if install() {
        return true;
    }
    // A fresh machine may have no package lists yet.
    let mut update = Command::new("apt-get");
    update.args(["update", "-q"]);
    run(&mut update).is_ok() && install()
}

/// A warning meant to be seen in a long log.
pub fn loud_warning(lines: &[&str]) {
    let bar = "!".repeat(78);
    eprintln!("\n{bar}");
    for line in lines {
        eprintln!("!!  {line}");
    }
    eprintln!("{bar}\n");
}

/// Host and port of a `postgres://user:pass@host:port/db?opts` URL (port 5432 by default).
pub fn pg_host_port(url: &str) -> Result<(String, u16)> {
    let rest = url
        .strip_prefix("postgres://")
        .or_else(|| url.strip_prefix("postgresql://"))
        .with_context(|| format!("not a postgres:// URL: {url}"))?;
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    let (host, port) = if let Some(v6) = host_port.strip_prefix('[') {
        let (host, after) = v6
            .split_once(']')
            .with_context(|| format!("bad IPv6 host in {url}"))?;
        (host, after.strip_prefix(':'))
    } else {
        match host_port.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        }
    };
    if host.is_empty() {
        bail!("no host in {url} (Unix sockets are not supported here)");
    }
    let port = match port {
        Some(p) => p.parse().with_context(|| format!("bad port in {url}"))?,
        None => 5432,
    };
    Ok((host.to_owned(), port))
}

/// Whether something accepts TCP connections at host:port within `timeout`.
pub fn tcp_reachable(host: &str, port: u16, timeout: Duration) -> bool {
    let Ok(addrs) = (host, port).to_socket_addrs() else {
        return false;
    };
    addrs
        .into_iter()
        .any(|a| TcpStream::connect_timeout(&a, timeout).is_ok())
}

/// A port that was free a moment ago on 127.0.0.1.
pub fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").context("cannot bind a port")?;
    Ok(listener.local_addr()?.port())
}

/// The status code of a plain `GET path` (HTTP/1.1, no TLS).
pub fn http_status(addr: SocketAddr, path: &str) -> std::io::Result<u16> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut head = [0u8; 64];
    let n = stream.read(&mut head)?;
    let line = String::from_utf8_lossy(&head[..n]);
    line.split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("not an HTTP response: {line:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_urls() {
        let hp = |u| pg_host_port(u).unwrap();
        assert_eq!(
            hp("postgres://postgres@127.0.0.1:5432/postgres"),
            ("127.0.0.1".into(), 5432)
        );
        assert_eq!(hp("postgresql://u:p@db/baqylau"), ("db".into(), 5432));
        assert_eq!(
            hp("postgres://u:p%40x@h:6000?sslmode=disable"),
            ("h".into(), 6000)
        );
        assert_eq!(hp("postgres://[::1]:5433/x"), ("::1".into(), 5433));
        assert!(pg_host_port("mysql://x").is_err());
        assert!(pg_host_port("postgres:///db?host=/run/postgresql").is_err());
    }
}

/// What `cargo test` reported, summed over its test binaries.
#[derive(Debug, Default, Clone, Copy)]
pub struct TestCounts {
    pub passed: u64,
    pub failed: u64,
    pub ignored: u64,
    /// Integration tests named `...::sqlite` / `...::postgres` that passed.
    pub on_sqlite: u64,
    pub on_postgres: u64,
}

impl TestCounts {
    /// Reads one line of libtest output.
    pub fn read_line(&mut self, line: &str) {
        if let Some(rest) = line.strip_prefix("test result: ") {
            let number = |label: &str| -> u64 {
                rest.split(';')
                    .find_map(|part| {
                        part.trim()
                            .trim_start_matches("ok. ")
                            .trim_start_matches("FAILED. ")
                            .strip_suffix(label)
                    })
                    .and_then(|n| n.trim().parse().ok())
                    .unwrap_or(0)
            };
            self.passed += number(" passed");
            self.failed += number(" failed");
            self.ignored += number(" ignored");
        } else if line.starts_with("test ") && line.ends_with(" ... ok") {
            if line.contains("::sqlite ... ") {
                self.on_sqlite += 1;
            } else if line.contains("::postgres ... ") {
                self.on_postgres += 1;
            }
        }
    }
}

/// Runs `c` like [`run`], echoing its stdout while counting libtest's results.
pub fn run_counting_tests(c: &mut Command) -> Result<TestCounts> {
    use std::io::BufRead;
    let shown = describe(c);
    println!("$ {shown}");
    let mut child = c
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start `{shown}`"))?;
    let mut counts = TestCounts::default();
    if let Some(stdout) = child.stdout.take() {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            println!("{line}");
            counts.read_line(&line);
        }
    }
    let status = child.wait()?;
    if !status.success() {
        bail!("`{shown}` failed ({status})");
    }
    Ok(counts)
}

#[cfg(test)]
mod counting_tests {
    use super::TestCounts;

    #[test]
    fn libtest_lines_are_counted() {
        let mut c = TestCounts::default();
        for line in [
            "test appeals::intake::sqlite ... ok",
            "test appeals::intake::postgres ... ok",
            "test domain::x ... ok",
            "test result: ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.1s",
            "test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.1s",
        ] {
            c.read_line(line);
        }
        assert_eq!(
            (c.passed, c.failed, c.ignored, c.on_sqlite, c.on_postgres),
            (5, 1, 1, 1, 1)
        );
    }
}
