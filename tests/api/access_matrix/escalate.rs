//! A territory-bound admin trying to reach further than its territory.

use reqwest::Method;
use serde_json::{json, Value};

use super::callers::Caller;
use super::fixtures::Fixtures;
use super::KORDAI_MARKER;
use crate::helpers::*;

/// What a Baizak-bound admin (or its key) tries in order to reach further: nationwide or
/// foreign users and keys, unbinding itself or others, linking a foreign deputy. Each
/// attempt must be refused or stay inside Baizak. Returns the number of checks made.
pub async fn escalate(
    app: &TestApp,
    caller: &Caller,
    f: &Fixtures,
    failures: &mut Vec<String>,
) -> usize {
    let baizak = app.territory(kato::BAIZAK);
    let kordai = app.territory(kato::KORDAI);
    let is_person = caller.role.is_some();
    let mut checks = 0;
    let mut expect = |what: &str, ok: bool, res: &Response| {
        checks += 1;
        if !ok {
            failures.push(format!(
                "escalation as {}: {what}: {} {}",
                caller.name,
                res.status,
                res.text.chars().take(200).collect::<String>()
            ));
        }
    };
    let user = |email: &str, extra: Value| {
        let mut body =
            json!({"email": email, "display_name": email, "password": PASSWORD, "role": "admin"});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    let tag = if is_person { "p" } else { "k" };

    for (n, extra) in [json!({}), json!({"territory_id": null})]
        .into_iter()
        .enumerate()
    {
        let email = format!("esc-{tag}{n}@m.kz");
        let res = app
            .post("/api/v1/users", &caller.auth, user(&email, extra))
            .await;
        let ok = match res.status.as_u16() {
            201 => is_person && res.json()["territory_id"] == baizak,
            403 => !is_person,
            _ => false,
        };
        expect("a new admin must not be nationwide", ok, &res);
        if res.status == 201 {
            let made = app.bearer(&email).await;
            let list = app.get("/api/v1/appeals", &made).await;
            expect(
                "the new admin must not see Kordai",
                !list.text.contains(KORDAI_MARKER),
                &list,
            );
        }
    }
    let res = app
        .post(
            "/api/v1/users",
            &caller.auth,
            user(
                &format!("esc-{tag}-kordai@m.kz"),
                json!({"territory_id": kordai}),
            ),
        )
        .await;
    expect(
        "a user in Kordai must be refused",
        matches!(res.status.as_u16(), 403 | 422),
        &res,
    );
    let res = app
        .post(
            "/api/v1/users",
            &caller.auth,
            user(
                &format!("esc-{tag}-dep@m.kz"),
                json!({"role": "deputy", "deputy_id": f.kordai_deputy}),
            ),
        )
        .await;
    expect(
        "a link to Kordai's deputy must be refused",
        matches!(res.status.as_u16(), 403 | 422),
        &res,
    );

    for id in [f.bound_admin_user, f.target_user] {
        let path = format!("/api/v1/users/{id}");
        let res = app
            .request(
                Method::PATCH,
                &path,
                &caller.auth,
                Some(json!({"territory_id": null})),
                &[("If-Match", "*")],
            )
            .await;
        expect("unbinding a user must be 403", res.status == 403, &res);
    }

    let res = app
        .post(
            "/api/v1/api-keys",
            &caller.auth,
            json!({"name": "esc", "scopes": ["appeals:read"]}),
        )
        .await;
    let ok = match res.status.as_u16() {
        201 => is_person && res.json()["territory_id"] == baizak,
        403 => !is_person,
        _ => false,
    };
    expect("a new key must not be nationwide", ok, &res);
    if res.status == 201 {
        let key = Auth::Key(res.json()["secret"].as_str().unwrap().to_owned());
        let list = app.get("/api/v1/appeals", &key).await;
        expect(
            "the new key must not see Kordai",
            !list.text.contains(KORDAI_MARKER),
            &list,
        );
    }
    let res = app
        .post(
            "/api/v1/api-keys",
            &caller.auth,
            json!({"name": "esc", "scopes": ["appeals:read"], "territory_id": kordai}),
        )
        .await;
    expect(
        "a key in Kordai must be refused",
        matches!(res.status.as_u16(), 403 | 422),
        &res,
    );
    let res = app
        .request(
            Method::DELETE,
            &format!("/api/v1/api-keys/{}", f.national_key),
            &caller.auth,
            None,
            &[],
        )
        .await;
    expect(
        "a nationwide key is out of reach",
        matches!(res.status.as_u16(), 403 | 404),
        &res,
    );
    let res = app.get("/api/v1/audit", &caller.auth).await;
    expect(
        "the audit trail is for unbound admins",
        res.status == 403,
        &res,
    );
    checks
}
