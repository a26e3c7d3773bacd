//! Mobile receptions: the lifecycle with its report, batches of appeals taken on site
//! (all or none, replayed by their key), double-booked deputies, coverage, scoping.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::fixtures::baizak_staff;
use crate::helpers::*;

const NOW: &str = "2026-12-01T06:00:00Z";

fn plan(app: &TestApp, settlements: &[i64], start: &str, end: &str, extra: Value) -> Value {
    let mut b = json!({
        "title": "Көшпелі қабылдау",
        "level": "district",
        "territory_id": app.territory(kato::BAIZAK),
        "settlement_ids": settlements,
        "planned_start": start,
        "planned_end": end,
        "venue": "Ауылдық клуб"
    });
    for (k, v) in extra.as_object().unwrap() {
        b[k] = v.clone();
    }
    b
}

async fn create(app: &TestApp, auth: &Auth, body: Value) -> Value {
    let res = app.post("/api/v1/receptions", auth, body).await;
    assert_eq!(res.status, 201, "{}", res.text);
    res.json()
}

async fn send(
    app: &TestApp,
    auth: &Auth,
    method: Method,
    path: &str,
    version: i64,
    body: Value,
) -> Response {
    let tag = format!("\"{version}\"");
    app.request(method, path, auth, Some(body), &[("If-Match", &tag)])
        .await
}

fn appeal(i: usize) -> Value {
    json!({
        "category": "UTIL_WATER",
        "territory_id": null,
        "citizen": {"full_name": format!("Тұрғын {i}")},
        "subject": format!("Ауыз су {i}"),
        "description": "Ауылда ауыз су жоқ, құбыр тозған.",
        "language": "kk"
    })
}

fn batch(app: &TestApp, n: usize) -> Value {
    let okrug = app.territory(kato::SARYKEMER);
    let items: Vec<Value> = (0..n)
        .map(|i| {
            let mut a = appeal(i);
            a["territory_id"] = json!(okrug);
            a
        })
        .collect();
    json!({"appeals": items})
}

