//! Health, readiness, the dashboard, the docs, and problems for bad input.

use reqwest::Method;
use serde_json::json;

use crate::both_backends;
use crate::helpers::*;

both_backends! {
    async fn health_and_readiness(app) {
        let res = app.get("/healthz", &Auth::None).await;
        assert_eq!(res.status, 200);
        assert_eq!(res.json()["status"], "ok");
        let res = app.get("/readyz", &Auth::None).await;
        assert_eq!(res.status, 200);
        let expected = match app.backend { Backend::Sqlite => "sqlite", Backend::Postgres => "postgres" };
        assert_eq!(res.json()["database"], expected);
        assert!(res.header("x-request-id").is_some_and(|id| id.len() >= 8));
        app.get("/api/v1/appeals/12345", &Auth::None).await;
        // Not for the internet (finding 10 of issue #18): no credentials 401, a key
        // without the scope 403; a scraper's key with metrics:read, or an admin, reads it.
        app.get("/metrics", &Auth::None).await.problem(401, "unauthorized");
        app.create_user("metrics-admin@m.kz", "admin", None, None);
        let admin = app.bearer("metrics-admin@m.kz").await;
        let scraper = |scopes: serde_json::Value| app.post("/api/v1/api-keys", &admin, json!({"name": "prometheus", "scopes": scopes}));
        let other = Auth::Key(scraper(json!(["appeals:read"])).await.json()["secret"].as_str().unwrap().to_owned());
        app.get("/metrics", &other).await.problem(403, "forbidden");
        app.create_user("metrics-staff@m.kz", "regional_staff", Some(kato::ZHAMBYL), None);
        let staff = app.bearer("metrics-staff@m.kz").await;
        app.get("/metrics", &staff).await.problem(403, "forbidden");
        assert_eq!(app.get("/metrics", &admin).await.status, 200);
        let key = Auth::Key(scraper(json!(["metrics:read"])).await.json()["secret"].as_str().unwrap().to_owned());
        let metrics = app.get("/metrics", &key).await;
        assert_eq!(metrics.status, 200, "{}", metrics.text);
        assert!(metrics.header("content-type").unwrap().starts_with("text/plain"));
        assert!(metrics.text.contains(r#"baqylau_http_requests_total{method="GET",route="/readyz",status="200"}"#), "{}", metrics.text);
        assert!(metrics.text.contains(r#"route="/api/v1/appeals/{id}",status="401""#), "routes are labelled by pattern");
        assert!(metrics.text.contains("baqylau_db_pool_connections"));
    }

    async fn spa_is_served_with_fallback_but_never_for_api(app) {
        let res = app.get("/", &Auth::None).await;
        assert_eq!(res.status, 200);
        assert!(res.text.contains("SPA-SHELL"));
        let res = app.get("/appeals/123/history", &Auth::None).await;
        assert_eq!(res.status, 200, "client-side routes fall back to the shell");
        assert!(res.text.contains("SPA-SHELL"));
        app.get("/api/v1/no-such-route", &Auth::None).await.problem(404, "not_found");
        app.get("/api/nothing-here", &Auth::None).await.problem(404, "not_found");
    }

    async fn openapi_and_offline_docs(app) {
        let res = app.get("/api/openapi.json", &Auth::None).await;
        assert_eq!(res.status, 200);
        let spec = res.json();
        assert!(spec["paths"]["/api/v1/auth/login"]["post"].is_object());
        let res = app.get("/api/docs/", &Auth::None).await;
        assert_eq!(res.status, 200);
        assert!(res.text.contains("swagger"), "{}", res.text);
        // Every asset the docs page loads is served by us: no CDN.
        for src in res.text.split(&['"', '\''][..]).filter(|s| s.ends_with(".js") || s.ends_with(".css")) {
            assert!(!src.starts_with("http"), "external asset {src}");
            let path = if src.starts_with('/') { src.to_owned() } else { format!("/api/docs/{}", src.trim_start_matches("./")) };
            assert_eq!(app.get(&path, &Auth::None).await.status, 200, "asset {path}");
        }
        let init = app.get("/api/docs/swagger-initializer.js", &Auth::None).await;
        assert_eq!(init.status, 200);
        assert!(init.text.contains("/api/openapi.json"));
        let res = app.get("/api/docs", &Auth::None).await;
        assert!(res.status.is_redirection() || res.status == 200);
    }

    async fn pages_and_answers_carry_a_content_security_policy(app) {
        let directives = |res: &Response| -> Vec<String> {
            res.header("content-security-policy")
                .unwrap_or_else(|| panic!("no CSP: {:?}", res.headers))
                .split(';')
                .map(|d| d.trim().to_owned())
                .collect()
        };
        for path in ["/", "/appeals/123/history", "/api/docs/", "/api/v1/appeals", "/healthz"] {
            let res = app.get(path, &Auth::None).await;
            let csp = directives(&res);
            assert!(csp.contains(&"frame-ancestors 'none'".to_owned()), "{path}: {csp:?}");
            assert!(csp.contains(&"object-src 'none'".to_owned()), "{path}: {csp:?}");
            let script = csp.iter().find(|d| d.starts_with("script-src ")).unwrap_or_else(|| panic!("{path}: {csp:?}"));
            assert!(!script.contains("unsafe-inline") && !script.contains("'unsafe-eval'"), "{path}: {script}");
            assert_eq!(res.header("x-content-type-options").as_deref(), Some("nosniff"), "{path}");
            assert_eq!(res.header("referrer-policy").as_deref(), Some("no-referrer"), "{path}");
            let permissions = res.header("permissions-policy").unwrap_or_default();
            for feature in ["camera=()", "microphone=()", "geolocation=()"] {
                assert!(permissions.contains(feature), "{path}: {permissions}");
            }
        }
        // The dashboard runs wasm, from this origin only, and sets no inline style.
        let app_csp = directives(&app.get("/", &Auth::None).await);
        assert!(app_csp.contains(&"script-src 'self' 'wasm-unsafe-eval'".to_owned()), "{app_csp:?}");
        assert!(app_csp.contains(&"style-src 'self'".to_owned()), "{app_csp:?}");
        // The dashboard's page has no inline script for that policy to refuse.
        let index = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../frontend/index.html")).unwrap();
        for tag in index.split("<script").skip(1) {
            let open = &tag[..tag.find('>').unwrap()];
            assert!(open.contains("src="), "an inline script in frontend/index.html: <script{open}>");
            assert!(tag[tag.find('>').unwrap() + 1..].trim_start().starts_with("</script>"), "a script with both src and a body");
        }
    }

    async fn bad_input_is_always_a_problem(app) {
        let login = "/api/v1/auth/login";
        let res = app.request(Method::POST, login, &Auth::None, None, &[("content-type", "application/json")]).await;
        assert!(matches!(res.status.as_u16(), 400 | 422), "empty body: {}", res.text);
        let res = app.client.post(app.url(login)).header("content-type", "application/json").body("{not json").send().await.unwrap();
        assert_eq!(res.status(), 400);
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["code"], "malformed_json");
        assert!(!body["detail"].as_str().unwrap().contains("line"), "no parser internals");

        let res = app.client.post(app.url(login)).header("content-type", "text/plain").body("{}").send().await.unwrap();
        assert_eq!(res.status(), 415);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["code"], "unsupported_media_type");

        app.create_user("admin@test.kz", "admin", None, None);
        let admin = app.bearer("admin@test.kz").await;
        for query in ["appeals?category=%00", "territories?q=a%00", "audit?entity=%00", "audit?entity_id=x%00"] {
            let body = app.get(&format!("/api/v1/{query}"), &admin).await.problem(422, "validation_failed");
            assert_eq!(body["errors"][0]["code"], "invalid_characters", "{query}");
        }

        let huge = "x".repeat(300 * 1024);
        let res = app.post(login, &Auth::None, json!({"email": huge, "password": "p"})).await;
        res.problem(413, "payload_too_large");

        let res = app.post(login, &Auth::None, json!({"email": 5, "password": "p"})).await;
        let body = res.problem(422, "validation_failed");
        assert_eq!(body["errors"][0]["field"], "email");

        app.get("/api/v1/users/not-a-number", &admin).await.problem(404, "not_found");
        let body = app.get("/api/v1/users?limit=0&role=boss", &admin).await.problem(422, "validation_failed");
        let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert!(fields.contains(&"limit") && fields.contains(&"role"), "{fields:?}");
        // A cursor is a signed token, not a value a person types: garbage, an edited one
        // and another list's are 400.
        app.get("/api/v1/users?cursor=%%%", &admin).await.problem(400, "invalid_cursor");
        app.create_user("second@meta.kz", "viewer", None, None);
        let next = app.get("/api/v1/users?limit=1", &admin).await.json()["next_cursor"].as_str().unwrap().to_owned();
        assert_eq!(app.get(&format!("/api/v1/users?limit=1&cursor={next}"), &admin).await.status, 200);
        let mut parts: Vec<&str> = next.split('.').collect();
        parts[1] = "OTk";
        app.get(&format!("/api/v1/users?cursor={}", parts.join(".")), &admin).await.problem(400, "invalid_cursor");
        let res = app.request(Method::DELETE, "/healthz", &Auth::None, None, &[]).await;
        res.problem(405, "method_not_allowed");
        assert_eq!(res.header("allow").as_deref(), Some("GET"));
        let res = app.request(Method::PUT, "/api/v1/appeals/7", &Auth::None, None, &[]).await;
        res.problem(405, "method_not_allowed");
        assert_eq!(res.header("allow").as_deref(), Some("GET, DELETE, PATCH"));
        let res = app.request(Method::DELETE, "/no/such/page", &Auth::None, None, &[]).await;
        assert!(res.header("content-type").is_some_and(|c| c.starts_with("application/problem+json")), "{:?}", res.header("content-type"));
    }
}

/// PostgreSQL goes away and comes back: readiness follows without a restart. The
/// server reaches the database through a proxy this test can cut, so the shared
/// PostgreSQL server keeps running for the other tests.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_follows_postgres_down_and_up() {
    let Some((target, _guard, _dir)) = fresh_database(Backend::Postgres) else {
        return;
    };
    let baqylau::db::DbTarget::Postgres(url) = &target else {
        unreachable!()
    };
    let upstream = url::Url::parse(url).unwrap();
    let proxy = proxy::Proxy::start(&format!(
        "{}:{}",
        upstream.host_str().unwrap(),
        upstream.port().unwrap_or(5432)
    ))
    .await;
    let mut via_proxy = upstream.clone();
    via_proxy.set_port(Some(proxy.port)).unwrap();
    let proxied = via_proxy.to_string();
    let app = spawn_app_with_url(&proxied).await;

    assert_eq!(app.get("/readyz", &Auth::None).await.status, 200);
    proxy.set_up(false);
    let res = app.get("/readyz", &Auth::None).await;
    res.problem(503, "service_unavailable");
    assert!(res.header("retry-after").is_some());
    // An API call that needs the database is a 503 problem too, not a hang or a 500.
    let res = app.login("someone@test.kz", "whatever-password").await;
    res.problem(503, "service_unavailable");
    proxy.set_up(true);
    let mut recovered = false;
    for _ in 0..20 {
        if app.get("/readyz", &Auth::None).await.status == 200 {
            recovered = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(recovered, "readiness must recover without a restart");
}

async fn spawn_app_with_url(url: &str) -> TestApp {
    spawn_app_with_target(url.to_owned()).await
}

pub mod proxy {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use tokio::net::{TcpListener, TcpStream};
    use tokio::sync::watch;

    /// A TCP proxy that can be switched off (closing every connection) and on again.
    pub struct Proxy {
        pub port: u16,
        up: Arc<AtomicBool>,
        cut: watch::Sender<u64>,
    }

    impl Proxy {
        pub async fn start(upstream: &str) -> Proxy {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let port = listener.local_addr().unwrap().port();
            let up = Arc::new(AtomicBool::new(true));
            let (cut, _) = watch::channel(0u64);
            let upstream = upstream.to_owned();
            let (up2, cut2) = (up.clone(), cut.clone());
            tokio::spawn(async move {
                loop {
                    let Ok((client, _)) = listener.accept().await else {
                        return;
                    };
                    if !up2.load(Ordering::SeqCst) {
                        drop(client);
                        continue;
                    }
                    let upstream = upstream.clone();
                    let mut cut_rx = cut2.subscribe();
                    tokio::spawn(async move {
                        let Ok(server) = TcpStream::connect(&upstream).await else {
                            return;
                        };
                        let (mut cr, mut cw) = client.into_split();
                        let (mut sr, mut sw) = server.into_split();
                        tokio::select! {
                            _ = tokio::io::copy(&mut cr, &mut sw) => {}
                            _ = tokio::io::copy(&mut sr, &mut cw) => {}
                            _ = cut_rx.changed() => {}
                        }
                    });
                }
            });
            Proxy { port, up, cut }
        }

        pub fn set_up(&self, up: bool) {
            self.up.store(up, Ordering::SeqCst);
            if !up {
                self.cut.send_modify(|n| *n += 1);
            }
        }
    }
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("a gzip body");
    out
}

/// Runs `baqylau serve` on `backend`'s database until it has answered `/readyz`, and
/// returns everything it logged.
async fn serve_and_collect_logs(backend: Backend, env: &[(&str, &str)]) -> Vec<String> {
    let handle = tokio::runtime::Handle::current();
    tokio::task::block_in_place(|| serve_and_collect_logs_blocking(&handle, backend, env))
}

fn serve_and_collect_logs_blocking(
    handle: &tokio::runtime::Handle,
    backend: Backend,
    env: &[(&str, &str)],
) -> Vec<String> {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let (target, _guard, _dir) = fresh_database(backend).expect("a database");
    let url = match &target {
        baqylau::db::DbTarget::Sqlite(p) => format!("sqlite://{}", p.display()),
        baqylau::db::DbTarget::Postgres(u) => u.clone(),
    };
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_baqylau"));
    cmd.args(["serve", "--bind", "127.0.0.1:0", "--database-url", &url])
        .env_remove("NO_COLOR")
        .env_remove("BAQYLAU_LOG_FORMAT")
        .env_remove("BAQYLAU_ENV")
        .env_remove("BAQYLAU_JWT_SECRET")
        .env("RUST_LOG", "info")
        .env("BAQYLAU_WORKERS", "2")
        .env(
            "BAQYLAU_STATIC_DIR",
            std::env::temp_dir().join(format!("no-dashboard-{}", unique())),
        )
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = cmd.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut lines = Vec::new();
    let mut asked = false;
    while let Ok(line) = rx.recv_timeout(std::time::Duration::from_secs(30)) {
        let port = line
            .split(&['=', ':'][..])
            .skip_while(|part| !part.ends_with("port") && !part.ends_with("port\""))
            .nth(1)
            .and_then(|p| {
                p.trim_matches(|c: char| !c.is_ascii_digit())
                    .parse::<u16>()
                    .ok()
            });
        let done = line.contains("/readyz");
        lines.push(line);
        if let (Some(port), false) = (port, asked) {
            asked = true;
            handle
                .block_on(reqwest::get(format!("http://127.0.0.1:{port}/readyz")))
                .expect("the server answers");
        }
        if done {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    lines
}

both_backends! {
    async fn a_missing_dashboard_is_warned_once_and_explained(app) {
        let missing = std::env::temp_dir().join(format!("no-dashboard-{}", unique()));
        let dir = missing.display().to_string();
        let bare = spawn_app_with(app.backend, |s| s.static_dir = missing.clone()).await.unwrap();
        let res = bare.get("/", &Auth::None).await;
        let body = res.problem(404, "dashboard_not_built");
        assert!(body["detail"].as_str().unwrap().contains("cargo xtask frontend"), "{body}");
        bare.get("/appeals/1", &Auth::None).await.problem(404, "dashboard_not_built");
        bare.get("/api/v1/no-such-route", &Auth::None).await.problem(404, "not_found");
        assert_eq!(bare.get("/healthz", &Auth::None).await.status, 200);
        // Both workers have started by now; the warning came from start-up, not from them.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let logs = String::from_utf8_lossy(&captured_logs().lock().unwrap()).to_string();
        let warnings: Vec<&str> = logs.lines().filter(|l| l.contains(&dir)).collect();
        assert_eq!(warnings.len(), 1, "{warnings:#?}");
        assert!(warnings[0].contains("WARN") && warnings[0].contains("dashboard not built"), "{}", warnings[0]);
    }

    async fn precompressed_assets_are_sent_as_built_and_revalidated(app) {
        // What `cargo xtask frontend` writes: the file and its .br/.gz made at build time.
        let dir = app.static_dir();
        let wasm: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8 / 8).collect();
        std::fs::write(dir.join("pre.wasm"), &wasm).unwrap();
        std::fs::write(dir.join("pre.wasm.br"), b"brotli bytes as built").unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut gz, &wasm).unwrap();
        std::fs::write(dir.join("pre.wasm.gz"), gz.finish().unwrap()).unwrap();
        let get = |encoding: &str, etag: Option<&str>| {
            let mut req = app.client.get(app.url("/pre.wasm")).header("Accept-Encoding", encoding);
            if let Some(tag) = etag {
                req = req.header("If-None-Match", tag);
            }
            req.send()
        };
        let br = get("gzip, deflate, br", None).await.unwrap();
        assert_eq!(br.headers()["content-encoding"], "br");
        assert_eq!(br.headers()["content-type"], "application/wasm");
        assert_eq!(br.headers()["cache-control"], "no-cache");
        assert_eq!(br.headers()["vary"], "Accept-Encoding");
        let etag = br.headers()["etag"].to_str().unwrap().to_owned();
        assert_eq!(&br.bytes().await.unwrap()[..], b"brotli bytes as built", "sent as built, not recompressed");
        let again = get("gzip, deflate, br", Some(&etag)).await.unwrap();
        assert_eq!(again.status(), 304);
        let gz = get("gzip", None).await.unwrap();
        assert_eq!(gz.headers()["content-encoding"], "gzip");
        assert_eq!(gunzip(&gz.bytes().await.unwrap()), wasm);
        let refused = get("br;q=0, identity", None).await.unwrap();
        assert!(refused.headers().get("content-encoding").is_none());
        assert_eq!(refused.bytes().await.unwrap().len(), wasm.len());
        // Not an asset of the build: the dashboard's page, as for any unknown path.
        assert_eq!(app.client.get(app.url("/missing.js")).send().await.unwrap().status(), 200);
    }

    async fn responses_are_compressed_and_the_export_still_streams(app) {
        app.create_user("zip-admin@test.kz", "admin", None, None);
        let admin = app.bearer("zip-admin@test.kz").await;
        let Auth::Bearer(token) = &admin else { unreachable!() };
        // A stand-in for the dashboard's wasm: large and compressible.
        let wasm: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8 / 8).collect();
        std::fs::write(app.static_dir().join("app.wasm"), &wasm).unwrap();
        let get = |path: &str, encoding: Option<&str>| {
            let mut req = app.client.get(app.url(path)).bearer_auth(token);
            if let Some(e) = encoding {
                req = req.header("Accept-Encoding", e);
            }
            req.send()
        };
        let res = get("/app.wasm", Some("gzip")).await.unwrap();
        assert_eq!(res.headers()["content-encoding"], "gzip");
        let body = res.bytes().await.unwrap();
        assert!(body.len() < wasm.len() / 4, "{} bytes", body.len());
        assert_eq!(gunzip(&body), wasm);
        let res = get("/app.wasm", None).await.unwrap();
        assert!(res.headers().get("content-encoding").is_none());
        assert_eq!(res.bytes().await.unwrap().len(), wasm.len());
        let res = get("/api/openapi.json", Some("br, gzip")).await.unwrap();
        assert_eq!(res.headers()["content-encoding"], "br");
        let res = get("/api/v1/appeals", Some("gzip")).await.unwrap();
        assert_eq!(res.headers()["content-encoding"], "gzip");
        let page: serde_json::Value = serde_json::from_slice(&gunzip(&res.bytes().await.unwrap())).unwrap();
        assert!(page["items"].is_array());
        // The export is a stream: compressed chunk by chunk (no Content-Length), and
        // the same file once decompressed.
        let plain = get("/api/v1/appeals/export", None).await.unwrap().bytes().await.unwrap();
        let res = get("/api/v1/appeals/export", Some("gzip")).await.unwrap();
        assert_eq!(res.headers()["content-encoding"], "gzip");
        assert!(res.headers().get("content-length").is_none(), "{:?}", res.headers());
        assert_eq!(gunzip(&res.bytes().await.unwrap()), plain.to_vec());
    }

    async fn api_answers_are_not_kept_by_caches(app) {
        app.create_user("cache-admin@test.kz", "admin", None, None);
        let admin = app.bearer("cache-admin@test.kz").await;
        let key = app.post("/api/v1/api-keys", &admin, json!({"name": "cache", "scopes": ["appeals:read"]})).await;
        assert_eq!(key.status, 201, "{}", key.text);
        let mut answers = vec![("POST /api-keys", key)];
        for path in ["/api/v1/me", "/api/v1/users", "/api/v1/appeals", "/api/v1/appeals/123"] {
            answers.push((path, app.get(path, &admin).await));
        }
        answers.push(("401", app.get("/api/v1/me", &Auth::None).await));
        for (what, res) in answers {
            assert_eq!(res.header("cache-control").as_deref(), Some("no-store"), "{what}: {}", res.status);
        }
        // The export keeps its own header; the dashboard shell is not personal: it is kept,
        // but revalidated (ETag/Last-Modified → 304) before use.
        let export = app.get("/api/v1/appeals/export", &admin).await;
        assert_eq!(export.headers.get_all("cache-control").iter().count(), 1);
        assert_eq!(app.get("/", &Auth::None).await.header("cache-control").as_deref(), Some("no-cache"));
    }

    async fn logs_have_no_colour_codes_and_json_is_one_object_a_line(app) {
        let plain = serve_and_collect_logs(app.backend, &[]).await;
        assert!(plain.iter().any(|l| l.contains("listening")), "{plain:#?}");
        for line in &plain {
            assert!(!line.contains('\u{1b}'), "escape codes in {line:?}");
        }
        let json = serve_and_collect_logs(app.backend, &[("BAQYLAU_LOG_FORMAT", "json")]).await;
        assert!(json.iter().any(|l| l.contains("/readyz")), "{json:#?}");
        for line in &json {
            let value: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
            assert!(value["level"].is_string(), "{line}");
        }
        let warnings = json.iter().filter(|l| l.contains("dashboard not built")).count();
        assert_eq!(warnings, 1, "{json:#?}");
    }
}
