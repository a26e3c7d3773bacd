//! `GET /appeals/export?format=csv|xlsx`: the list's filters and masking, streamed.
//!
//! Rows are read page by page (keyset pagination) on a blocking thread and handed to
//! the response through a bounded channel, so memory does not grow with the number of
//! rows. XLSX is written with rust_xlsxwriter's constant-memory mode to a temporary file
//! and then streamed from it.

use std::collections::HashMap;
use std::io::Read;

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{get, web, HttpRequest, HttpResponse};
use baqylau_wire::appeals::Appeal;
use diesel::prelude::*;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use tokio::sync::mpsc;

use super::query::{self, AppealQuery, Cursor, Sort};
use super::store::{self, Joined};
use crate::auth::{Caller, Permission};
use crate::db::schema::{appeal_categories, territories};
use crate::db::{Db, DbConn};
use crate::domain::appeal as rules;
use crate::error::{ApiError, ApiResult, Problem};
use crate::startup::AppState;

const PAGE: i64 = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Kk,
    Ru,
    En,
}

/// The first of kk, ru, en named in `Accept-Language` (quality values aside); Kazakh
/// when none is.
pub fn language(req: &HttpRequest) -> Lang {
    let header = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut tags: Vec<(f32, &str)> = header
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next()?.trim();
            let q = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            Some((q, tag))
        })
        .collect();
    tags.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
    tags.iter()
        .find_map(|(_, tag)| {
            match tag
                .split('-')
                .next()
                .unwrap_or("")
                .to_ascii_lowercase()
                .as_str()
            {
                "kk" => Some(Lang::Kk),
                "ru" => Some(Lang::Ru),
                "en" => Some(Lang::En),
                _ => None,
            }
        })
        .unwrap_or(Lang::Kk)
}

/// Column headers in kk / ru / en.
pub const COLUMNS: &[[&str; 3]] = &[
    [
        "Тіркеу нөмірі",
        "Регистрационный номер",
        "Registration number",
    ],
    ["Мәртебесі", "Статус", "Status"],
    ["Арна", "Канал", "Channel"],
    ["Санат", "Категория", "Category"],
    ["Аумақ (КАТО)", "Территория (КАТО)", "Territory (KATO)"],
    ["Аумақ", "Территория", "Territory"],
    ["Түскен уақыты", "Дата поступления", "Received at"],
    ["Тіркелген күні", "Дата регистрации", "Registered on"],
    ["Мерзімі", "Срок", "Due on"],
    ["Ұзартылған мерзімі", "Продлённый срок", "Extended due on"],
    ["Мерзімі өткен", "Просрочено", "Overdue"],
    ["Өтініш беруші", "Заявитель", "Citizen"],
    ["ЖСН", "ИИН", "IIN"],
    ["Телефон", "Телефон", "Phone"],
    ["Тақырыбы", "Тема", "Subject"],
    ["Мазмұны", "Содержание", "Description"],
    ["Депутат (id)", "Депутат (id)", "Deputy (id)"],
    ["Орындаушы орган", "Исполнитель", "Assigned body"],
    ["Шешімі", "Решение", "Resolution"],
    ["Шешілген уақыты", "Дата решения", "Resolved at"],
];

pub fn headers(lang: Lang) -> Vec<&'static str> {
    let i = match lang {
        Lang::Kk => 0,
        Lang::Ru => 1,
        Lang::En => 2,
    };
    COLUMNS.iter().map(|c| c[i]).collect()
}

/// Names for codes and ids, loaded once per export.
struct Names {
    territories: HashMap<i64, (String, String)>,
    categories: HashMap<String, String>,
}

impl Names {
    fn load(conn: &mut DbConn, lang: Lang) -> QueryResult<Names> {
        let territories = territories::table
            .select((
                territories::id,
                territories::kato_code,
                territories::name_kk,
                territories::name_ru,
            ))
            .load::<(i64, String, Option<String>, String)>(conn)?
            .into_iter()
            .map(|(id, kato, kk, ru)| {
                let name = match lang {
                    Lang::Kk => kk.unwrap_or(ru),
                    _ => ru,
                };
                (id, (kato, name))
            })
            .collect();
        let categories = appeal_categories::table
            .select((
                appeal_categories::code,
                appeal_categories::name_kk,
                appeal_categories::name_ru,
                appeal_categories::name_en,
            ))
            .load::<(String, String, String, String)>(conn)?
            .into_iter()
            .map(|(code, kk, ru, en)| {
                let name = match lang {
                    Lang::Kk => kk,
                    Lang::Ru => ru,
                    Lang::En => en,
                };
                (code, name)
            })
            .collect();
        Ok(Names {
            territories,
            categories,
        })
    }

    fn territory(&self, id: i64) -> (String, String) {
        self.territories.get(&id).cloned().unwrap_or_default()
    }

    fn category(&self, code: &str) -> String {
        self.categories
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_owned())
    }
}

