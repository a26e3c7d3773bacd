//! A spreadsheet import never trusts a sheet's size: a tiny workbook that declares or
//! uses a sheet of a million rows is refused (422 `sheet_too_large`) before the sheet is
//! built in memory, and the server keeps answering (issue #18, finding 1).

use std::io::Write;

use serde_json::json;

use crate::both_backends;
use crate::helpers::*;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A minimal workbook written by hand, so the sheet's XML is exactly `sheet`.
fn workbook(sheet: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let files = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="indicators" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    for (name, text) in files {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn sheet(dimension: Option<&str>, rows: &str) -> String {
    let dimension = dimension
        .map(|d| format!(r#"<dimension ref="{d}"/>"#))
        .unwrap_or_default();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>{rows}</sheetData></worksheet>"#
    )
}

fn inline(cell: &str, text: &str) -> String {
    format!(r#"<c r="{cell}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

const HEADERS: [&str; 11] = [
    "section",
    "title",
    "kind",
    "territory_kato",
    "due_on",
    "unit",
    "baseline",
    "target",
    "weight",
    "deputy_id",
    "council_member_id",
];

fn header_row() -> String {
    let cells: String = HEADERS
        .iter()
        .zip('A'..)
        .map(|(h, col)| inline(&format!("{col}1"), h))
        .collect();
    format!(r#"<row r="1">{cells}</row>"#)
}

async fn upload(app: &TestApp, token: &str, roadmap: i64, body: Vec<u8>) -> Response {
    let res = app
        .client
        .post(app.url(&format!("/api/v1/roadmaps/{roadmap}/import")))
        .bearer_auth(token)
        .header("Content-Type", XLSX)
        .body(body)
        .send()
        .await
        .expect("the server answers");
    Response {
        status: res.status(),
        headers: res.headers().clone(),
        text: res.text().await.unwrap_or_default(),
    }
}

both_backends! {
    async fn a_tiny_workbook_with_a_huge_sheet_is_refused_and_the_server_stays_up(app) {
        app.create_user("import-limits@r.kz", "regional_staff", Some(kato::ZHAMBYL), None);
        let Auth::Bearer(token) = app.bearer("import-limits@r.kz").await else { unreachable!() };
        let auth = Auth::Bearer(token.clone());
        let roadmap = app.post("/api/v1/roadmaps", &auth, json!({
            "title_kk": "Шектер", "title_ru": "Пределы", "kind": "regional",
            "territory_id": app.territory(kato::ZHAMBYL), "year": 2021,
        })).await;
        assert_eq!(roadmap.status, 201, "{}", roadmap.text);
        let roadmap = roadmap.json()["id"].as_i64().unwrap();
        let last = r#"<row r="1048576">"#.to_owned() + &inline("XFD1048576", "x") + "</row>";

        let cases = [
            // The reported file: declared A1:XFD1048576, a header and the last cell.
            ("declared and used", sheet(Some("A1:XFD1048576"), &(header_row() + &last))),
            // Declared A1:XFD2000 (2 GB for the old reader), every cell within row 2000.
            ("declared wide", sheet(Some("A1:XFD2000"), &header_row())),
            // No <dimension> at all: only the cells tell.
            ("undeclared", sheet(None, &(header_row() + &last))),
            // A declared extent that lies about the cells.
            ("understated", sheet(Some("A1:K2"), &(header_row() + &last))),
        ];
        for (what, xml) in cases {
            let file = workbook(&xml);
            assert!(file.len() < 4096, "{what}: the file itself is tiny ({} bytes)", file.len());
            let res = upload(&app, &token, roadmap, file).await;
            let body = res.problem(422, "validation_failed");
            assert_eq!(body["errors"][0]["field"], "body", "{what}: {body}");
            assert_eq!(body["errors"][0]["code"], "sheet_too_large", "{what}: {body}");
        }

        // Still serving, and a sheet within the limits is read (and checked row by row).
        assert_eq!(app.get("/healthz", &Auth::None).await.status, 200);
        let small = sheet(Some("A1:K2"), &(header_row() + r#"<row r="2">"# + &inline("A2", "Экономика") + "</row>"));
        let res = upload(&app, &token, roadmap, workbook(&small)).await;
        let body = res.problem(422, "validation_failed");
        assert!(
            body["errors"].as_array().unwrap().iter().any(|e| e["field"].as_str().unwrap_or("").starts_with("rows[0].")),
            "the row was read and checked: {body}"
        );
    }
}
