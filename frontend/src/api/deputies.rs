//! `/api/v1/deputies*`, `/api/v1/assignments/coverage` and `/api/v1/ratings*`.

use baqylau_wire::common::Page;
use baqylau_wire::deputies::{Assignment, AssignmentCoverage, Deputy, TerritoryDeputies};
use baqylau_wire::ratings::{Rating, RatingFormula};
use chrono::NaiveDate;
use gloo_net::http::Method;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::{ApiError, Client, Query};

/// The registry's filters, as the API offers them. Also the registry page's URL query
/// (`/deputies?level=district&mandate_status=active`), so that "back" from a deputy
/// returns to the same list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeputyFilter {
    /// A maslikhat level: `regional`, `city`, `district`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mandate_status: Option<String>,
    /// Maslikhats in this territory's subtree.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub territory_id: Option<i64>,
}

/// The registry's page size.
pub const PAGE_SIZE: u32 = 25;

/// `GET /api/v1/deputies`: the first page (with `total`) when `cursor` is `None`.
pub fn list_url(filter: &DeputyFilter, cursor: Option<&str>) -> String {
    let territory = filter.territory_id.map(|id| id.to_string());
    let query = Query::new("/api/v1/deputies")
        .opt("level", filter.level.as_deref())
        .opt("mandate_status", filter.mandate_status.as_deref())
        .opt("territory_id", territory.as_deref())
        .param("limit", &PAGE_SIZE.to_string());
    with_cursor(query, cursor)
}

fn with_cursor(query: Query, cursor: Option<&str>) -> String {
    match cursor {
        Some(cursor) => query.param("cursor", cursor),
        // Counted once, with the first page.
        None => query.param("include_total", "true"),
    }
    .build()
}

async fn get<R: DeserializeOwned>(client: &Client, url: &str) -> Result<R, ApiError> {
    client.request::<(), _>(Method::GET, url, &[], None).await
}

/// `GET /api/v1/deputies` with the registry's filters.
pub async fn list(
    client: &Client,
    filter: &DeputyFilter,
    cursor: Option<&str>,
) -> Result<Page<Deputy>, ApiError> {
    get(client, &list_url(filter, cursor)).await
}

/// `GET /api/v1/deputies/{id}`
pub async fn deputy(client: &Client, id: i64) -> Result<Deputy, ApiError> {
    get(client, &format!("/api/v1/deputies/{id}")).await
}

/// `GET /api/v1/territories/{id}/deputies`: who answers for the territory today.
pub async fn of_territory(client: &Client, id: i64) -> Result<TerritoryDeputies, ApiError> {
    get(client, &format!("/api/v1/territories/{id}/deputies")).await
}

/// `GET /api/v1/deputies/{id}/assignments`, every page.
pub async fn assignments(client: &Client, id: i64) -> Result<Vec<Assignment>, ApiError> {
    super::tolerant::all_pages(client, |cursor| {
        let query = Query::new(&format!("/api/v1/deputies/{id}/assignments")).param("limit", "200");
        query.opt("cursor", cursor).build()
    })
    .await
}

/// `GET /api/v1/deputies/{id}/rating?period=YYYY-MM`
pub async fn rating(client: &Client, id: i64, period: &str) -> Result<Rating, ApiError> {
    let url = Query::new(&format!("/api/v1/deputies/{id}/rating"))
        .opt("period", Some(period))
        .build();
    get(client, &url).await
}

/// `GET /api/v1/ratings/formula`
pub async fn formula(client: &Client) -> Result<RatingFormula, ApiError> {
    get(client, "/api/v1/ratings/formula").await
}

/// Which month and where, for the ratings page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RatingScope {
    /// `YYYY-MM`.
    pub period: String,
    pub territory_id: Option<i64>,
}

fn ratings_url(path: &str, scope: &RatingScope, limit: u32, cursor: Option<&str>) -> String {
    let territory = scope.territory_id.map(|id| id.to_string());
    let query = Query::new(path)
        .opt("period", Some(&scope.period))
        .opt("territory_id", territory.as_deref())
        .param("limit", &limit.to_string());
    with_cursor(query, cursor)
}

/// `GET /api/v1/ratings`: the month's scores, best first.
pub async fn ratings(
    client: &Client,
    scope: &RatingScope,
    cursor: Option<&str>,
) -> Result<Page<Rating>, ApiError> {
    get(
        client,
        &ratings_url("/api/v1/ratings", scope, PAGE_SIZE, cursor),
    )
    .await
}

/// `GET /api/v1/ratings/recall-risk`, every page: active deputies below the threshold,
/// worst first.
pub async fn recall_risk(client: &Client, scope: &RatingScope) -> Result<Vec<Rating>, ApiError> {
    super::tolerant::all_pages(client, |cursor| {
        ratings_url("/api/v1/ratings/recall-risk", scope, 200, cursor)
    })
    .await
}

/// `GET /api/v1/assignments/coverage?territory_id=…&on=…`
pub async fn coverage(
    client: &Client,
    territory_id: Option<i64>,
    on: Option<NaiveDate>,
) -> Result<AssignmentCoverage, ApiError> {
    let territory = territory_id.map(|id| id.to_string());
    let on = on.map(|d| d.to_string());
    let url = Query::new("/api/v1/assignments/coverage")
        .opt("territory_id", territory.as_deref())
        .opt("on", on.as_deref())
        .build();
    get(client, &url).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_urls_carry_the_filters_and_count_once() {
        let filter = DeputyFilter {
            level: Some("district".into()),
            mandate_status: None,
            territory_id: Some(4),
        };
        assert_eq!(
            list_url(&filter, None),
            "/api/v1/deputies?level=district&territory_id=4&limit=25&include_total=true"
        );
        assert_eq!(
            list_url(&DeputyFilter::default(), Some("abc=")),
            "/api/v1/deputies?limit=25&cursor=abc%3D"
        );
    }

    #[test]
    fn rating_urls_name_the_month_and_the_territory() {
        let scope = RatingScope {
            period: "2026-10".into(),
            territory_id: None,
        };
        assert_eq!(
            ratings_url("/api/v1/ratings", &scope, 25, None),
            "/api/v1/ratings?period=2026-10&limit=25&include_total=true"
        );
    }
}
