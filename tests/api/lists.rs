//! `kit::list` as every list uses it: sort keys ascending and descending, pages without
//! duplicates or gaps, cursors bound to their order, every bad parameter in one 422.

use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::*;

async fn staff(app: &TestApp) -> Auth {
    app.create_user("baizak@l.kz", "district_staff", Some(kato::BAIZAK), None);
    app.bearer("baizak@l.kz").await
}

async fn new_deputy(app: &TestApp, auth: &Auth, name: &str) -> i64 {
    let res = app
        .post(
            "/api/v1/deputies",
            auth,
            json!({"full_name": name, "level": "district", "maslikhat_territory_id": app.territory(kato::BAIZAK), "okrug": "№ 7 сайлау округі"}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    res.json()["id"].as_i64().unwrap()
}

/// Every item of a list, two per page, following `next_cursor` to the end.
async fn walk(app: &TestApp, auth: &Auth, query: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/deputies?{query}&limit=2&cursor={c}"),
            None => format!("/api/v1/deputies?{query}&limit=2"),
        };
        let page = app.get(&path, auth).await.json();
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return items,
        }
    }
}

fn field(items: &[Value], name: &str) -> Vec<Value> {
    items.iter().map(|i| i[name].clone()).collect()
}

both_backends! {
    async fn sort_keys_page_both_ways_without_gaps(app) {
        let auth = staff(&app).await;
        let mut made = Vec::new();
        for name in ["Deputy C", "Deputy A", "Deputy E", "Deputy B", "Deputy D"] {
            made.push(new_deputy(&app, &auth, name).await);
        }
        let names = |items: &[Value]| field(items, "full_name");
        let up = walk(&app, &auth, "sort=full_name").await;
        assert_eq!(names(&up), ["Deputy A", "Deputy B", "Deputy C", "Deputy D", "Deputy E"]);
        let down = walk(&app, &auth, "sort=-full_name").await;
        assert_eq!(names(&down), ["Deputy E", "Deputy D", "Deputy C", "Deputy B", "Deputy A"]);
        // The tests' clock is fixed, so every creation time is equal: the id breaks ties.
        let ids = |items: &[Value]| field(items, "id").iter().map(|v| v.as_i64().unwrap()).collect::<Vec<_>>();
        assert_eq!(ids(&walk(&app, &auth, "sort=created_at").await), made);
        let mut newest = made.clone();
        newest.reverse();
        assert_eq!(ids(&walk(&app, &auth, "sort=-created_at").await), newest);
        assert_eq!(ids(&walk(&app, &auth, "sort=newest").await), newest, "the default order");
        assert_eq!(ids(&walk(&app, &auth, "level=district").await), newest, "no sort is newest");
    }

    async fn a_cursor_of_one_order_is_refused_by_another(app) {
        let auth = staff(&app).await;
        for name in ["Deputy A", "Deputy B", "Deputy C"] {
            new_deputy(&app, &auth, name).await;
        }
        let page = app.get("/api/v1/deputies?sort=full_name&limit=1", &auth).await.json();
        let cursor = page["next_cursor"].as_str().unwrap();
        app.get(&format!("/api/v1/deputies?sort=-full_name&limit=1&cursor={cursor}"), &auth)
            .await
            .problem(400, "invalid_cursor");
        app.get(&format!("/api/v1/deputies?limit=1&cursor={cursor}"), &auth)
            .await
            .problem(400, "invalid_cursor");
        app.get(&format!("/api/v1/receptions?sort=title&limit=1&cursor={cursor}"), &auth)
            .await
            .problem(400, "invalid_cursor");
        let again = app.get(&format!("/api/v1/deputies?sort=full_name&limit=1&cursor={cursor}"), &auth).await.json();
        assert_eq!(again["items"][0]["full_name"], "Deputy B");
    }

    async fn every_bad_parameter_is_listed_at_once(app) {
        let auth = staff(&app).await;
        let p = app
            .get("/api/v1/deputies?sort=nope&limit=0&level=x&updated_since=soon&include_total=maybe", &auth)
            .await
            .problem(422, "validation_failed");
        let mut fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        fields.sort();
        assert_eq!(fields, ["include_total", "level", "limit", "sort", "updated_since"]);
        let sort = p["errors"].as_array().unwrap().iter().find(|e| e["field"] == "sort").unwrap();
        assert_eq!(sort["code"], "one_of");
        let message = sort["message"].as_str().unwrap();
        assert!(message.contains("-full_name") && message.contains("created_at"), "{message}");
        app.get("/api/v1/receptions?sort=-nope", &auth).await.problem(422, "validation_failed");
        app.get("/api/v1/indicators?sort=title&limit=1", &auth).await.json();
    }
}
