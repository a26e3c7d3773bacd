//! Several `baqylau serve` processes on one PostgreSQL database are one service (#22):
//! nothing that decides an answer lives in one process's memory. Two real server
//! processes, on ports the system picked, share registration numbers, idempotency
//! records, list cursors, sign-in limits and the webhook outbox.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use diesel::prelude::*;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::helpers::process::{baqylau, url_of, Server};
use crate::helpers::*;
use crate::webhooks::{start_receiver, SECRET};

/// Appeals each process is asked to register at once.
const EACH: usize = 25;

/// A request to one of the processes; the status and the JSON body (`Null` when none).
async fn call(
    client: &Client,
    server: &Server,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
    headers: &[(&str, &str)],
) -> (StatusCode, Value) {
    let mut req = client.request(method, server.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    if let Some(b) = body {
        req = req.json(b);
    }
    let res = req.send().await.expect("request");
    let status = res.status();
    let text = res.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn login(client: &Client, server: &Server, email: &str, password: &str) -> StatusCode {
    let body = json!({"email": email, "password": password});
    let (status, _) = call(
        client,
        server,
        reqwest::Method::POST,
        "/api/v1/auth/login",
        None,
        Some(&body),
        &[],
    )
    .await;
    status
}

fn serve(url: &str, static_dir: &std::path::Path) -> Server {
    let mut cmd = baqylau();
    cmd.args(["serve", "--bind", "127.0.0.1:0", "--database-url", url])
        .env("BAQYLAU_ENV", "production")
        .env("BAQYLAU_JWT_SECRET", JWT_SECRET)
        .env("BAQYLAU_STATIC_DIR", static_dir)
        .env("BAQYLAU_WEBHOOK_ALLOW_HOSTS", "127.0.0.1")
        .env("BAQYLAU_WEBHOOK_POLL_MS", "50")
        .env("BAQYLAU_RATING_SNAPSHOTS", "false");
    Server::start(cmd)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_on_one_postgres_database_are_one_service() {
    let Some((target, _guard, dir)) = fresh_database(Backend::Postgres) else {
        return;
    };
    let url = url_of(&target);
    let out = baqylau()
        .args([
            "user",
            "create",
            "--email",
            "ops@baqylau.kz",
            "--role",
            "admin",
        ])
        .args(["--database-url", &url])
        .env("BAQYLAU_USER_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let territory: i64 = {
        use baqylau::db::schema::territories;
        let db = baqylau::db::Db::connect(target.clone(), 1).unwrap();
        territories::table
            .filter(territories::kato_code.eq(kato::SARYKEMER))
            .select(territories::id)
            .first(&mut *db.get().unwrap())
            .unwrap()
    };
    let servers = [serve(&url, dir.path()), serve(&url, dir.path())];
    assert_ne!(servers[0].port, servers[1].port);
    let [a, b] = &servers;
    let client = Client::new();
    let post = reqwest::Method::POST;

    // A token issued by one process is good at the other (one secret, one database).
    let body = json!({"email": "ops@baqylau.kz", "password": PASSWORD});
    let (status, signed_in) = call(
        &client,
        a,
        post.clone(),
        "/api/v1/auth/login",
        None,
        Some(&body),
        &[],
    )
    .await;
    assert_eq!(status, 200, "{signed_in}");
    let token = signed_in["access_token"].as_str().unwrap().to_owned();
    let token = Some(token.as_str());

    // Every event a subscriber gets, from whichever process delivers it.
    let (hook, received) = start_receiver(0, 0).await;
    let (status, made) = call(
        &client,
        b,
        post.clone(),
        "/api/v1/webhooks",
        token,
        Some(&json!({"url": hook, "secret": SECRET, "event_types": ["appeal.created"]})),
        &[],
    )
    .await;
    assert_eq!(status, 201, "{made}");

    // Both processes register appeals at once: numbers unique and without gaps.
    let appeal = |subject: String| {
        json!({
            "channel": "reception_room",
            "category": "UTIL_WATER",
            "territory_id": territory,
            "citizen": {"full_name": "Сейтқали Айгүл", "iin": "850715300122"},
            "subject": subject,
            "description": "Ақсу ауылында ауыз су жоқ.",
            "language": "kk"
        })
    };
    let creates = (0..2 * EACH).map(|i| {
        let (client, server, body) = (&client, &servers[i % 2], appeal(format!("Су {i}")));
        let post = post.clone();
        async move {
            call(
                client,
                server,
                post,
                "/api/v1/appeals",
                token,
                Some(&body),
                &[],
            )
            .await
        }
    });
    let made = futures_util::future::join_all(creates).await;
    let mut numbers = BTreeSet::new();
    for (status, body) in &made {
        assert_eq!(*status, 201, "{body}");
        let number = body["reg_number"].as_str().unwrap();
        let serial: u64 = number.rsplit('-').next().unwrap().parse().unwrap();
        assert!(numbers.insert(serial), "{number} given twice");
    }
    let expected: BTreeSet<u64> = (1..=2 * EACH as u64).collect();
    assert_eq!(numbers, expected, "unique and gap-free");

    // An Idempotency-Key used at A replays at B; a different body under it is refused.
    let key = [("Idempotency-Key", "mobile-retry-7")];
    let first_body = appeal("Жол".to_owned());
    let (status, first) = call(
        &client,
        a,
        post.clone(),
        "/api/v1/appeals",
        token,
        Some(&first_body),
        &key,
    )
    .await;
    assert_eq!(status, 201, "{first}");
    let (status, again) = call(
        &client,
        b,
        post.clone(),
        "/api/v1/appeals",
        token,
        Some(&first_body),
        &key,
    )
    .await;
    assert_eq!(status, 201, "{again}");
    assert_eq!(again["id"], first["id"]);
    assert_eq!(again["reg_number"], first["reg_number"]);
    let (status, _) = call(
        &client,
        b,
        post.clone(),
        "/api/v1/appeals",
        token,
        Some(&appeal("Газ".to_owned())),
        &key,
    )
    .await;
    assert_eq!(status, 409);

    // A list cursor from A reads the next page at B, the same page A would give.
    let get = reqwest::Method::GET;
    let (status, page) = call(
        &client,
        a,
        get.clone(),
        "/api/v1/appeals?limit=7",
        token,
        None,
        &[],
    )
    .await;
    assert_eq!(status, 200, "{page}");
    let cursor = page["next_cursor"].as_str().unwrap().to_owned();
    let next = format!("/api/v1/appeals?limit=7&cursor={cursor}");
    let (status, at_b) = call(&client, b, get.clone(), &next, token, None, &[]).await;
    assert_eq!(status, 200, "{at_b}");
    let (_, at_a) = call(&client, a, get.clone(), &next, token, None, &[]).await;
    let ids = |p: &Value| -> Vec<i64> {
        p["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(ids(&at_b), ids(&at_a));
    assert!(ids(&at_b).iter().all(|id| !ids(&page).contains(id)));

    // Sign-in failures count at both: five wrong passwords spread over A and B, and
    // the sixth attempt is refused by either.
    for i in 0..5 {
        let status = login(
            &client,
            &servers[i % 2],
            "ops@baqylau.kz",
            "wrong-password-123",
        )
        .await;
        assert_eq!(status, 401, "attempt {}", i + 1);
    }
    assert_eq!(login(&client, b, "ops@baqylau.kz", PASSWORD).await, 429);
    assert_eq!(login(&client, a, "ops@baqylau.kz", PASSWORD).await, 429);

    // Both workers compete for the outbox; each event reaches the subscriber once.
    let events = 2 * EACH + 1;
    let mut waited = 0;
    let log = loop {
        let log: Vec<i64> = received
            .log
            .lock()
            .unwrap()
            .iter()
            .map(|r| r.event_id)
            .collect();
        let distinct: BTreeSet<i64> = log.iter().copied().collect();
        if distinct.len() >= events {
            // Time for a second delivery of any of them to arrive, were there one.
            tokio::time::sleep(Duration::from_millis(500)).await;
            break received
                .log
                .lock()
                .unwrap()
                .iter()
                .map(|r| r.event_id)
                .collect::<Vec<_>>();
        }
        waited += 1;
        assert!(
            waited < 600,
            "{} of {events} events delivered",
            distinct.len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let mut times: BTreeMap<i64, usize> = BTreeMap::new();
    for id in log {
        *times.entry(id).or_default() += 1;
    }
    assert_eq!(times.len(), events);
    let twice: Vec<_> = times.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "delivered more than once: {twice:?}");
}
