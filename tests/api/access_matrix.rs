//! The access matrix: every protected operation in the OpenAPI document × every kind of
//! caller. Generated from the spec's security requirements, so a new route is covered
//! the moment it exists — and a route whose code disagrees with its documented roles
//! or scope fails here.

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::*;

/// Appears only in data of Baizak district; must never reach a caller from elsewhere.
pub const MARKER: &str = "BAIZAK-ONLY-MARKER";

/// Appears only in data of Kordai district; must never reach a caller bound to Baizak.
pub const KORDAI_MARKER: &str = "KORDAI-ONLY-MARKER";

struct Fixtures {
    target_user: i64,
    victim_key: i64,
    territory: i64,
    appeal: Option<i64>,
    reception: i64,
    /// A proposal in the fixture reception's protocol.
    proposal: i64,
    /// A road map of Baizak and one of its indicators.
    roadmap: Option<(i64, i64)>,
    bound_admin_user: i64,
    kordai_deputy: i64,
    national_key: i64,
    /// The Baizak deputy, their assignment to Sarykemer, and a reserve candidate of Baizak.
    deputy: i64,
    assignment: i64,
    candidate: i64,
    /// A webhook bound to Baizak (so the Baizak-bound admin reaches it).
    webhook: i64,
}

#[derive(Debug)]
struct Caller {
    name: &'static str,
    auth: Auth,
    /// `Some(role)` for people, `None` for keys.
    role: Option<&'static str>,
    /// For keys: the scopes it carries.
    scopes: &'static [&'static str],
    /// Bound outside the fixtures' district.
    outsider: bool,
    /// Bound to the fixtures' district (Baizak) while holding admin powers: it must not
    /// reach Kordai's data or anything nationwide.
    bound_admin: bool,
}

