//! Sign-in, refresh rotation with reuse detection, lockout, sign-out.

use serde_json::json;

use crate::both_backends;
use crate::helpers::*;

both_backends! {
    async fn login_returns_tokens_and_me(app) {
        app.create_user("staff@test.kz", "district_staff", Some(kato::BAIZAK), None);
        let res = app.login("Staff@Test.kz", PASSWORD).await;
        assert_eq!(res.status, 200, "{}", res.text);
        let body = res.json();
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(res.header("cache-control").as_deref(), Some("no-store"));
        assert_eq!(res.header("x-content-type-options").as_deref(), Some("nosniff"));
        assert_eq!(body["expires_in"], 900);
        assert_eq!(body["user"]["role"], "district_staff");
        assert!(body["user"].get("password").is_none() && body["user"].get("password_hash").is_none());
        let token = body["access_token"].as_str().unwrap();
        assert_eq!(token.split('.').count(), 3);
        let me = app.get("/api/v1/me", &Auth::Bearer(token.to_owned())).await;
        assert_eq!(me.status, 200);
        assert_eq!(me.json()["user"]["email"], "staff@test.kz");
        assert_eq!(me.json()["territory_id"], app.territory(kato::BAIZAK));
    }

    async fn unknown_email_and_wrong_password_look_the_same(app) {
        app.create_user("real@test.kz", "viewer", None, None);
        let wrong = app.login("real@test.kz", "not-the-password").await;
        let unknown = app.login("ghost@test.kz", "not-the-password").await;
        let a = wrong.problem(401, "unauthorized");
        let b = unknown.problem(401, "unauthorized");
        assert_eq!(a["detail"], b["detail"]);
    }

    async fn refresh_rotates_and_reuse_revokes_the_family(app) {
        app.create_user("r@test.kz", "viewer", None, None);
        let first = app.login("r@test.kz", PASSWORD).await.json();
        let r1 = first["refresh_token"].as_str().unwrap().to_owned();
        let second = app.post("/api/v1/auth/refresh", &Auth::None, json!({"refresh_token": r1})).await;
        assert_eq!(second.status, 200, "{}", second.text);
        let r2 = second.json()["refresh_token"].as_str().unwrap().to_owned();
        assert_ne!(r1, r2);
        // Replaying the spent token is theft: the whole family dies, r2 included.
        app.post("/api/v1/auth/refresh", &Auth::None, json!({"refresh_token": r1})).await.problem(401, "unauthorized");
        app.post("/api/v1/auth/refresh", &Auth::None, json!({"refresh_token": r2})).await.problem(401, "unauthorized");
        // Another sign-in is a separate family and still works.
        let other = app.login("r@test.kz", PASSWORD).await.json();
        let r3 = other["refresh_token"].as_str().unwrap().to_owned();
        let res = app.post("/api/v1/auth/refresh", &Auth::None, json!({"refresh_token": r3})).await;
        assert_eq!(res.status, 200);
        app.post("/api/v1/auth/refresh", &Auth::None, json!({"refresh_token": "made-up"})).await.problem(401, "unauthorized");
    }

    async fn logout_revokes_the_session(app) {
        app.create_user("out@test.kz", "viewer", None, None);
        let body = app.login("out@test.kz", PASSWORD).await.json();
        let refresh = body["refresh_token"].as_str().unwrap().to_owned();
        let res = app.post("/api/v1/auth/logout", &Auth::None, json!({"refresh_token": refresh})).await;
        assert_eq!(res.status, 204);
        app.post("/api/v1/auth/refresh", &Auth::None, json!({"refresh_token": refresh})).await.problem(401, "unauthorized");
    }

    async fn repeated_failures_lock_the_account_with_retry_after(app) {
        app.create_user("lock@test.kz", "viewer", None, None);
        for _ in 0..5 {
            app.login("lock@test.kz", "wrong-password!").await.problem(401, "unauthorized");
        }
        let locked = app.login("lock@test.kz", PASSWORD).await;
        locked.problem(429, "rate_limited");
        let retry: i64 = locked.header("retry-after").unwrap().parse().unwrap();
        assert!(retry > 0 && retry <= 15 * 60, "retry-after {retry}");
        // Other accounts from the same address are not locked by five failures.
        app.create_user("fine@test.kz", "viewer", None, None);
        assert_eq!(app.login("fine@test.kz", PASSWORD).await.status, 200);
    }

    async fn many_failures_from_one_address_lock_the_address(app) {
        app.create_user("victim@test.kz", "viewer", None, None);
        // Spraying passwords over many accounts trips the per-address limit (30).
        for i in 0..30 {
            let res = app.login(&format!("user{i}@test.kz"), "guess-password-1").await;
            assert_eq!(res.status, 401, "attempt {i}: {}", res.text);
        }
        let res = app.login("victim@test.kz", PASSWORD).await;
        res.problem(429, "rate_limited");
        assert!(res.header("retry-after").is_some());
    }

    async fn deactivated_users_lose_access_at_once(app) {
        let id = app.create_user("gone@test.kz", "viewer", None, None);
        let auth = app.bearer("gone@test.kz").await;
        assert_eq!(app.get("/api/v1/me", &auth).await.status, 200);
        app.create_user("boss@test.kz", "admin", None, None);
        let admin = app.bearer("boss@test.kz").await;
        let res = app.request(reqwest::Method::PATCH, &format!("/api/v1/users/{id}"), &admin, Some(json!({"active": false})), &[("If-Match", "\"1\"")]).await;
        assert_eq!(res.status, 200, "{}", res.text);
        app.get("/api/v1/me", &auth).await.problem(401, "unauthorized");
        app.login("gone@test.kz", PASSWORD).await.problem(401, "unauthorized");
    }
}
