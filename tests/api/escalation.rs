//! A territory-bound admin stays inside its subtree: it cannot create, move or link
//! anything outside it, and nobody can widen their own scope. Deputies need a territory.

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::*;

/// An unbound admin, a Baizak-bound admin, and a deputy record in each of Baizak and
/// Kordai districts.
struct World {
    root: Auth,
    bound: Auth,
    bound_id: i64,
    baizak_deputy: i64,
    kordai_deputy: i64,
}

async fn world(app: &TestApp) -> World {
    app.create_user("root@esc.kz", "admin", None, None);
    let bound_id = app.create_user("baizak-admin@esc.kz", "admin", Some(kato::BAIZAK), None);
    World {
        root: app.bearer("root@esc.kz").await,
        bound: app.bearer("baizak-admin@esc.kz").await,
        bound_id,
        baizak_deputy: app.create_deputy("Baizak deputy", kato::BAIZAK),
        kordai_deputy: app.create_deputy("Kordai deputy", kato::KORDAI),
    }
}

fn new_user(email: &str, role: &str) -> Value {
    json!({"email": email, "display_name": email, "password": PASSWORD, "role": role})
}

async fn patch_user(app: &TestApp, auth: &Auth, id: i64, body: Value) -> Response {
    let path = format!("/api/v1/users/{id}");
    let etag = app
        .get(&path, auth)
        .await
        .header("etag")
        .unwrap_or_default();
    app.request(
        Method::PATCH,
        &path,
        auth,
        Some(body),
        &[("If-Match", &etag)],
    )
    .await
}