/// One exported row as text cells (CSV) — XLSX writes the typed values itself.
fn text_cells(a: &Appeal, names: &Names) -> Vec<String> {
    let (kato, territory) = names.territory(a.territory_id);
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    vec![
        a.reg_number.clone(),
        a.status.to_string(),
        a.channel.to_string(),
        names.category(&a.category),
        kato,
        territory,
        a.received_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        a.registered_on.to_string(),
        a.due_on.to_string(),
        a.extended_due_on.map(|d| d.to_string()).unwrap_or_default(),
        a.overdue.to_string(),
        opt(&a.citizen.full_name),
        opt(&a.citizen.iin),
        opt(&a.citizen.phone),
        a.subject.clone(),
        a.description.clone(),
        a.deputy_id.map(|d| d.to_string()).unwrap_or_default(),
        opt(&a.assigned_body),
        opt(&a.resolution),
        a.resolved_at
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_default(),
    ]
}

/// Walks every matching appeal, newest first, a page at a time.
fn for_each_page(
    conn: &mut DbConn,
    caller: &Caller,
    filter: &query::Filter,
    mut visit: impl FnMut(&[Joined]) -> Result<(), ApiError>,
) -> Result<(), ApiError> {
    let mut cursor: Option<Cursor> = None;
    loop {
        let rows: Vec<Joined> = query::ordered(
            query::filtered(conn, caller, filter)?,
            Sort::Newest,
            cursor.as_ref(),
        )
        .limit(PAGE)
        .load(conn)?;
        if rows.is_empty() {
            return Ok(());
        }
        visit(&rows)?;
        if (rows.len() as i64) < PAGE {
            return Ok(());
        }
        cursor = rows.last().map(|r| Cursor::Id(r.0.id));
    }
}

type Chunk = Result<Bytes, std::io::Error>;

fn produce_csv(
    db: &Db,
    caller: &Caller,
    filter: &query::Filter,
    lang: Lang,
    tx: &mpsc::Sender<Chunk>,
) -> Result<(), ApiError> {
    let mut conn = db.get()?;
    let names = Names::load(&mut conn, lang)?;
    let today = rules::today();
    let send = |records: Vec<Vec<String>>, prefix: &[u8]| -> Result<(), ApiError> {
        let mut out = csv::Writer::from_writer(prefix.to_vec());
        for record in records {
            out.write_record(record).map_err(anyhow::Error::from)?;
        }
        let chunk = out.into_inner().map_err(|e| anyhow::anyhow!("csv: {e}"))?;
        tx.blocking_send(Ok(Bytes::from(chunk)))
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("export client went away")))
    };
    // A byte-order mark lets spreadsheet programs read the UTF-8 Cyrillic correctly.
    send(
        vec![headers(lang).into_iter().map(str::to_owned).collect()],
        b"\xEF\xBB\xBF",
    )?;
    for_each_page(&mut conn, caller, filter, |rows| {
        send(
            rows.iter()
                .map(|r| text_cells(&store::view(r, false, false, today), &names))
                .collect(),
            b"",
        )
    })
}

