//! Several `baqylau serve` processes on one PostgreSQL database are one service (#22):
//! nothing that decides an answer lives in one process's memory. Two real server
//! processes, on ports the system picked, share registration numbers, idempotency
//! records, list cursors, sign-in limits and the webhook outbox.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use diesel::prelude::*;
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::process::{serve, url_of, user_create, Server};
use crate::helpers::*;
use crate::webhooks::{start_receiver, SECRET};

/// Appeals each process is asked to register at once.
const EACH: usize = 25;

const EMAIL: &str = "ops@baqylau.kz";

/// Requests to either process, signed in (or not) once.
struct Session {
    client: Client,
    token: Option<String>,
}

impl Session {
    /// The status and the JSON body (`Null` when none).
    async fn send(
        &self,
        server: &Server,
        method: Method,
        path: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> (StatusCode, Value) {
        let mut req = self.client.request(method, server.url(path));
        if let Some(t) = &self.token {
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

    async fn post(
        &self,
        server: &Server,
        path: &str,
        body: &Value,
        headers: &[(&str, &str)],
    ) -> (StatusCode, Value) {
        self.send(server, Method::POST, path, Some(body), headers)
            .await
    }

    async fn get(&self, server: &Server, path: &str) -> (StatusCode, Value) {
        self.send(server, Method::GET, path, None, &[]).await
    }

    async fn login(&self, server: &Server, password: &str) -> (StatusCode, Value) {
        let body = json!({"email": EMAIL, "password": password});
        self.post(server, "/api/v1/auth/login", &body, &[]).await
    }
}

fn start(url: &str, static_dir: &std::path::Path) -> Server {
    let mut cmd = serve(url);
    cmd.env("BAQYLAU_ENV", "production")
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
    let out = user_create(&url, EMAIL, "admin", PASSWORD);
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
    let servers = [start(&url, dir.path()), start(&url, dir.path())];
    assert_ne!(servers[0].port, servers[1].port);
    let [a, b] = &servers;
    let mut session = Session {
        client: Client::new(),
        token: None,
    };

    // A token issued by one process is good at the other (one secret, one database).
    let (status, signed_in) = session.login(a, PASSWORD).await;
    assert_eq!(status, 200, "{signed_in}");
    session.token = signed_in["access_token"].as_str().map(str::to_owned);
    let session = &session;

    // Every event a subscriber gets, from whichever process delivers it.
    let (hook, received) = start_receiver(0, 0).await;
    let (status, made) = session
        .post(
            b,
            "/api/v1/webhooks",
            &json!({"url": hook, "secret": SECRET, "event_types": ["appeal.created"]}),
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
        let (server, body) = (&servers[i % 2], appeal(format!("Су {i}")));
        async move { session.post(server, "/api/v1/appeals", &body, &[]).await }
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
    let road = appeal("Жол".to_owned());
    let (status, first) = session.post(a, "/api/v1/appeals", &road, &key).await;
    assert_eq!(status, 201, "{first}");
    let (status, again) = session.post(b, "/api/v1/appeals", &road, &key).await;
    assert_eq!(status, 201, "{again}");
    assert_eq!(
        (&again["id"], &again["reg_number"]),
        (&first["id"], &first["reg_number"])
    );
    let (status, _) = session
        .post(b, "/api/v1/appeals", &appeal("Газ".to_owned()), &key)
        .await;
    assert_eq!(status, 409);

    // A list cursor from A reads the next page at B, the same page A would give.
    let (status, page) = session.get(a, "/api/v1/appeals?limit=7").await;
    assert_eq!(status, 200, "{page}");
    let cursor = page["next_cursor"].as_str().unwrap().to_owned();
    let next = format!("/api/v1/appeals?limit=7&cursor={cursor}");
    let (status, at_b) = session.get(b, &next).await;
    assert_eq!(status, 200, "{at_b}");
    let (_, at_a) = session.get(a, &next).await;
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
        let (status, _) = session.login(&servers[i % 2], "wrong-password-123").await;
        assert_eq!(status, 401, "attempt {}", i + 1);
    }
    assert_eq!(session.login(b, PASSWORD).await.0, 429);
    assert_eq!(session.login(a, PASSWORD).await.0, 429);

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
