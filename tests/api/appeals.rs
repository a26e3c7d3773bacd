//! Appeals: intake, idempotency, deadlines, lifecycle, concurrency, masking, search,
//! sync, export.

use std::collections::HashSet;

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::*;

fn body(app: &TestApp, extra: Value) -> Value {
    let mut b = json!({
        "channel": "reception_room",
        "category": "UTIL_WATER",
        "territory_id": app.territory(kato::SARYKEMER),
        "citizen": {"full_name": "Сейтқали Айгүл", "iin": "850715300122", "phone": "8 (701) 234-56-78", "email": "Aigul@Mail.kz"},
        "subject": "Ауыз су",
        "description": "Ақсу ауылында ауыз су жоқ, құбыр тозған.",
        "language": "kk"
    });
    for (k, v) in extra.as_object().unwrap() {
        b[k] = v.clone();
    }
    b
}

async fn create(app: &TestApp, auth: &Auth, extra: Value) -> Value {
    let res = app.post("/api/v1/appeals", auth, body(app, extra)).await;
    assert_eq!(res.status, 201, "{}", res.text);
    res.json()
}

async fn staff(app: &TestApp) -> Auth {
    app.create_user("district@a.kz", "district_staff", Some(kato::BAIZAK), None);
    app.bearer("district@a.kz").await
}

async fn move_to(app: &TestApp, auth: &Auth, appeal: &Value, to: Value) -> reqwest::StatusCode {
    let id = appeal["id"].as_i64().unwrap();
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
    res.status
}

