//! The cadre reserve.

use serde_json::json;

use super::*;
use crate::both_backends;

both_backends! {
    async fn the_cadre_reserve_masks_private_persons(app) {
        let app = respawn_at(app, NOW).await;
        let auth = baizak_staff(&app).await;
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
        let region = zhambyl_staff(&app).await;
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
