//! Deputies: the registry, assignments (overlap, recall, who was responsible on a day),
//! coverage gaps, monthly ratings with snapshots and the audited recompute, citizens'
//! one-time feedback links, and the cadre reserve.

use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::*;

/// The tests' "now": mid-November 2026, so September 2026 is a finished month.
const NOW: &str = "2026-11-16T06:00:00Z";

async fn staff(app: &TestApp) -> Auth {
    app.create_user("baizak@d.kz", "district_staff", Some(kato::BAIZAK), None);
    app.bearer("baizak@d.kz").await
}

async fn regional(app: &TestApp) -> Auth {
    app.create_user("zhambyl@d.kz", "regional_staff", Some(kato::ZHAMBYL), None);
    app.bearer("zhambyl@d.kz").await
}

/// The rural okrugs, towns and city territories of a district: (id, kato), by kato.
fn assignable(app: &TestApp, district: &str) -> Vec<(i64, String)> {
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

async fn new_deputy(app: &TestApp, auth: &Auth, name: &str) -> i64 {
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

async fn assign(
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

async fn patch(app: &TestApp, auth: &Auth, path: &str, body: Value) -> Response {
    let current = app.get(path.split("?").next().unwrap(), auth).await;
    let tag = current.header("etag").unwrap_or_default();
    app.request(Method::PATCH, path, auth, Some(body), &[("If-Match", &tag)])
        .await
}

async fn patch_assignment(
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

both_backends! {
    async fn registry_and_overlapping_assignments(app) {
        let app = respawn_at(app, NOW).await;
        let auth = staff(&app).await;
        // Every bad field at once.
        let res = app
            .post("/api/v1/deputies", &auth, json!({"full_name": " ", "level": "senate", "phone": "12",
                   "email": "nope", "mandate_status": "asleep", "party_roles": [{"role": "king"}]}))
            .await;
        let body = res.problem(422, "validation_failed");
        let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        for f in ["email", "full_name", "level", "mandate_status", "maslikhat_territory_id", "party_roles[0].from", "party_roles[0].role", "phone"] {
            assert!(fields.contains(&f), "{f} missing in {fields:?}");
        }
        let deputy = new_deputy(&app, &auth, "Асқаров Ерлан").await;
        let d = app.get(&format!("/api/v1/deputies/{deputy}"), &auth).await.json();
        assert_eq!(d["mandate_status"], "active");
        assert_eq!(d["email"], "deputy@example.kz");
        assert_eq!(d["party_roles"][0]["role"], "political_council");
        assert_eq!(d["user_id"], Value::Null);
        // Users still link to the registry.
        let user = app.create_user("dep@d.kz", "deputy", Some(kato::SARYKEMER), Some(deputy));
        let d = app.get(&format!("/api/v1/deputies/{deputy}"), &auth).await.json();
        assert_eq!(d["user_id"], user);

        let okrugs = assignable(&app, kato::BAIZAK);
        let (x, _) = okrugs[0];
        let res = assign(&app, &auth, deputy, x, "2026-01-01", Some("2026-06-30")).await;
        assert_eq!(res.status, 201, "{}", res.text);
        // Overlapping the same territory: 409, open-ended or bounded.
        assign(&app, &auth, deputy, x, "2026-06-30", None).await.problem(409, "assignment_overlap");
        assign(&app, &auth, deputy, x, "2025-12-01", Some("2026-01-01")).await.problem(409, "assignment_overlap");
        // Right after it, or another territory at the same time: fine.
        assert_eq!(assign(&app, &auth, deputy, x, "2026-07-01", None).await.status, 201);
        assert_eq!(assign(&app, &auth, deputy, okrugs[1].0, "2026-01-01", None).await.status, 201);
        // Bad bodies: every field; a district is not assignable; ends before it starts.
        let res = app.post("/api/v1/assignments", &auth, json!({})).await;
        let body = res.problem(422, "validation_failed");
        assert_eq!(body["errors"].as_array().unwrap().len(), 3, "{body}");
        let res = assign(&app, &auth, deputy, app.territory(kato::BAIZAK), "2026-03-01", Some("2026-02-01")).await;
        let body = res.problem(422, "validation_failed");
        let codes: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
        assert_eq!(codes, ["range", "level"], "{body}");
        // Outside the caller's district: refused by field.
        let kordai = assignable(&app, kato::KORDAI)[0].0;
        assign(&app, &auth, deputy, kordai, "2026-01-01", None).await.problem(422, "validation_failed");
        // Idempotent creation.
        let key = [("Idempotency-Key", "bind-3")];
        let body = json!({"deputy_id": deputy, "territory_id": okrugs[2].0, "starts_on": "2026-02-01"});
        let first = app.request(Method::POST, "/api/v1/assignments", &auth, Some(body.clone()), &key).await;
        let again = app.request(Method::POST, "/api/v1/assignments", &auth, Some(body), &key).await;
        assert_eq!(first.status, 201);
        assert_eq!(again.status, 201);
        assert_eq!(first.json()["id"], again.json()["id"]);
        let list = app.get(&format!("/api/v1/deputies/{deputy}/assignments?include_total=true"), &auth).await.json();
        assert_eq!(list["total"], 4, "{list}");
        // Staff of another district neither see nor reach the deputy.
        app.create_user("kordai@d.kz", "district_staff", Some(kato::KORDAI), None);
        let other = app.bearer("kordai@d.kz").await;
        app.get(&format!("/api/v1/deputies/{deputy}"), &other).await.problem(404, "not_found");
        let theirs = app.get("/api/v1/deputies?include_total=true", &other).await.json();
        assert_eq!(theirs["total"], 0, "{theirs}");
    }

    async fn recall_ends_open_assignments_and_keeps_history(app) {
        let app = respawn_at(app, NOW).await;
        let auth = staff(&app).await;
        let deputy = new_deputy(&app, &auth, "Отозванный депутат").await;
        let okrugs = assignable(&app, kato::BAIZAK);
        let ended = assign(&app, &auth, deputy, okrugs[0].0, "2025-01-01", Some("2025-12-31")).await.json();
        let open = assign(&app, &auth, deputy, okrugs[1].0, "2026-01-01", None).await.json();
        let future = assign(&app, &auth, deputy, okrugs[2].0, "2026-12-01", None).await.json();
        let res = patch(&app, &auth, &format!("/api/v1/deputies/{deputy}"),
                        json!({"mandate_status": "recalled", "mandate_status_since": "2026-10-15", "mandate_reason": "Низкий рейтинг"})).await;
        assert_eq!(res.status, 200, "{}", res.text);
        assert_eq!(res.json()["mandate_status"], "recalled");
        let list = app.get(&format!("/api/v1/deputies/{deputy}/assignments"), &auth).await.json();
        let by_id = |id: &Value| list["items"].as_array().unwrap().iter().find(|a| a["id"] == *id).cloned().unwrap();
        assert_eq!(by_id(&ended["id"])["ends_on"], "2025-12-31", "an ended one is untouched");
        assert_eq!(by_id(&open["id"])["ends_on"], "2026-10-15", "an open one ends on the recall date");
        assert_eq!(by_id(&open["id"])["end_reason"], "mandate recalled");
        assert_eq!(by_id(&future["id"])["ends_on"], "2026-11-30", "one not yet begun covers no day");
        assert_eq!(list["items"].as_array().unwrap().len(), 3, "nothing deleted");
        let on = app.get(&format!("/api/v1/territories/{}/deputies?on=2026-10-15", okrugs[1].0), &auth).await.json();
        assert_eq!(on["items"][0]["deputy_id"], deputy);
        let after = app.get(&format!("/api/v1/territories/{}/deputies?on=2026-10-16", okrugs[1].0), &auth).await.json();
        assert_eq!(after["items"], json!([]));
        // A recalled deputy takes no new territory.
        let res = assign(&app, &auth, deputy, okrugs[3].0, "2026-11-01", None).await;
        let body = res.problem(422, "validation_failed");
        assert_eq!(body["errors"][0]["code"], "mandate_not_active");
        // The history of the assignment records its end.
        let admin_email = "admin@d.kz";
        app.create_user(admin_email, "admin", None, None);
        let admin = app.bearer(admin_email).await;
        let audit = app.get(&format!("/api/v1/audit?entity=assignment&entity_id={}", open["id"]), &admin).await.json();
        let actions: Vec<&str> = audit["items"].as_array().unwrap().iter().map(|a| a["action"].as_str().unwrap()).collect();
        assert!(actions.contains(&"update") && actions.contains(&"create"), "{audit}");
    }

    async fn who_was_responsible_across_a_reassignment(app) {
        let app = respawn_at(app, NOW).await;
        let auth = staff(&app).await;
        let first = new_deputy(&app, &auth, "Бірінші депутат").await;
        let second = new_deputy(&app, &auth, "Екінші депутат").await;
        let x = assignable(&app, kato::BAIZAK)[0].0;
        let a = assign(&app, &auth, first, x, "2026-01-01", None).await.json();
        // Ending is an update with If-Match; a missing one is 428, a bad date 422.
        let path = format!("/api/v1/assignments/{}", a["id"]);
        let res = app.request(Method::PATCH, &path, &auth, Some(json!({"ends_on": "2026-03-31"})), &[]).await;
        res.problem(428, "precondition_required");
        let id = a["id"].as_i64().unwrap();
        patch_assignment(&app, &auth, id, 1, json!({"ends_on": "2025-01-01"})).await.problem(422, "validation_failed");
        patch_assignment(&app, &auth, id, 1, json!({})).await.problem(422, "validation_failed");
        let res = patch_assignment(&app, &auth, id, 1, json!({"ends_on": "2026-03-31", "end_reason": "Reassigned"})).await;
        assert_eq!(res.status, 200, "{}", res.text);
        patch_assignment(&app, &auth, id, 2, json!({"ends_on": "2026-04-30"})).await.problem(409, "already_ended");
        assert_eq!(assign(&app, &auth, second, x, "2026-04-01", None).await.status, 201);
        let who = |on: &'static str| {
            let (app, auth) = (&app, &auth);
            async move {
                let res = app.get(&format!("/api/v1/territories/{x}/deputies?on={on}"), auth).await;
                assert_eq!(res.status, 200, "{}", res.text);
                res.json()["items"].as_array().unwrap().iter().map(|i| i["deputy_id"].as_i64().unwrap()).collect::<Vec<_>>()
            }
        };
        assert_eq!(who("2025-12-31").await, Vec::<i64>::new());
        assert_eq!(who("2026-02-15").await, vec![first]);
        assert_eq!(who("2026-03-31").await, vec![first]);
        assert_eq!(who("2026-04-01").await, vec![second]);
        assert_eq!(who("2026-11-16").await, vec![second]);
        // Today by default; a bad date is 422 naming `on`.
        let today = app.get(&format!("/api/v1/territories/{x}/deputies"), &auth).await.json();
        assert_eq!(today["on"], "2026-11-16");
        let res = app.get(&format!("/api/v1/territories/{x}/deputies?on=1999-01-01"), &auth).await;
        assert_eq!(res.problem(422, "validation_failed")["errors"][0]["field"], "on");
    }

    async fn coverage_lists_exactly_the_unassigned(app) {
        let app = respawn_at(app, NOW).await;
        let auth = staff(&app).await;
        let deputy = new_deputy(&app, &auth, "Қамтушы депутат").await;
        let suspended = new_deputy(&app, &auth, "Тоқтатылған депутат").await;
        let okrugs = assignable(&app, kato::BAIZAK);
        assert!(okrugs.len() >= 5, "{okrugs:?}");
        let (gap_a, gap_b, ended, by_suspended) = (okrugs[1].0, okrugs[3].0, okrugs[4].0, okrugs[2].0);
        for (id, _) in &okrugs {
            if [gap_a, gap_b, by_suspended].contains(id) {
                continue;
            }
            let ends = (*id == ended).then_some("2026-10-31");
            assert_eq!(assign(&app, &auth, deputy, *id, "2026-01-01", ends).await.status, 201);
        }
        assert_eq!(assign(&app, &auth, suspended, by_suspended, "2026-01-01", None).await.status, 201);
        let res = patch(&app, &auth, &format!("/api/v1/deputies/{suspended}"), json!({"mandate_status": "suspended"})).await;
        assert_eq!(res.status, 200, "{}", res.text);
        let baizak = app.territory(kato::BAIZAK);
        let cov = app.get(&format!("/api/v1/assignments/coverage?territory_id={baizak}"), &auth).await.json();
        let gaps: Vec<i64> = cov["uncovered"].as_array().unwrap().iter().map(|g| g["territory_id"].as_i64().unwrap()).collect();
        let mut expected = vec![gap_a, gap_b, ended, by_suspended];
        expected.sort_by_key(|id| okrugs.iter().position(|(o, _)| o == id));
        assert_eq!(gaps, expected, "{cov}");
        assert_eq!(cov["total"], okrugs.len() as i64);
        assert_eq!(cov["covered"], okrugs.len() as i64 - 4);
        // On a day when the ended one still ran and the suspension had not mattered yet,
        // only the never-assigned gaps and the suspended deputy's okrug remain.
        let past = app.get(&format!("/api/v1/assignments/coverage?territory_id={baizak}&on=2026-06-01"), &auth).await.json();
        assert_eq!(past["uncovered"].as_array().unwrap().len(), 3, "{past}");
        // The caller's own district by default; bad parameters are 422.
        let mine = app.get("/api/v1/assignments/coverage", &auth).await.json();
        assert_eq!(mine["territory_id"], baizak);
        let res = app.get("/api/v1/assignments/coverage?territory_id=x&on=soon", &auth).await;
        assert_eq!(res.problem(422, "validation_failed")["errors"].as_array().unwrap().len(), 2);
        let kordai = app.territory(kato::KORDAI);
        app.get(&format!("/api/v1/assignments/coverage?territory_id={kordai}"), &auth).await.problem(422, "validation_failed");
    }
}

/// Creates an appeal in Sarykemer through the API and places it in the rating month
/// directly: assigned to `deputy`, with this deadline and closing time.
async fn appeal_in_month(
    app: &TestApp,
    auth: &Auth,
    deputy: i64,
    due: &str,
    resolved: Option<&str>,
) -> i64 {
    use baqylau::db::schema::appeals;
    let res = app
        .post(
            "/api/v1/appeals",
            auth,
            json!({"channel": "reception_room", "category": "UTIL_WATER", "territory_id": app.territory(kato::SARYKEMER),
                   "citizen": {"full_name": "Сейтқали Айгүл", "iin": "850715300122", "phone": "+7 701 234 56 78"},
                   "subject": "Ауыз су", "description": "Ауылда ауыз су жоқ.", "language": "kk"}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let id = res.json()["id"].as_i64().unwrap();
    let due = chrono::NaiveDate::parse_from_str(due, "%Y-%m-%d").unwrap();
    let resolved_at =
        resolved.map(|r| chrono::NaiveDateTime::parse_from_str(r, "%Y-%m-%d %H:%M:%S").unwrap());
    diesel::update(appeals::table.find(id))
        .set((
            appeals::deputy_id.eq(Some(deputy)),
            appeals::status.eq(if resolved.is_some() {
                "resolved"
            } else {
                "in_progress"
            }),
            appeals::resolution.eq(resolved.map(|_| "Су құбыры жөнделді")),
            appeals::due_on.eq(due),
            appeals::resolved_at.eq(resolved_at),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    id
}

/// Seeds September 2026 for `deputy`, each component known by hand:
/// appeals on time 2, overdue 2; receptions 1; indicators done 1, overdue 1;
/// satisfaction (5 + 4) / 2 − 3 = 1.5.
async fn seed_september(app: &TestApp, auth: &Auth, deputy: i64) -> i64 {
    use baqylau::db::schema::{feedback_links, indicators, receptions};
    // Resolved on 2026-09-15 (Almaty) before its deadline of 09-20: on time.
    let on_time =
        appeal_in_month(app, auth, deputy, "2026-09-20", Some("2026-09-15 04:00:00")).await;
    // Closed 09-12 after its deadline of 09-10: overdue.
    appeal_in_month(app, auth, deputy, "2026-09-10", Some("2026-09-12 04:00:00")).await;
    // Due 09-25, never closed: overdue.
    appeal_in_month(app, auth, deputy, "2026-09-25", None).await;
    // 2026-09-30 20:00 UTC is already 1 October in Almaty: counted in October, not here.
    appeal_in_month(app, auth, deputy, "2026-10-05", Some("2026-09-30 20:00:00")).await;
    // Closed 09-28, due in October: on time in September.
    let early = appeal_in_month(app, auth, deputy, "2026-10-05", Some("2026-09-28 04:00:00")).await;
    // Due in August, closed late in September: counts against August, not September.
    appeal_in_month(app, auth, deputy, "2026-08-25", Some("2026-09-02 04:00:00")).await;

    // One reception held on 15 September with the deputy, one cancelled.
    for (status, n) in [("held", 0), ("cancelled", 1)] {
        let res = app
            .post(
                "/api/v1/receptions",
                auth,
                json!({"title": format!("Қабылдау {n}"), "level": "district", "territory_id": app.territory(kato::BAIZAK),
                       "settlement_ids": [app.territory(kato::SARYKEMER)],
                       "planned_start": format!("2026-12-1{n}T04:00:00Z"), "planned_end": format!("2026-12-1{n}T09:00:00Z"),
                       "participants": [{"deputy_id": deputy, "full_name": "Депутат", "role": "deputy"}]}),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.text);
        let id = res.json()["id"].as_i64().unwrap();
        let start =
            chrono::NaiveDateTime::parse_from_str("2026-09-15 04:00:00", "%Y-%m-%d %H:%M:%S")
                .unwrap();
        diesel::update(receptions::table.find(id))
            .set((
                receptions::status.eq(status),
                receptions::planned_start.eq(start),
                receptions::planned_end.eq(start + chrono::Duration::hours(5)),
            ))
            .execute(&mut *app.conn())
            .unwrap();
    }

    // Indicators due in September: one done, one not; one due in October does not count.
    let res = app
        .post(
            "/api/v1/roadmaps",
            auth,
            json!({"title_kk": "Жол картасы", "title_ru": "Дорожная карта",
              "kind": "territorial", "territory_id": app.territory(kato::BAIZAK), "year": 2026}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let roadmap = res.json()["id"].as_i64().unwrap();
    let res = app
        .post(
            &format!("/api/v1/roadmaps/{roadmap}/sections"),
            auth,
            json!({"title": "Бөлім"}),
        )
        .await;
    let section = res.json()["id"].as_i64().unwrap();
    for (due, done) in [
        ("2026-09-10", true),
        ("2026-09-20", false),
        ("2026-10-10", false),
    ] {
        let res = app
            .post("/api/v1/indicators", auth, json!({"roadmap_id": roadmap, "section_id": section, "title": format!("Іс-шара {due}"),
                  "territory_id": app.territory(kato::SARYKEMER), "kind": "event", "due_on": due, "deputy_id": deputy}))
            .await;
        assert_eq!(res.status, 201, "{}", res.text);
        if done {
            let id = res.json()["id"].as_i64().unwrap();
            diesel::update(indicators::table.find(id))
                .set(indicators::status.eq("done"))
                .execute(&mut *app.conn())
                .unwrap();
        }
    }

    // Two citizens rate outcomes, 5 and 4, through their links; answered in September.
    for (appeal, score) in [(on_time, 5), (early, 4)] {
        let link = app
            .post(
                &format!("/api/v1/appeals/{appeal}/feedback-link"),
                auth,
                json!({}),
            )
            .await;
        assert_eq!(link.status, 201, "{}", link.text);
        let url = link.json()["url"].as_str().unwrap().to_owned();
        assert_eq!(
            app.post(&url, &Auth::None, json!({"score": score}))
                .await
                .status,
            201
        );
    }
    let answered =
        chrono::NaiveDateTime::parse_from_str("2026-09-20 06:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
    diesel::update(feedback_links::table)
        .set(feedback_links::submitted_at.eq(Some(answered)))
        .execute(&mut *app.conn())
        .unwrap();
    on_time
}

/// Closes `month` as the snapshot job does on the tests' clock; how many it stored.
pub fn close(app: &TestApp, month: &str) -> usize {
    let period = baqylau::ratings::period::Period::parse("month", month, &mut Vec::new()).unwrap();
    let at = chrono::DateTime::parse_from_rfc3339(NOW)
        .unwrap()
        .with_timezone(&chrono::Utc);
    let clock = baqylau::kit::clock::Clock::fixed(at);
    baqylau::ratings::close::close_month(&mut app.conn(), &clock, &Default::default(), period)
        .unwrap()
}

fn snapshot_rows(app: &TestApp) -> i64 {
    use baqylau::db::schema::rating_snapshots;
    rating_snapshots::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

fn component(rating: &Value, name: &str) -> (f64, f64, f64) {
    let c = rating["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {rating}"));
    (
        c["value"].as_f64().unwrap(),
        c["weight"].as_f64().unwrap(),
        c["points"].as_f64().unwrap(),
    )
}

both_backends! {
    async fn a_seeded_month_matches_the_hand_computed_rating(app) {
        let app = respawn_at(app, NOW).await;
        let auth = staff(&app).await;
        let deputy = new_deputy(&app, &auth, "Рейтингтегі депутат").await;
        let idle = new_deputy(&app, &auth, "Жұмыссыз депутат").await;
        seed_september(&app, &auth, deputy).await;
        // The idle deputy missed one deadline: below the threshold of 0, at recall risk.
        appeal_in_month(&app, &auth, idle, "2026-09-05", None).await;

        let formula = app.get("/api/v1/ratings/formula", &auth).await.json();
        assert_eq!(formula["recall_threshold"], 0.0);
        assert_eq!(formula["components"].as_array().unwrap().len(), 6);

        // A finished month not yet closed is computed, and reading it stores nothing.
        let url = format!("/api/v1/deputies/{deputy}/rating?period=2026-09");
        let r = app.get(&url, &auth).await;
        assert_eq!(r.status, 200, "{}", r.text);
        let r = r.json();
        app.get("/api/v1/ratings?period=2026-09", &auth).await.json();
        app.get("/api/v1/stats/overview", &auth).await.json();
        assert_eq!(snapshot_rows(&app), 0, "a read never writes");
        assert_eq!(r["snapshot"], false);
        assert_eq!(component(&r, "appeals_on_time"), (2.0, 2.0, 4.0), "{r}");
        assert_eq!(component(&r, "appeals_overdue"), (2.0, -3.0, -6.0), "{r}");
        assert_eq!(component(&r, "receptions_attended"), (1.0, 5.0, 5.0), "{r}");
        assert_eq!(component(&r, "indicators_done"), (1.0, 3.0, 3.0), "{r}");
        assert_eq!(component(&r, "indicators_overdue"), (1.0, -4.0, -4.0), "{r}");
        assert_eq!(component(&r, "satisfaction"), (1.5, 5.0, 7.5), "{r}");
        // 4 − 6 + 5 + 3 − 4 + 7.5
        assert_eq!(r["score"], 9.5);
        let sum: f64 = r["components"].as_array().unwrap().iter().map(|c| c["points"].as_f64().unwrap()).sum();
        assert_eq!(sum, 9.5);

        let all = app.get("/api/v1/ratings?period=2026-09&include_total=true", &auth).await.json();
        assert_eq!(all["total"], 2, "{all}");
        assert_eq!(all["items"][0]["deputy_id"], deputy, "highest first");
        assert_eq!(all["items"][1]["score"], -3.0);
        let risk = app.get("/api/v1/ratings/recall-risk?period=2026-09", &auth).await.json();
        let at_risk: Vec<i64> = risk["items"].as_array().unwrap().iter().map(|r| r["deputy_id"].as_i64().unwrap()).collect();
        assert_eq!(at_risk, vec![idle], "{risk}");
        // Closing the month stores what the reads showed.
        assert_eq!(close(&app, "2026-09"), 2);
        let stored = app.get(&url, &auth).await.json();
        assert_eq!(stored["snapshot"], true);
        assert_eq!((&stored["score"], &stored["components"]), (&r["score"], &r["components"]));
        let ranked = |list: &Value| -> Vec<(Value, Value, Value, Value)> {
            list["items"].as_array().unwrap().iter()
                .map(|i| (i["deputy_id"].clone(), i["score"].clone(), i["components"].clone(), i["snapshot"].clone()))
                .collect()
        };
        let after = app.get("/api/v1/ratings?period=2026-09&include_total=true", &auth).await.json();
        let before: Vec<_> = ranked(&all).into_iter().map(|(d, s, c, _)| (d, s, c, json!(true))).collect();
        assert_eq!(ranked(&after), before, "the same answer, now from the snapshots");
        assert_eq!(close(&app, "2026-09"), 0, "a closed month is closed once");
        assert_eq!(snapshot_rows(&app), 2);
        // Paging through the ranking with a signed cursor.
        let page = app.get("/api/v1/ratings?period=2026-09&limit=1", &auth).await.json();
        let cursor = page["next_cursor"].as_str().unwrap();
        let next = app.get(&format!("/api/v1/ratings?period=2026-09&limit=1&cursor={cursor}"), &auth).await.json();
        assert_eq!(next["items"][0]["deputy_id"], idle);
        assert_eq!(next["next_cursor"], Value::Null);
        // The running month is computed, not stored.
        let now = app.get(&format!("/api/v1/deputies/{deputy}/rating"), &auth).await.json();
        assert_eq!(now["period"], "2026-11");
        assert_eq!(now["snapshot"], false);
        // Bad periods are 422.
        let res = app.get(&format!("/api/v1/deputies/{deputy}/rating?period=2026-13"), &auth).await;
        assert_eq!(res.problem(422, "validation_failed")["errors"][0]["field"], "period");
        app.get("/api/v1/ratings?period=sept&limit=0", &auth).await.problem(422, "validation_failed");
    }

    async fn a_correction_waits_for_an_audited_recompute(app) {
        use baqylau::db::schema::appeals;
        let app = respawn_at(app, NOW).await;
        let auth = staff(&app).await;
        let deputy = new_deputy(&app, &auth, "Түзетілген депутат").await;
        let late = appeal_in_month(&app, &auth, deputy, "2026-09-10", Some("2026-09-12 04:00:00")).await;
        let url = format!("/api/v1/deputies/{deputy}/rating?period=2026-09");
        assert_eq!(close(&app, "2026-09"), 1);
        let stored = app.get(&url, &auth).await.json();
        assert_eq!(stored["score"], -3.0, "{stored}");
        // The deadline was in fact extended: the appeal was closed on time.
        let extended = chrono::NaiveDate::from_ymd_opt(2026, 9, 15).unwrap();
        diesel::update(appeals::table.find(late))
            .set(appeals::extended_due_on.eq(Some(extended)))
            .execute(&mut *app.conn())
            .unwrap();
        let again = app.get(&url, &auth).await.json();
        assert_eq!(again["score"], -3.0, "the stored month does not move by itself");
        assert_eq!(again["computed_at"], stored["computed_at"]);
        // Only an explicit recompute changes it, and only regional staff and admins may.
        let body = json!({"period": "2026-09", "reason": "Deadline extension entered late"});
        assert_eq!(app.post("/api/v1/ratings/recompute", &auth, body.clone()).await.status, 403);
        let region = regional(&app).await;
        let res = app.post("/api/v1/ratings/recompute", &region, json!({"period": "2026-11"})).await;
        assert_eq!(res.problem(422, "validation_failed")["errors"][0]["code"], "period_open");
        app.post("/api/v1/ratings/recompute", &region, json!({"period": "x", "deputy_id": 999999})).await.problem(422, "validation_failed");
        let res = app.post("/api/v1/ratings/recompute", &region, body).await;
        assert_eq!(res.status, 200, "{}", res.text);
        let result = res.json();
        assert_eq!(result["changed"], json!([{"deputy_id": deputy, "before": -3.0, "after": 2.0}]), "{result}");
        let now = app.get(&url, &auth).await.json();
        assert_eq!(now["score"], 2.0);
        assert_eq!(component(&now, "appeals_on_time"), (1.0, 2.0, 2.0));
        // The audit trail keeps the change with its reason.
        app.create_user("admin@d.kz", "admin", None, None);
        let admin = app.bearer("admin@d.kz").await;
        let audit = app.get("/api/v1/audit?entity=rating", &admin).await.json();
        let recompute = audit["items"].as_array().unwrap().iter().find(|a| a["action"] == "recompute")
            .unwrap_or_else(|| panic!("no recompute in {audit}"));
        let text = recompute.to_string();
        assert!(text.contains("Deadline extension entered late") && text.contains("-3"), "{text}");
        // A second recompute with nothing new changes nothing.
        let res = app.post("/api/v1/ratings/recompute", &region, json!({"period": "2026-09", "deputy_id": deputy})).await;
        assert_eq!(res.json()["changed"], json!([]));
    }

    async fn feedback_links_are_single_use_and_reveal_nothing(app) {
        use baqylau::db::schema::feedback_links;
        let app = respawn_at(app, NOW).await;
        let auth = staff(&app).await;
        let deputy = new_deputy(&app, &auth, "Бағаланатын депутат").await;
        let open = appeal_in_month(&app, &auth, deputy, "2026-11-30", None).await;
        app.post(&format!("/api/v1/appeals/{open}/feedback-link"), &auth, json!({})).await.problem(409, "not_resolved");
        let done = appeal_in_month(&app, &auth, deputy, "2026-11-30", Some("2026-11-10 04:00:00")).await;
        let res = app.post(&format!("/api/v1/appeals/{done}/feedback-link"), &auth, json!({})).await;
        assert_eq!(res.status, 201, "{}", res.text);
        assert_eq!(res.header("cache-control").as_deref(), Some("no-store"));
        let link = res.json();
        assert_eq!(link["expires_at"], "2026-12-16T06:00:00Z");
        let url = link["url"].as_str().unwrap().to_owned();
        let token = link["token"].as_str().unwrap();
        assert!(token.len() >= 43, "256 bits");
        let stored: Vec<String> = feedback_links::table.select(feedback_links::token_hash).load(&mut *app.conn()).unwrap();
        assert!(!stored.iter().any(|h| h.contains(token)), "only a hash is stored");
        // The public form: no sign-in, nothing personal.
        let form = app.get(&url, &Auth::None).await;
        assert_eq!(form.status, 200, "{}", form.text);
        for private in ["Сейтқали", "850715300122", "701", "Ауыз су"] {
            assert!(!form.text.contains(private), "{private} leaked: {}", form.text);
        }
        assert_eq!(form.json()["resolved_on"], "2026-11-10");
        // Bad bodies: 422 listing every field; the link stays usable.
        let res = app.post(&url, &Auth::None, json!({"score": 9, "comment": "x".repeat(2001)})).await;
        assert_eq!(res.problem(422, "validation_failed")["errors"].as_array().unwrap().len(), 2);
        app.post(&url, &Auth::None, json!({})).await.problem(422, "validation_failed");
        let res = app.post(&url, &Auth::None, json!({"score": 4, "comment": "Рахмет"})).await;
        assert_eq!(res.status, 201, "{}", res.text);
        // Spent: 410 for the form and a second answer.
        app.post(&url, &Auth::None, json!({"score": 1})).await.problem(410, "feedback_used");
        app.get(&url, &Auth::None).await.problem(410, "feedback_used");
        app.get("/api/v1/feedback/not-a-real-token", &Auth::None).await.problem(404, "not_found");
        // Answered: no new link for this appeal (one counted answer per appeal).
        app.post(&format!("/api/v1/appeals/{done}/feedback-link"), &auth, json!({})).await.problem(409, "feedback_answered");
        // A new link revokes the earlier unanswered one; an expired one is 410.
        let other = appeal_in_month(&app, &auth, deputy, "2026-11-30", Some("2026-11-11 04:00:00")).await;
        let first = app.post(&format!("/api/v1/appeals/{other}/feedback-link"), &auth, json!({})).await.json();
        let second = app.post(&format!("/api/v1/appeals/{other}/feedback-link"), &auth, json!({})).await.json();
        app.get(first["url"].as_str().unwrap(), &Auth::None).await.problem(410, "feedback_used");
        let past = chrono::NaiveDateTime::parse_from_str("2026-11-01 00:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
        diesel::update(feedback_links::table).set(feedback_links::expires_at.eq(past)).execute(&mut *app.conn()).unwrap();
        app.post(second["url"].as_str().unwrap(), &Auth::None, json!({"score": 5})).await.problem(410, "feedback_expired");
        // The rating feeds on it: November's satisfaction is 4 − 3.
        let r = app.get(&format!("/api/v1/deputies/{deputy}/rating?period=2026-11"), &auth).await.json();
        assert_eq!(component(&r, "satisfaction"), (1.0, 5.0, 5.0), "{r}");
        // Viewers may not send links.
        app.create_user("viewer@d.kz", "viewer", Some(kato::ZHAMBYL), None);
        let viewer = app.bearer("viewer@d.kz").await;
        app.post(&format!("/api/v1/appeals/{done}/feedback-link"), &viewer, json!({})).await.problem(403, "forbidden");
    }

    async fn the_cadre_reserve_masks_private_persons(app) {
        let app = respawn_at(app, NOW).await;
        let auth = staff(&app).await;
        let res = app.post("/api/v1/reserve", &auth, json!({"full_name": "", "territory_id": 0, "iin": "123", "phone": "abc", "status": "boss"})).await;
        let body = res.problem(422, "validation_failed");
        let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["full_name", "iin", "phone", "status", "territory_id"], "{body}");
        let res = app
            .post("/api/v1/reserve", &auth, json!({"full_name": "Кандидат Бекзат", "territory_id": app.territory(kato::SARYKEMER),
                  "iin": "850715300122", "phone": "+7 701 234 56 78", "position": "Ауыл әкімі"}))
            .await;
        assert_eq!(res.status, 201, "{}", res.text);
        let c = res.json();
        assert_eq!(c["iin"], "8507******22", "district staff see it masked");
        assert!(!c["phone"].as_str().unwrap().contains("234"), "{c}");
        assert_eq!(c["status"], "candidate");
        let id = c["id"].as_i64().unwrap();
        let region = regional(&app).await;
        let full = app.get(&format!("/api/v1/reserve/{id}"), &region).await;
        assert_eq!(full.json()["iin"], "850715300122");
        assert_eq!(full.header("cache-control").as_deref(), Some("no-store"));
        let res = patch(&app, &auth, &format!("/api/v1/reserve/{id}"), json!({"status": "approved"})).await;
        assert_eq!(res.status, 200, "{}", res.text);
        assert_eq!(res.json()["status_since"], "2026-11-16");
        let list = app.get("/api/v1/reserve?status=approved&include_total=true", &auth).await.json();
        assert_eq!(list["total"], 1);
        let listed = app.get("/api/v1/reserve", &region).await.json();
        assert_eq!(listed["items"][0]["iin"], "8507******22", "lists mask for everyone");
        app.get("/api/v1/reserve?status=king", &auth).await.problem(422, "validation_failed");
        // Private persons: not for viewers, deputies or keys.
        app.create_user("viewer@d.kz", "viewer", Some(kato::ZHAMBYL), None);
        let viewer = app.bearer("viewer@d.kz").await;
        app.get("/api/v1/reserve", &viewer).await.problem(403, "forbidden");
        // The audit trail does not keep the IIN.
        app.create_user("admin@d.kz", "admin", None, None);
        let admin = app.bearer("admin@d.kz").await;
        app.seal_audit();
        let audit = app.get(&format!("/api/v1/audit?entity=reserve_candidate&entity_id={id}"), &admin).await;
        assert!(!audit.text.contains("850715300122"), "{}", audit.text);
        assert!(audit.text.contains("read_personal_data"), "the full read is audited: {}", audit.text);
    }
}