fn count(app: &TestApp, table: &str) -> i64 {
    use diesel::prelude::*;
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query(format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM {table}"))
        .get_result::<N>(&mut *app.conn())
        .unwrap()
        .n
}

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

    async fn lifecycle_walks_every_transition_with_history(app) {
        let auth = staff(&app).await;
        let deputy = app.create_deputy("Асқаров Ерлан", kato::BAIZAK);
        let a = create(&app, &auth, json!({})).await;
        let id = a["id"].as_i64().unwrap();
        for step in [
            json!({"to": "under_control", "comment": "Партиялық бақылауға алынды"}),
            json!({"to": "assigned", "deputy_id": deputy, "assigned_body": "Байзақ ауданы әкімдігі"}),
            json!({"to": "in_progress"}),
            json!({"to": "resolved", "resolution": "Құбыр жөнделді"}),
            json!({"to": "reopened", "comment": "Тұрғындар қайта шағымданды"}),
            json!({"to": "in_progress"}),
            json!({"to": "explained", "resolution": "Жоспарға енгізілді, түсіндірілді"}),
            json!({"to": "reopened", "comment": "Қайта қарау"}),
            json!({"to": "assigned", "assigned_body": "Су арнасы"}),
            json!({"to": "in_progress"}),
            json!({"to": "rejected", "resolution": "Құзыретке жатпайды"}),
            json!({"to": "reopened", "comment": "Қате"}),
            json!({"to": "in_progress"}),
            json!({"to": "forwarded", "forwarded_to": "Облыс әкімдігі"}),
        ] {
            let status = move_to(&app, &auth, &a, step.clone()).await;
            assert_eq!(status, 200, "step {step}");
        }
        let now = app.get(&format!("/api/v1/appeals/{id}"), &auth).await.json();
        assert_eq!(now["status"], "forwarded");
        assert_eq!(now["forwarded_to"], "Облыс әкімдігі");
        assert!(now["forwarded_on"].is_string());
        assert_eq!(now["overdue"], false, "a closed appeal is never overdue");
        assert_eq!(now["version"], 15);
        let history = app.get(&format!("/api/v1/appeals/{id}/history"), &auth).await.json();
        let items = history["items"].as_array().unwrap();
        assert_eq!(items.len(), 15, "created + 14 transitions");
        assert_eq!(items[0]["action"], "created");
        assert_eq!(items[1]["from_status"], "registered");
        assert_eq!(items[1]["to_status"], "under_control");
        assert_eq!(items[1]["comment"], "Партиялық бақылауға алынды");
        assert_eq!(items[1]["actor_label"], "district@a.kz");
        assert_eq!(items[2]["details"]["deputy_id"], deputy);
        // Requirements of particular targets.
        let b = create(&app, &auth, json!({})).await;
        assert_eq!(move_to(&app, &auth, &b, json!({"to": "under_control"})).await, 200);
        assert_eq!(move_to(&app, &auth, &b, json!({"to": "assigned"})).await, 422, "assignment names someone");
        assert_eq!(move_to(&app, &auth, &b, json!({"to": "assigned", "deputy_id": 999999})).await, 422);
        assert_eq!(move_to(&app, &auth, &b, json!({"to": "forwarded"})).await, 422, "forwarding names the body");
        assert_eq!(move_to(&app, &auth, &b, json!({"to": "nowhere"})).await, 422);
    }

    async fn forbidden_transitions_are_409_with_the_allowed_targets(app) {
        let auth = staff(&app).await;
        let all = ["registered", "under_control", "assigned", "in_progress", "resolved", "explained", "rejected", "forwarded", "reopened"];
        let allowed = |from: &str| -> Vec<&str> {
            match from {
                "registered" => vec!["under_control", "forwarded", "rejected"],
                "under_control" => vec!["assigned", "forwarded", "rejected"],
                "assigned" => vec!["in_progress", "forwarded"],
                "in_progress" => vec!["resolved", "explained", "rejected", "forwarded", "assigned"],
                "reopened" => vec!["in_progress", "assigned"],
                _ => vec!["reopened"],
            }
        };
        // Appeals standing in each status.
        let paths: Vec<(&str, Vec<Value>)> = vec![
            ("registered", vec![]),
            ("under_control", vec![json!({"to": "under_control"})]),
            ("assigned", vec![json!({"to": "under_control"}), json!({"to": "assigned", "assigned_body": "Әкімдік"})]),
            ("in_progress", vec![json!({"to": "under_control"}), json!({"to": "assigned", "assigned_body": "Әкімдік"}), json!({"to": "in_progress"})]),
            ("resolved", vec![json!({"to": "under_control"}), json!({"to": "assigned", "assigned_body": "Ә"}), json!({"to": "in_progress"}), json!({"to": "resolved", "resolution": "Шешілді"})]),
            ("reopened", vec![json!({"to": "rejected", "resolution": "Жоқ"}), json!({"to": "reopened", "comment": "Қайта"})]),
        ];
        for (status, steps) in paths {
            let a = create(&app, &auth, json!({})).await;
            for s in steps { assert_eq!(move_to(&app, &auth, &a, s).await, 200); }
            let id = a["id"].as_i64().unwrap();
            let current = app.get(&format!("/api/v1/appeals/{id}"), &auth).await.json();
            assert_eq!(current["status"], status);
            let version = format!("\"{}\"", current["version"]);
            for to in all.iter().filter(|t| !allowed(status).contains(t)) {
                let res = app.request(Method::POST, &format!("/api/v1/appeals/{id}/transitions"), &auth,
                    Some(json!({"to": to, "resolution": "x", "forwarded_to": "x", "assigned_body": "x", "comment": "x"})), &[("If-Match", &version)]).await;
                let p = res.problem(409, "invalid_transition");
                let got: Vec<&str> = p["allowed"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
                assert_eq!(got, allowed(status), "{status} -> {to}");
            }
            let after = app.get(&format!("/api/v1/appeals/{id}"), &auth).await.json();
            assert_eq!(after["version"], current["version"], "refused moves change nothing");
        }
    }

    async fn if_match_is_required_and_stale_versions_change_nothing(app) {
        let auth = staff(&app).await;
        let a = create(&app, &auth, json!({})).await;
        let path = format!("/api/v1/appeals/{}/transitions", a["id"]);
        app.request(Method::POST, &path, &auth, Some(json!({"to": "under_control"})), &[]).await.problem(428, "precondition_required");
        app.request(Method::POST, &path, &auth, Some(json!({"to": "under_control"})), &[("If-Match", "\"2\"")]).await.problem(412, "precondition_failed");
        let patch = format!("/api/v1/appeals/{}", a["id"]);
        app.request(Method::PATCH, &patch, &auth, Some(json!({"subject": "Жаңа"})), &[]).await.problem(428, "precondition_required");
        app.request(Method::PATCH, &patch, &auth, Some(json!({"subject": "Жаңа"})), &[("If-Match", "\"0\"")]).await.problem(412, "precondition_failed");
        let now = app.get(&patch, &auth).await.json();
        assert_eq!(now["status"], "registered");
        assert_eq!(now["subject"], "Ауыз су");
        assert_eq!(now["version"], 1);
        let history = app.get(&format!("{patch}/history"), &auth).await.json();
        assert_eq!(history["items"].as_array().unwrap().len(), 1);
        let ok = app.request(Method::PATCH, &patch, &auth, Some(json!({"subject": "Жаңа тақырып"})), &[("If-Match", "\"1\"")]).await;
        assert_eq!(ok.status, 200, "{}", ok.text);
        assert_eq!(ok.header("etag").unwrap(), "\"2\"");
        app.request(Method::PATCH, &patch, &auth, Some(json!({"subject": "Тағы"})), &[("If-Match", "\"1\"")]).await.problem(412, "precondition_failed");
    }

    async fn extension_is_limited_to_two_months_from_receipt(app) {
        let auth = staff(&app).await;
        let a = create(&app, &auth, json!({"received_at": "2026-11-02T05:00:00Z"})).await;
        let path = format!("/api/v1/appeals/{}", a["id"]);
        let p = app.request(Method::PATCH, &path, &auth, Some(json!({"extended_due_on": "2027-01-03", "extension_reason": "Сараптама"})), &[("If-Match", "\"1\"")]).await.problem(422, "validation_failed");
        assert_eq!(p["errors"][0]["code"], "extension_too_long");
        let p = app.request(Method::PATCH, &path, &auth, Some(json!({"extended_due_on": "2026-12-20"})), &[("If-Match", "\"1\"")]).await.problem(422, "validation_failed");
        assert_eq!(p["errors"][0]["field"], "extension_reason");
        let ok = app.request(Method::PATCH, &path, &auth, Some(json!({"extended_due_on": "2027-01-02", "extension_reason": "Сараптама қажет"})), &[("If-Match", "\"1\"")]).await;
        assert_eq!(ok.status, 200, "{}", ok.text);
        assert_eq!(ok.json()["extended_due_on"], "2027-01-02");
        assert_eq!(ok.json()["due_on"], a["due_on"], "the original deadline is kept");
        let history = app.get(&format!("{path}/history"), &auth).await.json();
        assert_eq!(history["items"][1]["action"], "extended");
        assert_eq!(history["items"][1]["comment"], "Сараптама қажет");
    }

    async fn personal_data_is_masked_per_role_and_unmasked_reads_are_audited(app) {
        let district = staff(&app).await;
        let deputy_id = app.create_deputy("Депутат", kato::BAIZAK);
        app.create_user("admin@a.kz", "admin", None, None);
        app.create_user("regional@a.kz", "regional_staff", Some(kato::ZHAMBYL), None);
        app.create_user("viewer@a.kz", "viewer", Some(kato::ZHAMBYL), None);
        app.create_user("deputy@a.kz", "deputy", Some(kato::SARYKEMER), Some(deputy_id));
        let other_deputy = app.create_deputy("Басқа депутат", kato::BAIZAK);
        app.create_user("deputy2@a.kz", "deputy", Some(kato::SARYKEMER), Some(other_deputy));
        let a = create(&app, &district, json!({})).await;
        assert_eq!(move_to(&app, &district, &a, json!({"to": "under_control"})).await, 200);
        assert_eq!(move_to(&app, &district, &a, json!({"to": "assigned", "deputy_id": deputy_id})).await, 200);
        let path = format!("/api/v1/appeals/{}", a["id"]);
        let full_iin = "850715300122";
        for (email, sees) in [("admin@a.kz", true), ("regional@a.kz", true), ("deputy@a.kz", true), ("district@a.kz", false), ("viewer@a.kz", false), ("deputy2@a.kz", false)] {
            let auth = if email == "district@a.kz" { district.clone() } else { app.bearer(email).await };
            let one = app.get(&path, &auth).await;
            assert_eq!(one.status, 200, "{email}: {}", one.text);
            let one = one.json();
            assert_eq!(one["citizen"]["iin"] == full_iin, sees, "{email} single view: {}", one["citizen"]);
            assert_eq!(one["personal_data_revealed"], sees);
            let moves = one["allowed_transitions"].as_array().unwrap().len();
            assert_eq!(moves == 0, email == "viewer@a.kz", "{email}: only writers are offered moves");
            let list = app.get("/api/v1/appeals", &auth).await;
            assert!(!list.text.contains(full_iin), "{email}: lists are always masked");
            assert!(list.text.contains("8507******22"));
            assert!(!list.text.contains("7012345678"));
            let export = app.get("/api/v1/appeals/export", &auth).await;
            assert!(!export.text.contains(full_iin) && export.text.contains("8507******22"), "{email}: exports are masked");
        }
        let admin = app.bearer("admin@a.kz").await;
        app.seal_audit();
        let trail = app.get(&format!("/api/v1/audit?entity=appeal&entity_id={}&action=read_personal_data", a["id"]), &admin).await.json();
        let readers: HashSet<&str> = trail["items"].as_array().unwrap().iter().map(|i| i["actor_label"].as_str().unwrap()).collect();
        assert_eq!(readers, ["admin@a.kz", "regional@a.kz", "deputy@a.kz"].into_iter().collect());
        let created = app.get(&format!("/api/v1/audit?entity=appeal&entity_id={}&action=create", a["id"]), &admin).await;
        assert!(!created.text.contains(full_iin) && created.text.contains("[redacted]"), "the audit trail redacts personal data");
    }

    async fn deputies_reach_their_okrug_and_appeals_assigned_to_them(app) {
        app.create_user("kordai@a.kz", "district_staff", Some(kato::KORDAI), None);
        let kordai = app.bearer("kordai@a.kz").await;
        let deputy_id = app.create_deputy("Депутат", kato::BAIZAK);
        app.create_user("dep@a.kz", "deputy", Some(kato::SARYKEMER), Some(deputy_id));
        let deputy = app.bearer("dep@a.kz").await;
        let elsewhere = create(&app, &kordai, json!({"territory_id": app.territory(kato::KORDAI)})).await;
        let assigned = create(&app, &kordai, json!({"territory_id": app.territory(kato::KORDAI)})).await;
        assert_eq!(move_to(&app, &kordai, &assigned, json!({"to": "under_control"})).await, 200);
        // Kordai's staff cannot reach a Baizak deputy (422 `out_of_scope`); the region can.
        assert_eq!(move_to(&app, &kordai, &assigned, json!({"to": "assigned", "deputy_id": deputy_id})).await, 422);
        app.create_user("region@a.kz", "regional_staff", Some(kato::ZHAMBYL), None);
        let region = app.bearer("region@a.kz").await;
        assert_eq!(move_to(&app, &region, &assigned, json!({"to": "assigned", "deputy_id": deputy_id})).await, 200);
        app.get(&format!("/api/v1/appeals/{}", elsewhere["id"]), &deputy).await.problem(404, "not_found");
        let theirs = app.get(&format!("/api/v1/appeals/{}", assigned["id"]), &deputy).await;
        assert_eq!(theirs.status, 200);
        assert_eq!(theirs.json()["personal_data_revealed"], true, "the assigned deputy sees the citizen");
        let list = app.get("/api/v1/appeals?include_total=true", &deputy).await.json();
        assert_eq!(list["total"], 1);
        // And they report progress on it.
        assert_eq!(move_to(&app, &deputy, &assigned, json!({"to": "in_progress", "comment": "Барып көрдім"})).await, 200);
    }

    async fn search_finds_kazakh_and_russian_words_case_insensitively(app) {
        let auth = staff(&app).await;
        let water = create(&app, &auth, json!({"subject": "Ауыз су", "description": "Ақсу ауылында ауыз су жоқ. Суы лас."})).await;
        let road = create(&app, &auth, json!({"subject": "Жол", "description": "Жол жөндеу керек, ҚАЗАҚ тілінде жазылды."})).await;
        let ru = create(&app, &auth, json!({"subject": "Газ", "description": "Нет газа в селе Ақтөбе, ёлка упала.", "language": "ru"})).await;
        let ids = |v: Value| -> HashSet<i64> { v["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect() };
        assert_eq!(ids(search(&app, &auth, "су").await), [water["id"].as_i64().unwrap()].into_iter().collect());
        assert_eq!(ids(search(&app, &auth, "Ақ").await), [water["id"].as_i64().unwrap(), ru["id"].as_i64().unwrap()].into_iter().collect());
        assert_eq!(ids(search(&app, &auth, "АҚСУ").await), [water["id"].as_i64().unwrap()].into_iter().collect());
        assert_eq!(ids(search(&app, &auth, "қазақ").await), [road["id"].as_i64().unwrap()].into_iter().collect());
        assert_eq!(ids(search(&app, &auth, "ГАЗ СЕЛЕ").await), [ru["id"].as_i64().unwrap()].into_iter().collect());
        assert_eq!(ids(search(&app, &auth, "ёлка").await), [ru["id"].as_i64().unwrap()].into_iter().collect());
        assert!(ids(search(&app, &auth, "елка").await).is_empty(), "ё and е stay distinct");
        assert!(ids(search(&app, &auth, "көпір").await).is_empty());
        let reg = water["reg_number"].as_str().unwrap();
        assert_eq!(ids(search(&app, &auth, reg).await), [water["id"].as_i64().unwrap()].into_iter().collect());
    }

    async fn filters_pagination_and_territory_subtree(app) {
        let auth = staff(&app).await;
        app.create_user("regional@a.kz", "regional_staff", Some(kato::ZHAMBYL), None);
        let regional = app.bearer("regional@a.kz").await;
        let mut made = Vec::new();
        for i in 0..5 {
            made.push(create(&app, &auth, json!({"received_at": format!("2026-0{}-10T05:00:00Z", i + 1)})).await["id"].as_i64().unwrap());
        }
        let kordai_staff = { app.create_user("kordai@a.kz", "district_staff", Some(kato::KORDAI), None); app.bearer("kordai@a.kz").await };
        let kordai = create(&app, &kordai_staff, json!({"territory_id": app.territory(kato::KORDAI), "category": "ROADS"})).await;
        assert_eq!(kordai["reg_number"].as_str().unwrap()[..8], *"ZHA-2026");
        let page1 = app.get("/api/v1/appeals?limit=2&include_total=true", &auth).await.json();
        assert_eq!(page1["total"], 5, "district staff see their district only");
        let first: Vec<i64> = page1["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect();
        assert_eq!(first, vec![made[4], made[3]], "newest first");
        let mut seen = first.clone();
        let mut cursor = page1["next_cursor"].as_str().map(str::to_owned);
        while let Some(c) = cursor {
            let page = app.get(&format!("/api/v1/appeals?limit=2&cursor={c}"), &auth).await.json();
            seen.extend(page["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()));
            cursor = page["next_cursor"].as_str().map(str::to_owned);
        }
        assert_eq!(seen, made.iter().rev().copied().collect::<Vec<_>>());
        let all = app.get("/api/v1/appeals?include_total=true", &regional).await.json();
        assert_eq!(all["total"], 6);
        let baizak = app.get(&format!("/api/v1/appeals?include_total=true&territory_id={}", app.territory(kato::BAIZAK)), &regional).await.json();
        assert_eq!(baizak["total"], 5, "the territory filter covers the subtree");
        let roads = app.get("/api/v1/appeals?include_total=true&category=ROADS", &regional).await.json();
        assert_eq!(roads["total"], 1);
        let spring = app.get("/api/v1/appeals?include_total=true&received_from=2026-02-01&received_to=2026-03-31", &auth).await.json();
        assert_eq!(spring["total"], 2);
        let overdue = app.get("/api/v1/appeals?include_total=true&overdue=true", &auth).await.json();
        assert_eq!(overdue["total"], 5, "all received in spring 2026 and still open");
        let due = app.get("/api/v1/appeals?sort=due&limit=1", &auth).await.json();
        assert_eq!(due["items"][0]["id"], made[0]);
        let next = due["next_cursor"].as_str().unwrap();
        let due2 = app.get(&format!("/api/v1/appeals?sort=due&limit=1&cursor={next}"), &auth).await.json();
        assert_eq!(due2["items"][0]["id"], made[1]);
        let p = app.get("/api/v1/appeals?status=nope&overdue=maybe&limit=999&received_from=x&sort=up", &auth).await.problem(422, "validation_failed");
        assert_eq!(p["errors"].as_array().unwrap().len(), 5);
        // Outside the subtree: 404 for the object, nothing in lists.
        app.get(&format!("/api/v1/appeals/{}", kordai["id"]), &auth).await.problem(404, "not_found");
    }

    async fn sync_returns_changes_and_tombstones(app) {
        let auth = staff(&app).await;
        app.create_user("admin@a.kz", "admin", None, None);
        let admin = app.bearer("admin@a.kz").await;
        let a = create(&app, &auth, json!({})).await;
        let b = create(&app, &auth, json!({})).await;
        let since = "2000-01-01T00:00:00Z";
        let page = app.get(&format!("/api/v1/appeals?updated_since={since}&limit=1"), &auth).await.json();
        assert_eq!(page["items"][0]["id"], a["id"], "oldest change first");
        let next = page["next_cursor"].as_str().unwrap();
        let page2 = app.get(&format!("/api/v1/appeals?updated_since={since}&limit=1&cursor={next}"), &auth).await.json();
        assert_eq!(page2["items"][0]["id"], b["id"]);
        let del = app.request(Method::DELETE, &format!("/api/v1/appeals/{}", a["id"]), &admin, None, &[("If-Match", "\"1\"")]).await;
        assert_eq!(del.status, 204, "{}", del.text);
        app.get(&format!("/api/v1/appeals/{}", a["id"]), &auth).await.problem(404, "not_found");
        let listed = app.get("/api/v1/appeals", &auth).await.json();
        assert_eq!(listed["items"].as_array().unwrap().len(), 1);
        let synced = app.get(&format!("/api/v1/appeals?updated_since={since}"), &auth).await.json();
        let items = synced["items"].as_array().unwrap();
        let tomb = items.iter().find(|i| i["id"] == a["id"]).expect("tombstone");
        assert_eq!(tomb["deleted"], true);
        assert_eq!(items.last().unwrap()["id"], a["id"], "the deletion is the latest change");
    }

    async fn export_round_trips_through_csv_and_xlsx_readers(app) {
        let auth = staff(&app).await;
        for i in 0..7 {
            create(&app, &auth, json!({"subject": format!("Тақырып {i}"), "received_at": "2026-03-20T05:00:00Z"})).await;
        }
        let listed = app.get("/api/v1/appeals?limit=200", &auth).await.json();
        let expected: Vec<String> = listed["items"].as_array().unwrap().iter().map(|i| i["reg_number"].as_str().unwrap().to_owned()).collect();
        let csv_res = app.request(Method::GET, "/api/v1/appeals/export?format=csv", &auth, None, &[("Accept-Language", "ru-RU,ru;q=0.9")]).await;
        assert_eq!(csv_res.status, 200);
        assert!(csv_res.header("content-type").unwrap().starts_with("text/csv"));
        let text = csv_res.text.trim_start_matches('\u{feff}');
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(&reader.headers().unwrap()[0], "Регистрационный номер");
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        let got: Vec<String> = rows.iter().map(|r| r[0].to_owned()).collect();
        assert_eq!(got, expected);
        assert_eq!(&rows[0][8], "2026-04-15");
        let xlsx = app.client.get(app.url("/api/v1/appeals/export?format=xlsx")).bearer_auth(match &auth { Auth::Bearer(t) => t.clone(), _ => unreachable!() })
            .header("Accept-Language", "en").send().await.unwrap();
        assert_eq!(xlsx.status(), 200);
        let bytes = xlsx.bytes().await.unwrap();
        use calamine::{Data, Reader};
        let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let sheet = book.worksheet_range("Appeals").unwrap();
        let mut sheet_rows = sheet.rows();
        let header = sheet_rows.next().unwrap();
        assert_eq!(header[0], Data::String("Registration number".into()));
        let data: Vec<&[Data]> = sheet_rows.collect();
        let got: Vec<String> = data.iter().map(|r| r[0].to_string()).collect();
        assert_eq!(got, expected);
        match &data[0][8] {
            Data::DateTime(d) => {
                let excel_epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
                let due = chrono::NaiveDate::from_ymd_opt(2026, 4, 15).unwrap();
                assert_eq!(d.as_f64(), (due - excel_epoch).num_days() as f64);
            }
            other => panic!("due_on should be a date cell, got {other:?}"),
        }
        assert!(matches!(data[0][10], Data::Bool(true)));
        app.get("/api/v1/appeals/export?format=pdf", &auth).await.problem(422, "validation_failed");
    }
}

async fn search(app: &TestApp, auth: &Auth, q: &str) -> Value {
    app.get(&format!("/api/v1/appeals?q={}", urlencode(q)), auth)
        .await
        .json()
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

both_backends! {
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
