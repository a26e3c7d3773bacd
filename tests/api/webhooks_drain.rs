//! How the delivery worker paces itself (#18, finding 12): a backlog drains in rounds
//! that follow each other until it is empty, a write of the process wakes the worker,
//! and the worker's time is the application's clock.

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::json;

use crate::both_backends;
use crate::helpers::*;
use crate::webhooks::{appeal_body, start_receiver, SECRET};

/// Events written straight into the outbox, as a burst from another process would be:
/// this many no webhook subscribes to, then this many one does.
const BURST: i64 = 300;

both_backends! {
    async fn a_burst_of_events_is_delivered_after_one_wake(app) {
        use baqylau::db::schema::outbox_events as o;
        use diesel::prelude::*;
        // The poll never comes during the test: only the wake and the rounds that
        // follow it can deliver.
        let app = respawn_with(app, |s| s.webhooks.webhook_poll_ms = 3_600_000).await;
        let (url, rx) = start_receiver(0, 0).await;
        app.create_user("admin@w.kz", "admin", None, None);
        let admin = app.bearer("admin@w.kz").await;
        let res = app.post("/api/v1/webhooks", &admin, json!({"url": url, "secret": SECRET, "event_types": ["appeal.created"]})).await;
        assert_eq!(res.status, 201, "{}", res.text);

        // First events no webhook takes (the demo seed's), then ones it does: a round
        // that found nothing to send must not put the rest off until the poll.
        let now = chrono::Utc::now().naive_utc();
        let rows: Vec<_> = (1..=2 * BURST)
            .map(|i| (
                o::event_type.eq(if i <= BURST { "indicator.progress" } else { "appeal.created" }),
                o::entity.eq("appeal"),
                o::entity_id.eq(1_000_000 + i),
                o::territory_path.eq(None::<String>),
                o::payload.eq("{}"),
                o::occurred_at.eq(now),
            ))
            .collect();
        for row in rows {
            diesel::insert_into(o::table).values(row).execute(&mut *app.conn()).unwrap();
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(rx.log.lock().unwrap().is_empty(), "nothing is sent before the wake");

        // One write through the server commits an event and wakes the worker.
        let res = app.post("/api/v1/appeals", &admin, appeal_body(&app, "Су")).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let mut waited = 0;
        loop {
            let delivered: BTreeSet<i64> = rx.log.lock().unwrap().iter().map(|r| r.event_id).collect();
            if delivered.len() as i64 == BURST + 1 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
            waited += 1;
            assert!(waited < 1200, "{} of {} delivered after one wake", delivered.len(), BURST + 1);
        }
    }

    async fn the_worker_keeps_the_application_clock(app) {
        let app = respawn_at(app, "2026-12-01T06:00:00Z").await;
        let (url, rx) = start_receiver(0, 0).await;
        app.create_user("admin@w.kz", "admin", None, None);
        let admin = app.bearer("admin@w.kz").await;
        let res = app.post("/api/v1/webhooks", &admin, json!({"url": url, "secret": SECRET, "event_types": ["appeal.created"]})).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let hook = res.json()["id"].as_i64().unwrap();
        let res = app.post("/api/v1/appeals", &admin, appeal_body(&app, "Су")).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let attempt = crate::webhooks_tls::first_attempt(&app, &admin, hook).await;
        assert_eq!(attempt["succeeded"], true, "{attempt}");
        assert_eq!(attempt["at"], "2026-12-01T06:00:00Z");
        let log = rx.log.lock().unwrap().clone();
        let fixed = chrono::DateTime::parse_from_rfc3339("2026-12-01T06:00:00Z").unwrap().timestamp();
        assert_eq!(log[0].timestamp, fixed, "signed at the application's time");
        assert!(baqylau::webhooks::sign::verify(SECRET.as_bytes(), log[0].timestamp, &log[0].body, &log[0].signature, fixed, 0));
    }
}
