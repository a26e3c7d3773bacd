//! Read downwards and where it visits you; write only what your territory organises; and
//! every deputy a body names is one the caller may reach (issue 18, findings 2–5).

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::*;

async fn send(app: &TestApp, auth: &Auth, method: Method, path: &str, body: Value) -> Response {
    app.request(method, path, auth, Some(body), &[("If-Match", "*")])
        .await
}

async fn created(app: &TestApp, auth: &Auth, path: &str, body: Value) -> i64 {
    let res = app.post(path, auth, body).await;
    assert_eq!(res.status, 201, "{path}: {}", res.text);
    res.json()["id"].as_i64().unwrap()
}

fn reception(app: &TestApp, kind: &str, organiser: &str, visits: &[&str]) -> Value {
    json!({
        "kind": kind,
        "title": "Парасат пікірсайыс клубы",
        "level": if organiser == kato::ZHAMBYL { "regional" } else { "district" },
        "territory_id": app.territory(organiser),
        "settlement_ids": visits.iter().map(|k| app.territory(k)).collect::<Vec<_>>(),
        "planned_start": "2026-12-20T04:00:00Z",
        "planned_end": "2026-12-20T07:00:00Z"
    })
}

fn assert_forbidden(res: &Response, what: &str) {
    assert_eq!(res.status, 403, "{what}: {}", res.text);
    res.problem(403, "forbidden");
}

/// The `code` recorded against `field` in a 422.
fn field_code(res: &Response, field: &str) -> String {
    let p = res.problem(422, "validation_failed");
    p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == field)
        .unwrap_or_else(|| panic!("no error on {field}: {}", res.text))["code"]
        .as_str()
        .unwrap()
        .to_owned()
}

