//! The appeal lifecycle: transitions with history, refused moves, `If-Match`, extensions.

use reqwest::Method;
use serde_json::{json, Value};

use super::*;
use crate::both_backends;

both_backends! {
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
}
