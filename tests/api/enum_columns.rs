//! A text enum column holding a value no Rust variant spells is a logged 500, never a
//! silent default (DECISIONS.md 9).

use diesel::connection::SimpleConnection;
use reqwest::StatusCode;
use serde_json::json;

use crate::both_backends;
use crate::helpers::*;

both_backends! {
    async fn an_unknown_status_in_the_database_is_a_logged_500(app) {
        app.create_user("enum-admin@test.kz", "admin", None, None);
        let admin = app.bearer("enum-admin@test.kz").await;
        let created = app.post("/api/v1/appeals", &admin, json!({
            "channel": "phone", "category": "UTIL_WATER", "territory_id": app.territory(kato::SARYKEMER),
            "citizen": {"full_name": "Қасымова Гүлнар"},
            "subject": "Су", "description": "Ауыз су жоқ", "language": "kk"
        })).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
        let id = created.json()["id"].as_i64().unwrap();
        // What a newer build or a hand edit could leave behind: the CHECK constraint is
        // set aside to write it, as neither backend would otherwise accept it.
        let stray = format!("archived_{}", unique());
        let mut conn = app.conn();
        let sql = match app.backend {
            Backend::Sqlite => format!(
                "PRAGMA ignore_check_constraints = ON; \
                 UPDATE appeals SET status = '{stray}' WHERE id = {id}; \
                 PRAGMA ignore_check_constraints = OFF;"
            ),
            Backend::Postgres => format!(
                "ALTER TABLE appeals DROP CONSTRAINT appeals_status_check; \
                 UPDATE appeals SET status = '{stray}' WHERE id = {id};"
            ),
        };
        conn.batch_execute(&sql).unwrap();
        drop(conn);

        for path in [format!("/api/v1/appeals/{id}"), "/api/v1/appeals".to_owned()] {
            let response = app.get(&path, &admin).await;
            assert_eq!(response.status, StatusCode::INTERNAL_SERVER_ERROR, "{path}: {}", response.text);
            let problem = response.json();
            assert_eq!(problem["code"], "internal_error");
            assert!(!response.text.contains(&stray), "{path}: the value stays out of the body");
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let logs = String::from_utf8_lossy(&captured_logs().lock().unwrap()).to_string();
        let line = logs
            .lines()
            .find(|l| l.contains(&stray) && l.contains("unknown enum value"))
            .unwrap_or_else(|| panic!("the stray value {stray} was not logged"));
        assert!(line.contains("table=\"appeals\"") || line.contains("table=appeals"), "{line}");
        assert!(line.contains("column=\"status\"") || line.contains("column=status"), "{line}");
    }
}
