//! Sign-in, refresh rotation with reuse detection, lockout, sign-out.

use baqylau::db::schema::{auth_throttle, refresh_tokens};
use diesel::prelude::*;
use serde_json::json;

use crate::both_backends;
use crate::helpers::*;

async fn refresh(app: &TestApp, token: &str) -> Response {
    app.post(
        "/api/v1/auth/refresh",
        &Auth::None,
        json!({"refresh_token": token}),
    )
    .await
}

fn refresh_token_of(res: &Response) -> String {
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()["refresh_token"].as_str().unwrap().to_owned()
}

fn stored_failures(app: &TestApp, key: &str) -> Option<i32> {
    auth_throttle::table
        .find(key)
        .select(auth_throttle::failures)
        .first(&mut *app.conn())
        .optional()
        .unwrap()
}

async fn login_from(app: &TestApp, email: &str, forwarded_for: &str) -> Response {
    let body = json!({"email": email, "password": "guess-password-1"});
    app.request(
        reqwest::Method::POST,
        "/api/v1/auth/login",
        &Auth::None,
        Some(body),
        &[("X-Forwarded-For", forwarded_for)],
    )
    .await
}

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
        // Replaying the spent token after the retry grace window is theft: the whole
        // family dies, r2 included.
        diesel::update(refresh_tokens::table.filter(refresh_tokens::used_at.is_not_null()))
            .set(refresh_tokens::used_at.eq(baqylau::db::compat::now() - chrono::Duration::seconds(60)))
            .execute(&mut *app.conn())
            .unwrap();
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

    async fn concurrent_wrong_passwords_are_all_counted_and_the_limit_holds(app) {
        app.create_user("burst@test.kz", "viewer", None, None);
        // Twenty guesses at once: a check-then-act limit lets them all through before the
        // first failure is written, and on PostgreSQL loses increments or collides.
        let attempts = (0..20).map(|_| app.login("burst@test.kz", "wrong-password!"));
        let answers = futures_util::future::join_all(attempts).await;
        let mut statuses: Vec<u16> = answers.iter().map(|r| r.status.as_u16()).collect();
        statuses.sort();
        assert_eq!(statuses, [[401; 5].as_slice(), &[429; 15]].concat(), "exactly the first five reach the password check");
        for res in answers.iter().filter(|r| r.status == 429) {
            res.problem(429, "rate_limited");
            let retry: i64 = res.header("retry-after").unwrap().parse().unwrap();
            assert!(retry > 0 && retry <= 15 * 60, "retry-after {retry}");
        }
        let key = baqylau::auth::throttle::account_key("burst@test.kz");
        assert_eq!(stored_failures(&app, &key), Some(20), "every attempt is counted");
    }

    async fn a_successful_sign_in_clears_the_account_and_refunds_the_address(app) {
        app.create_user("ok@test.kz", "viewer", None, None);
        for _ in 0..3 {
            app.login("ok@test.kz", "wrong-password!").await.problem(401, "unauthorized");
        }
        assert_eq!(app.login("ok@test.kz", PASSWORD).await.status, 200);
        let account = baqylau::auth::throttle::account_key("ok@test.kz");
        assert_eq!(stored_failures(&app, &account), None, "the account starts afresh");
        assert_eq!(stored_failures(&app, "ip:127.0.0.1"), Some(3), "only the failures count against the address");
        // People behind one address signing in all day do not lock it.
        for _ in 0..30 {
            assert_eq!(app.login("ok@test.kz", PASSWORD).await.status, 200);
        }
    }

    async fn stale_throttle_rows_are_purged(app) {
        let long_ago = baqylau::db::compat::now() - chrono::Duration::hours(2);
        let rows: Vec<_> = (0..50)
            .map(|i| (
                auth_throttle::key.eq(format!("ip:203.0.113.{i}")),
                auth_throttle::failures.eq(3),
                auth_throttle::window_started_at.eq(long_ago),
                auth_throttle::locked_until.eq(None::<chrono::NaiveDateTime>),
            ))
            .collect();
        for row in rows {
            diesel::insert_into(auth_throttle::table).values(row).execute(&mut *app.conn()).unwrap();
        }
        // A lock that has not ended yet is kept, however old its window.
        diesel::insert_into(auth_throttle::table)
            .values((
                auth_throttle::key.eq("ip:203.0.113.200"),
                auth_throttle::failures.eq(31),
                auth_throttle::window_started_at.eq(long_ago),
                auth_throttle::locked_until.eq(Some(baqylau::db::compat::now() + chrono::Duration::minutes(5))),
            ))
            .execute(&mut *app.conn())
            .unwrap();
        app.login("nobody@test.kz", "guess-password-1").await.problem(401, "unauthorized");
        let mut left: Vec<String> = auth_throttle::table.select(auth_throttle::key).load(&mut *app.conn()).unwrap();
        left.sort();
        let mut expected = vec![baqylau::auth::throttle::account_key("nobody@test.kz"), "ip:127.0.0.1".to_owned(), "ip:203.0.113.200".to_owned()];
        expected.sort();
        assert_eq!(left, expected);
    }

    async fn rotating_the_left_forwarded_hop_does_not_escape_the_address_limit(app) {
        // One proxy of ours (the test client plays it) appends the address it saw.
        let app = respawn_with(app, |s| s.trusted_proxies = "1".parse().unwrap()).await;
        for i in 0..30 {
            let res = login_from(&app, &format!("user{i}@test.kz"), &format!("10.9.{i}.1, 198.51.100.7")).await;
            assert_eq!(res.status, 401, "attempt {i}: {}", res.text);
        }
        let res = login_from(&app, "someone@test.kz", "10.9.99.1, 198.51.100.7").await;
        res.problem(429, "rate_limited");
        let ip_rows: i64 = auth_throttle::table
            .filter(auth_throttle::key.like("ip:%"))
            .count()
            .get_result(&mut *app.conn())
            .unwrap();
        assert_eq!(ip_rows, 1, "invented addresses make no rows");
        // Another client behind the same proxy is not affected.
        let other = login_from(&app, "someone@test.kz", "198.51.100.8").await;
        other.problem(401, "unauthorized");
    }

    async fn a_refresh_retried_within_the_grace_window_keeps_the_sign_in(app) {
        app.create_user("retry@test.kz", "viewer", None, None);
        let r1 = refresh_token_of(&app.login("retry@test.kz", PASSWORD).await);
        // The response carrying r2 is lost; the client retries with r1.
        let lost = refresh_token_of(&refresh(&app, &r1).await);
        let retried = refresh(&app, &r1).await;
        let r2 = refresh_token_of(&retried);
        assert!(retried.json()["access_token"].as_str().is_some());
        assert_ne!(r2, lost);
        // The sign-in goes on.
        let r3 = refresh_token_of(&refresh(&app, &r2).await);
        // Had the first successor reached somebody after all, showing it is a reuse,
        // and the family dies.
        refresh(&app, &lost).await.problem(401, "unauthorized");
        refresh(&app, &r3).await.problem(401, "unauthorized");
    }

    async fn reuse_after_the_grace_window_revokes_the_family(app) {
        app.create_user("late@test.kz", "viewer", None, None);
        let r1 = refresh_token_of(&app.login("late@test.kz", PASSWORD).await);
        let r2 = refresh_token_of(&refresh(&app, &r1).await);
        diesel::update(refresh_tokens::table.filter(refresh_tokens::used_at.is_not_null()))
            .set(refresh_tokens::used_at.eq(baqylau::db::compat::now() - chrono::Duration::seconds(60)))
            .execute(&mut *app.conn())
            .unwrap();
        refresh(&app, &r1).await.problem(401, "unauthorized");
        refresh(&app, &r2).await.problem(401, "unauthorized");
    }

    async fn a_sign_in_older_than_thirty_days_cannot_refresh(app) {
        app.create_user("old@test.kz", "viewer", None, None);
        let r1 = refresh_token_of(&app.login("old@test.kz", PASSWORD).await);
        let r2 = refresh_token_of(&refresh(&app, &r1).await);
        // The sign-in happened 31 days ago; r2 itself is fresh and unexpired.
        diesel::update(refresh_tokens::table)
            .set(refresh_tokens::family_started_at.eq(baqylau::db::compat::now() - chrono::Duration::days(31)))
            .execute(&mut *app.conn())
            .unwrap();
        refresh(&app, &r2).await.problem(401, "unauthorized");
        // A new sign-in is not affected.
        let fresh = refresh_token_of(&app.login("old@test.kz", PASSWORD).await);
        assert_eq!(refresh(&app, &fresh).await.status, 200);
    }
}
