//! Hostile input from the security review and the fuzzing run: each test is a finding
//! that dropped the connection, answered 500, or accepted what API.md refuses.

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::fixtures::admin;
use crate::helpers::*;

async fn create_appeal(app: &TestApp, auth: &Auth) -> Value {
    let res = app
        .post(
            "/api/v1/appeals",
            auth,
            json!({
                "channel": "reception_room", "category": "UTIL_WATER",
                "territory_id": app.territory(kato::SARYKEMER),
                "citizen": {"full_name": "Сейтқали Айгүл"},
                "subject": "Ауыз су", "description": "Ақсу ауылында ауыз су жоқ.", "language": "kk",
                "received_at": "2026-03-20T05:00:00Z"
            }),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    res.json()
}

fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

fn cursor(raw: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

/// Asserts a 422 whose first error names `field`.
#[track_caller]
fn names(res: &Response, field: &str) {
    let body = res.problem(422, "validation_failed");
    assert_eq!(body["errors"][0]["field"], field, "{}", res.text);
}

both_backends! {
    async fn dates_outside_2000_to_2100_are_422_naming_the_parameter(app) {
        let admin = admin(&app).await;
        create_appeal(&app, &admin).await;
        // In bounds, both edges: the appeal of 2026 is found from 2000 and not from 2100.
        let res = app.get("/api/v1/appeals?received_from=2000-01-01", &admin).await;
        assert_eq!(res.json()["items"].as_array().unwrap().len(), 1, "{}", res.text);
        let res = app.get("/api/v1/appeals?received_from=2100-12-31", &admin).await;
        assert_eq!(res.json()["items"].as_array().unwrap().len(), 0, "{}", res.text);
        // chrono's first day overflowed and dropped the connection; years before −4713
        // were a 500 on PostgreSQL; five-digit years compared as text on SQLite and
        // returned every appeal.
        for value in ["-262143-01-01", "+262142-12-31", "-5000-01-01", "+99999-01-01", "1999-12-31", "2101-01-01",
                      "1999-12-31T23:59:59Z", "2101-01-01T00:00:00+05:00"] {
            for param in ["received_from", "received_to", "updated_since"] {
                let res = app.get(&format!("/api/v1/appeals?{param}={}", encode(value)), &admin).await;
                names(&res, param);
            }
        }
        let res = app.get("/api/v1/appeals/export?received_from=-262143-01-01", &admin).await;
        names(&res, "received_from");
        let res = app.get("/api/v1/territories?updated_since=1999-12-31T00:00:00Z", &admin).await;
        names(&res, "updated_since");
        // Forged cursors carried dates too, which reached PostgreSQL as out-of-range
        // values; cursors are signed now, so a forged one never reaches a query.
        let sync = cursor("u:-3000000000000000000:1");
        app.get(&format!("/api/v1/appeals?updated_since=2026-01-01T00:00:00Z&cursor={sync}"), &admin).await
            .problem(400, "invalid_cursor");
        let due = cursor("k:-262143-01-01|1");
        app.get(&format!("/api/v1/appeals?sort=due&cursor={due}"), &admin).await
            .problem(400, "invalid_cursor");
    }

    async fn any_value_in_a_list_filter_is_answered_never_a_5xx(app) {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestCaseError, TestRunner};

        let token = match admin(&app).await {
            Auth::Bearer(t) => t,
            _ => unreachable!(),
        };
        // Dates, timestamps, integers and booleans of each list.
        const TARGETS: &[(&str, &str)] = &[
            ("/api/v1/appeals", "received_from"),
            ("/api/v1/appeals", "received_to"),
            ("/api/v1/appeals", "updated_since"),
            ("/api/v1/appeals", "territory_id"),
            ("/api/v1/appeals", "deputy_id"),
            ("/api/v1/appeals", "reception_id"),
            ("/api/v1/appeals", "limit"),
            ("/api/v1/appeals", "overdue"),
            ("/api/v1/appeals", "include_total"),
            ("/api/v1/appeals/export", "received_from"),
            ("/api/v1/appeals/export", "updated_since"),
            ("/api/v1/territories", "updated_since"),
            ("/api/v1/territories", "parent_id"),
            ("/api/v1/territories", "limit"),
            ("/api/v1/territories", "include_total"),
        ];
        let value = prop_oneof![
            any::<String>(),
            "[+-]?[0-9]{1,6}-[0-9]{1,2}-[0-9]{1,2}",
            "[+-]?[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})",
            "-?[0-9]{1,25}",
            "(true|false|1|0|yes|TRUE| true)",
            // chrono's first and last days.
            Just("-262143-01-01".to_owned()),
            Just("+262142-12-31".to_owned()),
        ];
        let handle = tokio::runtime::Handle::current();
        let config = Config { cases: 64, max_shrink_iters: 64, failure_persistence: None, ..Config::default() };
        let outcome = tokio::task::block_in_place(|| {
            TestRunner::new(config).run(&value, |value| {
                for (path, param) in TARGETS {
                    let url = app.url(&format!("{path}?{param}={}", encode(&value)));
                    let res = handle
                        .block_on(app.client.get(&url).bearer_auth(&token).send())
                        .map_err(|e| TestCaseError::fail(format!("{path}?{param}={value:?}: no answer: {e}")))?;
                    let status = res.status().as_u16();
                    prop_assert!(matches!(status, 200 | 400 | 422), "{}?{}={:?}: {}", path, param, value, status);
                }
                Ok(())
            })
        });
        if let Err(e) = outcome {
            panic!("{e}");
        }
    }

    async fn if_match_star_and_lists_follow_rfc_9110(app) {
        let admin = admin(&app).await;
        let path = format!("/api/v1/territories/{}", app.territory(kato::SARYKEMER));
        let patch = |name: &'static str| Some(json!({"name_kk": name}));
        // `*`: any current representation.
        let res = app.request(Method::PATCH, &path, &admin, patch("Бір"), &[("If-Match", "*")]).await;
        assert_eq!(res.status, 200, "{}", res.text);
        assert_eq!(res.header("etag").as_deref(), Some("\"2\""));
        // A list matches when any member does.
        let res = app.request(Method::PATCH, &path, &admin, patch("Екі"), &[("If-Match", "\"1\", \"2\"")]).await;
        assert_eq!(res.status, 200, "{}", res.text);
        // A list without the current version changes nothing.
        app.request(Method::PATCH, &path, &admin, patch("Үш"), &[("If-Match", "\"1\", \"2\"")]).await
            .problem(412, "precondition_failed");
        // A weak tag never matches for a write, even when its version is current.
        app.request(Method::PATCH, &path, &admin, patch("Үш"), &[("If-Match", "W/\"3\"")]).await
            .problem(412, "precondition_failed");
        app.request(Method::PATCH, &path, &admin, patch("Үш"), &[("If-Match", "\"3")]).await
            .problem(412, "precondition_failed");
        app.request(Method::PATCH, &path, &admin, patch("Үш"), &[]).await
            .problem(428, "precondition_required");
        let now = app.get(&path, &admin).await.json();
        assert_eq!(now["name_kk"], "Екі");
        assert_eq!(now["version"], 3);
    }

    async fn a_literal_route_is_not_taken_for_an_id(app) {
        let admin = admin(&app).await;
        for method in [Method::PATCH, Method::DELETE] {
            let res = app.request(method.clone(), "/api/v1/appeals/export", &admin, Some(json!({})), &[("If-Match", "\"1\"")]).await;
            res.problem(405, "method_not_allowed");
            assert_eq!(res.header("allow").as_deref(), Some("GET"), "{method}");
        }
        // An id that is not a number is still simply not found.
        app.request(Method::PATCH, "/api/v1/appeals/abc", &admin, Some(json!({})), &[("If-Match", "\"1\"")]).await
            .problem(404, "not_found");
    }

    async fn bad_query_parameters_are_named(app) {
        let admin = admin(&app).await;
        for (query, field) in [
            ("territories?limit=abc", "limit"),
            ("territories?parent_id=1.5", "parent_id"),
            ("territories?include_total=maybe", "include_total"),
            ("calendar?year=next", "year"),
            ("appeals?limit=abc", "limit"),
        ] {
            let res = app.get(&format!("/api/v1/{query}"), &admin).await;
            names(&res, field);
        }
    }

    async fn two_credentials_are_401_even_when_one_is_valid(app) {
        let admin = admin(&app).await;
        let Auth::Bearer(token) = &admin else { unreachable!() };
        let key = app.post("/api/v1/api-keys", &admin, json!({"name": "two", "scopes": ["appeals:read"]})).await.json();
        let secret = key["secret"].as_str().unwrap().to_owned();
        let bearer = format!("Bearer {token}");
        for headers in [
            vec![("Authorization", bearer.as_str()), ("X-API-Key", "bq_not_a_key")],
            vec![("Authorization", bearer.as_str()), ("X-API-Key", secret.as_str())],
            vec![("Authorization", "Bearer not-a-token"), ("X-API-Key", secret.as_str())],
        ] {
            app.request(Method::GET, "/api/v1/me", &Auth::None, None, &headers).await.problem(401, "unauthorized");
        }
        // Each alone still works.
        assert_eq!(app.get("/api/v1/me", &admin).await.status, 200);
        assert_eq!(app.get("/api/v1/appeals", &Auth::Key(secret)).await.status, 200);
    }

    async fn json_in_another_charset_is_415(app) {
        let login = app.url("/api/v1/auth/login");
        // "пароль" in ISO-8859-5: read as UTF-8 it would be garbage, not a password.
        let body: Vec<u8> = [&br#"{"email":"a@b.kz","password":""#[..], &[0xDF, 0xD0, 0xE0, 0xDE, 0xDB, 0xEC], br#""}"#].concat();
        for content_type in ["application/json; charset=iso-8859-5", "application/json; charset=windows-1251", "application/json;charset=\"latin1\""] {
            let res = app.client.post(&login).header("content-type", content_type).body(body.clone()).send().await.unwrap();
            assert_eq!(res.status(), 415, "{content_type}");
            let problem: Value = res.json().await.unwrap();
            assert_eq!(problem["code"], "unsupported_media_type");
        }
        for content_type in ["application/json; charset=utf-8", "application/json; charset=UTF-8", "application/json"] {
            let res = app.client.post(&login).header("content-type", content_type).body(r#"{"email":"a@b.kz","password":"x"}"#).send().await.unwrap();
            assert!(!matches!(res.status().as_u16(), 400 | 415), "{content_type}: a UTF-8 body is read: {}", res.status());
        }
    }

    async fn territory_children_are_a_page(app) {
        let admin = admin(&app).await;
        let path = format!("/api/v1/territories/{}/children", app.territory(kato::BAIZAK));
        let all = app.get(&format!("{path}?include_total=true"), &admin).await.json();
        let items = all["items"].as_array().unwrap_or_else(|| panic!("not a page: {all}"));
        assert!(items.len() >= 2, "{all}");
        assert_eq!(all["total"], items.len());
        assert_eq!(all["next_cursor"], Value::Null);
        let first = app.get(&format!("{path}?limit=1"), &admin).await.json();
        assert_eq!(first["items"], json!([items[0].clone()]));
        let next = first["next_cursor"].as_str().unwrap();
        let second = app.get(&format!("{path}?limit=1&cursor={next}"), &admin).await.json();
        assert_eq!(second["items"], json!([items[1].clone()]));
        names(&app.get(&format!("{path}?limit=0"), &admin).await, "limit");
        app.get(&format!("{path}?cursor=%25%25"), &admin).await.problem(400, "invalid_cursor");
        app.get("/api/v1/territories/999999/children", &admin).await.problem(404, "not_found");
    }
}

both_backends! {
    async fn every_if_match_follows_rfc_9110(app) {
        let admin = admin(&app).await;
        let appeal = create_appeal(&app, &admin).await;
        let path = format!("/api/v1/appeals/{}", appeal["id"]);
        let res = app.request(Method::PATCH, &path, &admin, Some(json!({"subject": "Жаңа тақырып"})), &[("If-Match", "*")]).await;
        assert_eq!(res.status, 200, "{}", res.text);
        let res = app.request(Method::POST, &format!("{path}/transitions"), &admin, Some(json!({"to": "under_control"})), &[("If-Match", "\"9\", \"2\"")]).await;
        assert_eq!(res.status, 200, "{}", res.text);
        app.request(Method::PATCH, &path, &admin, Some(json!({"subject": "Тағы"})), &[("If-Match", "W/\"3\"")]).await
            .problem(412, "precondition_failed");

        let user = app.create_user("ifm@test.kz", "viewer", None, None);
        let path = format!("/api/v1/users/{user}");
        let res = app.request(Method::PATCH, &path, &admin, Some(json!({"display_name": "Бір"})), &[("If-Match", "*")]).await;
        assert_eq!(res.status, 200, "{}", res.text);
        app.request(Method::PATCH, &path, &admin, Some(json!({"display_name": "Екі"})), &[("If-Match", "\"1\"")]).await
            .problem(412, "precondition_failed");
    }

    async fn an_extension_date_outside_2000_to_2100_is_422(app) {
        let admin = admin(&app).await;
        let appeal = create_appeal(&app, &admin).await;
        let path = format!("/api/v1/appeals/{}", appeal["id"]);
        let res = app.request(Method::PATCH, &path, &admin, Some(json!({"extended_due_on": "+20000-01-01", "extension_reason": "x"})), &[("If-Match", "*")]).await;
        let body = res.problem(422, "validation_failed");
        assert!(body["errors"].as_array().unwrap().iter().any(|e| e["field"] == "extended_due_on" && e["code"] == "range"), "{body}");
    }
}
