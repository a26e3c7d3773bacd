//! `/api/v1/receptions*`.

use baqylau_wire::common::Page;
use baqylau_wire::dialogue::{Agenda, ReplaceAgenda};
use baqylau_wire::receptions::{
    Coverage, CreateReception, Reception, ReceptionSummary, ReceptionTransition,
};
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
    super::tolerant::get_page(client, &url).await
}

/// `GET /api/v1/receptions?sort=planned_start`, every page, of the days `from` to `to`
/// (both included, Kazakhstan dates): one month of the calendar.
pub async fn between(client: &Client, from: &str, to: &str) -> Result<Vec<Reception>, ApiError> {
    super::tolerant::all_pages(client, |cursor| {
        Query::new("/api/v1/receptions")
            .param("sort", "planned_start")
            .param("from", from)
            .param("to", to)
            .param("limit", "200")
            .opt("cursor", cursor)
            .build()
    })
    .await
}

/// `POST /api/v1/receptions`, once per `idempotency_key`.
pub async fn create(
    client: &Client,
    body: &CreateReception,
    idempotency_key: &str,
) -> Result<Reception, ApiError> {
    let key = [("Idempotency-Key", idempotency_key)];
    client
        .request(Method::POST, "/api/v1/receptions", &key, Some(body))
        .await
}

/// `POST /api/v1/receptions/{id}/transitions` with `If-Match` on the version shown.
pub async fn transition(
    client: &Client,
    id: i64,
    version: i64,
    body: &ReceptionTransition,
) -> Result<Reception, ApiError> {
    let url = format!("/api/v1/receptions/{id}/transitions");
    let tag = format!("\"{version}\"");
    client
        .request(
            Method::POST,
            &url,
            &[("If-Match", tag.as_str())],
            Some(body),
        )
        .await
}

/// `GET /api/v1/receptions/{id}/agenda`
pub async fn agenda(client: &Client, id: i64) -> Result<Agenda, ApiError> {
    let url = format!("/api/v1/receptions/{id}/agenda");
    client.request::<(), _>(Method::GET, &url, &[], None).await
}

/// `PUT /api/v1/receptions/{id}/agenda` with `If-Match` on the reception's version.
pub async fn put_agenda(
    client: &Client,
    id: i64,
    version: i64,
    body: &ReplaceAgenda,
) -> Result<Agenda, ApiError> {
    let url = format!("/api/v1/receptions/{id}/agenda");
    let tag = format!("\"{version}\"");
    client
        .request(Method::PUT, &url, &[("If-Match", tag.as_str())], Some(body))
        .await
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
