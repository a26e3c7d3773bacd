//! Reads of personal data are recorded before they are answered, without the audit
//! chain's lock, and sealed into the chain in batches (`audit::reveal`).

use diesel::prelude::*;
use serde_json::json;

use baqylau::audit::{self, Verification};
use baqylau::db::schema::{audit_log, audit_pending};

use crate::both_backends;
use crate::helpers::*;

/// Full reads of appeal `id` on record: still pending, or already in the chain.
fn reads_on_record(app: &TestApp, id: i64) -> (i64, i64) {
    let mut conn = app.conn();
    let pending: i64 = audit_pending::table
        .filter(audit_pending::entity.eq("appeal"))
        .filter(audit_pending::entity_id.eq(id.to_string()))
        .count()
        .get_result(&mut conn)
        .unwrap();
    let sealed: i64 = audit_log::table
        .filter(audit_log::entity.eq("appeal"))
        .filter(audit_log::entity_id.eq(id.to_string()))
        .filter(audit_log::action.eq(audit::reveal::ACTION))
        .count()
        .get_result(&mut conn)
        .unwrap();
    (pending, sealed)
}

both_backends! {
    async fn every_revealing_read_is_on_record_when_answered_and_sealed_into_an_intact_chain(app) {
        app.create_user("admin@r.kz", "admin", None, None);
        app.create_user("viewer@r.kz", "viewer", None, None);
        let admin = app.bearer("admin@r.kz").await;
        let viewer = app.bearer("viewer@r.kz").await;
        let body = json!({
            "channel": "reception_room", "category": "UTIL_WATER",
            "territory_id": app.territory(kato::SARYKEMER),
            "citizen": {"full_name": "Сейтқали Айгүл", "iin": "850715300122", "phone": "8 (701) 234-56-78"},
            "subject": "Ауыз су", "description": "Ақсу ауылында ауыз су жоқ.", "language": "kk"
        });
        let created = app.post("/api/v1/appeals", &admin, body.clone()).await;
        assert_eq!(created.status, 201, "{}", created.text);
        let id = created.json()["id"].as_i64().unwrap();
        let path = format!("/api/v1/appeals/{id}");

        // Revealing reads, masked reads and creates at once, from many connections.
        let reads = 24;
        let reveal = futures_util::future::join_all((0..reads).map(|_| app.get(&path, &admin)));
        let masked = futures_util::future::join_all((0..8).map(|_| app.get(&path, &viewer)));
        let creates = futures_util::future::join_all(
            (0..8).map(|_| app.post("/api/v1/appeals", &admin, body.clone())),
        );
        let (reveal, masked, creates) = tokio::join!(reveal, masked, creates);
        for res in &reveal {
            assert_eq!(res.status, 200, "{}", res.text);
            assert_eq!(res.json()["citizen"]["iin"], "850715300122");
        }
        for res in &masked {
            assert_eq!(res.json()["citizen"]["iin"], "8507******22");
        }
        assert!(creates.iter().all(|r| r.status == 201));

        // Every answered read is already in the database, pending or sealed, whatever
        // the sealer has done meanwhile; masked reads are not recorded at all.
        let (pending, sealed) = reads_on_record(&app, id);
        assert_eq!(pending + sealed, reads, "pending {pending}, sealed {sealed}");

        app.seal_audit();
        assert_eq!(reads_on_record(&app, id), (0, reads));
        let mut conn = app.conn();
        assert_eq!(audit::reveal::pending(&mut conn).unwrap(), 0);
        match audit::verify(&mut conn).unwrap() {
            Verification::Intact { rows } => assert!(rows >= reads + 9, "{rows} rows"),
            broken => panic!("{broken:?}"),
        }
        drop(conn);

        // The sealed rows keep who read and when, and the trail shows them.
        let trail = app
            .get(&format!("/api/v1/audit?entity=appeal&entity_id={id}&action=read_personal_data&include_total=true"), &admin)
            .await
            .json();
        assert_eq!(trail["total"], reads);
        assert_eq!(trail["items"][0]["actor_label"], "admin@r.kz");
        assert_eq!(trail["items"][0]["changes"]["fields"], json!(["iin", "phone", "email"]));
    }

    async fn the_server_seals_pending_reads_by_itself(app) {
        app.create_user("admin@s.kz", "admin", None, None);
        let admin = app.bearer("admin@s.kz").await;
        let created = app
            .post("/api/v1/appeals", &admin, json!({
                "channel": "reception_room", "category": "UTIL_WATER",
                "territory_id": app.territory(kato::SARYKEMER),
                "citizen": {"full_name": "Сейтқали Айгүл", "iin": "850715300122"},
                "subject": "Ауыз су", "description": "Ақсу ауылында ауыз су жоқ.", "language": "kk"
            }))
            .await;
        let id = created.json()["id"].as_i64().unwrap();
        assert_eq!(app.get(&format!("/api/v1/appeals/{id}"), &admin).await.status, 200);
        // The sealer's round is a second; allow it several.
        let mut sealed = false;
        for _ in 0..100 {
            if reads_on_record(&app, id) == (0, 1) {
                sealed = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(sealed, "still pending: {:?}", reads_on_record(&app, id));
    }
}
