//! Webhooks: registration rules, and the delivery guarantees — a receiver that fails for
//! a while and a server restarted mid-delivery lose nothing, every request is signed,
//! and events of one object arrive in order.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use actix_web::{web, HttpRequest, HttpResponse};
use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::*;

pub const SECRET: &str = "receiver-shared-secret-0123456789";

/// One request as the receiver saw it, and what it answered (0: no answer, the request
/// was held until the server was stopped).
#[derive(Debug, Clone)]
pub struct Received {
    pub event_id: i64,
    pub timestamp: i64,
    pub signature: String,
    pub event_header: String,
    pub body: Vec<u8>,
    pub answered: u16,
}

/// A webhook receiver on 127.0.0.1: fails the first `fail_first` requests with 503 and
/// holds request number `hold` without answering.
pub struct Receiver {
    pub log: Mutex<Vec<Received>>,
    pub fail_first: usize,
    pub hold: usize,
    pub holding: AtomicBool,
}

impl Receiver {
    pub fn new(fail_first: usize, hold: usize) -> web::Data<Receiver> {
        web::Data::new(Receiver {
            log: Mutex::new(Vec::new()),
            fail_first,
            hold,
            holding: AtomicBool::new(false),
        })
    }
}

pub async fn receive(req: HttpRequest, body: web::Bytes, rx: web::Data<Receiver>) -> HttpResponse {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (n, answer) = {
        let mut log = rx.log.lock().unwrap();
        let n = log.len() + 1;
        let answer = if n == rx.hold {
            0
        } else if n <= rx.fail_first {
            503
        } else {
            200
        };
        log.push(Received {
            event_id: header("x-baqylau-event-id").parse().unwrap_or(-1),
            timestamp: header("x-baqylau-timestamp").parse().unwrap_or(-1),
            signature: header("x-baqylau-signature"),
            event_header: header("x-baqylau-event"),
            body: body.to_vec(),
            answered: answer,
        });
        (n, answer)
    };
    if n == rx.hold {
        rx.holding.store(true, Ordering::SeqCst);
        // Never answered in time: the server is stopped while this request is open.
        tokio::time::sleep(Duration::from_secs(30)).await;
    }
    HttpResponse::build(actix_web::http::StatusCode::from_u16(answer.max(200)).unwrap()).finish()
}

