//! Secrets and personal data never reach the logs.

use serde_json::json;

use crate::both_backends;
use crate::helpers::*;

both_backends! {
    async fn no_secret_or_iin_in_logs(app) {
        let password = format!("Пароль-{}", unique());
        let iin = "920302401256";
        app.create_user("logs-admin@test.kz", "admin", None, None);
        let admin = app.bearer("logs-admin@test.kz").await;
        app.post("/api/v1/users", &admin, json!({"email": "logs@test.kz", "display_name": "L", "password": password, "role": "district_staff", "territory_id": app.territory(kato::BAIZAK)})).await;
        app.login("logs@test.kz", "wrong-password-xyz").await;
        let session = app.login("logs@test.kz", &password).await.json();
        let access = session["access_token"].as_str().unwrap().to_owned();
        let refresh = session["refresh_token"].as_str().unwrap().to_owned();
        app.post("/api/v1/auth/refresh", &Auth::None, json!({"refresh_token": refresh})).await;
        app.post("/api/v1/auth/refresh", &Auth::None, json!({"refresh_token": refresh})).await;
        let key = app.post("/api/v1/api-keys", &admin, json!({"name": "logs", "scopes": ["appeals:read", "appeals:write"]})).await.json();
        let secret = key["secret"].as_str().unwrap().to_owned();
        app.get("/api/v1/me", &Auth::Key(secret.clone())).await;
        app.get("/api/v1/me", &Auth::Bearer(format!("{access}tampered"))).await;
        let staff = Auth::Bearer(access.clone());
        app.post("/api/v1/appeals", &staff, json!({
            "channel": "phone", "category": "UTIL_WATER", "territory_id": app.territory(kato::SARYKEMER),
            "citizen": {"full_name": "Қасымова Гүлнар", "iin": iin, "phone": "+7 707 111 22 33"},
            "subject": "Су", "description": "Ауыз су жоқ", "language": "kk"
        })).await;
        app.get(&format!("/api/v1/appeals?q={iin}"), &staff).await;
        // Give the server a moment to flush the request spans.
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let logs = String::from_utf8_lossy(&captured_logs().lock().unwrap()).to_string();
        assert!(logs.contains("/api/v1/auth/login"), "the scenario was logged at all");
        for (what, secret) in [("password", password.as_str()), ("access token", access.as_str()), ("refresh token", refresh.as_str()), ("API key", secret.as_str()), ("IIN", iin), ("phone", "7071112233")] {
            assert!(!logs.contains(secret), "the {what} appears in the logs");
        }
    }

    async fn feedback_tokens_and_query_secrets_stay_out_of_the_logs(app) {
        use baqylau::db::schema::appeals;
        use diesel::prelude::*;
        app.create_user("logs-feedback@test.kz", "district_staff", Some(kato::BAIZAK), None);
        let staff = app.bearer("logs-feedback@test.kz").await;
        let appeal = app.post("/api/v1/appeals", &staff, json!({
            "channel": "phone", "category": "UTIL_WATER", "territory_id": app.territory(kato::SARYKEMER),
            "citizen": {"full_name": "Қасымова Гүлнар"}, "subject": "Су", "description": "Ауыз су жоқ", "language": "kk"
        })).await;
        assert_eq!(appeal.status, 201, "{}", appeal.text);
        let id = appeal.json()["id"].as_i64().unwrap();
        diesel::update(appeals::table.find(id))
            .set((appeals::status.eq("resolved"), appeals::resolution.eq(Some("Жөнделді")), appeals::resolved_at.eq(Some(chrono::Utc::now().naive_utc()))))
            .execute(&mut *app.conn())
            .unwrap();
        let link = app.post(&format!("/api/v1/appeals/{id}/feedback-link"), &staff, json!({})).await;
        assert_eq!(link.status, 201, "{}", link.text);
        let token = link.json()["token"].as_str().unwrap().to_owned();
        assert_eq!(app.get(&format!("/api/v1/feedback/{token}"), &Auth::None).await.status, 200);
        assert_eq!(app.post(&format!("/api/v1/feedback/{token}"), &Auth::None, json!({"score": 5})).await.status, 201);
        // Secrets that travel in query strings: a public check code, an Open311 key.
        let code = format!("code-{}", unique());
        let api_key = format!("bq_logs_{}", unique());
        app.get(&format!("/api/v1/public/appeals/ZHA-2026-000001?code={code}"), &Auth::None).await;
        app.get(&format!("/open311/v2/requests.json?api_key={api_key}&token={code}"), &Auth::None).await;
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let logs = String::from_utf8_lossy(&captured_logs().lock().unwrap()).to_string();
        assert!(logs.contains("/api/v1/feedback/[redacted]"), "the feedback requests were logged, redacted");
        for (what, secret) in [("feedback token", token.as_str()), ("code", code.as_str()), ("api_key", api_key.as_str())] {
            assert!(!logs.contains(secret), "the {what} appears in the logs");
        }
    }
}
