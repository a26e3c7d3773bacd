//! `/api/v1/receptions*`.

use baqylau_wire::common::Page;
use baqylau_wire::receptions::{Coverage, Reception, ReceptionSummary};
use gloo_net::http::Method;

use super::{ApiError, Client, Query};

/// `GET /api/v1/receptions`, newest first.
pub async fn list(
    client: &Client,
    status: Option<&str>,
    cursor: Option<&str>,
) -> Result<Page<Reception>, ApiError> {
    let url = Query::new("/api/v1/receptions")
        .opt("status", status)
        .param("limit", "50")
        .opt("cursor", cursor)
        .build();
    client.request::<(), _>(Method::GET, &url, &[], None).await
}

/// `GET /api/v1/receptions/{id}`
pub async fn get(client: &Client, id: i64) -> Result<Reception, ApiError> {
    let url = format!("/api/v1/receptions/{id}");
    client.request::<(), _>(Method::GET, &url, &[], None).await
}

/// `GET /api/v1/receptions/{id}/report` as JSON.
pub async fn report(client: &Client, id: i64) -> Result<ReceptionSummary, ApiError> {
    let url = format!("/api/v1/receptions/{id}/report");
    client.request::<(), _>(Method::GET, &url, &[], None).await
}

/// `GET /api/v1/receptions/coverage`: places nobody visited in `months` months.
pub async fn coverage(
    client: &Client,
    territory_id: i64,
    months: u32,
) -> Result<Coverage, ApiError> {
    let url = Query::new("/api/v1/receptions/coverage")
        .param("territory_id", &territory_id.to_string())
        .param("months", &months.to_string())
        .build();
    client.request::<(), _>(Method::GET, &url, &[], None).await
}
