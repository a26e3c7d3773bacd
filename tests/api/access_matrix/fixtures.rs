//! The objects the matrix probes: Baizak's, organised in Baizak, and the region's,
//! visible to Baizak but organised above it.

use serde_json::json;

use super::{KORDAI_MARKER, MARKER};
use crate::helpers::*;

pub struct Fixtures {
    pub target_user: i64,
    pub victim_key: i64,
    pub territory: i64,
    pub appeal: Option<i64>,
    pub reception: i64,
    /// A proposal in the fixture reception's protocol.
    pub proposal: i64,
    /// A road map of Baizak, one of its indicators, and its section.
    pub roadmap: Option<(i64, i64, i64)>,
    pub bound_admin_user: i64,
    pub kordai_deputy: i64,
    pub national_key: i64,
    /// The Baizak deputy, their assignment to Sarykemer, and a reserve candidate of Baizak.
    pub deputy: i64,
    pub assignment: i64,
    pub candidate: i64,
    /// A webhook bound to Baizak (so the Baizak-bound admin reaches it).
    pub webhook: i64,
    /// Objects visible in Baizak but organised by the region.
    pub regional: Regional,
    /// The organiser of the fixtures other than `regional` (Baizak district).
    pub baizak_path: String,
}

/// The Baizak deputy's assignment to Sarykemer and a Baizak reserve candidate.
pub async fn create_fixture_deputy_work(app: &TestApp, district: &Auth, deputy: i64) -> (i64, i64) {
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
pub async fn create_fixture_appeal(app: &TestApp, district: &Auth) -> Option<i64> {
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
    let id = match res.status.as_u16() {
        201 => res.json()["id"].as_i64().unwrap(),
        404 => return None,
        other => panic!("creating the fixture appeal: {other} {}", res.text),
    };
    // Under control, so that the next move (`assigned`) names a deputy.
    let res = app
        .request(
            reqwest::Method::POST,
            &format!("/api/v1/appeals/{id}/transitions"),
            district,
            Some(json!({"to": "under_control"})),
            &[("If-Match", "*")],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    Some(id)
}

/// A reception of Baizak district that visits Sarykemer (where the matrix's deputy is).
pub async fn create_fixture_reception(app: &TestApp, district: &Auth) -> i64 {
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
pub async fn create_fixture_proposal(app: &TestApp, district: &Auth, reception: i64) -> i64 {
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
pub async fn create_fixture_roadmap(
    app: &TestApp,
    district: &Auth,
    deputy: i64,
) -> Option<(i64, i64, i64)> {
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
    Some((roadmap, res.json()["id"].as_i64().unwrap(), section))
}

/// An appeal only Kordai may see, to catch a Baizak-bound caller reaching further.
pub async fn create_kordai_appeal(app: &TestApp, kordai: &Auth) {
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

/// What the region organises and Baizak sees: a debate club of the region that visits
/// Sarykemer (with a proposal), and the regional road map with a section and an
/// indicator in Sarykemer. Baizak's callers read them and change none of them.
#[derive(Debug)]
pub struct Regional {
    pub reception: i64,
    pub proposal: i64,
    pub roadmap: i64,
    pub section: i64,
    pub indicator: i64,
    /// The organiser (the region): its id and territory path.
    pub territory: i64,
    pub path: String,
}

/// `deputy` answers for the indicator, so that they may report progress on it.
pub async fn create_regional_fixtures(app: &TestApp, region: &Auth, deputy: i64) -> Regional {
    let created = |res: crate::helpers::Response| {
        assert_eq!(res.status, 201, "a regional fixture: {}", res.text);
        res.json()["id"].as_i64().unwrap()
    };
    let reception = created(
        app.post(
            "/api/v1/receptions",
            region,
            json!({"kind": "debate_club", "title": "Облыстық пікірсайыс", "level": "regional",
                   "territory_id": app.territory(kato::ZHAMBYL), "settlement_ids": [app.territory(kato::SARYKEMER)],
                   "planned_start": "2026-12-11T04:00:00Z", "planned_end": "2026-12-11T07:00:00Z"}),
        )
        .await,
    );
    let proposal = created(
        app.post(
            &format!("/api/v1/receptions/{reception}/proposals"),
            region,
            json!({"text": "Облыстық ұсыныс"}),
        )
        .await,
    );
    let roadmap = created(
        app.post(
            "/api/v1/roadmaps",
            region,
            json!({"title_kk": "Облыс жол картасы", "title_ru": "Дорожная карта области", "kind": "regional",
                   "territory_id": app.territory(kato::ZHAMBYL), "year": 2026}),
        )
        .await,
    );
    let section = created(
        app.post(
            &format!("/api/v1/roadmaps/{roadmap}/sections"),
            region,
            json!({"title": "Облыс бөлімі"}),
        )
        .await,
    );
    let indicator = created(
        app.post(
            "/api/v1/indicators",
            region,
            json!({"roadmap_id": roadmap, "section_id": section, "title": "Облыс көрсеткіші",
                   "territory_id": app.territory(kato::SARYKEMER), "kind": "event", "due_on": "2026-12-31",
                   "deputy_id": deputy}),
        )
        .await,
    );
    Regional {
        reception,
        proposal,
        roadmap,
        section,
        indicator,
        territory: app.territory(kato::ZHAMBYL),
        path: super::callers::path_of(app, kato::ZHAMBYL),
    }
}
