//! The road-map import and its template: thin handlers over [`crate::roadmaps::import`].

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{Caller, Permission};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Query;
use crate::kit::export::{self, Download, File, FileFormat, Lang};
use crate::roadmaps::import::{self as importing, ExamplePages, Imported, Upload, TEMPLATE};
use crate::state::AppState;

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TemplateQuery {
    /// `csv` (default) or `xlsx`.
    #[param(value_type = Option<baqylau_wire::appeals::ExportFormat>)]
    pub format: Option<String>,
}

/// The import template: the columns `POST /roadmaps/{id}/import` reads (section, title,
/// kind, territory KATO, due_on, unit, baseline, target, weight, deputy id, council
/// member id) with one example row.
#[utoipa::path(
    tag = "roadmaps",
    params(TemplateQuery, Lang),
    responses(Download),
    extensions(("x-permission" = json!("roadmaps.read")))
)]
#[get("/roadmaps/import/template")]
pub async fn template(
    state: web::Data<AppState>,
    caller: Caller,
    lang: Lang,
    query: Query<TemplateQuery>,
) -> ApiResult<HttpResponse> {
    caller.authorize(Permission::RoadmapsRead)?;
    let format = FileFormat::parse(query.into_inner().format.as_deref())?;
    Ok(export::respond(
        state.db.clone(),
        &TEMPLATE,
        ExamplePages::new(),
        File::new(format, lang, state.clock.today()),
    ))
}

/// Imports indicators into a road map from CSV (`text/csv`, UTF-8, comma or semicolon
/// separated) or XLSX (its first sheet), with the template's header row. Every row is checked and every problem is
/// reported at once as `rows[<index>].<field>` (index from 0, the first row under the
/// header); nothing is written unless every row is good. Sections are found by title,
/// or created.
#[utoipa::path(
    tag = "roadmaps",
    params(("id" = i64, Path, description = "Road map id")),
    request_body(content(
        (String = "text/csv"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )),
    responses(
        (status = 201, body = Imported),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "Every bad row and field listed"),
    ),
    extensions(("x-permission" = json!("roadmaps.write")))
)]
#[post("/roadmaps/{id}/import")]
pub async fn import_rows(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Bytes,
) -> ApiResult<HttpResponse> {
    caller.authorize(Permission::RoadmapsWrite)?;
    let upload = upload(&req, &body);
    let (id, st) = (id.into_inner(), state.clone());
    let done: Imported = state
        .db
        .run(move |conn| importing::import(conn, &caller, &st.clock, id, upload))
        .await?;
    Ok(HttpResponse::Created().json(done))
}

/// The body as a CSV or XLSX upload, or why it is neither (415); reported after the
/// scope check.
fn upload(req: &HttpRequest, body: &[u8]) -> ApiResult<Upload> {
    let ctype = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if ctype.starts_with(export::XLSX_TYPE) {
        return Ok(Upload::Xlsx(body.to_vec()));
    }
    if !ctype.starts_with("text/csv") {
        return Err(ApiError::UnsupportedMediaType(format!(
            "send the rows as text/csv or {}",
            export::XLSX_TYPE
        )));
    }
    String::from_utf8(body.to_vec())
        .map(Upload::Csv)
        .map_err(|_| ApiError::UnsupportedMediaType("CSV must be UTF-8".into()))
}
