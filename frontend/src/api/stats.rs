//! `/api/v1/stats/*`.

use baqylau_wire::stats::Overview;
use gloo_net::http::Method;

use super::{ApiError, Client, Query};

/// `GET /api/v1/stats/overview`, for the caller's territory or one inside it, with the
/// road maps of `year` (the server's default: this year).
pub async fn overview(
    client: &Client,
    territory_id: Option<i64>,
    year: Option<i32>,
) -> Result<Overview, ApiError> {
    let url = Query::new("/api/v1/stats/overview")
        .opt(
            "territory_id",
            territory_id.map(|t| t.to_string()).as_deref(),
        )
        .opt("year", year.map(|y| y.to_string()).as_deref())
        .build();
    client.request::<(), _>(Method::GET, &url, &[], None).await
}
