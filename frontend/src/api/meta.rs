//! Health and readiness (outside `/api/v1`, where load balancers expect them).

use baqylau_wire::meta::Health;
use gloo_net::http::Method;

use super::{ApiError, Client};

/// `GET /readyz`: is the server up and its database reachable?
pub async fn ready(client: &Client) -> Result<Health, ApiError> {
    client
        .request::<(), _>(Method::GET, "/readyz", &[], None)
        .await
}