both_backends! {
    async fn a_bound_admin_cannot_create_a_nationwide_user(app) {
        let w = world(&app).await;
        let baizak = app.territory(kato::BAIZAK);
        let res = app.post("/api/v1/users", &w.bound, new_user("made@esc.kz", "admin")).await;
        assert_eq!(res.status, 201, "{}", res.text);
        assert_eq!(res.json()["territory_id"], baizak, "inherits the creator's territory");
        let made = app.bearer("made@esc.kz").await;
        let me = app.get("/api/v1/me", &made).await.json();
        assert_eq!(me["territory_id"], baizak);
        app.get("/api/v1/audit", &made).await.problem(403, "forbidden");

        let mut body = new_user("kordai@esc.kz", "admin");
        body["territory_id"] = json!(app.territory(kato::KORDAI));
        let res = app.post("/api/v1/users", &w.bound, body).await;
        assert_eq!(res.problem(422, "validation_failed")["errors"][0]["code"], "out_of_scope");

        // The unbound admin still creates nationwide users.
        let res = app.post("/api/v1/users", &w.root, new_user("national@esc.kz", "admin")).await;
        assert_eq!(res.status, 201, "{}", res.text);
        assert_eq!(res.json()["territory_id"], Value::Null);
    }

    async fn nobody_bound_can_unbind_a_user_or_themselves(app) {
        let w = world(&app).await;
        let res = patch_user(&app, &w.bound, w.bound_id, json!({"territory_id": null})).await;
        res.problem(403, "forbidden");
        let other = app.create_user("clerk@esc.kz", "district_staff", Some(kato::SARYKEMER), None);
        patch_user(&app, &w.bound, other, json!({"territory_id": null})).await.problem(403, "forbidden");
        let res = patch_user(&app, &w.bound, other, json!({"territory_id": app.territory(kato::KORDAI)})).await;
        assert_eq!(res.problem(422, "validation_failed")["errors"][0]["code"], "out_of_scope");
        // Narrowing inside the subtree is fine, for others and for oneself.
        let sarykemer = app.territory(kato::SARYKEMER);
        let res = patch_user(&app, &w.bound, w.bound_id, json!({"territory_id": sarykemer})).await;
        assert_eq!(res.status, 200, "{}", res.text);
        // Having narrowed, the admin cannot climb back to the district.
        let res = patch_user(&app, &w.bound, w.bound_id, json!({"territory_id": app.territory(kato::BAIZAK)})).await;
        assert_eq!(res.problem(422, "validation_failed")["errors"][0]["code"], "out_of_scope");
        let stored = app.get(&format!("/api/v1/users/{}", w.bound_id), &w.root).await.json();
        assert_eq!(stored["territory_id"], sarykemer);
    }

    async fn a_bound_admin_links_only_deputies_of_its_subtree(app) {
        let w = world(&app).await;
        let mut body = new_user("dep@esc.kz", "deputy");
        body["deputy_id"] = json!(w.kordai_deputy);
        let res = app.post("/api/v1/users", &w.bound, body).await;
        let problem = res.problem(422, "validation_failed");
        assert_eq!(problem["errors"][0]["field"], "deputy_id");
        assert_eq!(problem["errors"][0]["code"], "out_of_scope");

        let viewer = app.create_user("v@esc.kz", "viewer", Some(kato::BAIZAK), None);
        let res = patch_user(&app, &w.bound, viewer, json!({"role": "deputy", "deputy_id": w.kordai_deputy})).await;
        assert_eq!(res.problem(422, "validation_failed")["errors"][0]["code"], "out_of_scope");

        let mut body = new_user("dep@esc.kz", "deputy");
        body["deputy_id"] = json!(w.baizak_deputy);
        let res = app.post("/api/v1/users", &w.bound, body).await;
        assert_eq!(res.status, 201, "{}", res.text);
    }

    async fn a_deputy_account_needs_a_territory(app) {
        let w = world(&app).await;
        let mut body = new_user("nowhere@esc.kz", "deputy");
        body["deputy_id"] = json!(w.baizak_deputy);
        let res = app.post("/api/v1/users", &w.root, body).await;
        let problem = res.problem(422, "validation_failed");
        assert_eq!(problem["errors"][0]["field"], "territory_id");
        assert_eq!(problem["errors"][0]["code"], "required");

        // An account from before the rule is refused rather than given the whole country.
        let id = app.create_user("old-deputy@esc.kz", "deputy", Some(kato::BAIZAK), Some(w.baizak_deputy));
        let old = app.bearer("old-deputy@esc.kz").await;
        {
            use baqylau::db::schema::users;
            use diesel::prelude::*;
            diesel::update(users::table.find(id))
                .set(users::territory_id.eq(None::<i64>))
                .execute(&mut *app.conn())
                .unwrap();
        }
        app.get("/api/v1/appeals", &old).await.problem(403, "forbidden");
        let res = app.post("/api/v1/appeals", &old, json!({})).await;
        res.problem(403, "forbidden");
    }

    async fn a_deputy_record_links_to_one_user(app) {
        let w = world(&app).await;
        let first = app.create_user("d1@esc.kz", "deputy", Some(kato::BAIZAK), Some(w.baizak_deputy));
        let mut body = new_user("d2@esc.kz", "deputy");
        body["deputy_id"] = json!(w.baizak_deputy);
        body["territory_id"] = json!(app.territory(kato::BAIZAK));
        app.post("/api/v1/users", &w.root, body).await.problem(409, "deputy_taken");

        let viewer = app.create_user("v2@esc.kz", "viewer", Some(kato::BAIZAK), None);
        patch_user(&app, &w.root, viewer, json!({"role": "deputy", "deputy_id": w.baizak_deputy}))
            .await
            .problem(409, "deputy_taken");
        // The holder itself may be patched with its own link.
        let res = patch_user(&app, &w.root, first, json!({"deputy_id": w.baizak_deputy, "display_name": "D1"})).await;
        assert_eq!(res.status, 200, "{}", res.text);
    }

    async fn a_bound_admin_keys_stay_in_its_subtree(app) {
        let w = world(&app).await;
        let baizak = app.territory(kato::BAIZAK);
        let res = app.post("/api/v1/api-keys", &w.bound, json!({"name": "mine", "scopes": ["appeals:read"]})).await;
        assert_eq!(res.status, 201, "{}", res.text);
        assert_eq!(res.json()["territory_id"], baizak);
        let res = app.post("/api/v1/api-keys", &w.bound, json!({"name": "far", "scopes": ["appeals:read"], "territory_id": app.territory(kato::KORDAI)})).await;
        assert_eq!(res.problem(422, "validation_failed")["errors"][0]["code"], "out_of_scope");
        let national = app.post("/api/v1/api-keys", &w.root, json!({"name": "national", "scopes": ["appeals:read"]})).await.json();
        let path = format!("/api/v1/api-keys/{}", national["id"]);
        app.request(Method::DELETE, &path, &w.bound, None, &[]).await.problem(404, "not_found");
    }

    async fn an_idempotent_replay_rechecks_the_callers_scope(app) {
        let root = { app.create_user("root@esc.kz", "admin", None, None); app.bearer("root@esc.kz").await };
        let clerk = app.create_user("clerk@esc.kz", "district_staff", Some(kato::BAIZAK), None);
        let clerk_auth = app.bearer("clerk@esc.kz").await;
        let body = json!({
            "channel": "reception_room", "category": "UTIL_WATER",
            "territory_id": app.territory(kato::SARYKEMER),
            "citizen": {"full_name": "Сейтқали Айгүл", "iin": "850715300122"},
            "subject": "Ауыз су", "description": "Ауылда ауыз су жоқ.", "language": "kk"
        });
        let first = app.request(Method::POST, "/api/v1/appeals", &clerk_auth, Some(body.clone()), &[("Idempotency-Key", "k-1")]).await;
        assert_eq!(first.status, 201, "{}", first.text);
        let again = app.request(Method::POST, "/api/v1/appeals", &clerk_auth, Some(body.clone()), &[("Idempotency-Key", "k-1")]).await;
        assert_eq!(again.json()["id"], first.json()["id"]);

        let res = patch_user(&app, &root, clerk, json!({"territory_id": app.territory(kato::KORDAI)})).await;
        assert_eq!(res.status, 200, "{}", res.text);
        let replay = app.request(Method::POST, "/api/v1/appeals", &clerk_auth, Some(body), &[("Idempotency-Key", "k-1")]).await;
        replay.problem(404, "not_found");
        assert!(!replay.text.contains("Ауыз су"));
    }
}
