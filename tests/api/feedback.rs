//! Citizen feedback counts once per appeal (issue #18, finding 6): after the citizen
//! answered, no new link is made; the database refuses a second answer even when two
//! links race; only people mint links, and each link records who made it.

use diesel::prelude::*;
use serde_json::json;

use crate::both_backends;
use crate::helpers::*;

/// A resolved appeal of Sarykemer, registered by `auth`.
async fn resolved_appeal(app: &TestApp, auth: &Auth) -> i64 {
    use baqylau::db::schema::appeals;
    let res = app
        .post(
            "/api/v1/appeals",
            auth,
            json!({"channel": "reception_room", "category": "UTIL_WATER", "territory_id": app.territory(kato::SARYKEMER),
                   "citizen": {"full_name": "Сейтқали Айгүл"}, "subject": "Ауыз су",
                   "description": "Ауылда ауыз су жоқ.", "language": "kk"}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let id = res.json()["id"].as_i64().unwrap();
    diesel::update(appeals::table.find(id))
        .set((
            appeals::status.eq("resolved"),
            appeals::resolution.eq(Some("Су құбыры жөнделді")),
            appeals::resolved_at.eq(Some(chrono::Utc::now().naive_utc())),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    id
}

fn answered_links(app: &TestApp, appeal: i64) -> i64 {
    use baqylau::db::schema::feedback_links;
    feedback_links::table
        .filter(feedback_links::appeal_id.eq(appeal))
        .filter(feedback_links::submitted_at.is_not_null())
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

both_backends! {
    async fn one_answer_per_appeal_counts_and_only_people_mint_links(app) {
        use baqylau::db::schema::feedback_links;
        let staff_id = app.create_user("feedback@d.kz", "district_staff", Some(kato::BAIZAK), None);
        let staff = app.bearer("feedback@d.kz").await;
        let appeal = resolved_appeal(&app, &staff).await;
        let link = app.post(&format!("/api/v1/appeals/{appeal}/feedback-link"), &staff, json!({})).await;
        assert_eq!(link.status, 201, "{}", link.text);
        let url = link.json()["url"].as_str().unwrap().to_owned();
        // The link records the person who made it.
        let issuer: (Option<i64>, Option<i64>) = feedback_links::table
            .filter(feedback_links::appeal_id.eq(appeal))
            .select((feedback_links::created_by_user_id, feedback_links::created_by_key_id))
            .first(&mut *app.conn())
            .unwrap();
        assert_eq!(issuer, (Some(staff_id), None));
        assert_eq!(app.post(&url, &Auth::None, json!({"score": 5})).await.status, 201);

        // The reported loop: mint again, answer 1★ oneself, repeat. The second link is refused.
        for _ in 0..3 {
            app.post(&format!("/api/v1/appeals/{appeal}/feedback-link"), &staff, json!({}))
                .await
                .problem(409, "feedback_answered");
        }
        assert_eq!(answered_links(&app, appeal), 1);

        // A key never mints a link, whatever its scopes.
        app.create_user("feedback-admin@d.kz", "admin", None, None);
        let admin = app.bearer("feedback-admin@d.kz").await;
        let key = app.post("/api/v1/api-keys", &admin, json!({"name": "relay", "scopes": ["appeals:read", "appeals:write"]})).await;
        assert_eq!(key.status, 201, "{}", key.text);
        let key = Auth::Key(key.json()["secret"].as_str().unwrap().to_owned());
        let fresh = resolved_appeal(&app, &staff).await;
        app.post(&format!("/api/v1/appeals/{fresh}/feedback-link"), &key, json!({})).await.problem(403, "forbidden");

        // Two links alive at once (as two concurrent mints could leave them): the first
        // answer counts, the second is spent (410), not a second count and not a 500.
        let one = app.post(&format!("/api/v1/appeals/{fresh}/feedback-link"), &staff, json!({})).await.json();
        let expires = chrono::Utc::now().naive_utc() + chrono::Duration::days(1);
        let raced = "raced-token-for-the-unique-index-test-0123456789";
        diesel::insert_into(feedback_links::table)
            .values((
                feedback_links::appeal_id.eq(fresh),
                feedback_links::territory_path.eq(""),
                feedback_links::token_hash.eq(baqylau::auth::tokens::sha256_hex(raced)),
                feedback_links::expires_at.eq(expires),
                feedback_links::created_by_user_id.eq(Some(staff_id)),
                feedback_links::created_at.eq(chrono::Utc::now().naive_utc()),
            ))
            .execute(&mut *app.conn())
            .unwrap();
        assert_eq!(app.post(one["url"].as_str().unwrap(), &Auth::None, json!({"score": 4})).await.status, 201);
        app.post(&format!("/api/v1/feedback/{raced}"), &Auth::None, json!({"score": 1}))
            .await
            .problem(410, "feedback_used");
        assert_eq!(answered_links(&app, fresh), 1);

        // And the database itself holds the rule, whatever writes to it.
        let second_answer = diesel::update(
            feedback_links::table.filter(feedback_links::token_hash.eq(baqylau::auth::tokens::sha256_hex(raced))),
        )
        .set((feedback_links::submitted_at.eq(Some(expires)), feedback_links::score.eq(Some(1))))
        .execute(&mut *app.conn());
        assert!(second_answer.is_err(), "a second answered link of one appeal is refused by the database");
    }
}
