//! The dashboard overview (`GET /stats/overview`): figures by status, category and
//! channel for a period, overdue appeals and the oldest one, the median days to an
//! answer, road-map completion and upcoming receptions, scoped to the caller.

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::*;

/// Tuesday 1 December 2026, 11:00 in Kazakhstan.
const NOW: &str = "2026-12-01T06:00:00Z";

async fn register(
    app: &TestApp,
    auth: &Auth,
    kato: &str,
    channel: &str,
    category: &str,
    received_at: &str,
) -> i64 {
    let res = app
        .post(
            "/api/v1/appeals",
            auth,
            json!({
                "channel": channel, "category": category,
                "territory_id": app.territory(kato),
                "citizen": {"full_name": "Сейтқали Айгүл"},
                "subject": "Ауыз су", "description": "Ауылда ауыз су жоқ.", "language": "kk",
                "received_at": received_at
            }),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    res.json()["id"].as_i64().unwrap()
}

async fn reject(app: &TestApp, auth: &Auth, id: i64) {
    let res = app
        .request(
            Method::POST,
            &format!("/api/v1/appeals/{id}/transitions"),
            auth,
            Some(json!({"to": "rejected", "resolution": "Құзыретке жатпайды"})),
            &[("If-Match", "\"1\"")],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
}

fn count_of(list: &Value, key: &str, value: &str) -> i64 {
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c[key] == value)
        .map_or(0, |c| c["count"].as_i64().unwrap())
}

both_backends! {
    async fn the_overview_counts_in_the_database_and_keeps_to_the_callers_territory(app) {
        let app = respawn_at(app, NOW).await;
        app.create_user("region@s.kz", "regional_staff", Some(kato::ZHAMBYL), None);
        app.create_user("baizak@s.kz", "district_staff", Some(kato::BAIZAK), None);
        let region = app.bearer("region@s.kz").await;
        let baizak = app.bearer("baizak@s.kz").await;

        // Answered in 2, 6 and 10 days: median 6.
        for received in ["2026-11-29T06:00:00Z", "2026-11-25T06:00:00Z", "2026-11-21T06:00:00Z"] {
            let id = register(&app, &region, kato::SARYKEMER, "reception_room", "UTIL_WATER", received).await;
            reject(&app, &region, id).await;
        }
        // Long overdue (received in September), one in Kordai and one in Baizak.
        register(&app, &region, kato::KORDAI, "online", "ROADS", "2026-09-01T06:00:00Z").await;
        register(&app, &region, kato::BAIZAK, "online", "ROADS", "2026-10-01T06:00:00Z").await;
        // Fresh, not yet due.
        register(&app, &region, kato::BAIZAK, "phone", "UTIL_WATER", "2026-11-30T06:00:00Z").await;
        // Last year: outside the default period, but still overdue.
        let oldest = register(&app, &region, kato::BAIZAK, "phone", "UTIL_WATER", "2025-12-01T06:00:00Z").await;

        let res = app.get("/api/v1/stats/overview", &region).await;
        assert_eq!(res.status, 200, "{}", res.text);
        let o = res.json();
        assert_eq!((o["period_from"].clone(), o["period_to"].clone(), o["as_of"].clone()), (json!("2026-01-01"), json!("2026-12-01"), json!("2026-12-01")));
        let a = &o["appeals"];
        assert_eq!(a["received"], 6, "{a}");
        assert_eq!(count_of(&a["by_status"], "status", "rejected"), 3);
        assert_eq!(count_of(&a["by_status"], "status", "registered"), 3);
        assert_eq!(a["by_status"][0]["status"], "registered", "declaration order");
        assert_eq!(count_of(&a["by_category"], "category_code", "UTIL_WATER"), 4);
        assert_eq!(a["by_category"][0]["category_code"], "UTIL_WATER", "most first");
        assert_eq!(count_of(&a["by_channel"], "channel", "online"), 2);
        assert_eq!(a["overdue"], 3, "{a}");
        assert_eq!(a["oldest_overdue"]["id"], oldest);
        assert!(a["oldest_overdue"]["days_overdue"].as_i64().unwrap() > 300, "{a}");
        assert_eq!(a["resolved"], 3);
        assert_eq!(a["median_days_to_resolution"], 6.0);
        assert!(o["roadmaps"].is_object() && o["receptions"]["upcoming"].is_array(), "{o}");

        // A narrower period: November only.
        let nov = app.get("/api/v1/stats/overview?from=2026-11-01&to=2026-11-30", &region).await.json();
        assert_eq!(nov["appeals"]["received"], 4, "{nov}");
        assert_eq!(nov["appeals"]["overdue"], 3, "overdue is as of today, whatever the period");

        // District staff see Baizak only; the region may ask for Baizak by id.
        let d = app.get("/api/v1/stats/overview", &baizak).await.json();
        assert_eq!(d["appeals"]["received"], 5, "{d}");
        assert_eq!(d["appeals"]["overdue"], 2);
        let narrowed = app.get(&format!("/api/v1/stats/overview?territory_id={}", app.territory(kato::BAIZAK)), &region).await.json();
        assert_eq!(narrowed["appeals"], d["appeals"]);
        assert_eq!(narrowed["territory_id"], app.territory(kato::BAIZAK));
        // ... but district staff may not ask for Kordai, and bad parameters are listed.
        let out = app.get(&format!("/api/v1/stats/overview?territory_id={}", app.territory(kato::KORDAI)), &baizak).await;
        assert_eq!(out.problem(422, "validation_failed")["errors"][0]["code"], "out_of_scope");
        let bad = app.get("/api/v1/stats/overview?from=soon&to=2026-13-01&territory_id=x", &region).await;
        let errors = bad.problem(422, "validation_failed")["errors"].clone();
        assert_eq!(errors.as_array().unwrap().len(), 3, "{errors}");
        let backwards = app.get("/api/v1/stats/overview?from=2026-12-01&to=2026-11-01", &region).await;
        backwards.problem(422, "validation_failed");
    }

    async fn the_overview_lists_upcoming_receptions_and_road_map_completion(app) {
        let app = respawn_at(app, NOW).await;
        app.create_user("baizak@s.kz", "district_staff", Some(kato::BAIZAK), None);
        let auth = app.bearer("baizak@s.kz").await;
        let okrug = app.territory(kato::SARYKEMER);
        for (title, start, end) in [
            ("Кейінгі", "2026-12-20T04:00:00Z", "2026-12-20T08:00:00Z"),
            ("Жақын", "2026-12-05T04:00:00Z", "2026-12-05T08:00:00Z"),
        ] {
            let res = app.post("/api/v1/receptions", &auth, json!({
                "title": title, "level": "district", "territory_id": app.territory(kato::BAIZAK),
                "settlement_ids": [okrug], "planned_start": start, "planned_end": end
            })).await;
            assert_eq!(res.status, 201, "{}", res.text);
        }
        let roadmap = app.post("/api/v1/roadmaps", &auth, json!({
            "title_kk": "Жол картасы", "title_ru": "Дорожная карта", "kind": "territorial",
            "territory_id": app.territory(kato::BAIZAK), "year": 2026
        })).await;
        assert_eq!(roadmap.status, 201, "{}", roadmap.text);
        let roadmap = roadmap.json()["id"].as_i64().unwrap();
        let section = app.post(&format!("/api/v1/roadmaps/{roadmap}/sections"), &auth, json!({"title": "Су"})).await;
        assert_eq!(section.status, 201, "{}", section.text);
        let section = section.json()["id"].as_i64().unwrap();
        for i in 0..2 {
            let res = app.post("/api/v1/indicators", &auth, json!({
                "roadmap_id": roadmap, "section_id": section, "title": format!("Құбыр {i}"),
                "territory_id": okrug, "kind": "event", "due_on": "2026-12-31"
            })).await;
            assert_eq!(res.status, 201, "{}", res.text);
        }

        let o = app.get("/api/v1/stats/overview", &auth).await.json();
        let upcoming = o["receptions"]["upcoming"].as_array().unwrap();
        assert_eq!(upcoming.iter().map(|r| r["title"].as_str().unwrap()).collect::<Vec<_>>(), ["Жақын", "Кейінгі"], "{o}");
        let r = &o["roadmaps"];
        assert_eq!((r["year"].clone(), r["planned"].clone(), r["done"].clone(), r["percent"].clone()), (json!(2026), json!(2), json!(0), json!(0.0)), "{r}");
        assert_eq!(r["by_section"][0]["name"], "Су");
        assert_eq!(r["by_territory"][0]["id"], app.territory(kato::BAIZAK));
        let other = app.get("/api/v1/stats/overview?year=2021", &auth).await.json();
        assert_eq!((other["roadmaps"]["year"].clone(), other["roadmaps"]["planned"].clone()), (json!(2021), json!(0)));
        app.get("/api/v1/stats/overview?year=1999", &auth).await.problem(422, "validation_failed");
    }
}
