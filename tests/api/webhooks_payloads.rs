//! What webhooks carry: ids, codes, statuses and dates — never the texts citizens and
//! staff typed (#18, finding 7). Distinctive texts are planted in every field that can
//! hold one, every event type is triggered, and every delivered body is searched.

use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::*;
use crate::webhooks::{fast, start_receiver, SECRET};

/// Texts that must never leave in a webhook.
const PLANTED: [&str; 14] = [
    "PLANT-SUBJECT",
    "PLANT-DESCRIPTION",
    "PLANT-CITIZEN-NAME",
    "+77019998877",
    "PLANT-ADDRESS",
    "PLANT-COMMENT",
    "PLANT-BODY",
    "PLANT-RESOLUTION",
    "PLANT-FORWARDED",
    "PLANT-RECEPTION-TITLE",
    "PLANT-VENUE",
    "PLANT-SUMMARY",
    "PLANT-ISSUE",
    "PLANT-PROGRESS",
];

async fn transition(app: &TestApp, auth: &Auth, id: i64, body: Value) {
    let current = app.get(&format!("/api/v1/appeals/{id}"), auth).await.json();
    let tag = format!("\"{}\"", current["version"]);
    let path = format!("/api/v1/appeals/{id}/transitions");
    let res = app
        .request(Method::POST, &path, auth, Some(body), &[("If-Match", &tag)])
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
}

async fn appeal(app: &TestApp, auth: &Auth) -> i64 {
    let res = app
        .post(
            "/api/v1/appeals",
            auth,
            json!({
                "channel": "reception_room",
                "category": "UTIL_WATER",
                "territory_id": app.territory(kato::SARYKEMER),
                "citizen": {"full_name": "PLANT-CITIZEN-NAME", "phone": "+7 701 999 88 77", "address": "PLANT-ADDRESS"},
                "subject": "PLANT-SUBJECT",
                "description": "PLANT-DESCRIPTION Көршім (тел. 8 701 999 88 77)",
                "language": "kk"
            }),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    res.json()["id"].as_i64().unwrap()
}

both_backends! {
    async fn payloads_carry_no_typed_text(app) {
        let app = respawn_with(app, fast).await;
        let (url, rx) = start_receiver(0, 0).await;
        app.create_user("admin@w.kz", "admin", None, None);
        let admin = app.bearer("admin@w.kz").await;
        let res = app.post("/api/v1/webhooks", &admin, json!({"url": url, "secret": SECRET, "event_types": [
            "appeal.created", "appeal.status_changed", "appeal.deleted", "reception.held", "indicator.progress"
        ]})).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let deputy = app.create_deputy("PLANT-DEPUTY", kato::BAIZAK);

        // Appeals: created, moved with a comment, an assigned body, a resolution; another
        // forwarded.
        let first = appeal(&app, &admin).await;
        transition(&app, &admin, first, json!({"to": "under_control", "comment": "PLANT-COMMENT"})).await;
        transition(&app, &admin, first, json!({"to": "assigned", "assigned_body": "PLANT-BODY", "deputy_id": deputy})).await;
        transition(&app, &admin, first, json!({"to": "in_progress"})).await;
        transition(&app, &admin, first, json!({"to": "resolved", "resolution": "PLANT-RESOLUTION"})).await;
        let second = appeal(&app, &admin).await;
        transition(&app, &admin, second, json!({"to": "forwarded", "forwarded_to": "PLANT-FORWARDED", "comment": "PLANT-COMMENT"})).await;

        // A reception held with its report.
        let res = app.post("/api/v1/receptions", &admin, json!({
            "title": "PLANT-RECEPTION-TITLE", "level": "district",
            "territory_id": app.territory(kato::BAIZAK),
            "settlement_ids": [app.territory(kato::SARYKEMER)],
            "planned_start": "2026-06-10T04:00:00Z", "planned_end": "2026-06-10T09:00:00Z",
            "venue": "PLANT-VENUE"
        })).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let reception = res.json();
        let path = format!("/api/v1/receptions/{}/transitions", reception["id"]);
        let tag = format!("\"{}\"", reception["version"]);
        let res = app.request(Method::POST, &path, &admin, Some(json!({
            "to": "held", "residents_heard": 12, "comment": "PLANT-COMMENT",
            "report": {"summary": "PLANT-SUMMARY", "issues_raised": ["PLANT-ISSUE"]}
        })), &[("If-Match", &tag)]).await;
        assert_eq!(res.status, 200, "{}", res.text);

        // Progress on an indicator, with a comment.
        let res = app.post("/api/v1/roadmaps", &admin, json!({"title_kk": "PLANT-ROADMAP", "title_ru": "PLANT-ROADMAP", "kind": "regional", "territory_id": app.territory(kato::ZHAMBYL), "year": 2030})).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let roadmap = res.json()["id"].as_i64().unwrap();
        let res = app.post(&format!("/api/v1/roadmaps/{roadmap}/sections"), &admin, json!({"title": "PLANT-SECTION", "bureau_member_id": deputy})).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let section = res.json()["id"].as_i64().unwrap();
        let res = app.post("/api/v1/indicators", &admin, json!({
            "roadmap_id": roadmap, "section_id": section, "title": "PLANT-INDICATOR", "kind": "event",
            "territory_id": app.territory(kato::BAIZAK), "due_on": "2030-12-31", "deputy_id": deputy
        })).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let indicator = res.json()["id"].as_i64().unwrap();
        let res = app.post(&format!("/api/v1/indicators/{indicator}/progress"), &admin, json!({"done": true, "comment": "PLANT-PROGRESS"})).await;
        assert_eq!(res.status, 201, "{}", res.text);

        // Every event arrives: 2 created, 5 status changes, 1 held, 1 progress.
        let mut waited = 0;
        while rx.log.lock().unwrap().len() < 9 {
            tokio::time::sleep(Duration::from_millis(50)).await;
            waited += 1;
            assert!(waited < 600, "{} of 9 delivered", rx.log.lock().unwrap().len());
        }
        let log = rx.log.lock().unwrap().clone();
        let mut types = Vec::new();
        for r in &log {
            let text = String::from_utf8_lossy(&r.body);
            for planted in PLANTED.iter().chain(&["PLANT-", "999 88 77", "9998877"]) {
                assert!(!text.contains(planted), "{planted} in a {} webhook: {text}", r.event_header);
            }
            let body: Value = serde_json::from_slice(&r.body).unwrap();
            types.push(body["type"].as_str().unwrap().to_owned());
            // What a receiver needs to fetch the rest through the API.
            let object = &body["data"]["object"];
            assert!(object["status"].is_string(), "{body}");
            assert!(object["territory_id"].is_number(), "{body}");
            if body["type"] == "appeal.created" {
                assert!(object["reg_number"].is_string(), "{body}");
                assert_eq!(object["category"], "UTIL_WATER");
            }
            if body["type"] == "appeal.status_changed" {
                assert!(body["data"]["to_status"].is_string(), "{body}");
            }
        }
        types.sort();
        types.dedup();
        assert_eq!(types, ["appeal.created", "appeal.status_changed", "indicator.progress", "reception.held"]);
    }
}