fn appeals_of(app: &TestApp, reception: i64) -> i64 {
    use baqylau::db::schema::appeals;
    use diesel::prelude::*;
    appeals::table
        .filter(appeals::reception_id.eq(reception))
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

both_backends! {
    async fn plan_postpone_replan_and_hold_with_a_report(app) {
        // The day it finally takes place, after it started.
        let app = respawn_at(app, "2026-12-18T10:00:00Z").await;
        let auth = baizak_staff(&app).await;
        let okrug = app.territory(kato::SARYKEMER);
        let r = create(&app, &auth, plan(&app, &[okrug], "2026-12-10T04:00:00Z", "2026-12-10T09:00:00Z", json!({}))).await;
        let id = r["id"].as_i64().unwrap();
        let path = format!("/api/v1/receptions/{id}/transitions");
        assert_eq!(r["status"], "planned");
        assert_eq!(r["settlement_ids"], json!([okrug]));
        assert_eq!(r["allowed_transitions"], json!(["held", "postponed", "cancelled"]));

        let stale = send(&app, &auth, Method::POST, &path, 7, json!({"to": "cancelled"})).await;
        assert_eq!(stale.status, 412, "{}", stale.text);
        let postponed = send(&app, &auth, Method::POST, &path, 1, json!({
            "to": "postponed", "planned_start": "2026-12-17T04:00:00Z", "planned_end": "2026-12-17T09:00:00Z", "comment": "Жол жабық"
        })).await;
        assert_eq!(postponed.status, 200, "{}", postponed.text);
        assert_eq!(postponed.json()["planned_start"], "2026-12-17T04:00:00Z");
        let held_too_early = send(&app, &auth, Method::POST, &path, 2, json!({"to": "held"})).await;
        let problem = held_too_early.problem(409, "invalid_transition");
        assert_eq!(problem["allowed"], json!(["planned", "cancelled"]), "{problem}");
        let no_dates = send(&app, &auth, Method::POST, &path, 2, json!({"to": "planned"})).await;
        no_dates.problem(422, "validation_failed");
        let replanned = send(&app, &auth, Method::POST, &path, 2, json!({
            "to": "planned", "planned_start": "2026-12-18T04:00:00Z", "planned_end": "2026-12-18T08:00:00Z"
        })).await;
        assert_eq!(replanned.status, 200, "{}", replanned.text);
        let no_report = send(&app, &auth, Method::POST, &path, 3, json!({"to": "held"})).await;
        let fields: BTreeSet<String> = no_report.problem(422, "validation_failed")["errors"].as_array().unwrap()
            .iter().map(|e| e["field"].as_str().unwrap().to_owned()).collect();
        assert_eq!(fields, BTreeSet::from(["report".to_owned(), "residents_heard".to_owned()]));
        let held = send(&app, &auth, Method::POST, &path, 3, json!({
            "to": "held", "residents_heard": 42,
            "report": {"summary": "Ауыз су мен жол мәселелері көтерілді", "issues_raised": ["Ауыз су", "Жол жөндеу"]},
            "comment": "Өтті"
        })).await;
        assert_eq!(held.status, 200, "{}", held.text);
        let held = held.json();
        assert_eq!(held["status"], "held");
        assert_eq!(held["residents_heard"], 42);
        assert_eq!(held["report"]["issues_raised"], json!(["Ауыз су", "Жол жөндеу"]));
        assert_eq!(held["planned_start"], "2026-12-18T04:00:00Z");
        assert_eq!(held["allowed_transitions"], json!([]));
        assert_eq!(held["version"], 4);
        let again = send(&app, &auth, Method::POST, &path, 4, json!({"to": "planned"})).await;
        assert_eq!(again.problem(409, "invalid_transition")["allowed"], json!([]));
        let got = app.get(&format!("/api/v1/receptions/{id}"), &auth).await;
        assert_eq!(got.header("etag").as_deref(), Some("\"4\""));
        // A held reception keeps its dates; its title can still be corrected.
        let one = format!("/api/v1/receptions/{id}");
        let moved = send(&app, &auth, Method::PATCH, &one, 4, json!({"planned_start": "2026-12-19T04:00:00Z"})).await;
        let errors = moved.problem(422, "validation_failed")["errors"].clone();
        assert_eq!(errors[0]["code"], "not_planned", "{errors}");
        let renamed = send(&app, &auth, Method::PATCH, &one, 4, json!({"title": "Сарыкемердегі кездесу"})).await;
        assert_eq!(renamed.status, 200, "{}", renamed.text);
        assert_eq!(renamed.json()["title"], "Сарыкемердегі кездесу");
        assert_eq!(renamed.json()["report"]["summary"], "Ауыз су мен жол мәселелері көтерілді");
    }

    async fn a_reception_is_held_only_once_it_has_started(app) {
        let app = respawn_at(app, NOW).await;
        let auth = baizak_staff(&app).await;
        let okrug = app.territory(kato::SARYKEMER);
        let report = json!({"to": "held", "residents_heard": 7, "report": {"summary": "Өтті", "issues_raised": []}});
        // Starts two hours from now.
        let later = create(&app, &auth, plan(&app, &[okrug], "2026-12-01T08:00:00Z", "2026-12-01T12:00:00Z", json!({}))).await;
        let path = format!("/api/v1/receptions/{}/transitions", later["id"]);
        let early = send(&app, &auth, Method::POST, &path, 1, report.clone()).await;
        let errors = early.problem(422, "validation_failed")["errors"].clone();
        assert_eq!(errors, json!([{
            "field": "planned_start", "code": "held_before_start",
            "message": "the reception starts at 2026-12-01T08:00:00Z; it cannot be recorded as held before then"
        }]));
        let unchanged = app.get(&format!("/api/v1/receptions/{}", later["id"]), &auth).await.json();
        assert_eq!((unchanged["status"].clone(), unchanged["version"].clone()), (json!("planned"), json!(1)));
        // Started two hours ago: held.
        let started = create(&app, &auth, plan(&app, &[okrug], "2026-12-01T04:00:00Z", "2026-12-01T09:00:00Z", json!({}))).await;
        let path = format!("/api/v1/receptions/{}/transitions", started["id"]);
        let held = send(&app, &auth, Method::POST, &path, 1, report).await;
        assert_eq!(held.status, 200, "{}", held.text);
        assert_eq!(held.json()["status"], "held");
    }

    async fn a_batch_of_fifty_is_taken_once_and_replayed_whole(app) {
        let app = respawn_at(app, NOW).await;
        let auth = baizak_staff(&app).await;
        let okrug = app.territory(kato::SARYKEMER);
        let r = create(&app, &auth, plan(&app, &[okrug], "2026-12-01T04:00:00Z", "2026-12-01T09:00:00Z", json!({}))).await;
        let id = r["id"].as_i64().unwrap();
        let path = format!("/api/v1/receptions/{id}/appeals");
        let key = [("Idempotency-Key", "village-batch-1")];
        let body = batch(&app, 50);
        let first = app.request(Method::POST, &path, &auth, Some(body.clone()), &key).await;
        assert_eq!(first.status, 201, "{}", first.text);
        let items = first.json()["items"].as_array().unwrap().clone();
        assert_eq!(items.len(), 50);
        assert!(items.iter().all(|a| a["channel"] == "mobile_reception" && a["reception_id"] == id));
        let ids: Vec<i64> = items.iter().map(|a| a["id"].as_i64().unwrap()).collect();
        for _ in 0..2 {
            let retry = app.request(Method::POST, &path, &auth, Some(body.clone()), &key).await;
            assert_eq!(retry.status, 201, "{}", retry.text);
            let again: Vec<i64> = retry.json()["items"].as_array().unwrap().iter().map(|a| a["id"].as_i64().unwrap()).collect();
            assert_eq!(again, ids, "a replay returns the same appeals in the same order");
        }
        assert_eq!(appeals_of(&app, id), 50);
        let mut changed = body.clone();
        changed["appeals"][0]["subject"] = json!("Басқа тақырып");
        app.request(Method::POST, &path, &auth, Some(changed), &key).await.problem(409, "idempotency_key_reused");

        // One bad item refuses the whole batch, naming the item's field.
        let mut bad = batch(&app, 5);
        bad["appeals"][3]["citizen"]["iin"] = json!("123456789012");
        let refused = app.post(&path, &auth, bad).await;
        let errors = refused.problem(422, "validation_failed")["errors"].clone();
        assert!(errors.as_array().unwrap().iter().any(|e| e["field"] == "appeals[3].citizen.iin"), "{errors}");
        assert_eq!(appeals_of(&app, id), 50, "nothing of the refused batch was written");

        let listed = app.get(&format!("/api/v1/appeals?reception_id={id}&include_total=true"), &auth).await.json();
        assert_eq!(listed["total"], 50);
        let report = app.get(&format!("/api/v1/receptions/{id}/report"), &auth).await;
        assert_eq!(report.status, 200, "{}", report.text);
        let report = report.json();
        assert_eq!(report["appeals_taken"], 50);
        assert_eq!(report["by_status"], json!([{"status": "registered", "count": 50}]));
        assert_eq!(report["resolved_share"], 0.0);
        let csv = app.get(&format!("/api/v1/receptions/{id}/report?format=csv"), &auth).await;
        assert_eq!(csv.status, 200, "{}", csv.text);
        assert_eq!(csv.text.lines().count(), 51, "a header and the 50 appeals");

        // A single appeal may name the reception now.
        let single = app.post("/api/v1/appeals", &auth, {
            let mut a = appeal(99);
            a["territory_id"] = json!(okrug);
            a["channel"] = json!("mobile_reception");
            a["reception_id"] = json!(id);
            a
        }).await;
        assert_eq!(single.status, 201, "{}", single.text);
        let unknown = app.post("/api/v1/appeals", &auth, {
            let mut a = appeal(98);
            a["territory_id"] = json!(okrug);
            a["channel"] = json!("phone");
            a["reception_id"] = json!(id + 1000);
            a
        }).await;
        assert!(unknown.problem(422, "validation_failed")["errors"].as_array().unwrap().iter().any(|e| e["field"] == "reception_id"));
    }

    async fn a_cancelled_reception_takes_no_appeals(app) {
        let auth = baizak_staff(&app).await;
        let okrug = app.territory(kato::SARYKEMER);
        let r = create(&app, &auth, plan(&app, &[okrug], "2026-12-10T04:00:00Z", "2026-12-10T09:00:00Z", json!({}))).await;
        let id = r["id"].as_i64().unwrap();
        let cancelled = send(&app, &auth, Method::POST, &format!("/api/v1/receptions/{id}/transitions"), 1, json!({"to": "cancelled", "comment": "Су тасқыны"})).await;
        assert_eq!(cancelled.status, 200, "{}", cancelled.text);
        let res = app.post(&format!("/api/v1/receptions/{id}/appeals"), &auth, batch(&app, 3)).await;
        res.problem(409, "reception_closed");
        assert_eq!(appeals_of(&app, id), 0);
        // Nor does a postponed one, until it is planned again.
        let r = create(&app, &auth, plan(&app, &[okrug], "2026-12-11T04:00:00Z", "2026-12-11T09:00:00Z", json!({}))).await;
        let id = r["id"].as_i64().unwrap();
        let postponed = send(&app, &auth, Method::POST, &format!("/api/v1/receptions/{id}/transitions"), 1, json!({"to": "postponed"})).await;
        assert_eq!(postponed.status, 200, "{}", postponed.text);
        app.post(&format!("/api/v1/receptions/{id}/appeals"), &auth, batch(&app, 3)).await.problem(409, "reception_closed");
    }

    async fn a_deputy_cannot_be_in_two_places_at_once(app) {
        let auth = baizak_staff(&app).await;
        let okrug = app.territory(kato::SARYKEMER);
        let deputy = app.create_deputy("Серікбаев Ерлан", kato::BAIZAK);
        let people = json!([{"deputy_id": deputy, "full_name": "Серікбаев Ерлан", "position": "Аудандық мәслихат депутаты", "role": "deputy"},
                            {"full_name": "Әкім орынбасары", "role": "official"}]);
        let a = create(&app, &auth, plan(&app, &[okrug], "2026-12-10T04:00:00Z", "2026-12-10T09:00:00Z", json!({"participants": people}))).await;
        let a_id = a["id"].as_i64().unwrap();
        assert_eq!(a["participants"].as_array().unwrap().len(), 2);
        let overlapping = plan(&app, &[okrug], "2026-12-10T08:00:00Z", "2026-12-10T12:00:00Z", json!({"participants": [{"deputy_id": deputy, "full_name": "Серікбаев Ерлан", "role": "deputy"}]}));
        let busy = app.post("/api/v1/receptions", &auth, overlapping).await;
        let problem = busy.problem(409, "participant_busy");
        assert!(problem["detail"].as_str().unwrap().contains(&format!("reception {a_id}")), "{problem}");

        let b = create(&app, &auth, plan(&app, &[okrug], "2026-12-10T08:00:00Z", "2026-12-10T12:00:00Z", json!({}))).await;
        let b_path = format!("/api/v1/receptions/{}/participants", b["id"]);
        let put = send(&app, &auth, Method::PUT, &b_path, 1, json!({"participants": [{"deputy_id": deputy, "full_name": "Серікбаев Ерлан", "role": "deputy"}]})).await;
        assert!(put.problem(409, "participant_busy")["detail"].as_str().unwrap().contains(&format!("reception {a_id}")));
        // Once the first is cancelled the deputy is free.
        send(&app, &auth, Method::POST, &format!("/api/v1/receptions/{a_id}/transitions"), 1, json!({"to": "cancelled"})).await;
        let put = send(&app, &auth, Method::PUT, &b_path, 1, json!({"participants": [{"deputy_id": deputy, "full_name": "Серікбаев Ерлан", "role": "deputy"}]})).await;
        assert_eq!(put.status, 200, "{}", put.text);
        assert_eq!(put.header("etag").as_deref(), Some("\"2\""));
        let listed = app.get(&b_path, &auth).await.json();
        assert_eq!(listed["participants"][0]["deputy_id"], deputy);
    }

    async fn coverage_lists_the_okrugs_no_held_reception_reached(app) {
        use baqylau::db::schema::territories;
        use diesel::prelude::*;
        let app = respawn_at(app, NOW).await;
        let auth = baizak_staff(&app).await;
        let baizak = app.territory(kato::BAIZAK);
        let bounds: (String, i64) = territories::table.find(baizak).select((territories::path, territories::id)).first(&mut *app.conn()).unwrap();
        // Every place a reception can visit in Baizak, with its path: okrugs, and the
        // settlements inside them.
        let places: Vec<(i64, String, String)> = territories::table
            .filter(territories::path.like(format!("{}%", bounds.0)))
            .filter(territories::level.eq_any(["rural_okrug", "town", "settlement"]))
            .order(territories::kato_code.asc())
            .select((territories::id, territories::level, territories::path))
            .load(&mut *app.conn())
            .unwrap();
        let okrugs: Vec<(i64, String)> = places.iter().filter(|p| p.1 == "rural_okrug").map(|p| (p.0, p.2.clone())).collect();
        // A visit to an okrug covers the okrug and every settlement in it.
        let unvisited = |visited: &[usize]| -> BTreeSet<i64> {
            places
                .iter()
                .filter(|p| !visited.iter().any(|&i| p.2.starts_with(&okrugs[i].1)))
                .map(|p| p.0)
                .collect()
        };
        assert!(okrugs.len() > 5, "Baizak has its okrugs: {}", okrugs.len());
        let hold = |r: i64| {
            let app = &app;
            let auth = auth.clone();
            async move {
                let res = send(app, &auth, Method::POST, &format!("/api/v1/receptions/{r}/transitions"), 1, json!({
                    "to": "held", "residents_heard": 10, "report": {"summary": "Өтті", "issues_raised": []}
                })).await;
                assert_eq!(res.status, 200, "{}", res.text);
            }
        };
        // Held this autumn: two okrugs, then one more.
        let recent = create(&app, &auth, plan(&app, &[okrugs[0].0, okrugs[1].0], "2026-10-05T04:00:00Z", "2026-10-05T09:00:00Z", json!({}))).await;
        hold(recent["id"].as_i64().unwrap()).await;
        let other = create(&app, &auth, plan(&app, &[okrugs[2].0], "2026-11-20T04:00:00Z", "2026-11-20T09:00:00Z", json!({}))).await;
        hold(other["id"].as_i64().unwrap()).await;
        // Held too long ago, only planned, and cancelled: none of these count.
        let old = create(&app, &auth, plan(&app, &[okrugs[3].0], "2026-03-02T04:00:00Z", "2026-03-02T09:00:00Z", json!({}))).await;
        hold(old["id"].as_i64().unwrap()).await;
        create(&app, &auth, plan(&app, &[okrugs[4].0], "2026-12-15T04:00:00Z", "2026-12-15T09:00:00Z", json!({}))).await;

        let res = app.get(&format!("/api/v1/receptions/coverage?territory_id={baizak}"), &auth).await;
        assert_eq!(res.status, 200, "{}", res.text);
        let body = res.json();
        assert_eq!(body["months"], 6);
        assert_eq!(body["since"], "2026-06-01");
        let got: BTreeSet<i64> = body["unvisited"].as_array().unwrap().iter().map(|u| u["territory_id"].as_i64().unwrap()).collect();
        assert_eq!(got, unvisited(&[0, 1, 2]));
        assert!(got.contains(&okrugs[3].0) && got.contains(&okrugs[4].0) && !got.contains(&okrugs[0].0));
        // Twelve months back the March visit counts too.
        let year = app.get(&format!("/api/v1/receptions/coverage?territory_id={baizak}&months=12"), &auth).await.json();
        let got: BTreeSet<i64> = year["unvisited"].as_array().unwrap().iter().map(|u| u["territory_id"].as_i64().unwrap()).collect();
        assert_eq!(got, unvisited(&[0, 1, 2, 3]));
        app.get("/api/v1/receptions/coverage?months=0", &auth).await.problem(422, "validation_failed");
    }

    async fn another_district_neither_sees_nor_lists_a_baizak_reception(app) {
        let auth = baizak_staff(&app).await;
        app.create_user("kordai@r.kz", "district_staff", Some(kato::KORDAI), None);
        let kordai = app.bearer("kordai@r.kz").await;
        let okrug = app.territory(kato::SARYKEMER);
        let r = create(&app, &auth, plan(&app, &[okrug], "2026-12-10T04:00:00Z", "2026-12-10T09:00:00Z", json!({}))).await;
        let id = r["id"].as_i64().unwrap();
        for path in [format!("/api/v1/receptions/{id}"), format!("/api/v1/receptions/{id}/report"), format!("/api/v1/receptions/{id}/participants")] {
            app.get(&path, &kordai).await.problem(404, "not_found");
        }
        app.post(&format!("/api/v1/receptions/{id}/appeals"), &kordai, batch(&app, 1)).await.problem(404, "not_found");
        let theirs = app.get("/api/v1/receptions?include_total=true", &kordai).await.json();
        assert_eq!(theirs["total"], 0, "{theirs}");
        let ours = app.get("/api/v1/receptions?include_total=true", &auth).await.json();
        assert_eq!(ours["total"], 1);
        // Kordai cannot organise a reception in Baizak either.
        let res = app.post("/api/v1/receptions", &kordai, plan(&app, &[okrug], "2026-12-10T04:00:00Z", "2026-12-10T09:00:00Z", json!({}))).await;
        res.problem(422, "validation_failed");
        // The calendar and sync filters.
        let dec = app.get("/api/v1/receptions?from=2026-12-10&to=2026-12-10", &auth).await.json();
        assert_eq!(dec["items"].as_array().unwrap().len(), 1);
        let nov = app.get("/api/v1/receptions?from=2026-11-01&to=2026-11-30", &auth).await.json();
        assert_eq!(nov["items"].as_array().unwrap().len(), 0);
        let sync = app.get("/api/v1/receptions?updated_since=2020-01-01T00:00:00Z", &auth).await.json();
        assert_eq!(sync["items"][0]["deleted"], false);
    }
}
