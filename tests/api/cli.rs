//! The `baqylau` binary itself: subcommands, startup errors, graceful shutdown.

use baqylau::db::DbTarget;

use crate::helpers::process::{baqylau, serve, url_of, user_create, Server};
use crate::helpers::*;

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
            let mut cmd = serve(&url_of(&target));
            cmd.env("BAQYLAU_ENV", "production");
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
        let out = user_create(&url, "First@Admin.kz", "admin", "a-very-long-password");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("first@admin.kz"));
        let again = user_create(&url, "first@admin.kz", "admin", "a-very-long-password");
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
        let mut cmd = serve(&url_of(&target));
        cmd.env("BAQYLAU_STATIC_DIR", dir.path());
        // The log names the port it bound.
        let server = Server::start(cmd);
        let health = reqwest::blocking_get(&server.url("/readyz"));
        assert_eq!(health, 200);
        let (exit, rest) = server.terminate();
        assert!(exit.success(), "{target:?}: exit after SIGTERM: {exit:?}");
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
