//! `/metrics` shows the work waiting in the database, read at scrape time: the webhook
//! outbox (events not fanned out, deliveries pending, the oldest one's age), overdue
//! appeals, and the pool's waits and timeouts (#22).

use std::collections::BTreeMap;

use diesel::prelude::*;
use serde_json::json;

use crate::both_backends;
use crate::fixtures;
use crate::helpers::*;
use crate::webhooks::{appeal_body, SECRET};

/// The unlabelled samples of a scrape, by name.
async fn scrape(app: &TestApp, auth: &Auth) -> BTreeMap<String, f64> {
    let res = app.get("/metrics", auth).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.contains('{'))
        .filter_map(|l| {
            let (name, value) = l.split_once(' ')?;
            Some((name.to_owned(), value.trim().parse().ok()?))
        })
        .collect()
}

fn at(figures: &BTreeMap<String, f64>, name: &str) -> f64 {
    *figures
        .get(&format!("baqylau_{name}"))
        .unwrap_or_else(|| panic!("no {name} in {figures:#?}"))
}

both_backends! {
    async fn the_backlog_rises_and_falls_with_the_outbox_and_deadlines(app) {
        // No worker: events wait in the outbox until the test fans them out.
        let app = respawn_with(app, |s| s.webhooks.webhook_worker = false).await;
        let admin = fixtures::admin(&app).await;
        let first = scrape(&app, &admin).await;
        for name in ["db_pool_waits_total", "db_pool_timeouts_total", "db_pool_wait_seconds_count"] {
            assert!(at(&first, name) >= 0.0);
        }
        assert_eq!(at(&first, "outbox_events_pending"), 0.0);
        assert_eq!(at(&first, "webhook_deliveries_pending"), 0.0);
        assert_eq!(at(&first, "outbox_oldest_undelivered_seconds"), 0.0);
        assert_eq!(at(&first, "appeals_overdue"), 0.0);

        // An appeal received three months ago and never answered: one event, overdue.
        let received = (chrono::Utc::now() - chrono::Duration::days(90)).format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let mut old = appeal_body(&app, "Ескі өтініш");
        old["received_at"] = json!(received);
        let res = app.post("/api/v1/appeals", &admin, old).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let after = scrape(&app, &admin).await;
        assert_eq!(at(&after, "outbox_events_pending"), 1.0);
        assert_eq!(at(&after, "appeals_overdue"), 1.0);

        // A subscriber, then a new event for it: fanned out, the events become one
        // pending delivery, still undelivered.
        let res = app.post("/api/v1/webhooks", &admin, json!({"url": "http://127.0.0.1:9/hook", "secret": SECRET, "event_types": ["appeal.created"]})).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let res = app.post("/api/v1/appeals", &admin, appeal_body(&app, "Жаңа өтініш")).await;
        assert_eq!(res.status, 201, "{}", res.text);
        assert_eq!(at(&scrape(&app, &admin).await, "outbox_events_pending"), 2.0);
        let now = chrono::Utc::now().naive_utc();
        baqylau::webhooks::worker::fan_out(&mut app.conn(), now, 100).expect("fan out");
        let fanned = scrape(&app, &admin).await;
        assert_eq!(at(&fanned, "outbox_events_pending"), 0.0);
        assert_eq!(at(&fanned, "webhook_deliveries_pending"), 1.0);
        assert!(at(&fanned, "outbox_oldest_undelivered_seconds") < 600.0);

        // An event an hour old, as a stalled worker leaves one: the age says so.
        {
            use baqylau::db::schema::outbox_events as o;
            diesel::insert_into(o::table)
                .values((
                    o::event_type.eq("appeal.created"),
                    o::entity.eq("appeal"),
                    o::entity_id.eq(1_000_000_i64),
                    o::territory_path.eq(None::<String>),
                    o::payload.eq("{}"),
                    o::occurred_at.eq(now - chrono::Duration::hours(1)),
                ))
                .execute(&mut *app.conn())
                .unwrap();
        }
        let stalled = scrape(&app, &admin).await;
        assert_eq!(at(&stalled, "outbox_events_pending"), 1.0);
        assert!(at(&stalled, "outbox_oldest_undelivered_seconds") >= 3600.0, "{stalled:#?}");
    }
}
