//! Dialogue platforms: a debate club session with its agenda and protocol, proposals
//! taken under control as appeals (once), the report's counts, deleting a reception
//! (a tombstone, refused while appeals name it), scoping and bad bodies.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::fixtures::baizak_staff;
use crate::helpers::*;

async fn session(app: &TestApp, auth: &Auth, kind: &str) -> i64 {
    let res = app
        .post(
            "/api/v1/receptions",
            auth,
            json!({
                "kind": kind,
                "title": "«Парасат» пікірсайыс клубы",
                "level": "district",
                "territory_id": app.territory(kato::BAIZAK),
                "planned_start": "2026-12-10T04:00:00Z",
                "planned_end": "2026-12-10T07:00:00Z",
            }),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.json()["kind"], kind);
    res.json()["id"].as_i64().unwrap()
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

async fn propose(app: &TestApp, auth: &Auth, id: i64, topic: i64, text: &str) -> i64 {
    let res = app
        .post(
            &format!("/api/v1/receptions/{id}/proposals"),
            auth,
            json!({"topic_id": topic, "text": text, "author": "Клуб мүшесі"}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.json()["outcome"], "open");
    res.json()["id"].as_i64().unwrap()
}

fn take_body(app: &TestApp) -> Value {
    json!({"category": "UTIL_WATER", "territory_id": app.territory(kato::SARYKEMER), "language": "kk"})
}

fn fields(problem: &Value) -> BTreeSet<String> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

/// A session with a three-topic agenda and the given proposals (topic index, text).
async fn session_with_protocol(
    app: &TestApp,
    auth: &Auth,
    texts: &[(usize, &str)],
) -> (i64, Vec<i64>, Vec<i64>) {
    let id = session(app, auth, "debate_club").await;
    let agenda = send(
        app,
        auth,
        Method::PUT,
        &format!("/api/v1/receptions/{id}/agenda"),
        1,
        json!({"topics": [
            {"title": "Ауыз су және жер телімдері", "description": "Абай ауылы"},
            {"title": "Жайылымдарды қайтару"},
            {"title": "Заңсыз карьерлер"},
        ]}),
    )
    .await;
    assert_eq!(agenda.status, 200, "{}", agenda.text);
    assert_eq!(agenda.header("etag").as_deref(), Some("\"2\""));
    let topics: Vec<i64> = agenda.json()["topics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    let positions: Vec<i64> = agenda.json()["topics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["position"].as_i64().unwrap())
        .collect();
    assert_eq!(positions, vec![1, 2, 3]);
    let mut proposals = Vec::new();
    for (topic, text) in texts {
        proposals.push(propose(app, auth, id, topics[*topic], text).await);
    }
    (id, topics, proposals)
}

both_backends! {
    async fn a_debate_club_takes_two_proposals_under_control_and_reports_them(app) {
        let auth = baizak_staff(&app).await;
        let (id, topics, p) = session_with_protocol(&app, &auth, &[
            (0, "Ауылға ауыз су құбырын тарту"),
            (1, "Жайылымдарды ауылға қайтару"),
            (2, "Карьерлерді тексеру тобын құру"),
            (0, "Жер телімдерінің кезегін жариялау"),
        ]).await;
        let take = |pid: i64| format!("/api/v1/receptions/{id}/proposals/{pid}/appeal");
        let key = [("Idempotency-Key", "take-1")];
        let first = app.request(Method::POST, &take(p[0]), &auth, Some(take_body(&app)), &key).await;
        assert_eq!(first.status, 201, "{}", first.text);
        let taken = first.json();
        let appeal = taken["appeal"]["id"].as_i64().unwrap();
        assert_eq!(first.header("location"), Some(format!("/api/v1/appeals/{appeal}")));
        assert_eq!(taken["appeal"]["channel"], "debate_club");
        assert_eq!(taken["appeal"]["reception_id"], id);
        assert_eq!(taken["appeal"]["subject"], "Ауылға ауыз су құбырын тарту");
        assert_eq!(taken["appeal"]["status"], "registered");
        assert_eq!(taken["proposal"]["outcome"], "under_control");
        assert_eq!(taken["proposal"]["appeal_id"], appeal);
        // A retry with the key replays; another take is refused.
        let retry = app.request(Method::POST, &take(p[0]), &auth, Some(take_body(&app)), &key).await;
        assert_eq!(retry.status, 201, "{}", retry.text);
        assert_eq!(retry.json()["appeal"]["id"], appeal);
        let again = app.post(&take(p[0]), &auth, take_body(&app)).await;
        assert!(again.problem(409, "proposal_taken")["detail"].as_str().unwrap().contains(&appeal.to_string()));
        // The same key for another proposal is not a replay of the first.
        app.request(Method::POST, &take(p[1]), &auth, Some(take_body(&app)), &key).await.problem(409, "idempotency_key_reused");
        let second = app.post(&take(p[1]), &auth, take_body(&app)).await;
        assert_eq!(second.status, 201, "{}", second.text);
        assert_eq!(second.json()["appeal"]["channel"], "debate_club");

        // Outcomes: set by hand, except to or from under_control.
        let one = |pid: i64| format!("/api/v1/receptions/{id}/proposals/{pid}");
        let rejected = send(&app, &auth, Method::PATCH, &one(p[2]), 1, json!({"outcome": "rejected", "outcome_note": "Облыс құзырында"})).await;
        assert_eq!(rejected.status, 200, "{}", rejected.text);
        assert_eq!(rejected.json()["version"], 2);
        let read = app.get(&one(p[2]), &auth).await;
        assert_eq!(read.header("etag").as_deref(), Some("\"2\""));
        assert_eq!((read.json()["outcome"].clone(), read.json()["outcome_note"].clone()), (json!("rejected"), json!("Облыс құзырында")));
        app.post(&take(p[2]), &auth, take_body(&app)).await.problem(409, "proposal_closed");
        send(&app, &auth, Method::PATCH, &one(p[0]), 2, json!({"outcome": "implemented"})).await.problem(409, "proposal_under_control");
        send(&app, &auth, Method::PATCH, &one(p[3]), 7, json!({"outcome": "accepted"})).await.problem(412, "precondition_failed");
        let to_control = send(&app, &auth, Method::PATCH, &one(p[3]), 1, json!({"outcome": "under_control"})).await;
        assert_eq!(to_control.problem(422, "validation_failed")["errors"][0]["code"], "take_under_control");

        let report = app.get(&format!("/api/v1/receptions/{id}/report"), &auth).await;
        assert_eq!(report.status, 200, "{}", report.text);
        let report = report.json();
        assert_eq!(report["reception"]["kind"], "debate_club");
        assert_eq!(report["topics"], 3);
        assert_eq!(report["proposals"], 4);
        assert_eq!(report["proposals_by_outcome"], json!([
            {"outcome": "open", "count": 1}, {"outcome": "under_control", "count": 2}, {"outcome": "rejected", "count": 1}
        ]));
        assert_eq!(report["appeals_from_proposals"], 2);
        assert_eq!(report["proposal_appeals_by_status"], json!([{"status": "registered", "count": 2}]));
        assert_eq!(report["appeals_taken"], 2);
        let csv = app.get(&format!("/api/v1/receptions/{id}/report?format=csv&sheet=proposals"), &auth).await;
        assert_eq!(csv.status, 200, "{}", csv.text);
        assert_eq!(csv.text.lines().count(), 5, "a header and the 4 proposals: {}", csv.text);
        assert!(csv.text.contains(taken["appeal"]["reg_number"].as_str().unwrap()) && csv.text.contains("rejected"));
        let xlsx = app.get(&format!("/api/v1/receptions/{id}/report?format=xlsx&sheet=proposals"), &auth).await;
        assert_eq!(xlsx.status, 200);
        app.get(&format!("/api/v1/receptions/{id}/report?format=csv&sheet=minutes"), &auth).await.problem(422, "validation_failed");
        let listed = app.get(&format!("/api/v1/appeals?channel=debate_club&reception_id={id}&include_total=true"), &auth).await.json();
        assert_eq!(listed["total"], 2, "{listed}");
        let protocol = app.get(&format!("/api/v1/receptions/{id}/proposals"), &auth).await.json();
        let outcomes: Vec<&str> = protocol["items"].as_array().unwrap().iter().map(|p| p["outcome"].as_str().unwrap()).collect();
        assert_eq!(outcomes, ["under_control", "under_control", "rejected", "open"]);

        // The agenda keeps the topics proposals were made under; the kind stays too.
        let version = app.get(&format!("/api/v1/receptions/{id}"), &auth).await.json()["version"].as_i64().unwrap();
        let agenda = format!("/api/v1/receptions/{id}/agenda");
        send(&app, &auth, Method::PUT, &agenda, version, json!({"topics": [{"id": topics[0], "title": "Су"}]})).await.problem(409, "topic_in_use");
        let kind = send(&app, &auth, Method::PATCH, &format!("/api/v1/receptions/{id}"), version, json!({"kind": "public_council"})).await;
        assert_eq!(kind.problem(422, "validation_failed")["errors"][0]["code"], "appeals_linked");
        let reordered = send(&app, &auth, Method::PUT, &agenda, version, json!({"topics": [
            {"id": topics[2], "title": "Заңсыз карьерлер"}, {"id": topics[0], "title": "Ауыз су"}, {"id": topics[1], "title": "Жайылым"}, {"title": "Жаңа тақырып"}
        ]})).await;
        assert_eq!(reordered.status, 200, "{}", reordered.text);
        let ids: Vec<i64> = reordered.json()["topics"].as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect();
        assert_eq!(&ids[..3], &[topics[2], topics[0], topics[1]]);

        // The kind filters the list.
        let clubs = app.get("/api/v1/receptions?kind=debate_club&include_total=true", &auth).await.json();
        assert_eq!(clubs["total"], 1);
        let mobile = app.get("/api/v1/receptions?kind=mobile_reception,public_council&include_total=true", &auth).await.json();
        assert_eq!(mobile["total"], 0);
        app.get("/api/v1/receptions?kind=parasat", &auth).await.problem(422, "validation_failed");
    }

    async fn a_deleted_reception_is_a_tombstone_and_one_with_appeals_stays(app) {
        let auth = baizak_staff(&app).await;
        let id = session(&app, &auth, "mobile_reception").await;
        let one = format!("/api/v1/receptions/{id}");
        app.request(Method::DELETE, &one, &auth, None, &[]).await.problem(428, "precondition_required");
        send(&app, &auth, Method::DELETE, &one, 5, json!(null)).await.problem(412, "precondition_failed");
        let gone = app.request(Method::DELETE, &one, &auth, None, &[("If-Match", "\"1\"")]).await;
        assert_eq!(gone.status, 204, "{}", gone.text);
        for path in [one.clone(), format!("{one}/report"), format!("{one}/agenda"), format!("{one}/proposals")] {
            app.get(&path, &auth).await.problem(404, "not_found");
        }
        app.request(Method::DELETE, &one, &auth, None, &[("If-Match", "*")]).await.problem(404, "not_found");
        let listed = app.get("/api/v1/receptions?include_total=true", &auth).await.json();
        assert_eq!(listed["total"], 0, "{listed}");
        let sync = app.get("/api/v1/receptions?updated_since=2020-01-01T00:00:00Z", &auth).await.json();
        let items = sync["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{sync}");
        assert_eq!((items[0]["id"].as_i64(), items[0]["deleted"].as_bool(), items[0]["version"].as_i64()), (Some(id), Some(true), Some(2)));
        // Nothing new can name it.
        let appeal = json!({"channel": "mobile_reception", "category": "UTIL_WATER", "territory_id": app.territory(kato::SARYKEMER), "reception_id": id,
            "citizen": {"full_name": "Тұрғын"}, "subject": "Су", "description": "Ауыз су жоқ", "language": "kk"});
        let refused = app.post("/api/v1/appeals", &auth, appeal).await;
        assert!(fields(&refused.problem(422, "validation_failed")).contains("reception_id"));

        // With appeals taken on site, or a proposal under control, it stays.
        let kept = session(&app, &auth, "mobile_reception").await;
        let batch = json!({"appeals": [{"category": "ROADS", "territory_id": app.territory(kato::SARYKEMER), "citizen": {"full_name": "Тұрғын"},
            "subject": "Жол", "description": "Жол бұзылған", "language": "kk"}]});
        let captured = app.post(&format!("/api/v1/receptions/{kept}/appeals"), &auth, batch).await;
        assert_eq!(captured.status, 201, "{}", captured.text);
        assert_eq!(captured.json()["items"][0]["channel"], "mobile_reception");
        let refused = app.request(Method::DELETE, &format!("/api/v1/receptions/{kept}"), &auth, None, &[("If-Match", "\"1\"")]).await;
        refused.problem(409, "reception_has_appeals");
        assert_eq!(app.get(&format!("/api/v1/receptions/{kept}"), &auth).await.json()["version"], 1, "the refused delete changed nothing");
        let (club, _, p) = session_with_protocol(&app, &auth, &[(0, "Ауыз су құбыры")]).await;
        let taken = app.post(&format!("/api/v1/receptions/{club}/proposals/{}/appeal", p[0]), &auth, take_body(&app)).await;
        assert_eq!(taken.status, 201, "{}", taken.text);
        app.request(Method::DELETE, &format!("/api/v1/receptions/{club}"), &auth, None, &[("If-Match", "\"2\"")]).await.problem(409, "reception_has_appeals");
        // A cancelled session takes no more proposals.
        let closed = session(&app, &auth, "public_council").await;
        send(&app, &auth, Method::POST, &format!("/api/v1/receptions/{closed}/transitions"), 1, json!({"to": "cancelled"})).await;
        app.post(&format!("/api/v1/receptions/{closed}/proposals"), &auth, json!({"text": "Ұсыныс"})).await.problem(409, "reception_closed");
    }

    async fn another_district_neither_sees_nor_touches_a_session(app) {
        let auth = baizak_staff(&app).await;
        app.create_user("kordai@d.kz", "district_staff", Some(kato::KORDAI), None);
        let kordai = app.bearer("kordai@d.kz").await;
        let (id, _, p) = session_with_protocol(&app, &auth, &[(0, "Ауыз су құбыры"), (1, "Жайылым")]).await;
        let base = format!("/api/v1/receptions/{id}");
        for path in [base.clone(), format!("{base}/agenda"), format!("{base}/proposals"), format!("{base}/proposals/{}", p[0]), format!("{base}/report"), format!("{base}/report?format=csv&sheet=proposals")] {
            app.get(&path, &kordai).await.problem(404, "not_found");
        }
        app.post(&format!("{base}/proposals"), &kordai, json!({"text": "Ұсыныс"})).await.problem(404, "not_found");
        app.post(&format!("{base}/proposals/{}/appeal", p[0]), &kordai, take_body(&app)).await.problem(404, "not_found");
        send(&app, &kordai, Method::PATCH, &format!("{base}/proposals/{}", p[1]), 1, json!({"outcome": "rejected"})).await.problem(404, "not_found");
        send(&app, &kordai, Method::PUT, &format!("{base}/agenda"), 2, json!({"topics": []})).await.problem(404, "not_found");
        app.request(Method::DELETE, &base, &kordai, None, &[("If-Match", "*")]).await.problem(404, "not_found");
        let theirs = app.get("/api/v1/receptions?kind=debate_club&include_total=true", &kordai).await.json();
        assert_eq!(theirs["total"], 0);
        // A proposal is reached only through its own session.
        let other = session(&app, &auth, "debate_club").await;
        send(&app, &auth, Method::PATCH, &format!("/api/v1/receptions/{other}/proposals/{}", p[0]), 1, json!({"outcome": "accepted"})).await.problem(404, "not_found");
        // Nothing changed.
        let protocol = app.get(&format!("{base}/proposals"), &auth).await.json();
        assert!(protocol["items"].as_array().unwrap().iter().all(|p| p["outcome"] == "open" && p["version"] == 1), "{protocol}");
    }

    async fn bad_bodies_list_every_field(app) {
        let auth = baizak_staff(&app).await;
        let bad = app.post("/api/v1/receptions", &auth, json!({"kind": "parasat", "title": " ", "level": "oblast"})).await;
        let got = fields(&bad.problem(422, "validation_failed"));
        for f in ["kind", "title", "level", "territory_id", "planned_start", "planned_end"] {
            assert!(got.contains(f), "{f} missing from {got:?}");
        }
        let id = session(&app, &auth, "debate_club").await;
        let agenda = send(&app, &auth, Method::PUT, &format!("/api/v1/receptions/{id}/agenda"), 1, json!({"topics": [
            {"title": ""}, {"id": 999_999, "title": "Су"}, {"title": "Жол", "description": "ж".repeat(10_001)}
        ]})).await;
        assert_eq!(fields(&agenda.problem(422, "validation_failed")), BTreeSet::from(["topics[0].title".to_owned(), "topics[1].id".to_owned(), "topics[2].description".to_owned()]));
        let proposal = app.post(&format!("/api/v1/receptions/{id}/proposals"), &auth, json!({"text": "", "topic_id": 999_999, "author": "а".repeat(301)})).await;
        assert_eq!(fields(&proposal.problem(422, "validation_failed")), BTreeSet::from(["author".to_owned(), "text".to_owned(), "topic_id".to_owned()]));
        let pid = propose(&app, &auth, id, {
            let topics = send(&app, &auth, Method::PUT, &format!("/api/v1/receptions/{id}/agenda"), 1, json!({"topics": [{"title": "Су"}]})).await;
            topics.json()["topics"][0]["id"].as_i64().unwrap()
        }, "Ауыз су").await;
        let patch = send(&app, &auth, Method::PATCH, &format!("/api/v1/receptions/{id}/proposals/{pid}"), 1, json!({"outcome": "done", "text": "", "topic_id": 999_999})).await;
        assert_eq!(fields(&patch.problem(422, "validation_failed")), BTreeSet::from(["outcome".to_owned(), "text".to_owned(), "topic_id".to_owned()]));
        let take = app.post(&format!("/api/v1/receptions/{id}/proposals/{pid}/appeal"), &auth, json!({"category": "NOPE", "language": "en"})).await;
        let got = fields(&take.problem(422, "validation_failed"));
        for f in ["category", "language", "territory_id"] {
            assert!(got.contains(f), "{f} missing from {got:?}");
        }
        let protocol = app.get(&format!("/api/v1/receptions/{id}/proposals"), &auth).await.json();
        assert_eq!(protocol["items"][0]["appeal_id"], Value::Null, "nothing was half-written");
    }

    async fn racing_takes_and_deletes_leave_one_appeal_and_no_orphan(app) {
        let auth = baizak_staff(&app).await;
        for round in 0..4 {
            let (id, _, p) = session_with_protocol(&app, &auth, &[(0, "Ауыз су құбыры")]).await;
            let take = format!("/api/v1/receptions/{id}/proposals/{}/appeal", p[0]);
            let body = take_body(&app);
            let (a, b) = futures_util::future::join(app.post(&take, &auth, body.clone()), app.post(&take, &auth, body)).await;
            let mut statuses = [a.status.as_u16(), b.status.as_u16()];
            statuses.sort();
            assert_eq!(statuses, [201, 409], "round {round}: {} / {}", a.text, b.text);
            let listed = app.get(&format!("/api/v1/appeals?reception_id={id}&include_total=true"), &auth).await.json();
            assert_eq!(listed["total"], 1, "round {round}: one take, one appeal");

            // A delete racing a take: never both, so no appeal points to a tombstone.
            let (id, _, p) = session_with_protocol(&app, &auth, &[(1, "Жайылым")]).await;
            let take = format!("/api/v1/receptions/{id}/proposals/{}/appeal", p[0]);
            let one = format!("/api/v1/receptions/{id}");
            let (taken, deleted) = futures_util::future::join(
                app.post(&take, &auth, take_body(&app)),
                app.request(Method::DELETE, &one, &auth, None, &[("If-Match", "*")]),
            ).await;
            match (taken.status.as_u16(), deleted.status.as_u16()) {
                (201, 409) => assert_eq!(deleted.json()["code"], "reception_has_appeals"),
                (404, 204) => {}
                other => panic!("round {round}: {other:?} {} / {}", taken.text, deleted.text),
            }
        }
    }

    async fn each_kind_takes_appeals_in_its_channel(app) {
        let auth = baizak_staff(&app).await;
        let batch = json!({"appeals": [{"category": "BUSINESS", "territory_id": app.territory(kato::SARYKEMER), "citizen": {"full_name": "Кәсіпкер"},
            "subject": "Салық", "description": "Шағын бизнеске қолдау керек", "language": "kk"}]});
        for (kind, channel) in [("mobile_reception", "mobile_reception"), ("debate_club", "debate_club"), ("public_council", "public_council"),
                                ("business_reception", "business_reception"), ("control_commission", "reception_room")] {
            let id = session(&app, &auth, kind).await;
            let taken = app.post(&format!("/api/v1/receptions/{id}/appeals"), &auth, batch.clone()).await;
            assert_eq!(taken.status, 201, "{}", taken.text);
            assert_eq!(taken.json()["items"][0]["channel"], channel, "{kind}");
        }
        // A kind changes while no appeal names the session.
        let id = session(&app, &auth, "debate_club").await;
        let moved = send(&app, &auth, Method::PATCH, &format!("/api/v1/receptions/{id}"), 1, json!({"kind": "business_reception"})).await;
        assert_eq!(moved.status, 200, "{}", moved.text);
        assert_eq!(moved.json()["kind"], "business_reception");
        let default = app.post("/api/v1/receptions", &auth, json!({"title": "Көшпелі қабылдау", "level": "district", "territory_id": app.territory(kato::BAIZAK),
            "planned_start": "2026-12-11T04:00:00Z", "planned_end": "2026-12-11T07:00:00Z"})).await;
        assert_eq!(default.json()["kind"], "mobile_reception", "{}", default.text);
    }
}
