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

/// Every deputy, two per page, following `next_cursor` to the end.
async fn walk(app: &TestApp, auth: &Auth, query: &str) -> Vec<Value> {
    walk_list(app, auth, "deputies", query).await
}

/// Every item of the list at `/api/v1/<list>`, two per page, following `next_cursor`.
async fn walk_list(app: &TestApp, auth: &Auth, list: &str, query: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/{list}?{query}&limit=2&cursor={c}"),
            None => format!("/api/v1/{list}?{query}&limit=2"),
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

fn ids(items: &[Value]) -> Vec<i64> {
    items.iter().map(|i| i["id"].as_i64().unwrap()).collect()
}

/// An appeal in Baizak's subtree received at `received_at`, in the territory `kato`.
async fn new_appeal(app: &TestApp, auth: &Auth, received_at: &str, kato: &str) -> i64 {
    let body = json!({
        "channel": "reception_room",
        "category": "UTIL_WATER",
        "territory_id": app.territory(kato),
        "citizen": {"full_name": "Сейтқали Айгүл"},
        "subject": "Ауыз су",
        "description": "Ақсу ауылында ауыз су жоқ.",
        "language": "kk",
        "received_at": received_at,
    });
    let res = app.post("/api/v1/appeals", auth, body).await;
    assert_eq!(res.status, 201, "{}", res.text);
    res.json()["id"].as_i64().unwrap()
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

    async fn appeal_sort_keys_page_both_ways_without_gaps(app) {
        let auth = staff(&app).await;
        // Received out of id order, in two territories of the subtree.
        let mut made = Vec::new();
        for (month, kato) in [(3, kato::SARYKEMER), (1, kato::BAIZAK), (5, kato::SARYKEMER), (2, kato::BAIZAK), (4, kato::SARYKEMER)] {
            made.push((month, new_appeal(&app, &auth, &format!("2026-0{month}-10T05:00:00Z"), kato).await));
        }
        let mut by_receipt = made.clone();
        by_receipt.sort();
        let by_receipt: Vec<i64> = by_receipt.iter().map(|(_, id)| *id).collect();
        let mut latest = by_receipt.clone();
        latest.reverse();
        assert_eq!(ids(&walk_list(&app, &auth, "appeals", "sort=received_at").await), by_receipt);
        assert_eq!(ids(&walk_list(&app, &auth, "appeals", "sort=-received_at").await), latest);
        // The deadline follows receipt; `due` was accepted before the kit and still is.
        assert_eq!(ids(&walk_list(&app, &auth, "appeals", "sort=due").await), by_receipt);
        assert_eq!(ids(&walk_list(&app, &auth, "appeals", "sort=-due").await), latest);
        let in_order: Vec<i64> = made.iter().map(|(_, id)| *id).collect();
        let mut newest = in_order.clone();
        newest.reverse();
        assert_eq!(ids(&walk_list(&app, &auth, "appeals", "").await), newest, "the default order");
        assert_eq!(ids(&walk_list(&app, &auth, "appeals", "sort=oldest").await), in_order);
        assert_eq!(ids(&walk_list(&app, &auth, "appeals", "sort=created_at").await), in_order);
        assert_eq!(ids(&walk_list(&app, &auth, "appeals", "sort=-updated_at").await), newest);
        // The district's own appeals (a shorter path) before its settlement's; ids break ties.
        let baizak: Vec<i64> = made.iter().filter(|(m, _)| *m == 1 || *m == 2).map(|(_, id)| *id).collect();
        let territory = ids(&walk_list(&app, &auth, "appeals", "sort=territory").await);
        assert_eq!(territory[..2], baizak[..]);
        let mut back = territory.clone();
        back.reverse();
        assert_eq!(ids(&walk_list(&app, &auth, "appeals", "sort=-territory").await), back);
        let statuses = walk_list(&app, &auth, "appeals", "sort=-status").await;
        assert_eq!(statuses.len(), 5, "no duplicates or gaps among equal statuses");
        let mut seen = ids(&statuses);
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 5);
    }

    async fn an_appeal_cursor_of_one_order_is_refused_by_another(app) {
        let auth = staff(&app).await;
        for month in 1..=3 {
            new_appeal(&app, &auth, &format!("2026-0{month}-10T05:00:00Z"), kato::SARYKEMER).await;
        }
        let page = app.get("/api/v1/appeals?sort=received_at&limit=1", &auth).await.json();
        let cursor = page["next_cursor"].as_str().unwrap();
        for other in ["sort=-received_at", "sort=due", "sort=newest", "updated_since=2000-01-01"] {
            app.get(&format!("/api/v1/appeals?{other}&limit=1&cursor={cursor}"), &auth)
                .await
                .problem(400, "invalid_cursor");
        }
        let p = app.get("/api/v1/appeals?sort=deadline", &auth).await.problem(422, "validation_failed");
        let message = p["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("-due") && message.contains("received_at"), "{message}");
    }

    async fn timestamps_that_were_rfc3339_only_keep_their_code(app) {
        let auth = staff(&app).await;
        app.create_user("admin@l.kz", "admin", None, None);
        let admin = app.bearer("admin@l.kz").await;
        for (path, field, who) in [
            ("/api/v1/indicators?updated_since=soon", "updated_since", &auth),
            ("/api/v1/territories?updated_since=soon", "updated_since", &auth),
            ("/api/v1/audit?from=soon", "from", &admin),
            ("/api/v1/audit?to=later", "to", &admin),
        ] {
            let p = app.get(path, who).await.problem(422, "validation_failed");
            assert_eq!(p["errors"][0]["field"], field, "{path}");
            assert_eq!(p["errors"][0]["code"], "timestamp", "{path}");
        }
        let p = app.get("/api/v1/deputies?updated_since=soon", &auth).await.problem(422, "validation_failed");
        assert_eq!(p["errors"][0]["code"], "invalid_parameter", "lists that took dates keep theirs");
    }

    async fn road_maps_and_users_sort_by_their_names(app) {
        app.create_user("admin@l.kz", "admin", None, None);
        let admin = app.bearer("admin@l.kz").await;
        for (title, year) in [("Жол картасы C", 2023), ("Жол картасы A", 2021), ("Жол картасы B", 2022)] {
            let res = app
                .post(
                    "/api/v1/roadmaps",
                    &admin,
                    json!({"title_kk": title, "title_ru": title, "kind": "regional",
                           "territory_id": app.territory(kato::ZHAMBYL), "year": year}),
                )
                .await;
            assert_eq!(res.status, 201, "{}", res.text);
        }
        let titles = |items: &[Value]| field(items, "title_ru");
        let up = walk_list(&app, &admin, "roadmaps", "sort=title_ru").await;
        assert_eq!(titles(&up), ["Жол картасы A", "Жол картасы B", "Жол картасы C"]);
        let down = walk_list(&app, &admin, "roadmaps", "sort=-year").await;
        assert_eq!(titles(&down), ["Жол картасы C", "Жол картасы B", "Жол картасы A"]);
        let newest = walk_list(&app, &admin, "roadmaps", "").await;
        assert_eq!(titles(&newest), ["Жол картасы B", "Жол картасы A", "Жол картасы C"]);

        for email in ["c@l.kz", "a@l.kz", "b@l.kz"] {
            app.create_user(email, "viewer", None, None);
        }
        let emails = |items: &[Value]| field(items, "email");
        let up = walk_list(&app, &admin, "users", "sort=email").await;
        assert_eq!(emails(&up), ["a@l.kz", "admin@l.kz", "b@l.kz", "c@l.kz"]);
        let down = walk_list(&app, &admin, "users", "sort=-email").await;
        assert_eq!(emails(&down), ["c@l.kz", "b@l.kz", "admin@l.kz", "a@l.kz"]);
        let newest = walk_list(&app, &admin, "users", "").await;
        assert_eq!(emails(&newest), ["b@l.kz", "a@l.kz", "c@l.kz", "admin@l.kz"]);
        let page = app.get("/api/v1/users?sort=email&limit=1", &admin).await.json();
        let cursor = page["next_cursor"].as_str().unwrap();
        app.get(&format!("/api/v1/users?sort=-email&limit=1&cursor={cursor}"), &admin)
            .await
            .problem(400, "invalid_cursor");
        app.get("/api/v1/roadmaps?sort=name", &admin).await.problem(422, "validation_failed");
    }
}
