//! Monthly ratings with snapshots and the audited recompute, and citizens' one-time
//! feedback links.

use diesel::prelude::*;
use serde_json::{json, Value};

use super::*;
use crate::both_backends;

/// Creates an appeal in Sarykemer through the API and places it in the rating month
/// directly: assigned to `deputy`, with this deadline and closing time.
async fn appeal_in_month(
    app: &TestApp,
    auth: &Auth,
    deputy: i64,
    due: &str,
    resolved: Option<&str>,
) -> i64 {
    use baqylau::db::schema::appeals;
    let res = app
        .post(
            "/api/v1/appeals",
            auth,
            json!({"channel": "reception_room", "category": "UTIL_WATER", "territory_id": app.territory(kato::SARYKEMER),
                   "citizen": {"full_name": "Сейтқали Айгүл", "iin": "850715300122", "phone": "+7 701 234 56 78"},
                   "subject": "Ауыз су", "description": "Ауылда ауыз су жоқ.", "language": "kk"}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let id = res.json()["id"].as_i64().unwrap();
    let due = chrono::NaiveDate::parse_from_str(due, "%Y-%m-%d").unwrap();
    let resolved_at =
        resolved.map(|r| chrono::NaiveDateTime::parse_from_str(r, "%Y-%m-%d %H:%M:%S").unwrap());
    diesel::update(appeals::table.find(id))
        .set((
            appeals::deputy_id.eq(Some(deputy)),
            appeals::status.eq(if resolved.is_some() {
                "resolved"
            } else {
                "in_progress"
            }),
            appeals::resolution.eq(resolved.map(|_| "Су құбыры жөнделді")),
            appeals::due_on.eq(due),
            appeals::resolved_at.eq(resolved_at),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    id
}

/// Seeds September 2026 for `deputy`, each component known by hand:
/// appeals on time 2, overdue 2; receptions 1; indicators done 1, overdue 1;
/// satisfaction (5 + 4) / 2 − 3 = 1.5.
async fn seed_september(app: &TestApp, auth: &Auth, deputy: i64) -> i64 {
    use baqylau::db::schema::{feedback_links, indicators, receptions};
    // Resolved on 2026-09-15 (Almaty) before its deadline of 09-20: on time.
    let on_time =
        appeal_in_month(app, auth, deputy, "2026-09-20", Some("2026-09-15 04:00:00")).await;
    // Closed 09-12 after its deadline of 09-10: overdue.
    appeal_in_month(app, auth, deputy, "2026-09-10", Some("2026-09-12 04:00:00")).await;
    // Due 09-25, never closed: overdue.
    appeal_in_month(app, auth, deputy, "2026-09-25", None).await;
    // 2026-09-30 20:00 UTC is already 1 October in Almaty: counted in October, not here.
    appeal_in_month(app, auth, deputy, "2026-10-05", Some("2026-09-30 20:00:00")).await;
    // Closed 09-28, due in October: on time in September.
    let early = appeal_in_month(app, auth, deputy, "2026-10-05", Some("2026-09-28 04:00:00")).await;
    // Due in August, closed late in September: counts against August, not September.
    appeal_in_month(app, auth, deputy, "2026-08-25", Some("2026-09-02 04:00:00")).await;

    // One reception held on 15 September with the deputy, one cancelled.
    for (status, n) in [("held", 0), ("cancelled", 1)] {
        let res = app
            .post(
                "/api/v1/receptions",
                auth,
                json!({"title": format!("Қабылдау {n}"), "level": "district", "territory_id": app.territory(kato::BAIZAK),
                       "settlement_ids": [app.territory(kato::SARYKEMER)],
                       "planned_start": format!("2026-12-1{n}T04:00:00Z"), "planned_end": format!("2026-12-1{n}T09:00:00Z"),
                       "participants": [{"deputy_id": deputy, "full_name": "Депутат", "role": "deputy"}]}),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.text);
        let id = res.json()["id"].as_i64().unwrap();
        let start =
            chrono::NaiveDateTime::parse_from_str("2026-09-15 04:00:00", "%Y-%m-%d %H:%M:%S")
                .unwrap();
        diesel::update(receptions::table.find(id))
            .set((
                receptions::status.eq(status),
                receptions::planned_start.eq(start),
                receptions::planned_end.eq(start + chrono::Duration::hours(5)),
            ))
            .execute(&mut *app.conn())
            .unwrap();
    }

    // Indicators due in September: one done, one not; one due in October does not count.
    let res = app
        .post(
            "/api/v1/roadmaps",
            auth,
            json!({"title_kk": "Жол картасы", "title_ru": "Дорожная карта",
              "kind": "territorial", "territory_id": app.territory(kato::BAIZAK), "year": 2026}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let roadmap = res.json()["id"].as_i64().unwrap();
    let res = app
        .post(
            &format!("/api/v1/roadmaps/{roadmap}/sections"),
            auth,
            json!({"title": "Бөлім"}),
        )
        .await;
    let section = res.json()["id"].as_i64().unwrap();
    for (due, done) in [
        ("2026-09-10", true),
        ("2026-09-20", false),
        ("2026-10-10", false),
    ] {
        let res = app
            .post("/api/v1/indicators", auth, json!({"roadmap_id": roadmap, "section_id": section, "title": format!("Іс-шара {due}"),
                  "territory_id": app.territory(kato::SARYKEMER), "kind": "event", "due_on": due, "deputy_id": deputy}))
            .await;
        assert_eq!(res.status, 201, "{}", res.text);
        if done {
            let id = res.json()["id"].as_i64().unwrap();
            diesel::update(indicators::table.find(id))
                .set(indicators::status.eq("done"))
                .execute(&mut *app.conn())
                .unwrap();
        }
    }

    // Two citizens rate outcomes, 5 and 4, through their links; answered in September.
    for (appeal, score) in [(on_time, 5), (early, 4)] {
        let link = app
            .post(
                &format!("/api/v1/appeals/{appeal}/feedback-link"),
                auth,
                json!({}),
            )
            .await;
        assert_eq!(link.status, 201, "{}", link.text);
        let url = link.json()["url"].as_str().unwrap().to_owned();
        assert_eq!(
            app.post(&url, &Auth::None, json!({"score": score}))
                .await
                .status,
            201
        );
    }
    let answered =
        chrono::NaiveDateTime::parse_from_str("2026-09-20 06:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
    diesel::update(feedback_links::table)
        .set(feedback_links::submitted_at.eq(Some(answered)))
        .execute(&mut *app.conn())
        .unwrap();
    on_time
}

/// Closes `month` as the snapshot job does on the tests' clock; how many it stored.
pub fn close(app: &TestApp, month: &str) -> usize {
    let period = baqylau::ratings::period::Period::parse("month", month, &mut Vec::new()).unwrap();
    let at = chrono::DateTime::parse_from_rfc3339(NOW)
        .unwrap()
        .with_timezone(&chrono::Utc);
    let clock = baqylau::kit::clock::Clock::fixed(at);
    baqylau::ratings::close::close_month(&mut app.conn(), &clock, &Default::default(), period)
        .unwrap()
}

fn snapshot_rows(app: &TestApp) -> i64 {
    use baqylau::db::schema::rating_snapshots;
    rating_snapshots::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

fn component(rating: &Value, name: &str) -> (f64, f64, f64) {
    let c = rating["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {rating}"));
    (
        c["value"].as_f64().unwrap(),
        c["weight"].as_f64().unwrap(),
        c["points"].as_f64().unwrap(),
    )
}

both_backends! {
    async fn a_seeded_month_matches_the_hand_computed_rating(app) {
        let app = respawn_at(app, NOW).await;
        let auth = baizak_staff(&app).await;
        let deputy = new_deputy(&app, &auth, "Рейтингтегі депутат").await;
        let idle = new_deputy(&app, &auth, "Жұмыссыз депутат").await;
        seed_september(&app, &auth, deputy).await;
        // The idle deputy missed one deadline: below the threshold of 0, at recall risk.
        appeal_in_month(&app, &auth, idle, "2026-09-05", None).await;

        let formula = app.get("/api/v1/ratings/formula", &auth).await.json();
        assert_eq!(formula["recall_threshold"], 0.0);
        assert_eq!(formula["components"].as_array().unwrap().len(), 6);

        // A finished month not yet closed is computed, and reading it stores nothing.
        let url = format!("/api/v1/deputies/{deputy}/rating?period=2026-09");
        let r = app.get(&url, &auth).await;
        assert_eq!(r.status, 200, "{}", r.text);
        let r = r.json();
        app.get("/api/v1/ratings?period=2026-09", &auth).await.json();
        app.get("/api/v1/stats/overview", &auth).await.json();
        assert_eq!(snapshot_rows(&app), 0, "a read never writes");
        assert_eq!(r["snapshot"], false);
        assert_eq!(component(&r, "appeals_on_time"), (2.0, 2.0, 4.0), "{r}");
        assert_eq!(component(&r, "appeals_overdue"), (2.0, -3.0, -6.0), "{r}");
        assert_eq!(component(&r, "receptions_attended"), (1.0, 5.0, 5.0), "{r}");
        assert_eq!(component(&r, "indicators_done"), (1.0, 3.0, 3.0), "{r}");
        assert_eq!(component(&r, "indicators_overdue"), (1.0, -4.0, -4.0), "{r}");
        assert_eq!(component(&r, "satisfaction"), (1.5, 5.0, 7.5), "{r}");
        // 4 − 6 + 5 + 3 − 4 + 7.5
        assert_eq!(r["score"], 9.5);
        let sum: f64 = r["components"].as_array().unwrap().iter().map(|c| c["points"].as_f64().unwrap()).sum();
        assert_eq!(sum, 9.5);

        let all = app.get("/api/v1/ratings?period=2026-09&include_total=true", &auth).await.json();
        assert_eq!(all["total"], 2, "{all}");
        assert_eq!(all["items"][0]["deputy_id"], deputy, "highest first");
        assert_eq!(all["items"][1]["score"], -3.0);
        let risk = app.get("/api/v1/ratings/recall-risk?period=2026-09", &auth).await.json();
        let at_risk: Vec<i64> = risk["items"].as_array().unwrap().iter().map(|r| r["deputy_id"].as_i64().unwrap()).collect();
        assert_eq!(at_risk, vec![idle], "{risk}");
        // Closing the month stores what the reads showed.
        assert_eq!(close(&app, "2026-09"), 2);
        let stored = app.get(&url, &auth).await.json();
        assert_eq!(stored["snapshot"], true);
        assert_eq!((&stored["score"], &stored["components"]), (&r["score"], &r["components"]));
        let ranked = |list: &Value| -> Vec<(Value, Value, Value, Value)> {
            list["items"].as_array().unwrap().iter()
                .map(|i| (i["deputy_id"].clone(), i["score"].clone(), i["components"].clone(), i["snapshot"].clone()))
                .collect()
        };
        let after = app.get("/api/v1/ratings?period=2026-09&include_total=true", &auth).await.json();
        let before: Vec<_> = ranked(&all).into_iter().map(|(d, s, c, _)| (d, s, c, json!(true))).collect();
        assert_eq!(ranked(&after), before, "the same answer, now from the snapshots");
        assert_eq!(close(&app, "2026-09"), 0, "a closed month is closed once");
        assert_eq!(snapshot_rows(&app), 2);
        // Paging through the ranking with a signed cursor.
        let page = app.get("/api/v1/ratings?period=2026-09&limit=1", &auth).await.json();
        let cursor = page["next_cursor"].as_str().unwrap();
        let next = app.get(&format!("/api/v1/ratings?period=2026-09&limit=1&cursor={cursor}"), &auth).await.json();
        assert_eq!(next["items"][0]["deputy_id"], idle);
        assert_eq!(next["next_cursor"], Value::Null);
        // The running month is computed, not stored.
        let now = app.get(&format!("/api/v1/deputies/{deputy}/rating"), &auth).await.json();
        assert_eq!(now["period"], "2026-11");
        assert_eq!(now["snapshot"], false);
        // Bad periods are 422.
        let res = app.get(&format!("/api/v1/deputies/{deputy}/rating?period=2026-13"), &auth).await;
        assert_eq!(res.problem(422, "validation_failed")["errors"][0]["field"], "period");
        app.get("/api/v1/ratings?period=sept&limit=0", &auth).await.problem(422, "validation_failed");
    }

    async fn a_correction_waits_for_an_audited_recompute(app) {
        use baqylau::db::schema::appeals;
        let app = respawn_at(app, NOW).await;
        let auth = baizak_staff(&app).await;
        let deputy = new_deputy(&app, &auth, "Түзетілген депутат").await;
        let late = appeal_in_month(&app, &auth, deputy, "2026-09-10", Some("2026-09-12 04:00:00")).await;
        let url = format!("/api/v1/deputies/{deputy}/rating?period=2026-09");
        assert_eq!(close(&app, "2026-09"), 1);
        let stored = app.get(&url, &auth).await.json();
        assert_eq!(stored["score"], -3.0, "{stored}");
        // The deadline was in fact extended: the appeal was closed on time.
        let extended = chrono::NaiveDate::from_ymd_opt(2026, 9, 15).unwrap();
        diesel::update(appeals::table.find(late))
            .set(appeals::extended_due_on.eq(Some(extended)))
            .execute(&mut *app.conn())
            .unwrap();
        let again = app.get(&url, &auth).await.json();
        assert_eq!(again["score"], -3.0, "the stored month does not move by itself");
        assert_eq!(again["computed_at"], stored["computed_at"]);
        // Only an explicit recompute changes it, and only regional staff and admins may.
        let body = json!({"period": "2026-09", "reason": "Deadline extension entered late"});
        assert_eq!(app.post("/api/v1/ratings/recompute", &auth, body.clone()).await.status, 403);
        let region = zhambyl_staff(&app).await;
        let res = app.post("/api/v1/ratings/recompute", &region, json!({"period": "2026-11"})).await;
        assert_eq!(res.problem(422, "validation_failed")["errors"][0]["code"], "period_open");
        app.post("/api/v1/ratings/recompute", &region, json!({"period": "x", "deputy_id": 999999})).await.problem(422, "validation_failed");
        let res = app.post("/api/v1/ratings/recompute", &region, body).await;
        assert_eq!(res.status, 200, "{}", res.text);
        let result = res.json();
        assert_eq!(result["changed"], json!([{"deputy_id": deputy, "before": -3.0, "after": 2.0}]), "{result}");
        let now = app.get(&url, &auth).await.json();
        assert_eq!(now["score"], 2.0);
        assert_eq!(component(&now, "appeals_on_time"), (1.0, 2.0, 2.0));
        // The audit trail keeps the change with its reason.
        app.create_user("admin@d.kz", "admin", None, None);
        let admin = app.bearer("admin@d.kz").await;
        let audit = app.get("/api/v1/audit?entity=rating", &admin).await.json();
        let recompute = audit["items"].as_array().unwrap().iter().find(|a| a["action"] == "recompute")
            .unwrap_or_else(|| panic!("no recompute in {audit}"));
        let text = recompute.to_string();
        assert!(text.contains("Deadline extension entered late") && text.contains("-3"), "{text}");
        // A second recompute with nothing new changes nothing.
        let res = app.post("/api/v1/ratings/recompute", &region, json!({"period": "2026-09", "deputy_id": deputy})).await;
        assert_eq!(res.json()["changed"], json!([]));
    }

    async fn feedback_links_are_single_use_and_reveal_nothing(app) {
        use baqylau::db::schema::feedback_links;
        let app = respawn_at(app, NOW).await;
        let auth = baizak_staff(&app).await;
        let deputy = new_deputy(&app, &auth, "Бағаланатын депутат").await;
        let open = appeal_in_month(&app, &auth, deputy, "2026-11-30", None).await;
        app.post(&format!("/api/v1/appeals/{open}/feedback-link"), &auth, json!({})).await.problem(409, "not_resolved");
        let done = appeal_in_month(&app, &auth, deputy, "2026-11-30", Some("2026-11-10 04:00:00")).await;
        let res = app.post(&format!("/api/v1/appeals/{done}/feedback-link"), &auth, json!({})).await;
        assert_eq!(res.status, 201, "{}", res.text);
        assert_eq!(res.header("cache-control").as_deref(), Some("no-store"));
        let link = res.json();
        assert_eq!(link["expires_at"], "2026-12-16T06:00:00Z");
        let url = link["url"].as_str().unwrap().to_owned();
        let token = link["token"].as_str().unwrap();
        assert!(token.len() >= 43, "256 bits");
        let stored: Vec<String> = feedback_links::table.select(feedback_links::token_hash).load(&mut *app.conn()).unwrap();
        assert!(!stored.iter().any(|h| h.contains(token)), "only a hash is stored");
        // The public form: no sign-in, nothing personal.
        let form = app.get(&url, &Auth::None).await;
        assert_eq!(form.status, 200, "{}", form.text);
        for private in ["Сейтқали", "850715300122", "701", "Ауыз су"] {
            assert!(!form.text.contains(private), "{private} leaked: {}", form.text);
        }
        assert_eq!(form.json()["resolved_on"], "2026-11-10");
        // Bad bodies: 422 listing every field; the link stays usable.
        let res = app.post(&url, &Auth::None, json!({"score": 9, "comment": "x".repeat(2001)})).await;
        assert_eq!(res.problem(422, "validation_failed")["errors"].as_array().unwrap().len(), 2);
        app.post(&url, &Auth::None, json!({})).await.problem(422, "validation_failed");
        let res = app.post(&url, &Auth::None, json!({"score": 4, "comment": "Рахмет"})).await;
        assert_eq!(res.status, 201, "{}", res.text);
        // Spent: 410 for the form and a second answer.
        app.post(&url, &Auth::None, json!({"score": 1})).await.problem(410, "feedback_used");
        app.get(&url, &Auth::None).await.problem(410, "feedback_used");
        app.get("/api/v1/feedback/not-a-real-token", &Auth::None).await.problem(404, "not_found");
        // Answered: no new link for this appeal (one counted answer per appeal).
        app.post(&format!("/api/v1/appeals/{done}/feedback-link"), &auth, json!({})).await.problem(409, "feedback_answered");
        // A new link revokes the earlier unanswered one; an expired one is 410.
        let other = appeal_in_month(&app, &auth, deputy, "2026-11-30", Some("2026-11-11 04:00:00")).await;
        let first = app.post(&format!("/api/v1/appeals/{other}/feedback-link"), &auth, json!({})).await.json();
        let second = app.post(&format!("/api/v1/appeals/{other}/feedback-link"), &auth, json!({})).await.json();
        app.get(first["url"].as_str().unwrap(), &Auth::None).await.problem(410, "feedback_used");
        let past = chrono::NaiveDateTime::parse_from_str("2026-11-01 00:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
        diesel::update(feedback_links::table).set(feedback_links::expires_at.eq(past)).execute(&mut *app.conn()).unwrap();
        app.post(second["url"].as_str().unwrap(), &Auth::None, json!({"score": 5})).await.problem(410, "feedback_expired");
        // The rating feeds on it: November's satisfaction is 4 − 3.
        let r = app.get(&format!("/api/v1/deputies/{deputy}/rating?period=2026-11"), &auth).await.json();
        assert_eq!(component(&r, "satisfaction"), (1.0, 5.0, 5.0), "{r}");
        // Viewers may not send links.
        app.create_user("viewer@d.kz", "viewer", Some(kato::ZHAMBYL), None);
        let viewer = app.bearer("viewer@d.kz").await;
        app.post(&format!("/api/v1/appeals/{done}/feedback-link"), &viewer, json!({})).await.problem(403, "forbidden");
    }
}
