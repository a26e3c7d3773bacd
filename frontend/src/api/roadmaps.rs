//! `/api/v1/roadmaps*` and `/api/v1/indicators*`.

use baqylau_wire::common::Page;
use baqylau_wire::roadmaps::{Indicator, Roadmap, Summary};
use gloo_net::http::Method;

use super::{ApiError, Client, Query};

/// `GET /api/v1/roadmaps`.
pub async fn list(client: &Client) -> Result<Page<Roadmap>, ApiError> {
    let url = Query::new("/api/v1/roadmaps").param("limit", "100").build();
    client.request::<(), _>(Method::GET, &url, &[], None).await
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
    client.request::<(), _>(Method::GET, &url, &[], None).await
}
