//! Reference data: territories and appeal categories.

use baqylau_wire::common::Page;
use baqylau_wire::reference::{AppealCategory, CalendarDay, Territory};
use gloo_net::http::Method;

use super::{ApiError, Client, Query};

/// `GET /api/v1/appeal-categories`, in display order.
pub async fn appeal_categories(client: &Client) -> Result<Vec<AppealCategory>, ApiError> {
    client
        .request::<(), _>(Method::GET, "/api/v1/appeal-categories", &[], None)
        .await
}

/// `GET /api/v1/calendar?year=`: the listed days of a year (weekdays off, weekends
/// declared working).
pub async fn calendar(client: &Client, year: i32) -> Result<Vec<CalendarDay>, ApiError> {
    let url = Query::new("/api/v1/calendar")
        .param("year", &year.to_string())
        .build();
    client.request::<(), _>(Method::GET, &url, &[], None).await
}

/// `GET /api/v1/territories?q=`: the first territories whose Kazakh or Russian name
/// contains `q` (or whose KATO code starts with it), across the whole classifier.
pub async fn search_territories(client: &Client, q: &str) -> Result<Vec<Territory>, ApiError> {
    let url = Query::new("/api/v1/territories")
        .param("q", q)
        .param("limit", "50")
        .build();
    let page: Page<Territory> = super::tolerant::get_page(client, &url).await?;
    Ok(page.items.into_iter().filter(|t| !t.deleted).collect())
}

/// `GET /api/v1/territories/{id}`
pub async fn territory(client: &Client, id: i64) -> Result<Territory, ApiError> {
    client
        .request::<(), _>(Method::GET, &format!("/api/v1/territories/{id}"), &[], None)
        .await
}

/// Which territories to list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TerritoryScope {
    /// The top of the tree (`level=region`).
    Regions,
    /// The direct children of a territory (`parent_id=`).
    ChildrenOf(i64),
}

/// `GET /api/v1/territories?parent_id=…` or `?level=region`: every page of it. A
/// district has a few dozen okrugs, so this is one or two requests.
pub async fn territories(
    client: &Client,
    scope: TerritoryScope,
) -> Result<Vec<Territory>, ApiError> {
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let query = Query::new("/api/v1/territories").param("limit", "200");
        let query = match scope {
            TerritoryScope::Regions => query.param("level", "region"),
            TerritoryScope::ChildrenOf(id) => query.param("parent_id", &id.to_string()),
        };
        let url = query.opt("cursor", cursor.as_deref()).build();
        let page: Page<Territory> = super::tolerant::get_page(client, &url).await?;
        all.extend(page.items.into_iter().filter(|t| !t.deleted));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(all),
        }
    }
}
