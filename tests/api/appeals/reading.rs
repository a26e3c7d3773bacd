//! Reading appeals: masking, deputies' reach, search, filters, sync, export.

use std::collections::HashSet;

use reqwest::Method;
use serde_json::{json, Value};

use super::*;
use crate::both_backends;

both_backends! {
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