async fn create_key(
    app: &TestApp,
    admin: &Auth,
    name: &str,
    scopes: &[&str],
    territory: Option<i64>,
) -> (i64, String) {
    let res = app
        .post(
            "/api/v1/api-keys",
            admin,
            json!({"name": name, "scopes": scopes, "territory_id": territory}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let body = res.json();
    (
        body["id"].as_i64().unwrap(),
        body["secret"].as_str().unwrap().to_owned(),
    )
}

async fn setup(app: &TestApp) -> (Vec<Caller>, Fixtures) {
    app.create_user("admin@m.kz", "admin", None, None);
    app.create_user("regional@m.kz", "regional_staff", Some(kato::ZHAMBYL), None);
    app.create_user("district@m.kz", "district_staff", Some(kato::BAIZAK), None);
    let deputy = app.create_deputy("Депутат Сарыкемер", kato::BAIZAK);
    app.create_user("deputy@m.kz", "deputy", Some(kato::SARYKEMER), Some(deputy));
    app.create_user("viewer@m.kz", "viewer", Some(kato::ZHAMBYL), None);
    app.create_user("other@m.kz", "district_staff", Some(kato::KORDAI), None);
    let bound_admin_user = app.create_user("bound-admin@m.kz", "admin", Some(kato::BAIZAK), None);
    let kordai_deputy = app.create_deputy("Депутат Қордай", kato::KORDAI);
    let target_user = app.create_user("target@m.kz", "viewer", Some(kato::SARYKEMER), None);
    let admin = app.bearer("admin@m.kz").await;
    let all_scopes = baqylau::auth::KEY_SCOPES;
    let (_, key_all) = create_key(app, &admin, "all scopes", all_scopes, None).await;
    let (_, key_none) = create_key(app, &admin, "no useful scope", &["deputies:read"], None).await;
    let (_, key_other) = create_key(
        app,
        &admin,
        "Kordai integration",
        all_scopes,
        Some(app.territory(kato::KORDAI)),
    )
    .await;
    let bound_admin = app.bearer("bound-admin@m.kz").await;
    // Created by the bound admin, so bound to Baizak like its creator.
    let (_, key_bound) =
        create_key(app, &bound_admin, "Baizak admin's key", all_scopes, None).await;
    let (victim_key, _) = create_key(
        app,
        &admin,
        "to be revoked",
        &["appeals:read"],
        Some(app.territory(kato::BAIZAK)),
    )
    .await;
    let (national_key, _) = create_key(app, &admin, "national", &["appeals:read"], None).await;
    let webhook = app
        .post(
            "/api/v1/webhooks",
            &admin,
            json!({"url": "http://127.0.0.1:9/hook", "secret": "a-secret-of-sixteen+", "event_types": ["appeal.created"], "territory_id": app.territory(kato::BAIZAK)}),
        )
        .await;
    assert_eq!(webhook.status, 201, "{}", webhook.text);
    let webhook = webhook.json()["id"].as_i64().unwrap();
    let appeal = create_fixture_appeal(app, &app.bearer("district@m.kz").await).await;
    create_kordai_appeal(app, &app.bearer("other@m.kz").await).await;
    let reception = create_fixture_reception(app, &app.bearer("district@m.kz").await).await;
    let proposal =
        create_fixture_proposal(app, &app.bearer("district@m.kz").await, reception).await;
    let roadmap = create_fixture_roadmap(app, &app.bearer("district@m.kz").await, deputy).await;
    let (assignment, candidate) =
        create_fixture_deputy_work(app, &app.bearer("district@m.kz").await, deputy).await;

    let expired = baqylau::auth::tokens::TokenKeys::new(
        JWT_SECRET.as_bytes(),
        chrono::Duration::seconds(-120),
        chrono::Duration::days(1),
    )
    .issue_access(1, "admin", None, "none")
    .unwrap();
    let forged = baqylau::auth::tokens::TokenKeys::new(
        b"another-secret-that-is-long-enough!!",
        chrono::Duration::seconds(600),
        chrono::Duration::days(1),
    )
    .issue_access(1, "admin", None, "none")
    .unwrap();
    let callers = vec![
        Caller {
            name: "no credentials",
            auth: Auth::None,
            role: None,
            scopes: &[],
            outsider: false,
            bound_admin: false,
        },
        Caller {
            name: "garbage token",
            auth: Auth::Bearer("garbage".into()),
            role: None,
            scopes: &[],
            outsider: false,
            bound_admin: false,
        },
        Caller {
            name: "forged token",
            auth: Auth::Bearer(forged),
            role: None,
            scopes: &[],
            outsider: false,
            bound_admin: false,
        },
        Caller {
            name: "expired token",
            auth: Auth::Bearer(expired),
            role: None,
            scopes: &[],
            outsider: false,
            bound_admin: false,
        },
        Caller {
            name: "unknown key",
            auth: Auth::Key("bq_0123456789ab_nope".into()),
            role: None,
            scopes: &[],
            outsider: false,
            bound_admin: false,
        },
        Caller {
            name: "admin",
            auth: admin.clone(),
            role: Some("admin"),
            scopes: &[],
            outsider: false,
            bound_admin: false,
        },
        Caller {
            name: "regional_staff",
            auth: app.bearer("regional@m.kz").await,
            role: Some("regional_staff"),
            scopes: &[],
            outsider: false,
            bound_admin: false,
        },
        Caller {
            name: "district_staff",
            auth: app.bearer("district@m.kz").await,
            role: Some("district_staff"),
            scopes: &[],
            outsider: false,
            bound_admin: false,
        },
        Caller {
            name: "deputy",
            auth: app.bearer("deputy@m.kz").await,
            role: Some("deputy"),
            scopes: &[],
            outsider: false,
            bound_admin: false,
        },
        Caller {
            name: "viewer",
            auth: app.bearer("viewer@m.kz").await,
            role: Some("viewer"),
            scopes: &[],
            outsider: false,
            bound_admin: false,
        },
        Caller {
            name: "key with all scopes",
            auth: Auth::Key(key_all),
            role: None,
            scopes: all_scopes,
            outsider: false,
            bound_admin: false,
        },
        Caller {
            name: "key without the scope",
            auth: Auth::Key(key_none),
            role: None,
            scopes: &["deputies:read"],
            outsider: false,
            bound_admin: false,
        },
        Caller {
            name: "staff of another district",
            auth: app.bearer("other@m.kz").await,
            role: Some("district_staff"),
            scopes: &[],
            outsider: true,
            bound_admin: false,
        },
        Caller {
            name: "key of another district",
            auth: Auth::Key(key_other),
            role: None,
            scopes: all_scopes,
            outsider: true,
            bound_admin: false,
        },
        Caller {
            name: "admin bound to Baizak",
            auth: bound_admin,
            role: Some("admin"),
            scopes: &[],
            outsider: false,
            bound_admin: true,
        },
        Caller {
            name: "key of the Baizak admin",
            auth: Auth::Key(key_bound),
            role: None,
            scopes: all_scopes,
            outsider: false,
            bound_admin: true,
        },
    ];
    (
        callers,
        Fixtures {
            target_user,
            victim_key,
            territory: app.territory(kato::SARYKEMER),
            appeal,
            reception,
            proposal,
            roadmap,
            bound_admin_user,
            kordai_deputy,
            national_key,
            deputy,
            assignment,
            candidate,
            webhook,
        },
    )
}

/// The Baizak deputy's assignment to Sarykemer and a Baizak reserve candidate.
async fn create_fixture_deputy_work(app: &TestApp, district: &Auth, deputy: i64) -> (i64, i64) {
    let res = app
        .post(
            "/api/v1/assignments",
            district,
            json!({"deputy_id": deputy, "territory_id": app.territory(kato::SARYKEMER), "starts_on": "2026-01-01"}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let assignment = res.json()["id"].as_i64().unwrap();
    let res = app
        .post(
            "/api/v1/reserve",
            district,
            json!({"full_name": format!("Резервист {MARKER}"), "territory_id": app.territory(kato::BAIZAK),
                   "iin": "850715300122", "phone": "+7 701 234 56 78"}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    (assignment, res.json()["id"].as_i64().unwrap())
}

/// Creates the appeal the matrix probes, when the appeals API exists.
async fn create_fixture_appeal(app: &TestApp, district: &Auth) -> Option<i64> {
    let res = app
        .post(
            "/api/v1/appeals",
            district,
            json!({
                "channel": "reception_room",
                "category": "UTIL_WATER",
                "territory_id": app.territory(kato::SARYKEMER),
                "citizen": {"full_name": "Сейтқали Айгүл", "iin": "850715300122", "phone": "+7 701 234 56 78"},
                "subject": format!("Ауыз су {MARKER}"),
                "description": format!("Ауылда ауыз су жоқ. {MARKER}"),
                "language": "kk"
            }),
        )
        .await;
    match res.status.as_u16() {
        201 => Some(res.json()["id"].as_i64().unwrap()),
        404 => None,
        other => panic!("creating the fixture appeal: {other} {}", res.text),
    }
}

/// A reception of Baizak district that visits Sarykemer (where the matrix's deputy is).
async fn create_fixture_reception(app: &TestApp, district: &Auth) -> i64 {
    let res = app
        .post(
            "/api/v1/receptions",
            district,
            json!({
                "title": format!("Көшпелі қабылдау {MARKER}"),
                "level": "district",
                "territory_id": app.territory(kato::BAIZAK),
                "settlement_ids": [app.territory(kato::SARYKEMER)],
                "planned_start": "2026-12-10T04:00:00Z",
                "planned_end": "2026-12-10T09:00:00Z",
                "venue": format!("Ауылдық клуб {MARKER}")
            }),
        )
        .await;
    assert_eq!(
        res.status, 201,
        "creating the fixture reception: {}",
        res.text
    );
    res.json()["id"].as_i64().unwrap()
}

/// A proposal in the fixture reception's protocol, for `/proposals/{pid}` routes.
async fn create_fixture_proposal(app: &TestApp, district: &Auth, reception: i64) -> i64 {
    let res = app
        .post(
            &format!("/api/v1/receptions/{reception}/proposals"),
            district,
            json!({"text": format!("Ауыз су құбырын жөндеу {MARKER}"), "author": format!("Тұрғын {MARKER}")}),
        )
        .await;
    assert_eq!(
        res.status, 201,
        "creating the fixture proposal: {}",
        res.text
    );
    res.json()["id"].as_i64().unwrap()
}

/// Creates the Baizak road map (with a section and an indicator) the matrix probes.
async fn create_fixture_roadmap(app: &TestApp, district: &Auth, deputy: i64) -> Option<(i64, i64)> {
    let baizak = app.territory(kato::BAIZAK);
    let res = app
        .post(
            "/api/v1/roadmaps",
            district,
            json!({"title_kk": format!("Жол картасы {MARKER}"), "title_ru": format!("Дорожная карта {MARKER}"),
                   "kind": "territorial", "territory_id": baizak, "year": 2021}),
        )
        .await;
    if res.status == 404 {
        return None;
    }
    assert_eq!(res.status, 201, "{}", res.text);
    let roadmap = res.json()["id"].as_i64().unwrap();
    let res = app
        .post(
            &format!("/api/v1/roadmaps/{roadmap}/sections"),
            district,
            json!({"title": format!("Бөлім {MARKER}")}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let section = res.json()["id"].as_i64().unwrap();
    let res = app
        .post(
            "/api/v1/indicators",
            district,
            json!({"roadmap_id": roadmap, "section_id": section, "title": format!("Мектеп {MARKER}"),
                   "territory_id": app.territory(kato::SARYKEMER), "kind": "event", "due_on": "2021-12-31",
                   "deputy_id": deputy}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    Some((roadmap, res.json()["id"].as_i64().unwrap()))
}

/// An appeal only Kordai may see, to catch a Baizak-bound caller reaching further.
async fn create_kordai_appeal(app: &TestApp, kordai: &Auth) {
    let res = app
        .post(
            "/api/v1/appeals",
            kordai,
            json!({
                "channel": "reception_room",
                "category": "UTIL_WATER",
                "territory_id": app.territory(kato::KORDAI),
                "citizen": {"full_name": "Оспанов Ерлан", "iin": "850715300122"},
                "subject": format!("Жол {KORDAI_MARKER}"),
                "description": format!("Жол жөндеу. {KORDAI_MARKER}"),
                "language": "kk"
            }),
        )
        .await;
    assert!(matches!(res.status.as_u16(), 201 | 404), "{}", res.text);
}

/// Operations a territory-bound admin is refused even though its role allows them:
/// their rows carry no territory to scope by.
const UNBOUND_ADMIN_ONLY: &[&str] = &["/api/v1/audit"];

/// Object routes whose objects belong to a territory: outsiders get 404 there.
const SCOPED_OBJECTS: &[&str] = &[
    "/api/v1/appeals/{id}",
    "/api/v1/receptions/{id}",
    "/api/v1/roadmaps/{id}",
    "/api/v1/indicators/{id}",
    "/api/v1/deputies/{id}",
    "/api/v1/assignments/{id}",
    "/api/v1/reserve/{id}",
    "/api/v1/territories/{id}/deputies",
];

fn concrete_path(template: &str, f: &Fixtures) -> Option<String> {
    if !template.contains('{') {
        return Some(template.to_owned());
    }
    let id = if template.starts_with("/api/v1/users/{id}") {
        f.target_user
    } else if template.starts_with("/api/v1/api-keys/{id}") {
        f.victim_key
    } else if template.starts_with("/api/v1/territories/{id}") {
        f.territory
    } else if template.starts_with("/api/v1/appeals/{id}") {
        f.appeal?
    } else if template.starts_with("/api/v1/receptions/{id}") {
        f.reception
    } else if template.starts_with("/api/v1/roadmaps/{id}") {
        f.roadmap?.0
    } else if template.starts_with("/api/v1/indicators/{id}") {
        f.roadmap?.1
    } else if template.starts_with("/api/v1/deputies/{id}") {
        f.deputy
    } else if template.starts_with("/api/v1/assignments/{id}") {
        f.assignment
    } else if template.starts_with("/api/v1/reserve/{id}") {
        f.candidate
    } else if template.starts_with("/api/v1/webhooks/{id}") {
        f.webhook
    } else {
        panic!("the access matrix has no fixture for {template}: add one in tests/api/access_matrix.rs");
    };
    Some(
        template
            .replace("{id}", &id.to_string())
            .replace("{pid}", &f.proposal.to_string()),
    )
}

struct Rule {
    roles: Vec<String>,
    /// `None`: keys never; `Some(vec![])`: any key; `Some(scopes)`: a key with one of them.
    key_scopes: Option<Vec<String>>,
}

fn rule(op: &Value) -> Option<Rule> {
    let security = op.get("security")?.as_array()?;
    if security.is_empty() {
        return None;
    }
    let mut roles = Vec::new();
    let mut key_scopes = None;
    for requirement in security {
        let names = |v: &Value| -> Vec<String> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_owned())
                .collect()
        };
        if let Some(r) = requirement.get("bearer") {
            roles = names(r);
        }
        if let Some(k) = requirement.get("api_key") {
            key_scopes = Some(names(k));
        }
    }
    Some(Rule { roles, key_scopes })
}

fn permitted(rule: &Rule, caller: &Caller) -> Option<bool> {
    match (&caller.auth, caller.role) {
        (Auth::None, _) => None,
        (Auth::Bearer(_), None) | (Auth::Key(_), None) if caller.scopes.is_empty() => None,
        (_, Some(role)) => Some(rule.roles.iter().any(|r| r == role)),
        (_, None) => Some(match &rule.key_scopes {
            None => false,
            Some(scopes) if scopes.is_empty() => true,
            Some(scopes) => scopes.iter().any(|s| caller.scopes.contains(&s.as_str())),
        }),
    }
}

both_backends! {
    async fn every_protected_route_for_every_caller(app) {
        let (callers, fixtures) = setup(&app).await;
        let spec = app.get("/api/openapi.json", &Auth::None).await.json();
        let mut checked = 0;
        let mut failures = Vec::new();
        for (template, item) in spec["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let Some(rule) = rule(op) else { continue };
                let Some(path) = concrete_path(template, &fixtures) else { continue };
                let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                let body = matches!(method, Method::POST | Method::PUT | Method::PATCH).then(|| json!({}));
                // Destructive calls by permitted callers go last, so that the others still
                // find the fixture in place.
                let mut ordered: Vec<&Caller> = callers.iter().filter(|c| permitted(&rule, c) != Some(true)).collect();
                ordered.extend(callers.iter().filter(|c| permitted(&rule, c) == Some(true)));
                for caller in ordered {
                    let res = app.request(method.clone(), &path, &caller.auth, body.clone(), &[]).await;
                    let status = res.status.as_u16();
                    let scoped = SCOPED_OBJECTS.iter().any(|p| template.starts_with(p));
                    let unbound_only = caller.bound_admin && caller.role.is_some() && UNBOUND_ADMIN_ONLY.contains(&template.as_str());
                    let expected: &str = match permitted(&rule, caller) {
                        None => "401",
                        Some(false) => "403",
                        Some(true) if unbound_only => "403",
                        Some(true) if caller.outsider && scoped => "404",
                        Some(true) => "allowed",
                    };
                    let ok = match expected {
                        "401" => status == 401,
                        "403" => status == 403,
                        "404" => status == 404,
                        _ => !matches!(status, 401 | 403 | 404) && status < 500,
                    };
                    if !ok {
                        failures.push(format!("{method} {template} as {}: expected {expected}, got {status}: {}", caller.name, res.text.chars().take(200).collect::<String>()));
                    }
                    if status >= 400 {
                        let is_problem = res.header("content-type").is_some_and(|c| c.starts_with("application/problem+json"));
                        if !is_problem {
                            failures.push(format!("{method} {template} as {}: {status} without problem+json", caller.name));
                        }
                    }
                    if caller.outsider && res.text.contains(MARKER) {
                        failures.push(format!("{method} {template} as {}: leaked another district's data", caller.name));
                    }
                    if caller.bound_admin && res.text.contains(KORDAI_MARKER) {
                        failures.push(format!("{method} {template} as {}: leaked another district's data", caller.name));
                    }
                    checked += 1;
                }
            }
        }
        for caller in callers.iter().filter(|c| c.bound_admin) {
            checked += escalate(&app, caller, &fixtures, &mut failures).await;
        }
        println!("access matrix: {checked} checks, {} leaks", failures.len());
        assert!(failures.is_empty(), "{} of {checked} checks failed:\n{}", failures.len(), failures.join("\n"));
        assert!(checked > 150, "only {checked} checks ran");
    }
}

/// What a Baizak-bound admin (or its key) tries in order to reach further: nationwide or
/// foreign users and keys, unbinding itself or others, linking a foreign deputy. Each
/// attempt must be refused or stay inside Baizak. Returns the number of checks made.
async fn escalate(
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