fn produce_xlsx(
    db: &Db,
    caller: &Caller,
    filter: &query::Filter,
    lang: Lang,
    tx: &mpsc::Sender<Chunk>,
) -> Result<(), ApiError> {
    let xlsx = |e: XlsxError| ApiError::Internal(anyhow::anyhow!("xlsx: {e}"));
    let mut conn = db.get()?;
    let names = Names::load(&mut conn, lang)?;
    let today = rules::today();
    let mut workbook = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let bold = Format::new().set_bold();
    let sheet = workbook.add_worksheet_with_constant_memory();
    sheet.set_name("Appeals").map_err(xlsx)?;
    for (col, title) in headers(lang).iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, *title, &bold)
            .map_err(xlsx)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx)?;
    let mut row_index: u32 = 0;
    for_each_page(&mut conn, caller, filter, |rows| {
        for r in rows {
            row_index += 1;
            let a = store::view(r, false, false, today);
            let (kato, territory) = names.territory(a.territory_id);
            let row = row_index;
            let s = |v: &Option<String>| v.clone().unwrap_or_default();
            sheet.write_string(row, 0, &a.reg_number).map_err(xlsx)?;
            sheet.write_string(row, 1, a.status).map_err(xlsx)?;
            sheet.write_string(row, 2, a.channel).map_err(xlsx)?;
            sheet
                .write_string(row, 3, names.category(&a.category))
                .map_err(xlsx)?;
            sheet.write_string(row, 4, kato).map_err(xlsx)?;
            sheet.write_string(row, 5, territory).map_err(xlsx)?;
            // Local (Asia/Almaty) wall-clock time: spreadsheet cells carry no zone.
            let received = a.received_at.with_timezone(&rules::almaty()).naive_local();
            sheet
                .write_datetime_with_format(row, 6, received, &datetime)
                .map_err(xlsx)?;
            sheet
                .write_date_with_format(row, 7, a.registered_on, &date)
                .map_err(xlsx)?;
            sheet
                .write_date_with_format(row, 8, a.due_on, &date)
                .map_err(xlsx)?;
            if let Some(d) = a.extended_due_on {
                sheet
                    .write_date_with_format(row, 9, d, &date)
                    .map_err(xlsx)?;
            }
            sheet.write_boolean(row, 10, a.overdue).map_err(xlsx)?;
            sheet
                .write_string(row, 11, s(&a.citizen.full_name))
                .map_err(xlsx)?;
            sheet
                .write_string(row, 12, s(&a.citizen.iin))
                .map_err(xlsx)?;
            sheet
                .write_string(row, 13, s(&a.citizen.phone))
                .map_err(xlsx)?;
            sheet.write_string(row, 14, &a.subject).map_err(xlsx)?;
            sheet.write_string(row, 15, &a.description).map_err(xlsx)?;
            if let Some(d) = a.deputy_id {
                sheet.write_number(row, 16, d as f64).map_err(xlsx)?;
            }
            sheet
                .write_string(row, 17, s(&a.assigned_body))
                .map_err(xlsx)?;
            sheet
                .write_string(row, 18, s(&a.resolution))
                .map_err(xlsx)?;
            if let Some(t) = a.resolved_at {
                sheet
                    .write_datetime_with_format(
                        row,
                        19,
                        t.with_timezone(&rules::almaty()).naive_local(),
                        &datetime,
                    )
                    .map_err(xlsx)?;
            }
        }
        Ok(())
    })?;
    sheet
        .autofilter(0, 0, row_index, (COLUMNS.len() - 1) as u16)
        .map_err(xlsx)?;
    let mut file = tempfile::tempfile().map_err(|e| ApiError::Internal(e.into()))?;
    workbook.save_to_writer(&mut file).map_err(xlsx)?;
    use std::io::Seek;
    file.rewind().map_err(|e| ApiError::Internal(e.into()))?;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|e| ApiError::Internal(e.into()))?;
        if n == 0 {
            return Ok(());
        }
        tx.blocking_send(Ok(Bytes::copy_from_slice(&buf[..n])))
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("export client went away")))?;
    }
}

/// Exports the appeals the list would show, with the same filters and masking, as CSV
/// (UTF-8 with BOM) or XLSX (typed columns: dates as dates), headers in the language of
/// `Accept-Language` (kk, ru or en).
#[utoipa::path(
    tag = "appeals",
    params(AppealQuery, ("Accept-Language" = Option<String>, Header, description = "kk, ru or en: the language of the header row")),
    responses(
        (status = 200, description = "The file", content(
            (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        )),
        (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(
        ("bearer" = ["admin", "regional_staff", "district_staff", "deputy", "viewer"]),
        ("api_key" = ["appeals:read"])
    )
)]
#[get("/appeals/export")]
pub async fn export(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    query: web::Query<AppealQuery>,
) -> ApiResult<HttpResponse> {
    caller.authorize(Permission::AppealsRead)?;
    let query = query.into_inner();
    let xlsx = match query.format.as_deref().unwrap_or("csv") {
        "csv" => false,
        "xlsx" => true,
        _ => {
            return Err(ApiError::validation(
                "format",
                "one_of",
                "must be csv or xlsx",
            ))
        }
    };
    let parsed = query.parse(true)?;
    let lang = language(&req);
    // Problems with the filters are answered before the first byte is sent.
    let (c, f) = (caller.clone(), parsed.filter.clone());
    state
        .db
        .run(move |conn| query::filtered(conn, &c, &f).map(|_| ()))
        .await?;
    let (tx, rx) = mpsc::channel::<Chunk>(8);
    let db = state.db.clone();
    let filter = parsed.filter;
    tokio::task::spawn_blocking(move || {
        let result = if xlsx {
            produce_xlsx(&db, &caller, &filter, lang, &tx)
        } else {
            produce_csv(&db, &caller, &filter, lang, &tx)
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, "export stopped");
            let _ = tx.blocking_send(Err(std::io::Error::other("export failed")));
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    });
    let (content_type, extension) = if xlsx {
        (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )
    } else {
        ("text/csv; charset=utf-8", "csv")
    };
    let filename = format!("appeals-{}.{extension}", rules::today());
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(stream))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_supported_tag() {
        let req = |v: &str| {
            actix_web::test::TestRequest::default()
                .insert_header((header::ACCEPT_LANGUAGE, v))
                .to_http_request()
        };
        assert_eq!(language(&req("ru-RU,ru;q=0.9,en;q=0.8")), Lang::Ru);
        assert_eq!(language(&req("de, en;q=0.5")), Lang::En);
        assert_eq!(language(&req("en;q=0.3, kk;q=0.9")), Lang::Kk);
        assert_eq!(
            language(&actix_web::test::TestRequest::default().to_http_request()),
            Lang::Kk
        );
        assert_eq!(headers(Lang::En)[0], "Registration number");
    }
}
