//! What ends a credential (issue #18, finding 13): signing out ends the sign-in's access
//! tokens at once, not 15 minutes later; a key stops while the person who made it is
//! deactivated.

use reqwest::Method;
use serde_json::json;

use crate::both_backends;
use crate::helpers::*;

both_backends! {
    async fn signing_out_ends_the_access_tokens_of_that_sign_in_only(app) {
        app.create_user("session@test.kz", "viewer", None, None);
        let first = app.login("session@test.kz", PASSWORD).await.json();
        let second = app.login("session@test.kz", PASSWORD).await.json();
        let access = |body: &serde_json::Value| Auth::Bearer(body["access_token"].as_str().unwrap().to_owned());
        assert_eq!(app.get("/api/v1/me", &access(&first)).await.status, 200);
        // A refreshed access token belongs to the same sign-in as the first.
        let refreshed = app.post("/api/v1/auth/refresh", &Auth::None, json!({"refresh_token": first["refresh_token"]})).await;
        assert_eq!(refreshed.status, 200, "{}", refreshed.text);
        let refreshed = refreshed.json();
        assert_eq!(app.get("/api/v1/me", &access(&refreshed)).await.status, 200);

        let res = app.post("/api/v1/auth/logout", &Auth::None, json!({"refresh_token": refreshed["refresh_token"]})).await;
        assert_eq!(res.status, 204);
        for body in [&first, &refreshed] {
            app.get("/api/v1/me", &access(body)).await.problem(401, "unauthorized");
        }
        // The other sign-in (another device) goes on.
        assert_eq!(app.get("/api/v1/me", &access(&second)).await.status, 200);
    }

    async fn a_key_is_suspended_while_its_maker_is_deactivated(app) {
        let maker = app.create_user("key-maker@test.kz", "admin", None, None);
        app.create_user("key-boss@test.kz", "admin", None, None);
        let boss = app.bearer("key-boss@test.kz").await;
        let made = app.post("/api/v1/api-keys", &app.bearer("key-maker@test.kz").await, json!({"name": "reports", "scopes": ["appeals:read"]})).await;
        assert_eq!(made.status, 201, "{}", made.text);
        let key = Auth::Key(made.json()["secret"].as_str().unwrap().to_owned());
        assert_eq!(app.get("/api/v1/appeals", &key).await.status, 200);

        let user = format!("/api/v1/users/{maker}");
        let version = |res: Response| res.header("etag").unwrap();
        let etag = version(app.get(&user, &boss).await);
        let res = app.request(Method::PATCH, &user, &boss, Some(json!({"active": false})), &[("If-Match", &etag)]).await;
        assert_eq!(res.status, 200, "{}", res.text);
        let refused = app.get("/api/v1/appeals", &key).await;
        let body = refused.problem(401, "unauthorized");
        assert!(body["detail"].as_str().unwrap().contains("deactivated"), "{body}");
        // A key made by an active administrator works on.
        let reissued = app.post("/api/v1/api-keys", &boss, json!({"name": "reports", "scopes": ["appeals:read"]})).await;
        let reissued = Auth::Key(reissued.json()["secret"].as_str().unwrap().to_owned());
        assert_eq!(app.get("/api/v1/appeals", &reissued).await.status, 200);
    }
}
