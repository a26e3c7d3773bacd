//! The `baqylau` binary itself: subcommands, startup errors, graceful shutdown.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use baqylau::db::DbTarget;

use crate::helpers::*;

fn baqylau() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_baqylau"));
    cmd.env_remove("DATABASE_URL")
        .env_remove("BAQYLAU_JWT_SECRET")
        .env_remove("BAQYLAU_ENV")
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1");
    cmd
}

fn url_of(target: &DbTarget) -> String {
    match target {
        DbTarget::Sqlite(p) => format!("sqlite://{}", p.display()),
        DbTarget::Postgres(u) => u.clone(),
    }
}

fn backends() -> Vec<(DbTarget, DbGuard, tempfile::TempDir)> {
    [Backend::Sqlite, Backend::Postgres]
        .into_iter()
        .filter_map(fresh_database)
        .collect()
}

#[test]
fn unknown_database_scheme_is_a_clear_startup_error() {
    let out = baqylau()
        .args(["migrate", "--database-url", "mysql://root@localhost/x"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("unsupported DATABASE_URL scheme \"mysql\""),
        "{stderr}"
    );
}

#[test]
fn production_refuses_to_start_without_a_strong_jwt_secret() {
    for (target, _guard, _dir) in backends() {
        for secret in [None, Some("too-short")] {
            let mut cmd = baqylau();
            cmd.args([
                "serve",
                "--bind",
                "127.0.0.1:0",
                "--database-url",
                &url_of(&target),
            ])
            .env("BAQYLAU_ENV", "production");
            if let Some(s) = secret {
                cmd.env("BAQYLAU_JWT_SECRET", s);
            }
            let out = cmd.output().unwrap();
            assert!(
                !out.status.success(),
                "{target:?} started with secret {secret:?}"
            );
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains("BAQYLAU_JWT_SECRET"), "{stderr}");
            assert!(!stderr.contains("too-short"), "the secret is never printed");
        }
    }
}

#[test]
fn user_create_bootstraps_an_admin_and_audit_verify_checks_the_chain() {
    for (target, _guard, _dir) in backends() {
        let url = url_of(&target);
        let out = baqylau()
            .args([
                "user",
                "create",
                "--email",
                "First@Admin.kz",
                "--role",
                "admin",
                "--database-url",
                &url,
            ])
            .env("BAQYLAU_USER_PASSWORD", "a-very-long-password")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("first@admin.kz"));
        let again = baqylau()
            .args([
                "user",
                "create",
                "--email",
                "first@admin.kz",
                "--role",
                "admin",
                "--database-url",
                &url,
            ])
            .env("BAQYLAU_USER_PASSWORD", "a-very-long-password")
            .output()
            .unwrap();
        assert!(!again.status.success(), "duplicate email refused");
        let weak = baqylau()
            .args([
                "user",
                "create",
                "--email",
                "x@admin.kz",
                "--role",
                "boss",
                "--password",
                "short",
                "--database-url",
                &url,
            ])
            .output()
            .unwrap();
        assert!(!weak.status.success());
        let stderr = String::from_utf8_lossy(&weak.stderr);
        assert!(
            stderr.contains("password") && stderr.contains("role"),
            "{stderr}"
        );
        let verify = baqylau()
            .args(["audit", "verify", "--database-url", &url])
            .output()
            .unwrap();
        assert!(verify.status.success());
        assert!(String::from_utf8_lossy(&verify.stdout).contains("intact: 1 rows"));
    }
}

#[test]
fn openapi_subcommand_prints_the_spec() {
    let out = baqylau().arg("openapi").output().unwrap();
    assert!(out.status.success());
    let spec: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(spec["info"]["title"], "Baqylau API");
}

#[test]
fn serve_stops_gracefully_on_sigterm() {
    for (target, _guard, dir) in backends() {
        let mut child = baqylau()
            .args([
                "serve",
                "--bind",
                "127.0.0.1:0",
                "--database-url",
                &url_of(&target),
            ])
            .env("BAQYLAU_STATIC_DIR", dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The log names the port it bound.
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut port = None;
        let mut seen = Vec::new();
        while let Ok(line) = rx.recv_timeout(Duration::from_secs(30)) {
            if let Some(p) = line.split("port=").nth(1) {
                port = p
                    .split_whitespace()
                    .next()
                    .and_then(|p| p.parse::<u16>().ok());
                break;
            }
            seen.push(line);
        }
        let port = port.unwrap_or_else(|| panic!("no port in the log: {seen:#?}"));
        let health = reqwest::blocking_get(&format!("http://127.0.0.1:{port}/readyz"));
        assert_eq!(health, 200);
        let status = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let exit = child.wait().unwrap();
        assert!(exit.success(), "{target:?}: exit after SIGTERM: {exit:?}");
        let rest: Vec<String> = rx.try_iter().collect();
        assert!(rest.iter().any(|l| l.contains("stopped")), "{rest:#?}");
    }
}

mod reqwest {
    /// A tiny blocking GET for a test that runs outside an async runtime.
    pub fn blocking_get(url: &str) -> u16 {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            ::reqwest::get(url)
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0)
        })
    }
}
