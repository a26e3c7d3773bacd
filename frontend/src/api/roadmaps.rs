//! `/api/v1/roadmaps*` and `/api/v1/indicators*`.

use baqylau_wire::common::Page;
use baqylau_wire::roadmaps::{CreateProgress, Indicator, Progress, Roadmap, Summary};
use gloo_net::http::Method;

use super::{ApiError, Client, Query};

/// `GET /api/v1/roadmaps`.
pub async fn list(client: &Client) -> Result<Page<Roadmap>, ApiError> {
    let url = Query::new("/api/v1/roadmaps").param("limit", "100").build();
    super::tolerant::get_page(client, &url).await
}

/// `GET /api/v1/roadmaps/{id}`
pub async fn get(client: &Client, id: i64) -> Result<Roadmap, ApiError> {
    let url = format!("/api/v1/roadmaps/{id}");
    client.request::<(), _>(Method::GET, &url, &[], None).await
}

/// `GET /api/v1/roadmaps/{id}/summary`
pub async fn summary(client: &Client, id: i64) -> Result<Summary, ApiError> {
    let url = format!("/api/v1/roadmaps/{id}/summary");
    client.request::<(), _>(Method::GET, &url, &[], None).await
}

/// `GET /api/v1/indicators?roadmap_id=`: one page of a road map's indicators.
pub async fn indicators(
    client: &Client,
    roadmap_id: i64,
    cursor: Option<&str>,
) -> Result<Page<Indicator>, ApiError> {
    let url = Query::new("/api/v1/indicators")
        .param("roadmap_id", &roadmap_id.to_string())
        .param("limit", "100")
        .opt("cursor", cursor)
        .build();
    super::tolerant::get_page(client, &url).await
}

/// `POST /api/v1/indicators/{id}/progress`. The same `idempotency_key` with the same body
/// records the progress once, however often it is sent.
pub async fn report_progress(
    client: &Client,
    id: i64,
    body: &CreateProgress,
    idempotency_key: &str,
) -> Result<Progress, ApiError> {
    client
        .request(
            Method::POST,
            &format!("/api/v1/indicators/{id}/progress"),
            &[("Idempotency-Key", idempotency_key)],
            Some(body),
        )
        .await
}

/// What `POST /roadmaps/{id}/import` did.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct Imported {
    pub indicators: usize,
    pub sections_created: usize,
}

/// `POST /api/v1/roadmaps/{id}/import`: a CSV or XLSX file with the template's columns.
/// Nothing is written unless every row is good; the bad ones come back as a 422 with
/// `rows[<index>].<field>` errors.
pub async fn import(
    client: &Client,
    id: i64,
    content_type: &str,
    bytes: &[u8],
) -> Result<Imported, ApiError> {
    client
        .upload(
            &format!("/api/v1/roadmaps/{id}/import"),
            content_type,
            bytes,
        )
        .await
}
