//! The sixteen kinds of caller the matrix walks every operation as.

use serde_json::json;

use super::fixtures::*;
use crate::helpers::*;

#[derive(Debug)]
pub struct Caller {
    pub name: &'static str,
    pub auth: Auth,
    /// `Some(role)` for people, `None` for keys.
    pub role: Option<&'static str>,
    /// For keys: the scopes it carries.
    pub scopes: &'static [&'static str],
    /// The KATO code of the territory it is bound to.
    pub bound: Option<&'static str>,
    /// That territory's materialised path, to compare with an organiser's.
    pub path: Option<String>,
    /// Bound to the fixtures' district (Baizak) while holding admin powers: it must not
    /// reach Kordai's data or anything nationwide.
    pub bound_admin: bool,
}

impl Caller {
    fn new(
        name: &'static str,
        auth: Auth,
        role: Option<&'static str>,
        scopes: &'static [&'static str],
        bound: Option<&'static str>,
    ) -> Caller {
        Caller {
            name,
            auth,
            role,
            scopes,
            bound,
            path: None,
            bound_admin: false,
        }
    }

    /// Bound outside the fixtures' district.
    pub fn outsider(&self) -> bool {
        self.bound == Some(kato::KORDAI)
    }

    /// Whether the caller's territory holds `organiser` (a territory path): the caller
    /// may then change what that territory organises.
    pub fn covers(&self, organiser: &str) -> bool {
        self.path
            .as_deref()
            .is_none_or(|p| organiser.starts_with(p))
    }
}

/// The materialised path of a territory.
pub fn path_of(app: &TestApp, code: &str) -> String {
    use baqylau::db::schema::territories;
    use diesel::prelude::*;
    territories::table
        .filter(territories::kato_code.eq(code))
        .select(territories::path)
        .first(&mut *app.conn())
        .unwrap()
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

pub async fn setup(app: &TestApp) -> (Vec<Caller>, Fixtures) {
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
    let regional = create_regional_fixtures(app, &app.bearer("regional@m.kz").await, deputy).await;
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
    let person = |name, auth, role, bound| Caller::new(name, auth, Some(role), &[], bound);
    let key =
        |name, secret, scopes, bound| Caller::new(name, Auth::Key(secret), None, scopes, bound);
    let invalid = |name, auth| Caller::new(name, auth, None, &[], None);
    let mut callers = vec![
        invalid("no credentials", Auth::None),
        invalid("garbage token", Auth::Bearer("garbage".into())),
        invalid("forged token", Auth::Bearer(forged)),
        invalid("expired token", Auth::Bearer(expired)),
        invalid("unknown key", Auth::Key("bq_0123456789ab_nope".into())),
        person("admin", admin.clone(), "admin", None),
        person(
            "regional_staff",
            app.bearer("regional@m.kz").await,
            "regional_staff",
            Some(kato::ZHAMBYL),
        ),
        person(
            "district_staff",
            app.bearer("district@m.kz").await,
            "district_staff",
            Some(kato::BAIZAK),
        ),
        person(
            "deputy",
            app.bearer("deputy@m.kz").await,
            "deputy",
            Some(kato::SARYKEMER),
        ),
        person(
            "viewer",
            app.bearer("viewer@m.kz").await,
            "viewer",
            Some(kato::ZHAMBYL),
        ),
        key("key with all scopes", key_all, all_scopes, None),
        key("key without the scope", key_none, &["deputies:read"], None),
        person(
            "staff of another district",
            app.bearer("other@m.kz").await,
            "district_staff",
            Some(kato::KORDAI),
        ),
        key(
            "key of another district",
            key_other,
            all_scopes,
            Some(kato::KORDAI),
        ),
        person(
            "admin bound to Baizak",
            bound_admin,
            "admin",
            Some(kato::BAIZAK),
        ),
        key(
            "key of the Baizak admin",
            key_bound,
            all_scopes,
            Some(kato::BAIZAK),
        ),
    ];
    for caller in &mut callers {
        caller.path = caller.bound.map(|code| path_of(app, code));
        caller.bound_admin = matches!(
            caller.name,
            "admin bound to Baizak" | "key of the Baizak admin"
        );
    }
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
            regional,
            baizak_path: path_of(app, kato::BAIZAK),
        },
    )
}
