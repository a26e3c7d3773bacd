//! Open311 GeoReport v2, driven with the specification's own examples (adapted where
//! Baqylau's data differs: service codes are appeal categories, places are KATO codes)
//! and checked field by field, error case by error case.

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::*;

const NAME: &str = "Сейтқали";
const PHONE: &str = "+77012345678";
const EMAIL: &str = "aigul.open311@example.kz";
const IIN: &str = "850715300122";

async fn key(app: &TestApp, admin: &Auth, scopes: &[&str], territory: Option<&str>) -> String {
    let res = app
        .post(
            "/api/v1/api-keys",
            admin,
            json!({"name": "Open311 portal", "scopes": scopes, "territory_id": territory.map(|k| app.territory(k))}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    res.json()["secret"].as_str().unwrap().to_owned()
}

async fn post_form(app: &TestApp, fields: &[(&str, &str)]) -> Response {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    let res = app
        .client
        .post(app.url("/open311/v2/requests.json"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    Response {
        status: res.status(),
        headers: res.headers().clone(),
        text: res.text().await.unwrap(),
    }
}

/// Asserts a GeoReport v2 error array with this status; returns the descriptions.
#[track_caller]
fn errors(res: &Response, status: u16) -> Vec<String> {
    assert_eq!(res.status.as_u16(), status, "{}", res.text);
    assert!(
        res.header("content-type")
            .is_some_and(|c| c.starts_with("application/json")),
        "{:?}",
        res.header("content-type")
    );
    let body = res.json();
    let items = body
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {body}"));
    assert!(!items.is_empty());
    items
        .iter()
        .map(|e| {
            assert_eq!(e["code"], status, "{e}");
            e["description"].as_str().unwrap().to_owned()
        })
        .collect()
}

fn valid<'a>(key: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("api_key", key),
        ("service_code", "UTIL_WATER"),
        ("address_id", "313630000"),
        ("email", EMAIL),
        ("device_id", "tt222111"),
        ("account_id", "123456"),
        ("first_name", "Айгүл"),
        ("last_name", NAME),
        ("phone", PHONE),
        ("description", "Ақсу ауылында ауыз су жоқ, құбыр тозған."),
        ("media_url", "http://myimage.jpg"),
        ("attribute[IIN]", IIN),
    ];
    for (name, value) in extra {
        fields.retain(|(n, _)| n != name);
        fields.push((name, value));
    }
    fields
}

/// Every field GeoReport v2 defines for a service request, present (maybe null), and no
/// personal data anywhere.
#[track_caller]
fn check_request(r: &Value) {
    for field in [
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "address_id",
        "zipcode",
        "lat",
        "long",
        "media_url",
    ] {
        assert!(r.get(field).is_some(), "{field} missing in {r}");
    }
    assert!(
        matches!(r["status"].as_str(), Some("open" | "closed")),
        "{r}"
    );
    for t in [
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
    ] {
        chrono::DateTime::parse_from_rfc3339(r[t].as_str().unwrap())
            .unwrap_or_else(|e| panic!("{t}: {e}"));
    }
    let text = r.to_string();
    for personal in [NAME, PHONE, "7012345678", EMAIL, IIN, "Айгүл"] {
        assert!(!text.contains(personal), "{personal} leaked: {text}");
    }
}

both_backends! {
    async fn discovery_and_services_follow_the_specification(app) {
        let d = app.get("/open311/v2/discovery.json", &Auth::None).await;
        assert_eq!(d.status, 200, "{}", d.text);
        let d = d.json();
        for field in ["changeset", "contact", "key_service"] {
            assert!(d[field].is_string(), "{field}: {d}");
        }
        let e = &d["endpoints"][0];
        assert_eq!(e["specification"], "http://wiki.open311.org/GeoReport_v2");
        assert!(e["url"].as_str().unwrap().ends_with("/open311/v2"));
        assert_eq!(e["type"], "production");
        assert!(e["formats"].as_array().unwrap().contains(&json!("application/json")));

        // GET services.json?jurisdiction_id=city.gov (the specification's example).
        let s = app.get("/open311/v2/services.json?jurisdiction_id=city.gov", &Auth::None).await;
        assert_eq!(s.status, 200, "{}", s.text);
        let services = s.json();
        let services = services.as_array().unwrap();
        assert!(services.len() > 10);
        for service in services {
            for field in ["service_code", "service_name", "description", "keywords", "group"] {
                assert!(service[field].is_string(), "{field}: {service}");
            }
            assert_eq!(service["type"], "realtime");
            assert_eq!(service["metadata"], true);
        }
        let water = services.iter().find(|s| s["service_code"] == "UTIL_WATER").unwrap();
        assert_eq!(water["group"], "utilities");
        assert!(water["keywords"].as_str().unwrap().contains("water"));

        // GET services/033.json — here a real category.
        let def = app.get("/open311/v2/services/UTIL_WATER.json?jurisdiction_id=city.gov", &Auth::None).await;
        assert_eq!(def.status, 200, "{}", def.text);
        let def = def.json();
        assert_eq!(def["service_code"], "UTIL_WATER");
        let attributes = def["attributes"].as_array().unwrap();
        let codes: Vec<&str> = attributes.iter().map(|a| a["code"].as_str().unwrap()).collect();
        assert_eq!(codes, ["IIN", "LANGUAGE", "CHANNEL"]);
        for a in attributes {
            assert_eq!(a["variable"], true);
            for field in ["datatype", "description"] {
                assert!(a[field].is_string(), "{field}: {a}");
            }
            assert!(a["required"].is_boolean() && a["order"].is_number() && a.get("datatype_description").is_some());
            if a["datatype"] == "singlevaluelist" {
                assert!(a["values"].as_array().unwrap().iter().all(|v| v["key"].is_string() && v["name"].is_string()));
            }
        }
        let missing = app.get("/open311/v2/services/033.json", &Auth::None).await;
        errors(&missing, 404);
        // JSON is the format served; XML answers 404 in the GeoReport error format.
        errors(&app.get("/open311/v2/services.xml", &Auth::None).await, 404);
    }

    async fn posting_needs_a_key_and_a_place_and_creates_an_ordinary_appeal(app) {
        app.create_user("admin@o.kz", "admin", None, None);
        let admin = app.bearer("admin@o.kz").await;
        let writer = key(&app, &admin, &["appeals:write", "appeals:read"], None).await;
        let reader = key(&app, &admin, &["appeals:read"], None).await;
        let kordai = key(&app, &admin, &["appeals:write"], Some(kato::KORDAI)).await;

        // The specification's example request, verbatim but for the key.
        let example: Vec<(&str, &str)> = vec![
            ("api_key", &writer), ("service_code", "001"), ("lat", "37.76524078"), ("long", "-122.4212043"),
            ("address_string", "1234 5th street"), ("email", "smit333@sfgov.edu"), ("device_id", "tt222111"),
            ("account_id", "123456"), ("first_name", "john"), ("last_name", "smith"), ("phone", "111111111"),
            ("description", "A large sinkhole is destroying the street"), ("media_url", "http://myimage.jpg"),
            ("attribute[WHISHETN]", "123"), ("attribute[ASDFA]", "123"),
        ];
        let e = errors(&post_form(&app, &example).await, 400);
        assert!(e.iter().any(|d| d.starts_with("address_string:")), "{e:?}");

        // 403 without a key, with a wrong one, with one that may not write appeals.
        let no_key: Vec<(&str, &str)> = valid(&writer, &[]).into_iter().filter(|(n, _)| *n != "api_key").collect();
        errors(&post_form(&app, &no_key).await, 403);
        errors(&post_form(&app, &valid("bq_0123456789ab_forged", &[])).await, 403);
        errors(&post_form(&app, &valid(&reader, &[])).await, 403);

        // Places: coordinates alone cannot be placed; no place at all; unknown codes.
        let mut coords = valid(&writer, &[("lat", "43.2"), ("long", "71.3")]);
        coords.retain(|(n, _)| *n != "address_id");
        let e = errors(&post_form(&app, &coords).await, 400);
        assert!(e.iter().any(|d| d.contains("coordinates")), "{e:?}");
        let mut nowhere = valid(&writer, &[]);
        nowhere.retain(|(n, _)| *n != "address_id");
        errors(&post_form(&app, &nowhere).await, 400);
        errors(&post_form(&app, &valid(&writer, &[("address_id", "999999999")])).await, 400);
        errors(&post_form(&app, &valid(&writer, &[("lat", "north")])).await, 400);
        let long_text = "ә".repeat(4001);
        let e = errors(&post_form(&app, &valid(&writer, &[("description", &long_text)])).await, 400);
        assert!(e.iter().any(|d| d.starts_with("description:")), "{e:?}");
        // Baqylau's own checks, in Open311's field names, all at once.
        let e = errors(&post_form(&app, &valid(&writer, &[("service_code", "001"), ("attribute[IIN]", "123"), ("attribute[CHANNEL]", "pigeon")])).await, 400);
        for field in ["service_code:", "attribute[IIN]:", "attribute[CHANNEL]:"] {
            assert!(e.iter().any(|d| d.starts_with(field)), "{field} in {e:?}");
        }
        // A key bound to Kordai cannot file in Baizak.
        errors(&post_form(&app, &valid(&kordai, &[])).await, 400);

        // The good one.
        let res = post_form(&app, &valid(&writer, &[])).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let created = res.json();
        let created = &created[0];
        let id = created["service_request_id"].as_str().unwrap().to_owned();
        assert!(created["service_notice"].as_str().unwrap().contains("ZHA-"));
        assert!(created.get("account_id").is_some());

        // An ordinary appeal, in the dashboard, made by the key.
        let appeal = app.get(&format!("/api/v1/appeals/{id}"), &admin).await;
        assert_eq!(appeal.status, 200, "{}", appeal.text);
        let appeal = appeal.json();
        assert_eq!(appeal["channel"], "online");
        assert_eq!(appeal["category"], "UTIL_WATER");
        assert_eq!(appeal["status"], "registered");
        assert_eq!(appeal["language"], "kk");
        assert_eq!(appeal["territory_id"], app.territory(kato::SARYKEMER));
        assert_eq!(appeal["citizen"]["full_name"], format!("{NAME} Айгүл"));
        // The key's channel attribute and the address by name work too.
        let res = post_form(&app, &valid(&writer, &[("attribute[CHANNEL]", "phone"), ("description", "Көшеде жарық жоқ.")])).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let phone_id = res.json()[0]["service_request_id"].as_str().unwrap().to_owned();
        assert_eq!(app.get(&format!("/api/v1/appeals/{phone_id}"), &admin).await.json()["channel"], "phone");
        let mut by_name = valid(&writer, &[("address_string", "Байзакский район")]);
        by_name.retain(|(n, _)| *n != "address_id");
        let res = post_form(&app, &by_name).await;
        assert_eq!(res.status, 201, "{}", res.text);
        // Idempotency-Key: a retried post registers one appeal.
        let mut retried = Vec::new();
        for _ in 0..2 {
            let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(valid(&writer, &[])).finish();
            let res = app.client.post(app.url("/open311/v2/requests.json")).header("Content-Type", "application/x-www-form-urlencoded").header("Idempotency-Key", "open311-retry-1").body(body).send().await.unwrap();
            assert_eq!(res.status(), 201);
            retried.push(res.json::<Value>().await.unwrap()[0]["service_request_id"].clone());
        }
        assert_eq!(retried[0], retried[1]);

        // Public reads: every field, no personal data.
        let one = app.get(&format!("/open311/v2/requests/{id}.json"), &Auth::None).await;
        assert_eq!(one.status, 200, "{}", one.text);
        let one = one.json();
        assert_eq!(one.as_array().unwrap().len(), 1);
        let r = &one[0];
        check_request(r);
        assert_eq!(r["service_request_id"], id.as_str());
        assert_eq!(r["status"], "open");
        assert!(r["status_notes"].as_str().unwrap().starts_with("registered"));
        assert_eq!(r["service_code"], "UTIL_WATER");
        assert_eq!(r["address_id"], "313630000");
        let due = appeal["due_on"].as_str().unwrap();
        assert_eq!(r["expected_datetime"], format!("{due}T18:00:00+05:00"));
        errors(&app.get("/open311/v2/requests/999999.json", &Auth::None).await, 404);
        errors(&app.get("/open311/v2/requests/abc.json", &Auth::None).await, 404);
    }

    async fn listing_filters_by_id_service_status_and_dates(app) {
        app.create_user("admin@o.kz", "admin", None, None);
        let admin = app.bearer("admin@o.kz").await;
        let writer = key(&app, &admin, &["appeals:write"], None).await;
        let a = post_form(&app, &valid(&writer, &[])).await.json()[0]["service_request_id"].as_str().unwrap().to_owned();
        let b = post_form(&app, &valid(&writer, &[("service_code", "UTIL_IRRIGATION")])).await.json()[0]["service_request_id"].as_str().unwrap().to_owned();
        // An appeal received long ago: outside the default 90 days.
        let old = app.post("/api/v1/appeals", &admin, json!({
            "channel": "letter", "category": "UTIL_WATER", "territory_id": app.territory(kato::SARYKEMER),
            "citizen": {"full_name": NAME}, "subject": "Су", "description": "Ауыз су жоқ.", "language": "kk",
            "received_at": "2026-01-12T05:00:00Z"
        })).await;
        assert_eq!(old.status, 201, "{}", old.text);
        let old = old.json()["id"].as_i64().unwrap().to_string();
        // Close one.
        let version = format!("\"{}\"", app.get(&format!("/api/v1/appeals/{b}"), &admin).await.json()["version"]);
        let res = app.request(Method::POST, &format!("/api/v1/appeals/{b}/transitions"), &admin, Some(json!({"to": "rejected", "resolution": "Құзыретке жатпайды"})), &[("If-Match", &version)]).await;
        assert_eq!(res.status, 200, "{}", res.text);

        let ids = |res: Response| -> Vec<String> {
            assert_eq!(res.status, 200, "{}", res.text);
            let body = res.json();
            body.as_array().unwrap().iter().map(|r| { check_request(r); r["service_request_id"].as_str().unwrap().to_owned() }).collect()
        };
        // Default: the last 90 days, newest first.
        assert_eq!(ids(app.get("/open311/v2/requests.json", &Auth::None).await), [b.clone(), a.clone()]);
        assert_eq!(ids(app.get("/open311/v2/requests.json?status=open", &Auth::None).await), vec![a.clone()]);
        let closed = app.get("/open311/v2/requests.json?status=closed", &Auth::None).await.json();
        assert_eq!(closed[0]["service_request_id"], b.as_str());
        assert_eq!(closed[0]["status"], "closed");
        assert!(closed[0]["status_notes"].as_str().unwrap().starts_with("rejected"));
        assert_eq!(ids(app.get("/open311/v2/requests.json?status=open,closed&service_code=UTIL_IRRIGATION", &Auth::None).await), vec![b.clone()]);
        // service_request_id overrides every other parameter.
        let q = format!("/open311/v2/requests.json?service_request_id={a},{old}&status=closed&service_code=NOPE");
        let mut got = ids(app.get(&q, &Auth::None).await);
        got.sort();
        let mut want = vec![a.clone(), old.clone()];
        want.sort();
        assert_eq!(got, want);
        // Dates: the specification's example range, an explicit window, the limits.
        assert_eq!(ids(app.get("/open311/v2/requests.json?start_date=2010-05-24T00:00:00Z&end_date=2010-06-24T00:00:00Z&status=open", &Auth::None).await), Vec::<String>::new());
        assert_eq!(ids(app.get("/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-03-01T00:00:00Z", &Auth::None).await), vec![old.clone()]);
        assert_eq!(ids(app.get("/open311/v2/requests.json?start_date=2026-01-01", &Auth::None).await), vec![old.clone()]);
        let e = errors(&app.get("/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", &Auth::None).await, 400);
        assert!(e[0].contains("90 days"), "{e:?}");
        errors(&app.get("/open311/v2/requests.json?start_date=yesterday", &Auth::None).await, 400);
        errors(&app.get("/open311/v2/requests.json?end_date=2026-01-01T00:00:00Z&start_date=2026-02-01T00:00:00Z", &Auth::None).await, 400);
        errors(&app.get("/open311/v2/requests.json?status=pending", &Auth::None).await, 400);
        errors(&app.get("/open311/v2/requests.json?service_request_id=1,x", &Auth::None).await, 400);
        errors(&app.get("/open311/v2/requests.json?status=open&status=closed", &Auth::None).await, 400);
    }

    async fn the_responsible_agency_comes_from_reference_data_not_staff_text(app) {
        use baqylau::db::schema::{appeals, territories};
        use diesel::prelude::*;
        app.create_user("agency@o.kz", "admin", None, None);
        let admin = app.bearer("agency@o.kz").await;
        let appeal = app.post("/api/v1/appeals", &admin, json!({
            "channel": "phone", "category": "UTIL_WATER", "territory_id": app.territory(kato::SARYKEMER),
            "citizen": {"full_name": NAME}, "subject": "Су", "description": "Ауыз су жоқ.", "language": "kk"
        })).await;
        assert_eq!(appeal.status, 201, "{}", appeal.text);
        let id = appeal.json()["id"].as_i64().unwrap();
        // Staff typed a person's name as the assigned body (finding 9 of issue #18).
        let typed = "Аким Сарыкемер а/о Ахметов Б.";
        diesel::update(appeals::table.find(id))
            .set(appeals::assigned_body.eq(Some(typed)))
            .execute(&mut *app.conn())
            .unwrap();
        let district: String = territories::table
            .filter(territories::kato_code.eq(kato::BAIZAK))
            .select(territories::name_ru)
            .first(&mut *app.conn())
            .unwrap();
        for path in [format!("/open311/v2/requests/{id}.json"), format!("/open311/v2/requests.json?service_request_id={id}"), "/open311/v2/requests.json".to_owned()] {
            let res = app.get(&path, &Auth::None).await;
            assert_eq!(res.status, 200, "{}", res.text);
            for planted in [typed, "Ахметов"] {
                assert!(!res.text.contains(planted), "{path}: staff's text {planted:?} published: {}", res.text);
            }
            let item = res.json()[0].clone();
            check_request(&item);
            assert_eq!(item["agency_responsible"], district.as_str(), "{path}: the district whose akimat answers");
        }
    }
}
