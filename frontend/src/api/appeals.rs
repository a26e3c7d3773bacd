//! `/api/v1/appeals*`.

use baqylau_wire::appeals::{Appeal, AppealEvent, CreateAppeal, TransitionRequest};
use baqylau_wire::common::Page;
use gloo_net::http::Method;
use serde::{Deserialize, Serialize};

use super::{ApiError, Client, Query};

/// The filters of the appeals list the dashboard offers. It is also the list page's URL
/// query (`/appeals?status=assigned&q=су`), so that "back" from an appeal returns to the
/// same list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppealFilter {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// A category code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// The whole subtree of this territory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub territory_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deputy_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reception_id: Option<i64>,
    /// Only open appeals past their deadline.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub overdue: bool,
    /// Full text: registration number, subject, description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// Received on or after this date (`YYYY-MM-DD`, Kazakhstan time).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub received_from: Option<String>,
    /// Received on or before this date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub received_to: Option<String>,
}

/// `path` with every filter of `filter` in its query: the list and its export ask the
/// same question.
fn filtered(path: &str, filter: &AppealFilter) -> Query {
    let id = |v: Option<i64>| v.map(|v| v.to_string());
    Query::new(path)
        .opt("status", filter.status.as_deref())
        .opt("category", filter.category.as_deref())
        .opt("channel", filter.channel.as_deref())
        .opt("territory_id", id(filter.territory_id).as_deref())
        .opt("deputy_id", id(filter.deputy_id).as_deref())
        .opt("reception_id", id(filter.reception_id).as_deref())
        .opt("overdue", filter.overdue.then_some("true"))
        .opt("q", filter.q.as_deref())
        .opt("received_from", filter.received_from.as_deref())
        .opt("received_to", filter.received_to.as_deref())
}

/// `GET /api/v1/appeals/export` with the list's filters (the download adds `format`).
pub fn export_path(filter: &AppealFilter) -> String {
    filtered("/api/v1/appeals/export", filter).build()
}

/// The page size of the list: enough to fill a screen, small enough to stay quick.
pub const PAGE_SIZE: u32 = 25;

/// `GET /api/v1/appeals`: the first page (with `total`) when `cursor` is `None`, else the
/// page after it.
pub fn list_url(filter: &AppealFilter, cursor: Option<&str>) -> String {
    let query = filtered("/api/v1/appeals", filter).param("limit", &PAGE_SIZE.to_string());
    match cursor {
        Some(cursor) => query.param("cursor", cursor),
        // The total is counted once, with the first page; later pages do not change it.
        None => query.param("include_total", "true"),
    }
    .build()
}

/// `GET /api/v1/appeals` with the list's filters.
pub async fn list(
    client: &Client,
    filter: &AppealFilter,
    cursor: Option<&str>,
) -> Result<Page<Appeal>, ApiError> {
    super::tolerant::get_page(client, &list_url(filter, cursor)).await
}

/// `GET /api/v1/appeals/{id}`
pub async fn get(client: &Client, id: i64) -> Result<Appeal, ApiError> {
    client
        .request::<(), _>(Method::GET, &format!("/api/v1/appeals/{id}"), &[], None)
        .await
}

/// `POST /api/v1/appeals`. The same `idempotency_key` with the same body returns the
/// appeal registered the first time instead of a second one.
pub async fn create(
    client: &Client,
    body: &CreateAppeal,
    idempotency_key: &str,
) -> Result<Appeal, ApiError> {
    client
        .request(
            Method::POST,
            "/api/v1/appeals",
            &[("Idempotency-Key", idempotency_key)],
            Some(body),
        )
        .await
}

/// `POST /api/v1/appeals/{id}/transitions` with `If-Match` on the version the person
/// was looking at: if someone else changed the appeal meanwhile, the answer is 412.
pub async fn transition(
    client: &Client,
    id: i64,
    version: i64,
    body: &TransitionRequest,
) -> Result<Appeal, ApiError> {
    client
        .request(
            Method::POST,
            &format!("/api/v1/appeals/{id}/transitions"),
            &[("If-Match", &format!("\"{version}\""))],
            Some(body),
        )
        .await
}

/// `GET /api/v1/appeals/{id}/history`, oldest first.
pub async fn history(
    client: &Client,
    id: i64,
    cursor: Option<&str>,
) -> Result<Page<AppealEvent>, ApiError> {
    let url = Query::new(&format!("/api/v1/appeals/{id}/history"))
        .param("limit", "200")
        .opt("cursor", cursor)
        .build();
    super::tolerant::get_page(client, &url).await
}

/// The whole history, every page of it, oldest first.
pub async fn full_history(client: &Client, id: i64) -> Result<Vec<AppealEvent>, ApiError> {
    let mut events = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = history(client, id, cursor.as_deref()).await?;
        events.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(events),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_page_asks_for_the_total() {
        let filter = AppealFilter {
            status: Some("under_control".into()),
            overdue: true,
            q: Some(" су ".into()),
            ..AppealFilter::default()
        };
        assert_eq!(
            list_url(&filter, None),
            "/api/v1/appeals?status=under_control&overdue=true&q=%D1%81%D1%83&limit=25&include_total=true"
        );
        assert_eq!(
            list_url(&AppealFilter::default(), Some("azoxMQ")),
            "/api/v1/appeals?limit=25&cursor=azoxMQ"
        );
    }

    #[test]
    fn every_filter_reaches_the_list_and_the_export() {
        let filter = AppealFilter {
            channel: Some("phone".into()),
            territory_id: Some(7),
            deputy_id: Some(3),
            reception_id: Some(11),
            received_from: Some("2026-03-01".into()),
            received_to: Some("2026-03-31".into()),
            ..AppealFilter::default()
        };
        let query = "channel=phone&territory_id=7&deputy_id=3&reception_id=11\
                     &received_from=2026-03-01&received_to=2026-03-31";
        assert_eq!(
            list_url(&filter, None),
            format!("/api/v1/appeals?{query}&limit=25&include_total=true")
        );
        assert_eq!(
            export_path(&filter),
            format!("/api/v1/appeals/export?{query}")
        );
        assert_eq!(
            export_path(&AppealFilter::default()),
            "/api/v1/appeals/export"
        );
    }
}
