//! Users and API keys administration, and the audit trail they leave.

use diesel::connection::SimpleConnection;
use reqwest::Method;
use serde_json::json;

use crate::both_backends;
use crate::fixtures::admin;
use crate::helpers::*;

both_backends! {
    async fn user_validation_lists_every_bad_field(app) {
        let admin = admin(&app).await;
        let res = app.post("/api/v1/users", &admin, json!({
            "email": "not-an-email", "display_name": "", "password": "short", "role": "boss", "territory_id": 999999
        })).await;
        let body = res.problem(422, "validation_failed");
        let mut fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        fields.sort();
        assert_eq!(fields, ["display_name", "email", "password", "role", "territory_id"]);
        let count: i64 = {
            use baqylau::db::schema::users;
            use diesel::prelude::*;
            users::table.count().get_result(&mut *app.conn()).unwrap()
        };
        assert_eq!(count, 1, "nothing half-written");
    }

    async fn users_are_created_read_and_patched_with_if_match(app) {
        let admin = admin(&app).await;
        let baizak = app.territory(kato::BAIZAK);
        let res = app.post("/api/v1/users", &admin, json!({
            "email": "Aigul@Test.kz", "display_name": "Айгүл", "password": "жеткілікті-ұзын", "role": "district_staff", "territory_id": baizak
        })).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let id = res.json()["id"].as_i64().unwrap();
        assert_eq!(res.json()["email"], "aigul@test.kz");
        assert_eq!(res.header("location").unwrap(), format!("/api/v1/users/{id}"));
        assert_eq!(res.header("etag").unwrap(), "\"1\"");
        app.post("/api/v1/users", &admin, json!({
            "email": "aigul@test.kz", "display_name": "Again", "password": "жеткілікті-ұзын", "role": "viewer"
        })).await.problem(409, "email_taken");

        let path = format!("/api/v1/users/{id}");
        app.request(Method::PATCH, &path, &admin, Some(json!({"display_name": "Айгүл С."})), &[]).await.problem(428, "precondition_required");
        app.request(Method::PATCH, &path, &admin, Some(json!({"display_name": "Айгүл С."})), &[("If-Match", "\"7\"")]).await.problem(412, "precondition_failed");
        let res = app.request(Method::PATCH, &path, &admin, Some(json!({"display_name": "Айгүл С.", "role": "regional_staff", "territory_id": null})), &[("If-Match", "\"1\"")]).await;
        assert_eq!(res.status, 200, "{}", res.text);
        assert_eq!(res.json()["version"], 2);
        assert_eq!(res.json()["territory_id"], serde_json::Value::Null);
        let res = app.get(&path, &admin).await;
        assert_eq!(res.json()["display_name"], "Айгүл С.");
        // The user may read themselves, not others.
        let own = app.bearer_with("aigul@test.kz", "жеткілікті-ұзын").await;
        assert_eq!(app.get(&path, &own).await.status, 200);
        app.get("/api/v1/users/1", &own).await.problem(403, "forbidden");

        let list = app.get("/api/v1/users?include_total=true&limit=1", &admin).await.json();
        assert_eq!(list["total"], 2);
        assert_eq!(list["items"].as_array().unwrap().len(), 1);
        let next = list["next_cursor"].as_str().unwrap();
        let page2 = app.get(&format!("/api/v1/users?limit=1&cursor={next}"), &admin).await.json();
        assert_eq!(page2["items"][0]["email"], "root@test.kz");
        assert!(page2["next_cursor"].is_null());
    }

    async fn api_keys_show_the_secret_once_and_can_be_revoked(app) {
        let admin = admin(&app).await;
        let res = app.post("/api/v1/api-keys", &admin, json!({"name": "akimat", "scopes": ["appeals:read", "nope"]})).await;
        let body = res.problem(422, "validation_failed");
        assert_eq!(body["errors"][0]["field"], "scopes[1]");
        let res = app.post("/api/v1/api-keys", &admin, json!({"name": "akimat", "scopes": ["appeals:read"]})).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let created = res.json();
        let secret = created["secret"].as_str().unwrap().to_owned();
        let id = created["id"].as_i64().unwrap();
        let listed = app.get("/api/v1/api-keys", &admin).await;
        assert!(!listed.text.contains(&secret), "the secret is never listed");
        assert!(listed.json()["items"][0]["last_used_at"].is_null());
        let key = Auth::Key(secret.clone());
        let me = app.get("/api/v1/me", &key).await;
        assert_eq!(me.status, 200, "{}", me.text);
        assert_eq!(me.json()["kind"], "api_key");
        let listed = app.get("/api/v1/api-keys", &admin).await.json();
        assert!(listed["items"][0]["last_used_at"].is_string(), "use is recorded");
        let tampered = Auth::Key(format!("{}x", secret));
        app.get("/api/v1/me", &tampered).await.problem(401, "unauthorized");
        assert_eq!(app.request(Method::DELETE, &format!("/api/v1/api-keys/{id}"), &admin, None, &[]).await.status, 204);
        app.get("/api/v1/me", &key).await.problem(401, "unauthorized");
    }

    async fn every_kind_of_change_is_audited_in_an_intact_chain(app) {
        let admin = admin(&app).await;
        let res = app.post("/api/v1/users", &admin, json!({"email": "a@test.kz", "display_name": "A", "password": "a-long-password", "role": "viewer"})).await;
        let uid = res.json()["id"].as_i64().unwrap();
        app.request(Method::PATCH, &format!("/api/v1/users/{uid}"), &admin, Some(json!({"password": "another-long-password", "display_name": "B"})), &[("If-Match", "\"1\"")]).await;
        let key = app.post("/api/v1/api-keys", &admin, json!({"name": "k", "scopes": ["appeals:read"]})).await.json();
        app.request(Method::DELETE, &format!("/api/v1/api-keys/{}", key["id"]), &admin, None, &[]).await;
        let t = app.post("/api/v1/territories", &admin, json!({"parent_id": app.territory(kato::SARYKEMER), "level": "settlement", "kato_code": "313630999", "name_ru": "с.Тестовое"})).await;
        assert_eq!(t.status, 201, "{}", t.text);
        let tid = t.json()["id"].as_i64().unwrap();
        let res = app.request(Method::PATCH, &format!("/api/v1/territories/{tid}"), &admin, Some(json!({"name_kk": "Тест ауылы"})), &[("If-Match", "\"1\"")]).await;
        assert_eq!(res.status, 200, "{}", res.text);

        let trail = app.get("/api/v1/audit?limit=200", &admin).await;
        assert_eq!(trail.status, 200, "{}", trail.text);
        let items = trail.json()["items"].as_array().unwrap().clone();
        let has = |entity: &str, action: &str| items.iter().any(|i| i["entity"] == entity && i["action"] == action);
        for (entity, action) in [("user", "create"), ("user", "update"), ("api_key", "create"), ("api_key", "revoke"), ("territory", "create"), ("territory", "update")] {
            assert!(has(entity, action), "missing audit row {entity} {action}");
        }
        let update = items.iter().find(|i| i["entity"] == "user" && i["action"] == "update").unwrap();
        assert_eq!(update["changes"]["display_name"], json!({"from": "A", "to": "B"}));
        assert_eq!(update["changes"]["password"]["to"], "[redacted]");
        assert_eq!(update["actor_label"], "root@test.kz");
        assert!(!trail.text.contains("another-long-password") && !trail.text.contains("$argon2"));
        let filtered = app.get(&format!("/api/v1/audit?entity=user&entity_id={uid}"), &admin).await.json();
        assert_eq!(filtered["items"].as_array().unwrap().len(), 2);

        let mut conn = app.conn();
        assert!(matches!(baqylau::audit::verify(&mut conn).unwrap(), baqylau::audit::Verification::Intact { .. }));
        // The database refuses edits outright.
        assert!(conn.batch_execute("UPDATE audit_log SET actor_label = 'someone else' WHERE id = 2").is_err());
        assert!(conn.batch_execute("DELETE FROM audit_log WHERE id = 2").is_err());
        // And if someone with the power to drop the guard edits a row, the chain shows it.
        let drop_guard = match app.backend {
            Backend::Sqlite => "DROP TRIGGER audit_log_no_update",
            Backend::Postgres => "DROP TRIGGER audit_log_no_change ON audit_log",
        };
        conn.batch_execute(drop_guard).unwrap();
        conn.batch_execute("UPDATE audit_log SET actor_label = 'someone else' WHERE id = 2").unwrap();
        match baqylau::audit::verify(&mut conn).unwrap() {
            baqylau::audit::Verification::Broken { at_id, .. } => assert_eq!(at_id, 2),
            other => panic!("tampering went unnoticed: {other:?}"),
        }
    }
}

impl TestApp {
    pub async fn bearer_with(&self, email: &str, password: &str) -> Auth {
        let res = self.login(email, password).await;
        assert_eq!(res.status, 200, "{}", res.text);
        Auth::Bearer(res.json()["access_token"].as_str().unwrap().to_owned())
    }
}
