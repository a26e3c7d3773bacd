//! Deputies: the registry, assignments (overlap, recall, who was responsible on a day),
//! coverage gaps, monthly ratings with snapshots and the audited recompute, citizens'
//! one-time feedback links, and the cadre reserve.

use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};

pub use crate::fixtures::{baizak_staff, zhambyl_staff};
use crate::helpers::*;

mod assignments;
mod ratings;
mod reserve;

/// The tests' "now": mid-November 2026, so September 2026 is a finished month.
pub const NOW: &str = "2026-11-16T06:00:00Z";

/// The rural okrugs, towns and city territories of a district: (id, kato), by kato.
pub fn assignable(app: &TestApp, district: &str) -> Vec<(i64, String)> {
    use baqylau::db::schema::territories;
    let path: String = territories::table
        .filter(territories::kato_code.eq(district))
        .select(territories::path)
        .first(&mut *app.conn())
        .unwrap();
    territories::table
        .filter(territories::path.like(format!("{path}%")))
        .filter(territories::level.eq_any(["rural_okrug", "town", "city_territory"]))
        .filter(territories::deleted_at.is_null())
        .order(territories::kato_code.asc())
        .select((territories::id, territories::kato_code))
        .load(&mut *app.conn())
        .unwrap()
}

pub async fn new_deputy(app: &TestApp, auth: &Auth, name: &str) -> i64 {
    let res = app
        .post(
            "/api/v1/deputies",
            auth,
            json!({"full_name": name, "level": "district", "maslikhat_territory_id": app.territory(kato::BAIZAK),
                   "okrug": "№ 7 сайлау округі", "phone": "+7 701 111 22 33", "email": "Deputy@Example.kz",
                   "party_roles": [{"role": "political_council", "from": "2021-09-01"}]}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    res.json()["id"].as_i64().unwrap()
}

pub async fn assign(
    app: &TestApp,
    auth: &Auth,
    deputy: i64,
    territory: i64,
    starts: &str,
    ends: Option<&str>,
) -> Response {
    app.post(
        "/api/v1/assignments",
        auth,
        json!({"deputy_id": deputy, "territory_id": territory, "starts_on": starts, "ends_on": ends}),
    )
    .await
}

pub async fn patch(app: &TestApp, auth: &Auth, path: &str, body: Value) -> Response {
    let current = app.get(path.split("?").next().unwrap(), auth).await;
    let tag = current.header("etag").unwrap_or_default();
    app.request(Method::PATCH, path, auth, Some(body), &[("If-Match", &tag)])
        .await
}

pub async fn patch_assignment(
    app: &TestApp,
    auth: &Auth,
    id: i64,
    version: i64,
    body: Value,
) -> Response {
    let tag = format!("\"{version}\"");
    app.request(
        Method::PATCH,
        &format!("/api/v1/assignments/{id}"),
        auth,
        Some(body),
        &[("If-Match", &tag)],
    )
    .await
}
