//! Deputies' registry and assignments: overlaps, recall, who was responsible on a day,
//! coverage gaps.

use reqwest::Method;
use serde_json::{json, Value};

use super::*;
use crate::both_backends;

both_backends! {
    async fn registry_and_overlapping_assignments(app) {
        let app = respawn_at(app, NOW).await;
        let auth = baizak_staff(&app).await;
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
        let auth = baizak_staff(&app).await;
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
        let auth = baizak_staff(&app).await;
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
        let auth = baizak_staff(&app).await;
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
