//! Appeals intake: numbering, deadlines, validation, idempotency, concurrency, and the
//! application clock.

use std::collections::HashSet;

use reqwest::Method;
use serde_json::{json, Value};

use super::*;
use crate::both_backends;

both_backends! {
    async fn intake_registers_with_number_deadline_and_location(app) {
        let auth = staff(&app).await;
        let res = app.post("/api/v1/appeals", &auth, body(&app, json!({"received_at": "2026-03-20T05:00:00Z"}))).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let a = res.json();
        let year_ok = a["reg_number"].as_str().unwrap().starts_with("ZHA-2026-");
        assert!(year_ok, "{}", a["reg_number"]);
        assert_eq!(res.header("location").unwrap(), format!("/api/v1/appeals/{}", a["id"]));
        assert_eq!(res.header("etag").unwrap(), "\"1\"");
        assert_eq!(a["status"], "registered");
        assert_eq!(a["allowed_transitions"], json!(["under_control", "forwarded", "rejected"]));
        // Received Friday 20 March 2026; Nauryz days off 23–25 March: 15 working days → 15 April.
        assert_eq!(a["registered_on"], "2026-03-20");
        assert_eq!(a["due_on"], "2026-04-15");
        assert_eq!(a["overdue"], true, "an open appeal past 15 April 2026 is overdue today");
        // Received on Saturday 21 March: registered on the next working day, Thursday 26 March.
        let sat = create(&app, &auth, json!({"received_at": "2026-03-21T06:00:00Z"})).await;
        assert_eq!(sat["registered_on"], "2026-03-26");
        assert_eq!(sat["due_on"], "2026-04-16");
        // Stored canonically.
        let admin = { app.create_user("admin@a.kz", "admin", None, None); app.bearer("admin@a.kz").await };
        let full = app.get(&format!("/api/v1/appeals/{}", a["id"]), &admin).await.json();
        assert_eq!(full["citizen"]["phone"], "+77012345678");
        assert_eq!(full["citizen"]["email"], "aigul@mail.kz");
        // Anonymous: only reports of a threat or an offence (APPK art. 63).
        let res = app.post("/api/v1/appeals", &auth, body(&app, json!({"anonymous": true, "citizen": null}))).await;
        let p = res.problem(422, "validation_failed");
        assert_eq!(p["errors"][0]["field"], "anonymous");
        let anon = create(&app, &auth, json!({"anonymous": true, "threat_report": true, "citizen": null})).await;
        assert!(anon["citizen"]["full_name"].is_null());
    }

    async fn validation_lists_every_bad_field_and_writes_nothing(app) {
        let auth = staff(&app).await;
        let before = (count(&app, "appeals"), count(&app, "appeal_citizens"), count(&app, "audit_log"), count(&app, "reg_counters"));
        let res = app.post("/api/v1/appeals", &auth, json!({
            "channel": "pigeon", "category": "NOPE", "territory_id": app.territory(kato::KORDAI),
            "citizen": {"iin": "850715300123", "phone": "+1 212 555 0100", "email": "nope"},
            "subject": "", "description": "English only text", "language": "en",
            "received_at": "yesterday", "reception_id": 5
        })).await;
        let p = res.problem(422, "validation_failed");
        let fields: HashSet<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        let expected: HashSet<&str> = ["channel", "category", "territory_id", "citizen.iin", "citizen.phone", "citizen.email",
            "citizen.full_name", "subject", "description", "language", "received_at", "reception_id"].into_iter().collect();
        assert_eq!(fields, expected);
        let codes: HashSet<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
        assert!(codes.contains("iin_checksum") && codes.contains("phone_country") && codes.contains("out_of_scope") && codes.contains("not_cyrillic"), "{codes:?}");
        let long = "а".repeat(10_001);
        let p = app.post("/api/v1/appeals", &auth, body(&app, json!({"description": long}))).await.problem(422, "validation_failed");
        assert_eq!(p["errors"][0]["code"], "length");
        let p = app.post("/api/v1/appeals", &auth, body(&app, json!({"received_at": "1899-12-31T00:00:00Z"}))).await.problem(422, "validation_failed");
        assert_eq!(p["errors"][0]["code"], "too_old");
        let p = app.post("/api/v1/appeals", &auth, body(&app, json!({"received_at": "2099-01-01T00:00:00Z"}))).await.problem(422, "validation_failed");
        assert_eq!(p["errors"][0]["code"], "in_future");
        let p = app.post("/api/v1/appeals", &auth, body(&app, json!({"territory_id": "five"}))).await.problem(422, "validation_failed");
        assert_eq!(p["errors"][0]["field"], "territory_id");
        let p = app.post("/api/v1/appeals", &auth, body(&app, json!({"subject": "Су\u{0000}"}))).await.problem(422, "validation_failed");
        assert_eq!(p["errors"][0]["code"], "invalid_characters");
        let after = (count(&app, "appeals"), count(&app, "appeal_citizens"), count(&app, "audit_log"), count(&app, "reg_counters"));
        assert_eq!(before, after, "nothing half-written");
    }

    async fn idempotent_retry_and_conflicting_retry(app) {
        let auth = staff(&app).await;
        let b = body(&app, json!({}));
        let key = [("Idempotency-Key", "mobile-7f3a")];
        let first = app.request(Method::POST, "/api/v1/appeals", &auth, Some(b.clone()), &key).await;
        assert_eq!(first.status, 201, "{}", first.text);
        let again = app.request(Method::POST, "/api/v1/appeals", &auth, Some(b.clone()), &key).await;
        assert_eq!(again.status, 201);
        assert_eq!(again.json()["id"], first.json()["id"]);
        assert_eq!(again.json()["reg_number"], first.json()["reg_number"]);
        assert_eq!(count(&app, "appeals"), 1);
        let mut changed = b.clone();
        changed["subject"] = json!("Басқа тақырып");
        let conflict = app.request(Method::POST, "/api/v1/appeals", &auth, Some(changed), &key).await;
        conflict.problem(409, "idempotency_key_reused");
        assert_eq!(count(&app, "appeals"), 1);
        // Keys belong to their caller: another user's identical key is independent.
        app.create_user("other-staff@a.kz", "district_staff", Some(kato::BAIZAK), None);
        let other = app.bearer("other-staff@a.kz").await;
        let theirs = app.request(Method::POST, "/api/v1/appeals", &other, Some(b), &key).await;
        assert_eq!(theirs.status, 201);
        assert_ne!(theirs.json()["id"], first.json()["id"]);
        let too_long = "k".repeat(201);
        app.request(Method::POST, "/api/v1/appeals", &auth, Some(body(&app, json!({}))), &[("Idempotency-Key", &too_long)]).await.problem(422, "validation_failed");
    }

    async fn concurrent_intake_gives_gap_free_numbers_and_one_row_per_key(app) {
        let auth = staff(&app).await;
        let mut tasks = Vec::new();
        for i in 0..16 {
            let (client, url, auth, b) = (app.client.clone(), app.url("/api/v1/appeals"), auth.clone(), body(&app, json!({})));
            tasks.push(tokio::spawn(async move {
                let mut req = client.post(url).json(&b);
                if let Auth::Bearer(t) = &auth { req = req.bearer_auth(t); }
                // Half the requests are retries of one mobile submission.
                if i % 2 == 0 { req = req.header("Idempotency-Key", "same-offline-batch"); }
                let res = req.send().await.unwrap();
                assert_eq!(res.status(), 201);
                res.json::<Value>().await.unwrap()
            }));
        }
        let mut numbers = HashSet::new();
        let mut ids = HashSet::new();
        for t in tasks {
            let a = t.await.unwrap();
            numbers.insert(a["reg_number"].as_str().unwrap().to_owned());
            ids.insert(a["id"].as_i64().unwrap());
        }
        assert_eq!(ids.len(), 9, "8 distinct creations plus one idempotent one");
        assert_eq!(count(&app, "appeals"), 9);
        let mut seqs: Vec<i64> = numbers.iter().map(|n| n.rsplit('-').next().unwrap().parse().unwrap()).collect();
        seqs.sort();
        assert_eq!(seqs, (1..=9).collect::<Vec<_>>(), "gap-free: {numbers:?}");
    }

    async fn the_application_clock_decides_receipt_deadline_and_overdue(app) {
        // Friday 20 March 2026, 10:00 in Kazakhstan: 21–23 March are Nauryz days off.
        let app = respawn_at(app, "2026-03-20T05:00:00Z").await;
        app.create_user("clock@a.kz", "admin", None, None);
        let admin = app.bearer("clock@a.kz").await;
        let res = app.post("/api/v1/appeals", &admin, json!({
            "channel": "reception_room", "category": "UTIL_WATER",
            "territory_id": app.territory(kato::SARYKEMER),
            "citizen": {"full_name": "Сейтқали Айгүл"},
            "subject": "Ауыз су", "description": "Ауылда ауыз су жоқ.", "language": "kk"
        })).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let appeal = res.json();
        assert_eq!(appeal["received_at"], "2026-03-20T05:00:00Z");
        assert_eq!(appeal["registered_on"], "2026-03-20");
        assert_eq!(appeal["overdue"], false);
        let due = appeal["due_on"].as_str().unwrap().to_owned();
        // Months later by the same server's clock the appeal is overdue.
        let app = respawn_at(app, "2026-09-01T05:00:00Z").await;
        app.create_user("clock@a.kz", "admin", None, None);
        let admin = app.bearer("clock@a.kz").await;
        let res = app.post("/api/v1/appeals", &admin, json!({
            "channel": "reception_room", "category": "UTIL_WATER",
            "territory_id": app.territory(kato::SARYKEMER),
            "citizen": {"full_name": "Сейтқали Айгүл"},
            "subject": "Ауыз су", "description": "Ауылда ауыз су жоқ.", "language": "kk",
            "received_at": "2026-03-20T05:00:00Z"
        })).await;
        assert_eq!(res.status, 201, "{}", res.text);
        assert_eq!(res.json()["due_on"], due.as_str(), "the same receipt, the same deadline");
        assert_eq!(res.json()["overdue"], true);
        let listed = app.get("/api/v1/appeals?overdue=true", &admin).await.json();
        assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    }
}