pub async fn start_receiver(fail_first: usize, hold: usize) -> (String, web::Data<Receiver>) {
    let rx = Receiver::new(fail_first, hold);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let data = rx.clone();
    let server = actix_web::HttpServer::new(move || {
        actix_web::App::new()
            .app_data(data.clone())
            .route("/hook", web::post().to(receive))
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    tokio::spawn(server);
    (format!("http://127.0.0.1:{port}/hook"), rx)
}

/// Settings that make the test quick: retries after 100 ms, 200 ms, ...; a lease of
/// two seconds.
pub fn fast(settings: &mut baqylau::config::Settings) {
    settings.webhooks.webhook_backoff_ms = 100;
    settings.webhooks.webhook_backoff_cap_secs = 1;
    settings.webhooks.webhook_timeout_ms = 1_000;
    settings.webhooks.webhook_lease_ms = 2_000;
    settings.webhooks.webhook_poll_ms = 50;
}

pub fn appeal_body(app: &TestApp, subject: &str) -> Value {
    json!({
        "channel": "reception_room",
        "category": "UTIL_WATER",
        "territory_id": app.territory(kato::SARYKEMER),
        "citizen": {"full_name": "Сейтқали Айгүл", "iin": "850715300122"},
        "subject": subject,
        "description": "Ақсу ауылында ауыз су жоқ.",
        "language": "kk"
    })
}

async fn transition(app: &TestApp, auth: &Auth, id: i64, to: Value) {
    let current = app.get(&format!("/api/v1/appeals/{id}"), auth).await.json();
    let version = format!("\"{}\"", current["version"]);
    let res = app
        .request(
            Method::POST,
            &format!("/api/v1/appeals/{id}/transitions"),
            auth,
            Some(to),
            &[("If-Match", &version)],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
}

/// The events of these types in the outbox: (event id, entity id), in id order.
fn outbox(app: &TestApp) -> Vec<(i64, i64)> {
    use baqylau::db::schema::outbox_events as o;
    use diesel::prelude::*;
    o::table
        .filter(o::event_type.eq_any(["appeal.created", "appeal.status_changed"]))
        .order(o::id)
        .select((o::id, o::entity_id))
        .load(&mut *app.conn())
        .unwrap()
}

both_backends! {
    async fn registration_checks_every_field_and_never_shows_the_secret(app) {
        app.create_user("admin@w.kz", "admin", None, None);
        app.create_user("district@w.kz", "district_staff", Some(kato::BAIZAK), None);
        let admin = app.bearer("admin@w.kz").await;
        let district = app.bearer("district@w.kz").await;

        let res = app.post("/api/v1/webhooks", &admin, json!({"url": "ftp://example.kz/x", "secret": "short", "event_types": ["appeal.created", "appeal.eaten"]})).await;
        let problem = res.problem(422, "validation_failed");
        let fields: BTreeSet<&str> = problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, BTreeSet::from(["url", "secret", "event_types[1]"]), "{problem}");
        for url in ["javascript:alert(1)", "http://user:pw@example.kz/", "not a url", ""] {
            let res = app.post("/api/v1/webhooks", &admin, json!({"url": url, "secret": SECRET, "event_types": ["appeal.created"]})).await;
            assert_eq!(res.status, 422, "{url}: {}", res.text);
        }
        let res = app.post("/api/v1/webhooks", &admin, json!({"url": "http://127.0.0.1:9/x", "secret": SECRET, "event_types": []})).await;
        res.problem(422, "validation_failed");

        let res = app.post("/api/v1/webhooks", &district, json!({"url": "http://127.0.0.1:9/x", "secret": SECRET, "event_types": ["appeal.created"]})).await;
        assert_eq!(res.status, 403, "{}", res.text);

        let res = app.post("/api/v1/webhooks", &admin, json!({"url": "https://crm.example.kz/hook", "secret": SECRET, "event_types": ["indicator.progress", "appeal.created", "appeal.created"]})).await;
        assert_eq!(res.status, 201, "{}", res.text);
        assert!(!res.text.contains(SECRET));
        let hook = res.json();
        assert_eq!(hook["event_types"], json!(["appeal.created", "indicator.progress"]));
        assert_eq!(hook["active"], true);
        let id = hook["id"].as_i64().unwrap();
        let list = app.get("/api/v1/webhooks", &admin).await;
        assert_eq!(list.status, 200);
        assert!(!list.text.contains(SECRET));
        assert_eq!(list.json()["items"][0]["id"], id);
        let audit = app.get("/api/v1/audit?entity=webhook", &admin).await;
        assert!(!audit.text.contains(SECRET), "the audit trail keeps no secret");

        let res = app.request(Method::DELETE, &format!("/api/v1/webhooks/{id}"), &admin, None, &[]).await;
        assert_eq!(res.status, 204, "{}", res.text);
        let res = app.request(Method::DELETE, &format!("/api/v1/webhooks/{id}"), &admin, None, &[]).await;
        assert_eq!(res.status, 204, "removing twice is harmless");
        assert_eq!(app.get("/api/v1/webhooks", &admin).await.json()["items"], json!([]));
        assert_eq!(app.get(&format!("/api/v1/webhooks/{id}/deliveries"), &admin).await.status, 200);
        app.get("/api/v1/webhooks/999999/deliveries", &admin).await.problem(404, "not_found");
    }

    async fn events_survive_failures_and_a_restart_signed_and_in_order(app) {
        let app = respawn_with(app, fast).await;
        // Fails the first three requests, holds the fifth until the server is stopped.
        let (url, rx) = start_receiver(3, 5).await;
        app.create_user("admin@w.kz", "admin", None, None);
        app.create_user("district@w.kz", "district_staff", Some(kato::BAIZAK), None);
        let admin = app.bearer("admin@w.kz").await;
        let district = app.bearer("district@w.kz").await;

        // A change before the webhook exists is not sent to it.
        let early = app.post("/api/v1/appeals", &district, appeal_body(&app, "Ертерек")).await;
        assert_eq!(early.status, 201, "{}", early.text);
        let res = app.post("/api/v1/webhooks", &admin, json!({"url": url, "secret": SECRET, "event_types": ["appeal.created", "appeal.status_changed"]})).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let hook = res.json()["id"].as_i64().unwrap();
        // Another webhook for another district gets nothing of Baizak's.
        let res = app.post("/api/v1/webhooks", &admin, json!({"url": url, "secret": SECRET, "event_types": ["appeal.created"], "territory_id": app.territory(kato::KORDAI)})).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let kordai_hook = res.json()["id"].as_i64().unwrap();

        let mut ids = Vec::new();
        for subject in ["Су", "Жол", "Жарық"] {
            let res = app.post("/api/v1/appeals", &district, appeal_body(&app, subject)).await;
            assert_eq!(res.status, 201, "{}", res.text);
            ids.push(res.json()["id"].as_i64().unwrap());
        }
        for id in &ids {
            transition(&app, &district, *id, json!({"to": "under_control"})).await;
        }
        transition(&app, &district, ids[0], json!({"to": "rejected", "resolution": "Құзыретке жатпайды"})).await;
        let expected = outbox(&app);
        let early_id = early.json()["id"].as_i64().unwrap();
        let expected: Vec<(i64, i64)> = expected.into_iter().filter(|(_, entity)| *entity != early_id).collect();
        assert_eq!(expected.len(), 7);

        // Stop the server while the fifth request is open, then start it again on the
        // same database.
        let mut waited = 0;
        while !rx.holding.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(20)).await;
            waited += 1;
            assert!(waited < 1500, "the receiver never got a fifth request: {:?}", rx.log.lock().unwrap().len());
        }
        let app = app.restart().await;

        // Everything arrives after the lease of the stopped process expires.
        let mut waited = 0;
        loop {
            let delivered: BTreeSet<i64> = rx.log.lock().unwrap().iter().filter(|r| r.answered == 200).map(|r| r.event_id).collect();
            if expected.iter().all(|(id, _)| delivered.contains(id)) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
            waited += 1;
            assert!(waited < 600, "not delivered after 30 s: {delivered:?} of {expected:?}");
        }
        // Let a straggler (a duplicate) show itself before checking.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let log = rx.log.lock().unwrap().clone();
        assert!(log.iter().filter(|r| r.answered == 503).count() == 3);

        let entity_of: BTreeMap<i64, i64> = expected.iter().copied().collect();
        let mut bodies: BTreeMap<i64, Vec<u8>> = BTreeMap::new();
        let mut last_per_entity: BTreeMap<i64, i64> = BTreeMap::new();
        for r in &log {
            // Signed: HMAC-SHA256 of "timestamp.body" with the webhook's secret, fresh.
            let now = chrono::Utc::now().timestamp();
            assert!(baqylau::webhooks::sign::verify(SECRET.as_bytes(), r.timestamp, &r.body, &r.signature, now, 300), "bad signature on {r:?}");
            let body: Value = serde_json::from_slice(&r.body).unwrap();
            assert_eq!(body["id"], r.event_id);
            assert_eq!(body["type"], r.event_header.as_str());
            let entity = *entity_of.get(&r.event_id).unwrap_or_else(|| panic!("unexpected event {r:?}"));
            assert_eq!(body["entity"], "appeal");
            assert_eq!(body["entity_id"], entity);
            assert!(!String::from_utf8_lossy(&r.body).contains("850715300122"), "no IIN in events");
            // Every attempt of an event carries the same bytes.
            let first = bodies.entry(r.event_id).or_insert_with(|| r.body.clone());
            assert_eq!(first, &r.body);
            // Order per object: never an earlier event after a later one was sent.
            let last = last_per_entity.entry(entity).or_insert(0);
            assert!(r.event_id >= *last, "event {} of appeal {entity} after {}", r.event_id, last);
            *last = r.event_id;
        }
        let first_types: Vec<String> = expected.iter().map(|(id, _)| {
            let b: Value = serde_json::from_slice(&bodies[id]).unwrap();
            b["type"].as_str().unwrap().to_owned()
        }).collect();
        assert_eq!(first_types.iter().filter(|t| *t == "appeal.created").count(), 3);
        assert_eq!(first_types.iter().filter(|t| *t == "appeal.status_changed").count(), 4);

        // Every attempt is on record, the interrupted one too.
        let page = app.get(&format!("/api/v1/webhooks/{hook}/deliveries?limit=200"), &admin).await;
        assert_eq!(page.status, 200, "{}", page.text);
        let deliveries = page.json()["items"].as_array().unwrap().clone();
        assert_eq!(deliveries.len(), 7);
        let mut attempts = 0;
        for d in &deliveries {
            assert_eq!(d["status"], "delivered", "{d}");
            let list = d["attempts"].as_array().unwrap();
            assert_eq!(list.last().unwrap()["succeeded"], true, "{d}");
            attempts += list.len();
        }
        assert!(attempts >= log.len(), "{attempts} attempts on record for {} requests", log.len());
        let all: Vec<&Value> = deliveries.iter().flat_map(|d| d["attempts"].as_array().unwrap()).collect();
        assert_eq!(all.iter().filter(|a| a["status_code"] == 503).count(), 3);
        assert!(all.iter().any(|a| a["error"].as_str().is_some_and(|e| e.contains("no outcome recorded"))), "the interrupted attempt is on record");
        let kordai = app.get(&format!("/api/v1/webhooks/{kordai_hook}/deliveries"), &admin).await.json();
        assert_eq!(kordai["items"], json!([]));
    }

    async fn a_receiver_that_never_answers_is_given_up_and_later_events_follow(app) {
        let app = respawn_with(app, |s| {
            fast(s);
            s.webhooks.webhook_max_attempts = 2;
        })
        .await;
        // Fails the first two requests (both attempts of the first event).
        let (url, rx) = start_receiver(2, 0).await;
        app.create_user("admin@w.kz", "admin", None, None);
        let admin = app.bearer("admin@w.kz").await;
        let res = app.post("/api/v1/webhooks", &admin, json!({"url": url, "secret": SECRET, "event_types": ["appeal.created", "appeal.status_changed"]})).await;
        let hook = res.json()["id"].as_i64().unwrap();
        let res = app.post("/api/v1/appeals", &admin, appeal_body(&app, "Су")).await;
        let id = res.json()["id"].as_i64().unwrap();
        transition(&app, &admin, id, json!({"to": "under_control"})).await;
        let mut waited = 0;
        loop {
            let page = app.get(&format!("/api/v1/webhooks/{hook}/deliveries"), &admin).await.json();
            let statuses: Vec<&str> = page["items"].as_array().unwrap().iter().map(|d| d["status"].as_str().unwrap()).collect();
            if statuses == ["delivered", "failed"] {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
            waited += 1;
            assert!(waited < 400, "{statuses:?}");
        }
        let log = rx.log.lock().unwrap().clone();
        let answered: Vec<u16> = log.iter().map(|r| r.answered).collect();
        assert_eq!(answered, [503, 503, 200]);
        assert!(log[0].event_id < log[2].event_id);
    }
}
