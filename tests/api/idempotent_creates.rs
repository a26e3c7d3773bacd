//! `Idempotency-Key` on the creations that gained it with the one create shape: users,
//! API keys and webhooks answer a retry like appeals do (same resource, 201), refuse the
//! key with another body (409), and a key's secret is never shown again.

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::*;

fn count(app: &TestApp, table: &str) -> i64 {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
        .get_result::<N>(&mut *app.conn())
        .unwrap()
        .n
}

/// Posts `body` twice with one key, then a changed body with the same key: the retry
/// answers 201 with the first resource, the changed body 409, and one row is made.
async fn replays(
    app: &TestApp,
    auth: &Auth,
    path: &str,
    table: &str,
    body: Value,
    changed: Value,
) -> (Value, Value) {
    // One key per path: a caller's key names one creation, of one kind.
    let key = [("Idempotency-Key", path)];
    let before = count(app, table);
    let first = app
        .request(Method::POST, path, auth, Some(body.clone()), &key)
        .await;
    assert_eq!(first.status, 201, "{path}: {}", first.text);
    let again = app
        .request(Method::POST, path, auth, Some(body), &key)
        .await;
    assert_eq!(again.status, 201, "{path}: {}", again.text);
    assert_eq!(again.json()["id"], first.json()["id"], "{path}");
    assert_eq!(
        again.headers.get("location"),
        first.headers.get("location"),
        "{path}"
    );
    let conflict = app
        .request(Method::POST, path, auth, Some(changed), &key)
        .await;
    conflict.problem(409, "idempotency_key_reused");
    assert_eq!(count(app, table), before + 1, "{path}: one row");
    (first.json(), again.json())
}

both_backends! {
    async fn users_keys_and_webhooks_replay_a_retried_creation(app) {
        app.create_user("root@idem.kz", "admin", None, None);
        let admin = app.bearer("root@idem.kz").await;

        let user = json!({"email": "new@idem.kz", "display_name": "Жаңа қызметкер", "password": "long-enough-password", "role": "viewer"});
        let user_again = user.clone();
        let mut other_user = user.clone();
        other_user["display_name"] = json!("Другой сотрудник");
        let (first, again) = replays(&app, &admin, "/api/v1/users", "users", user, other_user).await;
        assert_eq!(first, again);
        // The password is left out of the stored hash (it is kept for days): a retry that
        // differs only in it replays the first creation.
        let mut new_password = user_again.clone();
        new_password["password"] = json!("another-long-enough-password");
        let replay = app
            .request(Method::POST, "/api/v1/users", &admin, Some(new_password), &[("Idempotency-Key", "/api/v1/users")])
            .await;
        assert_eq!(replay.status, 201, "{}", replay.text);
        assert_eq!(replay.json()["id"], first["id"]);

        let key = json!({"name": "CRM", "scopes": ["appeals:read"]});
        let (first, again) = replays(&app, &admin, "/api/v1/api-keys", "api_keys", key, json!({"name": "CRM", "scopes": ["appeals:write"]})).await;
        let secret = first["secret"].as_str().unwrap();
        assert!(!secret.is_empty());
        // The secret is stored only as a hash: the replay names the same key without it.
        assert_eq!(again["secret"], "");
        assert_eq!(again["prefix"], first["prefix"]);
        let works = app.get("/api/v1/appeals", &Auth::Key(secret.to_owned())).await;
        assert_eq!(works.status, 200, "{}", works.text);

        let hook = json!({"url": "https://crm.example.kz/hook", "secret": "receiver-shared-secret-0123456789", "event_types": ["appeal.created"]});
        let mut other_hook = hook.clone();
        other_hook["event_types"] = json!(["appeal.deleted"]);
        let (first, again) = replays(&app, &admin, "/api/v1/webhooks", "webhooks", hook, other_hook).await;
        assert_eq!(first, again);
        assert!(!first.to_string().contains("receiver-shared-secret"));
    }
}
