//! Road maps and indicators: the 2021 figures (914 planned, 888 done, 97.2%) by road
//! map, section and district; cancellation, weights, progress rules, approval, import
//! validation, and a deputy's own indicators.

use baqylau::auth::Caller;
use baqylau::kit::clock::Clock;
use baqylau::kit::idempotent::Request;
use baqylau_wire::roadmaps::CreateProgress;
use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::fixtures::zhambyl_staff;
use crate::helpers::*;

async fn new_roadmap(app: &TestApp, auth: &Auth, title: &str) -> i64 {
    let res = app
        .post(
            "/api/v1/roadmaps",
            auth,
            json!({"title_kk": title, "title_ru": title, "kind": "regional",
                   "territory_id": app.territory(kato::ZHAMBYL), "year": 2021}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.json()["status"], "draft");
    res.json()["id"].as_i64().unwrap()
}

async fn post_csv(app: &TestApp, auth: &Auth, roadmap: i64, csv: String) -> Response {
    post_file(app, auth, roadmap, "text/csv", csv.into_bytes()).await
}

async fn post_file(
    app: &TestApp,
    auth: &Auth,
    roadmap: i64,
    ctype: &str,
    body: Vec<u8>,
) -> Response {
    let Auth::Bearer(token) = auth else {
        panic!("a person imports")
    };
    let res = app
        .client
        .post(app.url(&format!("/api/v1/roadmaps/{roadmap}/import")))
        .bearer_auth(token)
        .header("Content-Type", ctype)
        .body(body)
        .send()
        .await
        .unwrap();
    Response {
        status: res.status(),
        headers: res.headers().clone(),
        text: res.text().await.unwrap_or_default(),
    }
}

const HEADER: &str = "section,title,kind,territory_kato,due_on,unit,baseline,target,weight,deputy_id,council_member_id\n";

fn indicator_count(app: &TestApp) -> i64 {
    use baqylau::db::schema::indicators;
    use diesel::prelude::*;
    indicators::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

fn done(app: &TestApp, id: i64) {
    let request = Request {
        key: None,
        hash: String::new(),
        body: CreateProgress {
            done: Some(true),
            ..Default::default()
        },
    };
    baqylau::roadmaps::progress::report(
        &mut app.conn(),
        &Caller::system("test"),
        &Clock::system(),
        id,
        &request,
    )
    .unwrap();
}

fn group(groups: &Value, id: i64) -> &Value {
    groups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == id)
        .unwrap_or_else(|| panic!("no group {id} in {groups}"))
}

/// A new road map with one section and an indicator of each `(kind, weight, target)`,
/// all in Baizak with one responsible deputy.
async fn indicators_of(
    app: &TestApp,
    auth: &Auth,
    specs: &[(&str, Option<f64>, Option<f64>)],
) -> (i64, Vec<i64>) {
    let deputy = app.create_deputy("Төлеуов Асан", kato::BAIZAK);
    let roadmap = new_roadmap(app, auth, "Салмақ").await;
    let res = app
        .post(
            &format!("/api/v1/roadmaps/{roadmap}/sections"),
            auth,
            json!({"title": "Бөлім", "bureau_member_id": deputy}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let section = res.json()["id"].as_i64().unwrap();
    let mut ids = Vec::new();
    for (kind, weight, target) in specs {
        let res = app.post("/api/v1/indicators", auth, json!({
            "roadmap_id": roadmap, "section_id": section, "title": "Көрсеткіш", "kind": kind,
            "territory_id": app.territory(kato::BAIZAK), "due_on": "2030-12-31",
            "weight": weight, "target": target, "deputy_id": deputy, "unit": "орын"
        })).await;
        assert_eq!(res.status, 201, "{}", res.text);
        ids.push(res.json()["id"].as_i64().unwrap());
    }
    (roadmap, ids)
}

async fn with_version(app: &TestApp, auth: &Auth, path: &str, body: Value) -> Response {
    let current = app.get(path, auth).await.json();
    let version = format!("\"{}\"", current["version"]);
    app.request(
        Method::PATCH,
        path,
        auth,
        Some(body),
        &[("If-Match", &version)],
    )
    .await
}

both_backends! {
    async fn nine_hundred_fourteen_planned_eight_hundred_eighty_eight_done(app) {
        let auth = zhambyl_staff(&app).await;
        let deputy = app.create_deputy("Әбдірахманов Серік", kato::BAIZAK);
        app.create_user("deputy@r.kz", "deputy", Some(kato::SARYKEMER), Some(deputy));
        let roadmap = new_roadmap(&app, &auth, "Жол картасы 2021").await;
        // Economy: 400 in Baizak; social: 314 in Kordai (the first 5 on our deputy);
        // infrastructure: 200 in Sarykemer (a rural okrug of Baizak).
        let mut csv = String::from(HEADER);
        for i in 0..914 {
            let (section, kato) = match i {
                0..=399 => ("Экономика", kato::BAIZAK),
                400..=713 => ("Әлеуметтік сала", kato::KORDAI),
                _ => ("Инфрақұрылым", kato::SARYKEMER),
            };
            let dep = if (400..405).contains(&i) { deputy.to_string() } else { String::new() };
            csv.push_str(&format!("{section},Іс-шара {i},event,{kato},2021-12-31,,,,,{dep},\n"));
        }
        let res = post_csv(&app, &auth, roadmap, csv).await;
        assert_eq!(res.status, 201, "{}", res.text);
        assert_eq!(res.json(), json!({"indicators": 914, "sections_created": 3}));
        let all = app.get(&format!("/api/v1/indicators?roadmap_id={roadmap}&limit=200&include_total=true"), &auth).await.json();
        assert_eq!(all["total"], 914);
        // Newest first: ids run down; collect every id through the cursor.
        let mut ids: Vec<i64> = Vec::new();
        let mut page = all;
        loop {
            ids.extend(page["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()));
            let Some(cursor) = page["next_cursor"].as_str() else { break };
            page = app.get(&format!("/api/v1/indicators?roadmap_id={roadmap}&limit=200&cursor={cursor}"), &auth).await.json();
        }
        ids.sort();
        assert_eq!(ids.len(), 914);
        // Not done: 10 of economy, 16 of infrastructure.
        for (i, id) in ids.iter().enumerate() {
            if !(i < 10 || (714..730).contains(&i)) {
                done(&app, *id);
            }
        }
        let s = app.get(&format!("/api/v1/roadmaps/{roadmap}/summary"), &auth).await.json();
        assert_eq!((s["planned"].clone(), s["done"].clone(), s["percent"].clone()), (json!(914), json!(888), json!(97.2)), "{s}");
        assert_eq!(s["overdue"], 26, "past 2021-12-31 and not done");
        assert_eq!(s["weighted_percent"], Value::Null, "no weights");
        let sections = app.get(&format!("/api/v1/roadmaps/{roadmap}/sections"), &auth).await.json();
        let section_id = |title: &str| sections["items"].as_array().unwrap().iter().find(|s| s["title"] == title).unwrap()["id"].as_i64().unwrap();
        let economy = group(&s["by_section"], section_id("Экономика"));
        assert_eq!((economy["planned"].clone(), economy["done"].clone(), economy["percent"].clone()), (json!(400), json!(390), json!(97.5)));
        let infra = group(&s["by_section"], section_id("Инфрақұрылым"));
        assert_eq!((infra["planned"].clone(), infra["done"].clone(), infra["percent"].clone()), (json!(200), json!(184), json!(92.0)));
        // Districts, subtree aware: Sarykemer's indicators count for Baizak.
        let baizak = group(&s["by_territory"], app.territory(kato::BAIZAK));
        assert_eq!((baizak["planned"].clone(), baizak["done"].clone(), baizak["percent"].clone()), (json!(600), json!(574), json!(95.7)));
        let kordai = group(&s["by_territory"], app.territory(kato::KORDAI));
        assert_eq!((kordai["planned"].clone(), kordai["percent"].clone()), (json!(314), json!(100.0)));
        assert_eq!(s["by_territory"].as_array().unwrap().len(), 2);
        assert_eq!(group(&s["by_deputy"], deputy)["planned"], 5);

        // The district ranking of the year: Kordai (100%) before Baizak (95.7%).
        let r = app.get("/api/v1/roadmaps/summary?year=2021", &auth).await.json();
        assert_eq!(r["districts"][0]["id"], app.territory(kato::KORDAI), "{r}");
        assert_eq!(r["districts"][1]["percent"], 95.7);
        assert_eq!(r["percent"], 97.2);

        // A cancelled indicator leaves the denominator: 888 / 913 → 97.3.
        let res = with_version(&app, &auth, &format!("/api/v1/indicators/{}", ids[0]), json!({"status": "cancelled"})).await;
        assert_eq!(res.status, 200, "{}", res.text);
        assert_eq!(res.json()["overdue"], false);
        let s = app.get(&format!("/api/v1/roadmaps/{roadmap}/summary"), &auth).await.json();
        assert_eq!((s["planned"].clone(), s["cancelled"].clone(), s["percent"].clone()), (json!(913), json!(1), json!(97.3)));

        // District staff of Baizak see the regional plan, summed over their district only.
        app.create_user("baizak@r.kz", "district_staff", Some(kato::BAIZAK), None);
        let district = app.bearer("baizak@r.kz").await;
        let s = app.get(&format!("/api/v1/roadmaps/{roadmap}/summary"), &district).await.json();
        assert_eq!((s["planned"].clone(), s["done"].clone()), (json!(599), json!(574)), "{s}");
        // ... but do not edit it.
        let res = with_version(&app, &district, &format!("/api/v1/roadmaps/{roadmap}"), json!({"title_ru": "x"})).await;
        assert_eq!(res.status, 403, "{}", res.text);

        // The deputy sees the indicators they answer for, even in Kordai.
        let me = app.bearer("deputy@r.kz").await;
        let mine = app.get(&format!("/api/v1/indicators?deputy_id={deputy}&include_total=true"), &me).await.json();
        assert_eq!(mine["total"], 5, "{mine}");
        let first = mine["items"][0]["id"].as_i64().unwrap();
        assert_eq!(app.get(&format!("/api/v1/indicators/{first}"), &me).await.status, 200);
        // ... and reports progress on them, but on no one else's.
        let res = app.post(&format!("/api/v1/indicators/{first}/progress"), &me, json!({"done": true})).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let others = app.get("/api/v1/indicators?limit=200", &auth).await.json();
        let other = others["items"].as_array().unwrap().iter()
            .find(|i| i["deputy_id"] != json!(deputy))
            .map(|i| i["id"].as_i64().unwrap())
            .unwrap();
        let res = app.post(&format!("/api/v1/indicators/{other}/progress"), &me, json!({"done": true})).await;
        assert!(matches!(res.status.as_u16(), 403 | 404), "{}", res.text);

        // Approval needs a responsible deputy on each of the 908 others: all named.
        let res = with_version(&app, &auth, &format!("/api/v1/roadmaps/{roadmap}"), json!({"status": "approved"})).await;
        let p = res.problem(422, "validation_failed");
        assert_eq!(p["errors"].as_array().unwrap().len(), 908);
        assert!(p["errors"][0]["field"].as_str().unwrap().ends_with("].deputy_id"), "{}", p["errors"][0]);
    }

    async fn weights_progress_and_approval(app) {
        let auth = zhambyl_staff(&app).await;
        let (roadmap, ids) = indicators_of(&app, &auth, &[("event", Some(3.0), None), ("event", Some(1.0), None), ("quantitative", None, Some(10.0))]).await;
        let progress = |id: i64| format!("/api/v1/indicators/{id}/progress");
        let res = app.post(&progress(ids[0]), &auth, json!({"done": true, "comment": "Ашылды", "evidence_urls": ["https://amanat.kz/news/1"]})).await;
        assert_eq!(res.status, 201, "{}", res.text);
        // A quantity: 4 of 10 is in progress, 10 of 10 is done; every update is kept.
        assert_eq!(app.post(&progress(ids[2]), &auth, json!({"value": 4})).await.status, 201);
        let i = app.get(&format!("/api/v1/indicators/{}", ids[2]), &auth).await.json();
        assert_eq!((i["status"].clone(), i["actual"].clone()), (json!("in_progress"), json!(4.0)));
        let s = app.get(&format!("/api/v1/roadmaps/{roadmap}/summary"), &auth).await.json();
        // Weighted: 3 done of 3 + 1 + 1 (no weight counts as 1) → 60.0; plain 1 of 3.
        assert_eq!((s["percent"].clone(), s["weighted_percent"].clone(), s["in_progress"].clone()), (json!(33.3), json!(60.0), json!(1)), "{s}");
        assert_eq!(app.post(&progress(ids[2]), &auth, json!({"value": 10})).await.status, 201);
        let i = app.get(&format!("/api/v1/indicators/{}", ids[2]), &auth).await.json();
        assert_eq!(i["status"], "done");
        let list = app.get(&progress(ids[2]), &auth).await.json();
        assert_eq!(list["items"].as_array().unwrap().len(), 2);
        // Wrong kind of report: both problems at once.
        let res = app.post(&progress(ids[1]), &auth, json!({"value": 1, "evidence_urls": ["javascript:x"]})).await;
        let p = res.problem(422, "validation_failed");
        let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert!(fields.contains(&"value") && fields.contains(&"done") && fields.contains(&"evidence_urls[0]"), "{fields:?}");
        // Every indicator has a deputy: approval goes through, then the history shows it.
        let res = with_version(&app, &auth, &format!("/api/v1/roadmaps/{roadmap}"), json!({"status": "approved"})).await;
        assert_eq!(res.status, 200, "{}", res.text);
        assert_eq!(res.json()["status"], "approved");
        let res = with_version(&app, &auth, &format!("/api/v1/roadmaps/{roadmap}"), json!({"status": "approved", "title_ru": "x"})).await;
        assert_eq!(res.status, 200, "{}", res.text);
    }

    async fn progress_is_dated_no_later_than_today_in_kazakhstan(app) {
        // 20:00 UTC on 1 December is already 2 December in Almaty.
        let app = respawn_at(app, "2026-12-01T20:00:00Z").await;
        let auth = zhambyl_staff(&app).await;
        let (_, ids) = indicators_of(&app, &auth, &[("event", None, None)]).await;
        let path = format!("/api/v1/indicators/{}/progress", ids[0]);
        let res = app.post(&path, &auth, json!({"date": "2026-12-03", "done": true, "value": 1})).await;
        let errors = res.problem(422, "validation_failed")["errors"].clone();
        assert_eq!(errors.as_array().unwrap().len(), 2, "every bad field at once: {errors}");
        assert!(errors.as_array().unwrap().iter().any(|e| e["field"] == "date" && e["code"] == "date_in_future"), "{errors}");
        let list = app.get(&path, &auth).await.json();
        assert_eq!(list["items"], json!([]), "nothing was recorded");
        let res = app.post(&path, &auth, json!({"date": "2026-12-02", "done": false})).await;
        assert_eq!(res.status, 201, "today in Kazakhstan: {}", res.text);
        let res = app.post(&path, &auth, json!({"done": true})).await;
        assert_eq!(res.status, 201, "{}", res.text);
        assert_eq!(res.json()["date"], "2026-12-02", "no date is today's");
    }

    async fn an_import_with_bad_rows_reports_them_all_and_writes_nothing(app) {
        let auth = zhambyl_staff(&app).await;
        let roadmap = new_roadmap(&app, &auth, "Импорт").await;
        let csv = format!(
            "{HEADER}Экономика,Бір,event,{b},2021-13-01,,,,,,\nЭкономика,Екі,event,{b},2021-06-01,,,,,,\nЭкономика,Үш,meeting,{b},2021-06-01,,,,abc,,\n",
            b = kato::BAIZAK
        );
        let before = indicator_count(&app);
        let res = post_csv(&app, &auth, roadmap, csv).await;
        let p = res.problem(422, "validation_failed");
        let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["rows[0].due_on", "rows[2].weight", "rows[2].kind"], "{p}");
        assert_eq!(indicator_count(&app), before);
        let sections = app.get(&format!("/api/v1/roadmaps/{roadmap}/sections"), &auth).await.json();
        assert_eq!(sections["items"], json!([]), "no section was created either");
        let template = app.get("/api/v1/roadmaps/import/template?format=csv", &auth).await;
        assert_eq!(template.status, 200);
        assert!(template.text.contains(HEADER.trim_end()), "{}", template.text);
        // The XLSX template, filled in as it comes, imports as it is (dates typed as dates).
        let Auth::Bearer(token) = &auth else { unreachable!() };
        let xlsx = app.client.get(app.url("/api/v1/roadmaps/import/template?format=xlsx")).bearer_auth(token).send().await.unwrap();
        assert_eq!(xlsx.status(), 200);
        let bytes = xlsx.bytes().await.unwrap().to_vec();
        let res = post_file(&app, &auth, roadmap, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", bytes).await;
        assert_eq!(res.status, 201, "{}", res.text);
        assert_eq!(res.json(), json!({"indicators": 1, "sections_created": 1}));
        let i = app.get(&format!("/api/v1/indicators?roadmap_id={roadmap}"), &auth).await.json();
        assert_eq!((i["items"][0]["due_on"].clone(), i["items"][0]["territory_id"].clone()), (json!("2021-12-31"), json!(app.territory(kato::BAIZAK))));
        let res = post_file(&app, &auth, roadmap, "application/json", b"{}".to_vec()).await;
        assert_eq!(res.status, 415);
    }
}
