//! Appeals: intake, idempotency, deadlines, lifecycle, concurrency, masking, search,
//! sync, export.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;

mod intake;
mod lifecycle;
mod reading;

pub fn body(app: &TestApp, extra: Value) -> Value {
    let mut b = json!({
        "channel": "reception_room",
        "category": "UTIL_WATER",
        "territory_id": app.territory(kato::SARYKEMER),
        "citizen": {"full_name": "Сейтқали Айгүл", "iin": "850715300122", "phone": "8 (701) 234-56-78", "email": "Aigul@Mail.kz"},
        "subject": "Ауыз су",
        "description": "Ақсу ауылында ауыз су жоқ, құбыр тозған.",
        "language": "kk"
    });
    for (k, v) in extra.as_object().unwrap() {
        b[k] = v.clone();
    }
    b
}

pub async fn create(app: &TestApp, auth: &Auth, extra: Value) -> Value {
    let res = app.post("/api/v1/appeals", auth, body(app, extra)).await;
    assert_eq!(res.status, 201, "{}", res.text);
    res.json()
}

pub async fn staff(app: &TestApp) -> Auth {
    app.create_user("district@a.kz", "district_staff", Some(kato::BAIZAK), None);
    app.bearer("district@a.kz").await
}

pub async fn move_to(app: &TestApp, auth: &Auth, appeal: &Value, to: Value) -> reqwest::StatusCode {
    let id = appeal["id"].as_i64().unwrap();
    let current = app.get(&format!("/api/v1/appeals/{id}"), auth).await.json();
    let version = format!("\"{}\"", current["version"]);
    let res = app
        .request(
            Method::POST,
            &format!("/api/v1/appeals/{id}/transitions"),
            auth,
            Some(to),
            &[("If-Match", &version)],
        )
        .await;
    res.status
}

pub fn count(app: &TestApp, table: &str) -> i64 {
    use diesel::prelude::*;
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query(format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM {table}"))
        .get_result::<N>(&mut *app.conn())
        .unwrap()
        .n
}