both_backends! {
    async fn a_visited_okrug_reads_the_district_session_but_does_not_change_it(app) {
        app.create_user("baizak@w.kz", "district_staff", Some(kato::BAIZAK), None);
        let district = app.bearer("baizak@w.kz").await;
        let deputy = app.create_deputy("Сарыкемер депутаты", kato::BAIZAK);
        app.create_user("deputy@w.kz", "deputy", Some(kato::SARYKEMER), Some(deputy));
        let me = app.bearer("deputy@w.kz").await;
        let id = created(&app, &district, "/api/v1/receptions",
            reception(&app, "debate_club", kato::BAIZAK, &[kato::SARYKEMER])).await;
        let path = format!("/api/v1/receptions/{id}");

        // The deputy of the visited okrug sees the session, with nothing offered to change.
        let seen = app.get(&path, &me).await;
        assert_eq!(seen.status, 200, "{}", seen.text);
        assert_eq!(seen.json()["allowed_transitions"], json!([]));
        // ... and changes none of it.
        assert_forbidden(&send(&app, &me, Method::PATCH, &path, json!({"title": "Басқа"})).await, "PATCH");
        assert_forbidden(&send(&app, &me, Method::POST, &format!("{path}/transitions"), json!({"to": "cancelled"})).await, "cancel");
        assert_forbidden(&send(&app, &me, Method::PUT, &format!("{path}/agenda"), json!({"topics": [{"title": "Басқа тақырып"}]})).await, "agenda");
        assert_forbidden(&send(&app, &me, Method::POST, &format!("{path}/proposals"), json!({"text": "Ұсыныс"})).await, "proposal");
        assert_forbidden(&app.request(Method::DELETE, &path, &me, None, &[("If-Match", "*")]).await, "DELETE");
        let after = app.get(&path, &district).await.json();
        assert_eq!((after["title"].clone(), after["status"].clone(), after["version"].clone()),
                   (json!("Парасат пікірсайыс клубы"), json!("planned"), seen.json()["version"].clone()));
        assert_eq!(app.get(&format!("{path}/proposals"), &district).await.json()["items"], json!([]));

        // The organiser still does.
        let res = send(&app, &district, Method::PATCH, &path, json!({"title": "Жаңа атау"})).await;
        assert_eq!(res.status, 200, "{}", res.text);
        assert!(!res.json()["allowed_transitions"].as_array().unwrap().is_empty());
    }

    async fn district_staff_read_the_regional_reception_but_do_not_change_it(app) {
        app.create_user("region@w.kz", "regional_staff", Some(kato::ZHAMBYL), None);
        app.create_user("baizak@w.kz", "district_staff", Some(kato::BAIZAK), None);
        let region = app.bearer("region@w.kz").await;
        let district = app.bearer("baizak@w.kz").await;
        let id = created(&app, &region, "/api/v1/receptions",
            reception(&app, "mobile_reception", kato::ZHAMBYL, &[kato::SARYKEMER])).await;
        let path = format!("/api/v1/receptions/{id}");
        assert_eq!(app.get(&path, &district).await.status, 200);

        assert_forbidden(&send(&app, &district, Method::PATCH, &path, json!({"title": "Басқа"})).await, "retitle");
        assert_forbidden(&send(&app, &district, Method::PUT, &format!("{path}/participants"),
            json!({"participants": [{"full_name": "Бөтен адам", "role": "official"}]})).await, "participants");
        assert_forbidden(&send(&app, &district, Method::PATCH, &path,
            json!({"settlement_ids": [app.territory(kato::KORDAI)]})).await, "settlements");
        let after = app.get(&path, &region).await.json();
        assert_eq!(after["settlement_ids"], json!([app.territory(kato::SARYKEMER)]));
        assert_eq!(after["participants"], json!([]));
    }

    async fn the_reception_report_lists_only_the_overdue_appeals_the_caller_may_see(app) {
        app.create_user("region@w.kz", "regional_staff", Some(kato::ZHAMBYL), None);
        app.create_user("baizak@w.kz", "district_staff", Some(kato::BAIZAK), None);
        let region = app.bearer("region@w.kz").await;
        let district = app.bearer("baizak@w.kz").await;
        let id = created(&app, &region, "/api/v1/receptions",
            reception(&app, "mobile_reception", kato::ZHAMBYL, &[kato::SARYKEMER])).await;
        let appeal = |kato_code: &str, name: &str| json!({
            "category": "UTIL_WATER",
            "territory_id": app.territory(kato_code),
            "citizen": {"full_name": name, "address": format!("{name} көшесі 5")},
            "subject": "Ауыз су",
            "description": format!("Ауылда ауыз су жоқ. {name}"),
            "language": "kk",
            "received_at": "2026-01-05T05:00:00Z"
        });
        let res = app.post(&format!("/api/v1/receptions/{id}/appeals"), &region,
            json!({"appeals": [appeal(kato::SARYKEMER, "Сарыкемерлік"), appeal(kato::KORDAI, "Қордайлық Көрші")]})).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let kordai = res.json()["items"][1]["id"].as_i64().unwrap();
        assert_eq!(app.get(&format!("/api/v1/appeals/{kordai}"), &district).await.status, 404);

        let report = app.get(&format!("/api/v1/receptions/{id}/report"), &district).await;
        assert_eq!(report.status, 200, "{}", report.text);
        assert!(!report.text.contains("Қордайлық"), "the report leaks a Kordai appeal: {}", report.text);
        let overdue = report.json()["overdue"].as_array().unwrap().clone();
        assert_eq!(overdue.len(), 1, "{}", report.text);
        // The region sees both.
        let full = app.get(&format!("/api/v1/receptions/{id}/report"), &region).await.json();
        assert_eq!(full["overdue"].as_array().unwrap().len(), 2);
        assert_eq!(full["appeals_taken"], 2);
    }

    async fn district_staff_change_no_indicator_of_the_regional_road_map(app) {
        app.create_user("region@w.kz", "regional_staff", Some(kato::ZHAMBYL), None);
        app.create_user("baizak@w.kz", "district_staff", Some(kato::BAIZAK), None);
        let region = app.bearer("region@w.kz").await;
        let district = app.bearer("baizak@w.kz").await;
        let deputy = app.create_deputy("Байзақ депутаты", kato::BAIZAK);
        let roadmap = created(&app, &region, "/api/v1/roadmaps", json!({"title_kk": "Облыс", "title_ru": "Область",
            "kind": "regional", "territory_id": app.territory(kato::ZHAMBYL), "year": 2026})).await;
        let section = created(&app, &region, &format!("/api/v1/roadmaps/{roadmap}/sections"), json!({"title": "Су"})).await;
        let indicator = json!({"roadmap_id": roadmap, "section_id": section, "title": "Құбыр",
            "territory_id": app.territory(kato::SARYKEMER), "kind": "event", "due_on": "2026-12-31"});
        let id = created(&app, &region, "/api/v1/indicators", indicator.clone()).await;
        let path = format!("/api/v1/indicators/{id}");

        assert_forbidden(&app.post("/api/v1/indicators", &district, indicator).await, "POST /indicators");
        assert_forbidden(&send(&app, &district, Method::PATCH, &path, json!({"status": "cancelled"})).await, "status");
        assert_forbidden(&send(&app, &district, Method::PATCH, &path, json!({"deputy_id": deputy})).await, "deputy");
        let after = app.get(&path, &district).await.json();
        assert_eq!((after["status"].clone(), after["deputy_id"].clone()), (json!("planned"), Value::Null));
        // Reporting progress on the regional plan in their district is theirs to do.
        let res = app.post(&format!("{path}/progress"), &district, json!({"done": true})).await;
        assert_eq!(res.status, 201, "{}", res.text);
    }

    async fn no_body_names_a_deputy_out_of_the_callers_reach(app) {
        app.create_user("baizak@w.kz", "district_staff", Some(kato::BAIZAK), None);
        let district = app.bearer("baizak@w.kz").await;
        let ours = app.create_deputy("Байзақ депутаты", kato::BAIZAK);
        let foreign = app.create_deputy("Қордай депутаты", kato::KORDAI);
        assert_eq!(app.get(&format!("/api/v1/deputies/{foreign}"), &district).await.status, 404);
        let sarykemer = app.territory(kato::SARYKEMER);

        // Road maps: a section's Bureau member, an indicator's deputy and council member.
        let roadmap = created(&app, &district, "/api/v1/roadmaps", json!({"title_kk": "Аудан", "title_ru": "Район",
            "kind": "territorial", "territory_id": app.territory(kato::BAIZAK), "year": 2026})).await;
        let res = app.post(&format!("/api/v1/roadmaps/{roadmap}/sections"), &district,
            json!({"title": "Су", "bureau_member_id": foreign})).await;
        assert_eq!(field_code(&res, "bureau_member_id"), "out_of_scope");
        let section = created(&app, &district, &format!("/api/v1/roadmaps/{roadmap}/sections"),
            json!({"title": "Су", "bureau_member_id": ours})).await;
        let indicator = json!({"roadmap_id": roadmap, "section_id": section, "title": "Құбыр",
            "territory_id": sarykemer, "kind": "event", "due_on": "2021-12-31", "deputy_id": ours});
        let mut bad = indicator.clone();
        bad["deputy_id"] = json!(foreign);
        bad["council_member_id"] = json!(foreign);
        let res = app.post("/api/v1/indicators", &district, bad).await;
        assert_eq!(field_code(&res, "deputy_id"), "out_of_scope");
        assert_eq!(field_code(&res, "council_member_id"), "out_of_scope");
        let id = created(&app, &district, "/api/v1/indicators", indicator).await;
        let res = send(&app, &district, Method::PATCH, &format!("/api/v1/indicators/{id}"), json!({"deputy_id": foreign})).await;
        assert_eq!(field_code(&res, "deputy_id"), "out_of_scope");
        let res = send(&app, &district, Method::PATCH, &format!("/api/v1/indicators/{id}"), json!({"council_member_id": foreign})).await;
        assert_eq!(field_code(&res, "council_member_id"), "out_of_scope");
        // ... nor in a row of an import.
        let Auth::Bearer(token) = &district else { unreachable!() };
        let csv = format!(
            "section,title,kind,territory_kato,due_on,unit,baseline,target,weight,deputy_id,council_member_id\n\
             Су,Құбыр,event,{},2021-12-31,,,,,{foreign},\n",
            kato::SARYKEMER
        );
        let res = app.client.post(app.url(&format!("/api/v1/roadmaps/{roadmap}/import"))).bearer_auth(token)
            .header("Content-Type", "text/csv").body(csv).send().await.unwrap();
        let res = Response { status: res.status(), headers: res.headers().clone(), text: res.text().await.unwrap() };
        assert_eq!(field_code(&res, "rows[0].deputy_id"), "out_of_scope");
        // Nothing moved the foreign deputy's figures.
        let indicators = app.get(&format!("/api/v1/indicators?deputy_id={foreign}&include_total=true"), &district).await.json();
        assert_eq!(indicators["total"], 0, "{indicators}");

        // Receptions: a participant, on planning and on replacing the list.
        let mut plan = reception(&app, "mobile_reception", kato::BAIZAK, &[kato::SARYKEMER]);
        plan["participants"] = json!([{"deputy_id": foreign, "full_name": "Қордай депутаты", "role": "deputy"}]);
        let res = app.post("/api/v1/receptions", &district, plan).await;
        assert_eq!(field_code(&res, "participants[0].deputy_id"), "out_of_scope");
        let rid = created(&app, &district, "/api/v1/receptions", reception(&app, "mobile_reception", kato::BAIZAK, &[kato::SARYKEMER])).await;
        let res = send(&app, &district, Method::PUT, &format!("/api/v1/receptions/{rid}/participants"),
            json!({"participants": [{"deputy_id": foreign, "full_name": "Қордай депутаты", "role": "deputy"}]})).await;
        assert_eq!(field_code(&res, "participants[0].deputy_id"), "out_of_scope");

        // Appeals: the assignee.
        let appeal = created(&app, &district, "/api/v1/appeals", json!({"channel": "reception_room", "category": "UTIL_WATER",
            "territory_id": sarykemer, "citizen": {"full_name": "Тұрғын"}, "subject": "Су",
            "description": "Ауылда ауыз су жоқ.", "language": "kk"})).await;
        let path = format!("/api/v1/appeals/{appeal}/transitions");
        let res = send(&app, &district, Method::POST, &path, json!({"to": "under_control"})).await;
        assert_eq!(res.status, 200, "{}", res.text);
        let res = send(&app, &district, Method::POST, &path, json!({"to": "assigned", "deputy_id": foreign})).await;
        assert_eq!(field_code(&res, "deputy_id"), "out_of_scope");

        // Assignments: the deputy bound.
        let res = app.post("/api/v1/assignments", &district,
            json!({"deputy_id": foreign, "territory_id": sarykemer, "starts_on": "2026-01-01"})).await;
        assert_eq!(field_code(&res, "deputy_id"), "out_of_scope");
        // An unknown one is still `unknown`.
        let res = send(&app, &district, Method::POST, &path, json!({"to": "assigned", "deputy_id": 999_999})).await;
        assert_eq!(field_code(&res, "deputy_id"), "unknown");
    }
}
