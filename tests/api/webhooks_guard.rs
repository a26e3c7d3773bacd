//! The destination guard: webhooks reach public addresses over `https` only, unless the
//! host is allow-listed (`BAQYLAU_WEBHOOK_ALLOW_HOSTS`) — at registration and again at
//! every delivery.

use serde_json::json;

use crate::both_backends;
use crate::helpers::*;
use crate::webhooks::{appeal_body, fast, start_receiver, SECRET};
use crate::webhooks_tls::first_attempt;

/// The addresses a webhook must not reach unless allow-listed.
const INTERNAL: [&str; 7] = [
    "https://127.0.0.1/hook",
    "https://169.254.169.254/latest/meta-data",
    "https://10.1.2.3:8443/hook",
    "https://[::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://[fe80::1]/hook",
    "https://localhost/hook",
];

async fn register(app: &TestApp, admin: &Auth, url: &str) -> Response {
    app.post(
        "/api/v1/webhooks",
        admin,
        json!({"url": url, "secret": SECRET, "event_types": ["appeal.created"]}),
    )
    .await
}

both_backends! {
    async fn internal_destinations_and_plain_http_are_refused_unless_allow_listed(app) {
        let app = respawn_with(app, |s| s.webhooks.webhook_allow_hosts = Default::default()).await;
        app.create_user("admin@w.kz", "admin", None, None);
        let admin = app.bearer("admin@w.kz").await;
        for url in INTERNAL {
            let problem = register(&app, &admin, url).await.problem(422, "validation_failed");
            assert_eq!(problem["errors"], json!([{"field": "url", "code": "destination_not_allowed", "message": problem["errors"][0]["message"]}]), "{url}: {problem}");
        }
        let problem = register(&app, &admin, "http://crm.example.kz/hook").await.problem(422, "validation_failed");
        assert_eq!(problem["errors"][0]["field"], "url");
        assert_eq!(problem["errors"][0]["code"], "https_required");
        let res = register(&app, &admin, "https://crm.example.kz/hook").await;
        assert_eq!(res.status, 201, "{}", res.text);

        // The operator's allow-list lets them through, plain http included.
        let app = respawn_with(app, |s| {
            s.webhooks.webhook_allow_hosts = "127.0.0.1, 169.254.169.254, 10.1.2.3:8443, [::1], [::ffff:127.0.0.1], [fe80::1], localhost".parse().unwrap();
        })
        .await;
        app.create_user("admin@w.kz", "admin", None, None);
        let admin = app.bearer("admin@w.kz").await;
        for url in INTERNAL.into_iter().chain(["http://127.0.0.1:9/hook"]) {
            let res = register(&app, &admin, url).await;
            assert_eq!(res.status, 201, "{url}: {}", res.text);
        }
        // An allow-listed host:port allows that port only.
        let problem = register(&app, &admin, "https://10.1.2.3/hook").await.problem(422, "validation_failed");
        assert_eq!(problem["errors"][0]["code"], "destination_not_allowed");
    }

    async fn a_destination_that_is_no_longer_allowed_fails_at_delivery(app) {
        use baqylau::db::schema::webhooks as w;
        use diesel::prelude::*;
        let app = respawn_with(app, fast).await;
        let (url, rx) = start_receiver(0, 0).await;
        app.create_user("admin@w.kz", "admin", None, None);
        let admin = app.bearer("admin@w.kz").await;
        let res = register(&app, &admin, &url).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let hook = res.json()["id"].as_i64().unwrap();
        // Registered when it was allowed; the host is now one the guard refuses (as
        // when the allow-list shrinks).
        let port = url::Url::parse(&url).unwrap().port().unwrap();
        diesel::update(w::table.find(hook))
            .set(w::url.eq(format!("https://[::1]:{port}/hook")))
            .execute(&mut *app.conn())
            .unwrap();
        let res = app.post("/api/v1/appeals", &admin, appeal_body(&app, "Су")).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let attempt = first_attempt(&app, &admin, hook).await;
        assert_eq!(attempt["succeeded"], false, "{attempt}");
        let error = attempt["error"].as_str().unwrap();
        assert!(error.starts_with("destination not allowed") && error.contains("loopback"), "{error}");
        assert!(rx.log.lock().unwrap().is_empty(), "nothing was sent");
    }
}
